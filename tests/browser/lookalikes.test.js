// Look-alike characters and link shorteners in the chatbox, in a real
// browser: with JavaScript the offer appears as one types and Replace them
// replaces in the box; without it, Send comes back with the offer and
// Replace them and send sends the replaced text. At 1280 px and 400 px.
'use strict';
const t = require('./lib');
const { BASE, check, login, axe, shot, shots } = t;

const PW = 'browser password 2';
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Lookalike ${t.UNIQ}`, sms_enabled: true },
			{ key: 'adv', name: `Lookalike adv ${t.UNIQ}`, sms_enabled: true, sms_level: 'advanced' }],
		users: [
			{ key: 'al', org: 'o', email: `look.${t.UNIQ}@browser.test`, name: 'Lou Look', role: 'agent', password: PW,
				sms_permission: true, sms_number: t.mobile() },
			{ key: 'ad', org: 'adv', email: `lookadv.${t.UNIQ}@browser.test`, name: 'Ada Look', role: 'agent',
				password: PW, sms_permission: true, sms_number: t.mobile() }],
		leads: [
			{ key: 'l', org: 'o', name: 'Lookalike lead', assigned: ['al'],
				contacts: [{ key: 'c', role: 'borrower', name: 'Cora Curly', mobile: t.mobile() }] },
			{ key: 'la', org: 'adv', name: 'Lookalike adv lead', assigned: ['ad'],
				contacts: [{ key: 'ca', role: 'borrower', name: 'Ava Advanced', mobile: t.mobile() }] }],
		consents: [{ agent: 'al', contact: 'c', status: 'granted' }, { agent: 'ad', contact: 'ca', status: 'granted' }],
	});
} catch (e) {
	t.report('the look-alike test data imports', false, String(e));
	process.exit(1);
}
const L = ids.leads.l, LA = ids.leads.la;

async function withScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `look.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads/${L}?chat=${L}`);
	const box = page.locator(`#chat-body-${L}`);
	const offer = page.locator(`#chat-lookalikes-${L}`);
	const problem = page.locator(`#chat-${L} .chat-problem`);
	const send = page.locator(`#chat-${L} .chat-send button.primary[type="submit"]`);
	const left = page.locator(`#chat-${L} .chars-left`);

	await check('look-alikes: typing a curly quote shows the offer, before any round trip', async () => {
		const requests = [];
		// (the favicon may load late: static files are not round trips to smsdesk)
		page.on('request', (r) => { if (!new URL(r.url()).pathname.startsWith('/static/')) requests.push(r.url()); });
		await box.pressSequentially('Hi \u201cCora\u201d, see you at 3');
		const text = await offer.textContent();
		if (text !== 'This text has look-alike characters (\u201c \u201d) that the standard SMS level refuses:' +
			' Replace them \u2192 1 segment' || !(await offer.isVisible()) || requests.length !== 0)
			throw new Error(JSON.stringify({ text, requests }));
	});
	await check('look-alikes: Send stays disabled, the problem line leaves it to the offer', async () =>
		await send.isDisabled() && (await problem.textContent()) === '');
	await check('look-alikes: a longer text shows the segments before and after', async () => {
		await box.pressSequentially(' ' + 'x'.repeat(60) + ' \u2014 ok\u2026');
		return (await offer.locator('.chat-lookalikes-count').textContent()) === ' \u2192 1 segment instead of 2' &&
			(await left.textContent()) === String(160 - 90);
	});
	await axe(page, 'look-alikes: the chatbox with the offer');
	await shot(page, 'lookalikes-offer-1280');
	await page.setViewportSize({ width: 400, height: 800 });
	await check('look-alikes at 400 px: the offer and its button fit the box', async () =>
		page.evaluate((id) => {
			const o = document.getElementById(`chat-lookalikes-${id}`).getBoundingClientRect();
			const b = document.querySelector(`#chat-lookalikes-${id} button`).getBoundingClientRect();
			return o.right <= innerWidth + 0.5 && o.left >= -0.5 && b.right <= o.right + 0.5 && b.width > 40;
		}, L));
	await shot(page, 'lookalikes-offer-400');
	await page.setViewportSize({ width: 1280, height: 800 });

	await check('Replace them: the text replaced in the box, the cursor where it was', async () => {
		await box.fill('\u201cHi\u201d \u2014 rate\u2019s locked\u2026 call me');
		await box.dispatchEvent('input');
		// the cursor after "locked…"
		await box.evaluate((e) => { const at = e.value.indexOf(' call'); e.setSelectionRange(at, at); });
		await offer.locator('button').click();
		const value = await box.inputValue();
		const caret = await box.evaluate((e) => [e.selectionStart, e.selectionEnd, document.activeElement === e]);
		const at = value.indexOf(' call');
		if (value !== '"Hi" - rate\'s locked... call me' || caret[0] !== at || caret[1] !== at || !caret[2])
			throw new Error(JSON.stringify({ value, caret, at }));
	});
	await check('Replace them: the counter follows, the offer goes, Send is enabled', async () =>
		(await left.textContent()) === String(160 - 31) && (await offer.textContent()) === '' &&
		!(await send.isDisabled()));
	await shots(page, 'chatbox-lookalikes-replaced');

	await check('other special characters: said, nothing offered', async () => {
		await box.fill('\u201cGreat\u201d \u{1F600}');
		await box.dispatchEvent('input');
		return (await offer.textContent()) === 'This text has look-alike characters (\u201c \u201d), but replacing them would' +
			' not be enough: other special characters remain (\u{1F600}).' &&
			(await offer.locator('button').count()) === 0 &&
			(await problem.textContent()) === "\u{1F600} can't be sent on your plan's standard texts. Remove it";
	});

	await check('a link shortener is warned about as they type', async () => {
		await box.fill('Apply at https://bit.ly/3abc');
		await box.dispatchEvent('input');
		return (await problem.textContent()) === 'This text links through bit.ly, a public link shortener that' +
			' carriers often block: use the full address.' && !(await send.isDisabled());
	});
	await shots(page, 'chatbox-shortener-warning');
	await check('an ordinary link is not', async () => {
		await box.fill('Apply at https://www.example.com/loan or notbit.ly.example.com');
		await box.dispatchEvent('input');
		return (await problem.textContent()) === '';
	});
	await check('Send with a shortener: the server asks for Send anyway, which sends it', async () => {
		await box.fill(`Form at bit.ly/f${t.UNIQ}`);
		await box.dispatchEvent('input');
		await Promise.all([page.waitForNavigation(), send.click()]);
		await page.waitForSelector(`#chat-${L} button[name="send_anyway"]`);
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L} button[name="send_anyway"]`)]);
		await page.waitForSelector(`#chat-${L} .msg-out .msg-text:text-is("Form at bit.ly/f${t.UNIQ}")`);
		return (await page.locator(`#chat-${L} .msg-out .msg-sensitive`).last().textContent())
			.includes('a link through bit.ly');
	});
	await box.fill('');
	await box.dispatchEvent('input');
	await ctx.close();

	// the advanced level: offered only when it bills fewer
	const adv = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const ap = await adv.newPage();
	await login(ap, `lookadv.${t.UNIQ}@browser.test`, PW);
	await ap.goto(`${BASE}/leads/${LA}?chat=${LA}`);
	const abox = ap.locator(`#chat-body-${LA}`), aoffer = ap.locator(`#chat-lookalikes-${LA}`);
	await check('advanced: one segment either way, no offer', async () => {
		await abox.pressSequentially('It\u2019s fine');
		return (await aoffer.textContent()) === '';
	});
	await check('advanced: 2 segments instead of 1, offered', async () => {
		await abox.pressSequentially(' ' + 'y'.repeat(70));
		return (await aoffer.textContent()) === 'This text has look-alike characters (\u2019) that make it cost' +
			' 70-character segments: Replace them \u2192 1 segment instead of 2';
	});
	await adv.close();
}

