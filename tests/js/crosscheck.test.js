// static/sms_text.js against Twilio's sms-segments-calculator (a dev
// dependency, installed by npm ci). Its segment counts differ by design
// (153/67 characters per part of a concatenated SMS, we bill 160/70), but
// its encoding must be ours, and so must the length: GSM-7 septets
// (messageSize / 7) or UTF-16 code units (messageSize / 16).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const SmsText = require('../../static/sms_text.js');

let SegmentedMessage = null;
try {
	({ SegmentedMessage } = require('sms-segments-calculator'));
} catch (e) {
	// reported by the first test below
}

const ENCODING = { 'GSM-7': 'gsm7', 'UCS-2': 'ucs2' };

function theirs(text) {
	const m = new SegmentedMessage(text);
	const encoding = ENCODING[m.encodingName];
	return { encoding, length: m.messageSize / (encoding === 'gsm7' ? 7 : 16) };
}

// Compares every text; fails once, listing the first disagreements.
function agreeOn(texts) {
	const failures = [];
	for (const text of texts) {
		const want = theirs(text);
		const got = SmsText.count(text);
		if (got.encoding !== want.encoding || got.length !== want.length)
			failures.push(`${JSON.stringify(text)}: ours ${got.encoding}/${got.length},` +
				` theirs ${want.encoding}/${want.length}`);
	}
	assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${texts.length} differ`);
}

test('sms-segments-calculator is installed (npm ci)', () => {
	assert.ok(SegmentedMessage, 'run npm ci at the repository root');
});

const skip = SegmentedMessage ? false : 'sms-segments-calculator is missing';

test('every BMP character alone: same encoding and length', { skip }, () => {
	const texts = [];
	for (let cp = 0; cp <= 0xffff; cp++) {
		if (cp < 0xd800 || cp > 0xdfff)
			texts.push(String.fromCharCode(cp));
	}
	agreeOn(texts);
});

test('astral characters (all emoji blocks, a sample of the rest)', { skip }, () => {
	const texts = [];
	for (let cp = 0x10000; cp <= 0x10ffff; cp++) {
		if ((cp >= 0x1f000 && cp <= 0x1faff) || cp % 257 === 0)
			texts.push(String.fromCodePoint(cp));
	}
	agreeOn(texts);
});

function corpusLines() {
	return fs.readFileSync(path.join(__dirname, 'corpus.txt'), 'utf8')
		.split('\n')
		.filter((line) => line !== '' && !line.startsWith('#'))
		.map((line) => line.replace(/\\n/g, '\n'));
}

test('the corpus of typical messages', { skip }, () => {
	const lines = corpusLines();
	assert.ok(lines.length > 100);
	const encodings = new Set(lines.map((l) => SmsText.count(l).encoding));
	assert.deepEqual([...encodings].sort(), ['gsm7', 'ucs2']);
	agreeOn(lines);
});

// Deterministic pseudo-random texts (mulberry32) from pools of characters.
function random(seed) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const POOLS = {
	basic: [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
		'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'],
	extension: [...'\f^{}\\[~]|€'],
	special: [...'áíóúâêçãõ`“”‘’…–—•°½ΑαβσЖ你\u00a0\u200b\u00ad\ufeff\u0301\t'],
	emoji: ['😀', '🎉', '👍', '👍🏽', '🏠', '🇺🇸', '👨‍👩‍👧', '1️⃣', '❤️', '☺'],
	words: ['Hi ', 'loan ', 'rate ', 'closing ', 'escrow ', 'APR ', '6.125% ', '$4,250 ', 'Thanks! ',
		'pre-approval ', 'W-2 ', '\r\n', '\n'],
};

function randomText(next, pools) {
	const n = Math.floor(next() * 200);
	let s = '';
	for (let i = 0; i < n; i++) {
		const pool = POOLS[pools[Math.floor(next() * pools.length)]];
		s += pool[Math.floor(next() * pool.length)];
	}
	return s;
}

test('generated texts: table characters only', { skip }, () => {
	const next = random(1);
	const texts = [];
	for (let i = 0; i < 300; i++)
		texts.push(randomText(next, ['basic', 'basic', 'extension', 'words']));
	assert.ok(texts.filter((t) => SmsText.count(t).encoding === 'gsm7').length === texts.length);
	agreeOn(texts);
});

test('generated texts: with special characters and emoji', { skip }, () => {
	const next = random(2);
	const texts = [];
	for (let i = 0; i < 300; i++)
		texts.push(randomText(next, ['basic', 'extension', 'words', 'words', 'special', 'emoji']));
	agreeOn(texts);
});
