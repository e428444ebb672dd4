/* check_journal.c - the draft journal: what was typed comes back after a
 * kill, a torn write or a corrupt record; saved drafts leave nothing. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "ccterm/journal.h"
#include "ccterm/textbuf.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* For checks in long loops: ck_assert costs a message to the runner each time. */
#define CHECK(c) do { if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); } while (0)
#define ID "3f2a7c1e-0b4d-4e8f-9a6b-1c2d3e4f5a6b"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ccterm-journal-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void remove_dir(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* dir/name; two buffers so two paths can be live at once. */
static const char *in_dir(const char *name)
{
	static char bufs[2][256];
	static int which;
	char *b = bufs[which++ % 2];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static off_t file_size(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0);
	return st.st_size;
}

static struct journal *open_ok(const char *path)
{
	char err[256];
	struct journal *j = journal_open(path, err, sizeof(err));

	ck_assert_msg(j != NULL, "journal_open: %s", err);
	return j;
}

/* --- a reference text and random edits of it ----------------------------- */

struct ref {
	char s[16384];
	size_t len;
};

struct op {
	bool insert;
	size_t off, len;
	const char *bytes;
};

static uint32_t rnd(uint64_t *st, uint32_t below)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return (uint32_t)(*st % below);
}

static size_t boundary_before(const struct ref *r, size_t o)
{
	while (o > 0 && o < r->len && ((unsigned char)r->s[o] & 0xC0) == 0x80)
		o--;
	return o;
}

/* One random edit of r (inserts of Korean, ASCII, newlines, emoji; deletes
 * of 1-3 characters), applied to r and described in op. */
static void next_op(struct ref *r, uint64_t *st, struct op *op)
{
	static const char *const pieces[] = {
		"a", "xyz", " ", "\n", "한", "국어 ", "고객님", "é", "😀", "0123456789",
	};
	bool insert = r->len == 0 || rnd(st, 100) < (r->len < 2000 ? 60u : 40u);

	if (insert) {
		const char *p = pieces[rnd(st, N(pieces))];

		op->insert = true;
		op->bytes = p;
		op->len = strlen(p);
		op->off = boundary_before(r, rnd(st, (uint32_t)r->len + 1));
		memmove(r->s + op->off + op->len, r->s + op->off, r->len - op->off + 1);
		memcpy(r->s + op->off, p, op->len);
		r->len += op->len;
	} else {
		size_t end;
		uint32_t k = 1 + rnd(st, 3);

		op->insert = false;
		op->bytes = NULL;
		op->off = boundary_before(r, rnd(st, (uint32_t)r->len));
		end = op->off;
		while (k-- > 0 && end < r->len) {
			end++;
			while (end < r->len && ((unsigned char)r->s[end] & 0xC0) == 0x80)
				end++;
		}
		op->len = end - op->off;
		memmove(r->s + op->off, r->s + end, r->len - end + 1);
		r->len -= op->len;
	}
}

static int journal_op(struct journal *j, const struct op *op)
{
	return op->insert ? journal_insert(j, "notes", op->off, op->bytes, op->len)
			  : journal_delete(j, "notes", op->off, op->len);
}

/* The draft at path must be open with notes == want. */
static void expect_notes(const char *path, const char *want)
{
	struct draft_state d;
	const char *notes;

	ck_assert_int_eq(journal_recover(path, &d), 1);
	notes = draft_state_get(&d, "notes");
	ck_assert_ptr_nonnull(notes);
	ck_assert_uint_eq(strlen(notes), strlen(want));
	ck_assert_str_eq(notes, want);
	draft_state_free(&d);
}

/* to = the first n bytes of from. (A new file each time: truncating one
 * that has data makes ext4 flush it on close, which is slow.) */
static void copy_prefix(const char *from, const char *to, size_t n)
{
	FILE *in, *out;
	char *b = malloc(n + 1);

	unlink(to);
	in = fopen(from, "rb");
	out = fopen(to, "wb");

	CHECK(in != NULL);
	CHECK(out != NULL);
	CHECK(fread(b, 1, n, in) == n);
	CHECK(fwrite(b, 1, n, out) == n);
	free(b);
	fclose(in);
	fclose(out);
}

static void append_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "ab");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

static void poke(const char *path, off_t at, unsigned char v)
{
	int fd = open(path, O_WRONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, &v, 1, at), 1);
	close(fd);
}

/* --- records encoded by hand, from the format in journal.h --------------- */

static uint32_t crc32_bitwise(const unsigned char *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n-- > 0) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static size_t record(unsigned char *out, int type, const void *payload, size_t n)
{
	out[0] = 0xFE;
	out[1] = 'J';
	out[2] = (unsigned char)type;
	out[3] = 0;
	le32(out + 4, (uint32_t)n);
	memcpy(out + 12, payload, n);
	le32(out + 8, crc32_bitwise(out + 12, n, crc32_bitwise(out, 8, 0)));
	return 12 + n;
}

/* name + optional u32s + bytes, as SET / INSERT / DELETE payloads are. */
static size_t field_payload(unsigned char *out, const char *name, int nints, const uint32_t *ints,
			    const char *bytes)
{
	size_t o = 0, nl = strlen(name);

	out[o++] = (unsigned char)nl;
	memcpy(out + o, name, nl);
	o += nl;
	for (int i = 0; i < nints; i++, o += 4)
		le32(out + o, ints[i]);
	if (bytes) {
		memcpy(out + o, bytes, strlen(bytes));
		o += strlen(bytes);
	}
	return o;
}

/* --- tests --------------------------------------------------------------- */

/* Everything written is durable: nothing pending, nothing due however late. */
static void assert_all_synced(struct journal *j)
{
	ck_assert(!journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, journal_now_ms() + 100000));
}

START_TEST(uuid_is_version_4)
{
	char a[JOURNAL_UUID_LEN + 1], b[JOURNAL_UUID_LEN + 1];

	ck_assert_int_eq(journal_uuid(a), 0);
	ck_assert_int_eq(journal_uuid(b), 0);
	ck_assert_uint_eq(strlen(a), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			ck_assert_int_eq(a[i], '-');
		else
			ck_assert_ptr_nonnull(strchr("0123456789abcdef", a[i]));
	}
	ck_assert_int_eq(a[14], '4');
	ck_assert_ptr_nonnull(strchr("89ab", a[19]));
	ck_assert_str_ne(a, b);
}
END_TEST

/* journal_uuid in a child: with no_fds, no file descriptor can be opened
 * (RLIMIT_NOFILE 0); with refuse_getrandom, getrandom(2) answers ENOSYS
 * like an old kernel (a seccomp filter on the syscall number; the child
 * runs only native code, so the architecture is not checked). Returns
 * what the child found, as enum uuid_child. */
enum uuid_child { UUID_OK, UUID_FAILED_EMFILE, UUID_FAILED_OTHER, UUID_BAD, UUID_NO_SECCOMP };

static int uuid_in_child(bool no_fds, bool refuse_getrandom)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char id[JOURNAL_UUID_LEN + 1];

		if (refuse_getrandom) {
			struct sock_filter code[] = {
				BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
				BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 1),
				BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
				BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
			};
			struct sock_fprog prog = { .len = N(code), .filter = code };

			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
				_exit(UUID_NO_SECCOMP);
		}
		if (no_fds) {
			struct rlimit none = { 0, 0 };

			if (setrlimit(RLIMIT_NOFILE, &none) < 0)
				_exit(UUID_FAILED_OTHER);
		}
		if (journal_uuid(id) < 0)
			_exit(errno == EMFILE ? UUID_FAILED_EMFILE : UUID_FAILED_OTHER);
		_exit(strlen(id) == JOURNAL_UUID_LEN && id[14] == '4' ? UUID_OK : UUID_BAD);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* One getrandom(2): no /dev/urandom opened (none could be), and where the
 * kernel has no getrandom, /dev/urandom still gives an id. */
