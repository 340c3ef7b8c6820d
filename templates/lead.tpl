{{%AUTOESCAPE context="HTML"}}
<section class="lead">
<div class="lead-head">
<div>
<p class="crumbs"><a href="/leads">Leads</a> ›</p>
<h1>{{LEAD_NAME}}</h1>
<p class="muted"><span class="status">{{LEAD_STATUS}}</span> · updated <time datetime="{{UPDATED_ISO}}">{{UPDATED}}</time></p>
</div>
<nav class="action-tools" aria-label="Action Tools">
<a class="icon-button" href="{{SMS_URL}}" title="Send SMS"><img src="/static/icons/sms.svg?v={{ASSET_VERSION}}" alt="Send SMS" width="22" height="22"> SMS</a>
<a class="button" href="/leads/{{LEAD_ID}}/loanfile" title="Every text and consent event of this lead, printable, with its CSV">Loan file</a>
</nav>
</div>

<div class="columns">
<section class="card">
<h2>Contacts</h2>
<table class="table cards">
<thead><tr><th>Name</th><th>Role</th><th>Mobile</th>{{#ADMIN}}<th><span class="sr">Edit</span></th>{{/ADMIN}}</tr></thead>
<tbody>
{{#CONTACT}}
<tr>
<td class="card-title">{{CONTACT_NAME}}</td>
<td data-label="Role">{{CONTACT_ROLE}}</td>
<td class="nowrap" data-label="Mobile"><span class="phone">{{CONTACT_MOBILE}}</span></td>
{{#EDIT_CONTACT}}<td>
<details><summary>Edit</summary>
<form method="post" action="/leads/{{LEAD_ID}}/contacts/{{CONTACT_ID}}" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" value="{{CONTACT_NAME}}" required maxlength="200"></label>
<label>Mobile <input name="mobile" value="{{CONTACT_MOBILE_VALUE}}" inputmode="tel" maxlength="32"></label>
<button type="submit">Save</button>
</form>
</details>
</td>{{/EDIT_CONTACT}}{{#NO_EDIT}}<td></td>{{/NO_EDIT}}
</tr>
{{/CONTACT}}
</tbody>
</table>
{{#NO_CONTACTS}}<p class="muted">No contacts yet.</p>{{/NO_CONTACTS}}

{{#ADMIN}}
<details class="admin-form">
<summary>Add a borrower or co-borrower</summary>
<form method="post" action="/leads/{{LEAD_ID}}/contacts" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Role <select name="role"><option value="borrower">Borrower</option><option value="co_borrower">Co-borrower</option></select></label>
<label>Name <input name="name" required maxlength="200"></label>
<label>Mobile <input name="mobile" inputmode="tel" maxlength="32" placeholder="(512) 555-0100"></label>
<button type="submit" class="primary">Add contact</button>
</form>
</details>
<details class="admin-form">
<summary>Link a partner</summary>
<form method="post" action="/leads/{{LEAD_ID}}/partners" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Existing partner <select name="partner">
<option value="0">— a new partner (fill in below) —</option>
{{#PARTNER_OPTION}}<option value="{{PARTNER_ID}}">{{PARTNER_NAME}} · {{PARTNER_ROLE}} · {{PARTNER_MOBILE}}</option>{{/PARTNER_OPTION}}
</select></label>
<label>New partner's name <input name="name" maxlength="200"></label>
<label>Role <select name="partner_role"><option>Real Estate Agent</option><option>Referral Partner</option></select></label>
<label>Mobile <input name="mobile" inputmode="tel" maxlength="32"></label>
<button type="submit" class="primary">Link partner</button>
</form>
</details>
{{/ADMIN}}
</section>

<section class="card">
<h2>Assignments</h2>
<ul class="agents">
{{#AGENT}}<li><span class="agent-name">{{AGENT_NAME}}</span> <span class="muted">{{AGENT_ROLE}} · <span class="phone">{{AGENT_NUMBER}}</span></span>
{{#UNASSIGN}}<form method="post" action="/leads/{{LEAD_ID}}/assignments" class="inline">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="action" value="unassign"><input type="hidden" name="user" value="{{AGENT_ID}}">
<button type="submit" class="link">Unassign</button></form>{{/UNASSIGN}}
</li>{{/AGENT}}
</ul>
{{#NO_AGENTS}}<p class="muted">Nobody is assigned.</p>{{/NO_AGENTS}}
{{#ASSIGN_FORMS}}
<form method="post" action="/leads/{{LEAD_ID}}/assignments" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="action" value="assign">
<label>Assign <select name="user">{{#FREE_OPTION}}<option value="{{USER_ID}}">{{USER_NAME}} ({{USER_ROLE}})</option>{{/FREE_OPTION}}</select></label>
<button type="submit">Assign</button>
</form>
<form method="post" action="/leads/{{LEAD_ID}}/assignments" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="action" value="reassign">
<label>Reassign from <select name="from">{{#ASSIGNED_OPTION}}<option value="{{USER_ID}}">{{USER_NAME}}</option>{{/ASSIGNED_OPTION}}</select></label>
<label>to <select name="to">{{#FREE_OPTION}}<option value="{{USER_ID}}">{{USER_NAME}} ({{USER_ROLE}})</option>{{/FREE_OPTION}}</select></label>
<button type="submit">Reassign</button>
</form>
{{/ASSIGN_FORMS}}
</section>
</div>
</section>
{{>CHATBOXES}}
