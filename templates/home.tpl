{{%AUTOESCAPE context="HTML"}}
<section class="home">
<h1>smsdesk</h1>
<p>Text borrowers and partners from your own number, with consent tracked.</p>
<p><a class="button" href="/login">Sign in</a></p>
</section>
