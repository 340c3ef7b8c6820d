#include "consent.h"

#include "arena.h"
#include "db.h"
#include "rules.h"

#include <string.h>

const char *consent_color(enum consent_status s)
{
	return s == CONSENT_GRANTED ? "green" : s == CONSENT_PENDING ? "yellow" : "red";
}

int consent_status(struct db *db, struct arena *a, long long org_id,
		   const char *agent_number, const char *contact_number, int is_partner)
{
	if (!contact_number || (!is_partner && !agent_number))
		return CONSENT_NONE;
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT status FROM consents WHERE org_id = ? AND contact_number = ?"
		     " AND scope = ? AND agent_number = ?",
		     "isss", org_id, contact_number, rules_consent_scope(is_partner),
		     rules_consent_agent_number(is_partner, agent_number)) < 0)
		return -1;
	return consent_parse(rows.n == 1 ? db_get(&rows, 0, 0) : NULL);
}

int consent_parse(const char *status)
{
	if (!status)
		return CONSENT_NONE;
	return strcmp(status, "granted") == 0 ? CONSENT_GRANTED :
	       strcmp(status, "pending") == 0 ? CONSENT_PENDING : CONSENT_NONE;
}

int consent_withdraw_number(struct db *db, struct arena *a, long long org_id,
			    const char *number, const char *source, long long message_id,
			    const char *note)
{
	struct db_rows rows;
	/* the ledger first, from the rows as they were */
	if (db_query(db, a, &rows,
		     "SELECT scope, agent_number, status FROM consents WHERE org_id = ?"
		     " AND contact_number = ? AND status <> 'none' FOR UPDATE",
		     "is", org_id, number) < 0)
		return -1;
	for (size_t i = 0; i < rows.n; i++)
		if (db_exec(db, "INSERT INTO consent_ledger (org_id, scope, agent_number,"
				" contact_number, old_status, new_status, source, message_id, note)"
				" VALUES (?, ?, ?, ?, ?, 'none', ?, ?, ?)",
			    "isssssis", org_id, db_get(&rows, i, 0), db_get(&rows, i, 1), number,
			    db_get(&rows, i, 2), source, message_id, note) < 0)
			return -1;
	if (db_exec(db, "UPDATE consents SET status = 'none', updated_at = NOW()"
			" WHERE org_id = ? AND contact_number = ?", "is", org_id, number) < 0)
		return -1;
	return 0;
}

int consent_opted_out(struct db *db, struct arena *a, long long org_id, const char *number)
{
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT new_status = 'none' AND source IN ('reply', 'carrier') FROM consent_ledger"
		     " WHERE org_id = ? AND contact_number = ? ORDER BY created_at DESC, id DESC LIMIT 1",
		     "is", org_id, number) < 0)
		return -1;
	return rows.n == 1 && db_get_ll(&rows, 0, 0) == 1;
}
