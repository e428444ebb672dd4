/* check_pop.c - the screen pop, the timeline, search and saving a contact,
 * against a real PostgreSQL, as an agent (a login role that is not a superuser). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/customer.h"
#include "testdb.h"

/* Roles are cluster-wide and other test programs run at the same time:
 * every login here starts with pp_. */
#define AGENT "pp_agent"

static struct db *db;      /* superuser: fixtures and checks */
static struct db *ag;      /* the agent: everything under test */
static char dbname[64];

/* Customers: C1 platinum caller with history, an open overdue complaint, a
 * stored note alert, and monthly orders that stopped five months ago (with 20
 * complaints in 60 hours: churn risk 1.0, computed); C2 with an e-mail and an order; C3 and C4 share a
 * landline; C5 a Latin name. Offer rules: some match C1, some must not. */
static const char fixture[] =
	"insert into customer (external_id, name, tier_override, segment, branch_code, value_won, churn_score) values "
	"  ('C1', '홍길동', 'platinum', 'family', 'SEL', 20000000, 0.75), "
	"  ('C2', 'Emily Clark', 'registered', 'young_single', null, 150000, 0.2), "
	"  ('C3', '김영희', 'contracted', null, 'SEL', 0, null), "
	"  ('C4', '김철수', 'all', null, null, 0, null), "
	"  ('C5', 'Park, Ji-sung', 'registered', 'student', null, 0, null);"
	"insert into customer_secret (customer_id, rrn) select id, '800301-1234567' from customer where external_id = 'C1';"
	"insert into contact_point (kind, value) values ('phone', '+821012345678'), ('phone', '+8223124567'), "
	"  ('email', 'gil.dong@example.kr'), ('email', 'emily@example.com'), ('phone', '+821022223333');"
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"  select c.id, p.id, v.label, v.prim from (values "
	"    ('C1', '+821012345678', 'mobile', true), ('C1', 'gil.dong@example.kr', 'email', true), "
	"    ('C2', 'emily@example.com', 'email', true), ('C2', '+821022223333', 'mobile', true), "
	"    ('C3', '+8223124567', 'home', false), ('C4', '+8223124567', 'home', false)) v(ext, val, label, prim) "
	"  join customer c on c.external_id = v.ext join contact_point p on p.value = v.val;"
	"insert into orders (order_no, customer_id, ordered_at, channel, total_won) "
	"  select 'ORD-2025-0042', id, now() - interval '3 days', 'web', 129000 from customer where external_id = 'C2';"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	"  select 'C1-' || k, id, now() - make_interval(days => 150 + 30 * k), 'web', 'delivered', 200000 "
	"  from customer, generate_series(0, 5) k where external_id = 'C1';"
	"insert into interaction (customer_id, occurred_at, channel, kind, subject, body, amount_won, agent_login) "
	"  select c.id, now() - g * interval '1 hour', (array['phone', 'web', 'email'])[1 + g % 3], "
	"         (array['inquiry', 'order', 'complaint'])[1 + g % 3], 'subject ' || g, 'body of ' || g, "
	"         case when g % 3 = 1 then 1000 * g end, 'kim' "
	"  from customer c, generate_series(1, 60) g where c.external_id = 'C1';"
	"insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at) "
	"  select id, 'complaint', 'Late delivery', 'open', 'high', 'kim', now() - interval '1 day' "
	"  from customer where external_id = 'C1';"
	"insert into cases (customer_id, kind, subject, status, closed_at) "
	"  select id, 'inquiry', 'Old question', 'closed', now() from customer where external_id = 'C1';"
	"insert into alert (customer_id, kind, severity, message) "
	"  select id, 'note', 'info', 'Prefers e-mail' from customer where external_id = 'C1';"
	"insert into alert (customer_id, kind, severity, message, cleared_at) "
	"  select id, 'fraud', 'critical', 'cleared long ago', now() from customer where external_id = 'C1';"
	"insert into offer_rule (name, offer, priority, tiers, segments, min_value, min_churn, max_churn, active, "
	"                        valid_from, valid_until) values "
	"  ('Platinum 12m', '12 months interest free', 10, '{platinum}', null, null, null, null, true, null, null), "
	"  ('Win-back', '20% coupon', 5, null, null, 100000, 0.7, null, true, null, null), "
	"  ('Inactive', 'never', 1, null, null, null, null, null, false, null, null), "
	"  ('Expired', 'never', 2, null, null, null, null, null, true, null, current_date - 1), "
	"  ('Not yet', 'never', 3, null, null, null, null, null, true, current_date + 1, null), "
	"  ('Students', 'never for C1', 4, null, '{student}', null, null, null, true, null, null), "
	"  ('Loyal low churn', 'never for C1', 6, null, null, null, null, 0.5, true, null, null), "
	"  ('Family', 'family pack', 20, null, '{family}', null, null, null, true, null, null);"
	"insert into queue (name) values ('general');";

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, AGENT, "Pop Agent", "agent");
	ck_assert_msg(db_exec_script(db, fixture) == 0, "fixture: %s", db_error(db));
	ag = testdb_connect(dbname, AGENT);
}

static void teardown(void)
{
	db_close(ag);
	testdb_drop(db, dbname);
}

static long long customer_id(const char *external_id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "select id from customer where external_id = '%s'", external_id);
	return testdb_count(db, sql);
}

