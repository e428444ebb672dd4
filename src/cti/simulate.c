/* simulate.c - a simulated call floor. Callers arrive at random (a Poisson
 * process at --rate per second) in the queues, wait, and hang up when their
 * patience runs out; simulated agents pick up what routing offers them, talk,
 * wrap up and go ready again, now and then after a break. Everything goes
 * through the functions a PBX and the consoles use, so the wallboard shows
 * the simulation as it would show a real floor.
 *
 * One thread, one connection: the loop sleeps in poll() on the connection
 * (offers arrive as notifications) until the next scheduled event, and each
 * event is one short statement. Model times (talk, wrap-up, patience, ring)
 * are in floor seconds, run --speed times faster; --rate and --duration are
 * real time. The database keeps real time, so above --speed 1 the service
 * level (its threshold is real seconds) flatters the modelled floor. At the end the calls still open are hung up and the simulated
 * agents logged out, so the database is left as a quiet floor.
 *
 * When the database goes away (a restart), the run waits for it with
 * backoff, LISTENs again, picks up the offers made meanwhile and runs the
 * event that failed again; the floor carries on. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/floor.h"
#include "ccterm/notify.h"
#include "cti/reconnect.h"
#include "cti/simulate.h"

#define SIM_MAX_QUEUES 1000
#define SIM_MAX_AGENTS 10000
#define SIM_PHONES 10000
#define SIM_BREAK_CHANCE 0.05   /* after a wrap-up */
#define SIM_BREAK_MEAN 300.0    /* floor seconds */

struct sim_opts {
	double rate, duration, speed;
	double talk, wrap, patience;
	int agents;
	const char *queue;
	const char *prefix;
	uint64_t seed;
};

enum phase { WAITING, RINGING, TALKING, DONE };

struct sim_call {
	long long id;
	enum phase phase;
	int agent;      /* index of the simulated agent it was offered to, -1 */
	bool ours;      /* arrived through this simulator */
};

enum ev_kind { EV_ARRIVAL, EV_PATIENCE, EV_ANSWER, EV_HANGUP, EV_READY, EV_BREAK_END };

struct event {
	double at;          /* seconds since the start */
	unsigned long seq;  /* ties keep their order */
	enum ev_kind kind;
	size_t idx;         /* a call or an agent */
};

struct sim {
	struct db *db;
	struct sim_opts o;
	struct timespec start;
	uint64_t rng;

	char (*queues)[40];
	double *queue_cum;
	size_t nq;
	char (*phones)[17];
	size_t nphones;
	char (*logins)[64];
	size_t nagents;

	struct sim_call *calls;
	size_t ncalls, capcalls;
	long long *hkeys;       /* call id -> index, open addressing */
	size_t *hvals, hcap, hcount;

	struct event *heap;
	size_t nheap, capheap;
	unsigned long seq;

	long arrived, cut_waiting, cut_talking, transient_errors, reconnects;
	bool lost;              /* the connection went away during the last event */
};

static volatile sig_atomic_t sim_stop;

/* --- time and chance -------------------------------------------------------- */

static double sim_now(const struct sim *s)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - s->start.tv_sec) + (double)(t.tv_nsec - s->start.tv_nsec) / 1e9;
}

