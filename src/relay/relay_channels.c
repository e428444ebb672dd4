/* relay_channels.c - the channels the relay knows, by name: a growing array
 * with an open-addressing index. A channel once known stays (and stays
 * LISTENed): there are about as many as agents and queues. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relayd.h"

static struct channel *chans;
static int nchans, capchans;
static int *index_of;           /* -1: empty */
static size_t index_size;       /* a power of two, > 2 * nchans */

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static int index_grow(void)
{
	size_t size = index_size ? index_size * 2 : 256;
	int *ix = malloc(size * sizeof(*ix));

	if (!ix)
		return -1;
	for (size_t i = 0; i < size; i++)
		ix[i] = -1;
	for (int c = 0; c < nchans; c++) {
		size_t h = hash(chans[c].name) & (size - 1);

		while (ix[h] >= 0)
			h = (h + 1) & (size - 1);
		ix[h] = c;
	}
	free(index_of);
	index_of = ix;
	index_size = size;
	return 0;
}

int chan_find(const char *name, bool make)
{
	size_t h;

	if (!index_size && index_grow() < 0)
		return -1;
	for (h = hash(name) & (index_size - 1); index_of[h] >= 0; h = (h + 1) & (index_size - 1))
		if (strcmp(chans[index_of[h]].name, name) == 0)
			return index_of[h];
	if (!make || strlen(name) > RELAY_CHANNEL_MAX)
		return -1;
	if ((size_t)(nchans + 1) * 2 >= index_size) {
		if (index_grow() < 0)
			return -1;
		for (h = hash(name) & (index_size - 1); index_of[h] >= 0; h = (h + 1) & (index_size - 1))
			;
	}
	if (nchans == capchans) {
		int cap = capchans ? capchans * 2 : 128;
		struct channel *nc = realloc(chans, (size_t)cap * sizeof(*nc));

		if (!nc)
			return -1;
		chans = nc;
		capchans = cap;
	}
	memset(&chans[nchans], 0, sizeof(chans[nchans]));
	strcpy(chans[nchans].name, name);
	index_of[h] = nchans;
	return nchans++;
}

struct channel *chan_at(int i)
{
	return i >= 0 && i < nchans ? &chans[i] : NULL;
}

int chan_count(void)
{
	return nchans;
}

void chan_free_all(void)
{
	free(chans);
	free(index_of);
	chans = NULL;
	index_of = NULL;
	nchans = capchans = 0;
	index_size = 0;
}
