// Room to read: the conversation area of a chatbox is big enough to read
// at 1280 px (one box, three boxes) and at 400 px, a warning never squeezes
// it nor pushes Send out of the window, each warning is said once; the
// area is a focusable log; a box that opens takes the focus in its text
// box. axe with warnings showing and with three boxes at 400 px.
'use strict';
const t = require('./lib');
const { BASE, check, login, axe, shot } = t;

const PW = 'room to read password 1';
const AG = t.mobile();
const phones = [1, 2, 3].map(() => t.mobile());
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Room ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@room.test`, name: 'Rita Room', role: 'agent',
			password: PW, sms_permission: true, sms_number: AG }],
		leads: phones.map((p, i) => ({
			key: `l${i + 1}`, org: 'o', name: `Room lead ${i + 1}`, assigned: ['ag'],
			contacts: [{ key: `c${i + 1}`, role: 'borrower', name: `Borrower Room ${i + 1}`, mobile: p }],
		})),
		consents: phones.map((p, i) => ({ agent: 'ag', contact: `c${i + 1}`, status: 'granted' })),
	});
} catch (e) {
	t.report('the room-to-read test data imports', false, String(e));
	process.exit(1);
}
const L = [1, 2, 3].map((i) => ids.leads[`l${i}`]);
const chats = (n) => L.slice(0, n).map((id) => `chat=${id}`).join('&');

// the conversation areas of the open boxes, in the window
async function areas(page) {
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	return page.evaluate(() => [...document.querySelectorAll('.chatbox:not(.minimized):not(.stacked) .chat-scroll')]
		.map((s) => {
			const r = s.getBoundingClientRect();
			const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
			return { w: Math.round(Math.min(r.right, innerWidth) - Math.max(r.left, 0)), h: Math.round(bottom - top) };
		}));
}

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@room.test`, PW);
	for (let i = 0; i < 14; i++)
		await t.inbound(phones[0], AG, `Message ${i + 1} about the appraisal, the rate lock and the closing date`);

	await page.goto(`${BASE}/leads?chat=${L[0]}`);
	await check('one chatbox at 1280 px: the conversation is at least 360 x 280 px', async () => {
		const a = await areas(page);
		if (a.length !== 1 || a[0].w < 360 || a[0].h < 280)
			throw new Error(JSON.stringify(a));
	});
	await check('the selected contact, its circle and number, are shown', async () => {
		const sel = page.locator(`#chat-${L[0]} .chat-contact.selected`);
		return (await sel.locator('.consent').isVisible()) && (await sel.locator('.chat-contact-number').isVisible()) &&
			(await sel.locator('.chat-contact-name').isVisible());
	});
	await check('the assignments are still there', async () =>
		page.locator(`#chat-${L[0]} .chat-agent`).first().isVisible());
	await check('the conversation is a log with a name, focusable when it scrolls', async () => {
		const s = page.locator(`#chat-${L[0]} .chat-scroll`);
		const scrolls = await s.evaluate((e) => e.scrollHeight > e.clientHeight);
		return (await s.getAttribute('role')) === 'log' && /Conversation/.test(await s.getAttribute('aria-label')) &&
			scrolls && (await s.getAttribute('tabindex')) === '0';
	});
	await shot(page, 'room-one-box-1280');

	await page.goto(`${BASE}/leads?${chats(3)}`);
	await check('three chatboxes at 1280 px: all open, each conversation at least 300 x 240 px', async () => {
		const a = await areas(page);
		if (a.length !== 3 || a.some((x) => x.w < 300 || x.h < 240))
			throw new Error(JSON.stringify(a));
	});
	await check('a conversation too short to scroll is not in the tab order', async () =>
		(await page.locator(`#chat-${L[2]} .chat-scroll`).getAttribute('tabindex')) === null);
	await shot(page, 'room-three-boxes-1280');
	await axe(page, 'three chatboxes at 1280 px');

	// a box that opens takes the focus in its text box
	await page.goto(`${BASE}/leads`);
	await check('a chatbox opened from the lead list has the focus in its text box', async () => {
		await page.click(`tr:has(a[href="/leads/${L[1]}"]) .quick-actions a`);
		await page.waitForSelector(`#chat-${L[1]}`);
		await page.waitForFunction((id) => document.activeElement && document.activeElement.id === `chat-body-${id}`, L[1],
			{ timeout: 3000 });
	});

	await page.setViewportSize({ width: 400, height: 800 });
	await page.goto(`${BASE}/leads?chat=${L[0]}`);
	await check('one chatbox at 400 px: the whole width, at least 240 px high', async () => {
		const a = await areas(page);
		if (a.length !== 1 || a[0].w < 370 || a[0].h < 240)
			throw new Error(JSON.stringify(a));
	});
	await shot(page, 'room-one-box-400');

	// warnings: a shortener's link and a card number, as they are typed
	const box = page.locator(`#chat-body-${L[0]}`);
	await box.fill('Your card 4111 1111 1111 1111 and the form at https://bit.ly/abc123 please');
	await box.dispatchEvent('input');
	await check('with warnings at 400 px: the conversation keeps 150 px, Send is in the window', async () => {
		const a = await areas(page);
		const send = await page.locator(`#chat-${L[0]} .chat-send button.primary[type="submit"]`).boundingBox();
		if (a.length !== 1 || a[0].h < 150 || !send || send.y < 0 || send.y + send.height > 800 ||
				send.x < 0 || send.x + send.width > 400)
			throw new Error(JSON.stringify({ a, send }));
	});
	await shot(page, 'room-warning-typed-400');
	await axe(page, 'a chatbox with warnings at 400 px');
	await check('after Send: each warning said once, next to Send anyway', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L[0]} .chat-send button.primary[type="submit"]`)]);
		const f = page.locator(`#chat-${L[0]} .chat-send`);
		const all = (await f.innerText());
		const n = [/card number/g, /shortener/g].map((re) => (all.match(re) || []).length);
		const anyway = await f.locator('button.danger').boundingBox();
		const err = await f.locator('.chat-error').last().boundingBox();
		if (n[0] !== 1 || n[1] !== 1 || !anyway || !err || Math.abs(anyway.y - (err.y + err.height)) > 60)
			throw new Error(JSON.stringify({ n, anyway, err, all }));
	});
	await check('... the conversation keeps 150 px and Send anyway is in the window', async () => {
		const a = await areas(page);
		const b = await page.locator(`#chat-${L[0]} button.danger`).boundingBox();
		if (a.length !== 1 || a[0].h < 150 || !b || b.y + b.height > 800 || b.x + b.width > 400)
			throw new Error(JSON.stringify({ a, b }));
	});
	await shot(page, 'room-warning-refused-400');
	await axe(page, 'a refused text with its warnings at 400 px');

	await page.goto(`${BASE}/leads?${chats(3)}`);
	await check('three chatboxes at 400 px: the open one at least 240 px high', async () => {
		const a = await areas(page);
		if (a.length !== 1 || a[0].h < 240 || a[0].w < 370)
			throw new Error(JSON.stringify(a));
	});
	await shot(page, 'room-three-boxes-400');
	await axe(page, 'three chatboxes at 400 px');
	await ctx.close();
}

t.run('the room-to-read walk finishes', walk);
