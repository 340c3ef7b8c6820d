// Boxes stay put: opening, minimizing, maximizing or closing one chatbox
// (the newest, the oldest, the middle one) never changes another box's
// state or position at 1280 px; at 400 px the
// headers may reflow but minimizing never opens another box. Titles name
// the contact and the application, and link to the application.
'use strict';
const t = require('./lib');
const { BASE, check, login, shot, shots } = t;

const PW = 'stay put password 1';
const AG = t.mobile();
const JAMES = t.mobile();
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Stay ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@stay.test`, name: 'Stan Stay', role: 'agent',
			password: PW, sms_permission: true, sms_number: AG }],
		leads: [
			{ key: 'l1', org: 'o', name: 'Carter purchase', assigned: ['ag'],
				contacts: [{ key: 'c1', role: 'borrower', name: 'James Carter', mobile: JAMES }] },
			{ key: 'l2', org: 'o', name: 'Carter HELOC', assigned: ['ag'],
				contacts: [{ key: 'c2', role: 'borrower', name: 'James Carter', mobile: JAMES }] },
			{ key: 'l3', org: 'o', name: 'Ortiz refinance', assigned: ['ag'],
				contacts: [{ key: 'c3', role: 'borrower', name: 'Ana Ortiz', mobile: t.mobile() }] },
		],
	});
} catch (e) {
	t.report('the stay-put test data imports', false, String(e));
	process.exit(1);
}
const L = [1, 2, 3].map((i) => ids.leads[`l${i}`]);
const all = L.map((id) => `chat=${id}`).join('&');

// each box's state and place
async function boxes(page) {
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.chatbox')].map((b) => {
		const r = b.getBoundingClientRect();
		const state = b.classList.contains('minimized') ? 'minimized' : b.classList.contains('stacked') ? 'stacked' : 'open';
		return [b.id, { state, x: Math.round(r.left), w: Math.round(r.width) }];
	})));
}

// the boxes other than `id` are as they were
function same(before, after, id) {
	const bad = Object.keys(before).filter((k) => k !== id && after[k] &&
		(after[k].state !== before[k].state || Math.abs(after[k].x - before[k].x) > 1));
	if (bad.length)
		throw new Error(JSON.stringify({ before, after }));
}

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@stay.test`, PW);
	await page.goto(`${BASE}/leads?${all}`);

	await check('two loans of one borrower: titles name contact and application', async () => {
		const a = (await page.locator(`#chat-${L[0]} .chat-title`).textContent()).trim();
		const b = (await page.locator(`#chat-${L[1]} .chat-title`).textContent()).trim();
		if (a !== 'James Carter · Carter purchase' || b !== 'James Carter · Carter HELOC')
			throw new Error(`${a} | ${b}`);
	});
	await check('the title links to its application', async () =>
		new URL(await page.locator(`#chat-${L[1]} .chat-title`).getAttribute('href'), BASE).pathname === `/leads/${L[1]}`);

	const start = await boxes(page);
	await check('1280 px: minimizing one box leaves the others as they were', async () => {
		await page.click(`#chat-${L[1]} .chat-minimize`);
		await page.waitForSelector(`#chat-${L[1]}.minimized`);
		same(start, await boxes(page), `chat-${L[1]}`);
	});
	await shots(page, 'chatbox-one-minimized');
	await check('1280 px: maximizing it again leaves the others, and it comes back to its place', async () => {
		await page.click(`#chat-${L[1]} .chat-maximize`);
		await page.waitForSelector(`#chat-${L[1]}:not(.minimized) .chat-body`);
		const now = await boxes(page);
		same(start, now, `chat-${L[1]}`);
		if (Math.abs(now[`chat-${L[1]}`].x - start[`chat-${L[1]}`].x) > 1)
			throw new Error(JSON.stringify({ start, now }));
	});
	await check('1280 px: minimizing the newest opens no other box', async () => {
		await page.click(`#chat-${L[2]} .chat-minimize`);
		await page.waitForSelector(`#chat-${L[2]}.minimized`);
		same(start, await boxes(page), `chat-${L[2]}`);
	});
	await check('1280 px: closing one box leaves the others as they were', async () => {
		const before = await boxes(page);
		await page.click(`#chat-${L[2]} .chat-close`);
		await page.waitForSelector(`#chat-${L[2]}`, { state: 'detached' });
		same(before, await boxes(page), `chat-${L[2]}`);
	});
	// the oldest box (the rightmost) and the middle one: their slots stay
	// empty, the others do not move; a box opened later takes the first
	// empty slot, from the right
	await page.goto(`${BASE}/leads?${all}`);
	await check('1280 px: three boxes open side by side, the oldest on the right', async () => {
		const b = await boxes(page);
		const x = L.map((id) => b[`chat-${id}`] && b[`chat-${id}`].x);
		if (L.some((id) => !b[`chat-${id}`] || b[`chat-${id}`].state !== 'open') || !(x[0] > x[1] && x[1] > x[2]))
			throw new Error(JSON.stringify(b));
	});
	await shots(page, 'chatbox-three-boxes');
	await check('1280 px: closing the oldest (rightmost) box leaves the others as they were', async () => {
		const before = await boxes(page);
		await page.click(`#chat-${L[0]} .chat-close`);
		await page.waitForSelector(`#chat-${L[0]}`, { state: 'detached' });
		const after = await boxes(page);
		if (Object.keys(after).length !== 2)
			throw new Error(JSON.stringify(after));
		same(before, after, `chat-${L[0]}`);
	});
	await shots(page, 'chatbox-oldest-closed');
	await check('1280 px: a reload keeps the boxes where they were', async () => {
		const before = await boxes(page);
		await page.reload();
		same(before, await boxes(page), '');
	});
	await check('1280 px: closing the middle box leaves the newest where it was', async () => {
		const before = await boxes(page);
		await page.click(`#chat-${L[1]} .chat-close`);
		await page.waitForSelector(`#chat-${L[1]}`, { state: 'detached' });
		const after = await boxes(page);
		if (Object.keys(after).length !== 1)
			throw new Error(JSON.stringify(after));
		same(before, after, `chat-${L[1]}`);
	});
	await check('1280 px: a box opened again takes the rightmost empty slot, the other stays', async () => {
		const before = await boxes(page);
		await page.goto(`${BASE}/leads?chat=${L[2]}&chat=${L[0]}`);
		const after = await boxes(page);
		same(before, after, `chat-${L[0]}`);
		if (!after[`chat-${L[0]}`] || after[`chat-${L[0]}`].x <= after[`chat-${L[2]}`].x ||
				after[`chat-${L[0]}`].x + after[`chat-${L[0]}`].w < 1280 - 40)
			throw new Error(JSON.stringify(after));
	});
	await shots(page, 'chatbox-reopened-in-the-empty-slot');

	await page.setViewportSize({ width: 400, height: 800 });
	await page.goto(`${BASE}/leads?${all}`);
	await check('400 px: minimizing the open box reopens no other', async () => {
		const before = await boxes(page);
		const open = Object.keys(before).filter((k) => before[k].state === 'open');
		if (open.length !== 1)
			throw new Error(JSON.stringify(before));
		await page.click(`#${open[0]} .chat-minimize`);
		await page.waitForSelector(`#${open[0]}.minimized`);
		const after = await boxes(page);
		const reopened = Object.keys(after).filter((k) => after[k].state === 'open');
		if (reopened.length)
			throw new Error(JSON.stringify({ before, after }));
	});
	await shot(page, 'chatbox-stay-minimized-400');
	await ctx.close();
}

t.run('the stay-put walk finishes', walk);
