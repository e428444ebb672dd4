/* pop.c - the screen pop and the timeline: screen_pop() / customer_pop()
 * (sql/010_pop.sql) in one round trip each, keyset pages of the timeline. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/customer.h"
#include "ccterm/pop_seal.h"

/* The pop's row shape: section, f1 .. f12 (see sql/010_pop.sql). */
#define POP_COLUMNS "section, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12"

/* The timeline item columns, in the order timeline_item_read() takes them;
 * the pop's 'item' rows carry the same fields in f1 .. f10. */
#define TIMELINE_COLUMNS \
	"id, extract(epoch from occurred_at)::bigint, timeline_key(occurred_at), channel, direction, kind, " \
	"subject, status, amount_won, agent_login"

#define COPY DB_COPY
#define field db_field

static void timeline_item_read(const PGresult *res, int row, int c, struct timeline_item *it)
{
	memset(it, 0, sizeof(*it));
	it->id = atoll(field(res, row, c));
	it->occurred_at = (time_t)atoll(field(res, row, c + 1));
	/* c + 2 is the cursor key; timeline_page_add() keeps the last one */
	COPY(it->channel, res, row, c + 3);
	COPY(it->direction, res, row, c + 4);
	COPY(it->kind, res, row, c + 5);
	COPY(it->subject, res, row, c + 6);
	COPY(it->status, res, row, c + 7);
	it->has_amount = !PQgetisnull(res, row, c + 8);
	it->amount_won = it->has_amount ? atoll(field(res, row, c + 8)) : 0;
	COPY(it->agent, res, row, c + 9);
}

/* Rows come one more than a page: the extra one only says "older exist". */
static void timeline_page_add(struct timeline_page *page, const PGresult *res, int row, int c)
{
	struct timeline_item *it;

	if (page->n == TIMELINE_PAGE) {
		page->more = true;
		return;
	}
	it = &page->items[page->n++];
	timeline_item_read(res, row, c, it);
	COPY(page->next.occurred_at, res, row, c + 2);
	page->next.id = it->id;
	page->next.at_start = false;
}

static void timeline_page_init(struct timeline_page *page)
{
	page->n = 0;
	page->more = false;
	memset(&page->next, 0, sizeof(page->next));
	page->next.at_start = true;
}

static void header_read(const PGresult *res, int r, struct customer_header *h)
{
	h->id = atoll(field(res, r, 1));
	COPY(h->external_id, res, r, 2);
	COPY(h->name, res, r, 3);
	COPY(h->phone, res, r, 4);
	COPY(h->email, res, r, 5);
	COPY(h->tier, res, r, 6);
	COPY(h->segment, res, r, 7);
	COPY(h->branch, res, r, 8);
	COPY(h->branch_name, res, r, 9);
	h->value_won = atoll(field(res, r, 10));
	COPY(h->rrn_masked, res, r, 11);
	h->customer_since = (time_t)atoll(field(res, r, 12));
}

static void call_read(const PGresult *res, int r, struct call_info *call)
{
	call->id = atoll(field(res, r, 1));
	COPY(call->ani, res, r, 2);
	COPY(call->ani_e164, res, r, 3);
	COPY(call->dnis, res, r, 4);
	COPY(call->queue, res, r, 5);
	COPY(call->state, res, r, 6);
	call->created_at = (time_t)atoll(field(res, r, 7));
	call->customer_id = atoll(field(res, r, 8));
	call->ncandidates = (size_t)atol(field(res, r, 9));
}

static void candidate_read(const PGresult *res, int r, struct customer_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	hit->id = atoll(field(res, r, 1));
	COPY(hit->name, res, r, 2);
	COPY(hit->phone, res, r, 3);
	COPY(hit->email, res, r, 4);
	COPY(hit->tier, res, r, 5);
	COPY(hit->branch, res, r, 6);
	COPY(hit->external_id, res, r, 7);
}

/* One pop row into pop (or call / cands when given). Unknown sections are
 * skipped, so the SQL side may add some before the C side knows them. */
static void pop_row(const PGresult *res, int r, struct customer_pop *pop, struct call_info *call,
		    struct customer_hit *cands, size_t *ncands)
{
	const char *s = field(res, r, 0);