async function withoutScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await login(page, `look.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/leads/${L}?chat=${L}`);
	const typed = `\u201cNo script\u201d \u2014 ${t.UNIQ}\u2026`;
	const replaced = `"No script" - ${t.UNIQ}...`;
	await check('without JavaScript: Send comes back with the offer', async () => {
		await page.fill(`#chat-body-${L}`, typed);
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L} .chat-send-row button[type="submit"]`)]);
		return (await page.locator(`#chat-${L} .chat-lookalikes-text`).textContent()) === replaced &&
			(await page.locator(`#chat-body-${L}`).inputValue()) === typed;
	});
	await shot(page, 'lookalikes-nojs-1280');
	await page.setViewportSize({ width: 400, height: 800 });
	await shot(page, 'lookalikes-nojs-400');
	await page.setViewportSize({ width: 1280, height: 800 });
	await check('without JavaScript: Replace them and send sends the replaced text', async () => {
		await Promise.all([page.waitForNavigation(), page.click(`#chat-${L} button[name="replace_lookalikes"]`)]);
		await page.waitForSelector(`#chat-${L} .msg-out .msg-text:text-is('${replaced}')`);
		return (await page.locator(`#chat-${L} .chat-lookalikes`).textContent()).trim() === '';
	});
	await ctx.close();
}

t.run('the look-alike walk finishes', withScript, withoutScript);
