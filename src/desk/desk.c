/* desk.c - the agent's work at hand and the controller that keeps it: what
 * needs the database is asked of the gateway, and the replies update this
 * state and raise events for the screen. No curses here. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/floor.h"
#include "ccterm/my_calls.h"
#include "ccterm/notify.h"
#include "ccterm/phone.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "desk.h"

#define WRAP_UP_SECS 30

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say(struct desk *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct desk *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	d->events |= DESK_MESSAGE | DESK_CHANGED;
}

unsigned desk_events(struct desk *d)
{
	unsigned e = d->events;

	d->events = 0;
	return e;
}

/* --- asking the gateway ---------------------------------------------------- */

/* One request on its way: the desk, what it was about, its reply buffer. */
struct ask {
	struct desk *d;
	long long id;
	unsigned gen;
	bool flag;
	char key[40];
	void *buf;
};

static struct ask *ask_new(struct desk *d, size_t bufsize)
{
	struct ask *a = calloc(1, sizeof(*a));

	if (a && bufsize && !(a->buf = calloc(1, bufsize))) {
		free(a);
		a = NULL;
	}
	if (!a)
		say(d, "Out of memory.");
	else
		a->d = d;
	return a;
}

static void ask_free(struct ask *a)
{
	if (a) {
		free(a->buf);
		free(a);
	}
}

/* Sends; on failure (down, queue full) frees a and says so. 0 or -1. */
static int ask_send(struct desk *d, const struct db_request *rq, db_read_fn *read, void *out, gw_done_fn *done,
		    struct ask *a)
{
	if (!a)
		return -1;
	if (!d->gw || gateway_send(d->gw, rq, read, out, done, a) < 0) {
		ask_free(a);
		say(d, "The database is not reachable: trying again. Nothing you type is lost.");
		return -1;
	}
	return 0;
}

static void reply_error(struct desk *d, const struct gw_reply *r)
{
	if (r->lost)
		say(d, "Database connection lost: reconnecting. Nothing you type is lost.");
	else
		say(d, "%s", r->error);
}

/* --- the agent and their calls, as the database says ----------------------- */

long desk_state_secs(const struct desk *d)
{
	long s;

	if (!d->now.agent_known)
		return 0;
	s = d->now.agent.state_secs + (long)((mono_ms() - d->now.agent_read_ms) / 1000);
	return s < 0 ? 0 : s;
}

long desk_call_secs(const struct desk *d)
{
	long s = d->now.call_secs;

	if (strcmp(d->now.call_state, "ended") != 0)
		s += (long)((mono_ms() - d->now.call_read_ms) / 1000);
	return s < 0 ? 0 : s;
}

bool desk_on_call(const struct desk *d)
{
	return d->now.call_id != 0 && strcmp(d->now.call_state, "answered") == 0;
}

bool desk_is_supervisor(const struct desk *d)
{
	return strcmp(d->now.agent.role, "supervisor") == 0 || strcmp(d->now.agent.role, "admin") == 0;
}

static void read_agent(struct desk *d);
static void read_calls(struct desk *d);
static void pop_call(struct desk *d, long long id, bool resume);

static void agent_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->flag)
		d->agent_inflight = false;
	if (r->rc == 0) {
		d->now.agent = *(struct agent_info *)a->buf;
		d->now.agent_read_ms = mono_ms();
		d->now.agent_known = true;
		d->wrap_up_asked = false;
		d->events |= DESK_CHANGED;
	} else {
		reply_error(d, r);
	}
	ask_free(a);
	if (d->agent_again && !d->agent_inflight) {
		d->agent_again = false;
		read_agent(d);
	}
}

static void read_agent(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (d->agent_inflight) {
		d->agent_again = true;
		return;
	}
	a = ask_new(d, sizeof(struct agent_info));
	if (!a)
		return;
	a->flag = true;
	db_agent_self_request(&rq);
	if (ask_send(d, &rq, db_agent_self_read, a->buf, agent_done, a) == 0)
		d->agent_inflight = true;
}

