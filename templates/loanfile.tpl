{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loan file · {{LEAD_NAME}} · smsdesk</title>
<link rel="stylesheet" href="/static/loanfile.css?v={{ASSET_VERSION}}">
</head>
<body class="loanfile">
<header>
<nav class="noprint" aria-label="Loan file"><a href="/leads/{{LEAD_ID}}">Back to the lead</a> · <a href="/leads/{{LEAD_ID}}/loanfile.csv">Download the CSV</a> · print this page for the loan file</nav>
<h1>SMS loan file: {{LEAD_NAME}}</h1>
<dl class="facts">
<dt>Application</dt><dd>#{{LEAD_ID}} · {{LEAD_STATUS}} · {{ORG_NAME}}</dd>
<dt>Generated</dt><dd>{{GENERATED_LOCAL}} {{ZONE}} ({{GENERATED_UTC}} UTC) for {{VIEWER}}</dd>
<dt>Times</dt><dd>in {{ZONE}}</dd>
<dt>Contents</dt><dd>{{MESSAGE_COUNT}} messages of every agent on the application, {{CONSENT_COUNT}} consent events</dd>
<dt>SHA-256 of the CSV</dt><dd><code class="hash">{{CSV_SHA256}}</code> ({{CSV_ROWS}} rows after its header)</dd>
</dl>
<p class="note">A read-only record. Messages are never edited after they are stored (their delivery status only moves forward: queued, sending, sent, then delivered, undelivered or failed) and consent events are only ever added. The CSV download of this record, for this viewer's time zone, has the SHA-256 above until a status moves or a message or event is added.</p>
</header>
<main>
<section>
<h2>Messages</h2>
<table class="record">
<thead><tr><th>#</th><th>Time ({{ZONE}})</th><th>From</th><th>To</th><th>Text</th><th>Status</th></tr></thead>
<tbody>
{{#MESSAGE}}<tr class="msg-{{DIRECTION}}">
<td>{{ID}}</td>
<td class="nowrap">{{WHEN}}</td>
<td>{{FROM}}<br><span class="nowrap">{{FROM_NUMBER}}</span></td>
<td>{{TO}}<br><span class="nowrap">{{TO_NUMBER}}</span></td>
<td><span class="type">{{TYPE}}</span> <span class="body">{{BODY}}</span>{{#SENSITIVE}}<br><span class="flag">Sensitive data: {{SENSITIVE_KIND}}{{#ANYWAY}}, sent anyway by {{ANYWAY_BY}}{{/ANYWAY}}</span>{{/SENSITIVE}}{{#SHORTENER}}<br><span class="flag">Link shortener: {{SHORTENER}}{{#ANYWAY}}, sent anyway by {{ANYWAY_BY}}{{/ANYWAY}}</span>{{/SHORTENER}}{{#IMAGE}}<br><span class="image">Image {{IMAGE_ID}}: {{IMAGE_STATUS}}, {{IMAGE_TYPE}}, {{IMAGE_SIZE}} bytes, SHA-256 <code>{{IMAGE_SHA256}}</code>{{#IMAGE_ERROR}} ({{IMAGE_ERROR_TEXT}}){{/IMAGE_ERROR}}</span>{{/IMAGE}}</td>
<td>{{STATUS}}<br><span class="nowrap">{{STATUS_AT}}</span>{{#ERROR}}<br><span class="error">error {{ERROR_CODE}} {{ERROR_MESSAGE}}</span>{{/ERROR}}</td>
</tr>
{{/MESSAGE}}
</tbody>
</table>
{{#NO_MESSAGES}}<p>No messages.</p>{{/NO_MESSAGES}}
</section>
<section>
<h2>Consent events</h2>
<table class="record">
<thead><tr><th>#</th><th>Time ({{ZONE}})</th><th>Contact</th><th>Covers</th><th>Change</th><th>Source</th><th>By</th><th>Text or note</th></tr></thead>
<tbody>
{{#CONSENT}}<tr>
<td>{{ID}}</td>
<td class="nowrap">{{WHEN}}</td>
<td>{{CONTACT}}<br><span class="nowrap">{{NUMBER}}</span></td>
<td>{{SCOPE}}</td>
<td>{{OLD}} → {{NEW}}</td>
<td>{{SOURCE}}</td>
<td>{{BY}}</td>
<td>{{TEXT}} {{NOTE}}</td>
</tr>
{{/CONSENT}}
</tbody>
</table>
{{#NO_CONSENTS}}<p>No consent events.</p>{{/NO_CONSENTS}}
</section>
</main>
</body>
</html>
