/* GET /inbox?q=: searching the texts. A placeholder answering 501 (Not
 * Implemented) until the search lands. */
#include "pages.h"

int page_inbox_search(struct req *r)
{
	(void)r;
	return 501;
}