static void queue_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0) {
		a->d->now.queue_waiting = *(long *)a->buf;
		a->d->events |= DESK_CHANGED;
	}
	ask_free(a);
}

static void read_queue(struct desk *d)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(long));

	db_queue_waiting_request(&rq);
	ask_send(d, &rq, db_count_read, a ? a->buf : NULL, queue_done, a);
}

static void pending_drop(struct desk *d, long long id)
{
	for (size_t i = 0; i < d->npending; i++)
		if (d->pending[i] == id) {
			memmove(d->pending + i, d->pending + i + 1, (d->npending - i - 1) * sizeof(d->pending[0]));
			d->npending--;
			d->events |= DESK_CHANGED;
			return;
		}
}

/* The held call is over: its timer stops where it is. */
static void call_ended(struct desk *d)
{
	if (!d->now.call_id || strcmp(d->now.call_state, "ended") == 0)
		return;
	d->now.call_secs = desk_call_secs(d);
	snprintf(d->now.call_state, sizeof(d->now.call_state), "ended");
	snprintf(d->call.state, sizeof(d->call.state), "ended");
	d->events |= DESK_CHANGED;
}

/* The truth about my calls is in: offers to show, the held call's state. */
static void calls_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	const struct my_calls *m = a->buf;
	bool held = false, offered = false;

	d->calls_inflight = false;
	if (r->rc != 0) {
		reply_error(d, r);
		goto out;
	}
	d->npending = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct my_call *c = &m->calls[i];

		if (d->has_call && c->id == d->call.id) {
			held = true;
			d->now.call_id = c->id;
			snprintf(d->now.call_state, sizeof(d->now.call_state), "%s", c->state);
			snprintf(d->call.state, sizeof(d->call.state), "%s", c->state);
			d->now.call_secs = c->seconds_in_state;   /* since offered, or since answered */
			d->now.call_read_ms = mono_ms();
		} else if (c->id != d->taking && d->npending < DESK_MAX_PENDING) {
			/* offered, or answered but not on this screen (a restart) */
			offered = true;
			d->pending[d->npending++] = c->id;
		}
	}
	if (d->has_call && !held && d->now.call_id == d->call.id)
		call_ended(d);
	if (offered)
		d->events |= DESK_OFFERED;
	d->events |= DESK_CHANGED;
out:
	ask_free(a);
	if (d->calls_again) {
		d->calls_again = false;
		read_calls(d);
	}
}

static void read_calls(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (d->calls_inflight) {
		d->calls_again = true;
		return;
	}
	a = ask_new(d, sizeof(struct my_calls));
	if (!a)
		return;
	db_my_calls_request(&rq);
	if (ask_send(d, &rq, db_my_calls_read, a->buf, calls_done, a) == 0)
		d->calls_inflight = true;
}

/* A notification is a hint: what it says is applied only where it can only
 * take something away (a call gone leaves the banner in this frame); the
 * rest is re-read. */
static void on_notice(void *arg, const struct notice *n)
{
	struct desk *d = arg;

	switch (n->kind) {
	case NOTICE_CALL:
		/* An offer pops in one round trip when the screen is free: the pop
		 * itself is the truth (screen_pop refuses a call not offered to this
		 * agent); the re-reads go out behind it. */
		if (strcmp(n->state, "offered") == 0 && !d->taking && d->npending == 0 &&
		    !(d->has_call && d->call.id == n->call_id) && d->may_pop && d->may_pop(d->ui))
			pop_call(d, n->call_id, false);
		if (n->state[0] && notice_call_gone(n->state)) {
			pending_drop(d, n->call_id);
			if (d->has_call && d->call.id == n->call_id)
				call_ended(d);
			if (d->taking == n->call_id)
				d->taking_gone = true;
		}
		read_calls(d);
		if (strcmp(n->state, "offered") != 0)
			read_agent(d);
		break;
	case NOTICE_STATE:
		read_agent(d);
		break;
	case NOTICE_QUEUE:
		read_queue(d);
		read_calls(d);
		break;
	case NOTICE_FLOOR:
		d->events |= DESK_FLOOR;
		break;
	default:
		break;
	}
}

