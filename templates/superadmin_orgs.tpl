{{%AUTOESCAPE context="HTML"}}
<section class="orgs card">
<h1>Organizations <span class="count">({{ORG_COUNT}})</span></h1>
<p class="muted">The advanced SMS level (640 characters, emoji and other characters the standard texts refuse) is set on an organization's request via Customer Support.</p>
{{#NO_ORGS}}<p>No organizations yet: create the first one below.</p>{{/NO_ORGS}}
<div class="table-wrap">
<table class="table orgs cards">
<thead>
<tr><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">Users (active)</th><th scope="col">SMS</th><th scope="col">SMS level</th><th scope="col"><span class="sr">Save</span></th></tr>
</thead>
<tbody>
{{#ORGS}}
<tr id="org-{{ID}}" class="{{#SMS_ON}}sms-on{{/SMS_ON}}{{#SMS_OFF}}sms-off{{/SMS_OFF}}">
<td class="card-title">{{NAME}}</td>
<td data-label="Time zone" title="{{TIME_ZONE}}">{{ZONE_LABEL}}</td>
<td data-label="Users (active)">{{USERS}} ({{ACTIVE_USERS}})</td>
<td data-label="SMS"><label class="check"><input type="checkbox" name="sms_enabled" value="1" form="org-form-{{ID}}"{{#SMS_ON}} checked{{/SMS_ON}}> SMS on</label></td>
<td data-label="SMS level"><select name="sms_level" form="org-form-{{ID}}" aria-label="SMS level of {{NAME}}">
<option value="standard"{{#LEVEL_STANDARD}} selected{{/LEVEL_STANDARD}}>Standard</option>
<option value="advanced"{{#LEVEL_ADVANCED}} selected{{/LEVEL_ADVANCED}}>Advanced</option>
</select></td>
<td class="card-action"><form class="inline" id="org-form-{{ID}}" method="post" action="/superadmin/orgs/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="primary">Save</button>
</form></td>
</tr>
{{/ORGS}}
</tbody>
</table>
</div>
</section>

<section class="create-org card">
<h2>Create organization</h2>
<form class="stack" method="post" action="/superadmin/orgs">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input type="text" name="name" maxlength="200" required></label>
<label>Time zone <input type="text" name="time_zone" value="America/Chicago" list="time-zones" maxlength="64" required></label>
<datalist id="time-zones">
<option value="America/New_York" label="Eastern">
<option value="America/Chicago" label="Central">
<option value="America/Denver" label="Mountain">
<option value="America/Phoenix" label="Arizona">
<option value="America/Los_Angeles" label="Pacific">
<option value="America/Anchorage" label="Alaska">
<option value="Pacific/Honolulu" label="Hawaii">
</datalist>
<label class="check"><input type="checkbox" name="sms_enabled" value="1"> SMS on</label>
<label>SMS level <select name="sms_level">
<option value="standard" selected>Standard</option>
<option value="advanced">Advanced</option>
</select></label>
<fieldset>
<legend>First administrator</legend>
<label>Email <input type="email" name="admin_email" maxlength="254" autocomplete="off" required></label>
<label>Name <input type="text" name="admin_name" maxlength="200" autocomplete="off" required></label>
<label>Password <input type="password" name="admin_password" autocomplete="new-password" maxlength="{{PASSWORD_MAX}}" required></label>
</fieldset>
<button type="submit" class="primary">Create organization</button>
</form>
</section>
