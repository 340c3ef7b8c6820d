/* The dispatcher: a thread of smsdesk.fcgi that sends the outbox through
 * the carrier; it starts and stops the media worker's thread beside it.
 * Several processes and hosts may run one each. */
#ifndef SMSDESK_DISPATCHER_H
#define SMSDESK_DISPATCHER_H
struct config;

int dispatcher_start(const struct config *cfg);
/* Called after a commit that queued messages: send them now (the media
 * worker is woken too, for an inbound image to fetch). */
void dispatcher_wake(void);
/* Capped exponential backoff with jitter before attempt `attempts` + 1,
 * in milliseconds (carrier.retry_base_ms doubling up to retry_max_ms, then
 * between half and all of it), at least a 429's Retry-After (0: none). The
 * dispatcher's texts and the media worker's images wait alike. */
long long dispatcher_backoff_ms(const struct config *cfg, long long attempts, long retry_after_s);
/* Finishes the send in progress and joins the thread. */
void dispatcher_stop(void);

/* smsdeskctl dispatch: the same rounds in the calling thread, without a
 * daemon (cron). Sends every text due now (waiting for the per-number rate
 * when it holds some back) and fetches due images (in a thread of its own,
 * media_worker.h, so a slow image delays no text), then keeps polling for
 * new ones until wait_ms have passed since the start. Safe to run while
 * other dispatchers run. SIGTERM and SIGINT end it after the send in
 * progress. Returns the number of texts handled, or -1 (logged) on MariaDB
 * or carrier trouble. */
long long dispatcher_run_once(const struct config *cfg, long long wait_ms);
#endif
