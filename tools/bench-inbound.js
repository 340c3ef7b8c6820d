// node tools/bench-inbound.js TOKEN URL ACCOUNT TO FROM COUNT > FILE
// Writes COUNT signed inbound webhooks, one a line: "signature<TAB>body",
// each with its own MessageSid, for tools/bench-inbound.lua. The signature
// is Twilio's (HMAC-SHA1 over the URL and the sorted parameters), computed
// here with Node's crypto, independently of smsdesk's code.
'use strict';
const crypto = require('crypto');
// TO and FROM may be comma-separated lists of one length: the pairs take
// turns, one conversation each.
const [token, url, account, toList, fromList, count] = process.argv.slice(2);
const tos = toList.split(','), froms = fromList.split(',');
if (tos.length !== froms.length) throw new Error('TO and FROM lists differ in length');
const out = [];
for (let i = 0; i < +count; i++) {
	const sid = 'SM' + crypto.randomBytes(16).toString('hex');
	const to = tos[i % tos.length], from = froms[i % froms.length];
	const p = { MessageSid: sid, SmsMessageSid: sid, AccountSid: account, From: from, To: to,
		Body: `Bench reply ${i}: sounds good, thanks!`, NumMedia: '0', NumSegments: '1',
		SmsStatus: 'received', ApiVersion: '2010-04-01' };
	const keys = Object.keys(p).sort();
	const sig = crypto.createHmac('sha1', token)
		.update(url + keys.map(k => k + p[k]).join('')).digest('base64');
	const body = keys.map(k => encodeURIComponent(k) + '=' + encodeURIComponent(p[k])).join('&');
	out.push(sig + '\t' + body);
}
process.stdout.write(out.join('\n') + '\n');
