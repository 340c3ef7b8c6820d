/* The carrier behind a small driver interface: send, look up, verify a
 * callback's signature, parse a status callback. Twilio's protocol first;
 * SignalWire and other compatible carriers use it with another base URL. */
#ifndef SMSDESK_CARRIER_H
#define SMSDESK_CARRIER_H
#include <stddef.h>

struct config;
struct params;

enum carrier_outcome {
	CARRIER_ACCEPTED,   /* the carrier has the message: sid is set */
	CARRIER_RETRY,      /* not sent (refused for now): try again later */
	CARRIER_UNKNOWN,    /* may or may not have been created (timeout, lost
			       answer): look it up before sending again */
	CARRIER_REJECTED,   /* refused for good: error_code and error_message */
};

struct carrier_result {
	enum carrier_outcome outcome;
	char sid[65];
	int http_status;
	int error_code;           /* the carrier's code, e.g. 21610 */
	char error_message[256];
	long retry_after;         /* seconds, from a 429's Retry-After; 0 if none */
};

struct carrier_message {
	const char *to, *from, *body;
	const char *status_callback; /* absolute URL, or NULL */
};

struct carrier_status {
	const char *sid, *status;  /* status as the carrier says it */
	const char *account;       /* the account the callback is for */
	int error_code;            /* 0 when none */
};

#define CARRIER_MEDIA_MAX 10   /* images one inbound message may carry */

/* An inbound message as the carrier delivered it. */
struct carrier_inbound {
	const char *sid, *account, *from, *to, *body;
	int num_media;
	const char *media_url[CARRIER_MEDIA_MAX], *media_type[CARRIER_MEDIA_MAX];
};

struct carrier;
struct carrier_driver {
	const char *name;
	/* should_stop lets a long request be cut short at shutdown. */
	struct carrier *(*open)(const struct config *cfg, int (*should_stop)(void));
	void (*close)(struct carrier *c);
	/* Creates the message at the carrier. */
	void (*send)(struct carrier *c, const struct carrier_message *m,
		     struct carrier_result *out);
	/* Finds a message with the same To, From and Body among the newest
	 * ones between the two numbers, skipping sids that known() says
	 * belong to another message (1) of ours. 1 found (sid set), 0 none,
	 * -1 could not tell (the carrier or known() failed). */
	int (*lookup)(struct carrier *c, const struct carrier_message *m,
		      int (*known)(void *ctx, const char *sid), void *ctx,
		      struct carrier_result *out);
	/* Checks a callback's signature over url and its form fields. */
	int (*verify)(const struct config *cfg, const char *url, const struct params *form,
		      const char *signature);
	/* Reads a status callback's fields; 0 or -1 when malformed. */
	/* Each field the carrier defines is checked in its shape first: a
	 * signature that joins fields without separators lets a replay move the
	 * boundary between two of them (MessageSid=SM...NumMedia0 and no
	 * NumMedia signs the same), so a misshapen field is refused whole. */
	int (*parse_status)(const struct params *form, struct carrier_status *out);
	/* Reads an inbound message's fields; 0, or -1 with *why when malformed. */
	int (*parse_inbound)(const struct params *form, struct carrier_inbound *out,
			     const char **why);
};

extern const struct carrier_driver carrier_twilio;

/* Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + sorted
 * name/value pairs)). out needs 29 bytes. 0 or -1. */
int twilio_signature(const char *token, const char *url, const struct params *form,
		     char out[29]);

/* How Twilio's answers are read, apart from libcurl so that the unit tests
 * (test_carrier) can feed them answers; the driver above is their only
 * other caller. */
/* A create's answer: HTTP status, body (len bytes, NULL for none), the
 * Retry-After seconds (0: none) into out's outcome, sid or error: 2xx with
 * a sid is accepted (without one, unknown); 429 is retried, 5xx unknown,
 * anything else rejected, with Twilio's code and message when the body
 * has them (else the HTTP status and a sentence). out is cleared by the
 * caller. */
void twilio_read_answer(long status, const char *body, size_t len, long retry_after,
			struct carrier_result *out);
/* A look-up's 200 answer (the message list, newest first): the first
 * message whose body is text and whose sid known() does not claim. 1
 * found (out's sid and outcome set), 0 none, -1 unreadable or known()
 * failed. */
int twilio_find_in_list(const char *answer, size_t len, const char *text,
			int (*known)(void *ctx, const char *sid), void *ctx,
			struct carrier_result *out);
#endif