static void lists_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0) {
		a->d->lists = *(struct form_lists *)a->buf;
		a->d->events |= DESK_CHANGED;
	}
	ask_free(a);
}

static void country_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0 && ((char *)a->buf)[0])
		snprintf(a->d->country, sizeof(a->d->country), "%s", (char *)a->buf);
	ask_free(a);
}

static void plain_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc != 0)
		reply_error(a->d, r);
	ask_free(a);
}

static void desk_resume(struct desk *d);

/* After every (re)connect: LISTEN first, then re-read what is offered, so a
 * notification lost while disconnected loses nothing; all pipelined. */
static void on_connected(void *arg)
{
	struct desk *d = arg;
	struct db_request rq;
	struct ask *a;

	d->agent_inflight = d->agent_again = d->calls_inflight = d->calls_again = false;
	notify_listen_request(&rq, desk_is_supervisor(d));
	ask_send(d, &rq, NULL, NULL, plain_done, ask_new(d, 0));
	read_calls(d);
	/* Logged in before anything the agent asks for goes out behind it. */
	db_agent_login_request(&rq);
	ask_send(d, &rq, NULL, NULL, plain_done, ask_new(d, 0));
	read_agent(d);
	read_queue(d);
	if (!d->lists.loaded) {
		a = ask_new(d, sizeof(struct form_lists));
		db_form_lists_request(&rq);
		ask_send(d, &rq, db_form_lists_read, a ? a->buf : NULL, lists_done, a);
	}
	a = ask_new(d, 8);
	db_country_request(&rq);
	ask_send(d, &rq, db_country_read, a ? a->buf : NULL, country_done, a);
	desk_resume(d);
	if (d->save == SAVE_WAITING)
		desk_draft_save(d);
	d->events |= DESK_CONNECTED | DESK_CHANGED | DESK_FLOOR;
}

static void on_lost(void *arg, const char *why)
{
	struct desk *d = arg;

	(void)why;
	d->taking = 0;
	d->fetching = d->searching = false;
	d->events |= DESK_LOST | DESK_CHANGED;
}

void desk_set_agent(struct desk *d, const struct agent_info *a)
{
	d->now.agent = *a;
	d->now.agent_read_ms = mono_ms();
	d->now.agent_known = true;
}

void desk_attach(struct desk *d, struct gateway *gw)
{
	struct gw_hooks hooks = { .arg = d, .connected = on_connected, .lost = on_lost, .notice = on_notice };

	d->gw = gw;
	gateway_set_hooks(gw, &hooks);
	if (gateway_up(gw))
		on_connected(d);
}

void desk_set_state(struct desk *d, const char *state, const char *reason)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(struct agent_info));

	db_agent_set_state_request(&rq, state, reason);
	ask_send(d, &rq, db_agent_self_read, a ? a->buf : NULL, agent_done, a);
}

/* Wrap-up ends by itself: ready again after WRAP_UP_SECS. */
void desk_tick(struct desk *d)
{
	if (d->now.agent_known && !d->wrap_up_asked && strcmp(d->now.agent.state, "wrap_up") == 0 &&
	    desk_state_secs(d) >= WRAP_UP_SECS && d->gw && gateway_up(d->gw)) {
		d->wrap_up_asked = true;
		desk_set_state(d, "ready", "wrap-up over");
	}
}

static void hangup_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0)
		reply_error(d, r);
	else if (((char *)a->buf)[0])
		say(d, "Call ended: wrap-up. F5 ready when done (or it ends in %d s).", WRAP_UP_SECS);
	else
		say(d, "The call had ended already.");
	if (r->rc == 0 && d->has_call && d->call.id == a->id)
		call_ended(d);
	ask_free(a);
	read_agent(d);
	read_calls(d);
}

