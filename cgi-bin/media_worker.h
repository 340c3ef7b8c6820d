/* The media worker's thread: fetches inbound images (media.c) apart from
 * the dispatcher's texts, with its own MariaDB connection and its own
 * queue (the 'pending' message_media rows), so a slow or dead media host
 * never delays a text. smsdesk.fcgi runs one beside its dispatcher (both
 * started and stopped by dispatcher.c); smsdeskctl dispatch runs one for
 * the length of its run. */
#ifndef SMSDESK_MEDIA_WORKER_H
#define SMSDESK_MEDIA_WORKER_H
struct config;

/* Starts the thread; should_stop (may be NULL) ends it early too (a
 * signal). -1 when the thread cannot be made. */
int media_worker_start(const struct config *cfg, int (*should_stop)(void));
/* An inbound image was stored: look now rather than at the next poll. */
void media_worker_wake(void);
/* Ends the thread and joins it. finish_due: first fetch every image due
 * now (smsdeskctl dispatch); else the download in progress is cut short
 * (its row is tried again later). */
void media_worker_stop(int finish_due);
#endif
