/* import_surveys.c - ccterm-admin import surveys FILE.csv: survey answers
 * with a score of 1 to 5, each a survey interaction at its branch, which is
 * what the floor's satisfaction index (branch_satisfaction, 50_floor.sql)
 * averages: imported answers count there as the console's do. */
#include "config.h"

#include <stdio.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/channel_rows.h"
#include "ccterm/import_channels.h"

static const char stage_sql[] =
	"create temp table stage (at text, line bigint, answered_at timestamptz, customer text, phone text, "
	"email text, branch text, channel text, score smallint, survey_id text, question text, comment text) "
	"on commit drop";

/* The answer's key (interaction.idempotency_key): from survey_id, else from
 * what it says, so a file imported twice loads its answers once. */
static const char *const pre_steps[] = {
	"analyze stage",      /* the steps' plans need its size and spread */
	"alter table stage add column key uuid",
	"update stage set key = md5('survey:' || coalesce('id:' || survey_id, concat_ws('|', customer, "
	"answered_at::text, score, branch, channel, question, comment)))::uuid",
	"with d as (select line, first_value(line) over w first, first_value(at) over w first_at from stage "
	"window w as (partition by key order by line)) "
	"delete from stage s using d where s.line = d.line and d.line <> d.first "
	"returning s.at, coalesce('survey_id ' || s.survey_id, 'the same answer') || ' repeats ' || d.first_at",
	"delete from stage s where exists (select 1 from interaction i where i.idempotency_key = s.key) "
	"returning s.at, 'already on the record' || coalesce(' (survey_id ' || s.survey_id || ')', '')",
};

static const char *const post_steps[] = {
	import_job_unmatched_sql,
	/* no branch in the file: the customer's home branch */
	"update stage s set branch = c.branch_code from customer c where s.branch is null and c.id = s.customer_id",
	"delete from stage s where s.branch is not null and not exists (select 1 from branch b where b.code = s.branch) "
	"returning s.at, 'unknown branch ''' || s.branch || ''' (ccterm-admin branch add)'",
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, score, branch_code, "
	"idempotency_key) select customer_id, answered_at, channel, 'in', 'survey', "
	"coalesce(question, 'Satisfaction survey') || ' ' || score || '/5', comment, score, branch, key "
	"from stage order by customer_id, answered_at, line",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int survey_row(struct import_job *j, long line, char *const *f, size_t n)
{
	struct survey_row r;
	char why[512], where[4200], num[24];

	import_job_where(j, line, where, sizeof(where));
	if (survey_row_check(f, n, j->country, &r, why, sizeof(why)) < 0) {
		import_job_reject(j, where, why);
		return 0;
	}
	snprintf(num, sizeof(num), "%ld", line);
	const char *v[] = { where, num, r.answered_at, r.customer.text, r.customer.phone[0] ? r.customer.phone : NULL,
			    r.customer.email[0] ? r.customer.email : NULL, r.branch, r.channel, r.score, r.survey_id,
			    r.question, r.comment };
	return import_job_copy_row(j, v, N(v));
}

static int read_surveys(struct import_job *j)
{
	return import_job_csv(j, SURVEY_COLUMNS, survey_row);
}

static const struct import_job_spec surveys = {
	.what = "surveys", .unit = "answers", .stage_sql = stage_sql,
	.read = read_surveys, .count = import_job_csv_count,
	.pre_steps = pre_steps, .npre = N(pre_steps),
	.post_steps = post_steps, .npost = N(post_steps),
	.count_sql = "select count(*) from stage",
};

int admin_import_surveys_with(struct db *db, const char *path, const struct import_options *opt,
			      struct import_result *r)
{
	return import_job_run(db, path, opt, r, &surveys);
}

int admin_import_surveys(struct db *db, const char *path, struct import_result *r)
{
	return import_job_run(db, path, NULL, r, &surveys);
}
