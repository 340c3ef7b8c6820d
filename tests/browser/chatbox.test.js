// The chatboxes and the notifications icon in a real browser, with and
// without JavaScript, at 1280 px and 400 px; axe on every page.
'use strict';
const t = require('./lib');
const { BASE, check, sql, inbound, login, axe, shot, shots, headersVisible } = t;

const PW = 'browser password 1';
const AL = t.mobile(), ADV = t.mobile();
const phones = [1, 2, 3, 4, 5, 6].map(() => t.mobile());
const leads = phones.map((p, i) => ({
	key: `l${i + 1}`, org: 'o', name: `Browser lead ${i + 1}`, assigned: ['al'],
	contacts: [{ key: `c${i + 1}`, role: 'borrower', name: `Borrower ${['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay'][i]} Long-Name ${i + 1}`, mobile: p }],
}));
leads.push({ key: 'la', org: 'adv', name: 'Advanced lead', assigned: ['ad'],
	contacts: [{ key: 'ca', role: 'borrower', name: 'Ada Advanced', mobile: t.mobile() }] });
let ids;
try {
	ids = t.importData({
	organizations: [{ key: 'o', name: `Browser ${t.UNIQ}`, sms_enabled: true },
		{ key: 'adv', name: `Browser adv ${t.UNIQ}`, sms_enabled: true, sms_level: 'advanced' }],
	users: [
		{ key: 'al', org: 'o', email: `al.${t.UNIQ}@browser.test`, name: 'Al Browser', role: 'agent', password: PW,
			sms_permission: true, sms_number: AL },
		{ key: 'adm', org: 'o', email: `adm.${t.UNIQ}@browser.test`, name: 'Ad Browser', role: 'admin', password: PW },
		{ key: 'ad', org: 'adv', email: `ad.${t.UNIQ}@browser.test`, name: 'Ad Vanced', role: 'agent', password: PW,
			sms_permission: true, sms_number: ADV }],
	leads,
	consents: [{ agent: 'al', contact: 'c1', status: 'granted' }, { agent: 'ad', contact: 'ca', status: 'granted' }],
	});
} catch (e) {
	t.report('the browser test data imports', false, String(e));
	process.exit(1);
}
const L = [1, 2, 3, 4, 5, 6].map((i) => ids.leads[`l${i}`]);
const C = [1, 2, 3, 4, 5, 6].map((i) => ids.contacts[`c${i}`]);
const chats = (n) => L.slice(0, n).map((id) => `chat=${id}`).join('&');