/* A call from ani offered to the agent, as ccterm-cti makes it. The
 * agent's previous caller, if any, has hung up: one call per agent. */
static long long call_from(const char *ani, const char *e164)
{
	const char *p[2] = { ani, e164 };
	PGresult *res;
	long long id;

	ck_assert_int_eq(db_exec(db, "select call_hangup(id) from call where agent_login = '" AGENT "' "
				     "and state in ('offered', 'answered')", 0, NULL), 0);
	res = db_query(db, "select call_arrive($1, $2, '+8215881234', 'general', '" AGENT "')", 2, p);

	ck_assert_msg(res != NULL, "%s", db_error(db));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

/* Fixtures are big structs: keep them off the (forked child's) stack. */
static struct customer_pop *pop_new(void)
{
	struct customer_pop *pop = calloc(1, sizeof(*pop));

	ck_assert_ptr_nonnull(pop);
	return pop;
}

/* Inside a transaction of the agent's own: the pop of call id, then what
 * sql says of the transaction (its text). The transaction is committed. */
static char *pop_and_ask(long long id, const char *sql)
{
	char q[96], *v;

	ck_assert_int_eq(db_exec(ag, "begin", 0, NULL), 0);
	snprintf(q, sizeof(q), "select count(*) from screen_pop(%lld)", id);
	ck_assert_int_eq(db_exec(ag, q, 0, NULL), 0);
	v = testdb_value(ag, sql);
	ck_assert_int_eq(db_exec(ag, "commit", 0, NULL), 0);
	return v;
}

/* The agent's pop of the call offered to it was audited by the offer
 * (call_offer_audit): the pop writes nothing, so its commit has nothing to
 * wait for before the frame. */
START_TEST(an_offered_pop_writes_nothing)
{
	char *v;
	long long id = call_from("010-1234-5678", "+821012345678");

	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where action = 'offer' and login = '" AGENT "'"), 1);
	v = pop_and_ask(id, "select txid_current_if_assigned() is null");
	ck_assert_str_eq(v, "t");
	free(v);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login = '" AGENT "'"), 1);
}
END_TEST

/* A pop the offer did not audit (here the customer linked to the call after
 * it was answered) writes its own row, and that commit does not wait for the
 * WAL flush (the frame comes first): only inside the pop's own transaction. */
START_TEST(a_pop_the_offer_did_not_audit_writes_its_row_without_waiting_for_the_disk)
{
	char sql[200], *v;
	long long id = call_from("010-1234-5678", "+821012345678");

	snprintf(sql, sizeof(sql), "select call_answer(%lld)", id);
	ck_assert_msg(db_exec(ag, sql, 0, NULL) == 0, "%s", db_error(ag));
	snprintf(sql, sizeof(sql), "update call set customer_id = %lld where id = %lld", customer_id("C2"), id);
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	v = pop_and_ask(id, "show synchronous_commit");
	ck_assert_str_eq(v, "off");
	free(v);
	v = testdb_value(ag, "show synchronous_commit");
	ck_assert_str_eq(v, "on");
	free(v);
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where action = 'view' and login = '" AGENT "' "
		 "and customer_id = %lld and detail = 'pop call %lld'", customer_id("C2"), id);
	ck_assert_int_eq(testdb_count(db, sql), 1);
}
END_TEST

