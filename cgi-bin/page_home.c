/* /: the start page. */
#include "pages.h"

int page_home(struct req *r)
{
	page_begin(r, "smsdesk", "home.tpl");
	return page_finish(r);
}
