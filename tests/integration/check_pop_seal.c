/* check_pop_seal.c - the pop sealed into the offer's notification (issue 9,
 * sql/repeatable/33_pop_seal.sql): "call N offered pop S <sealed>", one per
 * console session of the agent, opened here with pgcrypto as the superuser
 * (MAC first, then AES), its rows compared one by one with what screen_pop
 * gives that agent; and every case where the plain "call N offered" must go
 * instead. Real PostgreSQL, real logins (the CTI's is no superuser). */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/agent.h"
#include "ccterm/customer.h"
#include "ccterm/floor.h"
#include "ccterm/pop_seal.h"
#include "testdb.h"

/* Roles are cluster-wide: every login here starts with ps_. */
#define AGENT "ps_agent"
#define OTHER "ps_other"
#define BRANCH "ps_branch"
#define CTI "ps_cti"
#define RELAY "ps_relay"

static struct db *db;      /* superuser: fixtures, unsealing */
static struct db *cti;     /* the CTI: offers the calls */
static struct db *ag;      /* the agent: its console's connection, listening */
static char dbname[64];

/* C1: a platinum caller with history, an open case, alerts, offers (as
 * check_prepared_pop's); C3 and C4 share a landline; C5 has 60 contacts
 * with long Korean subjects (more than a notification holds); nobody has
 * 010-9999-0000. */
static const char fixture[] =
	"insert into customer (external_id, name, tier_override, segment, branch_code, value_won, churn_score) values "
	"  ('C1', '홍길동', 'platinum', 'family', 'SEL', 20000000, 0.75), "
	"  ('C3', '김영희', 'contracted', null, 'SEL', 0, null), "
	"  ('C4', '김철수', 'all', null, null, 0, null), "
	"  ('C5', '이순신', 'registered', null, 'SEL', 500000, null);"
	"insert into contact_point (kind, value) values ('phone', '+821012345678'), ('phone', '+8223124567'), "
	"  ('email', 'gil.dong@example.kr'), ('phone', '+821055556666');"
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"  select c.id, p.id, v.label, v.prim from (values "
	"    ('C1', '+821012345678', 'mobile', true), ('C1', 'gil.dong@example.kr', 'email', true), "
	"    ('C3', '+8223124567', 'home', false), ('C4', '+8223124567', 'home', false), "
	"    ('C5', '+821055556666', 'mobile', true)) v(ext, val, label, prim) "
	"  join customer c on c.external_id = v.ext join contact_point p on p.value = v.val;"
	"insert into interaction (customer_id, occurred_at, channel, kind, subject, body, amount_won, agent_login) "
	"  select c.id, now() - g * interval '1 hour', (array['phone', 'web', 'email'])[1 + g % 3], "
	"         (array['inquiry', 'order', 'complaint'])[1 + g % 3], 'subject \"' || g || '\"', 'body of ' || g, "
	"         case when g % 3 = 1 then 1000 * g end, 'kim' "
	"  from customer c, generate_series(1, 30) g where c.external_id = 'C1';"
	"insert into interaction (customer_id, occurred_at, channel, kind, subject, body, agent_login) "
	"  select c.id, now() - g * interval '1 hour', 'phone', 'complaint', "
	"         g || ' 배송이 늦어서 다시 문의드립니다 ' || repeat('환불 요청', 8), 'body', 'kim' "
	"  from customer c, generate_series(1, 60) g where c.external_id = 'C5';"
	"insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at) "
	"  select id, 'complaint', 'Late delivery', 'open', 'high', 'kim', now() + interval '3 days' "
	"  from customer where external_id = 'C1';"
	"insert into alert (customer_id, kind, severity, message) "
	"  select id, 'note', 'info', 'Prefers e-mail' from customer where external_id = 'C1';"
	"insert into offer_rule (name, offer, priority, tiers, segments, active) values "
	"  ('Platinum 12m', '12 months interest free', 10, '{platinum}', null, true);"
	"insert into queue (name) values ('general');";

/* A plain login role that belongs to the given group roles. */
static void group_login(const char *name, const char *groups)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "do $$ begin create role %s login; exception when duplicate_object then null; end $$;"
		 "alter role %s nosuperuser; grant %s to %s;", name, name, groups, name);
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s", db_error(db));
}

