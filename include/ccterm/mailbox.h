/* mailbox.h - the messages of an mbox file or a Maildir directory, one by
 * one, as raw bytes with where each came from. */
#ifndef CCTERM_MAILBOX_H
#define CCTERM_MAILBOX_H

#include <stddef.h>
#include <stdio.h>

/* Largest message read; a bigger one is rejected (the rest of the box goes on). */
#define MAILBOX_MESSAGE_MAX (32L * 1024 * 1024)

struct mailbox;

struct mailbox_msg {
	const char *data;     /* the message (mbox: "From " line removed, ">From " unquoted); owned by the box */
	size_t len;
	long recno;           /* 1-based message number */
	char where[4200];     /* "box.mbox:120" (the From line) or "Maildir/cur/NAME" */
	int truncated;        /* mbox: the file ends inside this message (no final newline) */
};

/* A directory with cur/ or new/ is a Maildir (messages in name order, new/
 * then cur/), anything else an mbox (its first line must be a From line).
 * NULL with err set when it is neither or cannot be read. */
struct mailbox *mailbox_open(const char *path, char *err, size_t errsz);
/* An mbox read from fp (not closed), named name in where. */
struct mailbox *mailbox_from_stream(FILE *fp, const char *name, char *err, size_t errsz);
void mailbox_close(struct mailbox *mb);

/* 1 with the next message in *m (valid until the next call), 0 at the end,
 * -1 for a message that cannot be read (too big, unreadable file): why says
 * it, m->where and m->recno say which, and the next call goes on. */
int mailbox_next(struct mailbox *mb, struct mailbox_msg *m, char *why, size_t whysz);

#endif
