/* check_csv.c - the CSV reader on good, odd and broken files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/csv.h"
#include "suites.h"

static FILE *fp;
static struct csv_reader *rd;
static struct csv_record rec;

/* Opens len bytes of text as the file to read. */
static void open_bytes(const char *text, size_t len)
{
	fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	rewind(fp);
	rd = csv_reader_new(fp);
	ck_assert_ptr_nonnull(rd);
}

static void open_text(const char *text)
{
	open_bytes(text, strlen(text));
}

static void teardown(void)
{
	csv_reader_free(rd);
	rd = NULL;
	if (fp)
		fclose(fp);
	fp = NULL;
}

/* The next record must be the fields in want (NULL-terminated), on line. */
static void expect_record(long line, const char *const *want)
{
	size_t n = 0;
	int rc = csv_next(rd, &rec);

	ck_assert_msg(rc == 1, "csv_next returned %d (%s)", rc, csv_error(rd));
	while (want[n])
		n++;
	ck_assert_uint_eq(rec.nfields, n);
	ck_assert_int_eq(rec.line, line);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(rec.fields[i], want[i]);
}

#define EXPECT(line, ...) expect_record(line, (const char *const[]){ __VA_ARGS__, NULL })

static void expect_end(void)
{
	ck_assert_int_eq(csv_next(rd, &rec), 0);
	ck_assert_int_eq(csv_next(rd, &rec), 0);       /* and it stays at the end */
}

START_TEST(test_simple)
{
	open_text("a,b,c\n1,2,3\n");
	EXPECT(1, "a", "b", "c");
	EXPECT(2, "1", "2", "3");
	expect_end();
}
END_TEST

START_TEST(test_quoted)
{
	open_text("\"x,y\",\"say \"\"hi\"\"\",\"line1\nline2\",plain\nnext\n");
	EXPECT(1, "x,y", "say \"hi\"", "line1\nline2", "plain");
	EXPECT(3, "next");
	expect_end();
}
END_TEST

START_TEST(test_crlf)
{
	open_text("a,b\r\n\"multi\r\nline\",d\r\nlast\r\n");
	EXPECT(1, "a", "b");
	EXPECT(2, "multi\nline", "d");     /* CRLF inside a field becomes LF */
	EXPECT(4, "last");
	expect_end();
}
END_TEST

START_TEST(test_no_final_newline)
{
	open_text("a,b\nc,\"d\"");
	EXPECT(1, "a", "b");
	EXPECT(2, "c", "d");
	expect_end();
}
END_TEST

START_TEST(test_bom)
{
	open_text("\xEF\xBB\xBFname,phone\n");
	EXPECT(1, "name", "phone");
	expect_end();
}
END_TEST

START_TEST(test_almost_bom)
{
	/* The start of a BOM that is not one stays data. */
	open_text("\xEF\xBBx,y\n");
	EXPECT(1, "\xEF\xBBx", "y");
	expect_end();
	teardown();
	open_text("\xEF");
	EXPECT(1, "\xEF");
	expect_end();
}
END_TEST

START_TEST(test_blank_lines)
{
	open_text("\n\na\n\r\n\nb\n\n");
	EXPECT(3, "a");
	EXPECT(6, "b");
	expect_end();
}
END_TEST

START_TEST(test_empty_fields)
{
	open_text(",,\na,\n\"\"\n\"\",\"\"\n");
	EXPECT(1, "", "", "");
	EXPECT(2, "a", "");
	EXPECT(3, "");
	EXPECT(4, "", "");
	expect_end();
}
END_TEST

START_TEST(test_empty_input)
{
	open_text("");
	expect_end();
	teardown();
	open_text("\n\r\n\n");
	expect_end();
}
END_TEST

START_TEST(test_quote_in_unquoted_field)
{
	open_text("5'11\",ab\"c\n");
	EXPECT(1, "5'11\"", "ab\"c");
	expect_end();
}
END_TEST

START_TEST(test_text_after_closing_quote)
{
	open_text("ok,1\n\"ab\"c,d\nx,y\n");
	EXPECT(1, "ok", "1");
	ck_assert_int_eq(csv_next(rd, &rec), -1);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_ptr_nonnull(strstr(csv_error(rd), "closing quote"));
	EXPECT(3, "x", "y");      /* reading goes on with the next line */
	ck_assert_str_eq(csv_error(rd), "");
	expect_end();
}
END_TEST

START_TEST(test_unterminated_quote_recovers)
{
	open_text("h1,h2\na,\"bad\nx,y\nz\n");
	EXPECT(1, "h1", "h2");
	ck_assert_int_eq(csv_next(rd, &rec), -1);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_ptr_nonnull(strstr(csv_error(rd), "unterminated"));
	/* one stray quote costs its own line, not the rest of the file */
	EXPECT(3, "x", "y");
	EXPECT(4, "z");
	expect_end();
}
END_TEST

