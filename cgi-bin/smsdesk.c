/* smsdesk.fcgi: the FastCGI responder. N worker threads accept requests,
 * each with its own MariaDB connection and request arena. */
#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "http.h"
#include "log.h"
#include "pages.h"
#include "request.h"
#include "tmpl.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SHUTDOWN_GRACE_MS 4500

struct worker {
	pthread_t thread;
	int index;
	FCGX_Request *fcgi;     /* the connection of the request being served */
	struct arena arena;
	struct buf headers, out, body;
	struct db *db;
};

static struct config cfg;
static int listen_fd;
/* Written once at shutdown and never read: readable for every worker. */
static int stop_pipe[2] = { -1, -1 };
static atomic_int stopping;
static atomic_int workers_done;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;

/* ---- connections
 *
 * The web server keeps FastCGI connections open between requests (nginx's
 * fastcgi_keep_conn with an upstream keepalive). A worker serves one
 * request, never one connection: an idle connection goes back to a shared
 * set, and one idle worker at a time (the leader) polls the listening
 * socket and every idle connection together, so a request waits only for a
 * free worker, never behind a worker parked on a connection that has
 * nothing to say. A new connection joins the set too: a worker takes it
 * when its request has arrived. */
struct conn {
	FCGX_Request req;
	int served;             /* requests answered on it (0: never used) */
	unsigned long long ready;   /* when the leader first saw it readable, 0: not */
	struct conn *next;
};

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t leader_cond = PTHREAD_COND_INITIALIZER;
static struct conn *idle_conns;  /* waiting for their next request, oldest first */
static struct conn **idle_end = &idle_conns;
static size_t nidle;
static int have_leader;
static unsigned long long ready_clock;  /* orders the connections by readiness */
static atomic_int listen_shut;   /* shutdown() of the listening socket is done */
static int listen_done;          /* and its queue was emptied */
static int wake_pipe[2] = { -1, -1 };  /* a connection joined the set */

static void write_response(struct worker *w, struct req *r)
{
	FCGX_Stream *o = w->fcgi->out;
	char head[256];
	int n = snprintf(head, sizeof head, "Status: %d %s\r\nContent-Type: %s\r\n",
			 r->status, http_reason(r->status),
			 r->content_type_out ? r->content_type_out : "text/html; charset=utf-8");
	int ok = n > 0 && (size_t)n < sizeof head && FCGX_PutStr(head, n, o) == n;
	if (ok && r->headers->len)
		ok = FCGX_PutStr(r->headers->p, (int)r->headers->len, o) == (int)r->headers->len;
	if (ok)
		ok = FCGX_PutStr("\r\n", 2, o) == 2;
	if (ok && r->out->len && strcmp(r->method, "HEAD") != 0)
		ok = FCGX_PutStr(r->out->p, (int)r->out->len, o) == (int)r->out->len;
	if (!ok)
		log_info(r->id, "client went away before the response was written");
}

/* Reads exactly CONTENT_LENGTH bytes of body (already checked against the limit). */
static int read_body(struct worker *w, struct req *r)
{
	buf_clear(&w->body);
	buf_reserve(&w->body, (size_t)r->content_length);
	size_t want = (size_t)r->content_length;
	while (w->body.len < want) {
		int got = FCGX_GetStr(w->body.p + w->body.len, (int)(want - w->body.len),
				      w->fcgi->in);
		if (got <= 0)
			return -1;
		w->body.len += (size_t)got;
	}
	w->body.p[w->body.len] = '\0';
	r->body = w->body.p;
	r->body_len = w->body.len;
	return 0;
}

static const char *param(struct worker *w, const char *name)
{
	const char *v = FCGX_GetParam(name, w->fcgi->envp);
	return v ? v : "";
}

