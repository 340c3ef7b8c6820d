/* /: the start page is where the user works: leads, or organizations for
 * a superadmin; the sign-in page for anyone else. */
#include "pages.h"

#include "auth.h"

int page_home(struct req *r)
{
	if (!r->session)
		resp_redirect(r, "/login");
	else if (r->session->role == ROLE_SUPERADMIN)
		resp_redirect(r, "/superadmin/orgs");
	else
		resp_redirect(r, "/leads");
	return 0;
}
