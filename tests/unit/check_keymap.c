/* check_keymap.c - key names, bindings, bind files, actions and embedded files. */
#include <stdio.h>
#include <string.h>

#include "ccterm/action.h"
#include "ccterm/embedded.h"
#include "ccterm/keymap.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct keymap *km;

/* Error messages from keymap_load_text, kept for the assertions. */
static char errors[8][256];
static int nerrors;

static void collect_error(void *arg, const char *message)
{
	int *calls = arg;

	(*calls)++;
	if (nerrors < (int)N(errors))
		snprintf(errors[nerrors++], sizeof(errors[0]), "%s", message);
}

static void setup(void)
{
	km = keymap_new();
	ck_assert_ptr_nonnull(km);
	nerrors = 0;
}

static void teardown(void)
{
	keymap_free(km);
	km = NULL;
}

START_TEST(test_parse_named)
{
	static const struct {
		const char *name;
		int key;
	} t[] = {
		{ "<F1>", KEYC_F(1) }, { "<F10>", KEYC_F(10) }, { "<F24>", KEYC_F(24) },
		{ "<C-a>", 1 }, { "<C-s>", 19 }, { "<C-S>", 19 }, { "<C-z>", 26 },
		{ "<Enter>", 13 }, { "<enter>", 13 }, { "<Esc>", 27 }, { "<Tab>", 9 },
		{ "<S-Tab>", KEYC_BTAB }, { "<BTab>", KEYC_BTAB }, { "<Backspace>", 127 },
		{ "<Up>", KEYC_UP }, { "<Down>", KEYC_DOWN }, { "<Left>", KEYC_LEFT },
		{ "<Right>", KEYC_RIGHT }, { "<Home>", KEYC_HOME }, { "<End>", KEYC_END },
		{ "<PgUp>", KEYC_PGUP }, { "<PgDn>", KEYC_PGDN }, { "<Insert>", KEYC_INSERT },
		{ "<Delete>", KEYC_DELETE }, { "<Space>", ' ' },
	};
	for (size_t i = 0; i < N(t); i++)
		ck_assert_msg(keymap_key_parse(t[i].name) == t[i].key, "%s -> %d, want %d", t[i].name,
			      keymap_key_parse(t[i].name), t[i].key);
}
END_TEST

START_TEST(test_parse_chars_and_errors)
{
	static const char *const bad[] = {
		"", "ab", "<Foo>", "<F0>", "<F25>", "<F01>", "<F1", "<C-1>", "<C-ab>", "<>",
		"\x01", "\x7F", "\xC2\x9B", "\xC0\xAF", "\xED\xA0\x80", "한국",
	};

	ck_assert_int_eq(keymap_key_parse("x"), 'x');
	ck_assert_int_eq(keymap_key_parse("Q"), 'Q');
	ck_assert_int_eq(keymap_key_parse("?"), '?');
	ck_assert_int_eq(keymap_key_parse("<"), '<');
	ck_assert_int_eq(keymap_key_parse(">"), '>');
	ck_assert_int_eq(keymap_key_parse("#"), '#');
	ck_assert_int_eq(keymap_key_parse("한"), 0xD55C);
	ck_assert_int_eq(keymap_key_parse("😀"), 0x1F600);
	ck_assert_int_eq(keymap_key_parse(NULL), -1);
	for (size_t i = 0; i < N(bad); i++)
		ck_assert_msg(keymap_key_parse(bad[i]) == -1, "'%s' parsed as %d", bad[i], keymap_key_parse(bad[i]));
}
END_TEST

