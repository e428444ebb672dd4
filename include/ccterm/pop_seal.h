/* pop_seal.h - the pop sealed into the offer's NOTIFY (pure, no libpq).
 *
 * An offer to an agent whose pop was prepared carries the pop itself, so
 * the console draws it without a round trip (sql/repeatable/33_pop_seal.sql):
 *   "call <id> offered pop <console session id> <sealed>"
 * NOTIFY has no access control: any login may LISTEN on agent_<login> or
 * NOTIFY on it. So the pop is sealed with the key of one console session,
 * which only that console (console_session_key()) and the database know:
 *   sealed = base64(iv[16] || AES-256-CBC(plaintext, PKCS#7) || HMAC-SHA256(iv || ct))
 * with the first 32 bytes of the key to encrypt and the last 32 to MAC.
 * The MAC is checked before anything is decrypted: a forged or altered
 * payload is refused whole, and the console reads the pop as before.
 *
 * The plaintext: "ccpop1 <call id> <seq> <at> <more>\n" then screen_pop's
 * rows, 13 fields a row, each "-" (NULL) or "<octets>:<bytes>". seq rises
 * with every seal (a replay is not above the last one taken), at is the
 * seal's time (epoch seconds), more says timeline rows were left out to fit
 * NOTIFY's 8000 bytes. */
#ifndef CCTERM_POP_SEAL_H
#define CCTERM_POP_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#define POP_KEY_LEN 64
#define POP_SEAL_COLUMNS 13

/* Checks and opens a sealed payload: 0 and *plain (malloc'd, NUL-ended,
 * *len bytes without the NUL), or -1 (not base64, wrong length, wrong MAC,
 * bad padding) with nothing allocated. */
int pop_unseal(const unsigned char key[POP_KEY_LEN], const char *sealed, char **plain, size_t *len);

struct pop_plain_head {
	long long call_id;
	long long seq;
	long long at;     /* epoch seconds */
	bool more;        /* timeline rows were left out */
};

/* Called for each field in order; value NULL for SQL NULL (else value[len]
 * is not necessarily NUL). Nonzero stops the parse. */
typedef int (*pop_plain_field_fn)(void *arg, int row, int col, const char *value, size_t len);

/* Reads the head and the fields; the number of rows, or -1 when the text
 * is not a whole plaintext (a field cut, a row short of 13 fields, a bad
 * head, or the callback said stop). */
int pop_plain_parse(const char *plain, size_t len, struct pop_plain_head *head, pop_plain_field_fn field,
		    void *arg);

#endif
