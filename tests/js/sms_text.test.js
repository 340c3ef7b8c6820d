// static/sms_text.js against tests/sms_vectors.json (the vectors the C unit
// test reads too), plus what JSON cannot carry (lone surrogates) and a run in
// a browser-like context.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const REPO = path.join(__dirname, '..', '..');
const SOURCE = path.join(REPO, 'static', 'sms_text.js');
const SmsText = require(SOURCE);
const vectors = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'sms_vectors.json'), 'utf8')).vectors;

function textOf(v) {
	if (typeof v.text === 'string')
		return v.text;
	return v.parts.map(([s, n]) => s.repeat(n)).join('');
}

// Runs check(v) on every vector; fails once, naming every vector that failed.
function everyVector(check) {
	const failures = [];
	for (const v of vectors) {
		const problem = check(v, textOf(v));
		if (problem)
			failures.push(`${v.name}: ${problem}`);
	}
	assert.deepEqual(failures, [], failures.join('\n'));
}

test('the vectors file has vectors with unique names', () => {
	assert.ok(vectors.length > 50);
	assert.equal(new Set(vectors.map((v) => v.name)).size, vectors.length);
});

test('count matches every vector', () => {
	everyVector((v, text) => {
		const got = SmsText.count(text);
		const want = { encoding: v.encoding, special: v.special, length: v.length, billed: v.billed };
		const g = JSON.stringify(got), w = JSON.stringify(want);
		return g === w ? null : `got ${g}, want ${w}`;
	});
});

for (const level of ['standard', 'advanced']) {
	test(`check matches every vector on the ${level} level`, () => {
		everyVector((v, text) => {
			const got = SmsText.check(text, level === 'advanced');
			return got === v[level] ? null : `got ${got}, want ${v[level]}`;
		});
	});
}

test('message matches every vector that gives one', () => {
	let n = 0;
	everyVector((v, text) => {
		const problems = [];
		for (const level of Object.keys(v.messages || {})) {
			n++;
			const adv = level === 'advanced';
			const got = SmsText.message(SmsText.check(text, adv), adv, SmsText.count(text));
			if (got !== v.messages[level])
				problems.push(`${level}: got "${got}", want "${v.messages[level]}"`);
		}
		return problems.length ? problems.join('; ') : null;
	});
	assert.ok(n >= 10);
});

test('refusal matches every vector that gives one', () => {
	let n = 0;
	everyVector((v, text) => {
		const problems = [];
		for (const level of Object.keys(v.refusals || {})) {
			n++;
			const got = SmsText.refusal(text, level === 'advanced');
			if (got !== v.refusals[level])
				problems.push(`${level}: got "${got}", want "${v.refusals[level]}"`);
		}
		return problems.length ? problems.join('; ') : null;
	});
	assert.ok(n >= 10);
});

// Hand-written, independent of the code points in static/sms_text.js.
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

test('every table character, one at a time', () => {
	assert.equal([...BASIC].length, 127);
	assert.equal([...EXTENSION].length, 10);
	const failures = [];
	for (const [chars, length] of [[BASIC, 1], [EXTENSION, 2]]) {
		for (const c of chars) {
			const got = SmsText.count(c);
			if (got.encoding !== 'gsm7' || got.special || got.length !== length || got.billed !== 1)
				failures.push(`U+${c.codePointAt(0).toString(16)}: ${JSON.stringify(got)}`);
		}
	}
	assert.deepEqual(failures, []);
});

test('every other BMP character is special', () => {
	const table = new Set([...BASIC, ...EXTENSION]);
	const failures = [];
	for (let cp = 0; cp <= 0xffff; cp++) {
		const c = String.fromCharCode(cp);
		if (table.has(c))
			continue;
		const got = SmsText.count(c);
		if (got.encoding !== 'ucs2' || !got.special || got.length !== 1 || got.billed !== 1)
			failures.push(`U+${cp.toString(16)}: ${JSON.stringify(got)}`);
	}
	assert.deepEqual(failures.slice(0, 20), []);
});

test('lone surrogates count as one special unit and are bad text', () => {
	for (const text of ['\ud800', '\udfff', 'a\ud83d', '\ude00b', '\ude00\ud83d']) {
		const c = SmsText.count(text);
		assert.equal(c.encoding, 'ucs2', JSON.stringify(text));
		assert.equal(c.length, text.length, JSON.stringify(text));
		assert.equal(SmsText.check(text, false), 'bad_text', JSON.stringify(text));
		assert.equal(SmsText.check(text, true), 'bad_text', JSON.stringify(text));
	}
	assert.equal(SmsText.count('\ud83d\ude00').length, 2);
});

