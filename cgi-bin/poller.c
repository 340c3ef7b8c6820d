/* The connection set and its leader (poller.h). */
#include "poller.h"

#include "arena.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_fd = -1;
static const atomic_int *server_stopping;
/* Written once at shutdown and never read: readable for every worker. */
static int stop_pipe[2] = { -1, -1 };

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

int poller_init(int fd, const atomic_int *stopping)
{
	listen_fd = fd;
	server_stopping = stopping;
	return pipe2(stop_pipe, O_CLOEXEC) < 0 || pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0 ||
	       fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK) < 0 ? -1 : 0;
}

void poller_free(struct conn *c)
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

/* The leader is woken to poll it too. */
void poller_idle(struct conn *c)
{
	pthread_mutex_lock(&conn_lock);
	idle_push(c);
	pthread_mutex_unlock(&conn_lock);
	char x = 'c';
	/* the pipe is non-blocking: when full, the leader is awake anyway */
	if (write(wake_pipe[1], &x, 1) < 0 && errno != EAGAIN)
		log_error(NULL, "cannot wake the leader: %s", strerror(errno));
}

/* A new connection on fd joins the set; -1 when libfcgi cannot take it. */
static int join(int fd)
{
	struct conn *c = xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	/* no listening socket: libfcgi never accepts by itself (on a
	 * connection that ends, FCGX_Accept_r then fails instead) */
	if (FCGX_InitRequest(&c->req, -1, 0) != 0) {
		close(fd);
		free(c);
		return -1;
	}
	c->req.ipcFd = fd;
	/* FCGX_Accept_r first finishes the request before: kept, the
	 * connection stays open for the one to come */
	c->req.keepConnection = 1;
	pthread_mutex_lock(&conn_lock);
	idle_push(c);
	pthread_mutex_unlock(&conn_lock);
	return 0;
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
			if (!atomic_load(server_stopping))
				log_error(NULL, "accept: %s", strerror(errno));
			listen_done = 1;
			return;
		}
		join(fd);
	}
}

static void take_lead(void)
{
	pthread_mutex_lock(&conn_lock);
	while (have_leader)
		pthread_cond_wait(&leader_cond, &conn_lock);
	have_leader = 1;
	pthread_mutex_unlock(&conn_lock);
}

static void pass_lead(int got)
{
	pthread_mutex_lock(&conn_lock);
	have_leader = 0;
	/* stopping: every worker must see it, not just the next leader */
	if (got)
		pthread_cond_signal(&leader_cond);
	else
		pthread_cond_broadcast(&leader_cond);
	pthread_mutex_unlock(&conn_lock);
}

/* What the leader polls: the wake pipe, the stop pipe, the listening
 * socket, then every idle connection (who[i] for i >= 3). */
struct pollset {
	struct pollfd *p;
	struct conn **who;
	size_t n, cap;
};

/* Stopping (stop) and nothing left to answer: a connection never used
 * belongs to a client that connected before the stop and will send its
 * request; a kept one that is idle has nothing more to come. Called with
 * conn_lock held. */
static int nothing_left(int stop)
{
	int pending = 0;
	for (struct conn *c = idle_conns; c; c = c->next)
		pending |= c->served == 0;
	return stop && !pending && listen_done;
}

/* Called with conn_lock held. */
static void pollset_fill(struct pollset *s, int stop)
{
	if (nidle + 3 > s->cap) {
		s->cap = (nidle + 3) * 2;
		s->p = xrealloc(s->p, s->cap * sizeof *s->p);
		s->who = xrealloc(s->who, s->cap * sizeof *s->who);
	}
	size_t n = 0;
	s->p[n++] = (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
	/* the stop pipe stays readable: once seen, poll with a timeout */
	s->p[n++] = (struct pollfd){ .fd = stop ? -1 : stop_pipe[0], .events = POLLIN };
	s->p[n++] = (struct pollfd){ .fd = listen_done ? -1 : listen_fd, .events = POLLIN };
	for (struct conn *c = idle_conns; c; c = c->next) {
		s->who[n] = c;
		s->p[n++] = (struct pollfd){ .fd = c->req.ipcFd, .events = POLLIN };
	}
	s->n = n;
}

/* The longest waiting of the connections poll found readable: under load
 * every connection has a request, and the newest would otherwise always
 * win; those seen ready at once are stamped in the set's order, oldest
 * first (new connections in the order they were accepted). */
static struct conn *longest_waiting(const struct pollset *s)
{
	struct conn *got = NULL;
	for (size_t i = 3; i < s->n; i++) {
		if (!s->p[i].revents)
			continue;
		if (!s->who[i]->ready)
			s->who[i]->ready = ++ready_clock;
		if (!got || s->who[i]->ready < got->ready)
			got = s->who[i];
	}
	return got;
}

struct conn *poller_next(void)
{
	take_lead();
	struct pollset s = { 0 };
	struct conn *got = NULL;
	for (;;) {
		int stop = atomic_load(&listen_shut);
		pthread_mutex_lock(&conn_lock);
		int done = nothing_left(stop);
		if (!done)
			pollset_fill(&s, stop);
		pthread_mutex_unlock(&conn_lock);
		if (done)
			break;
		if (poll(s.p, s.n, stop ? 50 : -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error(NULL, "poll: %s", strerror(errno));
			break;
		}
		if (s.p[0].revents) {
			char buf[64];
			while (read(wake_pipe[0], buf, sizeof buf) > 0)
				;
		}
		/* new connections join the set first, whatever else is ready:
		 * kept ones with requests would otherwise starve the backlog */
		if (s.p[2].revents || (stop && !listen_done)) {
			/* a listening socket shut down keeps handing out what was
			 * queued before; then accept says EAGAIN and listening is over */
			accept_new();
		}
		got = longest_waiting(&s);
		if (got) {
			pthread_mutex_lock(&conn_lock);
			idle_remove(got);
			pthread_mutex_unlock(&conn_lock);
			break;
		}
	}
	free(s.p);
	free(s.who);
	pass_lead(got != NULL);
	return got;
}

void poller_shut(void)
{
	/* a unix listening socket shut down refuses connect() but still hands
	 * out the connections queued before; a TCP one resets those */
	if (shutdown(listen_fd, SHUT_RDWR) < 0)
		log_warn(NULL, "shutdown of the listening socket: %s", strerror(errno));
	atomic_store(&listen_shut, 1);
	if (write(stop_pipe[1], "x", 1) != 1)
		log_error(NULL, "cannot wake the workers: %s", strerror(errno));
}

void poller_close(void)
{
	/* idle connections have no request in flight: closed at once, without
	 * libfcgi's wait (up to 2 s each) for the web server to close first */
	while (idle_conns) {
		struct conn *c = idle_conns;
		idle_conns = c->next;
		if (c->req.ipcFd >= 0)
			close(c->req.ipcFd);
		c->req.ipcFd = -1;
		poller_free(c);
	}
	idle_end = &idle_conns;
	nidle = 0;
	for (int i = 0; i < 2; i++) {
		if (stop_pipe[i] >= 0)
			close(stop_pipe[i]);
		if (wake_pipe[i] >= 0)
			close(wake_pipe[i]);
		stop_pipe[i] = wake_pipe[i] = -1;
	}
}
