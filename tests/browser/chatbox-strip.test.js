// The contacts strip with a long name: a selected contact named with 60
// characters never pushes Consents (or the contact's number) out of the
// strip's view at 400 and 1280 px, nor draws over the next contact (which
// scrolls sideways inside the list); the name ends in an ellipsis, its full
// text in its title and in the link's accessible name.
'use strict';
const t = require('./lib');
const { BASE, check, login, shot } = t;

const PW = 'long name password 1';
const AG = t.mobile();
const LONG = 'Maximiliana Alexandrina Bartholomew-Vanderbilt Featherstonehaugh'.slice(0, 60);
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Strip ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@strip.test`, name: 'Sam Strip', role: 'agent',
			password: PW, sms_permission: true, sms_number: AG }],
		leads: [{ key: 'l', org: 'o', name: 'Long name lead', assigned: ['ag'],
			contacts: [{ key: 'c', role: 'borrower', name: LONG, mobile: t.mobile() },
				{ key: 'd', role: 'co_borrower', name: 'Al Short', mobile: t.mobile() }] }],
		consents: [{ agent: 'ag', contact: 'c', status: 'granted' }],
	});
} catch (e) {
	t.report('the long-name test data imports', false, String(e));
	process.exit(1);
}
const LEAD = ids.leads.l;

// where the strip's controls are, against the strip's own visible box
async function strip(page) {
	return page.evaluate((lead) => {
		const s = document.querySelector(`#chat-${lead} .chat-contacts`);
		const box = (e) => { const r = e.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
		const sel = s.querySelector('.chat-contact.selected');
		const name = sel.querySelector('.chat-contact-name');
		// what is drawn at the middle of e (nothing else lies over it)
		const seen = (e) => {
			const r = e.getBoundingClientRect();
			const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return !!top && (e.contains(top) || top.contains(e));
		};
		// drawn whole: its right end too is its own, not clipped nor covered
		const whole = (e) => {
			const r = e.getBoundingClientRect();
			const top = document.elementFromPoint(r.right - 2, r.top + r.height / 2);
			return seen(e) && !!top && (e.contains(top) || top.contains(e));
		};
		return { seen: { consents: whole(s.querySelector('.chat-consents')),
				number: whole(sel.querySelector('.chat-contact-number')), name: seen(name) },
			strip: box(s), scrolls: s.scrollWidth > s.clientWidth + 1, win: innerWidth,
			consents: box(s.querySelector('.chat-consents')), number: box(sel.querySelector('.chat-contact-number')),
			role: box(sel.querySelector('.chat-contact-role')), name: box(name), nameText: name.textContent,
			cut: name.scrollWidth > name.clientWidth, title: name.getAttribute('title'),
			ellipsis: getComputedStyle(name).textOverflow };
	}, LEAD);
}
const within = (a, b) => a.l >= b.l - 0.5 && a.r <= b.r + 0.5 && a.r - a.l > 1;

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@strip.test`, PW);
	const contact = ids.contacts.c;
	for (const width of [1280, 400]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto(`${BASE}/leads/${LEAD}?chat=${LEAD}&contact_${LEAD}=${contact}`);
		const s = await strip(page);
		await check(`${width} px: the long name is the selected contact`, async () => s.nameText.trim() === LONG);
		await check(`${width} px: Consents is wholly in the strip's view, which does not scroll`, async () => {
			if (!within(s.consents, s.strip) || s.scrolls || s.strip.r > width + 0.5 || !s.seen.consents)
				throw new Error(JSON.stringify(s));
		});
		await check(`${width} px: the selected contact's name and whole number are in view, nothing over them`, async () => {
			if (!within(s.number, s.strip) || !s.seen.number || !s.seen.name)
				throw new Error(JSON.stringify(s));
		});
		await check(`${width} px: the name ends in an ellipsis, the full name in its title`, async () => {
			if (!s.cut || s.ellipsis !== 'ellipsis' || s.title !== LONG)
				throw new Error(JSON.stringify(s));
		});
		await check(`${width} px: the contact's link is named with the full name`, async () => {
			const link = page.locator(`#chat-${LEAD} .chat-contacts`).getByRole('link', { name: new RegExp(LONG) });
			return (await link.count()) === 1;
		});
		await shot(page, `chatbox-long-name-${width}`);
	}
	await t.axe(page, 'a chatbox with a long contact name at 400 px');
	await ctx.close();
}

t.run('the long-name walk completes', walk);
