{{%AUTOESCAPE context="HTML"}}
<section class="unmatched-file">
<p><a href="/unmatched">← Unmatched texts</a></p>
<h1>File a text from <span class="phone">{{FROM}}</span></h1>
<blockquote class="card">{{BODY}}{{#IMAGES}} <span class="muted">({{NUM_MEDIA}} image(s))</span>{{/IMAGES}}<br><span class="muted">Received <time datetime="{{WHEN_ISO}}">{{WHEN}}</time> on {{AGENT}}'s number</span></blockquote>
<p class="muted">Filing also moves every other unmatched text between these two numbers.</p>
<form method="get" action="/unmatched/{{ID}}" class="inline">
<label>Find an application <input name="q" value="{{Q}}" maxlength="200" placeholder="Name or number"></label>
<button type="submit">Find</button>
</form>
{{#LEAD}}
<div class="card">
<h2><a href="/leads/{{LEAD_ID}}">{{LEAD_NAME}}</a> <span class="status">{{LEAD_STATUS}}</span></h2>
<ul class="file-contacts">
{{#CONTACT}}
<li><form method="post" action="/unmatched/{{MESSAGE_ID}}/file">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="lead" value="{{LEAD_ID}}">
<input type="hidden" name="contact" value="{{CONTACT_ID}}">
<button type="submit">File to {{CONTACT_NAME}}</button> <span class="muted">{{CONTACT_ROLE}} · <span class="phone">{{CONTACT_MOBILE}}</span></span>
</form></li>
{{/CONTACT}}
</ul>
{{#NO_CONTACTS}}<p class="muted">This application has no contacts.</p>{{/NO_CONTACTS}}
</div>
{{/LEAD}}
{{#NO_LEADS}}<p class="muted">No application matches.</p>{{/NO_LEADS}}
<section class="card unmatched-create">
<h2>A new prospect?</h2>
<form method="post" action="/unmatched/{{ID}}/create" class="stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Borrower's name (optional) <input name="name" maxlength="200" autocomplete="off"></label>
<p class="muted">Creates an application with {{FROM}} as its borrower, assigned to {{AGENT}}, files this text there and opens its chatbox.</p>
<button type="submit" class="primary">Create an application</button>
</form>
</section>
</section>
