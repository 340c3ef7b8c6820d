/* The connections smsdesk.fcgi serves, polled around libfcgi.
 *
 * The web server keeps FastCGI connections open between requests (nginx's
 * fastcgi_keep_conn with an upstream keepalive). A worker serves one
 * request, never one connection: an idle connection goes back to a shared
 * set, and one idle worker at a time (the leader) polls the listening
 * socket and every idle connection together, so a request waits only for a
 * free worker, never behind a worker parked on a connection that has
 * nothing to say. A new connection joins the set too: a worker takes it
 * when its request has arrived. */
#ifndef SMSDESK_POLLER_H
#define SMSDESK_POLLER_H
#include <fcgiapp.h>
#include <stdatomic.h>

struct conn {
	FCGX_Request req;
	int served;             /* requests answered on it (0: never used) */
	unsigned long long ready;   /* when the leader first saw it readable, 0: not */
	struct conn *next;
};

/* Sets up the set over listen_fd (made non-blocking) and its pipes;
 * stopping is the server's flag (an accept error after it is not logged).
 * 0, or -1 with errno. */
int poller_init(int listen_fd, const atomic_int *stopping);
/* Waits to lead, then polls until a connection has something to read (a
 * request, or its end) and hands it to the caller, passing the lead on.
 * NULL when the worker should stop: poller_shut was called and nothing
 * that connected before is left to answer. */
struct conn *poller_next(void);
/* A connection kept open after its answer joins the set again. */
void poller_idle(struct conn *c);
/* A connection that ended. */
void poller_free(struct conn *c);
/* Refuses new connections (on a unix socket those already queued are
 * still handed out) and wakes every worker to see it. */
void poller_shut(void);
/* After the workers are gone: closes the idle connections at once and the
 * pipes. */
void poller_close(void);
#endif
