/* desk_identity.c - one customer per person at the desk: the unknown
 * caller's number linked to the customer the agent found, the possible
 * duplicates of the customer on screen, the other of a pair side by side,
 * and a supervisor's merge (sql/repeatable/22_identity.sql decides who may). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "ccterm/identity.h"
#include "ccterm/phone.h"
#include "desk.h"
#include "desk_priv.h"

static void duplicates_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	/* Only for the customer still on screen; a refusal says nothing (a look, not an action). */
	if (r->rc == 0 && d->has_customer && d->pop.h.id == a->id) {
		d->dups = *(struct duplicate_reply *)a->buf;
		d->dups_of = a->id;
		d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
}

void desk_read_duplicates(struct desk *d)
{
	struct db_request rq;
	struct ask *a;

	d->dups.n = 0;
	d->dups_of = 0;
	d->has_compare = false;
	if (!d->has_customer || !d->pop.h.id)
		return;
	a = desk_ask_new(d, sizeof(struct duplicate_reply));
	if (!a)
		return;
	a->id = d->pop.h.id;
	db_duplicates_of_request(&rq, a->id);
	desk_ask_send(d, &rq, db_duplicates_of_read, a->buf, duplicates_done, a);
}

void desk_ask_link(struct desk *d, long long customer_id, bool unknown_caller)
{
	d->link_customer = unknown_caller && d->has_call && d->call.ani_e164[0] ? customer_id : 0;
}

static void linked_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	char num[64];

	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else {
		phone_format(a->key, num, sizeof(num));
		if (d->has_call && strcmp(d->call.ani_e164, a->key) == 0)
			d->call.customer_id = a->id;
		desk_say(d, _("%s is now %s's number: their next call pops them."), num,
			 d->has_customer && d->pop.h.id == a->id ? d->pop.h.name : "");
		desk_read_duplicates(d);
	}
	desk_ask_free(a);
}

void desk_link_caller(struct desk *d, bool link)
{
	struct db_request rq;
	struct ask *a;
	long long id = d->link_customer;

	d->link_customer = 0;
	d->events |= DESK_CHANGED;
	if (!link || !id || !d->has_call || !d->call.ani_e164[0])
		return;
	a = desk_ask_new(d, sizeof(long long));
	if (!a)
		return;
	a->id = id;
	snprintf(a->key, sizeof(a->key), "%s", d->call.ani_e164);
	db_contact_link_request(&rq, id, "phone", d->call.ani_e164);
	desk_ask_send(d, &rq, db_id_read, a->buf, linked_done, a);
}

static void compare_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else {
		d->compare = ((struct pop_reply *)a->buf)->pop;
		d->has_compare = true;
		d->events |= DESK_CHANGED;
	}
	desk_ask_free(a);
}

void desk_open_compare(struct desk *d, long long other_id)
{
	struct db_request rq;
	struct ask *a = desk_ask_new(d, sizeof(struct pop_reply));

	d->has_compare = false;
	if (!a)
		return;
	a->id = other_id;
	db_pop_customer_request(&rq, other_id);
	desk_ask_send(d, &rq, db_pop_read, a->buf, compare_done, a);
}

static void merged_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	long long keep = a->id, drop = 0;

	d->merging = false;
	sscanf(a->key, "%lld", &drop);
	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else {
		desk_say(d, _("Customer #%lld merged into #%lld (merge %lld; ccterm-admin unmerge %lld undoes it)."), drop,
			 keep, *(long long *)a->buf, drop);
		d->has_compare = false;
		d->dups.n = 0;
		if (d->draft_open && d->draft.customer_id == drop) {
			char id[32];

			snprintf(id, sizeof(id), "%lld", keep);
			desk_draft_set(d, "customer_id", id);
		}
		desk_open_customer(d, keep);
	}
	desk_ask_free(a);
}

void desk_merge(struct desk *d, long long keep, long long drop)
{
	struct db_request rq;
	struct ask *a;

	if (d->merging || keep == drop || !keep || !drop)
		return;
	a = desk_ask_new(d, sizeof(long long));
	if (!a)
		return;
	a->id = keep;
	snprintf(a->key, sizeof(a->key), "%lld", drop);
	d->merging = true;
	db_customer_merge_request(&rq, keep, drop);
	if (desk_ask_send(d, &rq, db_id_read, a->buf, merged_done, a) < 0)
		d->merging = false;
}
