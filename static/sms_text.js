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

	var TEXTS = {
		ok: 'This message can be sent.',
		empty: 'This message is empty.',
		special_refused: 'This message has characters that need the advanced SMS level' +
			' (e.g. emoji or curly quotes).',
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

	var api = {
		STANDARD_MAX: STANDARD_MAX,
		ADVANCED_MAX: ADVANCED_MAX,
		count: count,
		check: check,
		message: message,
		limit: limit
	};
	if (typeof window !== 'undefined')
		window.SmsText = api;
	if (typeof module === 'object' && module && module.exports)
		module.exports = api;
})();
