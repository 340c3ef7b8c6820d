/* The dispatcher: a thread of smsdesk.fcgi that sends the outbox through
 * the carrier. Several processes and hosts may run one each. */
#ifndef SMSDESK_DISPATCHER_H
#define SMSDESK_DISPATCHER_H
struct config;

int dispatcher_start(const struct config *cfg);
/* Called after a commit that queued messages: send them now. */
void dispatcher_wake(void);
/* Finishes the send in progress and joins the thread. */
void dispatcher_stop(void);
#endif