START_TEST(uuid_needs_no_file_and_falls_back)
{
	int refused;

	ck_assert_int_eq(uuid_in_child(true, false), UUID_OK);
	refused = uuid_in_child(false, true);
	if (refused == UUID_NO_SECCOMP)
		return;         /* no seccomp here: the fallback cannot be shown */
	ck_assert_int_eq(refused, UUID_OK);
	/* ... and it is /dev/urandom that gave it: without a descriptor it cannot. */
	ck_assert_int_eq(uuid_in_child(true, true), UUID_FAILED_EMFILE);
}
END_TEST

START_TEST(fields_come_back)
{
	const char *path = in_dir("kim.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;

	ck_assert_ptr_null(journal_draft(j));
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "카드 분실"), 0);
	ck_assert_int_eq(journal_set(j, "phone", "010-1234-5678"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "카드 분실 신고"), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 0, "고객님 요청", strlen("고객님 요청")), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 3, " ", 1), 0);
	ck_assert_int_eq(journal_delete(j, "notes", 0, 3), 0);
	ck_assert_str_eq(draft_state_get(journal_draft(j), "notes"), " 객님 요청");
	journal_close(j);

	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, ID);
	ck_assert_str_eq(draft_state_get(&d, "subject"), "카드 분실 신고");
	ck_assert_str_eq(draft_state_get(&d, "phone"), "010-1234-5678");
	ck_assert_str_eq(draft_state_get(&d, "notes"), " 객님 요청");
	ck_assert_ptr_null(draft_state_get(&d, "email"));
	ck_assert_uint_eq(d.nfields, 3);
	draft_state_free(&d);

	/* No file at all: nothing to restore. */
	ck_assert_int_eq(journal_recover(in_dir("nobody.journal"), &d), 0);
	ck_assert_uint_eq(d.nfields, 0);
	draft_state_free(&d);
}
END_TEST

START_TEST(random_edits_replay_exactly)
{
	static struct ref r;
	const char *path = in_dir("r.journal");

	for (uint64_t seed = 1; seed <= 3; seed++) {
		uint64_t st = seed * 0x9E3779B97F4A7C15ull;
		struct journal *j = open_ok(path);
		struct op op;

		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(journal_begin(j, ID), 0);
		for (int i = 0; i < 3000; i++) {
			next_op(&r, &st, &op);
			CHECK(journal_op(j, &op) == 0);
		}
		ck_assert_str_eq(draft_state_get(journal_draft(j), "notes"), r.s);
		journal_close(j);
		expect_notes(path, r.s);
		ck_assert_int_eq(unlink(path), 0);
	}
}
END_TEST

START_TEST(torn_tail_at_every_byte)
{
	static struct ref states[41];
	const char *path = in_dir("t.journal"), *cut = in_dir("cut.journal");
	struct journal *j = open_ok(path);
	off_t ends[41], size;
	uint64_t st = 42;
	struct ref r = { .len = 0 };

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "notes", ""), 0);
	ends[0] = file_size(path);
	states[0] = r;
	for (int i = 1; i < 41; i++) {
		struct op op;

		next_op(&r, &st, &op);
		ck_assert_int_eq(journal_op(j, &op), 0);
		ends[i] = file_size(path);
		states[i] = r;
	}
	journal_close(j);
	size = file_size(path);
	ck_assert_int_eq(size, ends[40]);

	/* Cut the file at every byte: what was whole before the cut comes back. */
	for (off_t n = 0; n <= size; n++) {
		struct draft_state d;
		int k = -1, rc;

		copy_prefix(path, cut, (size_t)n);
		while (k + 1 < 41 && ends[k + 1] <= n)
			k++;
		rc = journal_recover(cut, &d);
		if (k < 0) {
			/* Before the first SET: the draft is begun or not, notes never set. */
			CHECK(rc >= 0);
			ck_assert_ptr_null(draft_state_get(&d, "notes"));
		} else {
			CHECK(rc == 1);
			if (strcmp(draft_state_get(&d, "notes"), states[k].s) != 0)
				ck_abort_msg("cut at %lld: state %d expected", (long long)n, k);
		}
		draft_state_free(&d);
	}
}
END_TEST

START_TEST(garbage_tail_ignored_then_cut)
{
	static const unsigned char junk[] = {
		0xFE, 'J', 3, 0, 0xFF, 0xFF, 0, 0, 1, 2, 3, 4, 'g', 'a', 'r', 0xFE, 'J', 0xFE, 0x00, 0x7F,
	};
	const char *path = in_dir("g.journal");
	struct journal *j = open_ok(path);

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 0, "상담 내용", strlen("상담 내용")), 0);
	journal_close(j);
	append_bytes(path, junk, sizeof(junk));
	expect_notes(path, "상담 내용");

	/* Reopening rewrites the file; new edits after the junk replay too. */
	j = open_ok(path);
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_int_eq(journal_insert(j, "notes", strlen("상담 내용"), "!", 1), 0);
	journal_close(j);
	expect_notes(path, "상담 내용!");
	ck_assert_int_lt(file_size(path), 200);
}
END_TEST

START_TEST(corrupt_record_skipped)
{
	const char *path = in_dir("c.journal");

	/* First a flipped payload byte, then a wrecked length field. */
	for (int variant = 0; variant < 2; variant++) {
		struct journal *j = open_ok(path);
		struct draft_state d;
		off_t b_at;

		ck_assert_int_eq(journal_begin(j, ID), 0);
		ck_assert_int_eq(journal_set(j, "a", "one"), 0);
		b_at = file_size(path);
		ck_assert_int_eq(journal_set(j, "b", "two"), 0);
		ck_assert_int_eq(journal_set(j, "c", "three"), 0);
		journal_close(j);
		if (variant == 0)
			poke(path, b_at + 12 + 2, 'T');
		else
			poke(path, b_at + 5, 0x7F);

		ck_assert_int_eq(journal_recover(path, &d), 1);
		ck_assert_str_eq(draft_state_get(&d, "a"), "one");
		ck_assert_ptr_null(draft_state_get(&d, "b"));
		ck_assert_str_eq(draft_state_get(&d, "c"), "three");
		draft_state_free(&d);
		ck_assert_int_eq(unlink(path), 0);
	}
}
END_TEST

START_TEST(hand_encoded_records_and_bad_offsets)
{
	static const unsigned char check[] = "123456789";
	const char *path = in_dir("h.journal");
	unsigned char buf[2048], p[256];
	size_t o = 0;
	FILE *f;

	/* The format's checksum is the usual CRC-32. */
	ck_assert_uint_eq(crc32_bitwise(check, 9, 0), 0xCBF43926u);

	o += record(buf + o, JOURNAL_BEGIN, ID, strlen(ID));
	o += record(buf + o, JOURNAL_SET, p, field_payload(p, "notes", 0, NULL, "가나"));
	o += record(buf + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 100 }, "x"));
	o += record(buf + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 1 }, "x"));  /* inside 가 */
	o += record(buf + o, JOURNAL_DELETE, p, field_payload(p, "notes", 2, (uint32_t[]){ 0, 99 }, NULL));
	o += record(buf + o, JOURNAL_DELETE, p, field_payload(p, "notes", 2, (uint32_t[]){ 4294967295u, 2 }, NULL));
	o += record(buf + o, JOURNAL_DELETE, p, field_payload(p, "notes", 2, (uint32_t[]){ 2, 3 }, NULL)); /* splits */
	o += record(buf + o, JOURNAL_DELETE, p, field_payload(p, "notes", 2, (uint32_t[]){ 3, 3 }, NULL)); /* -> 가 */
	o += record(buf + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 3 }, "!"));   /* -> 가! */
	o += record(buf + o, JOURNAL_SET, p, field_payload(p, "", 0, NULL, "nameless"));
	o += record(buf + o, 9, "?", 1);                                                       /* unknown type */
	o += record(buf + o, JOURNAL_SAVED, "another-draft", strlen("another-draft"));
	o += record(buf + o, JOURNAL_DELETE, p, field_payload(p, "subject", 2, (uint32_t[]){ 0, 1 }, NULL));
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, o, f), o);
	fclose(f);
	expect_notes(path, "가!");

	/* SAVED with the open draft's id closes it. */
	o = record(buf, JOURNAL_SAVED, ID, strlen(ID));
	append_bytes(path, buf, o);
	{
		struct draft_state d;

		ck_assert_int_eq(journal_recover(path, &d), 0);
		draft_state_free(&d);
	}
}
END_TEST

