/* check_pbx_parse.c - the PBX protocols' pure parsers: AMI frames and their
 * events, FreeSWITCH event-socket frames and mod_callcenter events, the JSON
 * lines of `ccterm-cti events`; hostile input is data, never a crash. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/pbx_event.h"
#include "pbx/ami_frame.h"
#include "pbx/ami_map.h"
#include "pbx/esl_frame.h"
#include "pbx/esl_map.h"
#include "pbx/events_json.h"

/* --- AMI ---------------------------------------------------------------- */

#define MAX_FRAMES 16
static char seen[MAX_FRAMES][512];
static int nseen, cut_seen;

static void collect(const struct kv *f, void *arg)
{
	size_t o = 0;

	(void)arg;
	if (nseen >= MAX_FRAMES)
		return;
	cut_seen += f->cut;
	seen[nseen][0] = '\0';
	for (int i = 0; i < f->n && o < 400; i++)
		o += (size_t)snprintf(seen[nseen] + o, sizeof(seen[0]) - o, "%s%s=%s", i ? ";" : "", f->key[i], f->value[i]);
	nseen++;
}

static struct ami_parser ap;

static void ami_reset(void)
{
	ami_parser_init(&ap);
	nseen = cut_seen = 0;
}

START_TEST(ami_frames_split_anywhere)
{
	static const char in[] = "Asterisk Call Manager/5.0.1\r\nResponse: Success\r\nMessage: Authentication accepted\r\n\r\n"
				 "Event: Hangup\nUniqueid:1.2\r\nCause-txt: Normal Clearing\r\n\r\n";

	/* Whole, then a byte at a time: the same frames. */
	for (int pass = 0; pass < 2; pass++) {
		ami_reset();
		if (pass == 0)
			ami_feed(&ap, in, sizeof(in) - 1, collect, NULL);
		else
			for (size_t i = 0; i < sizeof(in) - 1; i++)
				ami_feed(&ap, in + i, 1, collect, NULL);
		ck_assert_int_eq(nseen, 2);
		ck_assert_str_eq(ap.banner_text, "Asterisk Call Manager/5.0.1");
		ck_assert_str_eq(seen[0], "Response=Success;Message=Authentication accepted");
		ck_assert_str_eq(seen[1], "Event=Hangup;Uniqueid=1.2;Cause-txt=Normal Clearing");
	}
}
END_TEST

START_TEST(ami_overlong_lines_and_too_many_headers_are_cut)
{
	char *big = malloc(100000);

	ami_reset();
	ami_feed(&ap, "Asterisk Call Manager/5.0.1\r\n", 29, collect, NULL);
	memset(big, 'x', 100000);
	memcpy(big, "Event: ", 7);
	ami_feed(&ap, big, 100000, collect, NULL);
	ami_feed(&ap, "\r\nUniqueid: 7\r\n\r\n", 17, collect, NULL);
	ck_assert_int_eq(nseen, 1);
	ck_assert_str_eq(seen[0], "Uniqueid=7");
	ck_assert_int_eq(cut_seen, 1);
	/* 200 headers: the first KV_MAX kept, the frame says it was cut. */
	ami_reset();
	ap.banner = true;
	for (int i = 0; i < 200; i++) {
		char line[32];
		int n = snprintf(line, sizeof(line), "H%d: %d\r\n", i, i);

		ami_feed(&ap, line, (size_t)n, collect, NULL);
	}
	ami_feed(&ap, "\r\n", 2, collect, NULL);
	ck_assert_int_eq(nseen, 1);
	ck_assert_int_eq(cut_seen, 1);
	free(big);
}
END_TEST

START_TEST(ami_binary_junk_is_data)
{
	unsigned char junk[4096];

	ami_reset();
	srand(7);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(rand() % 256);
	ami_feed(&ap, (const char *)junk, sizeof(junk), collect, NULL);
	ami_feed(&ap, "\r\n\r\nEvent: FullyBooted\r\n\r\n", 27, collect, NULL);
	ck_assert_int_ge(nseen, 1);
	ck_assert_str_eq(seen[nseen - 1], "Event=FullyBooted");
}
END_TEST