START_TEST(pop_of_a_known_caller)
{
	struct customer_pop *pop = pop_new();
	struct customer_hit cands[SEARCH_MAX];
	struct call_info call;
	size_t ncands = 99;
	long long c1 = customer_id("C1"), id = call_from("010-1234-5678", "+821012345678");
	bool note = false, complaint = false, overdue = false, churn = false;
	time_t now = time(NULL);

	ck_assert_msg(db_pop_call(ag, id, &call, pop, cands, &ncands) == 0, "%s", db_error(ag));
	ck_assert_int_eq(call.id, id);
	ck_assert_str_eq(call.ani, "010-1234-5678");
	ck_assert_str_eq(call.ani_e164, "+821012345678");
	ck_assert_str_eq(call.queue, "general");
	ck_assert_str_eq(call.state, "offered");
	ck_assert_int_eq(call.customer_id, c1);
	ck_assert_uint_eq(call.ncandidates, 1);
	ck_assert_uint_eq(ncands, 0);
	ck_assert(call.created_at > now - 60 && call.created_at <= now + 60);

	ck_assert_int_eq(pop->h.id, c1);
	ck_assert_str_eq(pop->h.external_id, "C1");
	ck_assert_str_eq(pop->h.name, "홍길동");
	ck_assert_str_eq(pop->h.phone, "+821012345678");
	ck_assert_str_eq(pop->h.email, "gil.dong@example.kr");
	ck_assert_str_eq(pop->h.tier, "platinum");
	ck_assert_str_eq(pop->h.segment, "family");
	ck_assert_str_eq(pop->h.branch, "SEL");
	ck_assert_str_eq(pop->h.branch_name, "서울 본점");
	/* The value is computed from the record (customer_metrics), never typed in. */
	ck_assert_int_eq(pop->h.value_won, testdb_count(db, "select m.value_won from customer_metrics m join customer c "
						 "on c.id = m.customer_id where c.external_id = 'C1'"));
	ck_assert_str_eq(pop->h.rrn_masked, "800301-1******");
	ck_assert(pop->h.customer_since > now - 600 && pop->h.customer_since <= now + 60);

	/* Stored (open only) and derived alerts, one per kind, critical first. */
	ck_assert_uint_eq(pop->nalerts, 4);
	ck_assert_str_eq(pop->alerts[0].severity, "critical");
	for (size_t i = 0; i < pop->nalerts; i++) {
		const struct customer_alert *a = &pop->alerts[i];

		note |= strcmp(a->kind, "note") == 0 && strcmp(a->message, "Prefers e-mail") == 0;
		/* a platinum customer's open complaint is the VIP warning */
		complaint |= strcmp(a->kind, "vip_complaint") == 0 && strcmp(a->severity, "critical") == 0;
		overdue |= strcmp(a->kind, "overdue") == 0;
		churn |= strcmp(a->kind, "churn_risk") == 0;
		ck_assert_str_ne(a->kind, "fraud");
		if (i > 0 && strcmp(a->severity, "critical") == 0)
			ck_assert_str_eq(pop->alerts[i - 1].severity, "critical");
	}
	ck_assert(note && complaint && overdue && churn);

	/* Offers whose every condition holds, by priority. */
	ck_assert_uint_eq(pop->noffers, 3);
	ck_assert_str_eq(pop->offers[0].name, "Win-back");
	ck_assert_str_eq(pop->offers[1].name, "Platinum 12m");
	ck_assert_str_eq(pop->offers[1].offer, "12 months interest free");
	ck_assert_str_eq(pop->offers[2].name, "Family");

	/* Open cases only, with the time left (negative: overdue). */
	ck_assert_uint_eq(pop->ncases, 1);
	ck_assert_str_eq(pop->cases[0].subject, "Late delivery");
	ck_assert_str_eq(pop->cases[0].status, "open");
	ck_assert_str_eq(pop->cases[0].priority, "high");
	ck_assert_str_eq(pop->cases[0].owner, "kim");
	ck_assert(pop->cases[0].has_due);
	ck_assert(pop->cases[0].sla_left_secs < -86000 && pop->cases[0].sla_left_secs > -87000);

	/* The first page of the timeline, newest first, and the total. */
	ck_assert_int_eq(pop->interactions_total, 60);
	ck_assert_uint_eq(pop->first.n, TIMELINE_PAGE);
	ck_assert(pop->first.more);
	ck_assert_str_eq(pop->first.items[0].subject, "subject 1");
	ck_assert_str_eq(pop->first.items[0].channel, "web");
	ck_assert_str_eq(pop->first.items[0].kind, "order");
	ck_assert_str_eq(pop->first.items[0].direction, "in");
	ck_assert_str_eq(pop->first.items[0].agent, "kim");
	ck_assert(pop->first.items[0].has_amount);
	ck_assert_int_eq(pop->first.items[0].amount_won, 1000);
	ck_assert(!pop->first.items[1].has_amount);
	ck_assert(pop->first.items[0].occurred_at > now - 3700 && pop->first.items[0].occurred_at < now - 3500);
	ck_assert_str_eq(pop->first.items[49].subject, "subject 50");
	ck_assert(!pop->first.next.at_start);
	ck_assert_int_eq(pop->first.next.id, pop->first.items[49].id);
	free(pop);
}
END_TEST

START_TEST(pop_of_an_unknown_number)
{
	struct customer_pop *pop = pop_new();
	struct customer_hit cands[SEARCH_MAX];
	struct call_info call;
	size_t ncands = 99;
	long long id = call_from("010-5555-0000", "+821055550000");

	ck_assert_msg(db_pop_call(ag, id, &call, pop, cands, &ncands) == 0, "%s", db_error(ag));
	ck_assert_int_eq(call.id, id);
	ck_assert_uint_eq(call.ncandidates, 0);
	ck_assert_int_eq(call.customer_id, 0);
	ck_assert_uint_eq(ncands, 0);
	ck_assert_int_eq(pop->h.id, 0);
	ck_assert_uint_eq(pop->first.n, 0);
	/* A withheld number (no ANI) is unknown too. */
	id = call_from(NULL, NULL);
	ck_assert_msg(db_pop_call(ag, id, &call, pop, cands, &ncands) == 0, "%s", db_error(ag));
	ck_assert_uint_eq(call.ncandidates, 0);
	ck_assert_str_eq(call.ani, "");
	/* A call that does not exist is an error with a message. */
	ck_assert_int_eq(db_pop_call(ag, 999999, &call, pop, cands, &ncands), -1);
	ck_assert_ptr_nonnull(strstr(db_error(ag), "no such call"));
	free(pop);
}
END_TEST

