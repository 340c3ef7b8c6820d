// A stream of signed inbound webhooks, as the carrier posts them, until a
// stop file appears: node chaos-inbound.js TOKEN URL ACCOUNT FROM TO PREFIX
// CONCURRENCY STOPFILE (about 20 a second from each of CONCURRENCY
// connections). With a ninth argument, a file of MessageSids, it sends
// those once each instead, as the carrier's retries (body "retried").
// Prints one line per webhook: "SID STATUS", STATUS
// 000 when the connection dropped or no answer came within 10 s. Signed by
// the twilio npm package (as tests/e2e/twilio-sign.js).
'use strict';
const fs = require('fs');
const http = require('http');
const twilio = require('twilio');
const [token, url, account, from, to, prefix, conc, stopFile, retryFile] = process.argv.slice(2);
const crypto = require('crypto');
let n = 0;

function post(params) {
	return new Promise((resolve) => {
		const body = new URLSearchParams(params).toString();
		const sig = twilio.getExpectedTwilioSignature(token, url, params);
		const req = http.request(url, {
			method: 'POST', agent: false, timeout: 10000,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded',
				'Content-Length': Buffer.byteLength(body), 'X-Twilio-Signature': sig },
		}, (res) => { res.resume(); res.on('end', () => resolve(String(res.statusCode))); res.on('error', () => resolve('000')); });
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve('000'));
		req.end(body);
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fields = (sid, body) => ({ MessageSid: sid, SmsMessageSid: sid, AccountSid: account, From: from,
	To: to, Body: body, SmsStatus: 'received', ApiVersion: '2010-04-01', NumMedia: '0' });
const retries = retryFile ? fs.readFileSync(retryFile, 'utf8').split('\n').filter(Boolean) : null;

async function retrier() {
	while (retries.length) {
		const sid = retries.shift();
		process.stdout.write(`${sid} ${await post(fields(sid, 'retried'))}\n`);
	}
}

async function worker() {
	while (!fs.existsSync(stopFile)) {
		const i = ++n;
		const sid = 'SM' + crypto.createHash('sha256').update(prefix + ' ' + i).digest('hex').slice(0, 32);
		const status = await post(fields(sid, `${prefix} chaos ${i}`));
		process.stdout.write(`${sid} ${status}\n`);
		await sleep(50);
	}
}
Promise.all(Array.from({ length: Number(conc) }, retries ? retrier : worker));
