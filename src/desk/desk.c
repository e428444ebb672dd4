/* desk.c - the controller: the agent and their calls as the database says
 * them, notifications, (re)connects, the agent's state; what
 * needs the database is asked of the gateway, and the replies update this
 * state and raise events for the screen. No curses here. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "ccterm/floor.h"
#include "ccterm/my_calls.h"
#include "ccterm/notify.h"
#include "ccterm/phone.h"
#include "ccterm/session.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "gateway/relay_link.h"
#include "desk.h"
#include "desk_priv.h"

#define WRAP_UP_SECS 30

long long desk_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void desk_say(struct desk *d, const char *fmt, ...)
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

struct ask *desk_ask_new(struct desk *d, size_t bufsize)
{
	struct ask *a = calloc(1, sizeof(*a));

	if (a && bufsize && !(a->buf = calloc(1, bufsize))) {
		free(a);
		a = NULL;
	}
	if (!a)
		desk_say(d, _("Out of memory."));
	else
		a->d = d;
	return a;
}

void desk_ask_free(struct ask *a)
{
	if (a) {
		free(a->buf);
		free(a);
	}
}

/* Sends; on failure (down, queue full) frees a and says so. 0 or -1. */
int desk_ask_send(struct desk *d, const struct db_request *rq, db_read_fn *read, void *out, gw_done_fn *done,
		    struct ask *a)
{
	if (!a)
		return -1;
	if (!d->gw || gateway_send(d->gw, rq, read, out, done, a) < 0) {
		desk_ask_free(a);
		desk_say(d, _("The database is not reachable: trying again. Nothing you type is lost."));
		return -1;
	}
	return 0;
}

void desk_reply_error(struct desk *d, const struct gw_reply *r)
{
	if (r->lost)
		desk_say(d, _("Database connection lost: reconnecting. Nothing you type is lost."));
	else
		desk_say(d, "%s", r->error);
}

/* --- the agent and their calls, as the database says ----------------------- */

long desk_state_secs(const struct desk *d)
{
	long s;

	if (!d->now.agent_known)
		return 0;
	s = d->now.agent.state_secs + (long)((desk_mono_ms() - d->now.agent_read_ms) / 1000);
	return s < 0 ? 0 : s;
}

long desk_call_secs(const struct desk *d)
{
	long s = d->now.call_secs;

	if (strcmp(d->now.call_state, "ended") != 0)
		s += (long)((desk_mono_ms() - d->now.call_read_ms) / 1000);
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


static void agent_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (a->flag)
		d->agent_inflight = false;
	if (r->rc == 0) {
		d->now.agent = *(struct agent_info *)a->buf;
		d->now.agent_read_ms = desk_mono_ms();
		d->now.agent_known = true;
		d->wrap_up_asked = false;
		d->events |= DESK_CHANGED;
	} else {
		desk_reply_error(d, r);
	}
	desk_ask_free(a);
	if (d->agent_again && !d->agent_inflight) {
		d->agent_again = false;
		desk_read_agent(d);
	}
}

void desk_read_agent(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (d->agent_inflight) {
		d->agent_again = true;
		return;
	}
	a = desk_ask_new(d, sizeof(struct agent_info));
	if (!a)
		return;
	a->flag = true;
	db_agent_self_request(&rq);
	/* Set before: done may run inside the send (a connection lost right there). */
	d->agent_inflight = true;
	if (desk_ask_send(d, &rq, db_agent_self_read, a->buf, agent_done, a) < 0)
		d->agent_inflight = false;
}

static void queue_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0) {
		a->d->now.queue_waiting = *(long *)a->buf;
		a->d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
}

static void read_queue(struct desk *d)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(long));

	db_queue_waiting_request(&rq);
	desk_ask_send(d, &rq, db_count_read, a ? a->buf : NULL, queue_done, a);
}

/* The entries in use only: a copy of the whole 37 kB struct would make
 * all of the desk's copy resident for the few entries a center has. */