START_TEST(pop_of_a_shared_number_lists_candidates)
{
	struct customer_pop *pop = pop_new();
	struct customer_hit cands[SEARCH_MAX];
	struct call_info call;
	size_t ncands = 0;
	long long id = call_from("02-312-4567", "+8223124567");

	ck_assert_msg(db_pop_call(ag, id, &call, pop, cands, &ncands) == 0, "%s", db_error(ag));
	ck_assert_uint_eq(call.ncandidates, 2);
	ck_assert_int_eq(call.customer_id, 0);
	ck_assert_int_eq(pop->h.id, 0);
	ck_assert_uint_eq(ncands, 2);
	ck_assert_str_eq(cands[0].name, "김영희");
	ck_assert_str_eq(cands[0].external_id, "C3");
	ck_assert_str_eq(cands[0].tier, "contracted");
	ck_assert_str_eq(cands[0].branch, "SEL");
	ck_assert_str_eq(cands[0].phone, "+8223124567");
	ck_assert_str_eq(cands[1].name, "김철수");
	ck_assert_int_eq(cands[1].id, customer_id("C4"));
	/* Both were shown, so both are in the audit trail. */
	ck_assert_int_eq(testdb_count(db, "select count(distinct customer_id) from audit_log where action = 'view' "
			       "and login = '" AGENT "'"), 2);
	/* The agent picks one: the customer pop. */
	ck_assert_msg(db_pop_customer(ag, cands[1].id, pop) == 0, "%s", db_error(ag));
	ck_assert_str_eq(pop->h.name, "김철수");
	ck_assert_int_eq(pop->interactions_total, 0);
	ck_assert_uint_eq(pop->first.n, 0);
	ck_assert(!pop->first.more);
	ck_assert_int_eq(db_pop_customer(ag, 999999, pop), -1);
	ck_assert_ptr_nonnull(strstr(db_error(ag), "no such customer"));
	free(pop);
}
END_TEST

START_TEST(pop_writes_the_audit_trail)
{
	struct customer_pop *pop = pop_new();
	struct call_info call;
	long long id = call_from("+82 10 1234 5678", "+821012345678");
	char sql[256];

	/* The offer writes the row of the pop it grants, the pop nothing more,
	 * however often the agent's console reads it (a restart mid-call). */
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where action = 'offer' and login = '" AGENT "' "
		 "and customer_id = %lld and detail = 'pop call %lld' and at > now() - interval '1 minute'",
		 customer_id("C1"), id);
	ck_assert_int_eq(testdb_count(db, sql), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log"), 1);
	ck_assert_msg(db_pop_call(ag, id, &call, pop, NULL, NULL) == 0, "%s", db_error(ag));
	ck_assert_msg(db_pop_call(ag, id, &call, pop, NULL, NULL) == 0, "%s", db_error(ag));
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log"), 1);
	/* Opened without a call, the same customer is a read of its own. */
	ck_assert_msg(db_pop_customer(ag, customer_id("C1"), pop) == 0, "%s", db_error(ag));
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where action = 'view' and login = '" AGENT "' "
		 "and customer_id = %lld and at > now() - interval '1 minute'", customer_id("C1"));
	ck_assert_int_eq(testdb_count(db, sql), 1);
	/* The agent neither reads nor changes the trail (the functions write it). */
	ck_assert_ptr_null(db_query(ag, "select * from audit_log", 0, NULL));
	ck_assert_str_eq(db_sqlstate(ag), "42501");
	ck_assert_int_eq(db_exec(ag, "delete from audit_log", 0, NULL), -1);
	free(pop);
}
END_TEST

/* A big history: 1,234 interactions, four sharing each timestamp (so the
 * id breaks ties), timestamps with microseconds, five channels, four kinds. */
static long long big_customer(int n)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "insert into customer (external_id, name) values ('BIG', 'Big History');"
		 "insert into interaction (customer_id, occurred_at, channel, kind, subject) "
		 "select (select id from customer where external_id = 'BIG'), "
		 "  timestamptz '2025-06-30 12:00:00.000001+09' - (g / 4) * interval '37 minutes 0.000123 seconds', "
		 "  (array['phone', 'web', 'email', 'store', 'chat'])[1 + g %% 5], "
		 "  (array['inquiry', 'complaint', 'order', 'visit'])[1 + g %% 4], 'item ' || g "
		 "from generate_series(1, %d) g order by random();"
		 "analyze interaction;", n);
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s", db_error(db));
	return customer_id("BIG");
}

/* Pages through the whole timeline and compares it with the same rows
 * ordered by PostgreSQL itself. */
static void timeline_check(long long cust, const char *channel, const char *kind)
{
	struct timeline_filter f = { "", "" };
	struct timeline_cursor cur = { .at_start = true };
	struct timeline_page *page = calloc(1, sizeof(*page));
	long long *want, total;
	size_t got = 0, pages = 0;
	char sql[512];
	PGresult *res;

	snprintf(f.channel, sizeof(f.channel), "%s", channel);
	snprintf(f.kind, sizeof(f.kind), "%s", kind);
	snprintf(sql, sizeof(sql), "select id from interaction where customer_id = %lld "
		 "and ('%s' = '' or channel = '%s') and ('%s' = '' or kind = '%s') "
		 "order by occurred_at desc, id desc", cust, channel, channel, kind, kind);
	res = db_query(db, sql, 0, NULL);
	ck_assert_ptr_nonnull(res);
	total = PQntuples(res);
	ck_assert_int_gt(total, TIMELINE_PAGE);
	want = calloc((size_t)total, sizeof(*want));
	for (int i = 0; i < total; i++)
		want[i] = atoll(PQgetvalue(res, i, 0));
	PQclear(res);

	do {
		ck_assert_msg(db_timeline(ag, cust, &f, &cur, page) == 0, "%s", db_error(ag));
		ck_assert_msg(page->n == TIMELINE_PAGE || !page->more, "a short page says there is more");
		for (size_t i = 0; i < page->n; i++) {
			ck_assert_msg(got < (size_t)total, "more items than rows (%s/%s)", channel, kind);
			ck_assert_msg(page->items[i].id == want[got], "%s/%s item %zu: got %lld want %lld",
				      channel, kind, got, page->items[i].id, want[got]);
			if (channel[0])
				ck_assert_str_eq(page->items[i].channel, channel);
			if (kind[0])
				ck_assert_str_eq(page->items[i].kind, kind);
			got++;
		}
		cur = page->next;
		pages++;
	} while (page->more);
	ck_assert_uint_eq(got, (size_t)total);
	ck_assert_uint_eq(pages, ((size_t)total + TIMELINE_PAGE - 1) / TIMELINE_PAGE);
	free(want);
	free(page);
}

