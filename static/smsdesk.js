/* smsdesk's page script: progressive only, every feature works without it.
 * The chatbox's text box shows characters left and the billed count as the
 * user types, with static/sms_text.js (the same rules as cgi-bin/sms_text.c;
 * chat.tpl loads it). The server rendered the first numbers. */
(function () {
	'use strict';

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
		if (left)
			left.textContent = String(max - count.length);
		if (billed)
			billed.textContent = String(count.billed);
		if (line) {
			var wrong = verdict !== 'ok' && verdict !== 'empty';
			line.classList.toggle('over', wrong);
			line.title = wrong ? rules.message(verdict, advanced, count) : '';
		}
	}

	function init() {
		var boxes = document.querySelectorAll('.chat-send textarea[data-max]');
		for (var i = 0; i < boxes.length; i++) {
			var box = boxes[i];
			box.addEventListener('input', function (e) { updateCounter(e.target); });
			updateCounter(box);
		}
	}

	/* deferred scripts run in order, sms_text.js after this one: wait for all */
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