static struct kv frame;

static const struct kv *mk(const char *const *lines)
{
	kv_clear(&frame);
	for (; *lines; lines++)
		kv_add_line(&frame, *lines, strlen(*lines), false);
	return &frame;
}

START_TEST(ami_events_map_to_call_states)
{
	static struct ami_tracker t;
	struct pbx_event e;
	const char *newchan[] = { "Event: Newchannel", "Channel: SIP/trunk-0001", "CallerIDNum: 01012345678",
				  "Exten: 15881234", "Uniqueid: 100.1", "Linkedid: 100.1", NULL };
	const char *agentchan[] = { "Event: Newchannel", "CallerIDNum: 777", "Exten: s", "Uniqueid: 100.2",
				    "Linkedid: 100.1", NULL };
	const char *join[] = { "Event: QueueCallerJoin", "CallerIDNum: 01012345678", "Exten: s", "Uniqueid: 100.1",
			       "Linkedid: 100.1", "Queue: support", NULL };
	const char *called[] = { "Event: AgentCalled", "Uniqueid: 100.1", "Linkedid: 100.1", "DestUniqueid: 100.2",
				 "Queue: support", "Interface: SIP/777", "MemberName: Kim", NULL };
	const char *connect[] = { "Event: AgentConnect", "Uniqueid: 100.1", "Linkedid: 100.1", "DestUniqueid: 100.2",
				  "Queue: support", "Interface: SIP/777", "MemberName: Kim", NULL };
	const char *other_leg_down[] = { "Event: Hangup", "Uniqueid: 100.9", "Linkedid: 100.1", NULL };
	const char *agent_down[] = { "Event: Hangup", "Uniqueid: 100.2", "Linkedid: 100.1", NULL };
	const char *caller_down[] = { "Event: Hangup", "Uniqueid: 100.1", "Linkedid: 100.1", NULL };
	const char *noid[] = { "Event: AgentCalled", "Interface: SIP/777", NULL };

	ami_tracker_init(&t);
	ck_assert_int_eq(ami_map(&t, mk(newchan), &e), 0);
	ck_assert_int_eq(ami_map(&t, mk(agentchan), &e), 0);
	ck_assert_int_eq(ami_map(&t, mk(join), &e), 1);
	ck_assert_int_eq(e.kind, PBX_QUEUED);
	ck_assert_str_eq(e.call_id, "100.1");
	/* The dialled number of the inbound Newchannel, not the queue's "s". */
	ck_assert_str_eq(e.dnis, "15881234");
	ck_assert_str_eq(e.ani, "01012345678");
	ck_assert_str_eq(e.queue, "support");
	ck_assert_int_eq(ami_map(&t, mk(called), &e), 1);
	ck_assert_int_eq(e.kind, PBX_OFFERED);
	ck_assert_str_eq(e.agent, "SIP/777");
	ck_assert_str_eq(e.agent_alt, "Kim");
	ck_assert_str_eq(e.dnis, "15881234");
	ck_assert_int_eq(ami_map(&t, mk(connect), &e), 1);
	ck_assert_int_eq(e.kind, PBX_ANSWERED);
	/* A channel of the call that is neither the caller's nor the connected agent's. */
	ck_assert_int_eq(ami_map(&t, mk(other_leg_down), &e), 0);
	ck_assert_int_eq(ami_map(&t, mk(agent_down), &e), 1);
	ck_assert_int_eq(e.kind, PBX_ENDED);
	ck_assert_int_eq(ami_map(&t, mk(agent_down), &e), 0);
	ck_assert_int_eq(ami_map(&t, mk(caller_down), &e), 1);
	ck_assert_int_eq(e.kind, PBX_ENDED);
	ck_assert_int_eq(ami_map(&t, mk(noid), &e), 0);
}
END_TEST