START_TEST(refused_edits_are_not_written)
{
	const char *path = in_dir("x.journal");
	struct journal *j = open_ok(path);
	char name[16];
	off_t size;

	errno = 0;
	ck_assert_int_eq(journal_set(j, "subject", "no draft yet"), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_ne(journal_error(j), "");
	ck_assert_int_eq(journal_begin(j, "0123456789012345678901234567890123456789"), -1);
	ck_assert_int_eq(file_size(path), 0);

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 0, "abc", 3), 0);
	size = file_size(path);
	ck_assert_int_eq(journal_insert(j, "notes", 4, "d", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(journal_delete(j, "notes", 1, 3), -1);
	ck_assert_int_eq(journal_delete(j, "other", 0, 1), -1);
	ck_assert_int_eq(journal_set(j, "a_field_name_that_is_far_too_long", "x"), -1);
	ck_assert_int_eq(journal_set(j, "", "x"), -1);
	ck_assert_int_eq(file_size(path), size);
	for (int i = 1; i < JOURNAL_MAX_FIELDS; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ck_assert_int_eq(journal_set(j, name, "v"), 0);
	}
	size = file_size(path);
	ck_assert_int_eq(journal_set(j, "one_too_many", "v"), -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_int_eq(file_size(path), size);
	ck_assert_int_eq(journal_delete(j, "notes", 1, 1), 0);
	journal_close(j);
	expect_notes(path, "ac");
}
END_TEST

START_TEST(saved_draft_leaves_nothing)
{
	const char *path = in_dir("s.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "배송 문의"), 0);
	ck_assert_int_eq(journal_saved(j, "not-this-one"), 0);     /* another id changes nothing */
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_int_gt(file_size(path), 0);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_ptr_null(journal_draft(j));
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_recover(path, &d), 0);
	draft_state_free(&d);

	/* Discarding too; and a later draft after it replays alone. */
	ck_assert_int_eq(journal_begin(j, "draft-2"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "old"), 0);
	ck_assert_int_eq(journal_discard(j, "draft-2"), 0);
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_begin(j, "draft-3"), 0);
	ck_assert_int_eq(journal_set(j, "phone", "02-555-0100"), 0);
	journal_close(j);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "draft-3");
	ck_assert_ptr_null(draft_state_get(&d, "subject"));
	draft_state_free(&d);
}
END_TEST

START_TEST(newer_begin_supersedes)
{
	const char *path = in_dir("n.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;

	ck_assert_int_eq(journal_begin(j, "first"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "first subject"), 0);
	ck_assert_int_eq(journal_begin(j, "second"), 0);
	ck_assert_int_eq(journal_set(j, "phone", "1"), 0);
	ck_assert_int_eq(journal_saved(j, "first"), 0);     /* not the open one */
	journal_close(j);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "second");
	ck_assert_ptr_null(draft_state_get(&d, "subject"));
	ck_assert_str_eq(draft_state_get(&d, "phone"), "1");
	draft_state_free(&d);
}
END_TEST

START_TEST(reopen_restores_and_compacts)
{
	static struct ref r;
	const char *path = in_dir("o.journal");
	struct journal *j = open_ok(path);
	const struct draft_state *open_draft;
	uint64_t st = 7;
	struct op op;
	off_t before;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "해지 방어"), 0);
	for (int i = 0; i < 800; i++) {
		next_op(&r, &st, &op);
		CHECK(journal_op(j, &op) == 0);
	}
	journal_close(j);
	before = file_size(path);

	j = open_ok(path);
	open_draft = journal_draft(j);
	ck_assert_ptr_nonnull(open_draft);
	ck_assert_str_eq(open_draft->id, ID);
	ck_assert_str_eq(draft_state_get(open_draft, "notes"), r.s);
	ck_assert_str_eq(draft_state_get(open_draft, "subject"), "해지 방어");
	ck_assert_int_lt(file_size(path), before / 4);
	ck_assert_int_lt(file_size(path), (off_t)r.len + 200);
	ck_assert_int_ne(access(in_dir("o.journal.tmp"), F_OK), 0);
	for (int i = 0; i < 200; i++) {
		next_op(&r, &st, &op);
		CHECK(journal_op(j, &op) == 0);
	}
	journal_close(j);
	expect_notes(path, r.s);
}
END_TEST

START_TEST(long_session_compacts_itself)
{
	const char *path = in_dir("l.journal");
	struct journal *j = open_ok(path);
	char block[500];
	off_t largest = 0;

	memset(block, 'z', sizeof(block));
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "notes", "keep"), 0);
	for (int i = 0; i < 3000; i++) {           /* ~1.5 MB of records */
		off_t size;

		CHECK(journal_insert(j, "notes", 4, block, sizeof(block)) == 0);
		CHECK(journal_delete(j, "notes", 4, sizeof(block)) == 0);
		size = file_size(path);
		if (size > largest)
			largest = size;
	}
	ck_assert_int_le(largest, 300 * 1024);
	journal_close(j);
	expect_notes(path, "keep");
}
END_TEST

START_TEST(second_console_refused)
{
	const char *path = in_dir("lock.journal");
	struct journal *a = open_ok(path), *b;
	char err[256];

	b = journal_open(path, err, sizeof(err));
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(err, "another ccterm of this login is running"));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_int_eq(errno, EWOULDBLOCK);
	journal_close(a);
	b = open_ok(path);
	journal_close(b);
}
END_TEST

START_TEST(sync_is_batched)
{
	const char *path = in_dir("b.journal");
	struct journal *j = open_ok(path);
	long long t0 = journal_now_ms();

	ck_assert(!journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, t0 + 100000));
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "a"), 0);
	ck_assert(journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, t0));
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));
	ck_assert_int_eq(journal_sync(j), 0);
	assert_all_synced(j);
	ck_assert_int_eq(journal_sync(j), 0);       /* nothing to do */
	journal_close(j);
}
END_TEST

