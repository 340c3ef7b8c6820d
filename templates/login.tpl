{{%AUTOESCAPE context="HTML"}}
<section class="login card">
<h1>Sign in</h1>
{{#ERROR}}<p class="flash error" role="alert">{{ERROR_TEXT}}</p>{{/ERROR}}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#NEXT}}<input type="hidden" name="next" value="{{NEXT_PATH}}">{{/NEXT}}
<label>Email <input type="email" name="email" value="{{EMAIL}}" autocomplete="username" required autofocus></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit" class="primary">Sign in</button>
</form>
</section>
