/* check_pop_seal.c - opening a sealed pop (pop_seal.c) and reading its
 * plaintext (pop_plain.c). The vector was sealed with the openssl command
 * line (enc -aes-256-cbc, dgst -mac HMAC); check_pop_seal in
 * tests/integration opens what pgcrypto seals in the database. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/pop_seal.h"
#include "suites.h"

static const unsigned char key[POP_KEY_LEN + 1] = "ccterm unit test key: 64 bytes, first half AES, second half HMAC.";
static const char sealed[] =
	"AAECAwQFBgcICQoLDA0OD/maPHfsT3W4rbS97EHcvU2yZLZFQRdTZviJng8D2E6ufBOBhCAm7YsbQiLhPbQL1YAeTvrxw7EJePug"
	"Pon739YYmXH1YujOXTg1LD2vxmFn";
static const char plaintext[] = "ccpop1 42 7 1764612345 0\n4:call2:423:abc-";

START_TEST(a_seal_opens_with_its_key)
{
	char *plain;
	size_t len;

	ck_assert_int_eq(pop_unseal(key, sealed, &plain, &len), 0);
	ck_assert_uint_eq(len, strlen(plaintext));
	ck_assert_str_eq(plain, plaintext);
	free(plain);
}
END_TEST

/* base64 ends in "==" or "=" when the seal's length is not a multiple of 3
 * (one and two ciphertext blocks); padding anywhere else is refused. */
START_TEST(a_padded_seal_opens_too)
{
	static const char one[] = "AAECAwQFBgcICQoLDA0OD4qTFaxIGF60U+8GTjQOXT0xJGcLd0iQENPYG91LT+qIMoKXtw2pI79iZm9Zv6Zgnw==";
	static const char two[] = "AAECAwQFBgcICQoLDA0OD5ZxZvpRz4QXyZRsKWQiZ45jmcPuu1cUzqq1eQcXrXO2RSM59WZfwPOq8P+aHpBpJPgE"
				  "QPlUmbNGfCcu0WRTYg8=";
	char bad[sizeof(two)];
	char *plain;
	size_t len;

	ck_assert_int_eq(pop_unseal(key, one, &plain, &len), 0);
	ck_assert_str_eq(plain, "ccpop1 1 9 0 0\n");
	free(plain);
	ck_assert_int_eq(pop_unseal(key, two, &plain, &len), 0);
	ck_assert_str_eq(plain, "ccpop1 42 8 1764612345 0\n");
	free(plain);
	memcpy(bad, two, sizeof(two));
	bad[8] = '=';
	ck_assert_int_eq(pop_unseal(key, bad, &plain, &len), -1);
	bad[8] = two[8];
	bad[sizeof(two) - 2] = '\0';   /* one character short */
	ck_assert_int_eq(pop_unseal(key, bad, &plain, &len), -1);
}
END_TEST

START_TEST(any_change_and_any_other_key_are_refused)
{
	unsigned char other[POP_KEY_LEN];
	char bad[sizeof(sealed)];
	char *plain = (char *)1;
	size_t len;

	/* every character changed in turn: IV, ciphertext and MAC all count */
	for (size_t i = 0; i < strlen(sealed); i++) {
		memcpy(bad, sealed, sizeof(sealed));
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		ck_assert_msg(pop_unseal(key, bad, &plain, &len) == -1, "changed at %zu", i);
		ck_assert_ptr_null(plain);
	}
	/* either half of the key */
	for (size_t i = 0; i < POP_KEY_LEN; i += 32) {
		memcpy(other, key, sizeof(other));
		other[i + 5] ^= 1;
		ck_assert_int_eq(pop_unseal(other, sealed, &plain, &len), -1);
	}
	/* cut, empty, not base64, no seal at all */
	memcpy(bad, sealed, sizeof(sealed));
	bad[strlen(sealed) - 4] = '\0';
	ck_assert_int_eq(pop_unseal(key, bad, &plain, &len), -1);
	ck_assert_int_eq(pop_unseal(key, "", &plain, &len), -1);
	ck_assert_int_eq(pop_unseal(key, "not base64 at all!", &plain, &len), -1);
	ck_assert_int_eq(pop_unseal(key, "QUJD", &plain, &len), -1);
	ck_assert_int_eq(pop_unseal(key, NULL, &plain, &len), -1);
}
END_TEST

