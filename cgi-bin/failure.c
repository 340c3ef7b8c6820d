#include "failure.h"

#include <stddef.h>

/* Twilio's codes (the fake carrier's too). Resend is offered where the
 * cause can pass: a busy or unreachable phone, the carrier's own trouble. */
static const struct failure_words table[] = {
	{ 21211, "The number is not a valid phone number.", 0 },
	{ 21408, "Texting this country is not enabled.", 0 },
	{ 21610, "The contact opted out (replied STOP).", 0 },
	{ 21612, "This number cannot be texted from your SMS number.", 0 },
	{ 21614, "The number is a landline or cannot receive texts.", 0 },
	{ 21617, "The text is longer than the carrier accepts.", 0 },
	{ 20429, "The carrier was busy.", 1 },
	{ 30001, "The carrier was busy (its queue was full).", 1 },
	{ 30002, "The SMS account is suspended; ask your admin.", 0 },
	{ 30003, "The phone was switched off or out of reach.", 1 },
	{ 30004, "The contact's phone blocked the text.", 0 },
	{ 30005, "The number does not exist or is no longer in service.", 0 },
	{ 30006, "The number is a landline or cannot receive texts.", 0 },
	{ 30007, "The carrier filtered the text as spam.", 1 },
	{ 30008, "The carrier could not deliver it (unknown error).", 1 },
	{ 30034, "The SMS number is not registered for texting (A2P 10DLC).", 0 },
};

static const struct failure_words not_sent = {
	0, "smsdesk did not send it.", 1
};
static const struct failure_words unknown = {
	-1, "The carrier refused the text.", 1
};

const struct failure_words *failure_words(long long code)
{
	if (code == 0)
		return &not_sent;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].code == code)
			return &table[i];
	return &unknown;
}
