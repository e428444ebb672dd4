/* import_mail.c - ccterm-admin import mail PATH: an mbox or a Maildir, every
 * message an e-mail interaction of the customer whose address sent it (or,
 * when the center sent it, received it), threads kept (README "Imports"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/import_channels.h"
#include "ccterm/mail_message.h"
#include "ccterm/mailbox.h"

static const char stage_sql[] =
	"create temp table stage (at text, rec bigint, occurred_at timestamptz, from_addr text, to_addrs text, "
	"subject text, body text, message_id text, in_reply_to text, refs text) on commit drop";

/* The center's addresses: setting mail_center_addresses (comma-separated)
 * and mail_from's. A message from one of them is outbound, its customer the
 * first To; any other is inbound from its sender. */
static const char direction_sql[] =
	"with c as (select coalesce(array_agg(lower(btrim(a))) filter (where btrim(a) <> ''), '{}') addrs from ("
	" select unnest(string_to_array((select value from settings where key = 'mail_center_addresses'), ',')) a"
	" union all select coalesce(substring(value from '<([^>]+)>'), value) from settings where key = 'mail_from') x) "
	"update stage s set direction = case when s.from_addr = any(c.addrs) then 'out' else 'in' end, "
	"email = case when s.from_addr = any(c.addrs) then nullif(split_part(s.to_addrs, ',', 1), '') else s.from_addr end "
	"from c";

/* The message a reply answers, as the record knows it: In-Reply-To, else
 * the nearest of its References, in this box or already on the record (an
 * imported e-mail, a reply ccterm sent, any interaction with that id). */
static const char parent_sql[] =
	"update stage s set parent = (select c.mid from ("
	"  select s.in_reply_to mid, 1000000 ord"
	"  union all select r, n from unnest(string_to_array(s.refs, ' ')) with ordinality u(r, n)) c "
	" where c.mid is not null and c.mid <> s.message_id"
	"   and (exists (select 1 from stage t where t.message_id = c.mid)"
	"        or exists (select 1 from email_message e where e.message_id = c.mid)"
	"        or exists (select 1 from interaction i where i.message_id = c.mid)"
	"        or exists (select 1 from mail_outbox o where o.message_id = c.mid))"
	" order by c.ord desc limit 1)";

/* A thread is named by the interaction id of its first message: a message
 * whose parent is on the record joins the parent's thread, one whose parent
 * is in this box its parent's, any other starts its own (cycles of hostile
 * References among new messages too). */
static const char thread_sql[] =
	"with recursive t (message_id, thread_id, depth) as ("
	" select s.message_id, coalesce("
	"   (select e.thread_id from email_message e where e.message_id = s.parent),"
	"   (select e.thread_id from mail_outbox o join email_message e on e.message_id = o.in_reply_to"
	"     where o.message_id = s.parent),"
	"   (select min(i.id) from interaction i where i.message_id = s.parent),"
	"   s.interaction_id), 0"
	" from stage s where s.parent is null or not exists (select 1 from stage x where x.message_id = s.parent)"
	" union all"
	" select c.message_id, t.thread_id, t.depth + 1 from t join stage c on c.parent = t.message_id where t.depth < 100000) "
	"update stage s set thread_id = t.thread_id from t where t.message_id = s.message_id";

/* The case: the parent's, else the newest one of the thread on the record. */
static const char case_sql[] =
	"update stage s set case_id = coalesce("
	" (select i.case_id from interaction i where i.message_id = s.parent and i.case_id is not null"
	"  order by i.occurred_at desc limit 1),"
	" (select o.case_id from mail_outbox o where o.message_id = s.parent),"
	" (select i.case_id from interaction i where i.case_id is not null and (i.id = s.thread_id or i.id in"
	"  (select e.interaction_id from email_message e where e.thread_id = s.thread_id))"
	"  order by i.occurred_at desc, i.id desc limit 1)) "
	"where s.parent is not null";