void desk_hangup(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (!d->has_call || strcmp(d->now.call_state, "ended") == 0) {
		say(d, "No call to end.");
		return;
	}
	a = ask_new(d, 16);
	if (!a)
		return;
	a->id = d->call.id;
	db_call_hangup_request(&rq, d->call.id);
	ask_send(d, &rq, db_text_read, a->buf, hangup_done, a);
}

void desk_quit(struct desk *d, const char *reason, int ms)
{
	struct db_request rq;

	if (!d->gw || !gateway_up(d->gw))
		return;
	/* Nobody routes calls to a console that is gone. */
	db_agent_logout_request(&rq, reason);
	if (gateway_send(d->gw, &rq, NULL, NULL, NULL, NULL) == 0)
		gateway_drain(d->gw, ms);
}

/* --- the customer and the call on screen ----------------------------------- */

static void timeline_reset(struct desk *d)
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
	memcpy(d->items + d->nitems, p->items, p->n * sizeof(p->items[0]));
	d->nitems += p->n;
	d->more = p->more;
	d->next = p->next;
	return 0;
}

/* Shows a pop already fetched: the customer and the first timeline page. */
static void desk_show(struct desk *d)
{
	timeline_reset(d);
	memset(&d->filter, 0, sizeof(d->filter));
	timeline_append(d, &d->pop.first);
}

static void answer_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0 || strcmp((char *)a->buf, "true") != 0) {
		if (r->rc != 0 && strcmp(r->sqlstate, "CC002") == 0)
			say(d, "Call #%lld: the caller hung up.", a->id);
		else if (r->rc != 0 && !r->lost)
			say(d, "Call #%lld could not be taken: %s", a->id, r->error);
		else if (r->rc == 0)
			say(d, "Call #%lld: the caller hung up.", a->id);
		if (d->has_call && d->call.id == a->id)
			call_ended(d);
	} else if (d->has_call && d->call.id == a->id) {
		snprintf(d->call.state, sizeof(d->call.state), "answered");
		snprintf(d->now.call_state, sizeof(d->now.call_state), "answered");
		d->now.call_secs = 0;
		d->now.call_read_ms = mono_ms();
		d->events |= DESK_CHANGED;
	}
	ask_free(a);
	read_agent(d);
	read_calls(d);
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
	pending_drop(d, a->id);
	if (r->rc != 0) {
		if (resume && !r->lost) {   /* the call is gone: the draft keeps its text and customer */
			desk_draft_set(d, "call_id", "");
			if (d->draft.customer_id && !d->has_customer)
				desk_open_customer(d, d->draft.customer_id);
		} else if (!r->lost && (strcmp(r->sqlstate, "42501") == 0 || strcmp(r->sqlstate, "P0002") == 0)) {
			/* no longer offered to this agent: hung up (or taken back) */
			say(d, "Call #%lld: the caller hung up.", a->id);
			read_calls(d);
		} else {
			reply_error(d, r);
		}
		ask_free(a);
		return;
	}
	if (!resume && (d->taking_gone || (strcmp(p->call.state, "offered") != 0 && strcmp(p->call.state, "answered") != 0 &&
					   strcmp(p->call.state, "queued") != 0))) {
		d->taking_gone = false;
		say(d, "Call #%lld: the caller hung up.", a->id);
		ask_free(a);
		read_calls(d);
		return;
	}
	d->taking_gone = false;
	d->call = p->call;
	d->pop = p->pop;
	memcpy(d->cands, p->cands, p->ncands * sizeof(d->cands[0]));
	d->ncands = p->ncands;
	d->has_call = true;
	d->last_popped = a->id;
	d->has_customer = d->call.customer_id != 0;
	d->now.call_id = a->id;
	snprintf(d->now.call_state, sizeof(d->now.call_state), "%s", p->call.state);
	d->now.call_secs = 0;
	d->now.call_read_ms = mono_ms();
	if (d->has_customer)
		desk_show(d);
	else
		timeline_reset(d);
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
		struct ask *b = ask_new(d, 16);

		if (b) {
			b->id = a->id;
			db_call_answer_request(&rq, a->id);
			ask_send(d, &rq, db_text_read, b->buf, answer_done, b);
		}
	} else {
		read_calls(d);
	}
	ask_free(a);
}