	if (strcmp(s, "item") == 0) {
		timeline_page_add(&pop->first, res, r, 1);
	} else if (strcmp(s, "header") == 0) {
		header_read(res, r, &pop->h);
	} else if (strcmp(s, "alert") == 0 && pop->nalerts < POP_MAX_ALERTS) {
		struct customer_alert *a = &pop->alerts[pop->nalerts++];

		COPY(a->kind, res, r, 1);
		COPY(a->severity, res, r, 2);
		COPY(a->message, res, r, 3);
	} else if (strcmp(s, "offer") == 0 && pop->noffers < POP_MAX_OFFERS) {
		struct customer_offer *o = &pop->offers[pop->noffers++];

		o->rule_id = atoi(field(res, r, 1));
		COPY(o->name, res, r, 2);
		COPY(o->offer, res, r, 3);
		COPY(o->response, res, r, 4);
	} else if (strcmp(s, "profile") == 0) {
		struct customer_profile *p = &pop->profile;

		p->known = true;
		COPY(p->tier, res, r, 1);
		p->value_won = atoll(field(res, r, 2));
		p->r = atoi(field(res, r, 3));
		p->f = atoi(field(res, r, 4));
		p->m = atoi(field(res, r, 5));
		COPY(p->profit_class, res, r, 6);
		p->churn = atof(field(res, r, 7));
		COPY(p->segments, res, r, 8);
	} else if (strcmp(s, "case") == 0 && pop->ncases < POP_MAX_CASES) {
		struct customer_case *c = &pop->cases[pop->ncases++];

		c->id = atoll(field(res, r, 1));
		COPY(c->subject, res, r, 2);
		COPY(c->status, res, r, 3);
		COPY(c->priority, res, r, 4);
		COPY(c->owner, res, r, 5);
		c->has_due = !PQgetisnull(res, r, 6);
		c->sla_left_secs = c->has_due ? atol(field(res, r, 6)) : 0;
	} else if (strcmp(s, "total") == 0) {
		pop->interactions_total = atoll(field(res, r, 1));
	} else if (strcmp(s, "call") == 0 && call) {
		call_read(res, r, call);
	} else if (strcmp(s, "candidate") == 0 && cands && *ncands < SEARCH_MAX) {
		candidate_read(res, r, &cands[(*ncands)++]);
	}
}

static void pop_init(struct customer_pop *pop)
{
	memset(pop, 0, sizeof(*pop));
	timeline_page_init(&pop->first);
}

void db_pop_call_request(struct db_request *rq, long long call_id)
{
	db_request_init(rq, "select " POP_COLUMNS " from screen_pop($1::bigint)");
	db_request_int(rq, call_id);
}

void db_pop_customer_request(struct db_request *rq, long long customer_id)
{
	db_request_init(rq, "select " POP_COLUMNS " from customer_pop($1::bigint)");
	db_request_int(rq, customer_id);
}

int db_pop_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct pop_reply *r = out;

	memset(&r->call, 0, sizeof(r->call));
	pop_init(&r->pop);
	r->ncands = 0;
	for (int i = 0; i < PQntuples(res); i++)
		pop_row(res, i, &r->pop, &r->call, r->cands, &r->ncands);
	(void)err;
	(void)errsz;
	return 0;
}

/* The plaintext's fields into a result of screen_pop's shape: one reader. */
static int plain_field(void *arg, int row, int col, const char *value, size_t len)
{
	PGresult *res = arg;

	if (len > 1000000)
		return -1;
	return PQsetvalue(res, row, col, (char *)(value ? value : ""), value ? (int)len : -1) ? 0 : -1;
}

