/* /replies: the user's saved replies and their organization's; creating,
 * editing and deleting them. A user writes only their own, an admin also
 * the organization's; a reply the user may not see answers 404. A body
 * with an unknown merge field or an unbalanced brace is refused with the
 * field named, and nothing is saved (merge.h). */
#include "pages.h"

#include "auth.h"
#include "log.h"
#include "merge.h"
#include "replies.h"

#include <string.h>

static size_t utf8_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void merge_fields_list(tmpl_dict *d)
{
	for (int f = 0; f < MERGE_FIELD_COUNT; f++) {
		tmpl_dict *m = tmpl_section(d, "MERGE_FIELD");
		tmpl_set(m, "FIELD", merge_field_name((enum merge_field)f));
		tmpl_set(m, "LABEL", merge_field_label((enum merge_field)f));
		tmpl_set(m, "BRACE_OPEN", "{");
		tmpl_set(m, "BRACE_CLOSE", "}");
	}
}

/* What the user typed, shown again with the problem when refused. */
struct reply_form {
	long long id;            /* 0: a new reply */
	const char *name, *body;
	int org_wide;
	const char *problem;
};

static int may_write(const struct session *s, const struct reply *rp)
{
	return !rp->org_wide || s->role == ROLE_ADMIN;
}

static void reply_section(tmpl_dict *d, const char *section, const struct session *s,
			  const struct reply *rp, const struct reply_form *form)
{
	tmpl_dict *e = tmpl_section(d, section);
	tmpl_set_int(e, "ID", rp->id);
	const int refused = form && form->id == rp->id;
	tmpl_set(e, "NAME", refused ? form->name : rp->name);
	tmpl_set(e, "BODY", refused ? form->body : rp->body);
	if (refused)
		tmpl_set(tmpl_section(e, "PROBLEM"), "TEXT", form->problem);
	if (may_write(s, rp)) {
		tmpl_dict *w = tmpl_section(e, "WRITABLE");
		tmpl_set_int(w, "ID", rp->id);
		tmpl_set(w, "NAME", refused ? form->name : rp->name);
		tmpl_set(w, "BODY", refused ? form->body : rp->body);
		tmpl_set(w, "CSRF", s->csrf);
		tmpl_set_int(w, "NAME_MAX", REPLY_NAME_MAX);
		tmpl_set_int(w, "BODY_MAX", REPLY_BODY_MAX);
		if (refused)
			tmpl_show(w, "INVALID");
	} else {
		tmpl_show(e, "READ_ONLY");
	}
}

