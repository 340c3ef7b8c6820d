// Words and small things on the pages: the Settings' radio buttons sit on
// their labels' line; the Consents page shows each number once, without
// doubled brackets, and says to whom a consent request went.
'use strict';
const t = require('./lib');
const { BASE, check, login, shot } = t;

const PW = 'words password 1';
const AG = t.mobile(), BOB = t.mobile();
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Words ${t.UNIQ}`, sms_enabled: true }],
		users: [
			{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@words.test`, name: 'Wanda Words', role: 'agent',
				password: PW, sms_permission: true, sms_number: AG },
			{ key: 'ad', org: 'o', email: `ad.${t.UNIQ}@words.test`, name: 'Walt Words', role: 'admin', password: PW }],
		leads: [{ key: 'l1', org: 'o', name: 'Words purchase', assigned: ['ag'],
			contacts: [{ key: 'c1', role: 'borrower', name: 'Bob Words', mobile: BOB }] }],
	});
} catch (e) {
	t.report('the words test data imports', false, String(e));
	process.exit(1);
}
const L1 = ids.leads.l1;
const shown = (n) => `(${n.slice(2, 5)}) ${n.slice(5, 8)}-${n.slice(8)}`;

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ad.${t.UNIQ}@words.test`, PW);
	for (const w of [1280, 400]) {
		await page.setViewportSize({ width: w, height: 800 });
		await page.goto(`${BASE}/admin/settings`);
		await check(`Settings at ${w} px: each radio button on its label's first line`, async () => {
			const bad = await page.evaluate(() => [...document.querySelectorAll('label > input[type="radio"]')]
				.filter((i) => {
					const r = i.getBoundingClientRect(), l = i.parentElement.getBoundingClientRect();
					const line = parseFloat(getComputedStyle(i.parentElement).lineHeight) || 22;
					return r.top > l.top + line || r.right > l.left + l.width / 2 || r.left > l.left + 8;
				}).map((i) => i.value));
			const n = await page.locator('label > input[type="radio"]').count();
			if (n === 0 || bad.length)
				throw new Error(`${n} radios, off their line: ${bad.join(', ')}`);
		});
		await shot(page, `words-settings-${w}`);
	}
	await ctx.close();

	const agent = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const ap = await agent.newPage();
	await login(ap, `ag.${t.UNIQ}@words.test`, PW);
	await ap.goto(`${BASE}/leads/${L1}/consents`);
	await check('Consents: no doubled brackets around a number', async () => {
		const text = await ap.locator('main').innerText();
		if (/\(\(|\)\)/.test(text))
			throw new Error(text.match(/.{0,30}(\(\(|\)\)).{0,30}/)[0]);
	});
	await check('Consents: the contact\'s number shown once in its row', async () => {
		const row = await ap.locator('.consent-table tbody tr').first().innerText();
		return row.split(shown(BOB)).length - 1 === 1;
	});
	await shot(ap, 'words-consents-1280');
	await check('Consents: Send consent comes back to the page, saying to whom it went', async () => {
		await ap.click('.consent-table button:has-text("Send consent")');
		await ap.waitForURL(/[?&]sent=/);
		const said = await ap.locator('p.flash.ok[role="status"]').innerText();
		if (said !== `Consent request sent to Bob Words at ${shown(BOB)}.`)
			throw new Error(said);
	});
	await shot(ap, 'words-consent-sent-1280');
	await ap.setViewportSize({ width: 400, height: 800 });
	await shot(ap, 'words-consent-sent-400');
	await agent.close();
}

t.run('the words walk finishes', walk);
