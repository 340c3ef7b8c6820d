{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · smsdesk</title>
<link rel="stylesheet" href="/static/smsdesk.css?v={{ASSET_VERSION}}">
<link rel="icon" href="/static/icons/sms.svg?v={{ASSET_VERSION}}" type="image/svg+xml">
<script src="/static/sms_text.js?v={{ASSET_VERSION}}" defer></script>
<script src="/static/sensitive.js?v={{ASSET_VERSION}}" defer></script>
<script src="/static/shortener.js?v={{ASSET_VERSION}}" defer></script>
<script src="/static/smsdesk.js?v={{ASSET_VERSION}}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
<a class="brand" href="/">smsdesk</a>
{{#USER}}
<details class="navmenu{{#ADMIN_LINK}} many{{/ADMIN_LINK}}{{#SUPERADMIN_LINK}} many{{/SUPERADMIN_LINK}}">
<summary class="navmenu-button"><span aria-hidden="true">&#9776;</span> Menu</summary>
<nav class="mainnav" aria-label="Main">
{{#LEADS_LINK}}<a href="/leads">Leads</a>{{/LEADS_LINK}}
{{#INBOX_LINK}}<a href="/inbox">Inbox</a>{{/INBOX_LINK}}
{{#UNMATCHED_LINK}}<a href="/unmatched">Unmatched{{#UNMATCHED_COUNT}} <span class="badge" title="texts waiting to be filed">{{COUNT}}</span>{{/UNMATCHED_COUNT}}</a>{{/UNMATCHED_LINK}}
{{#ADMIN_LINK}}<a href="/admin/users">Users</a> <a href="/admin/settings">Settings</a> <a href="/reports/usage">Usage</a>{{/ADMIN_LINK}}
{{#SUPERADMIN_LINK}}<a href="/superadmin/orgs">Organizations</a> <a href="/reports/usage">Usage</a>{{/SUPERADMIN_LINK}}
</nav>
</details>
<div class="usertools">
{{#NEEDS_REPLY_COUNT}}<a class="needs-count" href="/inbox?show=needs" title="Conversations that need your reply"><span class="badge">{{COUNT}}</span><span class="sr"> {{NEEDS_TEXT}}</span></a>{{/NEEDS_REPLY_COUNT}}
{{#NOTIFICATIONS}}<details class="notif{{#SHAKE}} shake{{/SHAKE}}">
<summary class="notif-icon" title="SMS notifications"><img src="/static/icons/sms.svg?v={{ASSET_VERSION}}" alt="" width="22" height="22"><span class="sr">SMS notifications</span>{{#TOTAL}} <span class="badge notif-total">{{TOTAL}}<span class="sr"> unread</span></span>{{/TOTAL}}</summary>
<div class="menu notif-menu">
<p class="notif-heading">SMS conversations</p>
<ul class="notif-list">
{{#CONVERSATION}}<li><a class="notif-row{{#UNREAD}} unread{{/UNREAD}}" href="{{URL}}"><span class="notif-top"><span class="notif-name">{{CONTACT_NAME}}</span> <time class="notif-when" datetime="{{LAST_ISO}}">{{LAST_WHEN}}</time></span> <span class="notif-lead">{{LEAD_NAME}}</span> <span class="notif-bottom"><span class="notif-last">{{#YOU_WROTE}}You: {{/YOU_WROTE}}{{LAST_TEXT}}</span>{{#NEEDS_REPLY}} <span class="notif-needs">Needs reply, {{WAITING}}</span>{{/NEEDS_REPLY}}{{#UNREAD}} <span class="badge notif-unread">{{UNREAD}}<span class="sr"> unread</span></span>{{/UNREAD}}</span></a></li>
{{/CONVERSATION}}
</ul>
{{#NO_CONVERSATIONS}}<p class="muted notif-empty">No SMS conversations yet.</p>{{/NO_CONVERSATIONS}}
<a class="notif-all" href="/inbox">All conversations</a>
</div>
</details>{{/NOTIFICATIONS}}
{{#NOTIFICATIONS_DOWN}}<span class="muted notif-down" title="The conversations could not be read just now">SMS</span>{{/NOTIFICATIONS_DOWN}}
<details class="usermenu">
<summary><span class="avatar" aria-hidden="true">{{USER_INITIAL}}</span> <span class="user-name">{{USER_NAME}}</span></summary>
<div class="menu">
<a href="/profile">Profile</a>
{{#REPLIES_LINK}}<a href="/replies">Saved replies</a>{{/REPLIES_LINK}}
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Sign out</button></form>
</div>
</details>
</div>
{{/USER}}
{{#ANON}}<div class="usertools"><a href="/login">Sign in</a></div>{{/ANON}}
</header>
<main id="main">
{{#FLASH}}<p class="flash {{FLASH_KIND}}" role="status">{{FLASH_TEXT}}</p>{{/FLASH}}
{{>BODY}}
</main>
<footer class="bottom">smsdesk · texting for loan officers</footer>
</body>
</html>
