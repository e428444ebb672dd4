/* desk_call.c - the call and the customer on screen: the pop (one read,
 * then the answer), a customer opened without a call, the timeline's keyset
 * pages, an interaction in full, search and the quick-create. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/i18n.h"
#include "ccterm/floor.h"
#include "ccterm/phone.h"
#include "ccterm/pop_seal.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "desk.h"
#include "desk_priv.h"

void desk_timeline_reset(struct desk *d)
{
	d->nitems = 0;
	d->sel = 0;
	d->sel_goal = 0;
	d->top = 0;
	d->more = false;
	d->fetching = false;
	d->timeline_gen++;
	memset(&d->next, 0, sizeof(d->next));
	d->next.at_start = true;
}

static int timeline_append(struct desk *d, const struct timeline_page *p)
{
	if (d->nitems + p->n > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct timeline_item *ni;

		while (cap < d->nitems + p->n)
			cap *= 2;
		ni = realloc(d->items, cap * sizeof(*ni));
		if (!ni)
			return -1;
		d->items = ni;
		d->cap = cap;
	}
	if (p->n)   /* an empty page: d->items may still be NULL, and memcpy to NULL is undefined */
		memcpy(d->items + d->nitems, p->items, p->n * sizeof(p->items[0]));
	d->nitems += p->n;
	d->more = p->more;
	d->next = p->next;
	return 0;
}

/* Shows a pop already fetched: the customer and the first timeline page. */
static void desk_show(struct desk *d)
{
	desk_timeline_reset(d);
	memset(&d->filter, 0, sizeof(d->filter));
	timeline_append(d, &d->pop.first);
	desk_read_duplicates(d);
}

static void answer_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0 || strcmp((char *)a->buf, "true") != 0) {
		if (r->rc != 0 && strcmp(r->sqlstate, "CC002") == 0)
			desk_say(d, _("Call #%lld: the caller hung up."), a->id);
		else if (r->rc != 0 && !r->lost)
			desk_say(d, _("Call #%lld could not be taken: %s"), a->id, r->error);
		else if (r->rc == 0)
			desk_say(d, _("Call #%lld: the caller hung up."), a->id);
		if (d->has_call && d->call.id == a->id)
			desk_call_ended(d);
	} else if (d->has_call && d->call.id == a->id) {
		snprintf(d->call.state, sizeof(d->call.state), "answered");
		snprintf(d->now.call_state, sizeof(d->now.call_state), "answered");
		d->now.call_secs = 0;
		d->now.call_read_ms = desk_mono_ms();
		d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
	desk_read_agent(d);
	desk_read_calls(d);
}

/* A call taken is not this agent's any more: why, as far as known. */
static void call_gone_say(struct desk *d, long long id)
{
	if (strcmp(d->taking_gone, "requeued") == 0 || strcmp(d->taking_gone, "queued") == 0)
		desk_say(d, _("Call #%lld went back to its queue (not answered in time)."), id);
	else
		desk_say(d, _("Call #%lld: the caller hung up."), id);
	d->taking_gone[0] = '\0';
}

