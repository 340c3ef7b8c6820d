{{%AUTOESCAPE context="HTML"}}
<section class="leads">
<h1>Leads</h1>
{{#CREATE}}
<details class="card create">
<summary>New lead</summary>
<form method="post" action="/leads" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" required maxlength="200"></label>
<label>Status <input name="status" value="New" maxlength="50"></label>
<button type="submit" class="primary">Create lead</button>
</form>
</details>
{{/CREATE}}
<table class="table cards">
<thead><tr><th>Lead</th><th>Borrower</th><th>Status</th><th>Assigned</th><th>Updated</th><th><span class="sr">Quick Action Tools</span></th></tr></thead>
<tbody>
{{#LEAD}}
<tr>
<td class="card-title"><a href="/leads/{{ID}}">{{NAME}}</a></td>
<td data-label="Borrower">{{BORROWER}}</td>
<td data-label="Status"><span class="status">{{STATUS}}</span></td>
<td data-label="Assigned">{{AGENTS}}</td>
<td class="nowrap" data-label="Updated"><time datetime="{{UPDATED_ISO}}">{{UPDATED}}</time></td>
<td class="quick-actions"><a class="icon-button" href="{{SMS_URL}}" title="Send SMS"><img src="/static/icons/sms.svg?v={{ASSET_VERSION}}" alt="Send SMS" width="20" height="20"></a></td>
</tr>
{{/LEAD}}
</tbody>
</table>
{{#NO_LEADS}}<p class="muted">No leads to show.</p>{{/NO_LEADS}}
<nav class="pager" aria-label="Pages">
{{#PREV}}<a href="/leads?page={{PREV_PAGE}}">← Newer</a>{{/PREV}}
<span>Page {{PAGE}}</span>
{{#NEXT}}<a href="/leads?page={{NEXT_PAGE}}">Older →</a>{{/NEXT}}
</nav>
</section>
{{>CHATBOXES}}
