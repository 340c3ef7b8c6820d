// static/shortener.js against tests/shortener_vectors.json (the vectors the
// C unit test tests/unit/test_shortener.c reads too), and a run in a
// browser-like context.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const REPO = path.join(__dirname, '..', '..');
const SOURCE = path.join(REPO, 'static', 'shortener.js');
const Shortener = require(SOURCE);
const doc = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'shortener_vectors.json'), 'utf8'));
const vectors = doc.vectors;

test('the list of domains is the one the vectors name (and the C test checks)', () => {
	assert.deepEqual(Shortener.DOMAINS, doc.domains);
});

test('the shortener vectors have unique names', () => {
	assert.ok(vectors.length > 40);
	assert.equal(new Set(vectors.map((v) => v.name)).size, vectors.length);
});

test('find matches every shortener vector', () => {
	const failures = [];
	for (const v of vectors) {
		const got = Shortener.find(v.text);
		const want = { domain: v.domain || '', found: v.domain ? v.found : '' };
		if (JSON.stringify(got) !== JSON.stringify(want))
			failures.push(`${v.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
	}
	assert.deepEqual(failures, [], failures.join('\n'));
});

test('every domain of the list is found, bare and as a subdomain, and not glued to a longer name', () => {
	for (const d of Shortener.DOMAINS) {
		assert.equal(Shortener.find(`go to ${d}/x`).domain, d);
		assert.equal(Shortener.find(`https://www.${d.toUpperCase()}/x`).domain, d);
		assert.equal(Shortener.find(`go to a${d}/x`).domain, '');
		assert.equal(Shortener.find(`go to ${d}x.com/x`).domain, '');
	}
});

test('non-string input', () => {
	assert.deepEqual(Shortener.find(null), { domain: '', found: '' });
	assert.deepEqual(Shortener.find(undefined), { domain: '', found: '' });
});

test('shortener.js defines window.Shortener in a page', () => {
	const window = {};
	vm.runInNewContext(fs.readFileSync(SOURCE, 'utf8'), { window });
	assert.equal(window.Shortener.find('bit.ly/x').domain, 'bit.ly');
});