async function walkWithScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `al.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads`);
	await axe(page, 'the lead list');

	// Quick Action Tools: the row's SMS icon opens the box without a reload
	await page.evaluate(() => { window.__kept = 1; });
	await check('Quick Action Tools open a chatbox', async () => {
		await page.click(`tr:has(a[href="/leads/${L[0]}"]) .quick-actions a`);
		await page.waitForSelector(`#chat-${L[0]}`);
	});
	await check('without a reload, the URL in step', async () =>
		(await page.evaluate(() => window.__kept)) === 1 && new URL(page.url()).searchParams.getAll('chat').includes(String(L[0])));
	await axe(page, 'the lead list with a chatbox');

	// Action Tools on the lead page
	await page.goto(`${BASE}/leads/${L[1]}`);
	await check('the Action Tools SMS icon opens the lead\'s chatbox', async () => {
		await page.click('.action-tools a[title="Send SMS"]');
		await page.waitForSelector(`#chat-${L[1]}`);
		return page.url().includes(`chat=${L[1]}`);
	});
	await axe(page, 'the lead page with its chatbox');

	// five at once, at 1280 px and 400 px: every header in view
	for (const [w, h] of [[1280, 800], [400, 800], [1920, 1080], [800, 600]]) {
		await page.setViewportSize({ width: w, height: h });
		await page.goto(`${BASE}/leads?${chats(5)}`);
		// laid out: the page's script stacks the boxes before the load event
		// that goto waits for; two frames later the layout is drawn
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
		const r = await headersVisible(page);
		t.report(`five chatboxes at ${w} px: every header visible`, r.count === 5 && r.bad.length === 0,
			JSON.stringify(r));
		await check(`five chatboxes at ${w} px: some stack by themselves, one stays open`, async () => {
			const open = await page.locator('.chatbox:not(.minimized):not(.stacked)').count();
			return open >= 1 && open < 5;
		});
		if (w === 1280 || w === 400)
			await shot(page, `five-chatboxes-${w}`);
	}
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto(`${BASE}/leads?${chats(8)}`);
	await check('eight chatboxes at 1280 px: every header visible', async () => {
		const r = await headersVisible(page);
		if (r.bad.length || r.count !== 6)  // six leads in this test
			throw new Error(JSON.stringify(r));
	});

	// minimize, maximize, close, refresh
	await page.goto(`${BASE}/leads?${chats(2)}`);
	await page.evaluate(() => { window.__kept = 2; });
	await check('Minimize leaves only the header, docked', async () => {
		await page.click(`#chat-${L[1]} .chat-minimize`);
		await page.waitForSelector(`#chat-${L[1]}.minimized`);
		const body = await page.locator(`#chat-${L[1]} .chat-body`).count();
		const box = await page.locator(`#chat-${L[1]}`).boundingBox();
		return body === 0 && Math.abs(box.y + box.height - 800) < 2;
	});
	await check('Minimize keeps the URL in step (min=)', async () =>
		page.url().includes(`min=${L[1]}`) && (await page.evaluate(() => window.__kept)) === 2);
	await check('focus stays on the box\'s controls', async () =>
		page.evaluate((id) => document.activeElement && document.activeElement.closest(`#chat-${id}`) !== null, L[1]));
	await check('Maximize reopens it', async () => {
		await page.click(`#chat-${L[1]} .chat-maximize`);
		await page.waitForSelector(`#chat-${L[1]}:not(.minimized) .chat-body`);
		return !page.url().includes(`min=${L[1]}`);
	});
	await check('Close removes it', async () => {
		await page.click(`#chat-${L[0]} .chat-close`);
		await page.waitForSelector(`#chat-${L[0]}`, { state: 'detached' });
		return !page.url().includes(`chat=${L[0]}&`) && !page.url().endsWith(`chat=${L[0]}`);
	});
	await check('a refresh keeps what is open', async () => {
		await page.reload();
		return (await page.locator(`#chat-${L[1]} .chat-body`).count()) === 1 &&
			(await page.locator(`#chat-${L[0]}`).count()) === 0;
	});

	// the name in the header opens the application, the boxes and drafts kept
	await page.goto(`${BASE}/leads?${chats(2)}`);
	await check('the header\'s name opens the application without losing the drafts', async () => {
		await page.locator(`#chat-body-${L[0]}`).pressSequentially('Half-typed note');
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[0]} .chat-title`)]);
		return new URL(page.url()).pathname === `/leads/${L[0]}` &&
			(await page.locator(`#chat-body-${L[0]}`).inputValue()) === 'Half-typed note';
	});
	await page.locator(`#chat-body-${L[0]}`).fill('');
	await page.locator(`#chat-body-${L[0]}`).dispatchEvent('input');

	// the counter, a special character, the limit
	await page.goto(`${BASE}/leads?chat=${L[0]}`);
	const box = page.locator(`#chat-body-${L[0]}`);
	const send = page.locator(`#chat-${L[0]} .chat-send button.primary[type="submit"]`);
	const left = page.locator(`#chat-${L[0]} .chars-left`);
	await check('the counter counts down as one types', async () => {
		await box.fill('');
		await box.pressSequentially('Hello');
		return (await left.textContent()) === '155' &&
			(await page.locator(`#chat-${L[0]} .billed`).textContent()) === '1';
	});
	await check('characters left and billed messages read on one line', async () =>
		page.locator(`#chat-${L[0]} .chat-count`).evaluate((e) =>
			e.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(e).lineHeight || '16')));
	await check('a special character names itself and disables Send, before any round trip', async () => {
		let requests = 0;
		page.on('request', () => requests++);
		await box.pressSequentially(' \u{1F600}');
		const problem = await page.locator(`#chat-${L[0]} .chat-problem`).textContent();
		return problem === "\u{1F600} can't be sent on your plan's standard texts. Remove it" && await send.isDisabled() &&
			requests === 0;
	});
	await check('... and Send later with it (a text refused now is refused later)', async () =>
		page.locator(`#chat-${L[0]} .chat-send button[name="later"]`).isDisabled());
	await check('Remove it takes the character out, and Send is back', async () => {
		await page.click(`#chat-${L[0]} .chat-remove-special`);
		return !(await box.inputValue()).includes('\u{1F600}') && !(await send.isDisabled()) &&
			(await page.locator(`#chat-${L[0]} .chat-problem`).textContent()) === '';
	});
	await check('160 characters fit the standard level', async () => {
		await box.fill('a'.repeat(160));
		await box.dispatchEvent('input');
		return (await left.textContent()) === '0' && !(await send.isDisabled());
	});
	await check('161 do not: Send is disabled, saying why', async () => {
		await box.pressSequentially('b');
		return (await page.locator(`#chat-${L[0]} .chat-count`).textContent()).startsWith('1 character too long · ') &&
			await send.isDisabled() &&
			(await page.locator(`#chat-${L[0]} .chat-problem`).textContent()) !== '';
	});
	await shots(page, 'chatbox-counter-too-long');

	// send with Ctrl+Enter: the message after the redirect, focus back in the box
	await check('Ctrl+Enter sends; the message shows after the redirect', async () => {
		await box.fill('');
		await box.pressSequentially('Hello from the browser');
		await Promise.all([page.waitForNavigation(), box.press('Control+Enter')]);
		await page.waitForSelector(`#chat-${L[0]} .msg-out .msg-text:text-is("Hello from the browser")`);
	});
	await check('after a send the text box has the focus', async () =>
		page.evaluate((id) => document.activeElement && document.activeElement.id === `chat-body-${id}`, L[0]));
	await check('and the conversation shows the newest message', async () =>
		page.evaluate((id) => {
			const s = document.querySelector(`#chat-${id} .chat-scroll`);
			const last = s.querySelector('.msg:last-child').getBoundingClientRect();
			const r = s.getBoundingClientRect();
			return last.bottom <= r.bottom + 1 && last.top >= r.top - 1;
		}, L[0]));

	// a reply: unread counts and the shaking icon on the next load, gone after
	await page.goto(`${BASE}/leads`);
	await inbound(phones[0], AL, 'A reply from the borrower');
	await page.goto(`${BASE}/leads`);
	await check('a reply shows the total on the icon', async () =>
		(await page.locator('.notif-total').textContent()).startsWith('1'));
	await check('and the icon shakes', async () =>
		(await page.locator('details.notif.shake .notif-icon img').evaluate((e) => getComputedStyle(e).animationName)) === 'notif-shake');
	await check('the dropdown lists it with its own count', async () => {
		await page.click('.notif-icon');
		const row = page.locator('.notif-row').first();
		return (await row.locator('.notif-last').textContent()) === 'A reply from the borrower' &&
			(await row.locator('.notif-unread').textContent()).startsWith('1');
	});
	await axe(page, 'the open notifications dropdown');
	await shot(page, 'notifications-1280');
	await check('a row opens that conversation\'s chatbox on its application\'s page', async () => {
		await page.click('.notif-row >> nth=0');
		await page.waitForSelector(`#chat-${L[0]} .msg-in .msg-text:text-is("A reply from the borrower")`);
	});
	await page.goto(`${BASE}/leads`);
	await check('on the next load the count is gone', async () =>
		(await page.locator('.notif-total').count()) === 0 && (await page.locator('details.notif.shake').count()) === 0);

	// the flashing minimized header
	await page.goto(`${BASE}/leads?chat=${L[0]}&min=${L[0]}&chat=${L[1]}`);
	await check('a minimized header holding the newest incoming text flashes green', async () =>
		(await page.locator(`#chat-${L[0]}.minimized.latest .chat-head`).evaluate((e) => getComputedStyle(e).animationName)) === 'chat-flash');
	await shots(page, 'chatbox-flashing');

	// the 640 limit of the advanced level
	const adv = await ctx.browser().newContext({ viewport: { width: 1280, height: 800 } });
	const ap = await adv.newPage();
	await login(ap, `ad.${t.UNIQ}@browser.test`, PW);
	await ap.goto(`${BASE}/leads?chat=${ids.leads.la}`);
	const abox = ap.locator(`#chat-body-${ids.leads.la}`);
	await check('the advanced level takes 640 characters and special ones', async () => {
		await abox.fill('a'.repeat(639));
		await abox.pressSequentially('\u00e9');
		const l = await ap.locator('.chars-left').textContent();
		return l === '0' && !(await ap.locator('.chat-send button.primary[type="submit"]').isDisabled());
	});
	await check('641 do not', async () => {
		await abox.pressSequentially('x');
		return ap.locator('.chat-send button.primary[type="submit"]').isDisabled();
	});
	await adv.close();

	// every page: axe
	for (const p of ['/notifications', '/profile', `/leads/${L[0]}/consents`, '/unmatched', '/nowhere'])
		await page.goto(`${BASE}${p}`).then(() => axe(page, `page ${p}`));
	await page.setViewportSize({ width: 400, height: 800 });
	await page.goto(`${BASE}/leads?${chats(3)}`);
	await axe(page, 'the lead list at 400 px');
	await page.goto(`${BASE}/notifications`);
	await shot(page, 'notifications-400');
	await ctx.close();

	const admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const ad = await admin.newPage();
	await login(ad, `adm.${t.UNIQ}@browser.test`, PW);
	for (const p of ['/admin/users', '/admin/settings', '/leads'])
		await ad.goto(`${BASE}${p}`).then(() => axe(ad, `page ${p} (admin)`));
	await shot(ad, 'admin-users-1280');
	await admin.close();
	const anon = await browser.newContext();
	const lp = await anon.newPage();
	await lp.goto(`${BASE}/login`);
	await axe(lp, 'the sign-in page');
	await anon.close();
}