/* Found by fuzz_ami: an id of nothing but control bytes became an event with an empty call id. */
START_TEST(ami_and_esl_ids_of_control_bytes_are_no_call)
{
	static struct ami_tracker t;
	static struct esl_frame f;
	struct pbx_event e;
	const char *join[] = { "Event: QueueCallerJoin", "Uniqueid: \x01\x02", "Linkedid: \x1b", "Queue: support", NULL };
	static const char *const cc[] = { "Event-Name: CUSTOM", "Event-Subclass: callcenter::info",
					  "CC-Action: member-queue-start", "CC-Member-UUID: \x07\x7f", NULL };

	ami_tracker_init(&t);
	ck_assert_int_eq(ami_map(&t, mk(join), &e), 0);
	kv_clear(&f.event);
	for (const char *const *l = cc; *l; l++)
		kv_add_line(&f.event, *l, strlen(*l), false);
	ck_assert_int_eq(esl_map(&f, &e), 0);
}
END_TEST

START_TEST(ami_tracker_forgets_the_oldest_call_when_full)
{
	static struct ami_tracker t;
	struct pbx_event e;
	char uid[64], exten[64], id[80], lid[80], ex[80];
	const char *nc[] = { "Event: Newchannel", id, lid, ex, NULL };
	const char *join[] = { "Event: QueueCallerJoin", id, lid, NULL };

	ami_tracker_init(&t);
	for (int i = 0; i < AMI_TRACK_MAX + 10; i++) {
		snprintf(uid, sizeof(uid), "%d.1", i);
		snprintf(exten, sizeof(exten), "%d", 1000 + i);
		snprintf(id, sizeof(id), "Uniqueid: %s", uid);
		snprintf(lid, sizeof(lid), "Linkedid: %s", uid);
		snprintf(ex, sizeof(ex), "Exten: %s", exten);
		ami_map(&t, mk(nc), &e);
	}
	/* The last one is known, the first was forgotten: no number, still a call. */
	ck_assert_int_eq(ami_map(&t, mk(join), &e), 1);
	ck_assert_str_eq(e.dnis, exten);
	snprintf(id, sizeof(id), "Uniqueid: 0.1");
	snprintf(lid, sizeof(lid), "Linkedid: 0.1");
	ck_assert_int_eq(ami_map(&t, mk(join), &e), 1);
	ck_assert_str_eq(e.dnis, "");
}
END_TEST

/* --- ESL ---------------------------------------------------------------- */

static struct esl_parser ep;
static struct pbx_event esl_ev[8];
static int nesl, esl_frames, esl_cut;

static void esl_collect(const struct esl_frame *f, void *arg)
{
	(void)arg;
	esl_frames++;
	esl_cut += f->cut;
	if (nesl < 8 && esl_map(f, &esl_ev[nesl]))
		nesl++;
}

static void esl_reset(void)
{
	esl_parser_init(&ep);
	nesl = esl_frames = esl_cut = 0;
}

static const char offering_body[] =
	"Event-Name: CUSTOM\n"
	"Event-Subclass: callcenter%3A%3Ainfo\n"
	"CC-Queue: support%40default\n"
	"CC-Action: agent-offering\n"
	"CC-Agent: 1000%40default\n"
	"CC-Member-UUID: m-1\n"
	"CC-Member-Session-UUID: s-1\n"
	"CC-Member-CID-Number: 010%2D1234%2D5678\n"
	"Caller-Destination-Number: 15881234\n"
	"\n";

START_TEST(esl_event_plain_with_body_split_anywhere)
{
	char in[2048];
	int n = snprintf(in, sizeof(in), "Content-Type: auth/request\n\nContent-Length: %zu\nContent-Type: text/event-plain\n\n%s",
			 sizeof(offering_body) - 1, offering_body);

	for (int pass = 0; pass < 2; pass++) {
		esl_reset();
		if (pass == 0)
			esl_feed(&ep, in, (size_t)n, esl_collect, NULL);
		else
			for (int i = 0; i < n; i++)
				esl_feed(&ep, in + i, 1, esl_collect, NULL);
		ck_assert_int_eq(esl_frames, 2);
		ck_assert_int_eq(nesl, 1);
		ck_assert_int_eq(esl_ev[0].kind, PBX_OFFERED);
		ck_assert_str_eq(esl_ev[0].call_id, "s-1");
		ck_assert_str_eq(esl_ev[0].ani, "010-1234-5678");
		ck_assert_str_eq(esl_ev[0].dnis, "15881234");
		ck_assert_str_eq(esl_ev[0].queue, "support@default");
		ck_assert_str_eq(esl_ev[0].agent, "1000@default");
		ck_assert_str_eq(esl_ev[0].agent_alt, "1000");
	}
}
END_TEST

