/* check_i18n.c - translations kept by i18n_text (i18n.c): a kept answer is
 * the one gettext gives for that text, even when the text came from a
 * buffer that now says something else. */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "suites.h"

/* Korean from the build tree's catalogs (po/ko.po), as the console tests it. */
static void korean(void)
{
	setenv("LANG", "ko_KR.UTF-8", 1);
	setenv("LC_ALL", "ko_KR.UTF-8", 1);
	setenv("CCTERM_LOCALEDIR", "po/locale", 1);
	i18n_init();
}

START_TEST(a_word_from_a_buffer_is_translated_for_what_it_says_now)
{
	char word[16];

	korean();
	if (!setlocale(LC_MESSAGES, NULL) || strncmp(setlocale(LC_MESSAGES, NULL), "ko_KR", 5) != 0)
		ck_abort_msg("the locale ko_KR.UTF-8 is missing (scripts/deps makes it)");
	snprintf(word, sizeof(word), "phone");
	ck_assert_str_eq(i18n_word(word), "전화");
	ck_assert_str_eq(i18n_word(word), "전화");   /* kept */
	snprintf(word, sizeof(word), "email");
	ck_assert_str_eq(i18n_word(word), "이메일");
	snprintf(word, sizeof(word), "phone");
	ck_assert_str_eq(i18n_word(word), "전화");
}
END_TEST

START_TEST(an_untranslated_text_answers_itself)
{
	char a[32], b[32];

	korean();
	snprintf(a, sizeof(a), "no-such-word");
	snprintf(b, sizeof(b), "no-such-word");
	ck_assert_ptr_eq(i18n_word(a), a);
	ck_assert_ptr_eq(i18n_word(b), b);   /* the same text kept: still its own buffer */
	snprintf(a, sizeof(a), "changed");
	ck_assert_str_eq(i18n_word(b), "no-such-word");
	ck_assert_str_eq(i18n_word(""), "");
	ck_assert_str_eq(i18n_word(NULL), "");
}
END_TEST

START_TEST(many_texts_share_the_room)
{
	/* More texts than places kept: each still gets its own answer. */
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 1000; i++) {
			char word[32];

			snprintf(word, sizeof(word), "w%d", i);
			ck_assert_str_eq(i18n_text(word), word);
		}
	korean();
	ck_assert_str_eq(_("phone"), "전화");
}
END_TEST

Suite *i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("kept");

	tcase_add_test(tc, a_word_from_a_buffer_is_translated_for_what_it_says_now);
	tcase_add_test(tc, an_untranslated_text_answers_itself);
	tcase_add_test(tc, many_texts_share_the_room);
	suite_add_tcase(s, tc);
	return s;
}
