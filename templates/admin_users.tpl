{{%AUTOESCAPE context="HTML"}}
<section class="users card">
<h1>Users of {{ORG_NAME}} <span class="count">({{USER_COUNT}})</span></h1>
<p class="muted">Each row is saved on its own; an unchecked box turns the permission off. SMS numbers must be unique across smsdesk.</p>
<div class="table-wrap">
<table class="table users cards">
<thead>
<tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">SMS permission</th><th scope="col">SMS number</th><th scope="col">NMLS ID</th><th scope="col">MMS enabled</th><th scope="col">Display images</th><th scope="col">Active</th><th scope="col"><span class="sr">Save</span></th></tr>
</thead>
<tbody>
{{#USERS}}
<tr id="user-{{ID}}" class="{{#ACTIVE}}active{{/ACTIVE}}{{#INACTIVE}}inactive{{/INACTIVE}}">
<td class="card-title">{{NAME}}{{#SELF}} <span class="muted">(you)</span>{{/SELF}}</td>
<td data-label="Email">{{EMAIL}}</td>
<td data-label="Role">{{#EDITABLE}}<select name="role" form="user-form-{{ID}}" aria-label="Role of {{NAME}}">
<option value="admin"{{#ROLE_ADMIN}} selected{{/ROLE_ADMIN}}>Admin</option>
<option value="manager"{{#ROLE_MANAGER}} selected{{/ROLE_MANAGER}}>Manager</option>
<option value="agent"{{#ROLE_AGENT}} selected{{/ROLE_AGENT}}>Agent</option>
</select>{{/EDITABLE}}{{#SELF}}Admin{{/SELF}}</td>
<td data-label="SMS permission"><input type="checkbox" name="sms_permission" value="1" form="user-form-{{ID}}" aria-label="SMS permission for {{NAME}}"{{#SMS_PERMISSION}} checked{{/SMS_PERMISSION}}></td>
<td data-label="SMS number"><input type="tel" name="sms_number" value="{{SMS_NUMBER}}" form="user-form-{{ID}}" placeholder="No SMS number" maxlength="32" aria-label="SMS number of {{NAME}}"></td>
<td data-label="NMLS ID"><input type="text" name="nmls_id" value="{{NMLS_ID}}" form="user-form-{{ID}}" pattern="[0-9]{1,12}" maxlength="12" size="8" aria-label="NMLS ID of {{NAME}}"></td>
<td data-label="MMS enabled"><input type="checkbox" name="mms_enabled" value="1" form="user-form-{{ID}}" aria-label="MMS enabled for {{NAME}}"{{#MMS_ENABLED}} checked{{/MMS_ENABLED}}></td>
<td data-label="Display images"><input type="checkbox" name="display_images" value="1" form="user-form-{{ID}}" aria-label="Display images for {{NAME}}"{{#DISPLAY_IMAGES}} checked{{/DISPLAY_IMAGES}}></td>
<td data-label="Active">{{#EDITABLE}}<input type="checkbox" name="active" value="1" form="user-form-{{ID}}" aria-label="{{NAME}} is active"{{#ACTIVE}} checked{{/ACTIVE}}>{{/EDITABLE}}{{#SELF}}Yes{{/SELF}}</td>
<td class="card-action"><form class="inline" id="user-form-{{ID}}" method="post" action="/admin/users/{{ID}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#SELF}}<input type="hidden" name="role" value="{{ROLE}}"><input type="hidden" name="active" value="1">{{/SELF}}
<button type="submit" class="primary">Save</button>
</form></td>
</tr>
{{/USERS}}
</tbody>
</table>
</div>
</section>

<section class="create-user card">
<h2>Create user</h2>
<form class="stack" method="post" action="/admin/users">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Email <input type="email" name="email" maxlength="254" autocomplete="off" required></label>
<label>Name <input type="text" name="name" maxlength="200" autocomplete="off" required></label>
<label>Role <select name="role">
<option value="agent" selected>Agent</option>
<option value="manager">Manager</option>
<option value="admin">Admin</option>
</select></label>
<label>Password <input type="password" name="password" autocomplete="new-password" maxlength="{{PASSWORD_MAX}}" required></label>
<p class="hint muted">{{PASSWORD_MIN}} to {{PASSWORD_MAX}} characters; give it to the user, who can change it on their profile.</p>
<label>SMS number <input type="tel" name="sms_number" maxlength="32" placeholder="e.g. (512) 555-0101"></label>
<label>NMLS ID <input type="text" name="nmls_id" pattern="[0-9]{1,12}" maxlength="12"></label>
<p class="hint muted">Named in the consent request the agent sends, when given.</p>
<fieldset>
<legend>Permissions</legend>
<label class="check"><input type="checkbox" name="sms_permission" value="1"> SMS permission</label>
<label class="check"><input type="checkbox" name="mms_enabled" value="1"> MMS enabled</label>
<label class="check"><input type="checkbox" name="display_images" value="1"> Display images</label>
</fieldset>
<button type="submit" class="primary">Create user</button>
</form>
</section>
