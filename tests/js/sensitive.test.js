// static/sensitive.js against tests/sensitive_vectors.json (the vectors the
// C unit test tests/unit/test_sensitive.c reads too), plus what only the
// JavaScript has: astral characters counted as one, non-string input, and
// a run in a browser-like context.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const REPO = path.join(__dirname, '..', '..');
const SOURCE = path.join(REPO, 'static', 'sensitive.js');
const Sensitive = require(SOURCE);
const vectors = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'sensitive_vectors.json'), 'utf8')).vectors;

test('the sensitive vectors file has vectors with unique names', () => {
	assert.ok(vectors.length > 60);
	assert.equal(new Set(vectors.map((v) => v.name)).size, vectors.length);
});

test('find matches every sensitive vector', () => {
	const failures = [];
	for (const v of vectors) {
		const got = Sensitive.find(v.text);
		const want = { kind: v.kind, found: v.kind === 'none' ? '' : v.found };
		if (JSON.stringify(got) !== JSON.stringify(want))
			failures.push(`${v.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
	}
	assert.deepEqual(failures, [], failures.join('\n'));
});

test('an emoji counts as one character in the account reach, as in C', () => {
	const gap = '😀'.repeat(38);
	assert.equal(Sensitive.find(`021000021 ${gap} 123456789012`).kind, 'bank_account');
	assert.equal(Sensitive.find(`021000021 ${gap}😀 123456789012`).kind, 'none');
});

test('non-string input and the words for each kind', () => {
	assert.deepEqual(Sensitive.find(null), { kind: 'none', found: '' });
	assert.deepEqual(Sensitive.find(undefined), { kind: 'none', found: '' });
	assert.equal(Sensitive.find(4111111111111111).kind, 'card');
	assert.equal(Sensitive.words('ssn'), 'a Social Security number');
	assert.equal(Sensitive.words('card'), 'a card number');
	assert.equal(Sensitive.words('bank_account'), 'a bank routing and account number');
	assert.equal(Sensitive.words('bogus'), 'nothing sensitive');
});

test('sensitive.js defines window.Sensitive in a page', () => {
	const window = {};
	vm.runInNewContext(fs.readFileSync(SOURCE, 'utf8'), { window });
	assert.equal(window.Sensitive.find('536-22-4718').kind, 'ssn');
});