test('null and undefined count as empty text', () => {
	for (const text of [null, undefined]) {
		assert.deepEqual(SmsText.count(text), { encoding: 'gsm7', special: false, length: 0, billed: 0 });
		assert.equal(SmsText.check(text, true), 'empty');
	}
});

test('limits', () => {
	assert.equal(SmsText.limit(false), 160);
	assert.equal(SmsText.limit(true), 640);
	assert.equal(SmsText.STANDARD_MAX, 160);
	assert.equal(SmsText.ADVANCED_MAX, 640);
});

test('fixed messages for every verdict', () => {
	for (const adv of [false, true]) {
		for (const v of ['ok', 'empty', 'too_long', 'special_refused', 'bad_text'])
			assert.match(SmsText.message(v, adv), /^This message .+\.$/);
	}
	assert.equal(SmsText.message('too_long', false),
		'This message is too long: at most 160 characters on the standard SMS level.');
	assert.equal(SmsText.message('too_long', true), 'This message is too long: at most 640 characters.');
});

test('runs as a classic browser script: defines window.SmsText, no modules', () => {
	const source = fs.readFileSync(SOURCE, 'utf8');
	assert.doesNotMatch(source, /^\s*(import|export)\b/m);
	assert.doesNotMatch(source, /\brequire\s*\(/);
	const window = {};
	const context = vm.createContext({ window });
	vm.runInContext(source, context, { filename: 'sms_text.js' });
	assert.equal(typeof window.SmsText.count, 'function');
	assert.equal(window.SmsText.check('Hello', false), 'ok');
	assert.equal(window.SmsText.count('{😀').length, 3);
});

// ---- look-alike characters (the same vectors as tests/unit/test_sms_text.c)

const doc = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'sms_vectors.json'), 'utf8'));

function partsOr(v, textField, partsField) {
	if (typeof v[textField] === 'string')
		return v[textField];
	return v[partsField].map(([s, n]) => s.repeat(n)).join('');
}

test('the look-alike vectors have unique names', () => {
	assert.ok(doc.lookalikes.length > 25);
	assert.equal(new Set(doc.lookalikes.map((v) => v.name)).size, doc.lookalikes.length);
});

test('lookalikes matches every look-alike vector on both levels', () => {
	const failures = [];
	for (const v of doc.lookalikes) {
		const text = partsOr(v, 'text', 'parts'), want = partsOr(v, 'replaced', 'replaced_parts');
		for (const level of ['standard', 'advanced']) {
			const r = SmsText.lookalikes(text, level === 'advanced');
			const got = { offer: r.offer, text: r.text, names: r.names, others: r.others };
			const exp = { offer: v[level], text: want, names: v.found, others: v.others };
			if (JSON.stringify(got) !== JSON.stringify(exp))
				failures.push(`${v.name} (${level}): got ${JSON.stringify(got)}, want ${JSON.stringify(exp)}`);
			if (JSON.stringify(r.before) !== JSON.stringify(SmsText.count(text)) ||
			    JSON.stringify(r.after) !== JSON.stringify(SmsText.count(want)))
				failures.push(`${v.name} (${level}): the counts before and after`);
		}
		if (SmsText.replaceLookalikes(text) !== want)
			failures.push(`${v.name}: replaceLookalikes`);
	}
	assert.deepEqual(failures, [], failures.join('\n'));
});

test('every BMP character is replaced exactly as the table says', () => {
	const table = doc.lookalike_table;
	assert.equal(Object.keys(table).length, 42);
	const failures = [];
	for (let cp = 0; cp <= 0xffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		const c = String.fromCharCode(cp);
		const want = Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
		if (SmsText.replaceLookalikes(c) !== want)
			failures.push(`U+${cp.toString(16)}: ${JSON.stringify(SmsText.replaceLookalikes(c))}`);
	}
	assert.deepEqual(failures.slice(0, 20), []);
});

test('each look-alike is special and becomes GSM-7 no longer in UTF-8', () => {
	for (const [c, rep] of Object.entries(doc.lookalike_table)) {
		assert.ok(SmsText.count(c).special, `U+${c.codePointAt(0).toString(16)} is special`);
		assert.ok(!SmsText.count(rep).special, `${JSON.stringify(rep)} is GSM-7`);
		assert.ok(Buffer.byteLength(rep) <= Buffer.byteLength(c), `U+${c.codePointAt(0).toString(16)} grows`);
	}
});

test('look-alikes next to emoji and lone surrogates', () => {
	assert.equal(SmsText.replaceLookalikes('\u{1F600}\u2019\u{1F600}'), "\u{1F600}'\u{1F600}");
	const r = SmsText.lookalikes('\ud800\u2019', false);
	assert.equal(r.offer, 'none');
	assert.equal(r.text, "\ud800'");
	assert.equal(SmsText.replaceLookalikes(null), '');
});