START_TEST(default_path_under_xdg_state)
{
	char path[512], want[512], small[8];
	struct stat st;
	const char *old_xdg = getenv("XDG_STATE_HOME"), *old_home = getenv("HOME");
	char *saved_xdg = old_xdg ? strdup(old_xdg) : NULL, *saved_home = old_home ? strdup(old_home) : NULL;

	setenv("XDG_STATE_HOME", in_dir("state/deeper"), 1);
	ck_assert_int_eq(journal_default_path("kim", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/state/deeper/ccterm/kim.journal", dir);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(stat(in_dir("state/deeper/ccterm"), &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(journal_default_path("../x/y", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/state/deeper/ccterm/_._x_y.journal", dir);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(journal_default_path("kim", small, sizeof(small)), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(journal_default_path("", path, sizeof(path)), -1);

	/* A relative XDG_STATE_HOME is ignored: ~/.local/state. */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	setenv("HOME", in_dir("home"), 1);
	ck_assert_int_eq(journal_default_path("lee", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/home/.local/state/ccterm/lee.journal", dir);
	ck_assert_str_eq(path, want);
	ck_assert_int_eq(stat(in_dir("home/.local/state/ccterm"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	journal_close(open_ok(path));

	/* A state directory that cannot be made: the path still comes back, for the message. */
	{
		FILE *f = fopen(in_dir("a_file"), "w");

		ck_assert_ptr_nonnull(f);
		fclose(f);
		setenv("XDG_STATE_HOME", in_dir("a_file"), 1);
		errno = 0;
		ck_assert_int_eq(journal_default_path("kim", path, sizeof(path)), -1);
		ck_assert_int_eq(errno, ENOTDIR);
		snprintf(want, sizeof(want), "%s/a_file/ccterm/kim.journal", dir);
		ck_assert_str_eq(path, want);
		ck_assert_int_eq(journal_default_path("kim", small, sizeof(small)), -1);
		ck_assert_str_eq(small, "");
	}

	if (saved_xdg)
		setenv("XDG_STATE_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_STATE_HOME");
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_xdg);
	free(saved_home);
}
END_TEST

START_TEST(failed_writes_heal_by_rewrite)
{
	static char want[8192];
	const char *path = in_dir("f.journal");
	struct journal *j = open_ok(path);
	struct rlimit old, small;
	void (*old_handler)(int);
	char chunk[51];
	size_t len = 0;
	int failures = 0;

	memset(chunk, 'q', 50);
	chunk[50] = '\0';
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "notes", ""), 0);

	/* The disk "fills up": writes past 2 KiB fail (EFBIG, SIGXFSZ ignored). */
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 2048;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	for (int i = 0; i < 60; i++) {
		if (journal_insert(j, "notes", len, chunk, 50) < 0) {
			CHECK(errno == EFBIG);
			failures++;
		}
		/* Kept in the journal's copy either way. */
		memcpy(want + len, chunk, 51);
		len += 50;
	}
	ck_assert_int_gt(failures, 0);
	ck_assert_str_ne(journal_error(j), "");
	ck_assert_int_le(file_size(path), 2048);
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));

	/* Space again: the next sync rewrites the file whole. */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	ck_assert_int_eq(journal_sync(j), 0);
	ck_assert(!journal_sync_pending(j));
	expect_notes(path, want);
	ck_assert_int_eq(journal_insert(j, "notes", len, "!", 1), 0);
	journal_close(j);
	want[len] = '!';
	want[len + 1] = '\0';
	expect_notes(path, want);
}
END_TEST

/* --- a killed console -------------------------------------------------- */

/* In a child: journal `steps` random edits of seed, telling the parent the
 * count every `every` steps, then a final 'count'; then wait to be killed. */
static void child_types(const char *path, uint64_t seed, int steps, int every, int wfd)
{
	static struct ref r;
	char err[256];
	struct journal *j = journal_open(path, err, sizeof(err));
	struct op op;

	if (!j || journal_begin(j, ID) < 0 || journal_set(j, "subject", "환불 문의") < 0)
		_exit(2);
	for (int i = 1; i <= steps; i++) {
		next_op(&r, &seed, &op);
		if (journal_op(j, &op) < 0)
			_exit(3);
		if (i % every == 0 && write(wfd, &i, sizeof(i)) != sizeof(i))
			_exit(4);
	}
	for (;;)
		pause();
}

static pid_t spawn_typist(const char *path, uint64_t seed, int steps, int every, int *rfd)
{
	int fds[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child_types(path, seed, steps, every, fds[1]);
	}
	close(fds[1]);
	*rfd = fds[0];
	return pid;
}

static void kill_hard(pid_t pid)
{
	int status;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
}

START_TEST(sigkill_after_typing_loses_nothing)
{
	static struct ref r;
	const char *path = in_dir("k.journal");
	uint64_t seed = 1234;
	struct draft_state d;
	struct op op;
	int rfd, got = 0;
	pid_t pid = spawn_typist(path, seed, 1500, 1500, &rfd);

	ck_assert_int_eq(read(rfd, &got, sizeof(got)), (ssize_t)sizeof(got));
	ck_assert_int_eq(got, 1500);
	kill_hard(pid);
	close(rfd);

	memset(&r, 0, sizeof(r));
	for (int i = 0; i < 1500; i++)
		next_op(&r, &seed, &op);
	expect_notes(path, r.s);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, ID);
	ck_assert_str_eq(draft_state_get(&d, "subject"), "환불 문의");
	draft_state_free(&d);
}
END_TEST

START_TEST(sigkill_mid_typing_keeps_a_prefix)
{
	static struct ref r;
	const char *path = in_dir("m.journal");
	uint64_t seed = 99;
	struct draft_state d;
	struct op op;
	const char *notes;
	int rfd, got = 0, steps = 20000, match = -1;
	pid_t pid = spawn_typist(path, seed, steps, 100, &rfd);

	while (got < 1000)
		CHECK(read(rfd, &got, sizeof(got)) == (ssize_t)sizeof(got));
	kill_hard(pid);
	close(rfd);

	/* What comes back is the text after some step at or past the last one reported. */
	ck_assert_int_eq(journal_recover(path, &d), 1);
	notes = draft_state_get(&d, "notes");
	ck_assert_ptr_nonnull(notes);
	memset(&r, 0, sizeof(r));
	for (int i = 1; i <= steps && match < 0; i++) {
		next_op(&r, &seed, &op);
		if (i >= got && r.len == strlen(notes) && memcmp(r.s, notes, r.len) == 0)
			match = i;
	}
	ck_assert_msg(match >= got, "recovered text is no state at or after step %d", got);
	draft_state_free(&d);

	/* And the console starting again picks it up and goes on. */
	journal_close(open_ok(path));
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(draft_state_get(&d, "notes"), r.s);
	draft_state_free(&d);
}
END_TEST

/* --- the notes editor journaled as it is used ---------------------------- */

static void to_journal(void *arg, bool insert, size_t off, const char *bytes, size_t len)
{
	struct journal *j = arg;

	CHECK((insert ? journal_insert(j, "notes", off, bytes, len) : journal_delete(j, "notes", off, len)) == 0);
}

START_TEST(textbuf_edits_replay)
{
	static const char *const typed[] = { "네", ", ", "확인했습니다", "\n", "e\xCC\x81", "OK", "😀" };
	const char *path = in_dir("tb.journal");
	struct journal *j = open_ok(path);
	struct textbuf *tb = textbuf_new(0);
	uint64_t st = 5;

	ck_assert_int_eq(journal_begin(j, ID), 0);
	textbuf_set_on_edit(tb, to_journal, j);
	for (int i = 0; i < 4000; i++) {
		switch (rnd(&st, 8)) {
		case 0: case 1: case 2: {
			const char *s = typed[rnd(&st, N(typed))];

			textbuf_insert(tb, s, strlen(s));
			break;
		}
		case 3: textbuf_backspace(tb); break;
		case 4: textbuf_delete(tb); break;
		case 5: textbuf_left(tb); break;
		case 6: textbuf_up(tb, 1 + (int)rnd(&st, 20)); break;
		default: textbuf_down(tb, 1 + (int)rnd(&st, 20)); break;
		}
	}
	journal_close(j);
	expect_notes(path, textbuf_text(tb));
	textbuf_free(tb);
}
END_TEST


/* --- typing on after F10 --------------------------------------------------- */

START_TEST(typing_after_save_is_kept)
{
	const char *path = in_dir("as.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "환불"), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 0, "abc", 3), 0);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_ptr_null(journal_draft(j));
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_recover(path, &d), 0);

	/* The agent types on in the same form: the whole draft is back in the file. */
	ck_assert_int_eq(journal_insert(j, "notes", 3, "d", 1), 0);
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_str_eq(draft_state_get(journal_draft(j), "notes"), "abcd");
	ck_assert_int_eq(journal_recover(path, &d), 1);      /* what a kill -9 now leaves */
	ck_assert_str_eq(d.id, ID);
	ck_assert_str_eq(draft_state_get(&d, "notes"), "abcd");
	ck_assert_str_eq(draft_state_get(&d, "subject"), "환불");
	draft_state_free(&d);

	/* Saved again (the same draft id), edited again: still the latest. */
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_int_eq(journal_recover(path, &d), 0);
	ck_assert_int_eq(journal_saved(j, ID), 0);          /* twice: nothing changes */
	ck_assert_int_eq(journal_delete(j, "notes", 0, 1), 0);
	ck_assert_int_eq(journal_set(j, "subject", "환불 문의"), 0);
	expect_notes(path, "bcd");
	journal_close(j);

	j = open_ok(path);
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_str_eq(journal_draft(j)->id, ID);
	ck_assert_str_eq(draft_state_get(journal_draft(j), "notes"), "bcd");
	ck_assert_str_eq(draft_state_get(journal_draft(j), "subject"), "환불 문의");
	/* Saved and closed with nothing typed after: nothing comes back. */
	ck_assert_int_eq(journal_saved(j, ID), 0);
	journal_close(j);
	ck_assert_int_eq(journal_recover(path, &d), 0);
	j = open_ok(path);
	ck_assert_ptr_null(journal_draft(j));
	/* A saved draft discarded afterwards, or superseded, is gone too. */
	ck_assert_int_eq(journal_begin(j, "draft-2"), 0);
	ck_assert_int_eq(journal_set(j, "notes", "x"), 0);
	ck_assert_int_eq(journal_saved(j, "draft-2"), 0);
	ck_assert_int_eq(journal_discard(j, "draft-2"), 0);
	ck_assert_int_eq(journal_set(j, "notes", "y"), -1);  /* no draft open any more */
	ck_assert_int_eq(file_size(path), 0);
	journal_close(j);
}
END_TEST

/* A console that saved, typed on and was killed -9: the text after the save is there. */
/* The rewrite after a save fails (disk full): the edit is kept in the copy
 * and the next sync writes the draft whole. */
START_TEST(failed_rewrite_after_save_heals_at_sync)
{
	static char want[4096];
	const char *path = in_dir("fs.journal");
	struct journal *j = open_ok(path);
	struct rlimit old, small;
	void (*old_handler)(int);

	memset(want, 'w', 3000);
	want[3000] = '\0';
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "notes", want), 0);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 2048;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	ck_assert_int_eq(journal_insert(j, "notes", 3000, "!", 1), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_ptr_nonnull(journal_draft(j));         /* kept in the copy */
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	ck_assert_int_eq(journal_sync(j), 0);
	strcat(want, "!");
	expect_notes(path, want);
	journal_close(j);
	expect_notes(path, want);
}
END_TEST