START_TEST(test_name_roundtrip)
{
	char buf[32];
	static const int keys[] = { 'x', '<', '#', ' ', 9, 13, 27, 127, 0xD55C, 0x1F600,
				    KEYC_BTAB, KEYC_UP, KEYC_PGDN, KEYC_DELETE, KEYC_INSERT };

	for (int n = 1; n <= 24; n++)
		ck_assert_int_eq(keymap_key_parse(keymap_key_name(KEYC_F(n), buf, sizeof(buf))), KEYC_F(n));
	for (int c = 1; c <= 26; c++)
		ck_assert_int_eq(keymap_key_parse(keymap_key_name(c, buf, sizeof(buf))), c);
	for (size_t i = 0; i < N(keys); i++)
		ck_assert_int_eq(keymap_key_parse(keymap_key_name(keys[i], buf, sizeof(buf))), keys[i]);
	ck_assert_str_eq(keymap_key_name(KEYC_F(10), buf, sizeof(buf)), "<F10>");
	ck_assert_str_eq(keymap_key_name(19, buf, sizeof(buf)), "<C-s>");
	ck_assert_str_eq(keymap_key_name(9, buf, sizeof(buf)), "<Tab>");
	ck_assert_str_eq(keymap_key_name(' ', buf, sizeof(buf)), "<Space>");
	ck_assert_str_eq(keymap_key_name(KEYC_BTAB, buf, sizeof(buf)), "<S-Tab>");
	ck_assert_str_eq(keymap_key_name(0xD55C, buf, sizeof(buf)), "한");
	ck_assert_str_eq(keymap_key_name(0, buf, sizeof(buf)), "<U+0000>");
	ck_assert_str_eq(keymap_key_name(-5, buf, sizeof(buf)), "<?>");
}
END_TEST

START_TEST(test_lookup_context_then_generic)
{
	keymap_bind(km, KEYCTX_GENERIC, KEYC_F(1), ACTION_HELP);
	keymap_bind(km, KEYCTX_GENERIC, 'q', ACTION_QUIT);
	keymap_bind(km, KEYCTX_FORM, 'q', ACTION_NONE);        /* q is text in a form */
	keymap_bind(km, KEYCTX_FORM, 19, ACTION_SAVE);

	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, KEYC_F(1)), ACTION_HELP);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 'q'), ACTION_QUIT);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_FORM, 'q'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_FORM, 19), ACTION_SAVE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 19), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_GENERIC, 'z'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_COUNT, 'q'), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(NULL, KEYCTX_POP, 'q'), ACTION_NONE);
}
END_TEST

START_TEST(test_bind_replaces)
{
	int keys[4];

	keymap_bind(km, KEYCTX_POP, 'r', ACTION_REFRESH);
	keymap_bind(km, KEYCTX_POP, 'r', ACTION_TAKE_POP);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 'r'), ACTION_TAKE_POP);
	ck_assert_uint_eq(keymap_keys_for(km, KEYCTX_POP, ACTION_REFRESH, keys, N(keys)), 0);
	/* out-of-range arguments are ignored */
	keymap_bind(km, KEYCTX_COUNT, 'r', ACTION_QUIT);
	keymap_bind(km, KEYCTX_POP, -1, ACTION_QUIT);
	keymap_bind(km, KEYCTX_POP, 's', ACTION_COUNT);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 's'), ACTION_NONE);
}
END_TEST

START_TEST(test_load_good_file)
{
	int calls = 0;
	const char *text =
		"\xEF\xBB\xBF# ccterm keys\n"
		"\n"
		"bind generic <F1> help\n"
		"  bind generic <C-s> save   # trailing comment\r\n"
		"bind\tpop\t<Enter>\ttake-pop\n"
		"bind timeline 1 filter-phone\n"
		"bind generic # command\n"
		"bind search 한 search\n"
		"bind generic <F10> quit";         /* no final newline */

	ck_assert_int_eq(keymap_load_text(km, text, "default.keys", collect_error, &calls), 0);
	ck_assert_int_eq(calls, 0);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_WALLBOARD, KEYC_F(1)), ACTION_HELP);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_FORM, 19), ACTION_SAVE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 13), ACTION_TAKE_POP);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_TIMELINE, '1'), ACTION_FILTER_PHONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, '#'), ACTION_COMMAND);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_SEARCH, 0xD55C), ACTION_SEARCH);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, KEYC_F(10)), ACTION_QUIT);
}
END_TEST