static void lists_copy(struct form_lists *to, const struct form_lists *from)
{
	memcpy(to->reasons, from->reasons, from->nreasons * sizeof(from->reasons[0]));
	to->nreasons = from->nreasons;
	memcpy(to->dispositions, from->dispositions, from->ndispositions * sizeof(from->dispositions[0]));
	to->ndispositions = from->ndispositions;
	memcpy(to->pauses, from->pauses, from->npauses * sizeof(from->pauses[0]));
	to->npauses = from->npauses;
	to->loaded = from->loaded;
}

static void lists_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0) {
		lists_copy(&a->d->lists, a->buf);
		a->d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
}

/* The lists the console offers: at every connect and on a 'lists' notice. */
static void read_lists(struct desk *d)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct form_lists));

	db_form_lists_request(&rq);
	desk_ask_send(d, &rq, db_form_lists_read, a ? a->buf : NULL, lists_done, a);
}

void desk_pending_drop(struct desk *d, long long id)
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
void desk_call_ended(struct desk *d)
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
		desk_reply_error(d, r);
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
			d->now.call_read_ms = desk_mono_ms();
		} else if (c->id != d->taking && d->npending < DESK_MAX_PENDING) {
			/* offered, or answered but not on this screen (a restart) */
			offered = true;
			d->pending[d->npending++] = c->id;
		}
	}
	if (d->has_call && !held && d->now.call_id == d->call.id)
		desk_call_ended(d);
	if (offered)
		d->events |= DESK_OFFERED;
	d->events |= DESK_CHANGED;
out:
	desk_ask_free(a);
	if (d->calls_again) {
		d->calls_again = false;
		desk_read_calls(d);
	}
}

void desk_read_calls(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (d->calls_inflight) {
		d->calls_again = true;
		return;
	}
	a = desk_ask_new(d, sizeof(struct my_calls));
	if (!a)
		return;
	db_my_calls_request(&rq);
	d->calls_inflight = true;   /* before: done may run inside the send */
	if (desk_ask_send(d, &rq, db_my_calls_read, a->buf, calls_done, a) < 0)
		d->calls_inflight = false;
}

/* A notification is a hint: what it says is applied only where it can only
 * take something away (a call gone leaves the banner in this frame); the
 * rest is re-read. */
static void on_notice(void *arg, const struct notice *n)
{
	struct desk *d = arg;

	switch (n->kind) {
	case NOTICE_CALL:
		/* An offer pops when the screen is free: from the pop sealed into the
		 * notification for this console when there is one (only the database
		 * and this console have its key), else in one round trip, where the
		 * pop itself is the truth (screen_pop refuses a call not offered to
		 * this agent). The re-reads go out behind it. */
		if (strcmp(n->state, "offered") == 0 && !d->taking && d->npending == 0 &&
		    !(d->has_call && d->call.id == n->call_id) && d->may_pop && d->may_pop(d->ui)) {
			if (!desk_pop_sealed(d, n))
				desk_pop_call(d, n->call_id, false, false);
			break;   /* the pop's end reads the calls, behind its frame */
		}
		if (n->state[0] && notice_call_gone(n->state)) {
			desk_pending_drop(d, n->call_id);
			if (d->has_call && d->call.id == n->call_id)
				desk_call_ended(d);
			if (d->taking == n->call_id)
				snprintf(d->taking_gone, sizeof(d->taking_gone), "%s", n->state);
		}
		desk_read_calls(d);
		if (strcmp(n->state, "offered") != 0)
			desk_read_agent(d);
		break;
	case NOTICE_STATE:
		desk_read_agent(d);
		break;
	case NOTICE_QUEUE:
		read_queue(d);
		desk_read_calls(d);
		break;
	case NOTICE_FLOOR:
		d->events |= DESK_FLOOR;
		break;
	case NOTICE_CAMPAIGN:
		d->events |= DESK_CAMPAIGN;
		break;
	case NOTICE_LISTS:
		read_lists(d);
		break;
	case NOTICE_CASE:
		/* Pushed, not polled: an escalation of my case shows on the status bar. */
		d->case_moved = n->call_id;
		if (strcmp(n->state, "escalated") == 0 || strcmp(n->state, "overdue") == 0) {
			snprintf(d->case_alert, sizeof(d->case_alert), "case C-%lld %s", n->call_id, n->state);
			desk_say(d, _("Case C-%lld is %s: :cases shows it."), n->call_id, n->state);
		} else if (strcmp(n->state, "mail_failed") == 0) {
			/* a reply the MTA refused for good (or gave up on): the agent who wrote it is told */
			snprintf(d->case_alert, sizeof(d->case_alert), "C-%lld reply failed", n->call_id);
			desk_say(d, _("Your reply on case C-%lld was not delivered: the case shows why."), n->call_id);
		}
		d->events |= DESK_CASE | DESK_CHANGED;
		break;
	default:
		break;
	}
}


