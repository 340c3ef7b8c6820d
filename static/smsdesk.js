/* smsdesk's page script: progressive only, every feature works without it
 * (the chatbox controls are plain links, the dropdown a <details>).
 * With it:
 *  - the text box's counter (static/sms_text.js: the same rules as
 *    cgi-bin/sms_text.c) shows characters left and billed messages, names
 *    a special character the standard level refuses and disables Send
 *    before any round trip; Ctrl+Enter sends;
 *  - look-alike characters (curly quotes, long dashes, odd spaces) that make
 *    a text refused or cost more are offered for replacement, with the
 *    segments before and after (SmsText.lookalikes, the rules of C);
 *  - sensitive data and public link shorteners are warned about as the
 *    agent types (static/sensitive.js, static/shortener.js); the server
 *    asks again before it sends;
 *  - after a send the text box has the focus again; what is typed in a box
 *    survives opening the application or another page of the section;
 *  - the chatbox controls, the contacts and agents, the dropdown's rows and
 *    the SMS icons act without a reload and keep the URL in step;
 *  - the boxes that do not fit the window stack as headers by themselves. */
(function () {
	'use strict';

	var root = document.documentElement;
	root.classList.add('js');
	var FOCUS_KEY = 'smsdesk.focus';
	var DRAFT_KEY = 'smsdesk.draft.';

	function store(kind) {
		try { return window[kind]; } catch (e) { return null; }
	}
	var session = store('sessionStorage');

	/* ---- the counter */

	/* every character the standard level refuses, each once, in order */
	function allSpecial(text, rules) {
		var found = [];
		for (var i = 0; i < text.length; i++) {
			var ch = text.charAt(i);
			var code = text.charCodeAt(i);
			if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length)
				ch = text.substr(i, 2);
			if (rules.check(ch, false) === 'special_refused' && found.indexOf(ch) === -1)
				found.push(ch);
			i += ch.length - 1;
		}
		return found;
	}

	/* "😀 can't be sent on your plan's standard texts." and a button that
	 * removes them from the text (the words: SmsText.specialRefusal, the
	 * server's refusal says the same) */
	function showSpecial(problem, refused) {
		problem.textContent = refused.said + ' ';
		var b = document.createElement('button');
		b.type = 'button';
		b.className = 'link-button chat-remove-special';
		b.textContent = refused.fix;
		problem.appendChild(b);
	}

	/* "1 segment instead of 2" (cgi-bin/chatbox.c words it the same) */
	function segmentsText(after, before) {
		return after + (after === 1 ? ' segment' : ' segments') +
			(before !== after ? ' instead of ' + before : '');
	}

	/* The offer under the box; redrawn only when it changes, so that a
	 * keystroke does not take the button from under the pointer. */
	function showLookalikes(form, offer, advanced) {
		var el = form.querySelector('.chat-lookalikes');
		if (!el)
			return;
		var key = offer.offer === 'none' ? 'none' : [offer.offer, offer.names, offer.others,
			offer.before.billed, offer.after.billed].join('|');
		if (el.getAttribute('data-key') === key)
			return;
		el.setAttribute('data-key', key);
		el.textContent = '';
		if (offer.offer === 'none')
			return;
		var p = document.createElement('p');
		if (offer.offer === 'others') {
			p.textContent = 'This text has look-alike characters (' + offer.names + '), but replacing them' +
				' would not be enough: other special characters remain (' + offer.others + ').';
		} else {
			p.appendChild(document.createTextNode('This text has look-alike characters (' + offer.names +
				') that ' + (advanced ? 'make it cost 70-character segments' : 'the standard SMS level refuses') + ': '));
			var button = document.createElement('button');
			button.type = 'button';
			button.className = 'chat-lookalikes-replace';
			button.textContent = 'Replace them';
			p.appendChild(button);
			var count = document.createElement('span');
			count.className = 'chat-lookalikes-count';
			count.textContent = ' \u2192 ' + segmentsText(offer.after.billed, offer.before.billed);
			p.appendChild(count);
		}
		el.appendChild(p);
	}

	/* Replace them: in the box, the cursor where it was in the text */
	function replaceLookalikes(box) {
		var rules = window.SmsText;
		var start = box.selectionStart, end = box.selectionEnd, value = box.value;
		box.value = rules.replaceLookalikes(value);
		if (typeof start === 'number') {
			var s = rules.replaceLookalikes(value.slice(0, start)).length;
			var e = rules.replaceLookalikes(value.slice(0, end)).length;
			box.setSelectionRange(s, e);
		}
		box.focus();
		box.dispatchEvent(new Event('input', { bubbles: true }));
	}

	function updateCounter(box) {
		var rules = window.SmsText;
		var form = box.form;
		if (!rules || !form)
			return;
		var advanced = box.getAttribute('data-advanced') === '1';
		var max = parseInt(box.getAttribute('data-max'), 10) || rules.limit(advanced);
		var count = rules.count(box.value);
		var verdict = rules.check(box.value, advanced);
		var left = form.querySelector('.chars-left');
		var billed = form.querySelector('.billed');
		var line = form.querySelector('.chat-count');
		var problem = form.querySelector('.chat-problem');
		var send = form.querySelector('button.primary[type="submit"]');
		var over = count.length - max;  /* "30 characters too long", never "-30 characters left" */
		if (left)
			left.textContent = String(over > 0 ? over : -over);
		var words = form.querySelector('.chars-words');
		if (words)
			words.textContent = over > 0 ? (over === 1 ? ' character too long' : ' characters too long')
				: ' characters left';
		if (billed)
			billed.textContent = String(count.billed);
		var offer = rules.lookalikes(box.value, advanced);
		var text = '', special = null;
		if (verdict === 'special_refused' && offer.offer !== 'replace') {
			/* the offer below says it when replacing would do */
			special = rules.specialRefusal(box.value);
			if (!special.names)
				special = null;
			text = special ? special.said + ' ' + special.fix : rules.message(verdict, advanced, count);
		} else if (verdict === 'too_long' || verdict === 'bad_text') {
			text = rules.message(verdict, advanced, count);
		}
		/* warnings as they type; the server asks again before it sends */
		var warnings = [];
		/* the server's refusal already says them, next to Send anyway */
		var said = form.querySelector('button.danger[name="send_anyway"]') !== null;
		var found = !text && !said && window.Sensitive ? window.Sensitive.find(box.value) : null;
		if (found && found.kind !== 'none')
			warnings.push('This looks like ' + window.Sensitive.words(found.kind) +
				': texts are not a secure channel.');
		var link = !text && !said && window.Shortener ? window.Shortener.find(box.value) : null;
		if (link && link.domain)
			warnings.push('This text links through ' + link.domain + ', a public link shortener' +
				' that carriers often block: use the full address.');
		if (!text)
			text = warnings.join(' ');
		showLookalikes(form, offer, advanced);
		if (line)
			line.classList.toggle('over', text !== '');
		if (problem && problem.textContent !== text) {
			if (special)
				showSpecial(problem, special);
			else
				problem.textContent = text;
		}
		var later = form.querySelector('button[name="later"]');
		if (!form.classList.contains('refused')) {
			if (send)
				send.disabled = verdict !== 'ok';
			if (later)  /* a text refused now is refused later too */
				later.disabled = verdict !== 'ok';
		}
	}

	function draftKey(box) {
		var contact = box.form && box.form.querySelector('input[name="contact"]');
		return DRAFT_KEY + box.id + '.' + (contact ? contact.value : '');
	}

	function initBoxes() {
		var boxes = document.querySelectorAll('.chat-send textarea[data-max]');
		for (var i = 0; i < boxes.length; i++) {
			var box = boxes[i];
			if (box.getAttribute('data-ready'))
				continue;
			box.setAttribute('data-ready', '1');
			/* a draft typed before leaving comes back (a refused one wins) */
			if (session && !box.value.trim() && !box.readOnly) {
				var kept = session.getItem(draftKey(box));
				if (kept)
					box.value = kept;
			}
			box.addEventListener('input', function (e) {
				updateCounter(e.target);
				if (session)
					session.setItem(draftKey(e.target), e.target.value);
			});
			box.addEventListener('keydown', function (e) {
				if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
					e.preventDefault();
					var send = e.target.form.querySelector('button[type="submit"]');
					if (send && !send.disabled)
						e.target.form.requestSubmit ? e.target.form.requestSubmit(send) : send.click();
				}
			});
			box.form.addEventListener('submit', function (e) {
				var b = e.target.querySelector('textarea');
				var send = e.target.querySelector('button[type="submit"]');
				if (send && send.disabled) {
					e.preventDefault();
					return;
				}
				if (session) {
					session.setItem(FOCUS_KEY, b.id);
					session.removeItem(draftKey(b));
				}
			});
			updateCounter(box);
		}
		var scrolls = document.querySelectorAll('.chat-scroll');
		for (var j = 0; j < scrolls.length; j++)
			scrolls[j].scrollTop = scrolls[j].scrollHeight;  /* the newest message */
		scrollFocus();
	}

	/* a conversation that scrolls takes the keyboard focus (to scroll it
	 * with the arrows); one that does not stays out of the tab order */
	function scrollFocus() {
		var scrolls = document.querySelectorAll('.chat-scroll');
		for (var j = 0; j < scrolls.length; j++) {
			if (scrolls[j].scrollHeight > scrolls[j].clientHeight + 1)
				scrolls[j].setAttribute('tabindex', '0');
			else
				scrolls[j].removeAttribute('tabindex');
		}
	}

	/* ---- boxes that do not fit stack as headers, the newest stay open */

	var OPEN_PX = 400, HEADER_PX = 180, MARGIN_PX = 24;  /* a stacked header reads well at 180 px */

	/* ---- at 1280 px and wider each box keeps its slot, counted from the
	 * right where the first box opened: closing a box leaves its slot
	 * empty (a gap as wide as a box) until a box opened later takes it, so
	 * that opening, minimizing, maximizing or closing a box never moves
	 * another. The slots live in the tab's session storage (a reload keeps
	 * them); narrower windows stack the boxes in their order instead. */
	var SLOTS_KEY = 'smsdesk.slots';
	var slotsKept = {};  /* without session storage */

	function readSlots() {
		try {
			var v = session ? JSON.parse(session.getItem(SLOTS_KEY) || '{}') : slotsKept;
			return v && typeof v === 'object' ? v : {};
		} catch (e) {
			return {};
		}
	}

	/* gives every box its slot, draws the gaps; returns how many gaps */
	function placeSlots(dock, wide) {
		var gaps = dock ? dock.querySelectorAll('.chat-slot-gap') : [];
		for (var g = 0; g < gaps.length; g++)
			gaps[g].parentNode.removeChild(gaps[g]);
		var boxes = dock ? dock.querySelectorAll('.chatbox') : [];
		var kept = readSlots(), slots = {}, used = [], i, s;
		for (i = 0; i < boxes.length; i++) {  /* a box keeps its slot */
			s = kept[boxes[i].id];
			if (typeof s === 'number' && s >= 0 && used.indexOf(s) === -1) {
				slots[boxes[i].id] = s;
				used.push(s);
			}
		}
		for (i = 0; i < boxes.length; i++) {  /* a new one takes the first free slot */
			if (slots.hasOwnProperty(boxes[i].id))
				continue;
			for (s = 0; used.indexOf(s) !== -1; s++)
				;
			slots[boxes[i].id] = s;
			used.push(s);
		}
		slotsKept = slots;  /* the closed boxes' slots are free */
		try {
			if (session)
				session.setItem(SLOTS_KEY, JSON.stringify(slots));
		} catch (e) { /* full or refused: kept in memory */ }
		var n = 0, last = used.length ? Math.max.apply(null, used) : -1;
		for (i = 0; i < boxes.length; i++)
			boxes[i].style.order = wide ? String(slots[boxes[i].id]) : '';
		for (s = 0; wide && s < last; s++) {
			if (used.indexOf(s) !== -1)
				continue;
			var gap = document.createElement('div');
			gap.className = 'chat-slot-gap';
			gap.setAttribute('aria-hidden', 'true');
			gap.style.order = String(s);
			dock.appendChild(gap);
			n++;
		}
		return n;
	}

	function stack() {
		var dock = document.querySelector('.chat-dock');
		var gaps = placeSlots(dock, window.innerWidth >= 1280);
		if (!dock)
			return;
		var boxes = dock.querySelectorAll('.chatbox');
		var open = [];
		for (var i = 0; i < boxes.length; i++) {
			boxes[i].classList.remove('stacked');
			if (!boxes[i].classList.contains('minimized'))
				open.push(boxes[i]);
		}
		var width = window.innerWidth;
		var minimized = boxes.length - open.length;
		/* narrow (< 1280 px): the headers stack above one open box, the
		 * newest; when the newest is minimized no other opens in its place */
		var keep = boxes.length && boxes[boxes.length - 1].classList.contains('minimized') ? 0 : 1;
		/* wide: a minimized box keeps its place (OPEN_PX wide, CSS), so
		 * minimizing or maximizing one never moves or opens another */
		while (width >= 1280 && keep < open.length &&
		       MARGIN_PX + (keep + 1 + minimized + gaps) * OPEN_PX + (open.length - keep - 1) * HEADER_PX <= width)
			keep++;
		for (var n = 0; n < open.length - keep; n++)
			open[n].classList.add('stacked');
		scrollFocus();
	}

	/* ---- links that act without a reload */

	var LIVE = '.chat-controls a, a.chat-contact, a.chat-agent, a.notif-row, .quick-actions a, .action-tools a';

	function samePage(url) {
		return url.origin === location.origin && url.pathname === location.pathname;
	}

	function keepDrafts() {
		var kept = {};
		var boxes = document.querySelectorAll('.chat-send textarea[data-max]');
		for (var i = 0; i < boxes.length; i++)
			kept[draftKey(boxes[i])] = boxes[i].value;
		return kept;
	}

	function focusAfter(boxId, cls) {
		var want = boxId && cls ? document.querySelector('#' + boxId + ' .' + cls) : null;
		if (!want || want.offsetParent === null)
			want = boxId ? document.querySelector('#' + boxId + ' .chat-controls a:not(.chat-raise)') : null;
		if (!want && boxId)
			want = document.querySelector('#' + boxId + ' textarea');
		if (!want)
			want = document.querySelector('.chat-dock .chatbox:last-child .chat-title') ||
				document.querySelector('.notif-icon');
		if (want)
			want.focus({ preventScroll: true });
	}

	function swap(html, href, push, boxId, cls) {
		var doc = new DOMParser().parseFromString(html, 'text/html');
		var main = doc.querySelector('main'), tools = doc.querySelector('header.top .usertools');
		if (!main)
			return false;
		var x = window.scrollX, y = window.scrollY;
		var drafts = keepDrafts();
		document.querySelector('main').replaceWith(document.importNode(main, true));
		var oldTools = document.querySelector('header.top .usertools');
		if (tools && oldTools)
			oldTools.replaceWith(document.importNode(tools, true));
		document.title = doc.title;
		if (push)
			history.pushState({ smsdesk: 1 }, '', href);
		var boxes = document.querySelectorAll('.chat-send textarea[data-max]');
		for (var i = 0; i < boxes.length; i++) {
			var v = drafts[draftKey(boxes[i])];
			if (v && !boxes[i].value.trim() && !boxes[i].readOnly)
				boxes[i].value = v;
		}
		initBoxes();
		stack();
		window.scrollTo(x, y);
		focusAfter(boxId, cls);
		return true;
	}

	function go(href, push, boxId, cls) {
		fetch(href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
			.then(function (res) {
				if (!res.ok || res.redirected)
					throw new Error('reload');
				return res.text();
			})
			.then(function (html) {
				if (!swap(html, href, push, boxId, cls))
					location.href = href;
			})
			.catch(function () { location.href = href; });
	}

	/* Remove it: the characters the standard level refuses leave the text */
	document.addEventListener('click', function (e) {
		var remove = e.target.closest ? e.target.closest('.chat-remove-special') : null;
		var form = remove && remove.closest('form');
		var box = form && form.querySelector('textarea[data-max]');
		if (!box || !window.SmsText)
			return;
		var chars = allSpecial(box.value, window.SmsText);
		var v = box.value;
		for (var i = 0; i < chars.length; i++)
			v = v.split(chars[i]).join('');
		box.value = v.replace(/ {2,}/g, ' ');
		box.dispatchEvent(new Event('input', { bubbles: true }));
		box.focus();
	});

	document.addEventListener('click', function (e) {
		var replace = e.target.closest ? e.target.closest('.chat-lookalikes-replace') : null;
		if (replace) {
			var box = replace.form && replace.form.querySelector('textarea[data-max]');
			if (box && window.SmsText)
				replaceLookalikes(box);
			return;
		}
	});

	document.addEventListener('click', function (e) {
		if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey)
			return;
		var a = e.target.closest ? e.target.closest('a') : null;
		if (!a || !a.matches(LIVE))
			return;
		/* wide: Maximize reopens the box in its place (the others stay put) */
		var restore = a.getAttribute('data-restore');
		var url = new URL(restore && window.innerWidth >= 1280 ? restore : a.href, location.href);
		if (!samePage(url) || !window.fetch || !window.DOMParser)
			return;
		e.preventDefault();
		var box = a.closest('.chatbox');
		var cls = a.className.split(' ')[0];
		if (a.classList.contains('notif-row') || a.closest('.quick-actions, .action-tools')) {
			var id = url.searchParams.getAll('chat').pop();
			box = id ? { id: 'chat-' + id } : null;
			cls = 'chat-send textarea';  /* a box that opens: ready to type */
			var details = a.closest('details');
			if (details)
				details.open = false;
		}
		go(url.pathname + url.search, true, box ? box.id : null, cls);
	});

	window.addEventListener('popstate', function () {
		go(location.pathname + location.search, false, null, null);
	});

	var resizing = 0;
	window.addEventListener('resize', function () {
		clearTimeout(resizing);
		resizing = setTimeout(stack, 100);
	});

	/* a menu closes with Escape, its summary keeping the focus */
	document.addEventListener('keydown', function (e) {
		if (e.key !== 'Escape')
			return;
		var open = document.querySelector('header.top details[open]');
		if (open) {
			open.open = false;
			open.querySelector('summary').focus();
		}
	});

	function init() {
		initBoxes();
		stack();
		var id = session && session.getItem(FOCUS_KEY);
		if (id) {
			session.removeItem(FOCUS_KEY);
			var box = document.getElementById(id);
			if (box)
				box.focus({ preventScroll: true });
		}
	}

	/* deferred scripts run in order, sms_text.js before this one */
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();

/* Saved replies in the chatbox: the form's choice fills the box at once,
 * merged as the server merged it (data-text), instead of reloading the
 * page with reply_ID (which is what happens without JavaScript). The
 * box's input event runs its counter and checks as for typed text. */
(function () {
	'use strict';
	document.addEventListener('submit', function (e) {
		var form = e.target;
		if (!form.classList || !form.classList.contains('chat-replies'))
			return;
		var box = document.getElementById(form.getAttribute('data-box'));
		var select = form.querySelector('select');
		var option = select && select.options[select.selectedIndex];
		if (!box || box.readOnly || !option || !option.hasAttribute('data-text'))
			return;
		e.preventDefault();
		box.value = option.getAttribute('data-text');
		box.dispatchEvent(new Event('input', { bubbles: true }));
		var note = document.getElementById(box.id.replace('chat-body-', 'chat-unfilled-'));
		if (note)
			note.textContent = option.getAttribute('data-note') || '';
		box.focus();
	});
})();