START_TEST(timeline_pages_every_item_once)
{
	long long big = big_customer(1234);
	struct customer_pop *pop = pop_new();
	char sql[160];

	timeline_check(big, "", "");
	timeline_check(big, "web", "");
	timeline_check(big, "", "complaint");
	timeline_check(big, "chat", "order");
	/* The pop's first page is the timeline's first page. */
	ck_assert_msg(db_pop_customer(ag, big, pop) == 0, "%s", db_error(ag));
	ck_assert_int_eq(pop->interactions_total, 1234);
	ck_assert_uint_eq(pop->first.n, TIMELINE_PAGE);
	ck_assert(pop->first.more);
	snprintf(sql, sizeof(sql), "select id from interaction where customer_id = %lld "
		 "order by occurred_at desc, id desc limit 1", big);
	ck_assert_int_eq(pop->first.items[0].id, testdb_count(db, sql));
	free(pop);
}
END_TEST

/* auto_explain sends the plans of the statements inside the functions to
 * the client as notices; this collects them. */
static char plans[65536];

static void plan_notice(void *arg, const PGresult *res)
{
	const char *msg = PQresultErrorMessage(res);

	if (strlen(plans) + strlen(msg) + 1 < sizeof(plans))
		strcat(plans, msg);
}

/* The plans of the timeline's statements for each filter, on a connection of
 * its own (its cached plans start afresh): an index scan in the timeline's
 * order, never a sequential scan or a sort. */
static void timeline_plans_are_index_scans(long long big, const char *state)
{
	static const char *const filters[][3] = {
		{ "", "", "interaction_timeline_cover on" },
		{ "fax", "", "interaction_timeline_" },
		{ "", "note", "interaction_timeline_" },
		{ "web", "complaint", "interaction_timeline_" },
	};
	struct timeline_page *page = calloc(1, sizeof(*page));
	struct db *su = testdb_connect(dbname, NULL);

	PQsetNoticeReceiver(db_pg(su), plan_notice, NULL);
	ck_assert(db_exec_script(su, "load 'auto_explain'; set auto_explain.log_min_duration = 0; "
				     "set auto_explain.log_nested_statements = on; set client_min_messages = log") == 0);
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct timeline_filter f;
		struct timeline_cursor cur = { .at_start = true };

		snprintf(f.channel, sizeof(f.channel), "%s", filters[i][0]);
		snprintf(f.kind, sizeof(f.kind), "%s", filters[i][1]);
		/* PL/pgSQL plans the first five calls for their values, then may
		 * switch to a generic plan: look at the plan after that. */
		for (int k = 0; k < 8; k++) {
			plans[0] = '\0';
			ck_assert_msg(db_timeline(su, big, &f, &cur, page) == 0, "%s", db_error(su));
			ck_assert_uint_eq(page->n, TIMELINE_PAGE);
			cur = page->next;
		}
		ck_assert_msg(strstr(plans, filters[i][2]) != NULL, "%s, %s/%s: %s", state, f.channel, f.kind, plans);
		/* (the access check's look at the few agent rows may be a seq scan) */
		ck_assert_msg(strstr(plans, "Seq Scan on interaction") == NULL && strstr(plans, "Sort") == NULL,
			      "%s, %s/%s: %s", state, f.channel, f.kind, plans);
	}
	db_close(su);
	free(page);
}

/* The plan depends on whether autovacuum has visited interaction yet (170
 * has it come after every 1 % of new rows): all-visible pages make an
 * index-only scan of the covering index, filtered, cheaper than the
 * channel's or kind's index. Both states are looked at, the one before
 * autovacuum and the one after, so its timing cannot decide the test. */
START_TEST(timeline_stays_an_index_scan)
{
	long long big = big_customer(12000);
	struct customer_pop *pop = pop_new();

	/* some neighbours, and rare channels and kinds in the big history */
	ck_assert(db_exec_script(db, "insert into interaction (customer_id, occurred_at, channel, kind) "
				     "select c.id, now() - g * interval '1 day', 'fax', 'note' "
				     "from customer c, generate_series(1, 30) g;"
				     "insert into interaction (customer_id, occurred_at, channel, kind) "
				     "select c.id, now() - g * interval '1 hour', 'fax', 'note' "
				     "from customer c, generate_series(1, 600) g where c.external_id = 'BIG';"
				     "analyze interaction;") == 0);
	timeline_plans_are_index_scans(big, "analyzed");
	ck_assert(db_exec_script(db, "vacuum analyze interaction") == 0);
	ck_assert_int_gt(testdb_count(db, "select relallvisible from pg_class where relname = 'interaction'"), 0);
	timeline_plans_are_index_scans(big, "vacuumed");
	/* The pop counts at most 10,000 and shows the first page. */
	ck_assert_msg(db_pop_customer(ag, big, pop) == 0, "%s", db_error(ag));
	ck_assert_int_eq(pop->interactions_total, 10000);
	ck_assert_uint_eq(pop->first.n, TIMELINE_PAGE);
	free(pop);
}
END_TEST

