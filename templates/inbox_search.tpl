{{%AUTOESCAPE context="HTML"}}
<section class="search-page">
<h1>Search</h1>
<form method="get" action="/inbox" class="inline search-form" role="search">
<label>Search conversations <input type="search" name="q" value="{{Q}}" maxlength="200" placeholder="Words, a name or a number"></label>
<button type="submit">Search</button>
</form>
{{#CONVERSATIONS}}<h2>Contacts, applications and numbers</h2>
<ul class="search-results">
{{#HIT_ROW}}<li><a class="search-row" href="{{URL}}"><span class="search-top"><span class="search-contact">{{#CONTACT}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/CONTACT}}</span> <span class="search-lead">{{#LEAD}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/LEAD}}</span> <span class="search-agent">{{AGENT}}</span></span> <span class="search-text">{{#YOU_WROTE}}You: {{/YOU_WROTE}}{{#BODY}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/BODY}}{{#NO_BODY}}(no text){{/NO_BODY}}</span></a></li>
{{/HIT_ROW}}</ul>
{{/CONVERSATIONS}}
{{#TEXTS}}<h2>Texts</h2>
<ul class="search-results">
{{#HIT_ROW}}<li><a class="search-row" href="{{URL}}"><span class="search-top"><span class="search-contact">{{#CONTACT}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/CONTACT}}</span> <span class="search-lead">{{#LEAD}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/LEAD}}</span> <span class="search-agent">{{AGENT}}</span></span> <span class="search-text">{{#YOU_WROTE}}You: {{/YOU_WROTE}}{{#BODY}}{{#HIT}}<mark>{{TEXT}}</mark>{{/HIT}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}{{/BODY}}{{#NO_BODY}}(no text){{/NO_BODY}}</span></a></li>
{{/HIT_ROW}}</ul>
{{/TEXTS}}
{{#NO_MATCH}}<p class="muted search-none">No conversation matches “{{Q}}”.</p>{{/NO_MATCH}}
{{#SHORT_WORDS}}<p class="muted">Words of one or two letters are looked for only at the start of longer words in names, not in texts.</p>{{/SHORT_WORDS}}
{{#NO_QUERY}}<p class="muted">Type words from a text, a contact's or an application's name, or a phone number (the last 4 digits are enough).</p>{{/NO_QUERY}}
{{#PAGER}}<nav class="pager" aria-label="Pages">
{{#PREV}}<a href="{{PREV_URL}}">← Previous</a>{{/PREV}}
<span>Page {{PAGE}}</span>
{{#NEXT}}<a href="{{NEXT_URL}}">Next →</a>{{/NEXT}}
</nav>{{/PAGER}}
</section>
