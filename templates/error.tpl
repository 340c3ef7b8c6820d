{{%AUTOESCAPE context="HTML"}}
<section class="error">
<h1>{{HEADING}}</h1>
<p>{{TEXT}}</p>
{{#NOTICE}}<p class="detail">{{NOTICE_TEXT}}</p>{{/NOTICE}}
<p class="meta">Error {{STATUS}} · request {{REQUEST_ID}}</p>
<p><a href="/">Back to the start page</a></p>
</section>