/* splitmix64: small, good enough, reproducible from --seed. */
static double sim_uniform(struct sim *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static double sim_exponential(struct sim *s, double mean)
{
	return -mean * log(1.0 - sim_uniform(s));
}

/* Floor seconds to real seconds. */
static double sim_real(const struct sim *s, double floor_secs)
{
	return floor_secs / s->o.speed;
}

/* --- the event queue: a binary min-heap on (at, seq) ------------------------- */

static bool ev_before(const struct event *a, const struct event *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static int ev_push(struct sim *s, double at, enum ev_kind kind, size_t idx)
{
	size_t i;

	if (s->nheap == s->capheap) {
		size_t cap = s->capheap ? 2 * s->capheap : 256;
		struct event *h = realloc(s->heap, cap * sizeof(*h));

		if (!h)
			return -1;
		s->heap = h;
		s->capheap = cap;
	}
	i = s->nheap++;
	s->heap[i] = (struct event){ .at = at, .seq = s->seq++, .kind = kind, .idx = idx };
	while (i > 0 && ev_before(&s->heap[i], &s->heap[(i - 1) / 2])) {
		struct event t = s->heap[i];

		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct event ev_pop(struct sim *s)
{
	struct event top = s->heap[0];
	size_t i = 0;

	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct event t;

		if (l < s->nheap && ev_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->nheap && ev_before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
	return top;
}

/* --- calls by id --------------------------------------------------------------- */

static size_t hash_slot(const struct sim *s, long long id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (s->hcap - 1);
}

static int hash_put(struct sim *s, long long id, size_t idx)
{
	size_t i;

	if (2 * (s->hcount + 1) > s->hcap) {
		size_t oldcap = s->hcap, cap = oldcap ? 2 * oldcap : 1024;
		long long *ok = s->hkeys;
		size_t *ov = s->hvals;

		s->hkeys = calloc(cap, sizeof(*s->hkeys));
		s->hvals = calloc(cap, sizeof(*s->hvals));
		if (!s->hkeys || !s->hvals)
			return -1;
		s->hcap = cap;
		s->hcount = 0;
		for (size_t j = 0; j < oldcap; j++)
			if (ok[j])
				hash_put(s, ok[j], ov[j]);
		free(ok);
		free(ov);
	}
	for (i = hash_slot(s, id); s->hkeys[i] && s->hkeys[i] != id; i = (i + 1) & (s->hcap - 1))
		;
	if (!s->hkeys[i])
		s->hcount++;
	s->hkeys[i] = id;
	s->hvals[i] = idx;
	return 0;
}

static long hash_get(const struct sim *s, long long id)
{
	if (!s->hcap)
		return -1;
	for (size_t i = hash_slot(s, id); s->hkeys[i]; i = (i + 1) & (s->hcap - 1))
		if (s->hkeys[i] == id)
			return (long)s->hvals[i];
	return -1;
}

static long call_add(struct sim *s, long long id, bool ours)
{
	if (s->ncalls == s->capcalls) {
		size_t cap = s->capcalls ? 2 * s->capcalls : 1024;
		struct sim_call *c = realloc(s->calls, cap * sizeof(*c));

		if (!c)
			return -1;
		s->calls = c;
		s->capcalls = cap;
	}
	s->calls[s->ncalls] = (struct sim_call){ .id = id, .phase = WAITING, .agent = -1, .ours = ours };
	if (hash_put(s, id, s->ncalls) < 0)
		return -1;
	return (long)s->ncalls++;
}

static int agent_index(const struct sim *s, const char *login)
{
	size_t plen = strlen(s->o.prefix);
	long i;

	if (strncmp(login, s->o.prefix, plen) != 0)
		return -1;
	i = atol(login + plen) - 1;
	return i >= 0 && (size_t)i < s->nagents && strcmp(s->logins[i], login) == 0 ? (int)i : -1;
}

/* --- what happens ------------------------------------------------------------- */

/* A failed statement: deadlocks and serialization failures are the floor's
 * weather (the event is dropped, the run goes on); a lost connection is
 * waited out and the event run again (sim_loop); anything else ends it. */
static int sim_failed(struct sim *s)
{
	const char *st = db_sqlstate(s->db);

	if (!db_ok(s->db)) {
		s->lost = true;
		return 0;
	}
	if (strcmp(st, "40P01") == 0 || strcmp(st, "40001") == 0 || strcmp(st, "55P03") == 0) {
		s->transient_errors++;
		return 0;
	}
	return -1;
}

static int sim_arrival(struct sim *s, double now)
{
	double u = sim_uniform(s);
	size_t q = 0;
	char ani[20];
	long long id;
	long c;

	while (q + 1 < s->nq && u > s->queue_cum[q])
		q++;
	if (s->nphones)
		snprintf(ani, sizeof(ani), "%s", s->phones[(size_t)(sim_uniform(s) * (double)s->nphones)]);
	else
		snprintf(ani, sizeof(ani), "+8210%08d", (int)(sim_uniform(s) * 1e8));
	if (db_call_arrive(s->db, ani, NULL, s->queues[q], NULL, &id) < 0) {
		if (sim_failed(s) < 0)
			return -1;
		if (s->lost)
			return 0;   /* this arrival runs again after the reconnect */
	} else {
		s->arrived++;
		if ((c = call_add(s, id, true)) < 0)
			return -1;
		if (ev_push(s, now + sim_real(s, sim_exponential(s, s->o.patience)), EV_PATIENCE, (size_t)c) < 0)
			return -1;
	}
	now += sim_exponential(s, 1.0 / s->o.rate);
	return now < s->o.duration ? ev_push(s, now, EV_ARRIVAL, 0) : 0;
}

/* Routing offered a call to one of our agents: it rings a moment, then is picked up. */
static int sim_offered(struct sim *s, const struct call_offer *off, double now)
{
	int agent = agent_index(s, off->login);
	long c;

	if (agent < 0)
		return 0;
	c = hash_get(s, off->call_id);
	if (c < 0 && (c = call_add(s, off->call_id, false)) < 0)
		return -1;
	if (s->calls[c].phase == DONE || s->calls[c].phase == TALKING)
		return 0;
	s->calls[c].phase = RINGING;
	s->calls[c].agent = agent;
	return ev_push(s, now + sim_real(s, 1.0 + 3.0 * sim_uniform(s)), EV_ANSWER, (size_t)c);
}

/* After a failed answer: what became of the call. */
static int sim_recheck(struct sim *s, struct sim_call *call, double now)
{
	char state[16], agent[64];
	int rc = db_call_state(s->db, call->id, state, agent);

	if (rc < 0)
		return sim_failed(s);
	if (rc == 0 || strcmp(state, "ended") == 0 || strcmp(state, "abandoned") == 0)
		call->phase = DONE;
	else if (strcmp(state, "queued") == 0)
		call->phase = WAITING;
	else if (strcmp(state, "answered") == 0) {
		/* picked up elsewhere: the caller still hangs up some day */
		call->phase = TALKING;
		call->agent = -1;
		return ev_push(s, now + sim_real(s, sim_exponential(s, s->o.talk)), EV_HANGUP,
			       (size_t)(call - s->calls));
	}
	return 0;
}

static int sim_answer(struct sim *s, size_t c, double now)
{
	struct sim_call *call = &s->calls[c];
	int rc;

	if (call->phase != RINGING)
		return 0;
	rc = db_call_answer(s->db, call->id);
	if (rc < 0 && strcmp(db_sqlstate(s->db), "CC002") == 0) {
		call->phase = DONE;   /* the caller hung up meanwhile */
		return 0;
	}
	if (rc < 0)
		return sim_failed(s);
	if (rc == 0)
		return sim_recheck(s, call, now);
	call->phase = TALKING;
	return ev_push(s, now + sim_real(s, sim_exponential(s, s->o.talk)), EV_HANGUP, c);
}

static int sim_patience(struct sim *s, size_t c)
{
	struct sim_call *call = &s->calls[c];

	if (call->phase != WAITING && call->phase != RINGING)
		return 0;
	if (db_call_hangup(s->db, call->id, NULL) < 0)
		return sim_failed(s);
	call->phase = DONE;
	return 0;
}

static int sim_hangup(struct sim *s, size_t c, double now)
{
	struct sim_call *call = &s->calls[c];
	double wrap = s->o.wrap * (0.5 + sim_uniform(s));

	if (call->phase != TALKING)
		return 0;
	if (db_call_hangup(s->db, call->id, NULL) < 0)
		return sim_failed(s);
	call->phase = DONE;
	return call->agent >= 0 ? ev_push(s, now + sim_real(s, wrap), EV_READY, (size_t)call->agent) : 0;
}

static int sim_ready(struct sim *s, size_t agent, double now, bool after_wrap)
{
	const char *login = s->logins[agent];

	if (after_wrap && sim_uniform(s) < SIM_BREAK_CHANCE) {
		if (db_agent_set_state_for(s->db, login, "break", "simulated break") < 0)
			return sim_failed(s);
		return ev_push(s, now + sim_real(s, sim_exponential(s, SIM_BREAK_MEAN)), EV_BREAK_END, agent);
	}
	if (db_agent_set_state_for(s->db, login, "ready", after_wrap ? "wrap-up done" : "back from break") < 0)
		return sim_failed(s);
	return 0;
}

static int sim_event(struct sim *s, const struct event *e, double now)
{
	switch (e->kind) {
	case EV_ARRIVAL:
		return sim_arrival(s, e->at);
	case EV_PATIENCE:
		return sim_patience(s, e->idx);
	case EV_ANSWER:
		return sim_answer(s, e->idx, now);
	case EV_HANGUP:
		return sim_hangup(s, e->idx, now);
	case EV_READY:
		return sim_ready(s, e->idx, now, true);
	case EV_BREAK_END:
		return sim_ready(s, e->idx, now, false);
	}
	return 0;
}

/* Takes every offer that has arrived (as notifications). */
static int sim_drain(struct sim *s)
{
	struct call_offer offers[64];
	int n;

	do {
		double now = sim_now(s);

		n = db_offers_drain(s->db, offers, 64);
		if (n < 0 && !db_ok(s->db)) {
			s->lost = true;
			return 0;
		}
		if (n < 0)
			return -1;
		for (int i = 0; i < n; i++)
			if (sim_offered(s, &offers[i], now) < 0)
				return -1;
	} while (n == 64);
	return 0;
}

/* --- set-up, run, close --------------------------------------------------------- */

static bool number_opt(const char *v, double min, double max, double *out)
{
	char *end;
	double d;

	if (!v || !*v)
		return false;
	errno = 0;
	d = strtod(v, &end);
	if (errno || *end || !(d >= min && d <= max))
		return false;
	*out = d;
	return true;
}

static bool prefix_ok(const char *p)
{
	if (!*p || strlen(p) > 40 || !((*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static int sim_options(int argc, char **argv, struct sim_opts *o)
{
	double agents = 10, seed = -1;

	*o = (struct sim_opts){ .speed = 1, .talk = 60, .wrap = 10, .patience = 60, .prefix = "sim_" };
	for (int i = 0; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok;

		if (strcmp(k, "--rate") == 0)
			ok = number_opt(v, 1e-6, 100000, &o->rate);
		else if (strcmp(k, "--duration") == 0)
			ok = number_opt(v, 1e-3, 1e7, &o->duration);
		else if (strcmp(k, "--agents") == 0)
			ok = number_opt(v, 1, SIM_MAX_AGENTS, &agents) && agents == floor(agents);
		else if (strcmp(k, "--speed") == 0)
			ok = number_opt(v, 1e-3, 1e6, &o->speed);
		else if (strcmp(k, "--talk") == 0)
			ok = number_opt(v, 0, 1e6, &o->talk);
		else if (strcmp(k, "--wrap") == 0)
			ok = number_opt(v, 0, 1e6, &o->wrap);
		else if (strcmp(k, "--patience") == 0)
			ok = number_opt(v, 0, 1e6, &o->patience);
		else if (strcmp(k, "--seed") == 0)
			ok = number_opt(v, 0, 1e15, &seed);
		else if (strcmp(k, "--queue") == 0)
			ok = (o->queue = v) != NULL;
		else if (strcmp(k, "--prefix") == 0)
			ok = (o->prefix = v) != NULL && prefix_ok(v);
		else {
			fprintf(stderr, "ccterm-cti simulate: unknown option %s\n", k);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "ccterm-cti simulate: %s needs a %s\n", k,
				strcmp(k, "--queue") == 0 ? "queue name"
				: strcmp(k, "--prefix") == 0 ? "lower-case login prefix" : "number in range");
			return 2;
		}
		i++;
	}
	if (o->rate <= 0 || o->duration <= 0) {
		fputs("usage: ccterm-cti simulate --rate CALLS_PER_SEC --duration SECONDS [--agents N] [--queue NAME]\n"
		      "       [--speed X] [--talk S] [--wrap S] [--patience S] [--seed N] [--prefix P]\n", stderr);
		return 2;
	}
	o->agents = (int)agents;
	o->seed = seed >= 0 ? (uint64_t)seed : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return 0;
}

static int sim_setup(struct sim *s)
{
	int nq, width = 3;
	const char **logins;
	double total = 0;

	s->queues = calloc(SIM_MAX_QUEUES, sizeof(*s->queues));
	s->phones = calloc(SIM_PHONES, sizeof(*s->phones));
	s->logins = calloc((size_t)s->o.agents, sizeof(*s->logins));
	logins = calloc((size_t)s->o.agents, sizeof(*logins));
	if (!s->queues || !s->phones || !s->logins || !logins) {
		free(logins);
		db_set_error(s->db, "out of memory");
		return -1;
	}
	if ((nq = db_queue_names(s->db, s->queues, SIM_MAX_QUEUES)) < 0) {
		free(logins);
		return -1;
	}
	if (s->o.queue) {
		int i;

		for (i = 0; i < nq && strcmp(s->queues[i], s->o.queue) != 0; i++)
			;
		if (i == nq) {
			free(logins);
			db_set_error(s->db, "unknown queue %s", s->o.queue);
			return -1;
		}
		memmove(s->queues[0], s->queues[i], sizeof(s->queues[0]));
		nq = 1;
	}
	if (nq == 0) {
		free(logins);
		db_set_error(s->db, "no queues to call (ccterm-admin queue add NAME --sla SECONDS)");
		return -1;
	}
	s->nq = (size_t)nq;
	/* Some queues are busier than others: weights 1, 1/sqrt 2, 1/sqrt 3 ... */
	s->queue_cum = calloc(s->nq, sizeof(*s->queue_cum));
	if (!s->queue_cum) {
		free(logins);
		return -1;
	}
	for (size_t i = 0; i < s->nq; i++)
		total += 1.0 / sqrt((double)i + 1);
	for (size_t i = 0; i < s->nq; i++)
		s->queue_cum[i] = (i ? s->queue_cum[i - 1] : 0) + 1.0 / sqrt((double)i + 1) / total;

	for (int n = s->o.agents; n >= 1000; n /= 10)
		width++;
	s->nagents = (size_t)s->o.agents;
	for (size_t i = 0; i < s->nagents; i++) {
		snprintf(s->logins[i], sizeof(s->logins[i]), "%s%0*zu", s->o.prefix, width & 7, i + 1);
		logins[i] = s->logins[i];
	}
	if (db_sim_agents(s->db, logins, s->nagents, s->queues, s->nq) < 0) {
		free(logins);
		return -1;
	}
	free(logins);
	{
		int np = db_phone_sample(s->db, s->phones, SIM_PHONES);

		if (np < 0)
			return -1;
		s->nphones = (size_t)np;
	}
	/* Listen first, then go ready: an offer made at once is not missed. */
	for (size_t i = 0; i < s->nagents; i++)
		if (db_offers_listen(s->db, s->logins[i]) < 0)
			return -1;
	for (size_t i = 0; i < s->nagents; i++)
		if (db_agent_set_state_for(s->db, s->logins[i], "ready", "simulator start") < 0)
			return -1;
	return ev_push(s, sim_exponential(s, 1.0 / s->o.rate), EV_ARRIVAL, 0);
}

/* The connection went away: wait for it, LISTEN again, and take up the
 * offers made to our agents while we were away. 0, or -1 when stopped. */
static int sim_recover(struct sim *s)
{
	struct call_offer *offers;
	int n;

	for (;;) {
		if (cti_reconnect(s->db, &sim_stop, "ccterm-cti simulate") < 0)
			return -1;
		s->reconnects++;
		s->lost = false;
		for (size_t i = 0; i < s->nagents && db_ok(s->db); i++)
			if (db_offers_listen(s->db, s->logins[i]) < 0)
				break;
		if (!db_ok(s->db))
			continue;
		offers = calloc(s->nagents, sizeof(*offers));
		if (!offers)
			return -1;
		n = db_offers_open(s->db, s->o.prefix, offers, s->nagents);
		if (n < 0 && !db_ok(s->db)) {
			free(offers);
			continue;
		}
		for (int i = 0; i < n; i++)
			if (sim_offered(s, &offers[i], sim_now(s)) < 0) {
				free(offers);
				return -1;
			}
		free(offers);
		return n < 0 ? -1 : 0;
	}
}

static int sim_loop(struct sim *s)
{
	while (!sim_stop) {
		double now;
		int ms, fd;

		if (sim_drain(s) < 0)
			return -1;
		if (s->lost && sim_recover(s) < 0)
			return sim_stop ? 0 : -1;
		now = sim_now(s);
		if (now >= s->o.duration)
			return 0;
		if (s->nheap && s->heap[0].at <= now) {
			struct event e = ev_pop(s);

			if (sim_event(s, &e, now) < 0)
				return -1;
			if (s->lost) {
				if (sim_recover(s) < 0)
					return sim_stop ? 0 : -1;
				if (ev_push(s, sim_now(s), e.kind, e.idx) < 0)   /* run it again */
					return -1;
			}
			continue;
		}
		ms = (int)ceil(1000.0 * ((s->nheap && s->heap[0].at < s->o.duration ? s->heap[0].at : s->o.duration)
					 - now));
		fd = notify_fd(s->db);
		if (fd < 0) {
			if (sim_recover(s) < 0)
				return sim_stop ? 0 : -1;
			continue;
		}
		if (cti_wait(fd, ms < 1 ? 1 : ms) < 0) {
			db_set_error(s->db, "poll: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Hangs up what is still open and logs the simulated agents out. */
static int sim_close(struct sim *s)
{
	int rc = 0;

	if (!db_ok(s->db) && !sim_stop && cti_reconnect(s->db, &sim_stop, "ccterm-cti simulate") < 0)
		return -1;
	for (size_t i = 0; i < s->ncalls && db_ok(s->db); i++) {
		struct sim_call *call = &s->calls[i];

		if (call->phase == DONE || (!call->ours && call->phase != TALKING))
			continue;
		if (db_call_hangup(s->db, call->id, NULL) < 0)
			rc = -1;
		if (call->ours && call->phase == TALKING)
			s->cut_talking++;
		else if (call->ours)
			s->cut_waiting++;
		call->phase = DONE;
	}
	for (size_t i = 0; i < s->nagents && db_ok(s->db); i++)
		if (db_agent_set_state_for(s->db, s->logins[i], "logged_out", "simulator end") < 0)
			rc = -1;
	return rc;
}

static void sim_report(struct sim *s, double secs)
{
	long long *ids = malloc((s->ncalls ? s->ncalls : 1) * sizeof(*ids));
	struct call_summary sum;
	size_t n = 0;

	if (!ids)
		return;
	for (size_t i = 0; i < s->ncalls; i++)
		if (s->calls[i].ours)
			ids[n++] = s->calls[i].id;
	if (db_call_summary(s->db, ids, n, &sum) == 0) {
		printf("simulate: %.1f s, %zu agents, %zu queue%s: %ld calls offered, %ld answered (%ld within SLA), "
		       "%ld abandoned (%ld after SLA)",
		       secs, s->nagents, s->nq, s->nq == 1 ? "" : "s", sum.calls, sum.answered, sum.answered_in_sla, sum.abandoned,
		       sum.abandoned_after_sla);
		if (s->cut_waiting || s->cut_talking)
			printf("; at the end %ld waiting hung up (abandoned), %ld in talk ended", s->cut_waiting,
			       s->cut_talking);
		if (sum.service_level_pct >= 0)
			printf("; service level %.1f %%", sum.service_level_pct);
		if (sum.asa_secs >= 0)
			printf(", ASA %.1f s", sum.asa_secs);
		if (s->transient_errors)
			printf("; %ld events lost to deadlocks", s->transient_errors);
		if (s->reconnects)
			printf("; %ld reconnect%s", s->reconnects, s->reconnects == 1 ? "" : "s");
		putchar('\n');
	}
	free(ids);
}

static void sim_free(struct sim *s)
{
	free(s->queues);
	free(s->queue_cum);
	free(s->phones);
	free(s->logins);
	free(s->calls);
	free(s->hkeys);
	free(s->hvals);
	free(s->heap);
}

int sim_main(struct db *db, int argc, char **argv)
{
	struct sim s = { .db = db };
	int rc;

	if ((rc = sim_options(argc, argv, &s.o)) != 0)
		return rc;
	s.rng = s.o.seed;
	cti_signals(&sim_stop);
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	db_quiet_notices(db);   /* a server's FATAL on shutdown is ours to report, once */
	rc = sim_setup(&s);
	if (rc == 0)
		rc = sim_loop(&s);
	if (rc < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", db_error(db));
		sim_close(&s);
		db_set_error(db, "%s", why);
	} else {
		rc = sim_close(&s);
		sim_report(&s, sim_now(&s));
	}
	sim_free(&s);
	return rc;
}
