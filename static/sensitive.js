/* What a loan officer must not text (docs/behaviour.md, "Sensitive data"), the same
 * code as cgi-bin/sensitive.c: change both together; both are tested with
 * tests/sensitive_vectors.json. The rules are described in
 * cgi-bin/sensitive.h. No dependencies, no modules: in a page it defines
 * window.Sensitive; under Node it is also module.exports. Positions are in
 * characters (code points), as the C counts its distances.
 *
 *   Sensitive.find(text) -> {kind: 'none'|'ssn'|'card'|'bank_account',
 *                            found: the number as written ('' for none)}
 *   Sensitive.words(kind) -> 'a Social Security number', ...
 */
(function () {
	'use strict';

	var KEYWORD_REACH = 30;
	var ACCOUNT_REACH = 40;
	var CARD_MIN = 13, CARD_MAX = 19;
	var ACCOUNT_MIN = 6, ACCOUNT_MAX = 17;
	var SSN_WORDS = ['ssn', 'social', 'ss#', 's.s.n'];
	var WORDS = {
		none: 'nothing sensitive',
		ssn: 'a Social Security number',
		card: 'a card number',
		bank_account: 'a bank routing and account number'
	};

	function isDigit(c) { return c !== undefined && c >= '0' && c <= '9' && c.length === 1; }
	function isAlnum(c) { return c !== undefined && c.length === 1 && /[0-9A-Za-z]/.test(c); }

	function groupEnd(t, i) {
		while (isDigit(t[i]))
			i++;
		return i;
	}

	/* The next group of the same run after the group ending at e: its
	 * start, or -1. state.sep is the run's separator, set by its first. */
	function nextInRun(t, e, state) {
		var c = t[e];
		if ((c !== ' ' && c !== '-') || !isDigit(t[e + 1]) || (state.sep && state.sep !== c))
			return -1;
		state.sep = c;
		return e + 1;
	}

	function value(t, start, n) {
		return parseInt(t.slice(start, start + n).join(''), 10);
	}

	function ssnIssued(area, group, serial) {
		return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
	}

	function luhnOk(t, start, end) {
		var sum = 0, second = false;
		for (var i = end; i > start; i--) {
			if (!isDigit(t[i - 1]))
				continue;
			var d = t[i - 1].charCodeAt(0) - 48;
			if (second && (d *= 2) > 9)
				d -= 9;
			sum += d;
			second = !second;
		}
		return sum % 10 === 0;
	}

	function abaOk(t, start) {
		var prefix = value(t, start, 2);
		if (!((prefix >= 1 && prefix <= 12) || (prefix >= 21 && prefix <= 32) ||
		      (prefix >= 61 && prefix <= 72) || prefix === 80))
			return false;
		var weights = [3, 7, 1], sum = 0;
		for (var i = 0; i < 9; i++)
			sum += (t[start + i].charCodeAt(0) - 48) * weights[i % 3];
		return sum % 10 === 0;
	}

	function ssnKeywordBefore(t, pos) {
		var lo = Math.max(0, pos - KEYWORD_REACH);
		for (var p = lo; p < pos; p++) {
			if (p > 0 && isAlnum(t[p - 1]))
				continue;
			for (var w = 0; w < SSN_WORDS.length; w++) {
				var word = SSN_WORDS[w];
				if (p + word.length > pos)
					continue;
				if (t.slice(p, p + word.length).join('').toLowerCase() === word)
					return true;
			}
		}
		return false;
	}

	function accountNear(t, gs, ge) {
		var chars = 0, p, n;
		for (p = ge; p < t.length && chars <= ACCOUNT_REACH;) {
			if (isDigit(t[p])) {
				n = groupEnd(t, p) - p;
				if (n >= ACCOUNT_MIN && n <= ACCOUNT_MAX)
					return true;
				chars += n;
				p += n;
				continue;
			}
			chars++;
			p++;
		}
		chars = 0;
		for (p = gs; p > 0 && chars <= ACCOUNT_REACH;) {
			if (isDigit(t[p - 1])) {
				var s = p;
				while (s > 0 && isDigit(t[s - 1]))
					s--;
				n = p - s;
				if (n >= ACCOUNT_MIN && n <= ACCOUNT_MAX)
					return true;
				chars += n;
				p = s;
				continue;
			}
			chars++;
			p--;
		}
		return false;
	}

	/* The run starting at rs: {kind, start, end, runEnd}. */
	function checkRun(t, rs) {
		var len = [], g = rs, e, count = 0, st = { sep: '' };
		for (;;) {
			e = groupEnd(t, g);
			if (count < 3)
				len[count] = e - g;
			count++;
			g = nextInRun(t, e, st);
			if (g < 0)
				break;
		}
		var hit = function (kind, start, end) { return { kind: kind, start: start, end: end, runEnd: e }; };
		if (count === 3 && len[0] === 3 && len[1] === 2 && len[2] === 4 &&
		    ssnIssued(value(t, rs, 3), value(t, rs + 4, 2), value(t, rs + 7, 4)))
			return hit('ssn', rs, e);
		if (count === 1 && len[0] === 9 && ssnKeywordBefore(t, rs) &&
		    ssnIssued(value(t, rs, 3), value(t, rs + 3, 2), value(t, rs + 5, 4)))
			return hit('ssn', rs, e);

		var si = { sep: '' };
		for (var gi = rs; gi >= 0;) {
			var first = groupEnd(t, gi) - gi, total = 0, groups = 0, gj = gi, layout = true;
			var sj = { sep: si.sep };
			while (gj >= 0) {
				var ej = groupEnd(t, gj), n = ej - gj;
				total += n;
				groups++;
				if (total > CARD_MAX)
					break;
				layout = layout && n >= 4 && n <= 6;
				if (total >= CARD_MIN && (groups === 1 || (first === 4 && layout)) && luhnOk(t, gi, ej))
					return hit('card', gi, ej);
				gj = nextInRun(t, ej, sj);
			}
			gi = nextInRun(t, gi + first, si);
		}

		var sb = { sep: '' };
		for (g = rs; g >= 0;) {
			var eg = groupEnd(t, g);
			if (eg - g === 9 && abaOk(t, g) && accountNear(t, g, eg))
				return hit('bank_account', g, eg);
			g = nextInRun(t, eg, sb);
		}
		return { kind: 'none', runEnd: e };
	}

	function find(text) {
		var t = Array.from(text == null ? '' : String(text));
		for (var i = 0; i < t.length;) {
			if (!isDigit(t[i]) || (i > 0 && isDigit(t[i - 1]))) {
				i++;
				continue;
			}
			var r = checkRun(t, i);
			if (r.kind !== 'none')
				return { kind: r.kind, found: t.slice(r.start, r.end).join('') };
			i = r.runEnd;
		}
		return { kind: 'none', found: '' };
	}

	function words(kind) {
		return WORDS.hasOwnProperty(kind) ? WORDS[kind] : WORDS.none;
	}

	var api = { find: find, words: words, KINDS: ['none', 'ssn', 'card', 'bank_account'] };
	if (typeof window !== 'undefined')
		window.Sensitive = api;
	if (typeof module === 'object' && module && module.exports)
		module.exports = api;
})();
