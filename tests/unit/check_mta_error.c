/* check_mta_error.c - an MTA's refusal read as permanent, temporary or
 * unknown: the SMTP reply first (msmtp's own exit status for a 451 is 69,
 * which sysexits calls permanent), then the exit status, then the signal. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ccterm/mta_error.h"
#include "suites.h"

/* What msmtp 1.8 prints and exits with, as seen against an aiosmtpd sink. */
static const char msmtp_550[] =
	"msmtp: recipient address bad@example.com not accepted by the server\n"
	"msmtp: server message: 550 5.1.1 <bad@example.com>: no such user\n"
	"msmtp: could not send mail (account default from /tmp/x/msmtprc)\n";
static const char msmtp_451[] =
	"msmtp: recipient address slow@example.com not accepted by the server\n"
	"msmtp: server message: 451 4.3.0 try again later\n"
	"msmtp: could not send mail (account default from /tmp/x/msmtprc)\n";
static const char msmtp_refused[] =
	"msmtp: cannot connect to 127.0.0.1, port 2598: Connection refused\n"
	"msmtp: could not send mail (account default from /tmp/x/msmtprc)\n";

START_TEST(the_smtp_reply_decides_first)
{
	char reply[128];

	ck_assert_int_eq(mta_failure_of(true, 65, true, msmtp_550, reply, sizeof(reply)), MTA_PERMANENT);
	ck_assert_str_eq(reply, "550 5.1.1 <bad@example.com>: no such user");
	/* msmtp exits 69 (EX_UNAVAILABLE) for a 451: the server said "for now" */
	ck_assert_int_eq(mta_failure_of(true, 69, true, msmtp_451, reply, sizeof(reply)), MTA_TEMPORARY);
	ck_assert_str_eq(reply, "451 4.3.0 try again later");
	/* Postfix's and Exim's ways of quoting the server */
	ck_assert_int_eq(mta_failure_of(true, 75, true, "host mx.example.com said: 552 message too big (in reply to DATA)",
					reply, sizeof(reply)), MTA_PERMANENT);
	ck_assert_str_eq(reply, "552 message too big (in reply to DATA)");
	ck_assert_int_eq(mta_failure_of(true, 1, true, "SMTP error from remote mail server after RCPT TO:<a@b>: 421-4.7.0 slow down",
					reply, sizeof(reply)), MTA_TEMPORARY);
	/* even when killed afterwards: the server refused, nothing was delivered */
	ck_assert_int_eq(mta_failure_of(false, -1, true, msmtp_451, reply, sizeof(reply)), MTA_TEMPORARY);
}
END_TEST

START_TEST(numbers_that_are_not_replies_are_not_read_as_such)
{
	char reply[128];

	/* a port, an address, a size: no SMTP reply here, the exit status decides */
	ck_assert_int_eq(mta_failure_of(true, 75, false, msmtp_refused, reply, sizeof(reply)), MTA_TEMPORARY);
	ck_assert_str_eq(reply, "");
	ck_assert_int_eq(mta_failure_of(true, 75, true, "queue file 5512 of 451 bytes written to port 550", reply,
					sizeof(reply)), MTA_TEMPORARY);
	ck_assert_str_eq(reply, "");
	ck_assert_int_eq(mta_failure_of(true, 67, true, "user 550 unknown", reply, sizeof(reply)), MTA_PERMANENT);
	ck_assert_str_eq(reply, "");
	ck_assert_int_eq(mta_failure_of(true, 75, true, NULL, reply, sizeof(reply)), MTA_TEMPORARY);
}
END_TEST

START_TEST(sysexits_and_signals)
{
	static const int permanent[] = { 64, 65, 67, 68, 69, 77 };
	static const int temporary[] = { 1, 70, 71, 74, 75, 76, 78, 127 };
	char reply[8];

	for (size_t i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		ck_assert_msg(mta_failure_of(true, permanent[i], true, "", reply, sizeof(reply)) == MTA_PERMANENT, "%d",
			      permanent[i]);
	for (size_t i = 0; i < sizeof(temporary) / sizeof(temporary[0]); i++)
		ck_assert_msg(mta_failure_of(true, temporary[i], true, "", reply, sizeof(reply)) == MTA_TEMPORARY, "%d",
			      temporary[i]);
	/* a signal before it had the whole message: it cannot have sent it */
	ck_assert_int_eq(mta_failure_of(false, -1, false, "", reply, sizeof(reply)), MTA_TEMPORARY);
	/* after: it may have passed it on, so it is never resent by itself */
	ck_assert_int_eq(mta_failure_of(false, -1, true, "", reply, sizeof(reply)), MTA_UNKNOWN);
	ck_assert_str_eq(mta_failure_name(MTA_PERMANENT), "permanent");
	ck_assert_str_eq(mta_failure_name(MTA_TEMPORARY), "temporary");
	ck_assert_str_eq(mta_failure_name(MTA_UNKNOWN), "unknown");
	ck_assert_str_eq(mta_exit_meaning(67), "EX_NOUSER: addressee unknown");
	ck_assert_ptr_null(mta_exit_meaning(1));
}
END_TEST

Suite *mta_error_suite(void)
{
	Suite *s = suite_create("mta_error");
	TCase *tc = tcase_create("mta_error");

	tcase_add_test(tc, the_smtp_reply_decides_first);
	tcase_add_test(tc, numbers_that_are_not_replies_are_not_read_as_such);
	tcase_add_test(tc, sysexits_and_signals);
	suite_add_tcase(s, tc);
	return s;
}