START_TEST(sigkill_after_save_and_edit_keeps_the_edit)
{
	const char *path = in_dir("ks.journal");
	struct draft_state d;
	int fds[2], go = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char err[256];
		struct journal *j = journal_open(path, err, sizeof(err));

		if (!j || journal_begin(j, ID) < 0 || journal_insert(j, "notes", 0, "before", 6) < 0 ||
		    journal_saved(j, ID) < 0 || journal_insert(j, "notes", 6, " after", 6) < 0 ||
		    journal_delete(j, "notes", 0, 1) < 0)
			_exit(1);
		go = 1;
		if (write(fds[1], &go, sizeof(go)) != sizeof(go))
			_exit(1);
		for (;;)
			pause();        /* no journal_close, no sync: killed like a console */
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &go, sizeof(go)), (ssize_t)sizeof(go));
	kill_hard(pid);
	close(fds[0]);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, ID);
	ck_assert_str_eq(draft_state_get(&d, "notes"), "efore after");
	draft_state_free(&d);
}
END_TEST

static ino_t file_inode(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0);
	return st.st_ino;
}

/* The next call's draft after a saved contact: its BEGIN is appended to the
 * emptied file like any record, not a rewrite (path.tmp, fdatasync, rename)
 * in front of the pop's frame. */
START_TEST(begin_after_save_appends)
{
	const char *path = in_dir("bs.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;
	ino_t ino;

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "환불"), 0);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_int_eq(file_size(path), 0);
	ino = file_inode(path);

	ck_assert_int_eq(journal_begin(j, "draft-2"), 0);
	ck_assert_int_eq(file_inode(path), ino);         /* the same file: no rename */
	ck_assert(journal_sync_pending(j));              /* batched like any append: no fdatasync yet */
	ck_assert_int_eq(journal_set(j, "channel", "phone"), 0);
	ck_assert_int_eq(file_inode(path), ino);
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_str_eq(journal_draft(j)->id, "draft-2");
	ck_assert_ptr_null(draft_state_get(journal_draft(j), "subject"));

	/* What a kill -9 now leaves: the new draft, nothing of the saved one. */
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "draft-2");
	ck_assert_uint_eq(d.nfields, 1);
	ck_assert_str_eq(draft_state_get(&d, "channel"), "phone");
	draft_state_free(&d);

	/* An edit after a save (not a BEGIN) still writes the draft whole. */
	ck_assert_int_eq(journal_saved(j, "draft-2"), 0);
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_set(j, "kind", "inquiry"), 0);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "draft-2");
	ck_assert_str_eq(draft_state_get(&d, "channel"), "phone");
	ck_assert_str_eq(draft_state_get(&d, "kind"), "inquiry");
	draft_state_free(&d);
	journal_close(j);

	j = open_ok(path);
	ck_assert_ptr_nonnull(journal_draft(j));
	ck_assert_str_eq(journal_draft(j)->id, "draft-2");
	ck_assert_str_eq(draft_state_get(journal_draft(j), "kind"), "inquiry");
	journal_close(j);
}
END_TEST

START_TEST(hand_encoded_edit_after_saved_reopens)
{
	const char *path = in_dir("hs.journal");
	unsigned char buf[1024], p[256];
	size_t o = 0;
	FILE *f;

	o += record(buf + o, JOURNAL_BEGIN, ID, strlen(ID));
	o += record(buf + o, JOURNAL_SET, p, field_payload(p, "notes", 0, NULL, "x"));
	o += record(buf + o, JOURNAL_SAVED, ID, strlen(ID));
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, o, f), o);
	fclose(f);
	{
		struct draft_state d;

		ck_assert_int_eq(journal_recover(path, &d), 0);
		draft_state_free(&d);
	}
	o = record(buf, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 1 }, "y"));
	append_bytes(path, buf, o);
	expect_notes(path, "xy");
}
END_TEST

/* --- several records in one write ---------------------------------------- */

/* write(2) calls this process has made so far (the kernel's count in
 * /proc/self/io); -1 when it does not say. Only read(2) in here. */
static long long writes_so_far(void)
{
	char buf[512], *at;
	int fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	at = strstr(buf, "syscw: ");
	return at ? atoll(at + 7) : -1;
}

/* A new draft and its prefilled fields, as desk_draft_new journals them. */
static void held_draft(struct journal *j, const char *id, int *failed)
{
	journal_hold(j);
	*failed += journal_begin(j, id) != 0;
	*failed += journal_set(j, "channel", "phone") != 0;
	*failed += journal_set(j, "direction", "in") != 0;
	*failed += journal_set(j, "kind", "inquiry") != 0;
	*failed += journal_set(j, "call_id", "4711") != 0;
	*failed += journal_set(j, "customer_id", "1000042") != 0;
}

static void expect_held_draft(const char *path, const char *id)
{
	struct journal_report rep;
	struct draft_state d;

	ck_assert_int_eq(journal_recover_report(path, &d, &rep), 1);
	ck_assert_str_eq(d.id, id);
	ck_assert_uint_eq(d.nfields, 5);
	ck_assert_str_eq(draft_state_get(&d, "channel"), "phone");
	ck_assert_str_eq(draft_state_get(&d, "direction"), "in");
	ck_assert_str_eq(draft_state_get(&d, "kind"), "inquiry");
	ck_assert_str_eq(draft_state_get(&d, "call_id"), "4711");
	ck_assert_str_eq(draft_state_get(&d, "customer_id"), "1000042");
	ck_assert_uint_eq(rep.refused, 0);
	ck_assert_uint_eq(rep.damaged, 0);
	draft_state_free(&d);
}

START_TEST(held_records_go_out_in_one_write)
{
	const char *path = in_dir("h.journal");
	struct journal *j = open_ok(path);
	long long before, after;
	struct draft_state d;
	int failed = 0;
	off_t size;
	ino_t ino;

	ck_assert_int_eq(journal_begin(j, "old-draft"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "before"), 0);
	size = file_size(path);

	held_draft(j, ID, &failed);
	ck_assert_int_eq(failed, 0);
	/* The copy has them; the file not yet: it still replays to the old draft. */
	ck_assert_str_eq(journal_draft(j)->id, ID);
	ck_assert_str_eq(draft_state_get(journal_draft(j), "kind"), "inquiry");
	ck_assert_int_eq(file_size(path), size);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "old-draft");
	draft_state_free(&d);

	before = writes_so_far();
	CHECK(journal_release(j) == 0);         /* no ck_assert in between: it writes too */
	after = writes_so_far();
	ck_assert_int_ge(before, 0);
	ck_assert_int_eq(after - before, 1);
	ck_assert_int_gt(file_size(path), size);
	expect_held_draft(path, ID);
	ck_assert(journal_sync_pending(j));

	/* Released: edits are written one by one again. */
	size = file_size(path);
	ck_assert_int_eq(journal_set(j, "subject", "after"), 0);
	ck_assert_int_gt(file_size(path), size);

	/* After a saved contact: the next draft is one append to the same file. */
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_int_eq(file_size(path), 0);
	ino = file_inode(path);
	failed = 0;
	held_draft(j, "draft-2", &failed);
	before = writes_so_far();
	CHECK(journal_release(j) == 0);
	after = writes_so_far();
	ck_assert_int_eq(failed, 0);
	ck_assert_int_eq(after - before, 1);
	ck_assert_int_eq(file_inode(path), ino);
	expect_held_draft(path, "draft-2");
	journal_close(j);
	expect_held_draft(path, "draft-2");
}
END_TEST