static int search(const char *q, struct customer_hit *hits)
{
	int n = db_search(ag, q, hits, SEARCH_MAX);

	ck_assert_msg(n >= 0, "search '%s': %s", q, db_error(ag));
	return n;
}

START_TEST(search_finds_by_every_key)
{
	static const char *const phones[] = { "010-1234-5678", "01012345678", "+82 10 1234 5678",
					      "(010) 1234 5678", "001-82-10-1234-5678", " 010.1234.5678 " };
	struct customer_hit hits[SEARCH_MAX];
	int n;

	for (size_t i = 0; i < sizeof(phones) / sizeof(phones[0]); i++) {
		n = search(phones[i], hits);
		ck_assert_msg(n == 1, "'%s': %d hits", phones[i], n);
		ck_assert_str_eq(hits[0].external_id, "C1");
		ck_assert_str_eq(hits[0].phone, "+821012345678");
		ck_assert_str_eq(hits[0].email, "gil.dong@example.kr");
		ck_assert_str_eq(hits[0].tier, "platinum");
	}
	/* The shared landline finds both. */
	ck_assert_int_eq(search("02-312-4567", hits), 2);

	/* Korean name prefixes, one syllable or more. */
	n = search("김", hits);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(hits[0].name, "김영희");
	ck_assert_str_eq(hits[1].name, "김철수");
	ck_assert_int_eq(search("김철", hits), 1);
	ck_assert_str_eq(hits[0].external_id, "C4");
	ck_assert_int_eq(search("홍길동", hits), 1);
	ck_assert_int_eq(search("김철수씨", hits), 0);

	/* Latin prefixes in any case; LIKE wildcards are plain characters. */
	ck_assert_int_eq(search("emily", hits), 1);
	ck_assert_str_eq(hits[0].name, "Emily Clark");
	ck_assert_int_eq(search("EMILY C", hits), 1);
	ck_assert_int_eq(search("park, j", hits), 1);
	ck_assert_str_eq(hits[0].external_id, "C5");
	ck_assert_int_eq(search("E%", hits), 0);
	ck_assert_int_eq(search("_mily", hits), 0);

	/* E-mail in any case, external id, order number. */
	ck_assert_int_eq(search("Gil.Dong@EXAMPLE.kr", hits), 1);
	ck_assert_str_eq(hits[0].external_id, "C1");
	ck_assert_int_eq(search("C2", hits), 1);
	ck_assert_str_eq(hits[0].name, "Emily Clark");
	ck_assert_int_eq(search("ORD-2025-0042", hits), 1);
	ck_assert_str_eq(hits[0].external_id, "C2");

	/* Nothing, and the empty query. */
	ck_assert_int_eq(search("nobody at all", hits), 0);
	ck_assert_int_eq(search("", hits), 0);
	/* max is respected. */
	ck_assert_int_eq(db_search(ag, "김", hits, 1), 1);
	ck_assert_int_ge(testdb_count(db, "select count(*) from audit_log where action = 'search' and login = '" AGENT "'"), 10);
}
END_TEST

START_TEST(search_many_names_stops_at_the_limit)
{
	struct customer_hit hits[SEARCH_MAX];

	ck_assert(db_exec_script(db, "insert into customer (name) select '이' || g from generate_series(1, 300) g;"
				     "analyze customer;") == 0);
	ck_assert_int_eq(search("이", hits), SEARCH_MAX);
	/* in name order, byte-wise */
	ck_assert_str_eq(hits[0].name, "이1");
	ck_assert_str_eq(hits[1].name, "이10");
	ck_assert_int_eq(search("이29", hits), 11);
}
END_TEST

static void draft_init(struct contact_draft *d, const char *uuid, long long customer)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->draft_id, sizeof(d->draft_id), "%s", uuid);
	d->customer_id = customer;
	snprintf(d->channel, sizeof(d->channel), "phone");
	snprintf(d->direction, sizeof(d->direction), "in");
	snprintf(d->kind, sizeof(d->kind), "inquiry");
	snprintf(d->reason, sizeof(d->reason), "delivery");
	snprintf(d->disposition, sizeof(d->disposition), "resolved");
	snprintf(d->subject, sizeof(d->subject), "배송 문의");
}

