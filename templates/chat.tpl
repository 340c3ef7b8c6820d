{{%AUTOESCAPE context="HTML"}}
<div class="chat-dock">
{{#CHAT}}
<section class="chatbox{{#MINIMIZED}} minimized{{/MINIMIZED}}{{#LATEST}} latest{{/LATEST}}" id="chat-{{LEAD_ID}}" aria-label="SMS chatbox: {{TITLE}}">
<header class="chat-head">
<a class="chat-title" href="{{TITLE_URL}}" title="Open the application">{{TITLE}}</a>
<nav class="chat-controls" aria-label="Chatbox {{TITLE}}">
{{#OPEN}}<a class="chat-raise" href="{{RAISE_URL}}" title="Maximize" aria-label="Maximize {{TITLE}}">&#9633;</a>
<a class="chat-minimize" href="{{MINIMIZE_URL}}" title="Minimize" aria-label="Minimize {{TITLE}}">&#8211;</a>{{/OPEN}}
{{#MAXIMIZE}}<a class="chat-maximize" href="{{MAXIMIZE_URL}}" data-restore="{{RESTORE_URL}}" title="Maximize" aria-label="Maximize {{TITLE}}">&#9633;</a>{{/MAXIMIZE}}
<a class="chat-close" href="{{CLOSE_URL}}" title="Close" aria-label="Close {{TITLE}}">&#215;</a>
</nav>
</header>
{{#OPEN}}
<div class="chat-body">
<nav class="chat-contacts" aria-label="Contacts">
<h3>Contacts</h3>
<ul>
{{#CONTACT}}<li><a class="chat-contact{{#SELECTED_CONTACT}} selected{{/SELECTED_CONTACT}}" href="{{CONTACT_URL}}">{{#SELECTED_CONTACT}}<span class="sr">Selected:</span>{{/SELECTED_CONTACT}}
<span class="consent consent-{{CONSENT_COLOR}}" title="{{CONSENT_TEXT}}"><span class="sr">{{CONSENT_TEXT}}</span></span>
<span class="chat-contact-name" title="{{CONTACT_NAME}}">{{CONTACT_NAME}}</span>
<span class="chat-contact-role">{{CONTACT_ROLE}}</span>
<span class="chat-contact-number phone">{{CONTACT_NUMBER}}</span>
</a></li>
{{/CONTACT}}
</ul>
{{#NO_CONTACTS}}<p class="muted">No contact has a mobile number.</p>{{/NO_CONTACTS}}
<a class="button chat-consents" href="{{CONSENTS_URL}}">Consents</a>
</nav>
<div class="chat-main">
{{#REPLY_STATE}}<div class="chat-reply-state"><form method="post" action="/inbox/done"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="agent" value="{{AGENT}}"><input type="hidden" name="lead" value="{{LEAD}}"><input type="hidden" name="contact" value="{{CONTACT}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="link-button" title="Needs no reply">Done</button></form> <form method="post" action="/inbox/unread"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="agent" value="{{AGENT}}"><input type="hidden" name="lead" value="{{LEAD}}"><input type="hidden" name="contact" value="{{CONTACT}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="link-button" title="Needs a reply again">Mark unread</button></form></div>{{/REPLY_STATE}}
<div class="chat-scroll" role="log" aria-label="Conversation: {{TITLE}}" tabindex="0">
<ol class="chat-messages">
{{#EARLIER}}<li class="msg-earlier"><a href="{{EARLIER_URL}}">Earlier messages</a></li>
{{/EARLIER}}{{#MESSAGE}}{{#DAY}}<li class="msg-day"><span>{{DAY_TEXT}}</span></li> {{/DAY}}<li id="msg-{{MESSAGE_ID}}" class="msg msg-{{DIRECTION}}{{#WAITING}} msg-scheduled{{/WAITING}}{{#CANCELLED}} msg-cancelled{{/CANCELLED}}">
<div class="bubble">{{#TEXT}}<span class="msg-text">{{BODY}}</span>{{/TEXT}}{{#IMAGE}}{{#IMAGE_FETCHED}}<figure class="msg-image"><a href="/media/{{MEDIA_ID}}"><img src="/media/{{MEDIA_ID}}" alt="Image sent by the contact" loading="lazy"></a><a class="button msg-download" href="/media/{{MEDIA_ID}}?download=1" download>Download</a></figure>{{/IMAGE_FETCHED}}{{#IMAGE_PENDING}}<p class="msg-image-note">An image is being received; refresh the page to see it.</p>{{/IMAGE_PENDING}}{{#IMAGE_FAILED}}<p class="msg-image-note">An image was sent but could not be received: {{IMAGE_ERROR}}.</p>{{/IMAGE_FAILED}}{{/IMAGE}}{{#IMAGE_NOTICE}}<p class="msg-image-note">An image was sent but could not be displayed.</p>{{/IMAGE_NOTICE}}</div>
<div class="msg-meta"><span class="msg-sender">{{SENDER}}</span>{{#KIND}} <span class="msg-kind">({{KIND_TEXT}})</span>{{/KIND}} · <time class="msg-time" datetime="{{WHEN_ISO}}" title="{{WHEN_FULL}}">{{WHEN}}</time></div>
{{#SENSITIVE}}<div class="msg-flag msg-sensitive">{{SENSITIVE_TEXT}}</div>{{/SENSITIVE}}{{#POSSIBLE_OPT_OUT}}<div class="msg-flag">Possible opt-out: if they asked to stop, <a href="{{CONSENTS_URL}}">record it on the Consents page</a>.</div>{{/POSSIBLE_OPT_OUT}}{{#STATUS}}<div class="msg-status status-{{STATUS}}">{{STATUS_TEXT}}{{#STATUS_ERROR}}: <span class="msg-failure">{{ERROR_TEXT}}</span>{{#ERROR_DETAIL}} <span class="msg-failure-code">({{ERROR_DETAIL}})</span>{{/ERROR_DETAIL}}{{#RESEND}} <form method="post" action="/sms/resend" class="msg-resend"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="once" value="{{SUBMIT_TOKEN}}"><input type="hidden" name="message" value="{{MESSAGE_ID}}"><input type="hidden" name="back" value="{{BACK}}">{{#ANYWAY}}<input type="hidden" name="send_anyway" value="1"><span class="msg-resend-warning">{{WARNING_TEXT}}</span> {{/ANYWAY}}<button type="submit" class="link-button">{{RESEND_LABEL}}</button></form>{{/RESEND}}{{#RESENT}} <a class="msg-resent" href="#msg-{{RESENT_ID}}">Resent</a>{{/RESENT}}{{#NO_RESEND}} <span class="msg-resend-refused">{{NO_RESEND_TEXT}}</span>{{/NO_RESEND}}{{/STATUS_ERROR}}</div>{{/STATUS}}{{#SCHEDULED}}<div class="msg-status status-scheduled">{{SCHEDULED_TEXT}}{{#CANCEL}} <form method="post" action="/sms/cancel" class="msg-cancel"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="message" value="{{MESSAGE_ID}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="link-button">Cancel</button></form>{{/CANCEL}}</div>{{/SCHEDULED}}
</li>
{{/MESSAGE}}
{{#LATEST_TEXTS}}<li class="msg-earlier"><a href="{{LATEST_URL}}">Latest messages</a></li>
{{/LATEST_TEXTS}}</ol>
{{#NO_MESSAGES}}<p class="muted chat-empty">No messages yet.</p>{{/NO_MESSAGES}}
</div>
<form method="post" action="/sms/send" class="chat-send{{#REFUSED}} refused{{/REFUSED}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="once" value="{{SUBMIT_TOKEN}}">
<input type="hidden" name="lead" value="{{LEAD_ID}}">
<input type="hidden" name="contact" value="{{CONTACT_ID}}">
<input type="hidden" name="agent" value="{{AGENT_ID}}">
<input type="hidden" name="back" value="{{BACK}}">
{{#SEND_ERROR}}<p class="chat-error" role="alert">{{ERROR_TEXT}}</p>{{/SEND_ERROR}}
{{#QUIET}}<p class="chat-quiet">{{QUIET_TEXT}}</p>{{/QUIET}}
{{#REFUSED}}<p class="chat-reason">{{REASON}}{{#REASON_CONSENTS}} · <a href="{{CONSENTS_URL}}">Consents</a>{{/REASON_CONSENTS}}</p>{{/REFUSED}}
<label class="sr" for="chat-body-{{LEAD_ID}}">Message</label>
<textarea id="chat-body-{{LEAD_ID}}" name="body" rows="3" data-max="{{MAX_CHARS}}" data-advanced="{{ADVANCED}}"{{#REFUSED}} readonly aria-disabled="true"{{/REFUSED}} aria-describedby="chat-count-{{LEAD_ID}} chat-problem-{{LEAD_ID}}" placeholder="Type a message">
{{DRAFT}}</textarea>
<p class="chat-problem" id="chat-problem-{{LEAD_ID}}" aria-live="assertive"></p>
<p class="chat-unfilled" id="chat-unfilled-{{LEAD_ID}}" aria-live="polite">{{UNFILLED_TEXT}}</p>
<div class="chat-send-row">
<p class="chat-count" id="chat-count-{{LEAD_ID}}"><span class="chars-left">{{CHARS_LEFT}}</span><span class="chars-words"> {{CHARS_WORDS}}</span> · <span class="billed">{{BILLED}}</span> billed</p>
{{#ALLOWED}}<button type="submit" class="primary" title="Send (Ctrl+Enter)">Send</button>{{/ALLOWED}}
{{#SEND_ANYWAY}}<button type="submit" name="send_anyway" value="1" class="danger">Send anyway</button>{{/SEND_ANYWAY}}
{{#REFUSED}}<button type="submit" class="primary" disabled>Send</button>{{/REFUSED}}
</div>
<div class="chat-lookalikes" id="chat-lookalikes-{{LEAD_ID}}" aria-live="polite">{{#LOOKALIKES}}{{#LOOKALIKES_REPLACE}}<p>This text has look-alike characters ({{NAMES}}) that {{WHY}}. Replaced, it goes as:</p>
<p class="chat-lookalikes-text">{{REPLACED}}</p>
<p><button type="submit" name="replace_lookalikes" value="{{REPLACED}}">Replace them and send</button> <span class="chat-lookalikes-count">→ {{SEGMENTS}}</span></p>{{/LOOKALIKES_REPLACE}}{{#LOOKALIKES_OTHERS}}<p>This text has look-alike characters ({{NAMES}}), but replacing them would not be enough: other special characters remain ({{OTHERS}}).</p>{{/LOOKALIKES_OTHERS}}{{/LOOKALIKES}}</div>
{{#ALLOWED}}{{#DRAFT_LATER}}<input type="hidden" name="draft_later" value="1">{{/DRAFT_LATER}}<details class="chat-later"{{#LATER_OPEN}} open{{/LATER_OPEN}}>
<summary>Send later</summary>
<div class="chat-later-row">
<label for="chat-at-{{LEAD_ID}}">Send at (your time, {{ZONE}})</label>
<input type="datetime-local" id="chat-at-{{LEAD_ID}}" name="send_at" min="{{LATER_MIN}}" max="{{LATER_MAX}}" value="{{LATER_VALUE}}">
<button type="submit" name="later" value="1">Send later</button>
</div>
</details>{{/ALLOWED}}
</form>
{{#CONSENT_ASK}}<form method="post" action="/sms/consent" class="chat-consent">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="lead" value="{{LEAD_ID}}">
<input type="hidden" name="contact" value="{{CONTACT_ID}}">
<input type="hidden" name="back" value="{{BACK}}">
<input type="hidden" name="return" value="back">
<button type="submit" class="primary">{{ASK_TEXT}}</button>
</form>{{/CONSENT_ASK}}
{{#CONSENT_LATER}}<p class="chat-consent-later muted">A consent request can be sent again from <time datetime="{{AGAIN_ISO}}">{{AGAIN_AT}}</time>.</p>{{/CONSENT_LATER}}
{{#REPLIES}}<form method="get" action="{{REPLIES_ACTION}}" class="chat-replies" data-box="chat-body-{{LEAD_ID}}">
{{#KEEP}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/KEEP}}<label for="chat-reply-{{LEAD_ID}}">Saved reply</label>
<select id="chat-reply-{{LEAD_ID}}" name="reply_{{LEAD_ID}}">
{{#REPLY}}<option value="{{REPLY_ID}}" data-text="{{MERGED}}" data-note="{{NOTE}}"{{#CHOSEN}} selected{{/CHOSEN}}>{{REPLY_NAME}}</option>
{{/REPLY}}</select>
<button type="submit">Use</button>
<a class="chat-replies-manage" href="/replies">Manage</a>
</form>{{/REPLIES}}
</div>
<aside class="chat-agents" aria-label="Assignments">
<h3>Assignments</h3>
<ul>
{{#AGENT}}<li><a class="chat-agent{{#SELECTED_AGENT}} selected{{/SELECTED_AGENT}}" href="{{AGENT_URL}}">{{#SELECTED_AGENT}}<span class="sr">Shown:</span> {{/SELECTED_AGENT}}{{AGENT_NAME}}{{#YOU}} <span class="muted">(you)</span>{{/YOU}}</a></li>
{{/AGENT}}
</ul>
{{#NO_AGENTS}}<p class="muted">Nobody is assigned.</p>{{/NO_AGENTS}}
{{#FORMER}}<h3>Earlier</h3>
<ul>
{{#FORMER_AGENT}}<li><a class="chat-agent former{{#SELECTED_AGENT}} selected{{/SELECTED_AGENT}}" href="{{AGENT_URL}}">{{#SELECTED_AGENT}}<span class="sr">Shown:</span> {{/SELECTED_AGENT}}{{AGENT_NAME}}{{#YOU}} <span class="muted">(you)</span>{{/YOU}}</a></li>
{{/FORMER_AGENT}}
</ul>{{/FORMER}}
</aside>
</div>
{{/OPEN}}
</section>
{{/CHAT}}
</div>