static void pop_call(struct desk *d, long long id, bool resume)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(struct pop_reply));

	if (!a)
		return;
	a->id = id;
	a->flag = resume;
	db_pop_call_request(&rq, id);
	if (ask_send(d, &rq, db_pop_read, a->buf, pop_call_done, a) == 0 && !resume)
		d->taking = id;
}

void desk_take_call(struct desk *d)
{
	if (d->npending == 0) {
		say(d, "No call waiting.");
		return;
	}
	if (d->taking)
		return;
	pop_call(d, d->pending[0], false);
}

/* A draft restored from the journal gets its call and customer back on
 * screen (once connected); its call is no longer "waiting". */
static void desk_resume(struct desk *d)
{
	if (!d->draft_restored || d->has_call || d->has_customer)
		return;
	if (d->draft.call_id)
		pop_call(d, d->draft.call_id, true);
	else if (d->draft.customer_id)
		desk_open_customer(d, d->draft.customer_id);
}

static void pop_customer_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		reply_error(d, r);
		ask_free(a);
		return;
	}
	d->pop = ((struct pop_reply *)a->buf)->pop;
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
	ask_free(a);
}

void desk_open_customer(struct desk *d, long long customer_id)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(struct pop_reply));

	if (!a)
		return;
	a->id = customer_id;
	db_pop_customer_request(&rq, customer_id);
	ask_send(d, &rq, db_pop_read, a->buf, pop_customer_done, a);
}

static void timeline_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->gen == d->timeline_gen) {
		d->fetching = false;
		if (r->rc != 0)
			reply_error(d, r);
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
	ask_free(a);
}

static void timeline_fetch(struct desk *d)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(struct timeline_page));

	if (!a)
		return;
	a->gen = d->timeline_gen;
	db_timeline_request(&rq, d->pop.h.id, &d->filter, &d->next);
	if (ask_send(d, &rq, db_timeline_read, a->buf, timeline_done, a) == 0)
		d->fetching = true;
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
	timeline_reset(d);
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
		reply_error(d, r);
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
	ask_free(a);
}

void desk_open_detail(struct desk *d, const struct timeline_item *it)
{
	struct db_request rq;
	struct ask *a = ask_new(d, sizeof(char *));

	if (!a)
		return;
	a->id = it->id;
	d->detail = *it;
	db_interaction_body_request(&rq, it->id);
	ask_send(d, &rq, db_interaction_body_read, a->buf, body_done, a);
}

static void search_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->gen == d->search_gen) {
		d->searching = false;
		if (r->rc != 0) {
			reply_error(d, r);
		} else {
			d->hits = *(struct search_reply *)a->buf;
			d->events |= DESK_SEARCHED | DESK_CHANGED;
		}
	}
	ask_free(a);
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
	a = ask_new(d, sizeof(struct search_reply));
	if (!a)
		return;
	a->gen = d->search_gen;
	db_search_request(&rq, query,
			  phone_normalize(query, d->country[0] ? d->country : "KR", e164, sizeof(e164)) == 0 ? e164 : NULL,
			  SEARCH_MAX);
	if (ask_send(d, &rq, db_search_read, a->buf, search_done, a) == 0)
		d->searching = true;
}

static void created_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		reply_error(d, r);
	} else {
		d->call.customer_id = *(long long *)a->buf;
		desk_open_customer(d, d->call.customer_id);
	}
	ask_free(a);
}

void desk_quick_create(struct desk *d, const char *name)
{
	struct db_request rq;
	struct ask *a;

	if (!d->has_call || !d->call.ani_e164[0]) {
		say(d, "No caller number to create a customer from.");
		return;
	}
	if (!name || !*name) {
		say(d, "A new customer needs a name.");
		return;
	}
	a = ask_new(d, sizeof(long long));
	db_customer_create_request(&rq, name, d->call.ani_e164);
	ask_send(d, &rq, db_id_read, a ? a->buf : NULL, created_done, a);
}