async function walkWithoutScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await login(page, `al.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads`);
	await check('without JavaScript: Quick Action Tools open a chatbox (a link)', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`tr:has(a[href="/leads/${L[2]}"]) .quick-actions a`)]);
		return (await page.locator(`#chat-${L[2]}`).count()) === 1;
	});
	await check('without JavaScript: Minimize is a link', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[2]} .chat-minimize`)]);
		return page.url().includes(`min=${L[2]}`) && (await page.locator(`#chat-${L[2]}.minimized`).count()) === 1;
	});
	await check('without JavaScript: Maximize and Close are links', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[2]} .chat-maximize`)]);
		const open = (await page.locator(`#chat-${L[2]} .chat-body`).count()) === 1;
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[2]} .chat-close`)]);
		return open && (await page.locator('.chatbox').count()) === 0;
	});
	for (const [w, h] of [[1280, 800], [400, 800]]) {
		await page.setViewportSize({ width: w, height: h });
		await page.goto(`${BASE}/leads?${chats(5)}`);
		const r = await headersVisible(page);
		t.report(`without JavaScript: five chatboxes at ${w} px, every header visible`,
			r.count === 5 && r.bad.length === 0, JSON.stringify(r));
		await shot(page, `five-chatboxes-nojs-${w}`);
	}
	await check('without JavaScript: the dropdown opens', async () => {
		await page.click('.notif-icon');
		return page.locator('.notif-menu').isVisible();
	});
	await check('at 400 px the dropdown lies within the window, above the chatboxes', async () => {
		const box = await page.locator('.notif-menu').boundingBox();
		if (box === null || box.x < 0 || box.x + box.width > 400)
			return false;
		// what is drawn at the middle of its last link is the dropdown
		const row = await page.locator('.notif-menu .notif-all').boundingBox();
		return page.evaluate(([x, y]) => !!document.elementFromPoint(x, y).closest('.notif-menu'),
			[row.x + row.width / 2, row.y + row.height / 2]);
	});
	await shot(page, 'notifications-dropdown-400');
	await check('without JavaScript: sending works', async () => {
		await page.goto(`${BASE}/leads?chat=${L[0]}`);
		await page.fill(`#chat-body-${L[0]}`, 'Sent without a script');
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[0]} .chat-send button.primary[type="submit"]`)]);
		await page.waitForSelector(`#chat-${L[0]} .msg-out .msg-text:text-is("Sent without a script")`);
	});
	await ctx.close();
}

t.run('the walk finishes', walkWithScript, walkWithoutScript);
