// Helpers for the browser tests: Debian's chromium driven by playwright-core
// against the stack tools/test.sh started (BASE, SMSDESK_CONF, STACK_DIR,
// REPO). Each check prints "ok - browser: NAME" or "not ok - browser: NAME"
// like the other suites; a missing browser fails, it never skips.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { default: AxeBuilder } = require('@axe-core/playwright');
const twilio = require('twilio');

const REPO = process.env.REPO || path.resolve(__dirname, '../..');
const BASE = process.env.BASE;
const CONF = process.env.SMSDESK_CONF;
const OUT = process.env.STACK_DIR || '/tmp';
let failures = 0;

function report(name, pass, detail) {
	console.log(`${pass ? 'ok' : 'not ok'} - browser: ${name}`);
	if (!pass) {
		failures++;
		if (detail)
			console.error(`  ${name}: ${detail}`);
	}
}

async function check(name, fn) {
	try {
		const r = await fn();
		report(name, r !== false, r === false ? 'false' : '');
	} catch (e) {
		report(name, false, e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e));
	}
}

function conf(key) {
	const m = fs.readFileSync(CONF, 'utf8').match(new RegExp('^' + key.replace('.', '\\.') + '\\s*=\\s*(.*)$', 'm'));
	return m ? m[1].trim() : '';
}

const UNIQ = String(Date.now()).slice(-7) + String(Math.floor(Math.random() * 100));
function nanp7() {
	return String(2 + Math.floor(Math.random() * 8)) + String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
}
function mobile() { return '+1512' + nanp7(); }

// Imports the data (smsdeskctl import) and returns its key -> id map.
function importData(data) {
	const file = path.join(OUT, `browser-data-${UNIQ}.json`);
	fs.writeFileSync(file, JSON.stringify(data));
	const out = execFileSync(path.join(REPO, 'cgi-bin/smsdeskctl'), ['import', file],
		{ env: { ...process.env, SMSDESK_CONF: CONF } });
	return JSON.parse(out.toString());
}

// SQL as root on the stack's database (tools/stack.sh's client).
function sql(statement) {
	return execFileSync('bash', ['-c', `. "${REPO}/tools/stack.sh"; stack_sql "$STACK_DIR" "$1"`, 'sql', statement],
		{ env: process.env }).toString().trim();
}

let sidN = 0;
// A signed inbound text, as the carrier would post it.
async function inbound(from, to, body) {
	const url = `${BASE}/webhooks/twilio/sms`;
	const sid = 'SM' + require('node:crypto').createHash('sha256').update(`${UNIQ}-${++sidN}-browser`).digest('hex').slice(0, 32);
	const params = { MessageSid: sid, SmsMessageSid: sid, AccountSid: conf('carrier.account_sid'), From: from, To: to,
		Body: body, SmsStatus: 'received', ApiVersion: '2010-04-01', NumMedia: '0' };
	const sig = twilio.getExpectedTwilioSignature(conf('carrier.auth_token'), url, params);
	const res = await fetch(url, { method: 'POST', headers: { 'X-Twilio-Signature': sig,
		'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
	if (res.status !== 200)
		throw new Error(`inbound answered ${res.status}`);
}

async function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--no-first-run'],
	});
}

async function login(page, email, password) {
	await page.goto(`${BASE}/login`);
	await page.fill('input[name="email"]', email);
	await page.fill('input[name="password"]', password);
	await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
}

// No serious or critical accessibility violation on the page as it is.
async function axe(page, name) {
	await check(`${name}: no serious or critical accessibility violation (axe)`, async () => {
		const r = await new AxeBuilder({ page }).analyze();
		const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		if (bad.length)
			throw new Error(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`).join('; '));
	});
}

// Screenshots are kept after the run (make test removes STACK_DIR): in
// SCREENSHOT_DIR, by default build/screenshots of the repository.
const SHOTS = process.env.SCREENSHOT_DIR || path.join(REPO, 'build', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

async function shot(page, name) {
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

// The page as it is at 1280 and at 400 px (NAME-1280.png, NAME-400.png),
// then back at the window's width, laid out again (smsdesk.js redraws the
// dock 100 ms after a resize).
async function settled(page) {
	await page.waitForTimeout(200);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
async function shots(page, name) {
	const was = page.viewportSize();
	for (const width of [1280, 400]) {
		await page.setViewportSize({ width, height: was ? was.height : 800 });
		await settled(page);
		await shot(page, `${name}-${width}`);
	}
	if (was) {
		await page.setViewportSize(was);
		await settled(page);
	}
}

// Every chatbox header lies wholly inside the window, under the top bar.
async function headersVisible(page) {
	return page.evaluate(() => {
		const bar = document.querySelector('header.top').getBoundingClientRect().bottom;
		const heads = [...document.querySelectorAll('.chatbox .chat-head')];
		const bad = heads.filter((h) => {
			const r = h.getBoundingClientRect();
			const x = Math.min(Math.max(r.left + 5, 0), innerWidth - 1), y = r.top + r.height / 2;
			const top = document.elementFromPoint(x, y);
			return r.top < bar || r.bottom > innerHeight + 0.5 || r.left < -0.5 || r.right > innerWidth + 0.5 ||
				r.width < 60 || !top || !h.contains(top);
		});
		return { count: heads.length, bad: bad.map((h) => h.textContent.trim().slice(0, 30)) };
	});
}

function done() {
	process.exitCode = failures ? 1 : 0;
}

// Starts Chromium, runs each walk (an async function of the browser) in
// turn, reports a walk that throws as a failure named `what`, and ends
// the run: each test file's whole main.
async function run(what, ...walks) {
	let browser;
	try {
		browser = await launch();
	} catch (e) {
		report('chromium starts (/usr/bin/chromium)', false, String(e));
		done();
		return;
	}
	try {
		for (const walk of walks)
			await walk(browser);
	} catch (e) {
		report(what, false, e && e.stack);
	}
	await browser.close();
	done();
}

module.exports = { BASE, REPO, OUT, SHOTS, UNIQ, conf, check, report, importData, sql, inbound, launch, login, axe, shot,
	shots,
	headersVisible, mobile, done, run };
