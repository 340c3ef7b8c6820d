/* The character rules of an SMS (docs/behaviour.md, "Character count and billing"),
 * the same code as cgi-bin/sms_text.c: change both together; both are
 * tested with tests/sms_vectors.json. No dependencies, no modules: in a page
 * it defines window.SmsText; under Node it is also module.exports.
 *
 *   SmsText.count(text)  -> {encoding: 'gsm7'|'ucs2', special, length, billed}
 *   SmsText.check(text, advanced) -> 'ok'|'empty'|'too_long'|
 *                                    'special_refused'|'bad_text'
 *   SmsText.message(verdict, advanced, count) -> a sentence for the user
 *   SmsText.limit(advanced) -> 160 or 640
 *   SmsText.replaceLookalikes(text) -> the text with look-alikes replaced
 *   SmsText.lookalikes(text, advanced) -> {offer: 'none'|'replace'|'others',
 *       text: the replaced text, replaced: how many, names: '“ ” …',
 *       others: the special characters of the replaced text ('😀'),
 *       before, after: counts}
 *   SmsText.specialNames(text) -> '😀 你'
 *   SmsText.specialRefusal(text) -> {names: '😀', said: "😀 can't be sent
 *       on your plan's standard texts.", fix: 'Remove it'}
 *   SmsText.refusal(text, advanced) -> the server's refusal of the text
 */
