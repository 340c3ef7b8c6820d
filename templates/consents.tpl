{{%AUTOESCAPE context="HTML"}}
<section class="consents">
<p class="crumbs"><a href="/leads">Leads</a> › <a href="/leads/{{LEAD_ID}}">{{LEAD_NAME}}</a> ›</p>
<h1>Consents</h1>
<p><a href="{{BACK}}">← Back to the chatbox</a></p>
<p class="muted">Circles show consent for texts from your number, <span class="phone">{{YOUR_NUMBER}}</span>; a partner's consent covers the whole organization.</p>
{{#SENT}}<p class="flash ok" role="status">{{SENT_TEXT}}</p>{{/SENT}}
{{#REFUSED}}<p class="flash error" role="alert">{{REFUSED_TEXT}}</p>{{/REFUSED}}
<table class="table consent-table cards">
<thead><tr><th>Contact</th><th>Consent</th><th>Covers</th><th>Last change</th><th><span class="sr">Actions</span></th></tr></thead>
<tbody>
{{#CONTACT}}
<tr>
<td class="card-title"><strong>{{CONTACT_NAME}}</strong><br><span class="muted">{{CONTACT_ROLE}} · <span class="phone">{{CONTACT_NUMBER}}</span></span></td>
<td class="nowrap" data-label="Consent"><span class="consent consent-{{CONSENT_COLOR}}"><span class="sr">{{CONSENT_COLOR}} circle:</span></span> {{CONSENT_TEXT}}</td>
<td data-label="Covers">{{SCOPE}}</td>
<td data-label="Last change">{{WHY}}{{#CHANGED}}<br><time class="muted" datetime="{{CHANGED_ISO}}">{{CHANGED_AT}}</time>{{/CHANGED}}</td>
<td class="consent-actions card-action">
{{#ASK}}<form method="post" action="/sms/consent"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="lead" value="{{LEAD_ID}}"><input type="hidden" name="contact" value="{{CONTACT_ID}}"><input type="hidden" name="back" value="{{HERE}}"><button type="submit" class="primary">{{ASK_TEXT}}</button></form>{{/ASK}}
{{#ASK_LATER}}<button type="button" disabled>Resend consent</button><p class="muted">Can be sent again after <time datetime="{{AGAIN_ISO}}">{{AGAIN_AT}}</time>.</p>{{/ASK_LATER}}
{{#ASK_NOTE}}<p class="muted">{{ASK_NOTE_TEXT}}</p>{{/ASK_NOTE}}
{{#OPT_OUT}}<details><summary>Record opt-out</summary>
<form method="post" action="/leads/{{LEAD_ID}}/consents/optout" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="contact" value="{{CONTACT_ID}}">
<label>How it was received <input name="note" required maxlength="255" placeholder="e.g. asked by phone on 12/1"></label>
<button type="submit">Record opt-out</button>
</form></details>{{/OPT_OUT}}
</td>
</tr>
{{/CONTACT}}
</tbody>
</table>
{{#NO_CONTACTS}}<p class="muted">No contact of this application has a mobile number.</p>{{/NO_CONTACTS}}
<h2>Consent ledger</h2>
<p><a class="button" href="/leads/{{LEAD_ID}}/consents.csv">Download as CSV</a></p>
<table class="table ledger cards">
<thead><tr><th>When</th><th>Contact</th><th>Covers</th><th>Change</th><th>Source</th><th>By</th><th>Text</th></tr></thead>
<tbody>
{{#LEDGER}}
<tr><td class="nowrap card-title"><time datetime="{{AT_ISO}}">{{AT}}</time></td><td data-label="Contact">{{WHO}}<br><span class="muted phone">{{NUMBER}}</span></td><td data-label="Covers">{{SCOPE}}</td><td class="nowrap" data-label="Change">{{OLD}} → {{NEW}}</td><td data-label="Source">{{SOURCE}}</td><td data-label="By">{{BY}}</td><td data-label="Text">{{TEXT}}{{#HAS_NOTE}}<br><span class="muted">{{NOTE}}</span>{{/HAS_NOTE}}</td></tr>
{{/LEDGER}}
</tbody>
</table>
{{#NO_LEDGER}}<p class="muted">No consent has changed yet.</p>{{/NO_LEDGER}}
</section>