static void country_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0 && ((char *)a->buf)[0])
		snprintf(a->d->country, sizeof(a->d->country), "%s", (char *)a->buf);
	desk_ask_free(a);
}

/* The center's zone: the session's already (timestamp text), the client's now. */
static void timezone_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc == 0)
		session_timezone_apply((const char *)a->buf);
	else
		desk_reply_error(a->d, r);
	desk_ask_free(a);
}

static void plain_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;

	if (r->rc != 0)
		desk_reply_error(a->d, r);
	desk_ask_free(a);
}


/* LISTEN on this connection, unless it does already. */
static void listen_direct(struct desk *d)
{
	struct db_request rq;

	if (d->listening_direct || !d->gw || !gateway_up(d->gw))
		return;
	notify_listen_request(&rq, desk_is_supervisor(d));
	if (desk_ask_send(d, &rq, NULL, NULL, plain_done, desk_ask_new(d, 0)) == 0)
		d->listening_direct = true;
}

/* What a notification could have said, read again from the tables. */
static void reread(struct desk *d)
{
	desk_read_calls(d);
	desk_read_agent(d);
	read_queue(d);
	d->events |= DESK_FLOOR | DESK_CHANGED;
}

/* After every (re)connect: LISTEN first (unless the relay listens for this
 * console, or is being asked to), then re-read what is offered, so a
 * notification lost while disconnected loses nothing; all pipelined. */
static void on_connected(void *arg)
{
	struct desk *d = arg;
	struct db_request rq;
	struct ask *a;

	d->agent_inflight = d->agent_again = d->calls_inflight = d->calls_again = false;
	d->beat_inflight = false;
	/* First: every time the server formats and every one drawn here is center time. */
	a = desk_ask_new(d, SESSION_TZ_MAX);
	db_session_timezone_request(&rq);
	desk_ask_send(d, &rq, db_session_timezone_read, a ? a->buf : NULL, timezone_done, a);
	d->listening_direct = false;   /* a new connection listens to nothing */
	if (!relay_link_ready(d->relay) && !relay_link_trying(d->relay))
		listen_direct(d);
	desk_read_calls(d);
	/* Logged in before anything the agent asks for goes out behind it. */
	db_agent_login_request(&rq);
	desk_ask_send(d, &rq, NULL, NULL, plain_done, desk_ask_new(d, 0));
	desk_session_beat(d);   /* this console is open */
	desk_read_agent(d);
	read_queue(d);
	read_lists(d);   /* they may have changed while we were away */
	a = desk_ask_new(d, 8);
	db_country_request(&rq);
	desk_ask_send(d, &rq, db_country_read, a ? a->buf : NULL, country_done, a);
	desk_resume(d);
	if (d->save == SAVE_WAITING)
		desk_draft_save(d);
	d->events |= DESK_CONNECTED | DESK_CHANGED | DESK_FLOOR;
}

