/* What an inbound text asks for, when it asks about consent. A keyword is
 * the whole message (any case, surrounding spaces and punctuation ignored):
 * START, YES, UNSTOP grant; STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * REVOKE, OPTOUT, BLOCK withdraw; HELP, INFO ask for help. A revocation may
 * also come in plain words ("please opt me out", "stop texting me"): the
 * phrases in keywords.c withdraw like STOP; a text that only mentions
 * opting out ("can I opt out later?") is a possible opt-out for the agent
 * to look at, and changes nothing by itself. */
#ifndef SMSDESK_KEYWORDS_H
#define SMSDESK_KEYWORDS_H

enum keyword {
	KEYWORD_NONE,
	KEYWORD_START,
	KEYWORD_STOP,           /* a keyword or a plain-words revocation */
	KEYWORD_HELP,
	KEYWORD_MAYBE_STOP,     /* mentions opting out: the agent should look */
};

enum keyword keyword_classify(const char *body);
/* "START", "STOP", "HELP", "possible opt-out" or "" */
const char *keyword_name(enum keyword k);
#endif
