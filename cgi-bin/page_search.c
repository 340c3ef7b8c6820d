/* GET /inbox?q=: search in the conversations the user may see (search.h),
 * rendered into the inbox's page. Two lists, each paged by 50 with the
 * same ?page=: the conversations whose contact, application or number
 * matches, and the texts that hold the words. Each result links to its
 * chatbox on the lead's page, at the text (#msg-ID; a text found, with
 * before_LEAD=ID+1: the 50 texts up to it). The matches are
 * highlighted by cutting the text into pieces the template escapes one by
 * one: no HTML is ever made from what was typed or texted. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "http.h"
#include "search.h"

#include <string.h>

#define SEARCH_PER_PAGE 50
#define SEARCH_PAGE_MAX 200
#define SEARCH_PIECES 64

/* text into SECTION of d, in pieces, the matches marked */
static void set_pieces(struct req *r, tmpl_dict *d, const char *section, const char *text,
		       const struct search_terms *t)
{
	size_t starts[SEARCH_PIECES], lens[SEARCH_PIECES];
	int hit[SEARCH_PIECES];
	size_t n = search_pieces(text, t->words, t->nwords, starts, lens, hit, SEARCH_PIECES);
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *p = tmpl_section(d, section);
		tmpl_set(tmpl_section(p, hit[i] ? "HIT" : "PLAIN"), "TEXT",
			 arena_strndup(r->a, text + starts[i], lens[i]));
	}
}

/* texts: the hits are texts, found anywhere in their conversation (a
 * conversation's hit is at its latest text, among the 50 the box shows) */
static void fill_hits(struct req *r, tmpl_dict *list, const struct search_terms *t,
		      const struct search_hit *h, size_t n, int texts)
{
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *row = tmpl_section(list, "HIT_ROW");
		long long lead = h[i].lead_id;
		/* the box shows 50 texts: a text's, those up to it (before_ID) */
		const char *before = texts ? arena_printf(r->a, "&before_%lld=%lld", lead,
							  h[i].message_id + 1) : "";
		tmpl_set(row, "URL", arena_printf(r->a, "/leads/%lld?chat=%lld&contact_%lld=%lld"
						  "&agent_%lld=%lld%s#msg-%lld", lead, lead, lead,
						  h[i].contact_id, lead, h[i].user_id, before,
						  h[i].message_id));
		const char *contact = h[i].contact_name && *h[i].contact_name ? h[i].contact_name
									       : "Unnamed contact";
		set_pieces(r, row, "CONTACT", contact, t);
		set_pieces(r, row, "LEAD", h[i].lead_name ? h[i].lead_name : "", t);
		tmpl_set(row, "AGENT", h[i].agent_name ? h[i].agent_name : "");
		if (h[i].outbound)
			tmpl_show(row, "YOU_WROTE");
		const char *body = h[i].body;
		if (body && *body)
			set_pieces(r, row, "BODY", body, t);
		else
			tmpl_show(row, "NO_BODY");
	}
}

int page_inbox_search(struct req *r)
{
	const char *q = params_get(&r->query, "q");
	if (!q)
		q = "";
	/* the query string was decoded and checked as UTF-8 at the door
	 * (request.c): an invalid one never reaches a handler */
	if (strlen(q) > SEARCH_Q_MAX || !utf8_valid(q, strlen(q))) {
		r->notice = "The search is too long: 200 characters at most.";
		return 400;
	}
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > SEARCH_PAGE_MAX)
		return 404;
	struct search_terms t;
	search_parse(r->a, q, &t);
	struct search_query sq = {
		.org_id = r->session->org_id, .user_id = r->session->user_id,
		.sees_all = access_sees_all_leads(r),
		.limit = SEARCH_PER_PAGE, .offset = (page - 1) * SEARCH_PER_PAGE,
	};
	struct search_hit *conv = NULL, *texts = NULL;
	size_t nconv = 0, ntexts = 0;
	int more_conv = 0, more_texts = 0;
	if (search_conversations(r->db, r->a, &sq, &t, &conv, &nconv, &more_conv) < 0 ||
	    search_texts(r->db, r->a, &sq, &t, &texts, &ntexts, &more_texts) < 0)
		return 503;

	tmpl_dict *d = page_begin(r, *q ? arena_printf(r->a, "Search: %s", q) : "Search", "inbox_search.tpl");
	tmpl_set(d, "Q", q);
	if (nconv) {
		tmpl_dict *list = tmpl_section(d, "CONVERSATIONS");
		fill_hits(r, list, &t, conv, nconv, 0);
	}
	if (ntexts) {
		tmpl_dict *list = tmpl_section(d, "TEXTS");
		fill_hits(r, list, &t, texts, ntexts, 1);
	}
	if (!nconv && !ntexts) {
		if (*q)
			tmpl_set(tmpl_section(d, "NO_MATCH"), "Q", q);
		else
			tmpl_show(d, "NO_QUERY");
		if (*q && !t.number_reversed && !t.texts_regexp && t.names_match)
			tmpl_show(d, "SHORT_WORDS");
	}
	if (page > 1 || more_conv || more_texts) {
		tmpl_dict *pager = tmpl_section(d, "PAGER");
		const char *eq = url_encode(r->a, q);
		tmpl_set_int(pager, "PAGE", page);
		if (page > 1) {
			tmpl_set(tmpl_section(pager, "PREV"), "PREV_URL",
				 arena_printf(r->a, "/inbox?q=%s&page=%lld", eq, page - 1));
		}
		if ((more_conv || more_texts) && page < SEARCH_PAGE_MAX) {
			tmpl_set(tmpl_section(pager, "NEXT"), "NEXT_URL",
				 arena_printf(r->a, "/inbox?q=%s&page=%lld", eq, page + 1));
		}
	}
	return page_finish(r);
}
