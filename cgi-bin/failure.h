/* A failed text in plain words: the carrier's error codes, each once, with
 * what a loan officer reads and whether sending it again can succeed. */
#ifndef SMSDESK_FAILURE_H
#define SMSDESK_FAILURE_H

struct failure_words {
	long long code;          /* the carrier's (Twilio's) error code; 0: none */
	const char *text;        /* the plain cause */
	int resend;              /* 1 when a resend can succeed */
};

/* The words for a failed or undelivered text with the carrier's code (0
 * when it has none: smsdesk itself did not send it, for the reason the
 * message carries). Never NULL. */
const struct failure_words *failure_words(long long code);
#endif