/* A call's pop is in (taken, or resumed after a restart with a draft). */
static void pop_call_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	struct pop_reply *p = a->buf;
	bool resume = a->flag;
	struct db_request rq;

	if (!resume)
		d->taking = 0;
	desk_pending_drop(d, a->id);
	if (r->rc != 0) {
		if (resume && !r->lost) {   /* the call is gone: the draft keeps its text and customer */
			desk_draft_set(d, "call_id", "");
			if (d->draft.customer_id && !d->has_customer)
				desk_open_customer(d, d->draft.customer_id);
		} else if (!r->lost && (strcmp(r->sqlstate, "42501") == 0 || strcmp(r->sqlstate, "P0002") == 0)) {
			/* Not this agent's: a call that was (hung up, or taken back by the ring
			 * timeout), or a hint that never was (a forged NOTIFY): the database's
			 * word then. The calls offered are read again; the next one pops. */
			if (a->gen)
				call_gone_say(d, a->id);
			else
				desk_say(d, _("Call #%lld: %s"), a->id, r->error);
			desk_read_calls(d);
		} else {
			desk_reply_error(d, r);
			if (!r->lost)
				desk_read_calls(d);
		}
		desk_ask_free(a);
		return;
	}
	if (!resume && (d->taking_gone[0] || (strcmp(p->call.state, "offered") != 0 &&
					      strcmp(p->call.state, "answered") != 0))) {
		if (!d->taking_gone[0])
			snprintf(d->taking_gone, sizeof(d->taking_gone), "%s", p->call.state);
		call_gone_say(d, a->id);
		desk_ask_free(a);
		desk_read_calls(d);
		return;
	}
	d->taking_gone[0] = '\0';
	/* What the pop leads to (duplicates, the answer, the calls) goes out once it is drawn. */
	gateway_hold(d->gw);
	d->link_customer = 0;
	d->call = p->call;
	d->pop = p->pop;
	d->offer_sel = 0;
	memcpy(d->cands, p->cands, p->ncands * sizeof(d->cands[0]));
	d->ncands = p->ncands;
	d->has_call = true;
	d->last_popped = a->id;
	d->has_customer = d->call.customer_id != 0;
	d->now.call_id = a->id;
	snprintf(d->now.call_state, sizeof(d->now.call_state), "%s", p->call.state);
	d->now.call_secs = 0;
	d->now.call_read_ms = desk_mono_ms();
	if (d->has_customer)
		desk_show(d);
	else
		desk_timeline_reset(d);
	if (!resume) {
		if (!desk_draft_unsaved(d))   /* typed meanwhile: that text stays */
			desk_draft_new(d);
		d->events |= DESK_POPPED;
	} else if (d->draft.customer_id && !d->has_customer) {
		desk_open_customer(d, d->draft.customer_id);
	}
	d->events |= DESK_CHANGED;
	/* Drawn first, answered right after: the agent is on the call from now on. */
	if (!resume && strcmp(p->call.state, "offered") == 0) {
		struct ask *b = desk_ask_new(d, 16);

		if (b) {
			b->id = a->id;
			db_call_answer_request(&rq, a->id);
			desk_ask_send(d, &rq, db_text_read, b->buf, answer_done, b);
		}
	} else {
		desk_read_calls(d);
	}
	desk_ask_free(a);
}

void desk_pop_call(struct desk *d, long long id, bool resume, bool confirmed)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct pop_reply));

	if (!a)
		return;
	a->id = id;
	a->flag = resume;
	a->gen = confirmed;
	db_pop_call_request(&rq, id);
	if (!resume)
		d->taking = id;   /* before: done may run inside the send */
	if (desk_ask_send(d, &rq, db_pop_read, a->buf, pop_call_done, a) < 0 && !resume)
		d->taking = 0;
}

/* How old a seal may be (by the console's clock against the database's):
 * older, it may be one replayed from a notification this console missed. */
#define POP_SEAL_MAX_AGE 120

bool desk_pop_sealed(struct desk *d, const struct notice *n)
{
	static const struct gw_reply opened = { .rc = 0 };
	struct pop_plain_head head;
	struct ask *a;
	char *plain;
	size_t len;
	bool ok;

	if (!n->sealed || !d->has_pop_key || n->pop_session != d->console_id ||
	    pop_unseal(d->pop_key, n->sealed, &plain, &len) < 0)
		return false;
	a = desk_ask_new(d, sizeof(struct pop_reply));
	ok = a && db_pop_plain_read(plain, len, a->buf, &head) == 0 && head.call_id == n->call_id &&
	     head.seq > d->pop_seq && head.at >= (long long)time(NULL) - POP_SEAL_MAX_AGE;
	free(plain);
	if (!ok) {
		if (a)
			desk_ask_free(a);
		return false;
	}
	d->pop_seq = head.seq;
	a->id = n->call_id;
	d->taking = n->call_id;
	pop_call_done(a, &opened);
	return true;
}

void desk_take_call(struct desk *d)
{
	if (d->npending == 0) {
		desk_say(d, _("No call waiting."));
		return;
	}
	if (d->taking)
		return;
	desk_pop_call(d, d->pending[0], false, true);
}

/* A draft restored from the journal gets its call and customer back on
 * screen (once connected); its call is no longer "waiting". */
void desk_resume(struct desk *d)
{
	if (!d->draft_restored || d->has_call || d->has_customer)
		return;
	if (d->draft.call_id)
		desk_pop_call(d, d->draft.call_id, true, true);
	else if (d->draft.customer_id)
		desk_open_customer(d, d->draft.customer_id);
}

static void pop_customer_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		desk_reply_error(d, r);
		desk_ask_free(a);
		return;
	}
	/* The agent found the customer of an unknown caller: link the number? */
	desk_ask_link(d, a->id, d->has_call && !d->call.customer_id && d->call.ncandidates == 0);
	d->pop = ((struct pop_reply *)a->buf)->pop;
	d->offer_sel = 0;
	d->has_customer = true;
	d->ncands = 0;
	desk_show(d);
	/* A draft for an unknown or shared caller now belongs to this customer. */
	if (d->draft_open && d->draft.customer_id == 0) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", a->id);
		desk_draft_set(d, "customer_id", id);
	}
	d->events |= DESK_CUSTOMER | DESK_CHANGED;
	desk_ask_free(a);
}