START_TEST(test_load_errors_go_on)
{
	int calls = 0;
	const char *text =
		"bind generic <F2> save\n"
		"\n"
		"bind generic <F3> sav\n"
		"bind nowhere <F4> save\n"
		"bind generic <F99> save\n"
		"frobnicate generic <F5>\n"
		"bind generic <F6>\n"
		"bind generic <F7> save extra\n"
		"bind generic <F8> quit\n";

	ck_assert_int_eq(keymap_load_text(km, text, "my.keys", collect_error, &calls), 6);
	ck_assert_int_eq(calls, 6);
	ck_assert_str_eq(errors[0], "my.keys:3: unknown action 'sav'");
	ck_assert_str_eq(errors[1], "my.keys:4: unknown context 'nowhere'");
	ck_assert_str_eq(errors[2], "my.keys:5: unknown key '<F99>'");
	ck_assert_str_eq(errors[3], "my.keys:6: unknown command 'frobnicate' (bind or unbind)");
	ck_assert_str_eq(errors[4], "my.keys:7: bind takes a context, a key and an action");
	ck_assert_str_eq(errors[5], "my.keys:8: unexpected 'extra' after the action");
	/* good lines before and after the bad ones took effect, bad ones did not */
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_GENERIC, KEYC_F(2)), ACTION_SAVE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_GENERIC, KEYC_F(3)), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_GENERIC, KEYC_F(7)), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_GENERIC, KEYC_F(8)), ACTION_QUIT);
	/* without a callback the bad lines are still counted */
	ck_assert_int_eq(keymap_load_text(km, text, NULL, NULL, NULL), 6);
}
END_TEST

START_TEST(test_long_token_in_error)
{
	char text[600];
	int calls = 0;

	snprintf(text, sizeof(text), "bind generic x %0500d\n", 7);
	ck_assert_int_eq(keymap_load_text(km, text, "k", collect_error, &calls), 1);
	ck_assert_uint_lt(strlen(errors[0]), 80);      /* the word is cut in the message */
	ck_assert(strncmp(errors[0], "k:1: unknown action '0000", 25) == 0);
}
END_TEST

START_TEST(test_unbind)
{
	int calls = 0;
	const char *base =
		"bind generic <F5> refresh\n"
		"bind generic q quit\n"
		"bind pop <F6> wallboard\n";
	const char *user =
		"unbind generic q\n"
		"unbind form <F5>\n"
		"unbind pop <F6>\n"
		"unbind pop\n";

	ck_assert_int_eq(keymap_load_text(km, base, "base", collect_error, &calls), 0);
	ck_assert_int_eq(keymap_load_text(km, user, "user", collect_error, &calls), 1);
	ck_assert_str_eq(errors[0], "user:4: unbind takes a context and a key");
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, 'q'), ACTION_NONE);
	/* unbinding in a screen hides the generic binding there only */
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_FORM, KEYC_F(5)), ACTION_NONE);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, KEYC_F(5)), ACTION_REFRESH);
	ck_assert_int_eq(keymap_lookup(km, KEYCTX_POP, KEYC_F(6)), ACTION_NONE);
}
END_TEST

START_TEST(test_keys_for)
{
	int keys[8];
	size_t n;

	keymap_bind(km, KEYCTX_GENERIC, KEYC_F(2), ACTION_SAVE);
	keymap_bind(km, KEYCTX_GENERIC, 19, ACTION_SAVE);
	keymap_bind(km, KEYCTX_GENERIC, 'x', ACTION_SAVE);
	keymap_bind(km, KEYCTX_FORM, 'x', ACTION_NONE);        /* x is text in a form */
	keymap_bind(km, KEYCTX_FORM, KEYC_F(12), ACTION_SAVE);

	n = keymap_keys_for(km, KEYCTX_FORM, ACTION_SAVE, keys, N(keys));
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(keys[0], KEYC_F(12));      /* the screen's own keys first */
	ck_assert_int_eq(keys[1], KEYC_F(2));
	ck_assert_int_eq(keys[2], 19);
	ck_assert_uint_eq(keymap_keys_for(km, KEYCTX_GENERIC, ACTION_SAVE, keys, N(keys)), 3);
	ck_assert_uint_eq(keymap_keys_for(km, KEYCTX_FORM, ACTION_SAVE, keys, 2), 2);
	ck_assert_uint_eq(keymap_keys_for(km, KEYCTX_FORM, ACTION_QUIT, keys, N(keys)), 0);
	ck_assert_uint_eq(keymap_keys_for(km, KEYCTX_FORM, ACTION_NONE, keys, N(keys)), 0);
}
END_TEST

