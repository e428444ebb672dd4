/* mail.c - the outbox from the sender's side: claim, record, recover. Every
 * rule (backoff, attempts, at most once) is SQL's (sql/repeatable/77_mail.sql). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/mail.h"

static char *value_dup(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

void mail_msg_free(struct mail_msg *m)
{
	free(m->to);
	free(m->from);
	free(m->subject);
	free(m->body);
	free(m->message_id);
	free(m->in_reply_to);
	memset(m, 0, sizeof(*m));
}

int mail_claim(struct db *db, struct mail_msg *m)
{
	PGresult *res = db_query(db, "select id, to_addr, from_addr, subject, body, message_id, in_reply_to, attempts "
				     "from mail_claim()", 0, NULL);

	memset(m, 0, sizeof(*m));
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	m->id = atoll(PQgetvalue(res, 0, 0));
	m->to = value_dup(res, 1);
	m->from = value_dup(res, 2);
	m->subject = value_dup(res, 3);
	m->body = value_dup(res, 4);
	m->message_id = value_dup(res, 5);
	m->in_reply_to = value_dup(res, 6);
	m->attempts = atoi(PQgetvalue(res, 0, 7));
	PQclear(res);
	if (!m->to || !m->from || !m->subject || !m->body || !m->message_id) {
		db_set_error(db, "message %lld: out of memory", m->id);
		mail_msg_free(m);
		return -1;
	}
	return 1;
}

int mail_record_sent(struct db *db, long long id)
{
	char sid[24];
	const char *p[1] = { sid };

	snprintf(sid, sizeof(sid), "%lld", id);
	return db_exec(db, "select mail_sent($1::bigint)", 1, p);
}

int mail_record_failed(struct db *db, long long id, const char *error, const char *failure, char *status)
{
	char sid[24];
	const char *p[3] = { sid, error, failure };
	PGresult *res;

	snprintf(sid, sizeof(sid), "%lld", id);
	res = db_query(db, "select mail_failed($1::bigint, $2, $3)", 3, p);
	if (!res)
		return -1;
	snprintf(status, 16, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int mail_recover_stale(struct db *db, int *n)
{
	PGresult *res = db_query(db, "select mail_recover_stale()", 0, NULL);

	if (!res)
		return -1;
	*n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

long mail_next_due_ms(struct db *db)
{
	PGresult *res = db_query(db, "select greatest(0, ceil(extract(epoch from mail_next_due() - now()) * 1000))::bigint",
				 0, NULL);
	long ms;

	if (!res)
		return -2;
	ms = PQgetisnull(res, 0, 0) ? -1 : atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return ms;
}

char *mail_sendmail_path(struct db *db)
{
	PGresult *res = db_query(db, "select coalesce((select value from settings where key = 'mail_sendmail_path'), "
				     "'/usr/sbin/sendmail')", 0, NULL);
	char *path;

	if (!res)
		return NULL;
	path = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return path;
}