static void saved_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (strcmp(d->draft.draft_id, a->key) != 0) {
		ask_free(a);   /* another draft since: its own save will tell */
		return;
	}
	if (r->rc != 0) {
		if (r->lost) {
			d->save = SAVE_WAITING;
			say(d, "Database down: the contact will be saved when it is back.");
		} else {
			d->save = SAVE_NONE;
			say(d, "%s", r->error);
		}
		ask_free(a);
		return;
	}
	d->saved_id = *(long long *)a->buf;
	if (d->edited_while_saving) {
		/* Typed after the text left: saved, but not what is on screen now. */
		d->save = SAVE_NONE;
		say(d, "Contact saved (#%lld); what you typed since is not: F10 again.", d->saved_id);
	} else {
		d->save = SAVE_DONE;
		d->draft_dirty = false;
		if (d->journal)
			journal_saved(d->journal, d->draft.draft_id);
		say(d, "Contact saved (#%lld).", d->saved_id);
	}
	/* The new contact heads the timeline now. */
	if (d->has_customer && d->pop.h.id == d->draft.customer_id)
		desk_filter(d, d->filter.channel, d->filter.kind);
	ask_free(a);
}

void desk_draft_save(struct desk *d)
{
	struct db_request rq;
	char err[160];
	struct ask *a;

	if (!d->draft_open)
		return;
	if (d->draft.customer_id == 0) {
		say(d, "Whose contact is this? F2 search the customer or F7 create them first.");
		return;
	}
	if (!d->draft.subject[0]) {
		/* No subject typed: the first line of the notes says what it was about. */
		const char *notes = textbuf_text(d->notes);
		char first[sizeof(d->draft.subject)];

		utf8_fit(notes, 60, true, first, sizeof(first));
		first[strcspn(first, "\n")] = '\0';
		desk_draft_set(d, "subject", first);
	}
	if (db_contact_check(&d->draft, err, sizeof(err)) < 0) {
		say(d, "%s", err);
		return;
	}
	if (d->journal)
		journal_sync(d->journal);   /* durable before it leaves this machine */
	if (!d->gw || !gateway_up(d->gw)) {
		d->save = SAVE_WAITING;
		say(d, "Database down: the contact will be saved when it is back.");
		return;
	}
	a = ask_new(d, sizeof(long long));
	if (!a)
		return;
	d->draft.notes = (char *)textbuf_text(d->notes);
	db_contact_save_request(&rq, &d->draft);
	snprintf(a->key, sizeof(a->key), "%s", d->draft.draft_id);
	d->edited_while_saving = false;
	d->save = SAVE_SAVING;
	if (ask_send(d, &rq, db_id_read, a->buf, saved_done, a) < 0)
		d->save = SAVE_WAITING;
	d->draft.notes = NULL;
}

bool desk_draft_unsaved(const struct desk *d)
{
	return d->draft_open && d->draft_dirty && d->save != SAVE_DONE;
}

/* --- the draft: every change goes to the journal before it shows ------- */

/* The journal's names for the draft's short fields. */
static char *draft_field(struct contact_draft *dr, const char *name, size_t *size)
{
#define FIELD(f) if (strcmp(name, #f) == 0) { *size = sizeof(dr->f); return dr->f; }
	FIELD(channel) FIELD(direction) FIELD(kind) FIELD(reason) FIELD(disposition) FIELD(subject)
#undef FIELD
	return NULL;
}

static void notes_edited(void *arg, bool insert, size_t off, const char *bytes, size_t len)
{
	struct desk *d = arg;

	d->draft_dirty = true;
	if (d->save == SAVE_SAVING)
		d->edited_while_saving = true;
	if (d->save == SAVE_DONE)
		d->save = SAVE_NONE;   /* edited after saving: F10 again saves the latest text */
	if (!d->journal)
		return;
	if (insert)
		journal_insert(d->journal, "notes", off, bytes, len);
	else
		journal_delete(d->journal, "notes", off, len);
}