int db_pop_plain_read(const char *plain, size_t len, struct pop_reply *out, struct pop_plain_head *head)
{
	PGresAttDesc cols[POP_SEAL_COLUMNS];
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int rows = -1;

	memset(cols, 0, sizeof(cols));
	for (int i = 0; i < POP_SEAL_COLUMNS; i++) {
		cols[i].name = (char *)(i ? "f" : "section");
		cols[i].typid = 25;   /* text */
		cols[i].typlen = -1;
		cols[i].atttypmod = -1;
	}
	if (res && PQsetResultAttrs(res, POP_SEAL_COLUMNS, cols))
		rows = pop_plain_parse(plain, len, head, plain_field, res);
	if (rows > 0) {
		db_pop_read(res, out, NULL, 0);
		/* the sealing left timeline rows out: the page goes on past the last one */
		if (head->more && out->pop.first.n > 0)
			out->pop.first.more = true;
	}
	PQclear(res);
	return rows > 0 && out->call.id == head->call_id ? 0 : -1;
}

int db_pop_call(struct db *db, long long call_id, struct call_info *call, struct customer_pop *pop,
		struct customer_hit *cands, size_t *ncands)
{
	struct db_request rq;
	struct pop_reply *r = malloc(sizeof(*r));
	int rc;

	if (!r) {
		db_set_error(db, "out of memory");
		return -1;
	}
	db_pop_call_request(&rq, call_id);
	rc = db_run(db, &rq, db_pop_read, r);
	memset(call, 0, sizeof(*call));
	pop_init(pop);
	if (ncands)
		*ncands = 0;
	if (rc == 0) {
		*call = r->call;
		*pop = r->pop;
		if (cands && ncands) {
			memcpy(cands, r->cands, r->ncands * sizeof(cands[0]));
			*ncands = r->ncands;
		}
	}
	free(r);
	return rc;
}

int db_pop_customer(struct db *db, long long customer_id, struct customer_pop *pop)
{
	struct db_request rq;
	struct pop_reply *r = malloc(sizeof(*r));
	int rc;

	if (!r) {
		db_set_error(db, "out of memory");
		return -1;
	}
	db_pop_customer_request(&rq, customer_id);
	rc = db_run(db, &rq, db_pop_read, r);
	if (rc == 0)
		*pop = r->pop;
	else
		pop_init(pop);
	free(r);
	return rc;
}

void db_timeline_request(struct db_request *rq, long long customer_id, const struct timeline_filter *f,
			 const struct timeline_cursor *cur)
{
	db_request_init(rq, "select " TIMELINE_COLUMNS " from timeline($1::bigint, $2, $3, $4::timestamptz, "
			    "$5::bigint, $6::integer)");
	db_request_int(rq, customer_id);
	db_request_text(rq, f && f->channel[0] ? f->channel : NULL);
	db_request_text(rq, f && f->kind[0] ? f->kind : NULL);
	if (cur && !cur->at_start) {
		db_request_text(rq, cur->occurred_at);
		db_request_int(rq, cur->id);
	} else {
		db_request_text(rq, NULL);
		db_request_text(rq, NULL);
	}
	db_request_int(rq, TIMELINE_PAGE + 1);
}

int db_timeline_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct timeline_page *page = out;

	timeline_page_init(page);
	for (int r = 0; r < PQntuples(res); r++)
		timeline_page_add(page, res, r, 0);
	(void)err;
	(void)errsz;
	return 0;
}

int db_timeline(struct db *db, long long customer_id, const struct timeline_filter *f,
		const struct timeline_cursor *cur, struct timeline_page *page)
{
	struct db_request rq;

	db_timeline_request(&rq, customer_id, f, cur);
	timeline_page_init(page);
	return db_run(db, &rq, db_timeline_read, page);
}

void db_interaction_body_request(struct db_request *rq, long long interaction_id)
{
	/* NULL: no such interaction, or of a customer this login may not see */
	db_request_init(rq, "select interaction_body($1::bigint)");
	db_request_int(rq, interaction_id);
}

int db_interaction_body_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	char **body = out;

	*body = NULL;
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		snprintf(err, errsz, "that interaction is not there (or not yours to see)");
		return -1;
	}
	*body = strdup(PQgetvalue(res, 0, 0));
	if (!*body) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

int db_interaction_body(struct db *db, long long interaction_id, char **body)
{
	struct db_request rq;

	*body = NULL;
	db_interaction_body_request(&rq, interaction_id);
	return db_run(db, &rq, db_interaction_body_read, body);
}