/* An edit refused while held leaves nothing in what is written. */
START_TEST(refused_while_held_is_not_written)
{
	const char *path = in_dir("hr.journal");
	struct journal *j = open_ok(path);
	int failed = 0;

	held_draft(j, ID, &failed);
	ck_assert_int_eq(journal_insert(j, "notes", 5, "x", 1), -1);     /* past the end of "" */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(journal_set(j, "", "x"), -1);
	ck_assert_int_eq(journal_begin(j, ""), -1);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_null(draft_state_get(journal_draft(j), "notes"));
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_release(j), 0);
	expect_held_draft(path, ID);         /* and the report counts nothing refused */
	ck_assert_int_eq(journal_release(j), 0);    /* nothing held: nothing to do */
	journal_close(j);
}
END_TEST

/* Saving, syncing and closing write what is held first. */
START_TEST(held_records_written_by_sync_save_close)
{
	const char *path = in_dir("hs.journal");
	struct journal *j = open_ok(path);
	struct draft_state d;
	int failed = 0;

	held_draft(j, ID, &failed);
	ck_assert_int_eq(failed, 0);
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_sync(j), 0);
	ck_assert(!journal_sync_pending(j));
	expect_held_draft(path, ID);

	/* Still held: the next edit waits again, and the save takes it along. */
	ck_assert_int_eq(journal_set(j, "subject", "held"), 0);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_ptr_null(draft_state_get(&d, "subject"));
	draft_state_free(&d);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_recover(path, &d), 0);
	draft_state_free(&d);
	ck_assert_int_eq(journal_release(j), 0);

	failed = 0;
	held_draft(j, "draft-2", &failed);
	ck_assert_int_eq(failed, 0);
	journal_close(j);
	expect_held_draft(path, "draft-2");
}
END_TEST

/* The held write fails (the disk is full): nothing half-written stays in
 * the file, the copy keeps the draft, and the next sync writes it whole. */
START_TEST(failed_release_heals_at_sync)
{
	const char *path = in_dir("hf.journal");
	struct journal *j = open_ok(path);
	struct rlimit old, small;
	void (*old_handler)(int);
	struct draft_state d;
	int failed = 0, rc, why;
	off_t size;

	ck_assert_int_eq(journal_begin(j, "old-draft"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "before"), 0);
	size = file_size(path);
	held_draft(j, ID, &failed);
	ck_assert_int_eq(failed, 0);

	/* Room for some of the held bytes, not all: the write is cut short.
	 * (The limit holds for Check's own messages too: no ck_assert under it.) */
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = (rlim_t)size + 40;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	errno = 0;
	rc = journal_release(j);
	why = errno;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(why, EFBIG);
	ck_assert_str_ne(journal_error(j), "");
	ck_assert_int_eq(file_size(path), size);                /* the partial record cut off */
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(d.id, "old-draft");
	draft_state_free(&d);
	ck_assert_str_eq(journal_draft(j)->id, ID);             /* kept in the copy */
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));

	/* Space again: the sync rewrites the file from the copy. */
	ck_assert_int_eq(journal_sync(j), 0);
	ck_assert(!journal_sync_pending(j));
	expect_held_draft(path, ID);
	ck_assert_int_eq(journal_set(j, "subject", "after"), 0);
	journal_close(j);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(draft_state_get(&d, "subject"), "after");
	ck_assert_str_eq(draft_state_get(&d, "customer_id"), "1000042");
	draft_state_free(&d);
}
END_TEST

/* --- hostile journal files -------------------------------------------------- */

START_TEST(report_says_what_was_skipped)
{
	const char *path = in_dir("rep.journal");
	unsigned char buf[2048], p[256];
	struct journal_report rep;
	struct draft_state d;
	char words[256];
	struct journal *j;
	size_t o = 0, half;

	o += record(buf + o, JOURNAL_BEGIN, ID, strlen(ID));
	memcpy(buf + o, "\xFE" "J\x02junk", 7);                          /* 7 bytes of damage */
	o += 7;
	o += record(buf + o, JOURNAL_SET, p, field_payload(p, "notes", 0, NULL, "ok"));
	o += record(buf + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 50 }, "no"));
	half = record(buf + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ 2 }, "!!"));
	o += half / 2;                                                   /* a torn end */
	ck_assert_int_eq(journal_replay(buf, o, &d, &rep), 1);
	ck_assert_str_eq(draft_state_get(&d, "notes"), "ok");
	draft_state_free(&d);
	ck_assert_uint_eq(rep.records, 2);
	ck_assert_uint_eq(rep.refused, 1);
	ck_assert_uint_eq(rep.damaged, 2);
	ck_assert_uint_eq(rep.damaged_bytes, 7 + half / 2);
	ck_assert(rep.torn_tail);
	ck_assert_uint_gt(journal_report_describe(&rep, words, sizeof(words)), 0);
	ck_assert_ptr_nonnull(strstr(words, "damaged bytes skipped (a torn end)"));
	ck_assert_ptr_nonnull(strstr(words, "1 record that did not apply"));

	/* journal_open says the same, and a clean file says nothing. */
	append_bytes(path, buf, o);
	j = open_ok(path);
	ck_assert_uint_eq(journal_open_report(j)->refused, 1);
	ck_assert(journal_open_report(j)->torn_tail);
	journal_close(j);
	j = open_ok(path);      /* compacted: clean now */
	ck_assert_uint_eq(journal_report_describe(journal_open_report(j), words, sizeof(words)), 0);
	ck_assert_str_eq(words, "");
	journal_close(j);

	/* Nothing valid at all, and nothing at all. */
	ck_assert_int_eq(journal_replay("\xFE\xFE\xFEJ", 4, &d, &rep), 0);
	ck_assert_uint_eq(rep.damaged_bytes, 4);
	ck_assert_int_eq(journal_replay("", 0, &d, &rep), 0);
	ck_assert_uint_eq(rep.damaged, 0);
}
END_TEST

/* A buffer of one SET of base_len bytes then pairs of edits: at 0 when far
 * is false (what typing does: near the last edit), else alternating between
 * the start and the end of the field. */
static unsigned char *edit_pairs(size_t base_len, int pairs, bool far, size_t *size)
{
	size_t cap = 64 + base_len + (size_t)pairs * 64, o = 0;
	unsigned char *b = malloc(cap), *p = malloc(base_len + 64);
	char *base = malloc(base_len + 1);

	memset(base, 'n', base_len);
	base[base_len] = '\0';
	o += record(b + o, JOURNAL_BEGIN, ID, strlen(ID));
	o += record(b + o, JOURNAL_SET, p, field_payload(p, "notes", 0, NULL, base));
	for (int i = 0; i < pairs; i++) {
		uint32_t at = far && i % 2 ? (uint32_t)base_len : 0;

		o += record(b + o, JOURNAL_INSERT, p, field_payload(p, "notes", 1, (uint32_t[]){ at }, "x"));
		o += record(b + o, JOURNAL_DELETE, p, field_payload(p, "notes", 2, (uint32_t[]){ at, 1 }, NULL));
	}
	free(p);
	free(base);
	*size = o;
	return b;
}