START_TEST(contact_saved_twice_is_one_row)
{
	struct contact_draft d;
	long long c2 = customer_id("C2"), call = call_from("010-2222-3333", "+821022223333"), id, again;
	char *notes = strdup("첫 줄\nsecond line"), *body = NULL;

	draft_init(&d, "6f1c2d4e-8a9b-4c3d-9e0f-112233445566", c2);
	d.call_id = call;
	d.notes = notes;
	id = db_contact_save(ag, &d);
	ck_assert_msg(id > 0, "%s", db_error(ag));
	again = db_contact_save(ag, &d);
	ck_assert_int_eq(again, id);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where idempotency_key = "
			       "'6f1c2d4e-8a9b-4c3d-9e0f-112233445566'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where agent_login = '" AGENT "' and branch_code = 'SEL' "
			       "and reason_code = 'delivery' and disposition = 'resolved' and case_id is null "
			       "and subject = '배송 문의' and occurred_at > now() - interval '1 minute'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from cases"), 2);
	/* Linked to the call, and the body reads back whole. */
	ck_assert_int_eq(testdb_count(db, "select call_id from interaction where idempotency_key = "
			       "'6f1c2d4e-8a9b-4c3d-9e0f-112233445566'"), call);
	ck_assert_int_eq(db_interaction_body(ag, id, &body), 0);
	ck_assert_str_eq(body, "첫 줄\nsecond line");
	free(body);
	ck_assert_int_eq(db_interaction_body(ag, 999999, &body), -1);
	ck_assert_ptr_null(body);

	/* Not linked to a customer, or not a uuid: refused with a message. */
	draft_init(&d, "7f1c2d4e-8a9b-4c3d-9e0f-112233445566", 0);
	ck_assert_int_eq(db_contact_save(ag, &d), -1);
	ck_assert_ptr_nonnull(strstr(db_error(ag), "customer"));
	draft_init(&d, "not-a-uuid", c2);
	ck_assert_int_eq(db_contact_save(ag, &d), -1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where agent_login = '" AGENT "'"), 1);
	free(notes);
}
END_TEST

START_TEST(complaint_opens_one_case)
{
	struct contact_draft d;
	long long c1 = customer_id("C1"), c5 = customer_id("C5"), id;

	draft_init(&d, "0b7e2a44-1f3c-4d5e-8f90-aabbccddeeff", c1);
	snprintf(d.kind, sizeof(d.kind), "complaint");
	snprintf(d.reason, sizeof(d.reason), "damaged");
	snprintf(d.disposition, sizeof(d.disposition), "escalated");
	snprintf(d.subject, sizeof(d.subject), "Broken screen");
	d.open_case = true;
	id = db_contact_save(ag, &d);
	ck_assert_msg(id > 0, "%s", db_error(ag));
	ck_assert_int_eq(db_contact_save(ag, &d), id);
	ck_assert_int_eq(testdb_count(db, "select count(*) from cases where subject = 'Broken screen'"), 1);
	/* Platinum: high priority; due by the SLA of a high complaint (setting
	 * case_sla_complaint_high, 8 hours), owned by the agent, linked; saved
	 * with disposition "escalated", so the case is escalated (76_cases.sql). */
	ck_assert_int_eq(testdb_count(db, "select count(*) from cases k join interaction i on i.case_id = k.id "
			       "where k.subject = 'Broken screen' and k.kind = 'complaint' and k.status = 'escalated' "
			       "and k.priority = 'high' and k.owner_login = '" AGENT "' "
			       "and k.due_at between now() + interval '7 hours' and now() + interval '9 hours'"), 1);
	/* Anyone else: normal priority. */
	draft_init(&d, "1b7e2a44-1f3c-4d5e-8f90-aabbccddeeff", c5);
	snprintf(d.kind, sizeof(d.kind), "complaint");
	snprintf(d.subject, sizeof(d.subject), "Rude staff");
	d.open_case = true;
	ck_assert_msg(db_contact_save(ag, &d) > 0, "%s", db_error(ag));
	ck_assert_int_eq(testdb_count(db, "select count(*) from cases where subject = 'Rude staff' and priority = 'normal'"), 1);
	/* The new case shows in the pop at once. */
	{
		struct customer_pop *pop = pop_new();
		bool found = false;

		ck_assert_int_eq(db_pop_customer(ag, c5, pop), 0);
		for (size_t i = 0; i < pop->ncases; i++)
			found |= strcmp(pop->cases[i].subject, "Rude staff") == 0 && pop->cases[i].has_due
				 && pop->cases[i].sla_left_secs > 23 * 3600;   /* a normal complaint: 24 h */
		ck_assert(found);
		ck_assert_uint_eq(pop->nalerts, 1);
		ck_assert_str_eq(pop->alerts[0].kind, "open_complaint");
		ck_assert_str_eq(pop->first.items[0].subject, "Rude staff");
		ck_assert_str_eq(pop->first.items[0].status, "open");
		free(pop);
	}
}
END_TEST

