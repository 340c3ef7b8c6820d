/* The request pipeline between libfcgi and the handlers: validate what came
 * in, find the route, check who is asking, run the handler (retrying once
 * when MariaDB went away), and turn failures into error pages. */
#ifndef SMSDESK_REQUEST_H
#define SMSDESK_REQUEST_H
#include "http.h"

/* The raw FastCGI parameters; they are copied, never kept. */
struct request_params {
	const char *method, *request_uri, *query_string, *content_type;
	const char *content_length, *cookie, *remote_addr, *user_agent, *request_id;
	const char *signature;
};

/* Returns 0, or the status of the error page to answer with. */
int request_prepare(struct req *r, const struct request_params *p);
int request_wants_body(const struct req *r);
int request_parse_body(struct req *r);
/* Runs the route when status is 0, then renders any error page. */
void request_run(struct req *r, int status);
#endif
