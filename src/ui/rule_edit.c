/* rule_edit.c - one offer rule in a simple form: every condition as the
 * words offer_rule_spec() takes, the "would reach N customers" figure asked
 * again (debounced, async) as fields change and shown before saving; F10
 * saves (offer_rule_save()); Esc leaves, asking first when something was
 * changed (Esc again leaves without saving). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gateway/gateway.h"
#include "app.h"
#include "draw.h"
#include "lineedit.h"
#include "rules.h"

#define HITS_DEBOUNCE_MS 300

enum field_id {
	R_NAME, R_OFFER, R_PRIORITY, R_TIERS, R_SEGMENTS, R_AGE, R_GENDER, R_MARITAL, R_HAS, R_LACKS,
	R_MIN_VALUE, R_CHANNEL, R_FROM, R_UNTIL, R_ACTIVE, R_COUNT
};

static const char *const labels[R_COUNT] = {
	"name", "offer", "priority", "tiers", "segments", "age", "gender", "marital", "has", "lacks",
	"min value", "channel", "from", "until", "active",
};
static const char *const hints[R_COUNT] = {
	"a new name saves a new rule", "what the agent says", "1 is offered first",
	"all,registered,contracted,platinum", "e.g. champions,young_single", "MIN-MAX: 20-29, 60-, -19",
	"F or M", "single,married,...", "a product held: SKU or category", "a product not held",
	"won", "phone,web,...", "YYYY-MM-DD", "YYYY-MM-DD", "Space switches",
};

static struct {
	struct lineedit e[R_COUNT];
	bool active;
	int focus;
	char orig[128];            /* the rule's name when opened, "" new */
	/* the reach: asked HITS_DEBOUNCE_MS after the last edit */
	long long hits_due;        /* 0: not due */
	bool hits_inflight;
	unsigned edit_gen, hits_gen;
	long got_hits, hits;       /* got: the reply's buffer */
	bool hits_known;
	char hits_error[256];
	bool saving;
	long saved_hits;
	bool leave_armed;          /* Esc once with changes: asked */
} E;

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void edited(void)
{
	E.edit_gen++;
	E.leave_armed = false;
	E.hits_due = mono_ms() + HITS_DEBOUNCE_MS;
}

void rule_edit_start(struct app *app, const struct rule_fields *f)
{
	static const struct rule_fields blank = { .priority = "100", .active = true };
	const char *v[R_COUNT];

	if (!f)
		f = &blank;
	v[R_NAME] = f->name; v[R_OFFER] = f->offer; v[R_PRIORITY] = f->priority; v[R_TIERS] = f->tiers;
	v[R_SEGMENTS] = f->segments; v[R_AGE] = f->age; v[R_GENDER] = f->genders; v[R_MARITAL] = f->marital;
	v[R_HAS] = f->has; v[R_LACKS] = f->lacks; v[R_MIN_VALUE] = f->min_value; v[R_CHANNEL] = f->channels;
	v[R_FROM] = f->from; v[R_UNTIL] = f->until; v[R_ACTIVE] = "";
	memset(&E, 0, sizeof(E));
	for (int i = 0; i < R_COUNT; i++)
		lineedit_set(&E.e[i], v[i]);
	E.active = f->active;
	snprintf(E.orig, sizeof(E.orig), "%s", f == &blank ? "" : f->name);
	E.focus = f == &blank ? R_NAME : R_OFFER;
	edited();
	E.hits_due = 1;   /* at once */
	app_open(app, VIEW_RULE_EDIT, NULL);
}

static void fields(struct rule_fields *f)
{
	char *const dst[R_COUNT] = {
		f->name, f->offer, f->priority, f->tiers, f->segments, f->age, f->genders, f->marital, f->has,
		f->lacks, f->min_value, f->channels, f->from, f->until, NULL,
	};
	const size_t sz[R_COUNT] = {
		sizeof(f->name), sizeof(f->offer), sizeof(f->priority), sizeof(f->tiers), sizeof(f->segments),
		sizeof(f->age), sizeof(f->genders), sizeof(f->marital), sizeof(f->has), sizeof(f->lacks),
		sizeof(f->min_value), sizeof(f->channels), sizeof(f->from), sizeof(f->until), 0,
	};

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < R_COUNT; i++)
		if (dst[i])
			snprintf(dst[i], sz[i], "%s", E.e[i].text);
	f->active = E.active;
}

static void hits_done(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	E.hits_inflight = false;
	if (E.hits_gen != E.edit_gen)
		return;   /* typed meanwhile: the next ask is due */
	if (r->rc != 0) {
		E.hits_known = false;
		snprintf(E.hits_error, sizeof(E.hits_error), "%s", r->lost ? "connection lost" : r->error);
	} else {
		E.hits_known = true;
		E.hits = E.got_hits;
		E.hits_error[0] = '\0';
	}
	app->dirty = true;
}