START_TEST(quick_create_then_pop_by_phone)
{
	struct customer_pop *pop = pop_new();
	struct customer_hit hits[SEARCH_MAX], cands[SEARCH_MAX];
	struct call_info call;
	size_t ncands;
	long long call_id = call_from("010-7777-8888", "+821077778888"), id;

	/* Unknown when the call came in ... */
	ck_assert_int_eq(db_pop_call(ag, call_id, &call, pop, cands, &ncands), 0);
	ck_assert_uint_eq(call.ncandidates, 0);
	/* ... created by the agent ... */
	id = db_customer_create(ag, "박새로이", "+821077778888");
	ck_assert_msg(id > 0, "%s", db_error(ag));
	ck_assert_int_eq(testdb_count(db, "select count(*) from customer where tier = 'all' and name = '박새로이'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where action = 'create' and login = '" AGENT "'"), 1);
	/* ... and found: popping the same call again, a new call, a search. */
	ck_assert_int_eq(db_pop_call(ag, call_id, &call, pop, cands, &ncands), 0);
	ck_assert_int_eq(call.customer_id, id);
	ck_assert_str_eq(pop->h.name, "박새로이");
	ck_assert_str_eq(pop->h.tier, "all");
	call_id = call_from("010 7777 8888", "+821077778888");
	ck_assert_int_eq(db_pop_call(ag, call_id, &call, pop, cands, &ncands), 0);
	ck_assert_int_eq(call.customer_id, id);
	ck_assert_int_eq(pop->h.id, id);
	ck_assert_str_eq(pop->h.phone, "+821077778888");
	ck_assert_int_eq(search("01077778888", hits), 1);
	ck_assert_int_eq(hits[0].id, id);
	ck_assert_int_eq(search("박새", hits), 1);
	/* A second person on the same number makes it shared, not duplicated. */
	ck_assert_int_gt(db_customer_create(ag, "박서준", "+821077778888"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from contact_point where value = '+821077778888'"), 1);
	call_id = call_from("010-7777-8888", "+821077778888");
	ck_assert_int_eq(db_pop_call(ag, call_id, &call, pop, cands, &ncands), 0);
	ck_assert_uint_eq(ncands, 2);
	/* Without a phone, and refusals. */
	ck_assert_int_gt(db_customer_create(ag, "No Phone", NULL), 0);
	ck_assert_int_eq(db_customer_create(ag, "", "+821077778888"), -1);
	ck_assert_int_eq(db_customer_create(ag, "Bad Phone", "010-1234"), -1);
	ck_assert_ptr_nonnull(strstr(db_error(ag), "E.164"));
	free(pop);
}
END_TEST

START_TEST(calls_offered_and_lists)
{
	long long ids[8], a = call_from("010-1234-5678", "+821012345678"), b;
	struct code_label codes[32];
	int n;

	ck_assert_int_eq(db_calls_offered(ag, ids, 8), 1);
	ck_assert_int_eq(ids[0], a);
	/* The caller hung up (call_from does) and the next call is offered. */
	b = call_from("02-312-4567", "+8223124567");
	ck_assert_int_eq(db_calls_offered(ag, ids, 8), 1);
	ck_assert_int_eq(ids[0], b);
	ck_assert_int_eq(db_calls_offered(ag, ids, 0), 0);
	/* Another agent sees none of them. */
	testdb_agent(db, "pp_other", "Other", "agent");
	{
		struct db *other = testdb_connect(dbname, "pp_other");

		ck_assert_int_eq(db_calls_offered(other, ids, 8), 0);
		db_close(other);
	}

	n = db_reason_codes(ag, "complaint", codes, 32);
	ck_assert_int_eq(n, 4);   /* three complaint reasons, then 'other' */
	ck_assert_str_eq(codes[n - 1].code, "other");
	ck_assert_int_eq(db_reason_codes(ag, "", codes, 32), 9);
	ck_assert_int_eq(db_reason_codes(ag, NULL, codes, 2), 2);
	n = db_dispositions(ag, codes, 32);
	ck_assert_int_eq(n, 5);
	ck_assert_str_ne(codes[0].label, "");
}
END_TEST

START_TEST(branch_staff_look_up_but_do_not_write)
{
	struct customer_pop *pop = pop_new();
	struct customer_hit hits[SEARCH_MAX];
	struct contact_draft d;
	struct db *br;

	testdb_agent(db, "pp_branch", "Store Staff", "branch");
	br = testdb_connect(dbname, "pp_branch");
	ck_assert_msg(db_pop_customer(br, customer_id("C1"), pop) == 0, "%s", db_error(br));
	ck_assert_str_eq(pop->h.name, "홍길동");
	/* C3 lives at the staff's branch; C4 has no branch and was never served there */
	ck_assert_int_eq(db_search(br, "김", hits, SEARCH_MAX), 1);
	ck_assert_str_eq(hits[0].external_id, "C3");
	draft_init(&d, "2b7e2a44-1f3c-4d5e-8f90-aabbccddeeff", customer_id("C1"));
	ck_assert_int_eq(db_contact_save(br, &d), -1);
	ck_assert_str_eq(db_sqlstate(br), "42501");
	ck_assert_int_eq(db_customer_create(br, "Nobody", NULL), -1);
	db_close(br);
	free(pop);
}
END_TEST

static Suite *pop_suite(void)
{
	Suite *s = suite_create("pop");
	TCase *tc = tcase_create("pop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pop_of_a_known_caller);
	tcase_add_test(tc, an_offered_pop_writes_nothing);
	tcase_add_test(tc, a_pop_the_offer_did_not_audit_writes_its_row_without_waiting_for_the_disk);
	tcase_add_test(tc, pop_of_an_unknown_number);
	tcase_add_test(tc, pop_of_a_shared_number_lists_candidates);
	tcase_add_test(tc, pop_writes_the_audit_trail);
	tcase_add_test(tc, timeline_pages_every_item_once);
	tcase_add_test(tc, timeline_stays_an_index_scan);
	tcase_add_test(tc, search_finds_by_every_key);
	tcase_add_test(tc, search_many_names_stops_at_the_limit);
	tcase_add_test(tc, contact_saved_twice_is_one_row);
	tcase_add_test(tc, complaint_opens_one_case);
	tcase_add_test(tc, quick_create_then_pop_by_phone);
	tcase_add_test(tc, calls_offered_and_lists);
	tcase_add_test(tc, branch_staff_look_up_but_do_not_write);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pop_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