static void exec_ok(struct db *who, const char *sql)
{
	ck_assert_msg(db_exec(who, sql, 0, NULL) == 0, "%s: %s", sql, db_error(who));
}

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, AGENT, "Sealed Agent", "agent");
	testdb_agent(db, OTHER, OTHER, "agent");
	testdb_agent(db, BRANCH, BRANCH, "branch");
	group_login(CTI, "ccterm_cti");
	group_login(RELAY, "ccterm_relay");
	ck_assert_msg(db_exec_script(db, fixture) == 0, "fixture: %s", db_error(db));
	cti = testdb_connect(dbname, CTI);
	ag = testdb_connect(dbname, AGENT);
	/* as the console does after every connect */
	exec_ok(ag, "select session_use_center_timezone()");
	exec_ok(ag, "listen agent_" AGENT);
}

static void teardown(void)
{
	db_close(ag);
	db_close(cti);
	testdb_drop(db, dbname);
}

/* A console session of who (console_session_beat(null)): its id. */
/* A console opens as the console does (db_console_beat_request, the first
 * beat): its session, with the session's key in the same reply. */
static long long console_open(struct db *who)
{
	struct db_request rq;
	struct console_beat b;
	char q[128], *hex;

	db_console_beat_request(&rq, 0);
	ck_assert_msg(db_run(who, &rq, db_console_beat_read, &b) == 0, "%s", db_error(who));
	ck_assert_int_gt(b.id, 0);
	if (b.has_key) {   /* a login that is no agent's gets no session, and no key */
		snprintf(q, sizeof(q), "select encode(pop_key, 'hex') from console_session where id = %lld", b.id);
		hex = testdb_value(db, q);
		for (int i = 0; i < POP_KEY_LEN; i++) {
			unsigned v;

			ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
			ck_assert_uint_eq(b.key[i], v);
		}
		free(hex);
	}
	ck_assert_msg(b.has_key, "the first beat brought no key");
	/* a renewal brings none */
	db_console_beat_request(&rq, b.id);
	ck_assert_int_eq(db_run(who, &rq, db_console_beat_read, &b), 0);
	ck_assert(!b.has_key);
	return b.id;
}

/* The "call ..." payloads that arrived on l: up to want of them, waiting at
 * most 3 s for them, then 150 ms for any more. Other payloads (the agent's
 * state) are skipped. Returns how many, each malloc'd in out. */
static int payloads(struct db *l, char **out, int max, int want)
{
	int n = 0;

	for (int i = 0; i < 60; i++) {
		struct pollfd pfd = { .fd = PQsocket(db_pg(l)), .events = POLLIN };
		PGnotify *nt;

		poll(&pfd, 1, n >= want ? 150 : 50);
		ck_assert(PQconsumeInput(db_pg(l)));
		while ((nt = PQnotifies(db_pg(l)))) {
			if (strncmp(nt->extra, "call ", 5) == 0) {
				ck_assert_int_lt(n, max);
				out[n] = strdup(nt->extra);
				ck_assert_ptr_nonnull(out[n]);
				n++;
			}
			PQfreemem(nt);
		}
		if (n >= want && (i > 0 || want == 0))
			break;
	}
	return n;
}

static void drain(struct db *l)
{
	char *junk[16];
	int n = payloads(l, junk, 16, 0);

	for (int i = 0; i < n; i++)
		free(junk[i]);
}

/* Any open call of login hung up, and the drained notifications with it. */
static void line_free(const char *login)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "select call_hangup(id) from call where agent_login = '%s' "
		 "and state in ('offered', 'answered')", login);
	exec_ok(db, sql);
	drain(ag);
}

/* A call from ani offered to login by the CTI as ccterm-cti makes it
 * (db_call_arrive: pop_prepare in its own transaction, then call_arrive). */
static long long offer(const char *ani, const char *login)
{
	long long id = 0;

	line_free(login);
	ck_assert_msg(db_call_arrive(cti, ani, "+8215881234", "general", login, &id) == 0, "%s", db_error(cti));
	ck_assert_int_gt(id, 0);
	return id;
}

/* The same without the pop prepared first: call_arrive alone (the line
 * freed before: a hang-up may write what forgets prepared pops). */