static int render(struct req *r, const struct reply_form *form)
{
	const struct session *s = r->session;
	struct reply *list = NULL;
	int n = replies_list(r->db, r->a, s->org_id, s->user_id, &list);
	if (n < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Saved replies", "replies.tpl");
	tmpl_set(d, "CSRF", s->csrf);
	tmpl_set_int(d, "NAME_MAX", REPLY_NAME_MAX);
	tmpl_set_int(d, "BODY_MAX", REPLY_BODY_MAX);
	merge_fields_list(d);
	int own = 0, org = 0;
	for (int i = 0; i < n; i++) {
		if (list[i].org_wide) {
			reply_section(d, "ORG_REPLY", s, &list[i], form);
			org++;
		} else {
			reply_section(d, "OWN_REPLY", s, &list[i], form);
			own++;
		}
	}
	if (!own)
		tmpl_show(d, "NO_OWN");
	if (!org)
		tmpl_show(d, "NO_ORG");
	if (s->role == ROLE_ADMIN)
		tmpl_show(d, "ADMIN");
	if (!form || form->id != 0 || !form->org_wide)
		tmpl_show(d, "NEW_OWN_CHECKED");
	if (form && form->id == 0) {
		tmpl_set(d, "NEW_NAME", form->name);
		tmpl_set(d, "NEW_BODY", form->body);
		tmpl_set(tmpl_section(d, "NEW_PROBLEM"), "TEXT", form->problem);
		tmpl_show(d, "NEW_INVALID");
		if (form->org_wide)
			tmpl_show(d, "NEW_ORG_CHECKED");
	}
	return page_finish(r);
}

int page_replies(struct req *r)
{
	return render(r, NULL);
}

/* The first problem of the form, in words naming the field, or NULL. */
static const char *form_problem(struct req *r, const char *name, const char *body)
{
	if (!name || !*name || utf8_count(name) > REPLY_NAME_MAX)
		return arena_printf(r->a, "Give the reply a name of at most %d characters.",
				    REPLY_NAME_MAX);
	if (!body || !*body || utf8_count(body) > REPLY_BODY_MAX)
		return arena_printf(r->a, "Write the reply: at most %d characters.",
				    REPLY_BODY_MAX);
	struct merge_error e;
	switch (merge_check(body, strlen(body), &e)) {
	case MERGE_OK:
		return NULL;
	case MERGE_UNKNOWN_FIELD:
		return arena_printf(r->a, "Unknown merge field {%s}: use one of the fields listed."
				    " Nothing was saved.", e.field);
	case MERGE_UNBALANCED:
		if (strcmp(e.field, "}") == 0)
			return "A closing brace } has no opening brace {. Nothing was saved.";
		return arena_printf(r->a, "The brace of {%s is never closed: end the field with }."
				    " Nothing was saved.", e.field);
	}
	return "The reply could not be read.";
}

/* The form again, saying what is wrong (400), with what was typed. */
static int refuse(struct req *r, struct reply_form *form)
{
	log_info(r->id, "saved reply refused: %s", form->problem);
	if (!form->name)
		form->name = "";
	if (!form->body)
		form->body = "";
	int rc = render(r, form);
	if (rc == 0)
		r->status = 400;
	return rc;
}

int page_replies_create(struct req *r)
{
	const struct session *s = r->session;
	const char *scope = params_get(&r->form, "scope");
	struct reply_form form = {
		.id = 0,
		.name = params_get(&r->form, "name"),
		.body = params_get(&r->form, "body"),
		.org_wide = scope && strcmp(scope, "org") == 0,
	};
	if (scope && strcmp(scope, "org") != 0 && strcmp(scope, "own") != 0)
		return 400;
	if (form.org_wide && s->role != ROLE_ADMIN)
		return 403;
	form.problem = form_problem(r, form.name, form.body);
	if (form.problem)
		return refuse(r, &form);
	long long id = replies_create(r->db, s->org_id, s->user_id, form.org_wide, form.name,
				      form.body);
	if (id < 0)
		return 503;
	log_info(r->id, "saved reply %lld created (%s)", id, form.org_wide ? "org" : "own");
	resp_redirect(r, "/replies?done=created");
	return 0;
}

/* The reply named by the path that the user may write: 0 with *rp, or a
 * status (404 not theirs to see, 403 the organization's for a non-admin). */
static int writable(struct req *r, struct reply *rp)
{
	const struct session *s = r->session;
	int got = replies_get(r->db, r->a, s->org_id, s->user_id, r->ids[0], rp);
	if (got < 0)
		return 503;
	if (got == 0)
		return 404;
	if (!may_write(s, rp))
		return 403;
	return 0;
}

int page_replies_update(struct req *r)
{
	struct reply rp;
	int rc = writable(r, &rp);
	if (rc)
		return rc;
	struct reply_form form = {
		.id = rp.id,
		.name = params_get(&r->form, "name"),
		.body = params_get(&r->form, "body"),
		.org_wide = rp.org_wide,
	};
	form.problem = form_problem(r, form.name, form.body);
	if (form.problem)
		return refuse(r, &form);
	int done = replies_update(r->db, r->session->org_id, rp.id, form.name, form.body);
	if (done < 0)
		return 503;
	if (done == 0)
		return 404;
	log_info(r->id, "saved reply %lld updated", rp.id);
	resp_redirect(r, "/replies?done=saved");
	return 0;
}

int page_replies_delete(struct req *r)
{
	struct reply rp;
	int rc = writable(r, &rp);
	if (rc)
		return rc;
	int done = replies_delete(r->db, r->session->org_id, rp.id);
	if (done < 0)
		return 503;
	log_info(r->id, "saved reply %lld deleted", rp.id);
	resp_redirect(r, "/replies?done=reply_deleted");
	return 0;
}
