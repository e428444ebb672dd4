/* ccterm-cti - CTI events into the database: a call arrives, is answered, hangs up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/db.h"
#include "ccterm/phone.h"

static const char usage[] =
	"usage: ccterm-cti [-d CONNINFO] COMMAND ...\n"
	"  call --ani NUMBER [--dnis NUMBER] [--queue NAME] [--agent LOGIN]   prints the call id\n"
	"  answer ID\n"
	"  hangup ID\n";

static const char *opt_get(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static int cmd_call(struct db *db, int argc, char **argv)
{
	const char *ani = opt_get(argc, argv, "--ani");
	char e164[PHONE_E164_MAX];
	const char *p[5];
	PGresult *res;

	if (!ani) {
		fputs(usage, stderr);
		return 2;
	}
	/* An unparseable caller id (withheld, "anonymous") is still a call. */
	p[0] = ani;
	p[1] = phone_normalize(ani, NULL, e164, sizeof(e164)) == 0 ? e164 : NULL;
	p[2] = opt_get(argc, argv, "--dnis");
	p[3] = opt_get(argc, argv, "--queue");
	p[4] = opt_get(argc, argv, "--agent");
	res = db_query(db, "select call_arrive($1, $2, $3, $4, $5)", 5, p);
	if (!res)
		return -1;
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int cmd_update(struct db *db, const char *what, const char *id)
{
	const char *p[1] = { id };
	const char *sql = strcmp(what, "answer") == 0
		? "update call set state = 'answered', answered_at = now() "
		  "where id = $1::bigint and state in ('queued', 'offered')"
		: "update call set state = case when answered_at is null then 'abandoned' else 'ended' end, "
		  "ended_at = now() where id = $1::bigint and state not in ('ended', 'abandoned')";
	PGresult *res;
	int n;

	if (strspn(id, "0123456789") != strlen(id) || !*id) {
		fprintf(stderr, "ccterm-cti: %s: call id must be a number\n", id);
		return 2;
	}
	res = db_query(db, sql, 1, p);
	if (!res)
		return -1;
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (n == 0) {
		db_set_error(db, "call %s: no such call in a state that can be %s", id,
			     strcmp(what, "answer") == 0 ? "answered" : "hung up");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL;
	char err[512];
	struct db *db;
	int rc;

	if (argc > 2 && strcmp(argv[1], "-d") == 0) {
		conninfo = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2 || (strcmp(argv[1], "call") != 0 && argc < 3)) {
		fputs(usage, stderr);
		return 2;
	}
	db = db_open(conninfo, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "ccterm-cti: %s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "call") == 0)
		rc = cmd_call(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "answer") == 0 || strcmp(argv[1], "hangup") == 0)
		rc = cmd_update(db, argv[1], argv[2]);
	else {
		fputs(usage, stderr);
		rc = 2;
	}
	if (rc < 0)
		fprintf(stderr, "ccterm-cti: %s\n", db_error(db));
	db_close(db);
	return rc < 0 ? 1 : rc;
}
