{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · smsdesk</title>
<link rel="stylesheet" href="/static/smsdesk.css?v={{ASSET_VERSION}}">
<link rel="icon" href="/static/icons/sms.svg?v={{ASSET_VERSION}}" type="image/svg+xml">
<script src="/static/smsdesk.js?v={{ASSET_VERSION}}" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">smsdesk</a>
{{#USER}}
<nav class="mainnav" aria-label="Main">
{{#LEADS_LINK}}<a href="/leads">Leads</a>{{/LEADS_LINK}}
{{#UNMATCHED_LINK}}<a href="/unmatched">Unmatched{{#UNMATCHED_COUNT}} <span class="badge" title="texts waiting to be filed">{{COUNT}}</span>{{/UNMATCHED_COUNT}}</a>{{/UNMATCHED_LINK}}
{{#ADMIN_LINK}}<a href="/admin/users">Users</a> <a href="/admin/settings">Settings</a> <a href="/reports/usage">Usage</a>{{/ADMIN_LINK}}
{{#SUPERADMIN_LINK}}<a href="/superadmin/orgs">Organizations</a> <a href="/reports/usage">Usage</a>{{/SUPERADMIN_LINK}}
</nav>
<div class="usertools">
<details class="notif">
<summary title="SMS notifications"><img src="/static/icons/sms.svg?v={{ASSET_VERSION}}" alt="SMS notifications" width="22" height="22"></summary>
<div class="menu"><p class="muted">No SMS conversations yet.</p></div>
</details>
<details class="usermenu">
<summary><span class="avatar" aria-hidden="true">{{USER_INITIAL}}</span> {{USER_NAME}}</summary>
<div class="menu">
<a href="/profile">Profile</a>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Sign out</button></form>
</div>
</details>
</div>
{{/USER}}
{{#ANON}}<div class="usertools"><a href="/login">Sign in</a></div>{{/ANON}}
</header>
<main>
{{#FLASH}}<p class="flash {{FLASH_KIND}}" role="status">{{FLASH_TEXT}}</p>{{/FLASH}}
{{>BODY}}
</main>
<footer class="bottom">smsdesk · texting for loan officers</footer>
</body>
</html>
