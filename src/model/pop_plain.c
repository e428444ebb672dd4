/* pop_plain.c - the sealed pop's plaintext (pop_seal.h): a head line, then
 * screen_pop's rows as length-prefixed fields. Read from a NOTIFY, so
 * every length is checked against what is left. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/pop_seal.h"

#define PLAIN_MAGIC "ccpop1 "

/* A decimal of at most 18 digits at *p (before end), then sep. */
static int number(const char **p, const char *end, char sep, long long *out)
{
	long long v = 0;
	int digits = 0;

	while (*p < end && **p >= '0' && **p <= '9' && digits < 18) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (digits == 0 || *p >= end || **p != sep)
		return -1;
	(*p)++;
	*out = v;
	return 0;
}

int pop_plain_parse(const char *plain, size_t len, struct pop_plain_head *head, pop_plain_field_fn field,
		    void *arg)
{
	const char *p = plain, *end = plain + len;
	long long more, n;
	int col = 0, row = 0;

	memset(head, 0, sizeof(*head));
	if (!plain || len < strlen(PLAIN_MAGIC) || memcmp(p, PLAIN_MAGIC, strlen(PLAIN_MAGIC)) != 0)
		return -1;
	p += strlen(PLAIN_MAGIC);
	if (number(&p, end, ' ', &head->call_id) < 0 || number(&p, end, ' ', &head->seq) < 0 ||
	    number(&p, end, ' ', &head->at) < 0 || number(&p, end, '\n', &more) < 0 || more > 1 ||
	    head->call_id <= 0)
		return -1;
	head->more = more == 1;
	while (p < end) {
		const char *value = NULL;

		if (*p == '-') {
			p++;
			n = 0;
		} else {
			if (number(&p, end, ':', &n) < 0 || n > end - p)
				return -1;
			value = p;
			p += n;
		}
		if (field(arg, row, col, value, (size_t)n) != 0)
			return -1;
		if (++col == POP_SEAL_COLUMNS) {
			col = 0;
			row++;
		}
	}
	return col == 0 ? row : -1;
}
