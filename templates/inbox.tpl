{{%AUTOESCAPE context="HTML"}}
<section class="inbox">
<h1>Inbox</h1>
<form class="inbox-search" method="get" action="/inbox" role="search"><label for="inbox-q">Search the texts</label> <input id="inbox-q" type="search" name="q"> <button type="submit">Search</button></form>
<nav class="inbox-filters" aria-label="Conversations to show">
{{#FILTER}}<a href="{{URL}}"{{#CURRENT}} class="current"{{/CURRENT}}>{{#CURRENT}}<span class="sr">Shown: </span>{{/CURRENT}}{{LABEL}}</a>
{{/FILTER}}
</nav>
<ul class="inbox-list">
{{#ROW}}<li class="inbox-row{{#NEEDS}} needs{{/NEEDS}}">
<div class="inbox-main">
<p class="inbox-top"><span class="consent consent-{{CONSENT_COLOR}}" title="{{CONSENT_TEXT}}"><span class="sr">{{CONSENT_TEXT}}</span></span> <a class="inbox-open" href="{{URL}}"><span class="inbox-name">{{CONTACT_NAME}}</span></a> <span class="inbox-role">{{CONTACT_ROLE}}</span> <time class="inbox-when" datetime="{{WHEN_ISO}}">{{WHEN}}</time></p>
<p class="inbox-where"><span class="inbox-lead">{{LEAD_NAME}}</span> · <span class="inbox-agent">{{AGENT_NAME}} <span class="inbox-number">{{AGENT_NUMBER}}</span></span></p>
<p class="inbox-last"><span class="inbox-who">{{WHO}}:</span> {{LAST_TEXT}}</p>
{{#NEEDS_REPLY}}<p class="inbox-needs">Needs reply, {{WAITING}}</p>{{/NEEDS_REPLY}}
</div>
<div class="inbox-actions">
{{#DONE_FORM}}<form method="post" action="/inbox/done"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="agent" value="{{AGENT}}"><input type="hidden" name="lead" value="{{LEAD}}"><input type="hidden" name="contact" value="{{CONTACT}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit">Done<span class="sr"> with {{CONTACT_NAME}}</span></button></form>{{/DONE_FORM}}
{{#UNREAD_FORM}}<form method="post" action="/inbox/unread"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="agent" value="{{AGENT}}"><input type="hidden" name="lead" value="{{LEAD}}"><input type="hidden" name="contact" value="{{CONTACT}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="link-button">Mark unread<span class="sr">: {{CONTACT_NAME}}</span></button></form>{{/UNREAD_FORM}}
</div>
</li>
{{/ROW}}
</ul>
{{#NOTHING_NEEDS}}<p class="muted">No conversation needs a reply.</p>{{/NOTHING_NEEDS}}
{{#NO_CONVERSATIONS}}<p class="muted">No SMS conversations here.</p>{{/NO_CONVERSATIONS}}
<nav class="pager" aria-label="Pages">
{{#NEWER}}<a href="{{URL}}">← Newer</a>{{/NEWER}}
<span>Page {{PAGE}}</span>
{{#OLDER}}<a href="{{URL}}">Older →</a>{{/OLDER}}
</nav>
</section>