static const char *const pre_steps[] = {
	"analyze stage",      /* the steps' plans need its size and spread */
	"alter table stage add column direction text, add column customer text, add column phone text, "
	"add column email text, add column parent text, add column interaction_id bigint, add column thread_id bigint, "
	"add column case_id bigint",
	"create index on stage (message_id)",
	"with d as (select rec, first_value(rec) over w first, first_value(at) over w first_at from stage "
	"window w as (partition by message_id order by rec)) "
	"delete from stage s using d where s.rec = d.rec and d.rec <> d.first "
	"returning s.at, 'Message-ID ' || left(s.message_id, 100) || ' repeats the message at ' || d.first_at",
	"delete from stage s where exists (select 1 from email_message e where e.message_id = s.message_id) "
	"or exists (select 1 from interaction i where i.message_id = s.message_id) "
	"returning s.at, 'already on the record (Message-ID ' || left(s.message_id, 100) || ')'",
	direction_sql,
};

static const char *const post_steps[] = {
	"delete from stage s where customer_id is null returning s.at, case "
	"when s.email is null then 'a message from the center (' || s.from_addr || ') without a To address' "
	"when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'email' and cp.value = s.email) > 1 "
	"then 'e-mail ' || left(s.email, 100) || ' is shared by several customers: whose message it is cannot be told' "
	"when s.direction = 'out' then 'recipient ' || left(s.email, 100) || ' is not the e-mail address of a customer' "
	"else 'sender ' || left(s.email, 100) || ' is not the e-mail address of a customer' end",
	"update stage set interaction_id = nextval(pg_get_serial_sequence('interaction', 'id'))",
	parent_sql,
	"create index on stage (parent)",
	"analyze stage",
	thread_sql,
	"update stage set thread_id = interaction_id where thread_id is null",
	case_sql,
	"insert into interaction (id, customer_id, occurred_at, channel, direction, kind, subject, body, message_id, case_id) "
	"select interaction_id, customer_id, occurred_at, 'email', direction, "
	"case when direction = 'out' then 'reply' else 'inquiry' end, nullif(subject, ''), body, message_id, case_id "
	"from stage order by customer_id, occurred_at, rec",
	"insert into email_message (interaction_id, customer_id, message_id, in_reply_to, refs, thread_id, from_addr, "
	"to_addrs, source) select interaction_id, customer_id, message_id, in_reply_to, string_to_array(refs, ' '), "
	"thread_id, from_addr, nullif(to_addrs, ''), at from stage",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int stream(struct import_job *j, struct mailbox *mb)
{
	struct mailbox_msg m;
	char why[512];
	int got;

	while ((got = mailbox_next(mb, &m, why, sizeof(why))) != 0) {
		struct mail_message msg;
		char rec[24];

		if (got < 0) {
			import_job_reject(j, m.where, why);
		} else if (m.truncated) {
			import_job_reject(j, m.where, "the file ends inside this message (truncated)");
		} else if (mail_message_parse(m.data, m.len, &msg, why, sizeof(why)) < 0) {
			import_job_reject(j, m.where, why);
		} else {
			snprintf(rec, sizeof(rec), "%ld", m.recno);
			const char *v[] = { m.where, rec, msg.date, msg.from, msg.to, msg.subject, msg.body,
					    msg.message_id, msg.in_reply_to, msg.references };
			got = import_job_copy_row(j, v, N(v));
			mail_message_free(&msg);
			if (got < 0)
				return -1;
		}
		if (import_job_record(j) < 0)
			return -1;
	}
	return 0;
}

static int read_mail(struct import_job *j)
{
	char err[4400];
	struct mailbox *mb = mailbox_open(j->path, err, sizeof(err));
	int rc;

	if (!mb) {
		db_set_error(j->db, "%s", err);
		return -1;
	}
	rc = stream(j, mb);
	mailbox_close(mb);
	return rc;
}

static const struct import_job_spec mail = {
	.what = "mail", .unit = "messages", .stage_sql = stage_sql,
	.read = read_mail,       /* the total is not known: an mbox is read once */
	.pre_steps = pre_steps, .npre = N(pre_steps),
	.post_steps = post_steps, .npost = N(post_steps),
	.count_sql = "select count(*) from stage",
};

int admin_import_mail_with(struct db *db, const char *path_given, const struct import_options *opt,
			   struct import_result *r)
{
	char path[4096];
	size_t n;

	/* "Maildir/": its rejects go beside it as Maildir.rejects, not into it */
	snprintf(path, sizeof(path), "%s", path_given);
	for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		path[n - 1] = '\0';
	return import_job_run(db, path, opt, r, &mail);
}

int admin_import_mail(struct db *db, const char *path, struct import_result *r)
{
	return admin_import_mail_with(db, path, NULL, r);
}
