/* smsdesk.fcgi: the FastCGI responder. N worker threads accept requests,
 * each with its own MariaDB connection and request arena. */
#include "clock.h"
#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "http.h"
#include "log.h"
#include "pages.h"
#include "poller.h"
#include "request.h"
#include "tmpl.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcgiapp.h>
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
static atomic_int stopping;
static atomic_int workers_done;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;

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
	clock_hold();  /* one clock for the whole request */
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
	clock_release();
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

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct conn *c;
	while ((c = poller_next()) != NULL) {
		/* reads the request whole; fails when the connection ended */
		if (FCGX_Accept_r(&c->req) < 0) {
			poller_free(c);
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
			poller_idle(c);
		else
			poller_free(c);
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
	poller_shut();
	struct timespec until = clock_deadline(SHUTDOWN_GRACE_MS);
	int rc = 0;
	pthread_mutex_lock(&done_lock);
	while (atomic_load(&workers_done) < n && rc == 0)
		rc = pthread_cond_timedwait(&done_cond, &done_lock, &until);
	pthread_mutex_unlock(&done_lock);
	return atomic_load(&workers_done) == n ? 0 : -1;
}

/* Loads the configuration and the templates, and initialises the
 * libraries: libcurl and the MariaDB client set up process-wide state,
 * here before any thread exists (the dispatcher uses libcurl). 0, or the
 * exit status (said on stderr, what was set up undone). */
static int start_up(void)
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
	return 0;
}

static void libraries_end(void)
{
	db_library_end();
	curl_global_cleanup();
	config_free(&cfg);
}

/* The listening socket and the connection set over it; 0 or -1 (said). */
static int start_listening(void)
{
	listen_fd = open_listener();
	if (listen_fd < 0)
		return -1;
	if (poller_init(listen_fd, &stopping) < 0) {
		fprintf(stderr, "smsdesk: cannot set up the pipes or the listening socket: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Starts up to n workers; how many started. */
static int start_workers(struct worker *ws, int n)
{
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
	return started;
}

static void end_workers(struct worker *ws, int started)
{
	for (int i = 0; i < started; i++) {
		pthread_join(ws[i].thread, NULL);
		db_free(ws[i].db);
		arena_free(&ws[i].arena);
		buf_free(&ws[i].headers);
		buf_free(&ws[i].out);
		buf_free(&ws[i].body);
	}
}

/* SIGTERM, SIGINT and SIGHUP go to main's sigwait only: blocked here,
 * before any thread exists, every thread inherits the mask. */
static void block_signals(sigset_t *sigs)
{
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
}

/* Until SIGTERM or SIGINT (SIGHUP is ignored), unless already stopping;
 * the signal, or 0. */
static int wait_for_stop(const sigset_t *sigs)
{
	int sig = 0;
	while (!atomic_load(&stopping)) {
		if (sigwait(sigs, &sig) == 0 && sig != SIGHUP)
			break;
	}
	return sig;
}

int main(void)
{
	int rc = start_up();
	if (rc)
		return rc;
	if (start_listening() < 0) {
		libraries_end();
		return 2;
	}
	sigset_t sigs;
	block_signals(&sigs);

	int n = cfg.workers;
	struct worker *ws = xmalloc((size_t)n * sizeof *ws);
	memset(ws, 0, (size_t)n * sizeof *ws);
	int started = start_workers(ws, n);
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

	int sig = wait_for_stop(&sigs);
	atomic_store(&stopping, 1);
	log_info(NULL, "smsdesk stopping (signal %d): finishing requests in flight", sig);
	if (wait_workers(started) < 0) {
		log_warn(NULL, "smsdesk: workers still busy after %d ms; exiting anyway",
			 SHUTDOWN_GRACE_MS);
		_exit(failed ? 1 : 0);
	}
	/* the send in flight is cut short: its row stays in doubt, looked up later */
	dispatcher_stop();
	end_workers(ws, started);
	free(ws);
	if (*cfg.listen && !strchr(cfg.listen, ':'))
		unlink(cfg.listen);
	poller_close();
	libraries_end();
	log_info(NULL, "smsdesk stopped");
	return failed ? 1 : 0;
}