static void on_lost(void *arg, const char *why)
{
	struct desk *d = arg;

	(void)why;
	d->listening_direct = false;
	d->taking = 0;
	d->fetching = d->searching = false;
	d->events |= DESK_LOST | DESK_CHANGED;
}

/* The relay is ready (or resyncs after its own reconnect): the console's
 * own LISTEN goes, and the state is read again. */
static void on_relay_up(void *arg)
{
	struct desk *d = arg;
	struct db_request rq;

	if (!d->gw || !gateway_up(d->gw))
		return;   /* read at the gateway's connect */
	if (d->listening_direct) {
		db_request_init(&rq, "unlisten *");
		if (desk_ask_send(d, &rq, NULL, NULL, plain_done, desk_ask_new(d, 0)) == 0)
			d->listening_direct = false;
	}
	reread(d);
}

/* The relay is gone (or would not have us): the console LISTENs itself,
 * then reads what it may have missed. */
static void on_relay_down(void *arg, const char *why)
{
	struct desk *d = arg;

	(void)why;
	if (!d->gw || !gateway_up(d->gw))
		return;   /* LISTENs at the gateway's connect */
	listen_direct(d);
	reread(d);
}

void desk_attach_relay(struct desk *d, struct relay_link *rl)
{
	struct relay_hooks hooks = { .arg = d, .up = on_relay_up, .down = on_relay_down, .notice = on_notice };

	d->relay = rl;
	if (rl)
		relay_link_set_hooks(rl, &hooks);
}

void desk_set_agent(struct desk *d, const struct agent_info *a)
{
	d->now.agent = *a;
	d->now.agent_read_ms = desk_mono_ms();
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
	struct ask *a = desk_ask_new(d, sizeof(struct agent_info));

	db_agent_set_state_request(&rq, state, reason);
	desk_ask_send(d, &rq, db_agent_self_read, a ? a->buf : NULL, agent_done, a);
}

void desk_pause(struct desk *d, const char *reason)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct agent_info));

	db_agent_pause_request(&rq, reason);
	desk_ask_send(d, &rq, db_agent_self_read, a ? a->buf : NULL, agent_done, a);
}

const char *desk_pause_label(const struct desk *d, const char *code)
{
	for (size_t i = 0; i < d->lists.npauses; i++)
		if (strcmp(d->lists.pauses[i].code, code) == 0)
			return d->lists.pauses[i].label;
	return code;
}

/* Wrap-up ends by itself: ready again after WRAP_UP_SECS. */
void desk_tick(struct desk *d)
{
	desk_session_tick(d);
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
		desk_reply_error(d, r);
	else if (((char *)a->buf)[0])
		desk_say(d, _("Call ended: wrap-up. F5 ready when done (or it ends in %d s)."), WRAP_UP_SECS);
	else
		desk_say(d, _("The call had ended already."));
	if (r->rc == 0 && d->has_call && d->call.id == a->id)
		desk_call_ended(d);
	desk_ask_free(a);
	desk_read_agent(d);
	desk_read_calls(d);
}

void desk_hangup(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (!d->has_call || strcmp(d->now.call_state, "ended") == 0) {
		desk_say(d, _("No call to end."));
		return;
	}
	a = desk_ask_new(d, 16);
	if (!a)
		return;
	a->id = d->call.id;
	db_call_hangup_request(&rq, d->call.id);
	desk_ask_send(d, &rq, db_text_read, a->buf, hangup_done, a);
}

void desk_quit(struct desk *d, const char *reason, int ms)
{
	struct db_request rq;

	if (!d->gw || !gateway_up(d->gw))
		return;
	/* Nobody routes calls to a console that is gone. The console's id
	 * first, when its first beat is still on its way. */
	if (d->beat_inflight)
		gateway_drain(d->gw, ms);
	db_agent_logout_request(&rq, d->console_id, reason);
	if (gateway_send(d->gw, &rq, NULL, NULL, NULL, NULL) == 0)
		gateway_drain(d->gw, ms);
}
