// slowloris.js HOST PORT COUNT SECONDS READY_FILE: opens COUNT connections,
// each sending an unfinished request header and one more header line every
// 2 s, for at most SECONDS. Writes READY_FILE once every socket is open, and
// prints one JSON line at the end: how many opened, how many the server
// closed, and the first and last close after opening (ms).
'use strict';
const net = require('net');
const fs = require('fs');
const [host, port, count, seconds, ready] = process.argv.slice(2);
const n = Number(count), start = Date.now();
let opened = 0, closed = 0, failed = 0, first = null, last = null;
const socks = [];
function open(i) {
	const s = net.connect({ host, port: Number(port) });
	s.on('connect', () => {
		s.openedAt = Date.now();
		s.write(`GET /healthz?slow=${i} HTTP/1.1\r\nHost: ${host}\r\n`);
		if (++opened === n) fs.writeFileSync(ready, String(opened));
	});
	s.on('error', () => {});
	s.on('close', () => {
		if (!s.openedAt) { failed++; return; }
		if (s.byUs) return;
		closed++;
		const after = Date.now() - s.openedAt;
		if (first === null) first = after;
		last = after;
	});
	socks.push(s);
}
for (let i = 0; i < n; i++) open(i);
const trickle = setInterval(() => {
	for (const s of socks) if (!s.destroyed && s.openedAt) s.write(`X-Slow: ${Date.now()}\r\n`);
}, 2000);
setTimeout(() => {
	clearInterval(trickle);
	for (const s of socks) { s.byUs = true; s.destroy(); }
	console.log(JSON.stringify({ opened, closed, failed, first, last }));
	process.exit(0);
}, Number(seconds) * 1000);
