/* The media worker's thread (media_worker.h): rounds of media_fetch_round
 * on its own MariaDB connection, waiting for a wake-up or the next poll
 * when nothing is due. */
#include "media_worker.h"

#include "arena.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "log.h"
#include "media.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define POLL_MS 1000

static const struct config *cfg;
static int (*outside_stop)(void);
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int wake_pending, stopping, finishing, running;

void media_worker_wake(void)
{
	pthread_mutex_lock(&lock);
	wake_pending = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

/* Cuts a download short: at shutdown, not when only finishing. */
static int should_stop(void)
{
	pthread_mutex_lock(&lock);
	int s = stopping;
	pthread_mutex_unlock(&lock);
	return s || (outside_stop && outside_stop());
}

static int is_finishing(void)
{
	pthread_mutex_lock(&lock);
	int s = finishing;
	pthread_mutex_unlock(&lock);
	return s;
}

static void wait_for_work(long ms)
{
	struct timespec until = clock_deadline(ms);
	pthread_mutex_lock(&lock);
	while (!wake_pending && !stopping && !finishing)
		if (pthread_cond_timedwait(&cond, &lock, &until) == ETIMEDOUT)
			break;
	wake_pending = 0;
	pthread_mutex_unlock(&lock);
}

static void *media_main(void *arg)
{
	(void)arg;
	struct db *db = db_new(cfg);
	struct media_fetcher *mf = media_fetcher_open(cfg, should_stop, dispatcher_backoff_ms);
	struct arena a;
	arena_init(&a);
	int conflicts = 0;  /* in a row */
	while (mf && !should_stop()) {
		int m = media_fetch_round(mf, db, &a);
		conflicts = m < 0 && db_conflict(db) ? conflicts + 1 : 0;
		if (conflicts) {
			db_conflict_pause(conflicts);  /* another worker claimed them first */
			continue;
		}
		if (m > 0)
			continue;
		if (is_finishing())
			break;  /* nothing due (or MariaDB trouble): the next run fetches the rest */
		wait_for_work(POLL_MS);
	}
	media_fetcher_close(mf);
	arena_free(&a);
	db_free(db);
	return NULL;
}

int media_worker_start(const struct config *config, int (*stop)(void))
{
	cfg = config;
	outside_stop = stop;
	pthread_mutex_lock(&lock);
	stopping = finishing = wake_pending = 0;
	pthread_mutex_unlock(&lock);
	if (pthread_create(&thread, NULL, media_main, NULL) != 0) {
		log_error("media", "cannot start the media worker's thread");
		return -1;
	}
	running = 1;
	return 0;
}

void media_worker_stop(int finish_due)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	if (finish_due)
		finishing = 1;
	else
		stopping = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
}
