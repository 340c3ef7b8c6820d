{{%AUTOESCAPE context="HTML"}}
<section class="settings">
<h1>Settings</h1>
{{#PROBLEM}}<p class="flash error" role="alert">{{PROBLEM_TEXT}}</p>{{/PROBLEM}}
<form method="post" action="/admin/settings" class="card stack">
<input type="hidden" name="csrf" value="{{CSRF}}">
<h2>Consent request</h2>
<label for="wording">Wording of the automated request</label>
<textarea id="wording" name="wording" rows="3" maxlength="640">{{WORDING}}</textarea>
<p class="muted">{agent} is the agent's name, {org} your organization's, {nmls} " (NMLS #…)" when the agent has an NMLS ID. It must say START and STOP, and fit your SMS level ({{LEVEL}}) with a long agent name. Default: “{{DEFAULT_WORDING}}”</p>
<p class="muted">As you would send it now: “{{EXAMPLE}}”</p>
<label>Cooling-off between requests to one contact (hours) <input name="cooloff_hours" value="{{COOLOFF}}" pattern="[0-9]+" required></label>
<h2>HELP answer</h2>
<label>How to reach you, in the answer to HELP <input name="help_contact" value="{{HELP_CONTACT}}" maxlength="160" placeholder="e.g. Call (512) 555-0100 or email help@example.com."></label>
<p class="muted">Empty: the answer tells them to call or text the agent's number.</p>
<h2>Sensitive data</h2>
<p class="muted">A text that looks like it holds a Social Security number, a card number or a bank routing and account number:</p>
<label><input type="radio" name="sensitive_policy" value="warn"{{#SENSITIVE_WARN}} checked{{/SENSITIVE_WARN}}> Warn: the agent may choose Send anyway, which is recorded with the message</label>
<label><input type="radio" name="sensitive_policy" value="block"{{#SENSITIVE_BLOCK}} checked{{/SENSITIVE_BLOCK}}> Block: it is never sent</label>
<h2>Quiet hours</h2>
<label>Texting hours, in the recipient's local time <input name="quiet_hours" value="{{QUIET_HOURS}}" pattern="[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}" required aria-describedby="quiet-help"></label>
<p class="muted" id="quiet-help">HH:MM-HH:MM; default {{QUIET_HOURS_DEFAULT}}, the federal window. Florida, Oklahoma, Maryland and Washington allow 08:00-20:00, and their residents get the narrower of the two. A text an agent sends outside them waits and goes when they open; answers to the contact's own texts (START, STOP, HELP) go at once.</p>
<button type="submit" class="primary">Save</button>
</form>
</section>