START_TEST(esl_member_queue_end_cancel_is_an_abandon)
{
	static const char body[] = "Event-Name: CUSTOM\nEvent-Subclass: callcenter::info\nCC-Action: member-queue-end\n"
				   "CC-Member-UUID: m-2\nCC-Cause: Cancel\n\n";
	char in[1024];
	int n = snprintf(in, sizeof(in), "Content-Length: %zu\nContent-Type: text/event-plain\n\n%s", sizeof(body) - 1, body);

	esl_reset();
	esl_feed(&ep, in, (size_t)n, esl_collect, NULL);
	ck_assert_int_eq(nesl, 1);
	ck_assert_int_eq(esl_ev[0].kind, PBX_ABANDONED);
	ck_assert_str_eq(esl_ev[0].call_id, "m-2");
}
END_TEST

START_TEST(esl_hostile_lengths_and_junk)
{
	char in[2048];
	int n;

	esl_reset();
	/* Too long a body: skipped whole, the stream goes on after it. */
	esl_feed(&ep, "Content-Length: 70000\nContent-Type: text/event-plain\n\n", 54, esl_collect, NULL);
	for (int i = 0; i < 70; i++) {
		char k[1000];

		memset(k, 'z', sizeof(k));
		esl_feed(&ep, k, sizeof(k), esl_collect, NULL);
	}
	ck_assert_int_eq(esl_cut, 1);
	n = snprintf(in, sizeof(in), "Content-Length: %zu\nContent-Type: text/event-plain\n\n%s", sizeof(offering_body) - 1,
		     offering_body);
	esl_feed(&ep, in, (size_t)n, esl_collect, NULL);
	ck_assert_int_eq(nesl, 1);
	/* Bad lengths are no length; a body of NULs and a truncated %-escape map to nothing. */
	esl_reset();
	esl_feed(&ep, "Content-Length: -5\n\nContent-Length: 12345678901234\n\n", 52, esl_collect, NULL);
	ck_assert_int_eq(esl_frames, 2);
	esl_feed(&ep, "Content-Length: 6\nContent-Type: text/event-plain\n\n\0\0%\0%4", 57, esl_collect, NULL);
	ck_assert_int_eq(nesl, 0);
}
END_TEST

/* --- JSON lines ------------------------------------------------------------ */

static int parse(const char *s, struct pbx_event *e, char *err)
{
	return events_json_parse(s, strlen(s), e, err, 160);
}

START_TEST(json_events_parse_and_refuse)
{
	struct pbx_event e;
	char err[160];

	ck_assert_int_eq(parse("{\"event\":\"offered\",\"call_id\":\"x1\",\"ani\":\"010\",\"dnis\":\"1588\","
			       "\"queue\":\"support\",\"agent\":\"kim\"}", &e, err), 0);
	ck_assert_int_eq(e.kind, PBX_OFFERED);
	ck_assert_str_eq(e.call_id, "x1");
	ck_assert_str_eq(e.agent, "kim");
	ck_assert_int_eq(parse("{\"event\":\"ended\",\"call_id\":123456789012}", &e, err), 0);
	ck_assert_str_eq(e.call_id, "123456789012");
	ck_assert_int_eq(parse("{\"event\":\"ended\",\"call_id\":\"a\",\"ani\":null}  ", &e, err), 0);
	ck_assert_int_eq(parse("{\"event\":\"ended\"}", &e, err), -1);
	ck_assert_str_eq(err, "\"call_id\" (a string or an integer) is missing");
	ck_assert_int_eq(parse("{\"event\":\"answered\",\"call_id\":\"a\"}", &e, err), -1);
	ck_assert_str_eq(err, "\"answered\" needs \"agent\"");
	ck_assert_int_eq(parse("{\"event\":\"boom\",\"call_id\":\"a\"}", &e, err), -1);
	ck_assert_int_eq(parse("{\"event\":\"ended\",\"call_id\":\"a\",\"queue\":{}}", &e, err), -1);
	ck_assert_str_eq(err, "\"queue\" must be a string");
	ck_assert_int_eq(parse("{\"event\":\"ended\",\"call_id\":\"a\"} {}", &e, err), -1);
	ck_assert_int_eq(parse("{\"event\":\"ended\",", &e, err), -1);
	ck_assert_int_eq(parse("\"just a string\"", &e, err), -1);
	ck_assert_int_eq(parse("", &e, err), -1);
	ck_assert_int_eq(e.kind, PBX_NONE);
}
END_TEST

