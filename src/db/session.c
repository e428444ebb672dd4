/* session.c - the session's set-up once connected (session.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_priv.h"
#include "ccterm/session.h"

void db_session_timezone_request(struct db_request *rq)
{
	db_request_init(rq, "select session_use_center_timezone()");
}

int db_session_timezone_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	char *zone = out;

	if (PQntuples(res) != 1 || PQnfields(res) != 1) {
		snprintf(err, errsz, "session_use_center_timezone: unexpected reply");
		return -1;
	}
	snprintf(zone, SESSION_TZ_MAX, "%s", db_field(res, 0, 0));
	return 0;
}

int session_timezone_apply(const char *zone)
{
	/* A zone name: letters, digits and / _ + - (Asia/Seoul, UTC, Etc/GMT-9). */
	if (!zone || !*zone || strlen(zone) >= SESSION_TZ_MAX || strspn(zone,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(zone) ||
	    zone[0] == '/' || strstr(zone, ".."))
		return -1;
	if (setenv("TZ", zone, 1) != 0)
		return -1;
	tzset();
	return 0;
}

int db_session_use_center_timezone(struct db *db)
{
	struct db_request rq;
	char zone[SESSION_TZ_MAX] = "";

	db_session_timezone_request(&rq);
	if (db_run(db, &rq, db_session_timezone_read, zone) < 0)
		return -1;
	return session_timezone_apply(zone);
}
