{{%AUTOESCAPE context="HTML"}}
<section class="report">
<h1>Usage report · {{ORG_NAME}}</h1>
<form method="get" action="/reports/usage" class="inline report-month">
{{#ORG_FIELD}}<input type="hidden" name="org" value="{{ORG_ID}}">{{/ORG_FIELD}}
<a href="/reports/usage?month={{PREV}}{{SCOPE}}" aria-label="Previous month">← {{PREV_TEXT}}</a>
<label>Month <input type="month" name="month" value="{{MONTH}}" required></label>
<button type="submit">Show</button>
<a href="/reports/usage?month={{NEXT}}{{SCOPE}}" aria-label="Next month">{{NEXT_TEXT}} →</a>
<a class="button" href="/reports/usage.csv?month={{MONTH}}{{SCOPE}}">Download CSV</a>
</form>
<p class="muted">Calendar months in UTC. Sent: texts the carrier accepted. Billed: the messages they are billed as (160 characters each, 70 with a special character). Failed: not sent, or not delivered. Opted out: numbers that withdrew consent.</p>

<div class="report-grid">
<figure class="card chart">
<svg role="img" aria-label="Texts sent and received in {{MONTH_TEXT}}, by {{ROW_KIND}}" viewBox="0 0 {{BARS_W}} {{BARS_H}}" width="100%">
<title>Texts sent and received in {{MONTH_TEXT}}, by {{ROW_KIND}}</title>
{{#BAR}}<text x="4" y="{{LABEL_Y}}" class="chart-label">{{LABEL}}</text>
<rect x="{{X}}" y="{{SENT_Y}}" width="{{SENT_W}}" height="{{BAR_H}}" class="bar-sent"><title>{{LABEL}}: {{SENT}} sent</title></rect>
<text x="{{SENT_TX}}" y="{{SENT_TY}}" class="chart-value">{{SENT}}</text>
<rect x="{{X}}" y="{{GOT_Y}}" width="{{GOT_W}}" height="{{BAR_H}}" class="bar-received"><title>{{LABEL}}: {{GOT}} received</title></rect>
<text x="{{GOT_TX}}" y="{{GOT_TY}}" class="chart-value">{{GOT}}</text>
{{/BAR}}
</svg>
<figcaption><span class="key key-sent" aria-hidden="true">&#9632;</span> Sent <span class="key key-received" aria-hidden="true">&#9632;</span> Received — the same figures are in the table below.</figcaption>
</figure>

<figure class="card chart">
<svg role="img" aria-label="Billed messages, the twelve months to {{MONTH_TEXT}}" viewBox="0 0 {{TREND_W}} {{TREND_H}}" width="100%">
<title>Billed messages, the twelve months to {{MONTH_TEXT}}</title>
{{#MONTH_BAR}}<rect x="{{X}}" y="{{Y}}" width="{{W}}" height="{{H}}" class="bar-billed"><title>{{MONTH_TEXT}}: {{BILLED}} billed ({{SENT}} sent, {{RECEIVED}} received)</title></rect>
<text x="{{TX}}" y="{{TY}}" class="chart-value" text-anchor="middle">{{BILLED}}</text>
<text x="{{TX}}" y="{{LY}}" class="chart-label" text-anchor="middle">{{SHORT}}</text>
{{/MONTH_BAR}}
</svg>
<figcaption>Billed messages per month.</figcaption>
<table class="table sr-table">
<caption class="sr">Billed messages per month</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Sent</th><th scope="col">Received</th><th scope="col">Billed</th></tr></thead>
<tbody>{{#MONTH_BAR}}<tr><td>{{MONTH_TEXT}}</td><td>{{SENT}}</td><td>{{RECEIVED}}</td><td>{{BILLED}}</td></tr>{{/MONTH_BAR}}</tbody>
</table>
</figure>
</div>

<table class="table report-table">
<caption>{{MONTH_TEXT}}, by {{ROW_KIND}}</caption>
<thead><tr><th scope="col">{{ROW_KIND}}</th><th scope="col">Sent</th><th scope="col">Received</th><th scope="col">Billed</th><th scope="col">Failed</th><th scope="col">Opted out</th></tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row">{{#ORG_LINK}}<a href="{{LINK}}">{{NAME}}</a>{{/ORG_LINK}}{{#PLAIN}}{{NAME}}{{/PLAIN}}</th><td>{{SENT}}</td><td>{{RECEIVED}}</td><td>{{BILLED}}</td><td>{{FAILED}}</td><td>{{OPTOUTS}}</td></tr>
{{/ROW}}
</tbody>
<tfoot><tr><th scope="row">Total</th><td>{{TOTAL_SENT}}</td><td>{{TOTAL_RECEIVED}}</td><td>{{TOTAL_BILLED}}</td><td>{{TOTAL_FAILED}}</td><td>{{TOTAL_OPTOUTS}}</td></tr></tfoot>
</table>
{{#NO_ROWS}}<p class="muted">Nothing to report.</p>{{/NO_ROWS}}
</section>