START_TEST(replay_cost_is_bounded)
{
	struct journal_report rep;
	struct draft_state d;
	size_t size;
	unsigned char *b = edit_pairs(60000, 30000, false, &size);

	/* 30,000 edit pairs on a 60 kB field: exact (bench/run-journal times it). */
	ck_assert_int_eq(journal_replay(b, size, &d, &rep), 1);
	ck_assert_uint_eq(rep.records, 2 + 60000);
	ck_assert(!rep.over_budget);
	ck_assert_uint_eq(strlen(draft_state_get(&d, "notes")), 60000);
	draft_state_free(&d);
	free(b);

	/* A hostile file that makes every edit move a 1 MB field: replay stops
	 * at the budget, keeps what it replayed and says what it left. */
	b = edit_pairs(JOURNAL_MAX_RECORD - 64, 6000, true, &size);
	ck_assert_int_eq(journal_replay(b, size, &d, &rep), 1);
	ck_assert(rep.over_budget);
	ck_assert_uint_gt(rep.unread_bytes, 0);
	ck_assert_uint_lt(rep.unread_bytes, size);
	ck_assert_uint_ge(strlen(draft_state_get(&d, "notes")), JOURNAL_MAX_RECORD - 64);
	ck_assert_uint_le(strlen(draft_state_get(&d, "notes")), JOURNAL_MAX_RECORD - 63);
	draft_state_free(&d);
	free(b);
}
END_TEST

/* A journal that is not a regular file, a world-readable one, a planted .tmp link. */
START_TEST(odd_files_are_refused_or_tightened)
{
	char fifo[256], null[256], loose[256], victim[256], err[256], tmp[300];
	struct stat st;
	struct journal *j;
	FILE *f;

	snprintf(fifo, sizeof(fifo), "%s", in_dir("fifo.journal"));
	snprintf(null, sizeof(null), "%s", in_dir("null.journal"));
	snprintf(loose, sizeof(loose), "%s", in_dir("loose.journal"));
	snprintf(victim, sizeof(victim), "%s", in_dir("victim"));
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_ptr_null(journal_open(fifo, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	ck_assert_int_eq(symlink("/dev/null", null), 0);
	ck_assert_ptr_null(journal_open(null, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));

	f = fopen(loose, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(chmod(loose, 0644), 0);
	f = fopen(victim, "w");
	ck_assert_ptr_nonnull(f);
	fputs("keep me", f);
	fclose(f);
	snprintf(tmp, sizeof(tmp), "%s.tmp", loose);
	ck_assert_int_eq(symlink(victim, tmp), 0);
	j = open_ok(loose);
	ck_assert_int_eq(stat(loose, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* Enough typing to compact: the rewrite goes to a new file, not through the link. */
	ck_assert_int_eq(journal_begin(j, ID), 0);
	for (int i = 0; i < 12000; i++)
		CHECK(journal_insert(j, "notes", 0, "x", 1) == 0 && journal_delete(j, "notes", 0, 1) == 0);
	journal_close(j);
	ck_assert_int_eq(file_size(victim), 7);
	expect_notes(loose, "");
}
END_TEST

START_TEST(too_big_a_file_is_set_aside)
{
	const char *path = in_dir("big.journal"), *aside = in_dir("big.journal.too-big");
	struct draft_state d;
	struct journal_report rep;
	struct journal *j;
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, ((off_t)256 << 20) + 1), 0);   /* sparse */
	close(fd);
	ck_assert_int_eq(journal_recover_report(path, &d, &rep), 0);
	ck_assert(rep.too_big);
	j = open_ok(path);
	ck_assert(journal_open_report(j)->too_big);
	ck_assert_ptr_null(journal_draft(j));
	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "notes", "fresh"), 0);
	journal_close(j);
	expect_notes(path, "fresh");
	ck_assert_int_eq(file_size(aside), ((off_t)256 << 20) + 1);
}
END_TEST

/* --- the periodic sync off the caller's thread (issue 9) ------------------ */

/* Stand-ins for fdatasync (journal_test_set_fsync): they run on the
 * journal's sync thread, so what they share with the test is atomic. */
static int fsync_calls;                 /* __atomic */
static int fsync_fail;                  /* __atomic: next calls fail with EIO */
static int gate[2] = { -1, -1 };        /* gated_fsync waits for a byte here */

static void async_setup(void)
{
	make_dir();
	__atomic_store_n(&fsync_calls, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fsync_fail, 0, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pipe(gate), 0);
}

static void async_teardown(void)
{
	journal_test_set_fsync(NULL);
	close(gate[0]);
	close(gate[1]);
	remove_dir();
}

static int outcome(int fd)
{
	__atomic_add_fetch(&fsync_calls, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&fsync_fail, __ATOMIC_SEQ_CST)) {
		errno = EIO;
		return -1;
	}
	return fdatasync(fd);
}

/* A disk that takes 300 ms to flush. */
static int slow_fsync(int fd)
{
	struct timespec ts = { 0, 300 * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return outcome(fd);
}

/* A flush that ends when the test says so (a byte on the gate). */
static int gated_fsync(int fd)
{
	char c;

	while (read(gate[0], &c, 1) < 0 && errno == EINTR)
		;
	return outcome(fd);
}

static void open_gate(int n)
{
	for (int i = 0; i < n; i++)
		CHECK(write(gate[1], "x", 1) == 1);
}

static int calls(void)
{
	return __atomic_load_n(&fsync_calls, __ATOMIC_SEQ_CST);
}

/* Waits (up to 5 s) until the sync in flight has finished: journal_sync_due
 * collects a success (nothing pending, or what was written meanwhile due
 * in its turn) and is true for a failure, which journal_sync_start reports. */
static void wait_sync_done(struct journal *j)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (!journal_sync_pending(j) || journal_sync_due(j, journal_now_ms() + 100000))
			return;
		usleep(1000);
	}
	ck_abort_msg("the sync in flight did not finish in 5 s");
}

static struct journal *dirty_journal(const char *path)
{
	struct journal *j = open_ok(path);

	ck_assert_int_eq(journal_begin(j, ID), 0);
	ck_assert_int_eq(journal_set(j, "subject", "printer on fire"), 0);
	ck_assert(journal_sync_pending(j));
	return j;
}

/* The defect: the loop's periodic sync waited for the disk. */
START_TEST(periodic_sync_does_not_block)
{
	struct journal *j;
	long long t0, took;

	journal_test_set_fsync(slow_fsync);
	j = dirty_journal(in_dir("s.journal"));
	t0 = journal_now_ms();
	ck_assert_int_eq(journal_sync_start(j), 0);
	took = journal_now_ms() - t0;
	ck_assert_msg(took < 50, "journal_sync_start took %lld ms with a 300 ms fdatasync", took);
	/* In flight: still pending (not yet durable), not due again. */
	ck_assert(journal_sync_pending(j));
	wait_sync_done(j);
	ck_assert_int_eq(journal_sync_start(j), 0);     /* collects it */
	assert_all_synced(j);
	ck_assert_int_eq(calls(), 1);
	journal_close(j);
	ck_assert_int_eq(calls(), 1);                   /* nothing left to sync */
}
END_TEST

START_TEST(no_sync_due_while_in_flight)
{
	struct journal *j;

	journal_test_set_fsync(gated_fsync);
	j = dirty_journal(in_dir("f.journal"));
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert(!journal_sync_due(j, journal_now_ms() + 100000));
	ck_assert_int_eq(journal_sync_start(j), 0);     /* one at a time: not handed again */
	open_gate(1);
	wait_sync_done(j);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(calls(), 1);
	journal_close(j);
}
END_TEST

/* A record written after the sync started may not be in it: it stays dirty
 * and the next round syncs it. */
START_TEST(write_during_sync_stays_dirty)
{
	const char *path = in_dir("w.journal");
	struct draft_state d = { 0 };
	struct journal *j;

	journal_test_set_fsync(gated_fsync);
	j = dirty_journal(path);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert_int_eq(journal_set(j, "notes", "typed meanwhile"), 0);
	open_gate(1);
	wait_sync_done(j);
	ck_assert(journal_sync_pending(j));             /* collected: the new record is not synced */
	ck_assert_int_eq(journal_sync_start(j), 0);     /* the next round */
	ck_assert(journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, journal_now_ms() + 100000));
	open_gate(1);
	wait_sync_done(j);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(calls(), 2);
	journal_close(j);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(draft_state_get(&d, "notes"), "typed meanwhile");
	draft_state_free(&d);
}
END_TEST