START_TEST(json_fields_are_made_safe)
{
	struct pbx_event e;
	char err[160];
	char line[1024];

	/* Control characters and invalid UTF-8 are dropped; a long value is cut at a character. */
	ck_assert_int_eq(parse("{\"event\":\"ended\",\"call_id\":\"a\\u001b[2Jb\",\"ani\":\"\xff\xfe" "010\"}", &e, err), 0);
	ck_assert_str_eq(e.call_id, "a[2Jb");
	ck_assert_str_eq(e.ani, "010");
	strcpy(line, "{\"event\":\"ended\",\"call_id\":\"");
	for (int i = 0; i < 100; i++)
		strcat(line, "가");
	strcat(line, "\"}");
	ck_assert_int_eq(parse(line, &e, err), 0);
	ck_assert_int_eq(strlen(e.call_id), 126);   /* 42 characters of 3 bytes */
}
END_TEST

/* A line is len bytes, not a C string: what follows the object, and whether
 * a line is blank, is looked at within len only (run under ASan). */
START_TEST(json_line_is_not_read_past_its_length)
{
	static const char text[] = "{\"event\":\"ended\",\"call_id\":\"a\"}    ";
	char *line = malloc(sizeof(text) - 1);
	struct pbx_event e;
	char err[160];

	memcpy(line, text, sizeof(text) - 1);
	ck_assert_int_eq(events_json_parse(line, sizeof(text) - 1, &e, err, sizeof(err)), 0);
	ck_assert_int_eq(events_blank(line + sizeof(text) - 5, 4), 1);
	ck_assert_int_eq(events_blank(line, 4), 0);
	free(line);
}
END_TEST

static int lines, overlong;
static void count_line(const char *l, size_t n, void *arg)
{
	(void)n;
	(void)arg;
	if (l)
		lines++;
	else
		overlong++;
}

START_TEST(line_reader_skips_overlong_lines)
{
	static struct line_reader r;
	char *big = malloc(EVENTS_LINE_MAX + 10);

	memset(big, 'q', EVENTS_LINE_MAX + 10);
	line_reader_feed(&r, "a\nb", 3, count_line, NULL);
	line_reader_feed(&r, big, EVENTS_LINE_MAX + 10, count_line, NULL);
	line_reader_feed(&r, "\nc\n", 3, count_line, NULL);
	ck_assert_int_eq(lines, 2);   /* a, c */
	ck_assert_int_eq(overlong, 1);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pbx_parse");
	TCase *tc = tcase_create("parsers");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, ami_frames_split_anywhere);
	tcase_add_test(tc, ami_overlong_lines_and_too_many_headers_are_cut);
	tcase_add_test(tc, ami_binary_junk_is_data);
	tcase_add_test(tc, ami_events_map_to_call_states);
	tcase_add_test(tc, ami_tracker_forgets_the_oldest_call_when_full);
	tcase_add_test(tc, ami_and_esl_ids_of_control_bytes_are_no_call);
	tcase_add_test(tc, esl_event_plain_with_body_split_anywhere);
	tcase_add_test(tc, esl_member_queue_end_cancel_is_an_abandon);
	tcase_add_test(tc, esl_hostile_lengths_and_junk);
	tcase_add_test(tc, json_events_parse_and_refuse);
	tcase_add_test(tc, json_fields_are_made_safe);
	tcase_add_test(tc, line_reader_skips_overlong_lines);
	tcase_add_test(tc, json_line_is_not_read_past_its_length);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
