/* check_console.c - the agent's console in a real terminal: a call pops the
 * customer with history and tier, unknown and shared numbers, logging a
 * contact, and never losing it (SIGKILL, hangup, database restart). */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/format.h"
#include "console.h"

static void setup(void)
{
	console_setup();
	ck_assert_int_eq(db_exec(db, "insert into branch (code, name) values ('SEL', '서울 본점') "
				     "on conflict do nothing", 0, NULL), 0);
}

START_TEST(call_pops_customer_with_tier_and_history)
{
	struct vt *vt;

	testdb_agent(db, "cc_a1", "상담원 하나", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 120);
	console_sql("insert into cases (customer_id, subject, status, priority, owner_login, due_at) "
	    "select id, '배송 지연', 'open', 'high', 'kim', now() + interval '2 hours' from customer");
	vt = console("cc_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821012345678", "cc_a1");
	/* The offer arrives by NOTIFY: the pop opens the contact form on its own. */
	VT_ASSERT_WAIT(vt, "홍길동 [platinum]", 3000);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 1000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	VT_ASSERT_WAIT(vt, "PLATINUM", 2000);
	VT_ASSERT_WAIT(vt, "010-1234-5678", 1000);
	/* The value shown is the one the database computed from the record. */
	ck_assert_int_gt(value("select value_won from customer_metrics"), 0);
	{
		char money[32];

		fmt_money(value("select value_won from customer_metrics"), money, sizeof(money));
		VT_ASSERT_WAIT(vt, money, 1000);
	}
	/* A platinum customer's open complaint is the VIP warning. */
	VT_ASSERT_WAIT(vt, "! VIP complaint", 1000);
	VT_ASSERT_WAIT(vt, "Case #", 1000);
	VT_ASSERT_WAIT(vt, "History (120)", 1000);
	VT_ASSERT_WAIT(vt, "Item 1 ", 1000);
	/* Filters by single keys: complaints only. */
	ck_assert_int_eq(vt_type(vt, "C"), 0);
	VT_ASSERT_WAIT(vt, "only complaint", 2000);
	VT_ASSERT_WAIT(vt, "Item 7 ", 1000);
	VT_ASSERT_GONE(vt, "Item 1 ", 1000);
	/* Scrolling pages in older items by keyset: the oldest complaint is 119. */
	ck_assert_int_eq(vt_type(vt, "a"), 0);
	VT_ASSERT_WAIT(vt, "all channels", 2000);
	for (int i = 0; i < 12; i++)
		ck_assert_int_eq(vt_type(vt, "<PgDn>"), 0);
	VT_ASSERT_WAIT(vt, "Item 120 ", 3000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	/* The item opens in full: its own screen, with the time to the second. */
	VT_ASSERT_WAIT(vt, "ccterm │ Interaction", 2000);
	VT_ASSERT_WAIT(vt, "Item 120", 1000);
	vt_free(vt);
	ck_assert_int_ge(value("select count(*) from audit_log where action = 'view' and login = 'cc_a1'"), 1);
}
END_TEST

/* An offer whose pop the database sealed into its notification ("call N
 * offered pop S <sealed>", sql/repeatable/33_pop_seal.sql) pops, heard on
 * the console's own LISTEN; check_relay_pop shows it drawn from the seal
 * (the console's server stopped). */
START_TEST(a_sealed_offer_pops_too)
{
	struct db *l = testdb_connect(dbname, NULL);
	struct vt *vt;
	PGnotify *n;
	int sealed = 0;

	testdb_agent(db, "cc_a8", "상담원 여덟", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 20);
	ck_assert_int_eq(db_exec(l, "listen agent_cc_a8", 0, NULL), 0);
	vt = console("cc_a8", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	for (int i = 0; i < 50 && value("select count(*) from console_session where login = 'cc_a8'") == 0; i++)
		usleep(100 * 1000);
	ck_assert_int_gt(value("select pop_prepare('+821012345678')"), 0);
	console_call("+821012345678", "cc_a8");
	VT_ASSERT_WAIT(vt, "홍길동 [platinum]", 3000);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 1000);
	ck_assert(PQconsumeInput(db_pg(l)));
	while ((n = PQnotifies(db_pg(l)))) {
		sealed += strstr(n->extra, " offered pop ") != NULL;
		PQfreemem(n);
	}
	ck_assert_int_eq(sealed, 1);
	vt_free(vt);
	db_close(l);
}
END_TEST

static int cursor_want[2];

/* The cursor is at want[0], want[1] (row, column). */
static bool cursor_at(struct vt *vt, void *want)
{
	int row, col, *w = want;

	return vt_cursor(vt, &row, &col) == 0 && row == w[0] && col == w[1];
}

/* The pop screen: at 80x24 the caller's header, alerts, open case, newest
 * history and the form with the cursor in Notes, all at once; the history
 * scrolls, filters and opens without leaving the form, and Esc comes back
 * to the form with the text as it was. */
START_TEST(the_pop_shows_everything_at_once_in_80x24)
{
	struct vt *vt;
	int notes_row, row;

	testdb_agent(db, "cc_p1", "Agent Pop", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 40);
	console_sql("insert into cases (customer_id, subject, status, priority, owner_login, due_at) "
	    "select id, '배송 지연', 'open', 'high', 'kim', now() + interval '2 hours' from customer");
	vt = console("cc_p1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821012345678", "cc_p1");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	VT_ASSERT_WAIT(vt, "홍길동 [platinum]", 1000);
	VT_ASSERT_WAIT(vt, "010-1234-5678  ₩", 1000);   /* the value as computed */
	VT_ASSERT_WAIT(vt, "RRN ", 1000);
	VT_ASSERT_WAIT(vt, " complaint", 1000);         /* the alert of the open complaint */
	VT_ASSERT_WAIT(vt, "Case #", 1000);
	VT_ASSERT_WAIT(vt, "SLA ", 1000);
	VT_ASSERT_WAIT(vt, "History (40)", 1000);
	VT_ASSERT_WAIT(vt, "Item 1 ", 1000);
	VT_ASSERT_WAIT(vt, "ccterm │ New contact", 1000);
	ck_assert(vt_find(vt, "Notes (Enter new line", &notes_row, NULL));
	/* the cursor waits in Notes (a frame still arriving, the clock's, may
	 * have it on its way: waited for, not read once after a quiet spell) */
	cursor_want[0] = notes_row + 1;
	cursor_want[1] = 1;
	VT_ASSERT_UNTIL(vt, cursor_at, cursor_want, 3000, "the cursor in Notes");
	ck_assert_int_eq(vt_type(vt, "고객 문의 메모"), 0);
	VT_ASSERT_WAIT(vt, "고객 문의 메모", 1000);
	/* PgDn scrolls the history; the cursor and the text stay. */
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(vt_type(vt, "<PgDn>"), 0);
	VT_ASSERT_WAIT(vt, "Item 20 ", 2000);
	VT_ASSERT_GONE(vt, "Item 1 ", 1000);
	/* ^F filters it: phone only (every fifth item), then the next filter. */
	ck_assert_int_eq(vt_type(vt, "<C-f>"), 0);
	VT_ASSERT_WAIT(vt, "only phone", 2000);
	VT_ASSERT_WAIT(vt, "Item 5 ", 2000);
	VT_ASSERT_GONE(vt, "Item 1 ", 1000);
	/* ^O opens the selected item in full; Esc is back in the form, text intact. */
	ck_assert_int_eq(vt_type(vt, "<C-o>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Interaction", 2000);
	VT_ASSERT_WAIT(vt, "Item 5", 1000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ New contact", 2000);
	ck_assert_int_eq(vt_type(vt, " 계속"), 0);
	VT_ASSERT_WAIT(vt, "고객 문의 메모 계속", 2000);
	ck_assert(vt_find(vt, "고객 문의 메모 계속", &row, NULL));
	ck_assert_int_eq(row, notes_row + 1);
	vt_free(vt);
}
END_TEST

/* From 120x40 the history and the form sit side by side. */
START_TEST(the_pop_sits_side_by_side_at_120x40)
{
	struct vt *vt;
	int hr, hc, kr, kc;

	testdb_agent(db, "cc_p2", "Agent Wide", "agent");
	console_customer("김영희", "contracted", "+821011112222", 40);
	vt = console("cc_p2", 40, 120);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821011112222", "cc_p2");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	VT_ASSERT_WAIT(vt, "History (40)", 1000);
	VT_ASSERT_WAIT(vt, "Item 25 ", 1000);   /* many rows of history */
	ck_assert(vt_find(vt, "History (40)", &hr, &hc));
	ck_assert(vt_find(vt, "Kind:", &kr, &kc));
	ck_assert_int_lt(hc, 60);
	ck_assert_int_ge(kc, 60);
	ck_assert_int_lt(kr, hr + 3);   /* the form beside the history, not under it */
	vt_free(vt);
}
END_TEST

START_TEST(unknown_number_offers_create)
{
	struct vt *vt;

	testdb_agent(db, "cc_a2", "Agent Two", "agent");
	vt = console("cc_a2", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821099990000", "cc_a2");
	VT_ASSERT_WAIT(vt, "Unknown caller 010-9999-0000", 3000);
	ck_assert_int_eq(vt_type(vt, "<F7>"), 0);
	VT_ASSERT_WAIT(vt, "New customer with phone 010-9999-0000", 2000);
	ck_assert_int_eq(vt_type(vt, "이영희<Enter>"), 0);
	/* Only a phone number, no id of their own: the lowest tier. */
	VT_ASSERT_WAIT(vt, "이영희 [all]", 3000);
	ck_assert_int_eq(vt_type(vt, "새 고객 첫 문의<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	vt_free(vt);
	/* The contact is linked to the new customer and the call. */
	ck_assert_int_eq(value("select count(*) from interaction i join customer c on c.id = i.customer_id "
			       "where c.name = '이영희' and i.call_id is not null and i.body = '새 고객 첫 문의'"), 1);
}
END_TEST

START_TEST(shared_number_asks_who)
{
	struct vt *vt;

	testdb_agent(db, "cc_a3", "Agent Three", "agent");
	console_customer("김철수", "registered", "+8223124567", 3);
	console_customer("김영희", "contracted", "+8223124567", 2);
	vt = console("cc_a3", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+8223124567", "cc_a3");
	VT_ASSERT_WAIT(vt, "2 customers share 02-312-4567", 3000);
	VT_ASSERT_WAIT(vt, "김철수", 1000);
	VT_ASSERT_WAIT(vt, "김영희", 1000);
	{
		int r1, r2, c;
		bool young_first;

		ck_assert(vt_find(vt, "김철수", &r1, &c));
		ck_assert(vt_find(vt, "김영희", &r2, &c));
		young_first = r2 < r1;
		/* The second line is the one chosen: the pop shows that customer. */
		ck_assert_int_eq(vt_type(vt, "<Down><Enter>"), 0);
		VT_ASSERT_WAIT(vt, young_first ? "김철수  REGISTERED" : "김영희  CONTRACTED", 3000);
	}
	vt_free(vt);
}
END_TEST

START_TEST(typing_and_f10_saves_exactly_one_row)
{
	struct vt *vt;

	testdb_agent(db, "cc_a4", "Agent Four", "agent");
	console_customer("Emily Clark", "registered", "+821022223333", 5);
	vt = console("cc_a4", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821022223333", "cc_a4");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	/* Korean input, cursor moved by character: "안녕하세요" then fix a typo. */
	ck_assert_int_eq(vt_type(vt, "안녕하세X<Backspace>요<Enter>두 번째 줄<Left><Left><Left>(2)"), 0);
	VT_ASSERT_WAIT(vt, "안녕하세요", 2000);
	VT_ASSERT_WAIT(vt, "두 번(2)째 줄", 2000);
	/* Kind: complaint opens a case. */
	ck_assert_int_eq(vt_type(vt, "<Tab>"), 0);   /* wraps to Kind */
	ck_assert_int_eq(vt_type(vt, "<Right>"), 0);
	VT_ASSERT_WAIT(vt, "◂complaint▸", 2000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Contact saved", 2000);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from interaction where agent_login = 'cc_a4'"), 1);
	ck_assert_int_eq(value("select count(*) from interaction where agent_login = 'cc_a4' and kind = 'complaint' "
			       "and body = E'안녕하세요\\n두 번(2)째 줄' and case_id is not null and call_id is not null"), 1);
	ck_assert_int_eq(value("select count(*) from cases where owner_login = 'cc_a4'"), 1);
}
END_TEST

/* Types a draft, ends the console with how, starts it again: the draft is back. */
static void draft_survives(const char *login, void (*end)(struct vt *))
{
	struct vt *vt;
	int status;

	testdb_agent(db, login, "Agent Kill", "agent");
	console_customer("박지성", "contracted", "+821055556666", 2);
	vt = console(login, 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821055556666", login);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "고객이 환불을 원함<Enter>last words"), 0);
	VT_ASSERT_WAIT(vt, "last words", 2000);
	end(vt);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	vt_free(vt);

	vt = console(login, 24, 80);
	VT_ASSERT_WAIT(vt, "restored from the journal", 5000);
	VT_ASSERT_WAIT(vt, "고객이 환불을 원함", 1000);
	VT_ASSERT_WAIT(vt, "last words", 1000);
	VT_ASSERT_WAIT(vt, "박지성 [contracted]", 2000);
	ck_assert_int_eq(vt_type(vt, "!<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from interaction where body = E'고객이 환불을 원함\\nlast words!' "
			       "and call_id is not null"), 1);
}

static void end_sigkill(struct vt *vt) { ck_assert_int_eq(vt_signal(vt, SIGKILL), 0); }
static void end_hangup(struct vt *vt) { ck_assert(vt_hangup(vt)); }

START_TEST(draft_survives_sigkill) { draft_survives("cc_a5", end_sigkill); }
END_TEST

START_TEST(draft_survives_ssh_drop) { draft_survives("cc_a6", end_hangup); }
END_TEST

START_TEST(hostile_customer_text_is_inert)
{
	struct vt *vt;
	char row[4096];

	testdb_agent(db, "cc_a7", "Agent Seven", "agent");
	console_customer("Bad\x1b[2J\x1b]52;c;aGk=\x07Guy\xc2\x9b" "31m", "registered", "+821077778888", 1);
	console_sql("update interaction set subject = E'\\x1b[5;1HOVERWRITE\\x1b(0' where true");
	vt = console("cc_a7", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821077778888", "cc_a7");
	VT_ASSERT_WAIT(vt, "Bad␛[2J␛]52;c;aGk=␇Guy", 3000);
	/* The pop shows the history with the form: the hostile subject is inert there. */
	VT_ASSERT_WAIT(vt, "␛[5;1HOVERWRITE␛(0", 2000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Customer", 2000);
	VT_ASSERT_WAIT(vt, "␛[5;1HOVERWRITE␛(0", 2000);
	/* Nothing was cleared, moved or switched to line drawing. */
	vt_row(vt, 0, row, sizeof(row));
	ck_assert_ptr_nonnull(strstr(row, "ccterm │ Customer"));
	ck_assert(!vt_find(vt, "OVERWRITE", NULL, NULL) || vt_find(vt, "␛[5;1HOVERWRITE", NULL, NULL));
	vt_free(vt);
}
END_TEST

START_TEST(fits_80x24_and_follows_a_resize)
{
	struct vt *vt;
	int row, col;

	testdb_agent(db, "cc_a8", "Agent Eight", "agent");
	console_customer("최지우", "all", "+821033334444", 60);
	vt = console("cc_a8", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821033334444", "cc_a8");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	VT_ASSERT_WAIT(vt, "History (60)", 2000);
	VT_ASSERT_WAIT(vt, " Agent Eight │ on_call", 2000);   /* the database says so once answered */
	ck_assert(vt_find(vt, " Agent Eight │ on_call", &row, &col));
	ck_assert_int_eq(row, 23);
	ck_assert_int_eq(vt_resize(vt, 50, 120), 0);
	/* the login shows from 100 columns on: the frame of the new size */
	VT_ASSERT_WAIT(vt, "Agent Eight (cc_a8) │", 3000);
	ck_assert(vt_find(vt, "Agent Eight (cc_a8) │", &row, &col));
	ck_assert_int_eq(row, 49);
	/* More rows show more history. */
	VT_ASSERT_WAIT(vt, "Item 30 ", 2000);
	ck_assert_int_eq(vt_resize(vt, 20, 70), 0);
	VT_ASSERT_WAIT(vt, "ccterm needs at least 80x24", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(search_finds_by_phone_and_name)
{
	struct vt *vt;

	testdb_agent(db, "cc_a9", "Agent Nine", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 2);
	console_customer("Emily Clark", "registered", "+821022223333", 2);
	vt = console("cc_a9", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	ck_assert_int_eq(vt_type(vt, "+82 10 2222 3333<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "1 customer for", 2000);
	VT_ASSERT_WAIT(vt, "Emily Clark", 1000);
	ck_assert_int_eq(vt_type(vt, "<Up><C-u>홍<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "1 customer for \"홍\"", 2000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "PLATINUM", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(command_line_searches_with_completion_and_history)
{
	struct vt *vt;
	int status;

	testdb_agent(db, "cc_a10", "Agent Ten", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 2);
	vt = console("cc_a10", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* Tab completes the command and then the customer's name. */
	ck_assert_int_eq(vt_type(vt, ":sea<Tab>"), 0);
	VT_ASSERT_WAIT(vt, ":search ", 2000);
	ck_assert_int_eq(vt_type(vt, "홍<Tab>"), 0);
	VT_ASSERT_WAIT(vt, ":search 홍길동", 2000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "PLATINUM", 3000);
	ck_assert_int_eq(vt_type(vt, ":ready<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "│ ready ", 2000);
	ck_assert_int_eq(vt_type(vt, ":bogus<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Unknown command 'bogus'", 2000);
	ck_assert_int_eq(vt_type(vt, ":quit<Enter>"), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from agent_state where login = 'cc_a10' and state = 'ready'"), 1);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cc_a10' and state = 'logged_out'"), 1);

	/* The history survives the session: Up recalls the last command. */
	vt = console("cc_a10", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":<Up>"), 0);
	VT_ASSERT_WAIT(vt, ":quit", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-c>"), 0);
	VT_ASSERT_GONE(vt, ":quit", 2000);
	vt_free(vt);
}
END_TEST

/* libedit starts at the first ':' (the console does not pay for it before);
 * when it cannot (el_init fails: out of memory), the message line says so
 * and the console goes on. */
/* libedit is opened at the first ':' (src/cli/editline.h); where it cannot
 * be, the line is read without editing, and says so. */
START_TEST(command_line_without_libedit_still_works)
{
	const char *asan = getenv("ASAN_OPTIONS");
	char preload[600], options[1024];
	struct vt *vt;
	int status;

	testdb_agent(db, "cc_a11", "Agent Eleven", "agent");
	snprintf(preload, sizeof(preload), "%s/tests/screen/no_line_editor.so", testdb_builddir());
	ck_assert_int_eq(access(preload, R_OK), 0);
	/* The sanitizers' runtime must come first unless told otherwise. */
	snprintf(options, sizeof(options), "%s%sverify_asan_link_order=0", asan ? asan : "", asan && *asan ? ":" : "");
	ck_assert_int_eq(setenv("LD_PRELOAD", preload, 1), 0);
	ck_assert_int_eq(setenv("ASAN_OPTIONS", options, 1), 0);
	vt = console("cc_a11", 24, 80);
	unsetenv("LD_PRELOAD");
	if (asan)
		setenv("ASAN_OPTIONS", asan, 1);
	else
		unsetenv("ASAN_OPTIONS");
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":"), 0);
	VT_ASSERT_WAIT(vt, "(no line editing)", 2000);
	/* Backspace still takes a character back; Enter runs the command. */
	ck_assert_int_eq(vt_type(vt, "helpx<Backspace><Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Keys (Esc to go back", 2000);
	VT_ASSERT_WAIT(vt, "The command line has no editing or history: " EDIT_SONAME, 2000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_GONE(vt, "Keys (Esc to go back", 2000);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 2000);
	/* Esc cancels the line, and the keys still work. */
	ck_assert_int_eq(vt_type(vt, ":quit"), 0);
	VT_ASSERT_WAIT(vt, ":quit", 2000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_GONE(vt, ":quit", 2000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_GONE(vt, "Search:", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-q>"), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
	vt_free(vt);
}
END_TEST

START_TEST(branch_staff_see_numbers_masked)
{
	struct vt *vt;

	testdb_agent(db, "cc_b1", "Store Staff", "branch");
	console_customer("홍길동", "platinum", "+821012345678", 2);
	console_sql("insert into customer_secret select id, '800301-1234567' from customer");
	vt = console("cc_b1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F2>홍<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "***-****-5678", 3000);
	ck_assert(!vt_find(vt, "1234-5678", NULL, NULL));
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "PLATINUM  ***-****-5678", 3000);
	VT_ASSERT_WAIT(vt, "RRN 800301-1******", 1000);
	ck_assert(!vt_find(vt, "1234-5678", NULL, NULL));
	vt_free(vt);
	/* The look was audited. */
	ck_assert_int_ge(value("select count(*) from audit_log where login = 'cc_b1' and action = 'view'"), 1);
}
END_TEST

START_TEST(wallboard_shows_waiting_calls_and_agents)
{
	struct vt *vt;
	long long first, call;
	char want[64];

	ck_assert_int_eq(admin_queue_add(db, "general", 20, 80), 0);
	testdb_agent(db, "cc_s1", "Supervisor One", "supervisor");
	testdb_agent_in(db, "cc_ag1", "Floor Agent", "agent", "general");
	vt = console("cc_s1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "1 Queues", 2000);
	VT_ASSERT_WAIT(vt, "general        0", 2000);
	/* Nobody is ready: three calls wait, and the board says so within a second. */
	console_sql("select call_arrive('010-1111-0001', '+821011110001', null, 'general', null)");
	console_sql("select call_arrive('010-1111-0002', '+821011110002', null, 'general', null)");
	console_sql("select call_arrive('010-1111-0003', '+821011110003', null, 'general', null)");
	VT_ASSERT_WAIT(vt, "general        3", 1000);
	first = value("select min(id) from call");
	/* An agent going ready takes the oldest call; the count drops. */
	console_sql("select agent_set_state_for('cc_ag1', 'ready', null)");
	VT_ASSERT_WAIT(vt, "general        2", 1000);
	call = value("select id from call where agent_login = 'cc_ag1'");
	ck_assert_int_eq(call, first);
	console_sql("select call_answer(id) from call where agent_login = 'cc_ag1'");
	/* The agent board shows them on that call. */
	ck_assert_int_eq(vt_type(vt, "2"), 0);
	VT_ASSERT_WAIT(vt, "2 agents · sorted by state", 2000);
	snprintf(want, sizeof(want), " call ");   /* on a call, abbreviated at 80 columns */
	VT_ASSERT_WAIT(vt, want, 1000);
	snprintf(want, sizeof(want), "#%lld", call);
	VT_ASSERT_WAIT(vt, want, 1000);
	/* Agents are not shown the floor. */
	vt_free(vt);
	vt = console("cc_ag1", 24, 80);
	/* The agent's answered call is read at start and pops its form, whose draft
	 * line takes the message line: F9 only once that has landed, or the pop
	 * draws over the answer. */
	VT_ASSERT_WAIT(vt, "Unknown caller 010-1111-0001", 5000);
	VT_ASSERT_WAIT(vt, " · journaled · F10 save", 3000);
	ck_assert_int_eq(vt_type(vt, "<Esc><F9>"), 0);
	VT_ASSERT_WAIT(vt, "The floor boards are for supervisors.", 3000);
	ck_assert_msg(!vt_find(vt, "1 Queues", NULL, NULL), "an agent was shown the floor");
	vt_free(vt);
}
END_TEST

START_TEST(save_waits_for_a_database_restart)
{
	struct vt *vt;

	testdb_private_cluster("restart");
	setup();

	testdb_agent(db, "cc_r1", "Agent Restart", "agent");
	console_customer("정우성", "platinum", "+821044445555", 3);
	vt = console("cc_r1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821044445555", "cc_r1");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "서버가 꺼지기 전"), 0);
	VT_ASSERT_WAIT(vt, "서버가 꺼지기 전", 2000);
	db_close(db);
	db = NULL;
	ck_assert_int_eq(testdb_pg("restart", "stop"), 0);
	VT_ASSERT_WAIT(vt, "DB DOWN", 5000);
	/* Typing and saving go on while the server is away; the text stays. */
	ck_assert_int_eq(vt_type(vt, " 그리고 후<F10>"), 0);
	VT_ASSERT_WAIT(vt, "the database is down; retrying", 3000);
	VT_ASSERT_WAIT(vt, "서버가 꺼지기 전 그리고 후", 1000);
	ck_assert_int_eq(testdb_pg("restart", "start"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 10000);
	VT_ASSERT_WAIT(vt, "DB ok", 2000);
	vt_free(vt);
	db = testdb_connect(dbname, NULL);
	ck_assert_int_eq(value("select count(*) from interaction where body = '서버가 꺼지기 전 그리고 후' "
			       "and agent_login = 'cc_r1'"), 1);
	console_teardown();
	testdb_pg("restart", "stop");
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("agent");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, call_pops_customer_with_tier_and_history);
	tcase_add_test(tc, a_sealed_offer_pops_too);
	tcase_add_test(tc, the_pop_shows_everything_at_once_in_80x24);
	tcase_add_test(tc, the_pop_sits_side_by_side_at_120x40);
	tcase_add_test(tc, unknown_number_offers_create);
	tcase_add_test(tc, shared_number_asks_who);
	tcase_add_test(tc, typing_and_f10_saves_exactly_one_row);
	tcase_add_test(tc, draft_survives_sigkill);
	tcase_add_test(tc, draft_survives_ssh_drop);
	tcase_add_test(tc, hostile_customer_text_is_inert);
	tcase_add_test(tc, fits_80x24_and_follows_a_resize);
	tcase_add_test(tc, search_finds_by_phone_and_name);
	tcase_add_test(tc, command_line_searches_with_completion_and_history);
	tcase_add_test(tc, command_line_without_libedit_still_works);
	tcase_add_test(tc, wallboard_shows_waiting_calls_and_agents);
	tcase_add_test(tc, branch_staff_see_numbers_masked);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, save_waits_for_a_database_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(console_suite());
}