void desk_open_customer(struct desk *d, long long customer_id)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct pop_reply));

	if (!a)
		return;
	a->id = customer_id;
	db_pop_customer_request(&rq, customer_id);
	desk_ask_send(d, &rq, db_pop_read, a->buf, pop_customer_done, a);
}

static void timeline_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->gen == d->timeline_gen) {
		d->fetching = false;
		if (r->rc != 0)
			desk_reply_error(d, r);
		else
			timeline_append(d, a->buf);
		/* The agent scrolled past what was loaded: the selection follows. */
		if (r->rc == 0 && d->sel_goal > d->sel && d->nitems) {
			d->sel = d->sel_goal < d->nitems ? d->sel_goal : d->nitems - 1;
			if (d->sel_goal + TIMELINE_PAGE / 2 >= d->nitems)
				desk_timeline_more(d);
		}
		d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
}

static void timeline_fetch(struct desk *d)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct timeline_page));

	if (!a)
		return;
	a->gen = d->timeline_gen;
	db_timeline_request(&rq, d->pop.h.id, &d->filter, &d->next);
	d->fetching = true;   /* before: done may run inside the send */
	if (desk_ask_send(d, &rq, db_timeline_read, a->buf, timeline_done, a) < 0)
		d->fetching = false;
}

void desk_filter(struct desk *d, const char *channel, const char *kind)
{
	struct timeline_filter f;

	if (!d->has_customer)
		return;
	/* channel and kind may be the filter itself (saving refreshes it) */
	snprintf(f.channel, sizeof(f.channel), "%s", channel);
	snprintf(f.kind, sizeof(f.kind), "%s", kind);
	d->filter = f;
	desk_timeline_reset(d);
	timeline_fetch(d);
}

void desk_timeline_more(struct desk *d)
{
	if (d->has_customer && d->more && !d->fetching)
		timeline_fetch(d);
}

static void body_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	char **body = a->buf;

	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else {
		free(d->detail_body);
		d->detail_body = *body;
		*body = NULL;
		for (size_t i = 0; i < d->nitems; i++)
			if (d->items[i].id == a->id)
				d->detail = d->items[i];
		d->events |= DESK_DETAIL | DESK_CHANGED;
	}
	free(*body);
	desk_ask_free(a);
}

void desk_open_detail(struct desk *d, const struct timeline_item *it)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(char *));

	if (!a)
		return;
	a->id = it->id;
	d->detail = *it;
	db_interaction_body_request(&rq, it->id);
	desk_ask_send(d, &rq, db_interaction_body_read, a->buf, body_done, a);
}

static void search_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->gen == d->search_gen) {
		d->searching = false;
		if (r->rc != 0) {
			desk_reply_error(d, r);
		} else {
			d->hits = *(struct search_reply *)a->buf;
			d->events |= DESK_SEARCHED | DESK_CHANGED;
		}
	}
	desk_ask_free(a);
}

void desk_search(struct desk *d, const char *query)
{
	char e164[PHONE_E164_MAX + 8];
	struct db_request rq;
	struct ask *a;

	snprintf(d->searched, sizeof(d->searched), "%s", query);
	d->search_gen++;
	if (!*query) {
		d->hits.n = 0;
		d->events |= DESK_SEARCHED | DESK_CHANGED;
		return;
	}
	a = desk_ask_new(d, sizeof(struct search_reply));
	if (!a)
		return;
	a->gen = d->search_gen;
	db_search_request(&rq, query,
			  phone_normalize(query, d->country[0] ? d->country : "KR", e164, sizeof(e164)) == 0 ? e164 : NULL,
			  SEARCH_MAX);
	d->searching = true;   /* before: done may run inside the send */
	if (desk_ask_send(d, &rq, db_search_read, a->buf, search_done, a) < 0)
		d->searching = false;
}

static void created_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else {
		d->call.customer_id = *(long long *)a->buf;
		desk_open_customer(d, d->call.customer_id);
	}
	desk_ask_free(a);
}

void desk_quick_create(struct desk *d, const char *name)
{
	struct db_request rq;
	struct ask *a;

	if (!d->has_call || !d->call.ani_e164[0]) {
		desk_say(d, _("No caller number to create a customer from."));
		return;
	}
	if (!name || !*name) {
		desk_say(d, _("A new customer needs a name."));
		return;
	}
	a = desk_ask_new(d, sizeof(long long));
	db_customer_create_request(&rq, name, d->call.ani_e164);
	desk_ask_send(d, &rq, db_id_read, a ? a->buf : NULL, created_done, a);
}