static int edit_event(struct app *app, unsigned ev)
{
	long long now = mono_ms();
	struct rule_fields f;
	struct db_request rq;

	(void)ev;
	if (!E.hits_due)
		return 0;
	if (now < E.hits_due)
		return (int)(E.hits_due - now);
	if (E.hits_inflight || !gateway_up(app->gw))
		return HITS_DEBOUNCE_MS;
	fields(&f);
	if (!f.name[0] || !f.offer[0]) {
		E.hits_due = 0;
		E.hits_known = false;
		snprintf(E.hits_error, sizeof(E.hits_error), "a rule needs a name and an offer");
		app->dirty = true;
		return 0;
	}
	db_rule_hits_request(&rq, &f, E.orig);
	E.hits_due = 0;
	E.hits_gen = E.edit_gen;
	E.hits_inflight = true;
	if (gateway_send(app->gw, &rq, db_long_read, &E.got_hits, hits_done, app) < 0) {
		E.hits_inflight = false;
		E.hits_due = now + HITS_DEBOUNCE_MS;
	}
	return 0;
}

static void edit_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top;
	char line[512];

	snprintf(line, sizeof(line), "%s · Tab/Up/Down move · F10 saves · Esc leaves without saving",
		 E.orig[0] ? "Edit offer rule" : "New offer rule");
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	for (int i = 0; i < R_COUNT && y < top + height - 2; i++, y++) {
		bool focused = i == E.focus;
		int at;

		draw_text_pad(w, y, 1, 11, labels[i], focused ? STYLE_HEADING : STYLE_DIM);
		if (i == R_ACTIVE) {
			draw_text_pad(w, y, 12, 12, E.active ? "yes" : "no", focused ? STYLE_SELECTED : STYLE_NORMAL);
			draw_text(w, y, 26, cols - 27, hints[i], STYLE_DIM);
			continue;
		}
		at = lineedit_draw(&E.e[i], w, y, 12, cols - 13 - 36, focused);
		draw_text(w, y, cols - 36, 35, hints[i], STYLE_DIM);
		if (focused)
			app_cursor(app, y, at);
	}
	y++;
	if (E.hits_error[0])
		snprintf(line, sizeof(line), "Cannot count: %s", E.hits_error);
	else if (!E.hits_known || E.hits_due || E.hits_inflight)
		snprintf(line, sizeof(line), "Would reach … customers (counting)");
	else
		snprintf(line, sizeof(line), "Would reach %ld customer%s today (any channel)", E.hits,
			 E.hits == 1 ? "" : "s");
	draw_text_pad(w, y, 1, cols - 2, line, E.hits_error[0] ? STYLE_WARN : STYLE_GOOD);
}

static void saved(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	E.saving = false;
	if (r->rc != 0) {
		app_message(app, "Not saved: %s", r->lost ? "the connection was lost" : r->error);
		return;
	}
	rules_stale();
	app_message(app, "Rule \"%.60s\" saved: it reaches %ld customer%s; the next pop uses it.", E.e[R_NAME].text,
		    E.saved_hits, E.saved_hits == 1 ? "" : "s");
	if (nav_current(&app->nav) == VIEW_RULE_EDIT)
		app_open(app, VIEW_RULES, NULL);
}

static void save(struct app *app)
{
	struct rule_fields f;
	struct db_request rq;

	if (E.saving)
		return;
	fields(&f);
	if (!f.name[0] || !f.offer[0]) {
		app_message(app, "A rule needs a name and an offer.");
		return;
	}
	db_rule_save_request(&rq, &f, E.orig);
	E.saving = true;
	if (gateway_send(app->gw, &rq, db_long_read, &E.saved_hits, saved, app) < 0) {
		E.saving = false;
		app_message(app, "The database is not reachable: not saved.");
	}
}

static int edit_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_NEXT_FIELD:
	case ACTION_DOWN:
	case ACTION_OPEN:
		E.focus = (E.focus + 1) % R_COUNT;
		break;
	case ACTION_PREV_FIELD:
	case ACTION_UP:
		E.focus = (E.focus + R_COUNT - 1) % R_COUNT;
		break;
	case ACTION_SAVE: save(app); break;
	default: return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int edit_key(struct app *app, int key)
{
	(void)app;
	if (E.focus == R_ACTIVE) {
		if (key != ' ' && key != KEYC_LEFT && key != KEYC_RIGHT)
			return VIEW_UNHANDLED;
		E.active = !E.active;
	} else if (!lineedit_key(&E.e[E.focus], key)) {
		return VIEW_UNHANDLED;
	}
	edited();
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* edit_gen is 1 right after rule_edit_start: more means something changed. */
static int edit_back(struct app *app)
{
	if (E.edit_gen <= 1 || E.saving || E.leave_armed)
		return VIEW_UNHANDLED;
	E.leave_armed = true;
	app_message(app, "The rule has unsaved changes: F10 saves, Esc again leaves without saving.");
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_rule_edit = {
	.title = "Offer rule",
	.context = KEYCTX_GENERIC,
	.takes_text = true,
	.event = edit_event,
	.draw = edit_draw,
	.action = edit_action,
	.key = edit_key,
	.back = edit_back,
};
