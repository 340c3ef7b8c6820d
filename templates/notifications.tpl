{{%AUTOESCAPE context="HTML"}}
<section class="notifications">
<h1>SMS conversations</h1>
<p class="muted">Your conversations, the most recent first. Unread counts are the texts received since your previous page load.</p>
<ul class="notif-list notif-page">
{{#CONVERSATION}}<li><a class="notif-row{{#UNREAD}} unread{{/UNREAD}}" href="{{URL}}"><span class="notif-top"><span class="notif-name">{{CONTACT_NAME}}</span> <span class="notif-when">{{LAST_WHEN}}</span></span> <span class="notif-lead">{{LEAD_NAME}}</span> <span class="notif-bottom"><span class="notif-last">{{#YOU_WROTE}}You: {{/YOU_WROTE}}{{LAST_TEXT}}</span>{{#UNREAD}} <span class="badge notif-unread">{{UNREAD}}<span class="sr"> unread</span></span>{{/UNREAD}}</span></a></li>
{{/CONVERSATION}}
</ul>
{{#NO_CONVERSATIONS}}<p class="muted">No SMS conversations yet.</p>{{/NO_CONVERSATIONS}}
<nav class="pager" aria-label="Pages">
{{#PREV}}<a href="/notifications?page={{PREV_PAGE}}">← Newer</a>{{/PREV}}
<span>Page {{PAGE}}</span>
{{#NEXT}}<a href="/notifications?page={{NEXT_PAGE}}">Older →</a>{{/NEXT}}
</nav>
</section>