static void handle(struct worker *w)
{
	struct req r;
	memset(&r, 0, sizeof r);
	r.a = &w->arena;
	r.cfg = &cfg;
	r.db = w->db;
	r.fcgi = w->fcgi;
	r.headers = &w->headers;
	r.out = &w->out;
	buf_clear(r.headers);
	buf_clear(r.out);

	/* FastCGI params die at the next accept: keep copies in the arena. */
	struct request_params p = {
		.method = param(w, "REQUEST_METHOD"),
		.request_uri = param(w, "REQUEST_URI"),
		.query_string = param(w, "QUERY_STRING"),
		.content_type = param(w, "CONTENT_TYPE"),
		.content_length = param(w, "CONTENT_LENGTH"),
		.cookie = param(w, "HTTP_COOKIE"),
		.remote_addr = param(w, "REMOTE_ADDR"),
		.user_agent = param(w, "HTTP_USER_AGENT"),
		.request_id = param(w, "REQUEST_ID"),
		.signature = param(w, "HTTP_X_TWILIO_SIGNATURE"),
	};
	unsigned long long trips = db_round_trips(w->db);
	int status = request_prepare(&r, &p);
	if (status == 0 && r.content_length > 0 && request_wants_body(&r)) {
		if (read_body(w, &r) < 0) {
			r.notice = "The request body ended early.";
			status = 400;
		} else {
			status = request_parse_body(&r);
		}
	}
	request_run(&r, status);
	write_response(w, &r);
	/* log.debug: one line per request, in a form tools/bench.sh reads:
	 * the address as sent, up to its query string */
	if (cfg.log_debug) {
		size_t plen = strcspn(p.request_uri, "?");
		log_msg("debug", r.id, "request %s %.*s %d db_round_trips=%llu", r.method,
			(int)(plen > 512 ? 512 : plen), p.request_uri, r.status,
			db_round_trips(w->db) - trips);
	}
	page_discard(&r);
}

static void conn_free(struct conn *c)
{
	FCGX_Free(&c->req, 1);
	free(c);
}

/* Called with conn_lock held. */
static void idle_push(struct conn *c)
{
	c->next = NULL;
	*idle_end = c;
	idle_end = &c->next;
	nidle++;
}

static void idle_remove(struct conn *c)
{
	for (struct conn **p = &idle_conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			if (idle_end == &c->next)
				idle_end = p;
			nidle--;
			return;
		}
}

/* A connection kept open after its answer joins the set; the leader is
 * woken to poll it too. */
static void conn_idle(struct conn *c)
{
	pthread_mutex_lock(&conn_lock);
	idle_push(c);
	pthread_mutex_unlock(&conn_lock);
	char x = 'c';
	/* the pipe is non-blocking: when full, the leader is awake anyway */
	if (write(wake_pipe[1], &x, 1) < 0 && errno != EAGAIN)
		log_error(NULL, "cannot wake the leader: %s", strerror(errno));
}

/* Accepts what the listening socket has; new connections join the set.
 * Called by the leader only. */
static void accept_new(void)
{
	for (int i = 0; i < 64; i++) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* shut down, the queue holds all there will be */
				if (atomic_load(&listen_shut))
					listen_done = 1;
				return;
			}
			/* after shutdown() the socket answers EINVAL once its queue
			 * is empty; anything else is logged and ends listening too */
			if (!atomic_load(&stopping))
				log_error(NULL, "accept: %s", strerror(errno));
			listen_done = 1;
			return;
		}
		struct conn *c = xmalloc(sizeof *c);
		memset(c, 0, sizeof *c);
		/* no listening socket: libfcgi never accepts by itself (on a
		 * connection that ends, FCGX_Accept_r then fails instead) */
		if (FCGX_InitRequest(&c->req, -1, 0) != 0) {
			close(fd);
			free(c);
			continue;
		}
		c->req.ipcFd = fd;
		/* FCGX_Accept_r first finishes the request before: kept, the
		 * connection stays open for the one to come */
		c->req.keepConnection = 1;
		pthread_mutex_lock(&conn_lock);
		idle_push(c);
		pthread_mutex_unlock(&conn_lock);
	}
}

/* Waits to lead, then polls until a connection has something to read
 * (a request, or its end) and hands it to the caller, passing the lead
 * on. NULL when the worker should stop: the server is stopping and
 * nothing that connected before is left to answer. */
static struct conn *next_conn(void)
{
	pthread_mutex_lock(&conn_lock);
	while (have_leader)
		pthread_cond_wait(&leader_cond, &conn_lock);
	have_leader = 1;
	pthread_mutex_unlock(&conn_lock);

