/* fuzz_mail.c - libFuzzer target: any bytes as an mbox to the mailbox
 * reader, every message it gives to the GMime reader (mail_message_parse),
 * and the bytes as HTML to html_to_text. A parsed message has a From
 * address, a date and a bracketed Message-ID; its subject and body are
 * valid UTF-8 without NUL, the body within MAIL_BODY_MAX. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/html_text.h"
#include "ccterm/mail_message.h"
#include "ccterm/mailbox.h"
#include "ccterm/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *data, size_t len)
{
	struct mail_message m;
	char why[512];

	if (mail_message_parse(data, len, &m, why, sizeof(why)) < 0) {
		if (!why[0])
			abort();       /* a reject always says why */
		return;
	}
	if (!m.from || !strchr(m.from, '@') || !m.date || !m.subject || !m.to || !m.message_id ||
	    m.message_id[0] != '<' || m.message_id[strlen(m.message_id) - 1] != '>')
		abort();
	if (!utf8_valid(m.subject, strlen(m.subject)))
		abort();
	if (m.body && (!utf8_valid(m.body, strlen(m.body)) || strlen(m.body) > MAIL_BODY_MAX))
		abort();
	mail_message_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mailbox *mb;
	struct mailbox_msg msg;
	char err[512], why[512];
	char *text;
	FILE *fp;
	int got;

	/* the bytes as HTML: text comes out, valid UTF-8 when the input was */
	text = html_to_text((const char *)data, size);
	if (!text)
		return 0;
	if (utf8_valid((const char *)data, size) && !memchr(data, 0, size) && !utf8_valid(text, strlen(text)))
		abort();
	free(text);

	/* the bytes as one message, then as an mbox */
	check_message((const char *)data, size);
	if (size == 0 || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	if ((mb = mailbox_from_stream(fp, "fuzz", err, sizeof(err)))) {
		long last = 0;

		while ((got = mailbox_next(mb, &msg, why, sizeof(why))) != 0) {
			if (msg.recno != last + 1 || msg.len > size)
				abort();
			last = msg.recno;
			if (got > 0)
				check_message(msg.data, msg.len);
		}
		mailbox_close(mb);
	} else if (!err[0]) {
		abort();
	}
	fclose(fp);
	return 0;
}
