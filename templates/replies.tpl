{{%AUTOESCAPE context="HTML"}}
<section class="replies">
<h1>Saved replies</h1>
<p class="muted">Offered in every chatbox, already merged for the contact and the agent. Yours are yours alone; your organization's are written by its administrators and offered to everyone in it.</p>

<details class="card merge-help">
<summary>Merge fields</summary>
<ul class="merge-fields">
{{#MERGE_FIELD}}<li><code>{{BRACE_OPEN}}{{FIELD}}{{BRACE_CLOSE}}</code> {{LABEL}}</li>
{{/MERGE_FIELD}}
</ul>
<p class="muted">A field with no value (an agent with no NMLS ID) is shown in brackets, such as [NMLS ID], for you to fill in before sending.</p>
</details>

<section class="card">
<h2>New saved reply</h2>
{{#NEW_PROBLEM}}<p class="flash error" role="alert" id="new-reply-problem">{{TEXT}}</p>{{/NEW_PROBLEM}}
<form method="post" action="/replies" class="stack reply-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" value="{{NEW_NAME}}" maxlength="{{NAME_MAX}}" required></label>
<label>Text <textarea name="body" rows="3" maxlength="{{BODY_MAX}}" required{{#NEW_INVALID}} aria-invalid="true" aria-describedby="new-reply-problem"{{/NEW_INVALID}}>{{NEW_BODY}}</textarea></label>
{{#ADMIN}}<fieldset class="scope"><legend>For</legend>
<label><input type="radio" name="scope" value="own"{{#NEW_OWN_CHECKED}} checked{{/NEW_OWN_CHECKED}}> Me only</label>
<label><input type="radio" name="scope" value="org"{{#NEW_ORG_CHECKED}} checked{{/NEW_ORG_CHECKED}}> Everyone in the organization</label>
</fieldset>{{/ADMIN}}
<button type="submit" class="primary">Save reply</button>
</form>
</section>

<section class="card">
<h2>Your replies</h2>
{{#NO_OWN}}<p class="muted">You have no saved replies yet.</p>{{/NO_OWN}}
<ul class="reply-list">
{{#OWN_REPLY}}<li class="reply" id="reply-{{ID}}">
{{#PROBLEM}}<p class="flash error" role="alert" id="reply-problem-{{ID}}">{{TEXT}}</p>{{/PROBLEM}}
{{#WRITABLE}}<form method="post" action="/replies/{{ID}}" class="stack reply-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" value="{{NAME}}" maxlength="{{NAME_MAX}}" required></label>
<label>Text <textarea name="body" rows="3" maxlength="{{BODY_MAX}}" required{{#INVALID}} aria-invalid="true" aria-describedby="reply-problem-{{ID}}"{{/INVALID}}>{{BODY}}</textarea></label>
<button type="submit">Save changes</button>
</form>
<form method="post" action="/replies/{{ID}}/delete" class="reply-delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" aria-label="Delete {{NAME}}">Delete</button>
</form>{{/WRITABLE}}
</li>
{{/OWN_REPLY}}
</ul>
</section>

<section class="card">
<h2>Your organization's replies</h2>
{{#NO_ORG}}<p class="muted">Your organization has no saved replies yet.</p>{{/NO_ORG}}
<ul class="reply-list">
{{#ORG_REPLY}}<li class="reply" id="reply-{{ID}}">
{{#PROBLEM}}<p class="flash error" role="alert" id="reply-problem-{{ID}}">{{TEXT}}</p>{{/PROBLEM}}
{{#READ_ONLY}}<p class="reply-name"><strong>{{NAME}}</strong></p>
<p class="reply-body">{{BODY}}</p>{{/READ_ONLY}}
{{#WRITABLE}}<form method="post" action="/replies/{{ID}}" class="stack reply-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" value="{{NAME}}" maxlength="{{NAME_MAX}}" required></label>
<label>Text <textarea name="body" rows="3" maxlength="{{BODY_MAX}}" required{{#INVALID}} aria-invalid="true" aria-describedby="reply-problem-{{ID}}"{{/INVALID}}>{{BODY}}</textarea></label>
<button type="submit">Save changes</button>
</form>
<form method="post" action="/replies/{{ID}}/delete" class="reply-delete">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" aria-label="Delete {{NAME}}">Delete</button>
</form>{{/WRITABLE}}
</li>
{{/ORG_REPLY}}
</ul>
</section>
</section>
