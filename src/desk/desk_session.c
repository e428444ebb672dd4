/* desk_session.c - this console's row in console_session (sql/380): made at
 * every connect, renewed every CONSOLE_BEAT_MS (up to a quarter of it early,
 * at random), given back at quit
 * (desk_quit). The database knows from it which consoles of a login are
 * open, behind PgBouncer and the relay alike; a console killed stops
 * beating and lapses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/agent.h"
#include "desk_priv.h"
#include "gateway/gateway.h"

static void beat_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	d->beat_inflight = false;
	if (r->rc == 0) {
		const struct console_beat *b = a->buf;

		if (b->id != d->console_id) {   /* a new session: its own key */
			d->has_pop_key = b->has_key;
			memcpy(d->pop_key, b->key, sizeof(d->pop_key));
		}
		d->console_id = b->id;
	}
	desk_ask_free(a);
}

/* How much earlier than CONSOLE_BEAT_MS the next beat comes: 0 to a
 * quarter of it, at random, so consoles that connected together (a shift's
 * start, everyone back after a server restart) do not keep beating together. */
static long long beat_early_ms(void)
{
	static unsigned seed;

	if (!seed)
		seed = (((unsigned)getpid() * 2654435761u) ^ (unsigned)desk_mono_ms()) | 1u;
	return rand_r(&seed) % (CONSOLE_BEAT_MS / 4);
}

void desk_session_beat(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	if (d->beat_inflight)
		return;
	a = desk_ask_new(d, sizeof(struct console_beat));
	if (!a)
		return;
	d->beat_ms = desk_mono_ms() - beat_early_ms();
	db_console_beat_request(&rq, d->console_id);
	/* Set before: done may run inside the send. */
	d->beat_inflight = true;
	if (desk_ask_send(d, &rq, db_console_beat_read, a->buf, beat_done, a) < 0)
		d->beat_inflight = false;
}

void desk_session_tick(struct desk *d)
{
	if (d->gw && gateway_up(d->gw) && desk_mono_ms() - d->beat_ms >= CONSOLE_BEAT_MS)
		desk_session_beat(d);
}
