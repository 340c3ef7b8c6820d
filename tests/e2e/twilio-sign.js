// Prints the X-Twilio-Signature for a request, computed by the twilio npm
// package (an implementation independent of smsdesk's and the fake
// carrier's): node twilio-sign.js TOKEN URL name=value...
'use strict';
const twilio = require('twilio');
const [token, url, ...pairs] = process.argv.slice(2);
const params = {};
for (const p of pairs) {
	const i = p.indexOf('=');
	params[p.slice(0, i)] = p.slice(i + 1);
}
process.stdout.write(twilio.getExpectedTwilioSignature(token, url, params));