static long long offer_unprepared(const char *ani_e164, const char *login)
{
	const char *params[2] = { ani_e164, login };
	PGresult *res;
	long long id;

	res = db_query(cti, "select call_arrive($1, $1, '+8215881234', 'general', $2)", 2, params);
	ck_assert_msg(res != NULL, "%s", db_error(cti));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

/* Exactly one plain "call <id> offered" arrives on l. */
static void expect_plain(struct db *l, long long call)
{
	char *got[8], want[64];
	int n = payloads(l, got, 8, 1);

	snprintf(want, sizeof(want), "call %lld offered", call);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(got[0], want);
	free(got[0]);
}

/* A sealed payload "call <call> offered pop <session> <sealed>": its
 * session id, and the sealed part in *sealed (pointing into payload). */
static long long sealed_session(const char *payload, long long call, const char **sealed)
{
	char prefix[64];
	size_t n;
	long long session;
	char *end;

	n = (size_t)snprintf(prefix, sizeof(prefix), "call %lld offered pop ", call);
	ck_assert_msg(strncmp(payload, prefix, n) == 0, "not a sealed offer of call %lld: %.80s", call, payload);
	session = strtoll(payload + n, &end, 10);
	ck_assert_int_gt(session, 0);
	ck_assert_int_eq(*end, ' ');
	*sealed = end + 1;
	/* base64 without newlines or spaces */
	ck_assert_uint_eq(strspn(*sealed, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
			  strlen(*sealed));
	ck_assert_uint_eq(strlen(*sealed) % 4, 0);
	return session;
}

/* Opens a sealed pop with the key of console session `session`, as the
 * console will: the HMAC-SHA-256 (key bytes 33-64) of iv || ct checked
 * first, then AES-256-CBC (bytes 1-32) undone. The plaintext (malloc'd), or
 * NULL when the MAC does not match that key. */
static char *unseal(const char *sealed, long long session)
{
	static const char sql[] =
		"select case when ccterm_crypto.hmac(substr(b, 1, length(b) - 32), substr(k, 33, 32), 'sha256') "
		"                 = substr(b, length(b) - 31) "
		"            then convert_from(ccterm_crypto.decrypt_iv(substr(b, 17, length(b) - 48), substr(k, 1, 32), "
		"                                                       substr(b, 1, 16), 'aes-cbc/pad:pkcs'), 'UTF8') end "
		"from (select decode($1, 'base64') b, s.pop_key k from console_session s where s.id = $2::bigint) x";
	char id[24];
	const char *params[2] = { sealed, id };
	PGresult *res;
	char *plain = NULL;

	snprintf(id, sizeof(id), "%lld", session);
	res = db_query(db, sql, 2, params);
	ck_assert_msg(res != NULL, "%s", db_error(db));
	ck_assert_int_eq(PQntuples(res), 1);
	if (!PQgetisnull(res, 0, 0)) {
		plain = strdup(PQgetvalue(res, 0, 0));
		ck_assert_ptr_nonnull(plain);
	}
	PQclear(res);
	return plain;
}

/* Rows as lines "f0|f1|...|f12" ("~" for NULL), from a 13-column result or a plaintext. */
struct rows {
	int n;
	char **line;
};

/* pop_plain_parse's fields into rows of lines "f0|...|f12" ("~" for
 * NULL), as rows_of makes them of a result. */
struct line_rows {
	struct rows *r;
	char *cur;
	size_t len, cap;
};

static int line_field(void *arg, int row, int col, const char *value, size_t len)
{
	struct line_rows *a = arg;
	size_t need = (value ? len : 1) + 2;

	if (!a)
		return 0;
	if (a->len + need + 1 > a->cap) {
		a->cap = 2 * (a->cap + need);
		a->cur = realloc(a->cur, a->cap);
		ck_assert_ptr_nonnull(a->cur);
	}
	a->len += (size_t)snprintf(a->cur + a->len, a->cap - a->len, "%.*s%s", (int)(value ? len : 1),
				   value ? value : "~", col < 12 ? "|" : "");
	if (col == 12) {
		a->r->line = realloc(a->r->line, ((size_t)row + 2) * sizeof(char *));
		ck_assert_ptr_nonnull(a->r->line);
		a->r->line[row] = a->cur;
		a->r->n = row + 1;
		a->cur = NULL;
		a->len = a->cap = 0;
	}
	return 0;
}

/* The console's own code (nettle, src/model/pop_seal.c) opens what
 * pgcrypto sealed to the same plaintext, and reads it into the reply
 * screen_pop's rows give (src/db/pop.c). */
static void console_opens(const char *sealed, long long session, const char *plain, long long call)
{
	unsigned char key[POP_KEY_LEN];
	struct pop_plain_head head;
	struct pop_reply *r = calloc(1, sizeof(*r));
	char q[160], *hex, *opened;
	size_t len;

	snprintf(q, sizeof(q), "select encode(pop_key, 'hex') from console_session where id = %lld", session);
	hex = testdb_value(db, q);
	ck_assert_ptr_nonnull(hex);
	ck_assert_uint_eq(strlen(hex), 2 * POP_KEY_LEN);
	for (int i = 0; i < POP_KEY_LEN; i++)
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2hhx", &key[i]), 1);
	free(hex);
	ck_assert_msg(pop_unseal(key, sealed, &opened, &len) == 0, "the console's pop_unseal refused the seal");
	ck_assert_uint_eq(len, strlen(plain));
	ck_assert_str_eq(opened, plain);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(db_pop_plain_read(opened, len, r, &head), 0);
	ck_assert_int_eq(r->call.id, call);
	ck_assert_str_eq(r->call.state, "offered");
	ck_assert_int_eq(r->pop.h.id, r->call.customer_id);   /* 0: an unknown caller */
	if (r->call.customer_id)
		ck_assert_int_gt(r->pop.first.n, 0);
	key[40] ^= 1;   /* and nothing opens with another key (its MAC half: checked first) */
	free(opened);
	ck_assert_int_eq(pop_unseal(key, sealed, &opened, &len), -1);
	free(r);
}

/* The plaintext's head line, read by the console's own parser. */
static struct pop_plain_head head_of(const char *plain)
{
	struct pop_plain_head head;

	ck_assert_int_ge(pop_plain_parse(plain, strlen(plain), &head, line_field, NULL), 0);
	return head;
}

static struct rows rows_of(PGresult *res)
{
	struct rows r = { PQntuples(res), calloc((size_t)PQntuples(res) + 1, sizeof(char *)) };

	ck_assert_ptr_nonnull(r.line);
	ck_assert_int_eq(PQnfields(res), 13);
	for (int i = 0; i < r.n; i++)
		r.line[i] = testdb_row_text(res, i);
	return r;
}

static void rows_free(struct rows *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->line[i]);
	free(r->line);
}

/* The plaintext's rows (13 fields each, or the parse fails the test) as
 * lines, read by the console's own parser: the SQL side and the C side
 * agree on the format. */
static struct rows sealed_rows(const char *plain)
{
	struct pop_plain_head head;
	struct rows r = { 0, NULL };
	struct line_rows acc = { &r, NULL, 0, 0 };
	int n = pop_plain_parse(plain, strlen(plain), &head, line_field, &acc);

	ck_assert_msg(n >= 0, "not a plaintext: %.120s", plain);
	ck_assert_int_eq(r.n, n);
	return r;
}

/* What screen_pop returns to the agent for the call, now. */
static struct rows pop_rows_now(long long call)
{
	char sql[200];
	PGresult *res;
	struct rows r;

	snprintf(sql, sizeof(sql), "select section, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12 "
		 "from screen_pop(%lld)", call);
	res = db_query(ag, sql, 0, NULL);
	ck_assert_msg(res != NULL, "%s", db_error(ag));
	r = rows_of(res);
	PQclear(res);
	return r;
}

/* sealed's rows are screen_pop's, or their first ones (prefix): row by row,
 * but for a case's seconds to its due time, taken a moment apart. */
static void same_rows(const struct rows *sealed, const struct rows *pop, int prefix)
{
	if (prefix)
		ck_assert_int_le(sealed->n, pop->n);
	else
		ck_assert_int_eq(sealed->n, pop->n);
	for (int i = 0; i < sealed->n; i++) {
		const char *a = sealed->line[i], *b = pop->line[i];

		if (strncmp(a, "case|", 5) == 0 && strncmp(b, "case|", 5) == 0) {
			const char *pa = a, *pb = b;

			for (int f = 0; f < 6; f++) {
				pa = strchr(pa, '|') + 1;
				pb = strchr(pb, '|') + 1;
			}
			ck_assert_msg(llabs(atoll(pa) - atoll(pb)) <= 2, "case seconds: %s / %s", a, b);
			ck_assert_int_gt(atoll(pa), 86400);
			ck_assert_str_eq(strchr(pa, '|'), strchr(pb, '|'));
			ck_assert_int_eq(pa - a, pb - b);
			ck_assert(strncmp(a, b, (size_t)(pa - a)) == 0);
		} else {
			ck_assert_msg(strcmp(a, b) == 0, "row %d:\n  sealed %s\n  pop    %s", i, a, b);
		}
	}
}

/* Exactly one notification, a sealed offer of call. */
static void expect_sealed_only(long long call)
{
	char *got[4];
	const char *sealed;

	ck_assert_int_eq(payloads(ag, got, 4, 1), 1);
	sealed_session(got[0], call, &sealed);
	free(got[0]);
}

/* The one sealed offer of call to session on l, unsealed and checked
 * against the agent's screen_pop: its plaintext (malloc'd). */
static char *expect_sealed(long long call, long long session, int *more)
{
	char *got[8], *plain;
	const char *sealed;
	struct pop_plain_head head;
	struct rows s, p;
	int n = payloads(ag, got, 8, 1);

	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(sealed_session(got[0], call, &sealed), session);
	ck_assert_uint_lt(strlen(got[0]), 8000);
	plain = unseal(sealed, session);
	ck_assert_msg(plain != NULL, "the MAC does not match session %lld's key", session);
	console_opens(sealed, session, plain, call);
	head = head_of(plain);
	ck_assert_int_eq(head.call_id, call);
	*more = head.more;
	s = sealed_rows(plain);
	p = pop_rows_now(call);
	ck_assert_int_ge(s.n, 1);
	ck_assert(strncmp(s.line[0], "call|", 5) == 0);
	same_rows(&s, &p, *more);
	if (*more)
		ck_assert_int_lt(s.n, p.n);
	rows_free(&s);
	rows_free(&p);
	free(got[0]);
	return plain;
}

static long long seq_of(const char *plain)
{
	return head_of(plain).seq;
}

START_TEST(an_offer_carries_the_pop_sealed_for_the_console)
{
	long long session = console_open(ag), id, seq1;
	char *plain, sql[128];
	int more;

	id = offer("010-1234-5678", AGENT);
	plain = expect_sealed(id, session, &more);
	ck_assert(!more);
	/* the plaintext: its head, sealed just now, within the budget */
	snprintf(sql, sizeof(sql), "ccpop1 %lld ", id);
	ck_assert_msg(strncmp(plain, sql, strlen(sql)) == 0, "plaintext: %.120s", plain);
	ck_assert_int_le(llabs(head_of(plain).at - (long long)time(NULL)), 60);
	ck_assert_uint_le(strlen(plain), 5700);
	seq1 = seq_of(plain);
	free(plain);

	/* the next offer: a seq above the last */
	id = offer("010-1234-5678", AGENT);
	plain = expect_sealed(id, session, &more);
	ck_assert_int_gt(seq_of(plain), seq1);
	free(plain);
}
END_TEST

/* The offer made in the agent's own transaction: going ready takes the call
 * waiting in the queue (routing, as the agent: call_notify reads the
 * session keys and the prepared pop as their owner). */
START_TEST(going_ready_takes_a_waiting_call_sealed)
{
	long long session, id = 0;
	char *plain;
	int more;

	testdb_agent_in(db, AGENT, "Sealed Agent", "agent", "general");
	session = console_open(ag);
	ck_assert_msg(db_call_arrive(cti, "010-1234-5678", "+8215881234", "general", NULL, &id) == 0, "%s",
		      db_error(cti));
	ck_assert_int_gt(id, 0);
	drain(ag);
	exec_ok(ag, "select agent_set_state('ready')");
	plain = expect_sealed(id, session, &more);
	ck_assert(!more);
	free(plain);
}
END_TEST

START_TEST(each_console_session_gets_its_own_seal)
{
	struct db *ag2 = testdb_connect(dbname, AGENT);
	long long s1 = console_open(ag), s2 = console_open(ag2), id;
	char *got[8];
	const char *sealed[2];
	long long sess[2];
	int n;

	ck_assert_int_ne(s1, s2);
	id = offer("010-1234-5678", AGENT);
	n = payloads(ag, got, 8, 2);
	ck_assert_int_eq(n, 2);
	for (int i = 0; i < 2; i++)
		sess[i] = sealed_session(got[i], id, &sealed[i]);
	ck_assert((sess[0] == s1 && sess[1] == s2) || (sess[0] == s2 && sess[1] == s1));
	ck_assert_str_ne(sealed[0], sealed[1]);
	for (int i = 0; i < 2; i++) {
		char *mine = unseal(sealed[i], sess[i]);
		char *theirs = unseal(sealed[i], sess[1 - i]);

		ck_assert_ptr_nonnull(mine);
		ck_assert_ptr_null(theirs);
		free(mine);
	}
	/* the same plaintext in both */
	{
		char *a = unseal(sealed[0], sess[0]), *b = unseal(sealed[1], sess[1]);

		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
	free(got[0]);
	free(got[1]);
	db_close(ag2);
}
END_TEST

START_TEST(a_long_history_is_cut_to_fit_and_says_so)
{
	long long session = console_open(ag), id;
	char *plain;
	int more, items = 0;
	struct rows rows;

	id = offer("010-5555-6666", AGENT);
	plain = expect_sealed(id, session, &more);
	ck_assert(more);
	rows = sealed_rows(plain);
	for (int i = 0; i < rows.n; i++)
		items += strncmp(rows.line[i], "item|", 5) == 0;
	/* it fits, and not by much: only what did not fit was dropped */
	ck_assert_uint_le(strlen(plain), 5700);
	ck_assert_uint_gt(strlen(plain), 5700 - 400);
	ck_assert_int_gt(items, 0);
	ck_assert_int_lt(items, 51);
	rows_free(&rows);
	free(plain);
}
END_TEST

START_TEST(no_seal_without_a_console_session_or_for_branch_staff)
{
	struct db *br = testdb_connect(dbname, BRANCH), *other = testdb_connect(dbname, OTHER);
	long long id;

	/* the agent's console is open, but the call goes to OTHER, who has none */
	console_open(ag);
	exec_ok(other, "listen agent_" OTHER);
	id = offer("010-1234-5678", OTHER);
	expect_plain(other, id);
	/* branch staff: their visibility is per row, no offer audit, no seal */
	console_open(br);
	exec_ok(br, "listen agent_" BRANCH);
	id = offer("010-1234-5678", BRANCH);
	expect_plain(br, id);
	db_close(br);
	db_close(other);
}
END_TEST

/* The line free again and the caller's pop prepared anew by the CTI, then
 * changed by change (NULL: left fresh). */
static void prepared_again(const char *change)
{
	line_free(AGENT);
	exec_ok(db, "delete from prepared_pop");
	ck_assert_int_gt(testdb_count(cti, "select pop_prepare('+821012345678')"), 0);
	if (change)
		exec_ok(db, change);
}

START_TEST(no_seal_without_a_fresh_prepared_pop_in_the_centers_zone)
{
	long long id;

	console_open(ag);
	/* nothing prepared: call_arrive alone */
	exec_ok(db, "delete from prepared_pop");
	id = offer_unprepared("+821012345678", AGENT);
	expect_plain(ag, id);
	/* prepared, but stale */
	prepared_again("update prepared_pop set valid_until = now() - interval '1 second'");
	id = offer_unprepared("+821012345678", AGENT);
	expect_plain(ag, id);
	/* prepared in another zone than the center's */
	prepared_again("update prepared_pop set time_zone = 'UTC'");
	id = offer_unprepared("+821012345678", AGENT);
	expect_plain(ag, id);
	/* and fresh in the center's zone again: sealed */
	prepared_again(NULL);
	id = offer_unprepared("+821012345678", AGENT);
	expect_sealed_only(id);
}
END_TEST

START_TEST(no_seal_when_switched_off_or_for_a_shared_number)
{
	long long id, session;
	char *plain;
	int more;
	struct rows rows;

	session = console_open(ag);
	exec_ok(db, "insert into settings (key, value) values ('pop_sealed', 'off')");
	id = offer("010-1234-5678", AGENT);
	expect_plain(ag, id);
	exec_ok(db, "update settings set value = 'on' where key = 'pop_sealed'");
	/* a caller nobody has the number of: the call row alone, sealed (what
	 * screen_pop gives, no customer in it) */
	id = offer("010-9999-0000", AGENT);
	plain = expect_sealed(id, session, &more);
	rows = sealed_rows(plain);
	ck_assert_int_eq(rows.n, 1);
	ck_assert(!more);
	rows_free(&rows);
	free(plain);
	/* a shared number: the candidates are read, not sealed */
	id = offer("02-312-4567", AGENT);
	expect_plain(ag, id);
	/* and the known caller, with it on again: sealed */
	id = offer("010-1234-5678", AGENT);
	expect_sealed_only(id);
}
END_TEST

/* The SQLSTATE of running sql as who ("" when it ran). */
static const char *refusal(struct db *who, const char *sql)
{
	PGresult *res = db_query(who, sql, 0, NULL);

	if (res) {
		PQclear(res);
		return "";
	}
	return db_sqlstate(who);
}

START_TEST(only_the_console_itself_reads_its_key)
{
	struct db *other = testdb_connect(dbname, OTHER), *br = testdb_connect(dbname, BRANCH),
		  *relay = testdb_connect(dbname, RELAY);
	long long mine = console_open(ag), theirs = console_open(other);
	char sql[200];
	char *v, *want;

	snprintf(sql, sizeof(sql), "select encode(console_session_key(%lld), 'hex')", mine);
	v = testdb_value(ag, sql);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(strlen(v), 128);
	snprintf(sql, sizeof(sql), "select encode(pop_key, 'hex') from console_session where id = %lld", mine);
	want = testdb_value(db, sql);
	ck_assert_str_eq(v, want);
	free(v);
	free(want);
	/* another agent's session: nothing, for an agent or branch staff (whose
	 * consoles beat too) */
	snprintf(sql, sizeof(sql), "select console_session_key(%lld) is null", theirs);
	v = testdb_value(ag, sql);
	ck_assert_str_eq(v, "t");
	free(v);
	snprintf(sql, sizeof(sql), "select console_session_key(%lld) is null", mine);
	v = testdb_value(br, sql);
	ck_assert_str_eq(v, "t");
	free(v);
	/* and the keys differ */
	ck_assert_int_eq(testdb_count(db, "select count(distinct pop_key) from console_session"), 2);
	/* roles that have no console may not ask, and nobody reads the table */
	snprintf(sql, sizeof(sql), "select console_session_key(%lld)", mine);
	ck_assert_str_eq(refusal(cti, sql), "42501");
	ck_assert_str_eq(refusal(relay, sql), "42501");
	ck_assert_str_eq(refusal(br, "select pop_key from console_session"), "42501");
	ck_assert_str_eq(refusal(cti, "select pop_key from console_session"), "42501");
	ck_assert_str_eq(refusal(relay, "select pop_key from console_session"), "42501");
	ck_assert_str_eq(refusal(ag, "select pop_key from console_session"), "42501");
	/* nor seal anything themselves */
	ck_assert_str_eq(refusal(ag, "select pop_seal('x', '\\x00')"), "42501");
	ck_assert_str_eq(refusal(cti, "select ccterm_crypto.gen_random_bytes(1)"), "42501");
	db_close(other);
	db_close(br);
	db_close(relay);
}
END_TEST

static Suite *pop_seal_suite(void)
{
	Suite *s = suite_create("pop_seal");
	TCase *tc = tcase_create("seal");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, an_offer_carries_the_pop_sealed_for_the_console);
	tcase_add_test(tc, going_ready_takes_a_waiting_call_sealed);
	tcase_add_test(tc, each_console_session_gets_its_own_seal);
	tcase_add_test(tc, a_long_history_is_cut_to_fit_and_says_so);
	tcase_add_test(tc, no_seal_without_a_console_session_or_for_branch_staff);
	tcase_add_test(tc, no_seal_without_a_fresh_prepared_pop_in_the_centers_zone);
	tcase_add_test(tc, no_seal_when_switched_off_or_for_a_shared_number);
	tcase_add_test(tc, only_the_console_itself_reads_its_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pop_seal_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
