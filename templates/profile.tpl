{{%AUTOESCAPE context="HTML"}}
<section class="profile card">
<h1>Your profile</h1>
<dl class="facts">
<dt>Name</dt><dd>{{NAME}}</dd>
<dt>Email</dt><dd>{{EMAIL}}</dd>
<dt>Role</dt><dd>{{ROLE}}</dd>
<dt>Organization</dt><dd>{{#ORG}}{{ORG_NAME}}{{/ORG}}{{#NO_ORG}}None (you run the service){{/NO_ORG}}</dd>
<dt>SMS number</dt><dd class="sms-number">{{#SMS_NUMBER}}{{NUMBER}}{{/SMS_NUMBER}}{{#NO_SMS_NUMBER}}No SMS number{{/NO_SMS_NUMBER}}</dd>
</dl>
<h2>Permissions</h2>
<dl class="facts permissions">
<dt>SMS permission</dt><dd>{{SMS_PERMISSION}}</dd>
<dt>MMS enabled</dt><dd>{{MMS_ENABLED}}</dd>
<dt>Display images</dt><dd>{{DISPLAY_IMAGES}}</dd>
</dl>
<p class="muted">Your organization's administrator sets your SMS number and permissions.</p>
</section>

<section class="password card">
<h2>Change your password</h2>
<form class="stack" method="post" action="/profile/password">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
<label>New password <input type="password" name="new" autocomplete="new-password" maxlength="{{PASSWORD_MAX}}" required></label>
<label>New password again <input type="password" name="confirm" autocomplete="new-password" maxlength="{{PASSWORD_MAX}}" required></label>
<p class="hint muted">{{PASSWORD_MIN}} to {{PASSWORD_MAX}} characters. Changing it signs you out everywhere else.</p>
<button type="submit" class="primary">Change password</button>
</form>
</section>
