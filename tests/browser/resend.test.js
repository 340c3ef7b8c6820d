// The double resend, walked in a browser: a text fails at the (fake)
// carrier, the agent presses Resend in the chatbox; the failed bubble then
// says "Resent" with a link to the new text and offers no Resend; the old
// Resend form posted again with a fresh one-time token is refused with a
// plain sentence, and the carrier received exactly one resend. Once after
// the resend is delivered, once while it still waits in the outbox (the
// carrier answers 503 for a while). Counted at the fake carrier.
'use strict';
const t = require('./lib');
const { BASE, check, login, shots } = t;

const PW = 'double resend password 1';
const AG = t.mobile();
const BORROWER = t.mobile();
const CARRIER = t.conf('carrier.base_url');
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Resend ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@resend.test`, name: 'Rosa Resend', role: 'agent',
			password: PW, sms_permission: true, sms_number: AG }],
		leads: [{ key: 'l', org: 'o', name: 'Resend lead', assigned: ['ag'],
			contacts: [{ key: 'c', role: 'borrower', name: 'Ray Borrower', mobile: BORROWER }] }],
		consents: [{ agent: 'ag', contact: 'c', status: 'granted' }],
	});
} catch (e) {
	t.report('the double-resend test data imports', false, String(e));
	process.exit(1);
}
const LEAD = ids.leads.l;
const CHAT = `${BASE}/leads/${LEAD}?chat=${LEAD}`;
const REFUSED = 'This text was resent already; a failed text is resent once. Nothing was sent.';

async function control(path, fields) {
	const res = await fetch(`${CARRIER}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
	if (res.status !== 200)
		throw new Error(`${path} answered ${res.status}`);
}
// the texts with this body the carrier was asked to create
async function atCarrier(body) {
	const all = await (await fetch(`${CARRIER}/_fake/messages`)).json();
	return all.filter((m) => m.body === body).length;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitSql(query, want, seconds) {
	for (let i = 0; i < seconds * 5; i++) {
		if (t.sql(query) === want)
			return true;
		await sleep(200);
	}
	throw new Error(`${query}: not ${want} after ${seconds} s (${t.sql(query)})`);
}
const idOf = (body) => t.sql(`SELECT id FROM messages WHERE body = '${body}' ORDER BY id LIMIT 1`);
const copies = (body) => t.sql(`SELECT COUNT(*) FROM messages WHERE body = '${body}'`);

// types and sends a text in the chatbox, which the carrier then fails
async function failedText(page, body) {
	await control('/_fake/callbacks', { mode: 'fail_at_sent', delay_ms: '0' });
	try {
		await page.goto(CHAT);
		await page.fill(`#chat-body-${LEAD}`, body);
		await Promise.all([page.waitForNavigation(),
			page.click(`#chat-${LEAD} .chat-send button.primary[type="submit"]`)]);
		await waitSql(`SELECT status FROM messages WHERE body = '${body}'`, 'undelivered', 15);
	} finally {
		await control('/_fake/callbacks', { mode: 'normal', delay_ms: '0' });
	}
	return idOf(body);
}

// Presses Resend, then posts the same form again with a fresh token (as a
// second press from a page opened before would). `queued`: the carrier
// refuses the resend for a while, so the replay comes while it waits.
async function doubleResend(page, name, body, queued) {
	const failed = await failedText(page, body);
	await page.goto(CHAT);
	const bubble = page.locator(`#msg-${failed}`);
	await check(`${name}: the failed bubble offers Resend`, async () =>
		(await bubble.locator('.msg-resend button').textContent()).trim() === 'Resend');
	const form = await bubble.locator('form.msg-resend').evaluate((f) => f.outerHTML);
	if (queued)
		await control('/_fake/fail', { count: '8', mode: '503' });
	await Promise.all([page.waitForNavigation(), bubble.locator('.msg-resend button').click()]);
	const resent = t.sql(`SELECT MAX(id) FROM messages WHERE body = '${body}'`);
	if (queued) {  /* first, while the carrier still refuses it */
		await check(`${name}: the resend waits in the outbox`, async () =>
			t.sql(`SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.id = ${resent}`) === '1');
	}
	await check(`${name}: the failed bubble says Resent, linking the new text`, async () => {
		const link = bubble.locator('a.msg-resent');
		return resent !== failed && (await link.textContent()).trim() === 'Resent' &&
			(await link.getAttribute('href')) === `#msg-${resent}` &&
			(await page.locator(`#msg-${resent}`).count()) === 1;
	});
	await check(`${name}: the failed bubble offers no Resend`, async () =>
		(await bubble.locator('.msg-resend').count()) === 0);
	await shots(page, `chatbox-resent-${queued ? 'queued' : 'delivered'}`);
	if (queued) {
		await check(`${name}: the replay below comes while the resend still waits`, async () =>
			t.sql(`SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.id = ${resent}`) === '1');
	} else {
		await check(`${name}: the resend is delivered`, async () =>
			waitSql(`SELECT status FROM messages WHERE id = ${resent}`, 'delivered', 15));
	}
	// the old form again, with a fresh one-time token
	await page.evaluate((html) => {
		const holder = document.createElement('div');
		holder.innerHTML = html;
		const f = holder.firstElementChild;
		f.querySelector('input[name="once"]').value = [...crypto.getRandomValues(new Uint8Array(32))]
			.map((b) => b.toString(16).padStart(2, '0')).join('');
		f.id = 'replayed';
		document.body.appendChild(f);
	}, form);
	const [answer] = await Promise.all([page.waitForNavigation(), page.click('#replayed button')]);
	await check(`${name}: the old form with a fresh token is refused (409)`, async () => answer.status() === 409);
	await check(`${name}: with a plain sentence`, async () => {
		const text = await page.locator('main').innerText();
		if (!text.includes(REFUSED))
			throw new Error(text.slice(0, 300));
	});
	await shots(page, `resend-refused-${queued ? 'queued' : 'delivered'}`);
	await check(`${name}: the resend is delivered in the end`, async () =>
		waitSql(`SELECT status FROM messages WHERE id = ${resent}`, 'delivered', 20));
	await check(`${name}: the carrier received the text twice, the failed one and one resend`, async () => {
		const n = await atCarrier(body);
		if (n !== 2 || copies(body) !== '2')
			throw new Error(`${n} at the carrier, ${copies(body)} messages`);
	});
}

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@resend.test`, PW);
	try {
		await doubleResend(page, 'after the resend is delivered', `Your appraisal is Tuesday (${t.UNIQ})`, false);
		await doubleResend(page, 'while the resend is queued', `Please send the pay stubs (${t.UNIQ})`, true);
	} finally {
		await control('/_fake/fail', { count: '0' });
	}
	await ctx.close();
}

t.run('the double-resend walk completes', walk);
