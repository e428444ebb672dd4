/* desk_offer.c - the customer's offers on screen: which one is highlighted,
 * and what the customer said to it, recorded with offer_record(). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "ccterm/offers.h"
#include "desk_priv.h"

void desk_offer_next(struct desk *d)
{
	if (!d->has_customer || d->pop.noffers == 0) {
		desk_say(d, _("No offers for this customer."));
		return;
	}
	d->offer_sel = (d->offer_sel + 1) % d->pop.noffers;
	d->events |= DESK_CHANGED;
}

static void recorded(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (r->rc != 0) {
		desk_reply_error(d, r);
	} else if (d->has_customer && d->pop.h.id == a->id) {
		/* Still the same customer: the response shows beside the offer. */
		for (size_t i = 0; i < d->pop.noffers; i++)
			if (d->pop.offers[i].rule_id == (int)a->gen) {
				snprintf(d->pop.offers[i].response, sizeof(d->pop.offers[i].response), "%.15s", a->key);
				desk_say(d, _("Offer \"%s\": %s."), d->pop.offers[i].name, a->key);
			}
	}
	d->events |= DESK_CHANGED;
	desk_ask_free(a);
}

void desk_offer_record(struct desk *d, const char *response)
{
	const struct customer_offer *o;
	char rule[16], customer[24], call[24];
	struct db_request rq;
	struct ask *a;

	if (!d->has_customer || d->pop.noffers == 0) {
		desk_say(d, _("No offers for this customer."));
		return;
	}
	if (d->offer_sel >= d->pop.noffers)
		d->offer_sel = 0;
	o = &d->pop.offers[d->offer_sel];
	a = desk_ask_new(d, 0);
	if (!a)
		return;
	a->id = d->pop.h.id;
	a->gen = (unsigned)o->rule_id;
	snprintf(a->key, sizeof(a->key), "%s", response);
	snprintf(rule, sizeof(rule), "%d", o->rule_id);
	snprintf(customer, sizeof(customer), "%lld", d->pop.h.id);
	snprintf(call, sizeof(call), "%lld", d->call.id);
	db_offer_record_request(&rq, rule, customer,
				d->has_call && d->call.customer_id == d->pop.h.id ? call : NULL, response);
	desk_ask_send(d, &rq, NULL, NULL, recorded, a);
}
