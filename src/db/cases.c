/* cases.c - the watch's two questions; the rules are SQL's (76_cases.sql,
 * 78_campaigns.sql). */
#include "config.h"

#include <stdlib.h>

#include "db_priv.h"
#include "ccterm/cases.h"

int case_sla_run(struct db *db, int *events)
{
	PGresult *res = db_query(db, "select case_sla_check(), campaign_callbacks_remind()", 0, NULL);

	if (!res)
		return -1;
	*events = atoi(PQgetvalue(res, 0, 0)) + atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

long case_sla_next_ms(struct db *db)
{
	PGresult *res = db_query(db, "select greatest(0, ceil(extract(epoch from least(case_sla_next(), campaign_callback_next()) - now()) "
				 "* 1000))::bigint",
				 0, NULL);
	long ms;

	if (!res)
		return -2;
	ms = PQgetisnull(res, 0, 0) ? -1 : atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return ms;
}
