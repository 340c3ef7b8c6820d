/* Every route handler, one page_*.c file each, and the page frame. */
#ifndef SMSDESK_PAGES_H
#define SMSDESK_PAGES_H
#include "http.h"
#include "tmpl.h"

/* Reads what every page needs once at start-up (the static files' version). */
int page_init(const char *static_dir, char *err, size_t errlen);

/* Starts a page in the common layout; returns the body's dictionary. */
tmpl_dict *page_begin(struct req *r, const char *title, const char *body_template);
/* Renders the layout and its body into the response; 0 or 500. */
int page_finish(struct req *r);
/* Renders the error page for status (and r->notice, when set). */
void page_error(struct req *r, int status);
void page_discard(struct req *r);
/* The user's SMS conversations, most recent first (limit rows from
 * offset), into section CONVERSATION of d, with the unread counts this page
 * load acknowledged; *unseen: one with unread texts has no open chatbox;
 * *more: rows follow. Returns the rows filled, or -1 (the database failed). */
int page_conversations(struct req *r, tmpl_dict *d, long long limit, long long offset,
		       int *unseen, int *more);
/* Shows the message named by ?done= or ?error= (see page.c). */
void page_flash(struct req *r);

/* One handler per route, in the file named after its page. */

int page_home(struct req *r);
int page_healthz(struct req *r);
int page_status_error(struct req *r);
int page_login(struct req *r);
int page_login_post(struct req *r);
int page_logout(struct req *r);
int page_leads(struct req *r);
int page_leads_create(struct req *r);
int page_lead(struct req *r);
int page_lead_contact_add(struct req *r);
int page_lead_contact_edit(struct req *r);
int page_lead_partner_link(struct req *r);
int page_lead_assignments(struct req *r);
int page_profile(struct req *r);
int page_profile_password(struct req *r);
int page_admin_users(struct req *r);
int page_admin_users_create(struct req *r);
int page_admin_user_update(struct req *r);
int page_admin_settings(struct req *r);
int page_admin_settings_save(struct req *r);
int page_usage_report(struct req *r);
int page_usage_report_csv(struct req *r);
int page_superadmin_orgs(struct req *r);
int page_superadmin_orgs_create(struct req *r);
int page_superadmin_org_update(struct req *r);
int page_sms_send(struct req *r);
int page_sms_resend(struct req *r);
int page_sms_cancel(struct req *r);
int page_consents(struct req *r);
int page_consents_csv(struct req *r);
int page_consents_opt_out(struct req *r);
int page_sms_consent(struct req *r);
int page_loanfile(struct req *r);
int page_loanfile_csv(struct req *r);
int page_unmatched(struct req *r);
int page_notifications(struct req *r);
int page_unmatched_file_form(struct req *r);
int page_unmatched_file(struct req *r);
int webhook_twilio_sms(struct req *r);
int page_media(struct req *r);
int webhook_twilio_status(struct req *r);
int page_inbox(struct req *r);
int page_inbox_done(struct req *r);
int page_inbox_unread(struct req *r);
int page_inbox_search(struct req *r);
int page_replies(struct req *r);
int page_replies_create(struct req *r);
int page_replies_update(struct req *r);
int page_replies_delete(struct req *r);
int page_unmatched_create(struct req *r);

/* The chatboxes named by ?chat=ID&chat=ID2 on /leads and /leads/ID
 * (chatbox.c), rendered into the page's body dictionary. 0 or a status. */
int chat_render_all(struct req *r, tmpl_dict *body);
#endif