	struct pollfd *p = NULL;
	struct conn **who = NULL;
	size_t cap = 0;
	struct conn *got = NULL;
	for (;;) {
		int stop = atomic_load(&listen_shut);
		pthread_mutex_lock(&conn_lock);
		/* stopping: a connection never used belongs to a client that
		 * connected before the stop and will send its request; a kept
		 * one that is idle has nothing more to come */
		int pending = 0;
		for (struct conn *c = idle_conns; c; c = c->next)
			pending |= c->served == 0;
		if (stop && !pending && listen_done) {
			pthread_mutex_unlock(&conn_lock);
			break;
		}
		if (nidle + 3 > cap) {
			cap = (nidle + 3) * 2;
			p = xrealloc(p, cap * sizeof *p);
			who = xrealloc(who, cap * sizeof *who);
		}
		size_t n = 0;
		p[n++] = (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
		/* the stop pipe stays readable: once seen, poll with a timeout */
		p[n++] = (struct pollfd){ .fd = stop ? -1 : stop_pipe[0], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = listen_done ? -1 : listen_fd, .events = POLLIN };
		for (struct conn *c = idle_conns; c; c = c->next) {
			who[n] = c;
			p[n++] = (struct pollfd){ .fd = c->req.ipcFd, .events = POLLIN };
		}
		pthread_mutex_unlock(&conn_lock);
		if (stop && !pending && listen_done)
			break;
		int rc = poll(p, n, stop ? 50 : -1);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			log_error(NULL, "poll: %s", strerror(errno));
			break;
		}
		if (p[0].revents) {
			char buf[64];
			while (read(wake_pipe[0], buf, sizeof buf) > 0)
				;
		}
		/* new connections join the set first, whatever else is ready:
		 * kept ones with requests would otherwise starve the backlog */
		if (p[2].revents || (stop && !listen_done)) {
			/* a listening socket shut down keeps handing out what was
			 * queued before; then accept says EAGAIN and listening is over */
			accept_new();
		}
		/* the longest waiting first: under load every connection has a
		 * request, and the newest would otherwise always win; those seen
		 * ready at once are stamped in the set's order, oldest first
		 * (new connections in the order they were accepted) */
		for (size_t i = 3; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (!who[i]->ready)
				who[i]->ready = ++ready_clock;
			if (!got || who[i]->ready < got->ready)
				got = who[i];
		}
		if (got) {
			pthread_mutex_lock(&conn_lock);
			idle_remove(got);
			pthread_mutex_unlock(&conn_lock);
			break;
		}
	}
	free(p);
	free(who);
	pthread_mutex_lock(&conn_lock);
	have_leader = 0;
	/* stopping: every worker must see it, not just the next leader */
	if (got)
		pthread_cond_signal(&leader_cond);
	else
		pthread_cond_broadcast(&leader_cond);
	pthread_mutex_unlock(&conn_lock);
	return got;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct conn *c;
	while ((c = next_conn()) != NULL) {
		/* reads the request whole; fails when the connection ended */
		if (FCGX_Accept_r(&c->req) < 0) {
			conn_free(c);
			continue;
		}
		c->ready = 0;
		w->fcgi = &c->req;
		handle(w);
		c->served++;
		/* stopping: close the kept connection once this answer is out,
		 * so that the web server sends nothing more on it */
		if (atomic_load(&stopping))
			c->req.keepConnection = 0;
		FCGX_Finish_r(&c->req);
		w->fcgi = NULL;
		if (c->req.ipcFd >= 0)
			conn_idle(c);
		else
			conn_free(c);
		arena_reset(&w->arena);
		/* a response larger than usual should not pin its memory */
		if (w->out.cap > (1u << 20))
			buf_free(&w->out);
		if (w->body.cap > (1u << 20))
			buf_free(&w->body);
	}
	pthread_mutex_lock(&done_lock);
	atomic_fetch_add(&workers_done, 1);
	pthread_cond_signal(&done_cond);
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

static int open_listener(void)
{
	if (!*cfg.listen) {
		int type;
		socklen_t len = sizeof type;
		if (getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
			fprintf(stderr, "smsdesk: 'listen' is not set and standard input is "
					"not a socket (start it with spawn-fcgi, or set listen)\n");
			return -1;
		}
		return 0;
	}
	int is_path = strchr(cfg.listen, ':') == NULL;
	if (is_path) {
		struct stat st;
		if (lstat(cfg.listen, &st) == 0 && S_ISSOCK(st.st_mode) && unlink(cfg.listen) < 0) {
			fprintf(stderr, "smsdesk: cannot remove stale socket %s: %s\n",
				cfg.listen, strerror(errno));
			return -1;
		}
	}
	int fd = FCGX_OpenSocket(cfg.listen, 1024);
	if (fd < 0) {
		fprintf(stderr, "smsdesk: cannot listen on %s\n", cfg.listen);
		return -1;
	}
	if (is_path && chmod(cfg.listen, (mode_t)cfg.listen_mode) < 0) {
		fprintf(stderr, "smsdesk: cannot chmod %s: %s\n", cfg.listen, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Stops the workers: new connections are refused (on a unix socket those
 * already queued are still accepted and answered), idle workers leave,
 * busy ones finish their request. Waits up to the grace period. */
static int wait_workers(int n)
{
	/* a unix listening socket shut down refuses connect() but still hands
	 * out the connections queued before; a TCP one resets those */
	if (shutdown(listen_fd, SHUT_RDWR) < 0)
		log_warn(NULL, "shutdown of the listening socket: %s", strerror(errno));
	atomic_store(&listen_shut, 1);
	if (write(stop_pipe[1], "x", 1) != 1)
		log_error(NULL, "cannot wake the workers: %s", strerror(errno));
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SHUTDOWN_GRACE_MS / 1000;
	until.tv_nsec += (SHUTDOWN_GRACE_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc = 0;
	pthread_mutex_lock(&done_lock);
	while (atomic_load(&workers_done) < n && rc == 0)
		rc = pthread_cond_timedwait(&done_cond, &done_lock, &until);
	pthread_mutex_unlock(&done_lock);
	return atomic_load(&workers_done) == n ? 0 : -1;
}

int main(void)
{
	char err[512];
	const char *conf = getenv("SMSDESK_CONF");
	if (config_load(&cfg, conf, err, sizeof err) < 0) {
		fprintf(stderr, "smsdesk: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	if (tmpl_load_all(cfg.templates_dir, err, sizeof err) < 0 ||
	    page_init(cfg.static_dir, err, sizeof err) < 0) {
		fprintf(stderr, "smsdesk: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	/* libcurl and the MariaDB client initialise process-wide state: here,
	 * before any thread exists (the dispatcher uses libcurl) */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "smsdesk: cannot initialise libcurl\n");
		config_free(&cfg);
		return 2;
	}
	if (FCGX_Init() != 0 || db_library_init() < 0) {
		fprintf(stderr, "smsdesk: cannot initialise libfcgi or the MariaDB client\n");
		curl_global_cleanup();
		config_free(&cfg);
		return 2;
	}
	listen_fd = open_listener();
	if (listen_fd < 0 || pipe2(stop_pipe, O_CLOEXEC) < 0 ||
	    pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK) < 0) {
		if (listen_fd >= 0)
			fprintf(stderr, "smsdesk: cannot set up the pipes or the listening socket: %s\n",
				strerror(errno));
		db_library_end();
		curl_global_cleanup();
		config_free(&cfg);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);  /* inherited by every thread */

	int n = cfg.workers;
	struct worker *ws = xmalloc((size_t)n * sizeof *ws);
	memset(ws, 0, (size_t)n * sizeof *ws);
	int started = 0;
	for (int i = 0; i < n; i++) {
		struct worker *w = &ws[i];
		w->index = i;
		arena_init(&w->arena);
		w->db = db_new(&cfg);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			fprintf(stderr, "smsdesk: cannot start worker %d\n", i);
			db_free(w->db);
			break;
		}
		started++;
	}
	int failed = started != n;
	if (!failed && dispatcher_start(&cfg) < 0) {
		fprintf(stderr, "smsdesk: cannot start the dispatcher\n");
		failed = 1;
	}
	if (!failed)
		log_info(NULL, "smsdesk started: %d workers on %s%s", n,
			 *cfg.listen ? cfg.listen : "fd 0",
			 cfg.dispatcher ? ", dispatcher running" : "");
	else
		atomic_store(&stopping, 1);

	int sig = 0;
	while (!atomic_load(&stopping)) {
		if (sigwait(&sigs, &sig) == 0 && sig != SIGHUP)
			break;
	}
	atomic_store(&stopping, 1);
	log_info(NULL, "smsdesk stopping (signal %d): finishing requests in flight", sig);
	if (wait_workers(started) < 0) {
		log_warn(NULL, "smsdesk: workers still busy after %d ms; exiting anyway",
			 SHUTDOWN_GRACE_MS);
		_exit(failed ? 1 : 0);
	}
	/* the send in flight is cut short: its row stays in doubt, looked up later */
	dispatcher_stop();
	for (int i = 0; i < started; i++) {
		pthread_join(ws[i].thread, NULL);
		db_free(ws[i].db);
		arena_free(&ws[i].arena);
		buf_free(&ws[i].headers);
		buf_free(&ws[i].out);
		buf_free(&ws[i].body);
	}
	free(ws);
	if (*cfg.listen && !strchr(cfg.listen, ':'))
		unlink(cfg.listen);
	/* idle connections have no request in flight: closed at once, without
	 * libfcgi's wait (up to 2 s each) for the web server to close first */
	while (idle_conns) {
		struct conn *c = idle_conns;
		idle_conns = c->next;
		if (c->req.ipcFd >= 0)
			close(c->req.ipcFd);
		c->req.ipcFd = -1;
		conn_free(c);
	}
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	db_library_end();
	curl_global_cleanup();
	config_free(&cfg);
	log_info(NULL, "smsdesk stopped");
	return failed ? 1 : 0;
}
