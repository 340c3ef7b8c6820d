/* Texting in: where an inbound text goes, and storing it once.
 * Routing: the receiving number names the agent and so the organization;
 * among the organization's applications with a contact whose mobile is the
 * sender's, the one updated last receives it; inside it the external
 * contact wins over the borrower, the borrower over the co-borrower. No
 * such application: the agent's Unmatched list, filed later by hand. */
#ifndef SMSDESK_INBOUND_H
#define SMSDESK_INBOUND_H
struct db;
struct arena;
struct carrier_inbound;

struct inbound_route {
	long long user_id, org_id;     /* the agent who owns the receiving number */
	int agent_mms, agent_display;  /* the agent's MMS enabled and display images */
	const char *agent_name, *org_name, *help_contact;
	long long lead_id, contact_id; /* 0 and 0: unmatched */
	int is_partner;                /* the contact is external: consent for the organization */
};

/* The agent whose SMS number is `to` and, in one round trip, the
 * application and contact a text from `from` goes to in the agent's
 * organization (lead_id 0 when none has the number). Both E.164.
 * 0 found, 1 no such user, -1. */
int inbound_find(struct db *db, struct arena *a, const char *to, const char *from,
		 struct inbound_route *rt);
/* Stores the message and its images in the caller's transaction, acts on
 * a consent keyword (keywords.h: grants, withdraws, answers HELP, or marks
 * a possible opt-out) and queues the image notice where it is due. Returns
 * the new message's id, 0 when the carrier's sid was stored before (a
 * repeated delivery, which changes nothing), -1. */
long long inbound_store(struct db *db, struct arena *a, const struct carrier_inbound *in,
			const char *from, const char *to, const struct inbound_route *rt);
/* The automatic text that answers an image the agent cannot receive. */
#define INBOUND_IMAGE_NOTICE \
	"Images are not received on this number. Please send your message as text."
#endif