/* Written while the sync was in flight: once that sync is collected, the
 * record waits its own JOURNAL_SYNC_MS (typing through a sync keeps the
 * batching), not the first record's. */
START_TEST(write_during_sync_is_due_from_its_own_time)
{
	struct journal *j;
	long long before;

	journal_test_set_fsync(gated_fsync);
	j = dirty_journal(in_dir("t.journal"));
	ck_assert_int_eq(journal_sync_start(j), 0);
	usleep(20 * 1000);
	before = journal_now_ms();
	ck_assert_int_eq(journal_set(j, "notes", "later"), 0);
	open_gate(1);
	wait_sync_done(j);
	ck_assert(journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, before + JOURNAL_SYNC_MS - 1));
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));
	ck_assert_int_eq(calls(), 1);
	journal_test_set_fsync(NULL);
	journal_close(j);
}
END_TEST

/* The sync thread's fdatasync fails: the next call reports it, and the
 * sync is retried one batch window later. */
START_TEST(failed_background_sync_reports_and_retries)
{
	struct journal *j;
	long long t;

	journal_test_set_fsync(gated_fsync);
	__atomic_store_n(&fsync_fail, 1, __ATOMIC_SEQ_CST);
	j = dirty_journal(in_dir("e.journal"));
	ck_assert_int_eq(journal_sync_start(j), 0);
	open_gate(1);
	wait_sync_done(j);
	t = journal_now_ms();
	errno = 0;
	ck_assert_int_eq(journal_sync_start(j), -1);
	ck_assert_int_eq(errno, EIO);
	ck_assert_msg(strstr(journal_error(j), "sync") && strstr(journal_error(j), strerror(EIO)),
		      "error: %s", journal_error(j));
	ck_assert_int_eq(calls(), 1);                   /* not retried at once */
	ck_assert(journal_sync_pending(j));
	ck_assert(!journal_sync_due(j, t));
	ck_assert(journal_sync_due(j, journal_now_ms() + JOURNAL_SYNC_MS));
	/* The disk is back: the retry succeeds. */
	__atomic_store_n(&fsync_fail, 0, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(journal_sync_start(j), 0);
	open_gate(1);
	wait_sync_done(j);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(calls(), 2);
	journal_close(j);
}
END_TEST

static void *open_gate_later(void *arg)
{
	usleep(100 * 1000);
	open_gate(*(int *)arg);
	return NULL;
}

/* journal_sync (before a save leaves the machine, at exit) still means
 * durable now: it waits for the sync in flight, then syncs what came after. */
START_TEST(blocking_sync_waits_then_syncs)
{
	struct journal *j;
	pthread_t th;
	int n = 2;

	journal_test_set_fsync(outcome);
	j = dirty_journal(in_dir("b.journal"));
	ck_assert_int_eq(journal_sync(j), 0);
	ck_assert_int_eq(calls(), 1);
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(journal_sync(j), 0);           /* nothing to do */
	ck_assert_int_eq(calls(), 1);

	journal_test_set_fsync(gated_fsync);
	ck_assert_int_eq(journal_set(j, "notes", "one"), 0);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert_int_eq(journal_set(j, "notes", "two"), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, open_gate_later, &n), 0);
	ck_assert_int_eq(journal_sync(j), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(calls(), 3);
	assert_all_synced(j);
	ck_assert_int_eq(journal_sync_start(j), 0);     /* nothing in flight, nothing dirty */
	ck_assert_int_eq(calls(), 3);
	journal_close(j);
}
END_TEST

/* Closing with a sync in flight waits for it and joins the thread. */
START_TEST(close_joins_sync_in_flight)
{
	const char *path = in_dir("c.journal");
	struct draft_state d = { 0 };
	struct journal *j;
	pthread_t th;
	int n = 1;

	journal_test_set_fsync(gated_fsync);
	j = dirty_journal(path);
	ck_assert_int_eq(journal_sync_start(j), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, open_gate_later, &n), 0);
	journal_close(j);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(calls(), 1);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	ck_assert_str_eq(draft_state_get(&d, "subject"), "printer on fire");
	draft_state_free(&d);
	/* The lock went with it: the journal opens again. */
	journal_test_set_fsync(NULL);
	j = open_ok(path);
	journal_close(j);
}
END_TEST

/* A save (journal_saved syncs and empties the file) with a sync in flight. */
START_TEST(save_with_sync_in_flight)
{
	const char *path = in_dir("v.journal");
	struct journal *j;

	journal_test_set_fsync(gated_fsync);
	j = dirty_journal(path);
	ck_assert_int_eq(journal_sync_start(j), 0);
	open_gate(2);
	ck_assert_int_eq(journal_saved(j, ID), 0);
	ck_assert(!journal_sync_pending(j));
	ck_assert_int_eq(file_size(path), 0);
	ck_assert_int_eq(journal_sync_start(j), 0);
	journal_close(j);
	ck_assert_int_le(calls(), 2);
}
END_TEST

Suite *journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("replay");

	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, uuid_is_version_4);
	tcase_add_test(tc, uuid_needs_no_file_and_falls_back);
	tcase_add_test(tc, fields_come_back);
	tcase_add_test(tc, random_edits_replay_exactly);
	tcase_add_test(tc, newer_begin_supersedes);
	tcase_add_test(tc, refused_edits_are_not_written);
	tcase_add_test(tc, textbuf_edits_replay);
	suite_add_tcase(s, tc);

	tc = tcase_create("damage");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, torn_tail_at_every_byte);
	tcase_add_test(tc, garbage_tail_ignored_then_cut);
	tcase_add_test(tc, corrupt_record_skipped);
	tcase_add_test(tc, hand_encoded_records_and_bad_offsets);
	tcase_add_test(tc, sigkill_after_typing_loses_nothing);
	tcase_add_test(tc, sigkill_mid_typing_keeps_a_prefix);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, saved_draft_leaves_nothing);
	tcase_add_test(tc, reopen_restores_and_compacts);
	tcase_add_test(tc, long_session_compacts_itself);
	tcase_add_test(tc, second_console_refused);
	tcase_add_test(tc, sync_is_batched);
	tcase_add_test(tc, failed_writes_heal_by_rewrite);
	tcase_add_test(tc, default_path_under_xdg_state);
	suite_add_tcase(s, tc);

	tc = tcase_create("after_save");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, typing_after_save_is_kept);
	tcase_add_test(tc, sigkill_after_save_and_edit_keeps_the_edit);
	tcase_add_test(tc, failed_rewrite_after_save_heals_at_sync);
	tcase_add_test(tc, hand_encoded_edit_after_saved_reopens);
	tcase_add_test(tc, begin_after_save_appends);
	suite_add_tcase(s, tc);

	tc = tcase_create("hold");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, held_records_go_out_in_one_write);
	tcase_add_test(tc, refused_while_held_is_not_written);
	tcase_add_test(tc, held_records_written_by_sync_save_close);
	tcase_add_test(tc, failed_release_heals_at_sync);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, report_says_what_was_skipped);
	tcase_add_test(tc, replay_cost_is_bounded);
	tcase_add_test(tc, too_big_a_file_is_set_aside);
	tcase_add_test(tc, odd_files_are_refused_or_tightened);
	suite_add_tcase(s, tc);

	tc = tcase_create("async_sync");
	tcase_add_checked_fixture(tc, async_setup, async_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, periodic_sync_does_not_block);
	tcase_add_test(tc, no_sync_due_while_in_flight);
	tcase_add_test(tc, write_during_sync_stays_dirty);
	tcase_add_test(tc, write_during_sync_is_due_from_its_own_time);
	tcase_add_test(tc, failed_background_sync_reports_and_retries);
	tcase_add_test(tc, blocking_sync_waits_then_syncs);
	tcase_add_test(tc, close_joins_sync_in_flight);
	tcase_add_test(tc, save_with_sync_in_flight);
	suite_add_tcase(s, tc);
	return s;
}