/* A stray quote that a later line's quote "closes", with text after it: the
 * lines in between are records of their own, not swallowed with the error. */
START_TEST(test_stray_quote_closed_later_recovers)
{
	open_text("h1,h2\nP-8,\"bad,1\nP-9,x\nP-10,\"-1,500\",z\nlast,1\n");
	EXPECT(1, "h1", "h2");
	ck_assert_int_eq(csv_next(rd, &rec), -1);
	ck_assert_int_eq(rec.line, 2);
	EXPECT(3, "P-9", "x");
	EXPECT(4, "P-10", "-1,500", "z");
	EXPECT(5, "last", "1");
	expect_end();
}
END_TEST

/* A NUL would end the field as a C string: the record is refused, not cut. */
START_TEST(test_nul_byte_refused)
{
	open_bytes("a,b\nkim,x\0y\n\"q\0\nz\",2\nc,d\n", 25);
	EXPECT(1, "a", "b");
	ck_assert_int_eq(csv_next(rd, &rec), -1);
	ck_assert_int_eq(rec.line, 2);
	ck_assert_ptr_nonnull(strstr(csv_error(rd), "NUL byte"));
	ck_assert_int_eq(csv_next(rd, &rec), -1);      /* quoted, across lines */
	ck_assert_int_eq(rec.line, 3);
	ck_assert_ptr_nonnull(strstr(csv_error(rd), "NUL byte"));
	EXPECT(5, "c", "d");
	expect_end();
}
END_TEST

START_TEST(test_unterminated_last_line)
{
	open_text("a\n\"never closed");
	EXPECT(1, "a");
	ck_assert_int_eq(csv_next(rd, &rec), -1);
	ck_assert_int_eq(rec.line, 2);
	expect_end();
}
END_TEST

START_TEST(test_long_field)
{
	size_t big = 1024 * 1024;
	char *text = malloc(big + 16);
	size_t n = 0;

	ck_assert_ptr_nonnull(text);
	text[n++] = '"';
	for (size_t i = 0; i < big; i++)
		text[n++] = (char)('a' + i % 26);
	memcpy(text + n, "\",tail\nz\n", 9);
	n += 9;
	open_bytes(text, n);
	ck_assert_int_eq(csv_next(rd, &rec), 1);
	ck_assert_uint_eq(rec.nfields, 2);
	ck_assert_uint_eq(strlen(rec.fields[0]), big);
	ck_assert_int_eq(memcmp(rec.fields[0], text + 1, big), 0);
	ck_assert_str_eq(rec.fields[1], "tail");
	EXPECT(2, "z");
	expect_end();
	free(text);
}
END_TEST

START_TEST(test_many_fields)
{
	char text[4000];
	size_t n = 0;

	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d", i ? "," : "", i % 10);
	open_text(text);
	ck_assert_int_eq(csv_next(rd, &rec), 1);
	ck_assert_uint_eq(rec.nfields, 1000);
	ck_assert_str_eq(rec.fields[0], "0");
	ck_assert_str_eq(rec.fields[999], "9");
	expect_end();
}
END_TEST

START_TEST(test_korean_text)
{
	open_text("홍길동,\"서울시 중구, 1층\",010-1234-5678\n");
	EXPECT(1, "홍길동", "서울시 중구, 1층", "010-1234-5678");
	expect_end();
}
END_TEST

/* The progress line's total: a file's lines, a last one without a newline
 * too; nothing for what is not a regular file. */
START_TEST(test_lines_in_file)
{
	char path[] = "/tmp/ccterm-csv-lines-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	ck_assert_ptr_nonnull(f);
	fputs("a,b\n1,2\n3,4", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(csv_lines_in_file(path), 3);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(csv_lines_in_file(path), 3);
	unlink(path);
	ck_assert_int_eq(csv_lines_in_file(path), 0);
	ck_assert_int_eq(csv_lines_in_file("/dev/null"), 0);
	ck_assert_int_eq(csv_lines_in_file("/tmp"), 0);
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("read");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_simple);
	tcase_add_test(tc, test_lines_in_file);
	tcase_add_test(tc, test_quoted);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_almost_bom);
	tcase_add_test(tc, test_blank_lines);
	tcase_add_test(tc, test_empty_fields);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_quote_in_unquoted_field);
	tcase_add_test(tc, test_korean_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_text_after_closing_quote);
	tcase_add_test(tc, test_unterminated_quote_recovers);
	tcase_add_test(tc, test_stray_quote_closed_later_recovers);
	tcase_add_test(tc, test_unterminated_last_line);
	tcase_add_test(tc, test_nul_byte_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_long_field);
	tcase_add_test(tc, test_many_fields);
	suite_add_tcase(s, tc);
	return s;
}
