/* /healthz: 200 "ok" when MariaDB answers, 503 otherwise. */
#include "pages.h"

#include "db.h"

int page_healthz(struct req *r)
{
	resp_header(r, "Cache-Control", "no-store");
	if (db_alive(r->db, r->a) < 0) {
		resp_text(r, 503, "text/plain; charset=utf-8", "unavailable\n");
		return 0;
	}
	resp_text(r, 200, "text/plain; charset=utf-8", "ok\n");
	return 0;
}
