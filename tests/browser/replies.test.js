// Saved replies in the chatbox, in a real browser at 1280 px and 400 px:
// with JavaScript, Use fills the box at once with the merged text (the
// counter follows, the note names a field left to fill); without it, Use
// reloads the page with the reply in the box, the open box and its
// selections kept. axe on both pages (with JavaScript: axe runs in it).
'use strict';
const t = require('./lib');
const { BASE, check, login, axe, shot } = t;

const PW = 'browser password replies';
const agentNumber = t.mobile();
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Replies ${t.UNIQ}`, sms_enabled: true }],
		users: [
			{ key: 'al', org: 'o', email: `replies.${t.UNIQ}@browser.test`, name: 'Rae Reply', role: 'agent',
				password: PW, sms_permission: true, sms_number: agentNumber }],
		leads: [
			{ key: 'l', org: 'o', name: 'Replies lead', assigned: ['al'],
				contacts: [{ key: 'c', role: 'borrower', name: 'Cora Curtis', mobile: t.mobile() }] }],
		consents: [{ agent: 'al', contact: 'c', status: 'granted' }],
	});
	const org = t.sql(`SELECT org_id FROM users WHERE id = ${ids.users.al}`);
	t.sql(`INSERT INTO saved_replies (org_id, user_id, name, body) VALUES
		(${org}, ${ids.users.al}, 'Greeting', 'Hi {first_name}, {agent_first_name} here about {application}.'),
		(${org}, NULL, 'NMLS', 'Hi {first_name}, my NMLS ID is {nmls_id}.')`);
} catch (e) {
	t.report('the saved replies test data imports', false, String(e));
	process.exit(1);
}
const L = ids.leads.l, C = ids.leads && ids.contacts.c;
const greeting = 'Hi Cora, Rae here about Replies lead.';

async function withScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `replies.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads/${L}?chat=${L}`);
	const box = page.locator(`#chat-body-${L}`);
	const select = page.locator(`#chat-reply-${L}`);
	const use = page.locator(`#chat-${L} .chat-replies button[type="submit"]`);
	const note = page.locator(`#chat-unfilled-${L}`);
	await check('with JavaScript: Use fills the box at once, merged, without leaving the page', async () => {
		const url = page.url();
		await select.selectOption({ label: 'Greeting' });
		await use.click();
		return (await box.inputValue()) === greeting && page.url() === url;
	});
	await check('with JavaScript: the counter follows the merged text', async () =>
		(await page.locator(`#chat-${L} .chars-left`).textContent()) === String(160 - greeting.length));
	await check('with JavaScript: a field with no value is left as a marker, with a note', async () => {
		await select.selectOption({ label: 'NMLS (organization)' });
		await use.click();
		return (await box.inputValue()) === 'Hi Cora, my NMLS ID is [NMLS ID].' &&
			(await note.textContent()).includes('Fill in the NMLS ID before sending') && await note.isVisible();
	});
	await axe(page, 'saved replies: the chatbox with a reply chosen (JavaScript)');
	await shot(page, 'replies-js-1280');
	await page.setViewportSize({ width: 400, height: 800 });
	await check('at 400 px the reply form fits the window', async () =>
		page.evaluate((id) => {
			const f = document.querySelector(`#chat-${id} .chat-replies`).getBoundingClientRect();
			return f.width > 0 && f.left >= -0.5 && f.right <= innerWidth + 0.5;
		}, L));
	await shot(page, 'replies-js-400');
	await page.setViewportSize({ width: 1280, height: 800 });
	const chosen = t.sql(`SELECT id FROM saved_replies WHERE user_id = ${ids.users.al} AND name = 'Greeting'`);
	await page.goto(`${BASE}/leads/${L}?chat=${L}&contact_${L}=${C}&agent_${L}=${ids.users.al}&reply_${L}=${chosen}`);
	await check('the page Use leads to without JavaScript has the reply in the box', async () =>
		(await box.inputValue()) === greeting);
	await axe(page, 'saved replies: the page Use leads to without JavaScript');
	await ctx.close();
}

async function withoutScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await login(page, `replies.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads/${L}?chat=${L}`);
	await check('without JavaScript: Use reloads with the merged reply in the box, the box kept', async () => {
		await page.locator(`#chat-reply-${L}`).selectOption({ label: 'Greeting' });
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L} .chat-replies button[type="submit"]`)]);
		const url = new URL(page.url());
		return (await page.locator(`#chat-body-${L}`).inputValue()) === greeting &&
			url.searchParams.get('chat') === String(L) && url.searchParams.get(`contact_${L}`) === String(C) &&
			url.searchParams.has(`reply_${L}`);
	});
	// (axe needs the page's JavaScript: the page as it came back is checked in withScript)
	await shot(page, 'replies-nojs-1280');
	await page.setViewportSize({ width: 400, height: 800 });
	await shot(page, 'replies-nojs-400');
	await page.setViewportSize({ width: 1280, height: 800 });
	await check('without JavaScript: the merged reply is sent as is', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L} .chat-send-row button.primary[type="submit"]`)]);
		await page.waitForSelector(`#chat-${L} .msg-out .msg-text:text-is('${greeting}')`);
		return true;
	});
	await ctx.close();
}

t.run('the saved replies walk finishes', withScript, withoutScript);
