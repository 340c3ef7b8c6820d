/* The chatbox's address helpers for the pages that open one (the SMS icons
 * of the lead list and the lead page); the chatboxes themselves are drawn
 * by chat_render_all (pages.h). */
#ifndef SMSDESK_CHAT_H
#define SMSDESK_CHAT_H
struct req;

/* The current page's address with the lead's chatbox opened as well. */
char *chat_open_url(struct req *r, long long lead_id);
/* The same with that chatbox showing the contact's conversation (restored
 * when it was minimized). */
char *chat_open_contact_url(struct req *r, long long lead_id, long long contact_id);
#endif
