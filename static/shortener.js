/* Public link shorteners in a text (docs/behaviour.md, "Link shorteners"),
 * the same code as cgi-bin/shortener.c: change both together; both are
 * tested with tests/shortener_vectors.json. The rules are described in
 * cgi-bin/shortener.h. No dependencies, no modules: in a page it defines
 * window.Shortener; under Node it is also module.exports.
 *
 *   Shortener.find(text) -> {domain: 'bit.ly' ('' for none),
 *                            found: the host as written ('' for none)}
 */
(function () {
	'use strict';

	/* the list of cgi-bin/shortener.c */
	var DOMAINS = [
		'adf.ly', 'bit.do', 'bit.ly', 'bl.ink', 'buff.ly', 'clck.ru', 'cutt.ly',
		'dlvr.it', 'goo.gl', 'is.gd', 'j.mp', 'lnkd.in', 'ow.ly', 'rb.gy',
		'rebrand.ly', 's.id', 'short.gy', 'shorte.st', 'shorturl.at', 'soo.gd',
		'surl.li', 't.co', 't.ly', 'tiny.cc', 'tinyurl.com', 'tr.im', 'v.gd', 'x.co'
	];
	var BEFORE = '([{<>"\',;:!*|';
	var AFTER = '/?#:)]}><"\',;!*|';

	function isHostChar(c) {
		return c !== undefined && /^[A-Za-z0-9.-]$/.test(c);
	}

	function isBoundary(c, chars) {
		return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' ||
			c.charCodeAt(0) >= 0x80 || chars.indexOf(c) !== -1;
	}

	function shortenerOf(host) {
		var h = host.toLowerCase();
		for (var i = 0; i < DOMAINS.length; i++) {
			var d = DOMAINS[i];
			if (h.length < d.length || h.slice(h.length - d.length) !== d)
				continue;
			if (h.length === d.length || h.charAt(h.length - d.length - 1) === '.')
				return d;
		}
		return null;
	}

	function find(text) {
		var t = text === null || text === undefined ? '' : String(text);
		for (var i = 0; i < t.length;) {
			if (!isHostChar(t[i])) {
				i++;
				continue;
			}
			var start = i, end = i;
			while (isHostChar(t[end]))
				end++;
			i = end;
			var afterOk = end === t.length || isBoundary(t[end], AFTER);
			var beforeOk = start === 0 || isBoundary(t[start - 1], BEFORE) ||
				(start >= 2 && t[start - 1] === '/' && t[start - 2] === '/');
			if (!afterOk || !beforeOk)
				continue;
			for (var k = start; k + 1 < end; k++)
				if (t[k] === '.' && t[k + 1] === '.')
					start = k + 2;
			while (start < end && (t[start] === '.' || t[start] === '-'))
				start++;
			while (end > start && (t[end - 1] === '.' || t[end - 1] === '-'))
				end--;
			var domain = shortenerOf(t.slice(start, end));
			if (domain)
				return { domain: domain, found: t.slice(start, end) };
		}
		return { domain: '', found: '' };
	}

	var api = { find: find, DOMAINS: DOMAINS };
	if (typeof window !== 'undefined')
		window.Shortener = api;
	if (typeof module === 'object' && module && module.exports)
		module.exports = api;
})();
