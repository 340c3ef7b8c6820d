{{%AUTOESCAPE context="HTML"}}
<section class="unmatched">
<h1>Unmatched texts</h1>
<p class="muted">Texts from numbers that are on no application of your organization. File one to an application and it shows in that application's chatbox.</p>
<table class="table cards">
<thead><tr><th>Received</th><th>From</th>{{#AGENT_HEADER}}<th>To</th>{{/AGENT_HEADER}}<th>Text</th><th><span class="sr">Actions</span></th></tr></thead>
<tbody>
{{#MESSAGE}}
<tr>
<td class="nowrap" data-label="Received"><time datetime="{{WHEN_ISO}}">{{WHEN}}</time></td>
<td class="nowrap card-title" data-label="From"><span class="phone">{{FROM}}</span></td>
{{#AGENT_COLUMN}}<td data-label="To">{{AGENT}}</td>{{/AGENT_COLUMN}}
<td data-label="Text">{{BODY}}{{#IMAGES}} <span class="muted">({{NUM_MEDIA}} image(s))</span>{{/IMAGES}}</td>
<td class="card-action"><a class="button" href="/unmatched/{{ID}}">File to an application</a></td>
</tr>
{{/MESSAGE}}
</tbody>
</table>
{{#NONE}}<p class="muted">No unmatched texts.</p>{{/NONE}}
<nav class="pager" aria-label="Pages">
{{#PREV}}<a href="/unmatched?page={{PREV_PAGE}}">← Newer</a>{{/PREV}}
<span>Page {{PAGE}}</span>
{{#NEXT}}<a href="/unmatched?page={{NEXT_PAGE}}">Older →</a>{{/NEXT}}
</nav>
</section>