(function () {
	'use strict';

	var STANDARD_MAX = 160;
	var ADVANCED_MAX = 640;

	/* Printable ASCII that the basic table lacks: the extension table's
	 * characters and the grave accent. */
	var GSM_ASCII_EXTENSION = '^{}\\[~]|';
	/* The basic table's characters outside ASCII (0x09 is capital C cedilla). */
	var GSM_BASIC_NON_ASCII = [
		0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf, /* ¡ £ ¤ ¥ § ¿ */
		0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00d1, /* Ä Å Æ Ç É Ñ */
		0x00d6, 0x00d8, 0x00dc, 0x00df, 0x00e0, 0x00e4, /* Ö Ø Ü ß à ä */
		0x00e5, 0x00e6, 0x00e8, 0x00e9, 0x00ec, 0x00f1, /* å æ è é ì ñ */
		0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc,         /* ò ö ø ù ü */
		0x0393, 0x0394, 0x0398, 0x039b, 0x039e,         /* Γ Δ Θ Λ Ξ */
		0x03a0, 0x03a3, 0x03a6, 0x03a8, 0x03a9          /* Π Σ Φ Ψ Ω */
	];
	var GSM_FORM_FEED = 0x000c;
	var GSM_EURO = 0x20ac;
	/* Unicode White_Space outside the control characters, plus LF, CR, FF. */
	var WHITE_SPACE = [
		0x000a, 0x000c, 0x000d, 0x0020, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
		0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
		0x2029, 0x202f, 0x205f, 0x3000
	];

	var GSM_SPECIAL = 0, GSM_BASIC = 1, GSM_EXTENSION = 2;

	function inList(list, cp) {
		return list.indexOf(cp) !== -1;
	}

	/* How many GSM-7 septets a UTF-16 code unit takes; 0 means special. */
	function gsmClassOf(cp) {
		if (cp === 0x0a || cp === 0x0d)
			return GSM_BASIC;
		if (cp === GSM_FORM_FEED || cp === GSM_EURO)
			return GSM_EXTENSION;
		if (cp >= 0x20 && cp < 0x7f) {
			if (GSM_ASCII_EXTENSION.indexOf(String.fromCharCode(cp)) !== -1)
				return GSM_EXTENSION;
			return cp === 0x60 ? GSM_SPECIAL : GSM_BASIC;
		}
		return inList(GSM_BASIC_NON_ASCII, cp) ? GSM_BASIC : GSM_SPECIAL;
	}

	/* C0 and C1 controls and DEL, except the ones the tables hold. */
	function isRefusedControl(cp) {
		if (cp === 0x0a || cp === 0x0d || cp === GSM_FORM_FEED)
			return false;
		return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
	}

	function isHighSurrogate(u) { return u >= 0xd800 && u <= 0xdbff; }
	function isLowSurrogate(u) { return u >= 0xdc00 && u <= 0xdfff; }

	/* A lone surrogate cannot be sent (a browser would submit U+FFFD): it
	 * counts as one special unit and check() says 'bad_text', as C does for
	 * invalid UTF-8. */
	function scan(text) {
		var sc = { septets: 0, units: 0, special: false, control: false,
			   blank: true, bad: false };
		for (var i = 0; i < text.length; i++) {
			var u = text.charCodeAt(i);
			if (isHighSurrogate(u) && i + 1 < text.length &&
			    isLowSurrogate(text.charCodeAt(i + 1))) {
				sc.units += 2;
				sc.special = true;
				sc.blank = false;
				i++;
				continue;
			}
			if (isHighSurrogate(u) || isLowSurrogate(u))
				sc.bad = true;
			var cls = gsmClassOf(u);
			sc.septets += cls;
			sc.units += 1;
			if (cls === GSM_SPECIAL)
				sc.special = true;
			if (isRefusedControl(u))
				sc.control = true;
			if (!inList(WHITE_SPACE, u))
				sc.blank = false;
		}
		return sc;
	}

	function asText(text) {
		return text === null || text === undefined ? '' : String(text);
	}

	function countScan(sc) {
		var length = sc.special ? sc.units : sc.septets;
		var per = sc.special ? 70 : 160;
		return {
			encoding: sc.special ? 'ucs2' : 'gsm7',
			special: sc.special,
			length: length,
			billed: Math.ceil(length / per)
		};
	}

	function count(text) {
		return countScan(scan(asText(text)));
	}

	function limit(advanced) {
		return advanced ? ADVANCED_MAX : STANDARD_MAX;
	}

	function check(text, advanced) {
		var sc = scan(asText(text));
		if (sc.bad || sc.control)
			return 'bad_text';
		if (sc.blank)
			return 'empty';
		if (sc.special && !advanced)
			return 'special_refused';
		if (countScan(sc).length > limit(advanced))
			return 'too_long';
		return 'ok';
	}

	/* the refusal of special characters on the standard level, and its fix */
	var SPECIAL_SAID = "can't be sent on your plan's standard texts";
	var REMOVE_IT = 'Remove it', REMOVE_THEM = 'Remove them';

	var TEXTS = {
		ok: 'This message can be sent.',
		empty: 'This message is empty.',
		special_refused: 'This message has characters that ' + SPECIAL_SAID +
			' (e.g. emoji or curly quotes). ' + REMOVE_THEM + '.',
		bad_text: 'This message has characters that cannot be sent by SMS' +
			' (control characters or invalid text).'
	};

	/* The sentence for a verdict; with the count, by how much it is too long. */
	function message(verdict, advanced, c) {
		var max = limit(advanced);
		if (verdict === 'too_long') {
			if (c && c.length > max) {
				var over = c.length - max;
				return 'This message is ' + over + ' character' + (over === 1 ? '' : 's') +
					' too long (at most ' + max +
					(advanced ? '' : ' on the standard SMS level') + ').';
			}
			return advanced
				? 'This message is too long: at most 640 characters.'
				: 'This message is too long: at most 160 characters on the standard SMS level.';
		}
		return TEXTS.hasOwnProperty(verdict) ? TEXTS[verdict] : 'This message cannot be sent.';
	}

	/* ---- look-alike characters: the table and rules of cgi-bin/sms_text.c
	 * (documented there), code point -> [what it becomes, how the offer
	 * names it (null: the character itself)]. */
	var LOOKALIKES = {
		0x0060: ["'", null], 0x00b4: ["'", null], 0x02bc: ["'", null],
		0x2018: ["'", null], 0x2019: ["'", null], 0x201a: ["'", null],
		0x201b: ["'", null], 0x2032: ["'", null], 0x2039: ["'", null],
		0x203a: ["'", null],
		0x00ab: ['"', null], 0x00bb: ['"', null], 0x201c: ['"', null],
		0x201d: ['"', null], 0x201e: ['"', null], 0x201f: ['"', null],
		0x2033: ['"', null],
		0x2010: ['-', null], 0x2011: ['-', null], 0x2012: ['-', null],
		0x2013: ['-', null], 0x2014: ['-', null], 0x2015: ['-', null],
		0x2212: ['-', null],
		0x2022: ['*', null], 0x2026: ['...', null],
		0x00a0: [' ', 'no-break space'], 0x2002: [' ', 'en space'],
		0x2003: [' ', 'em space'], 0x2004: [' ', 'three-per-em space'],
		0x2005: [' ', 'four-per-em space'], 0x2006: [' ', 'six-per-em space'],
		0x2007: [' ', 'figure space'], 0x2008: [' ', 'punctuation space'],
		0x2009: [' ', 'thin space'], 0x200a: [' ', 'hair space'],
		0x202f: [' ', 'narrow no-break space'], 0x205f: [' ', 'medium mathematical space'],
		0x00ad: ['', 'soft hyphen'], 0x200b: ['', 'zero-width space'],
		0x2060: ['', 'word joiner'], 0xfeff: ['', 'zero-width no-break space']
	};
	var NAMES_MAX = 6;

	function lookalikeOf(cp) {
		return Object.prototype.hasOwnProperty.call(LOOKALIKES, cp) ? LOOKALIKES[cp] : null;
	}

	/* No look-alike is a surrogate: replacing unit by unit keeps pairs. */
	function replaceCounting(text) {
		var out = '', n = 0;
		for (var i = 0; i < text.length; i++) {
			var l = lookalikeOf(text.charCodeAt(i));
			if (l) {
				out += l[0];
				n++;
			} else {
				out += text.charAt(i);
			}
		}
		return { text: out, n: n };
	}

	function replaceLookalikes(text) {
		return replaceCounting(asText(text)).text;
	}

	/* The distinct characters pick() names, in text order, space separated,
	 * at most NAMES_MAX then ' etc.' (as list_names in C). */
	function listNames(text, pick) {
		var seen = [], out = '';
		for (var i = 0; i < text.length; i++) {
			var ch = text.charAt(i), u = text.charCodeAt(i), cp = u;
			if (isHighSurrogate(u) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
				ch = text.substr(i, 2);
				cp = text.codePointAt(i);
				i++;
			}
			var name = pick(cp, ch);
			if (name === null || seen.indexOf(cp) !== -1)
				continue;
			if (seen.length === NAMES_MAX) {
				out += ' etc.';
				break;
			}
			out += (seen.length ? ' ' : '') + name;
			seen.push(cp);
		}
		return out;
	}

	function lookalikeNames(text) {
		return listNames(asText(text), function (cp, ch) {
			var l = lookalikeOf(cp);
			return l ? (l[1] === null ? ch : l[1]) : null;
		});
	}

	function specialNames(text) {
		return listNames(asText(text), function (cp, ch) {
			return cp >= 0x10000 || gsmClassOf(cp) === GSM_SPECIAL ? ch : null;
		});
	}

	/* What the standard level refuses in a text, as the chatbox says it:
	 * the special characters that remain once look-alikes are replaced
	 * (names: '' when none), the sentence and the fix ('Remove it'). */
	function specialRefusal(text) {
		var names = specialNames(replaceLookalikes(text));
		return { names: names, said: names + ' ' + SPECIAL_SAID + '.',
			 fix: names.indexOf(' ') === -1 ? REMOVE_IT : REMOVE_THEM };
	}

	/* The refusal of a text on a level: sms_refusal_message in C,
	 * '😀 can't be sent on your plan's standard texts. Remove it.' */
	function refusal(text, advanced) {
		var verdict = check(text, advanced);
		var s = verdict === 'special_refused' ? specialRefusal(text) : null;
		if (!s || !s.names)
			return message(verdict, advanced, count(text));
		return s.said + ' ' + s.fix + '.';
	}

	/* The offer: the rules of sms_lookalike_offer in C. */
	function lookalikes(text, advanced) {
		text = asText(text);
		var rep = replaceCounting(text);
		var r = { offer: 'none', text: rep.text, replaced: rep.n, names: lookalikeNames(text),
			  others: specialNames(rep.text), before: count(text), after: count(rep.text) };
		var before = check(text, advanced);
		if (rep.n === 0 || before === 'bad_text' || before === 'empty')
			return r;
		if (r.after.special) {
			r.offer = advanced ? 'none' : 'others';
			return r;
		}
		if (check(rep.text, advanced) !== 'ok')
			return r;
		if (!advanced)
			r.offer = before === 'special_refused' ? 'replace' : 'none';
		else
			r.offer = r.after.billed < r.before.billed ? 'replace' : 'none';
		return r;
	}

	var api = {
		STANDARD_MAX: STANDARD_MAX,
		ADVANCED_MAX: ADVANCED_MAX,
		count: count,
		check: check,
		message: message,
		limit: limit,
		replaceLookalikes: replaceLookalikes,
		lookalikes: lookalikes,
		lookalikeNames: lookalikeNames,
		specialNames: specialNames,
		specialRefusal: specialRefusal,
		refusal: refusal
	};
	if (typeof window !== 'undefined')
		window.SmsText = api;
	if (typeof module === 'object' && module && module.exports)
		module.exports = api;
})();
