/* hello.fcgi: the smallest useful FastCGI responder, the baseline "H" of
 * `make bench`. It answers every request with "hello", using the same
 * library (libfcgi, fcgiapp API), the same socket kind (unix) and the same
 * thread-per-connection model as smsdesk.fcgi, so the gap between the two
 * is smsdesk's own work.
 *
 *   hello.fcgi SOCKET [THREADS]    (THREADS defaults to 8)
 *
 * SIGTERM or SIGINT ends it. (libfcgi installs its own SIGTERM handler, which
 * only sets a flag that threads blocked in accept() never see, so the main
 * thread takes the signal with sigwait instead.) */
#define _POSIX_C_SOURCE 200809L

#include <fcgiapp.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char response[] =
	"Status: 200 OK\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"hello\n";

static int listen_fd = -1;

static void *worker_main(void *arg)
{
	(void)arg;
	FCGX_Request req;
	if (FCGX_InitRequest(&req, listen_fd, 0) != 0) {
		fprintf(stderr, "hello: FCGX_InitRequest failed\n");
		return NULL;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		int len = (int)(sizeof response - 1);
		/* a client that went away is not our problem: next request */
		if (FCGX_PutStr(response, len, req.out) != len)
			fprintf(stderr, "hello: cannot write the response\n");
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s SOCKET [THREADS]\n", argv[0]);
		return 2;
	}
	const char *path = argv[1];
	long n = 8;
	if (argc == 3) {
		char *end;
		errno = 0;
		n = strtol(argv[2], &end, 10);
		if (errno || *end || end == argv[2] || n < 1 || n > 1024) {
			fprintf(stderr, "hello: THREADS must be 1 to 1024, not '%s'\n", argv[2]);
			return 2;
		}
	}

	if (FCGX_Init() != 0) {
		fprintf(stderr, "hello: FCGX_Init failed\n");
		return 1;
	}
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && unlink(path) < 0) {
		fprintf(stderr, "hello: cannot remove stale socket %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	listen_fd = FCGX_OpenSocket(path, 1024);
	if (listen_fd < 0) {
		fprintf(stderr, "hello: cannot listen on %s\n", path);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	int rc = pthread_sigmask(SIG_BLOCK, &stop, NULL); /* inherited by the threads */
	if (rc != 0) {
		fprintf(stderr, "hello: pthread_sigmask: %s\n", strerror(rc));
		return 1;
	}

	pthread_t *threads = calloc((size_t)n, sizeof *threads);
	if (!threads) {
		fprintf(stderr, "hello: out of memory\n");
		return 1;
	}
	long started = 0;
	for (long i = 0; i < n; i++) {
		rc = pthread_create(&threads[i], NULL, worker_main, NULL);
		if (rc != 0) {
			fprintf(stderr, "hello: cannot start thread %ld: %s\n", i, strerror(rc));
			break;
		}
		started++;
	}
	int sig = 0;
	if (started == n && sigwait(&stop, &sig) != 0)
		fprintf(stderr, "hello: sigwait failed\n");
	/* no graceful drain: a benchmark responder just goes, and exit()
	 * takes the threads with it */
	unlink(path);
	free(threads);
	return started == n ? 0 : 1;
}