static void draft_apply(struct desk *d, const char *name, const char *value)
{
	size_t size;
	char *f = draft_field(&d->draft, name, &size);

	if (f)
		snprintf(f, size, "%s", value ? value : "");
	else if (strcmp(name, "customer_id") == 0)
		d->draft.customer_id = value ? atoll(value) : 0;
	else if (strcmp(name, "call_id") == 0)
		d->draft.call_id = value ? atoll(value) : 0;
	else if (strcmp(name, "open_case") == 0)
		d->draft.open_case = value && strcmp(value, "yes") == 0;
}

int desk_init(struct desk *d, const char *journal_path, char *err, size_t errsz)
{
	const struct draft_state *st;

	memset(d, 0, sizeof(*d));
	d->now.queue_waiting = -1;
	timeline_reset(d);
	d->notes = textbuf_new(0);
	if (!d->notes) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	d->journal = journal_open(journal_path, err, errsz);
	if (!d->journal)
		return -1;
	st = journal_draft(d->journal);
	if (st) {   /* an unsaved draft from before a crash or a hangup */
		snprintf(d->draft.draft_id, sizeof(d->draft.draft_id), "%s", st->id);
		for (size_t i = 0; i < st->nfields; i++) {
			if (strcmp(st->fields[i].name, "notes") == 0)
				textbuf_set_text(d->notes, st->fields[i].value);
			else
				draft_apply(d, st->fields[i].name, st->fields[i].value);
		}
		d->draft_open = d->draft_restored = d->draft_dirty = true;
	}
	textbuf_set_on_edit(d->notes, notes_edited, d);
	return 0;
}

void desk_free(struct desk *d)
{
	journal_close(d->journal);
	textbuf_free(d->notes);
	free(d->items);
	free(d->detail_body);
	memset(d, 0, sizeof(*d));
}

void desk_draft_set(struct desk *d, const char *field, const char *value)
{
	draft_apply(d, field, value);
	d->draft_dirty = true;
	if (d->save == SAVE_SAVING)
		d->edited_while_saving = true;
	if (d->save == SAVE_DONE)
		d->save = SAVE_NONE;
	if (d->journal)
		journal_set(d->journal, field, value);
}

void desk_draft_new(struct desk *d)
{
	char num[32];

	memset(&d->draft, 0, sizeof(d->draft));
	if (journal_uuid(d->draft.draft_id) < 0)
		snprintf(d->draft.draft_id, sizeof(d->draft.draft_id), "00000000-0000-4000-8000-%012lx",
			 (unsigned long)time(NULL));
	textbuf_set_on_edit(d->notes, NULL, NULL);
	textbuf_set_text(d->notes, "");
	textbuf_set_on_edit(d->notes, notes_edited, d);
	if (d->journal)
		journal_begin(d->journal, d->draft.draft_id);
	d->draft_open = true;
	d->draft_restored = false;
	d->save = SAVE_NONE;
	d->saved_id = 0;
	/* Prefilled from the call; not "typed" yet, so a pop may still replace it. */
	desk_draft_set(d, "channel", "phone");
	desk_draft_set(d, "direction", "in");
	desk_draft_set(d, "kind", "inquiry");
	if (d->has_call) {
		snprintf(num, sizeof(num), "%lld", d->call.id);
		desk_draft_set(d, "call_id", num);
	}
	if (d->has_customer) {
		snprintf(num, sizeof(num), "%lld", d->pop.h.id);
		desk_draft_set(d, "customer_id", num);
	}
	d->draft_dirty = false;
}


void desk_draft_close(struct desk *d)
{
	if (d->draft_open && d->save != SAVE_DONE && d->journal)
		journal_discard(d->journal, d->draft.draft_id);
	d->draft_open = false;
	d->draft_dirty = false;
	d->save = SAVE_NONE;
}


bool desk_sync_pending(const struct desk *d)
{
	return d->journal && journal_sync_pending(d->journal);
}

void desk_sync(struct desk *d, bool force)
{
	if (d->journal && (force || journal_sync_due(d->journal, journal_now_ms())))
		journal_sync(d->journal);
}