struct fields {
	int n;
	int row[40], col[40];
	char value[40][16];
	bool null[40];
};

static int keep(void *arg, int row, int col, const char *value, size_t len)
{
	struct fields *f = arg;

	if (f->n == 40)
		return -1;
	f->row[f->n] = row;
	f->col[f->n] = col;
	f->null[f->n] = value == NULL;
	snprintf(f->value[f->n], sizeof(f->value[0]), "%.*s", (int)len, value ? value : "");
	f->n++;
	return 0;
}

START_TEST(the_plaintext_reads_rows_of_thirteen_fields)
{
	/* a call row, then a header whose name is Korean (octets, not characters) */
	const char *text = "ccpop1 42 7 1764612345 1\n"
			   "4:call2:4210:0105550100-----0:----"
			   "6:header1:9-9:김지아---------";
	struct pop_plain_head head;
	struct fields f = { 0 };

	ck_assert_int_eq(pop_plain_parse(text, strlen(text), &head, keep, &f), 2);
	ck_assert_int_eq(head.call_id, 42);
	ck_assert_int_eq(head.seq, 7);
	ck_assert_int_eq(head.at, 1764612345);
	ck_assert(head.more);
	ck_assert_int_eq(f.n, 26);
	ck_assert_str_eq(f.value[0], "call");
	ck_assert_str_eq(f.value[2], "0105550100");
	ck_assert(f.null[3] && !f.null[8]);
	ck_assert_str_eq(f.value[8], "");
	ck_assert_int_eq(f.row[13], 1);
	ck_assert_int_eq(f.col[13], 0);
	ck_assert_str_eq(f.value[16], "김지아");
	ck_assert_int_eq(f.col[16], 3);
}
END_TEST

START_TEST(a_cut_or_odd_plaintext_is_refused)
{
	static const char *const bad[] = {
		"",
		"ccpop1 42 7 1764612345 0",                   /* no end of head */
		"ccpop2 42 7 1764612345 0\n",                 /* another format */
		"ccpop1 0 7 1764612345 0\n",                  /* no call */
		"ccpop1 42 7 1764612345 2\n",                 /* more is 0 or 1 */
		"ccpop1 42 x 1764612345 0\n",
		"ccpop1 42 7 1764612345 0\n4:call---",        /* a row short */
		"ccpop1 42 7 1764612345 0\n9:call",           /* a field longer than the rest */
		"ccpop1 42 7 1764612345 0\n4call",            /* no colon */
		"ccpop1 42 7 1764612345 0\n99999999999999999999:x",
	};
	struct pop_plain_head head;
	struct fields f;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0, sizeof(f));
		ck_assert_msg(pop_plain_parse(bad[i], strlen(bad[i]), &head, keep, &f) == -1, "accepted: %s", bad[i]);
	}
	/* a head alone is a plaintext of no rows */
	ck_assert_int_eq(pop_plain_parse("ccpop1 42 7 1764612345 0\n", 25, &head, keep, &f), 0);
}
END_TEST

Suite *pop_seal_suite(void)
{
	Suite *s = suite_create("pop_seal");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, a_seal_opens_with_its_key);
	tcase_add_test(tc, a_padded_seal_opens_too);
	tcase_add_test(tc, any_change_and_any_other_key_are_refused);
	tcase_add_test(tc, the_plaintext_reads_rows_of_thirteen_fields);
	tcase_add_test(tc, a_cut_or_odd_plaintext_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
