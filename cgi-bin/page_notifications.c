/* GET /notifications: the conversations moved to /inbox; the old address
 * (bookmarks, the header's former link) goes there. */
#include "pages.h"

int page_notifications(struct req *r)
{
	resp_redirect(r, "/inbox");
	return 0;
}
