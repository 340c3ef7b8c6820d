/* GET /notifications: every conversation of the user, the most recent
 * first, paged; the same rows as the header's dropdown (page.c). */
#include "pages.h"

#include "http.h"

#define NOTIF_PAGE_ROWS 25
#define NOTIF_PAGE_MAX 10000

int page_notifications(struct req *r)
{
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > NOTIF_PAGE_MAX)
		return 404;
	tmpl_dict *d = page_begin(r, "SMS conversations", "notifications.tpl");
	int more = 0;
	int shown = page_conversations(r, d, NOTIF_PAGE_ROWS, (page - 1) * NOTIF_PAGE_ROWS, NULL, &more);
	if (shown < 0)
		return 503;
	if (shown == 0)
		tmpl_show(d, "NO_CONVERSATIONS");
	tmpl_set_int(d, "PAGE", page);
	if (page > 1)
		tmpl_set_int(tmpl_section(d, "PREV"), "PREV_PAGE", page - 1);
	if (more)
		tmpl_set_int(tmpl_section(d, "NEXT"), "NEXT_PAGE", page + 1);
	return page_finish(r);
}