START_TEST(test_many_bindings)
{
	/* more bindings than the first allocation holds */
	for (int c = 0x4E00; c < 0x4E00 + 500; c++)
		keymap_bind(km, KEYCTX_PICKER, c, (enum action)(c % ACTION_COUNT));
	for (int c = 0x4E00; c < 0x4E00 + 500; c++)
		ck_assert_int_eq(keymap_lookup(km, KEYCTX_PICKER, c), c % ACTION_COUNT);
}
END_TEST

START_TEST(test_contexts)
{
	for (int c = 0; c < KEYCTX_COUNT; c++)
		ck_assert_int_eq(keyctx_by_name(keyctx_name((enum keyctx)c)), c);
	ck_assert_str_eq(keyctx_name(KEYCTX_GENERIC), "generic");
	ck_assert_str_eq(keyctx_name(KEYCTX_WALLBOARD), "wallboard");
	ck_assert_int_eq(keyctx_by_name("Generic"), -1);
	ck_assert_int_eq(keyctx_by_name(""), -1);
	ck_assert_int_eq(keyctx_by_name(NULL), -1);
}
END_TEST

START_TEST(test_actions_roundtrip)
{
	int ok = -1;

	for (int a = 0; a < ACTION_COUNT; a++) {
		const char *name = action_name((enum action)a);

		ok = -1;
		ck_assert_int_eq(action_by_name(name, &ok), a);
		ck_assert_int_eq(ok, 1);
		ck_assert_msg(strspn(name, "abcdefghijklmnopqrstuvwxyz-") == strlen(name),
			      "action name '%s' is not lower-case words", name);
		ck_assert_msg(action_help((enum action)a)[0] != '\0', "no help for %s", name);
	}
	ck_assert_str_eq(action_name(ACTION_SAVE), "save");
	ck_assert_str_eq(action_help(ACTION_QUIT), "Quit ccterm");
	ck_assert_int_eq(action_by_name("sav", &ok), ACTION_NONE);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(action_by_name("SAVE", &ok), ACTION_NONE);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(action_by_name(NULL, &ok), ACTION_NONE);
	ck_assert_int_eq(ok, 0);
	ck_assert_str_eq(action_name(ACTION_COUNT), "?");
}
END_TEST

START_TEST(test_embedded_find)
{
	static const struct embedded_file files[] = {
		{ "001_roles.sql", "create role x;\n" },
		{ "default.keys", "bind generic q quit\n" },
	};

	ck_assert_str_eq(embedded_find(files, N(files), "default.keys"), "bind generic q quit\n");
	ck_assert_str_eq(embedded_find(files, N(files), "001_roles.sql"), "create role x;\n");
	ck_assert_ptr_null(embedded_find(files, N(files), "vi.keys"));
	ck_assert_ptr_null(embedded_find(files, 1, "default.keys"));   /* n bounds the search */
	ck_assert_ptr_null(embedded_find(files, N(files), NULL));
	ck_assert_ptr_null(embedded_find(NULL, 0, "default.keys"));
}
END_TEST

Suite *keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_parse_named);
	tcase_add_test(tc, test_parse_chars_and_errors);
	tcase_add_test(tc, test_name_roundtrip);
	tcase_add_test(tc, test_contexts);
	suite_add_tcase(s, tc);

	tc = tcase_create("bindings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lookup_context_then_generic);
	tcase_add_test(tc, test_bind_replaces);
	tcase_add_test(tc, test_load_good_file);
	tcase_add_test(tc, test_load_errors_go_on);
	tcase_add_test(tc, test_long_token_in_error);
	tcase_add_test(tc, test_unbind);
	tcase_add_test(tc, test_keys_for);
	tcase_add_test(tc, test_many_bindings);
	suite_add_tcase(s, tc);

	tc = tcase_create("actions");
	tcase_add_test(tc, test_actions_roundtrip);
	tcase_add_test(tc, test_embedded_find);
	suite_add_tcase(s, tc);
	return s;
}
