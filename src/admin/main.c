/* ccterm-admin - migrations, branches, queues, agents, imports, demo data,
 * rules, the SLA watch, the mail sender, campaigns. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "ccterm/admin.h"
#include "ccterm/i18n.h"
#include "ccterm/identity.h"
#include "ccterm/import_channels.h"
#include "ccterm/interrupt.h"
#include "ccterm/pbx.h"
#include "ccterm/progress.h"
#include "job.h"
#include "opts.h"

/* Marked for the catalog (po/ko.po), translated where printed. */
static const char *const usage = N_(
	"usage: ccterm-admin [-d CONNINFO] COMMAND ...\n"
	"       ccterm-admin --help | --version\n"
	"  migrate                                   apply pending migrations\n"
	"  branch add CODE --name NAME [--region R]\n"
	"  queue add NAME --sla SECONDS [--target PCT]\n"
	"  agent add LOGIN --name NAME --branch CODE [--supervisor] [--role agent|branch|supervisor|admin]\n"
	"            [--queues Q1,Q2] [--extension EXT]   EXT: where the PBX rings the agent (SIP/777)\n"
	"  agent extension LOGIN EXT|-              changes it (-: none)\n"
	"  import customers FILE.csv [--create-branches] [--quiet|--progress]\n"
	"                                            columns: external_id,name,phone,email,tier,segment,\n"
	"                                            branch,birth_date,gender,marital_status,rrn\n"
	"  import interactions FILE.csv [--quiet|--progress]\n"
	"                                            columns: occurred_at,channel,direction,kind,customer,\n"
	"                                            subject,body,amount\n"
	"  import mail MBOX|MAILDIR                  e-mails: each of a customer's address, threads kept\n"
	"  import orders FILE.csv                    POS orders, a row per line: order_no,ordered_at,customer,\n"
	"                                            branch,channel,status,total,line_no,sku,name,qty,price\n"
	"  import web FILE.jsonl                     web events, a JSON object a line (README \"Imports\")\n"
	"  import surveys FILE.csv                   answers: answered_at,customer,branch,channel,score,\n"
	"                                            survey_id,question,comment (score 1-5)\n"
	"  duplicates [--limit N]                    candidate pairs of customers that look like one person\n"
	"  merge KEEP DROP                           DROP's contacts, history, orders, cases move to KEEP\n"
	"  unmerge DROP                              undo the latest merge of DROP\n"
	"  quality                                   wrong or missing customer data against the 3-percent target\n"
	"  demo-data --customers N --interactions M [--seed S]\n"
	"  recompute                                 every customer's tier, RFM, value, churn risk\n"
	"  rule add NAME --offer TEXT [--product P] [--priority N] [--tier T,..] [--segment S,..]\n"
	"           [--age MIN-MAX] [--gender F|M] [--marital single|married|..] [--has P,..] [--lacks P,..]\n"
	"           [--min-value N] [--max-value N] [--rfm R,F,M] [--no-open-complaint] [--channel C,..]\n"
	"           [--from DATE] [--until DATE]     (creates, or replaces the rule of that name whole)\n"
	"  rule list | rule enable NAME | rule disable NAME | rule test NAME\n"
	"  case-watch [--once] [--quiet]             the SLA watch: escalates cases at case_escalate_pct of their\n"
	"                                            SLA, marks them overdue at their due time (long-lived)\n"
	"  mail-send [--follow] [--quiet]            sends the queued replies through the MTA (sendmail -t -i);\n"
	"                                            --follow keeps waiting for more\n"
	"  mail-requeue ID                           sends a failed reply again (same Message-ID)\n"
	"  campaign add NAME --offer TEXT (--segment CODE | --rule NAME | --list FILE) --from DATE\n"
	"           [--until DATE] [--script TEXT] [--control PCT] [--seed N] [--response-days N]\n"
	"  campaign build NAME | campaign list | campaign board NAME\n"
	"  report day [--date YYYY-MM-DD] [--queue Q] [--branch B] [--format text|csv]\n"
	"                                            one day's queues, agents, pauses, branches, offers, campaigns\n"
	"Long jobs (import, demo-data, recompute, merge, mail-send) take --quiet and --progress: a progress\n"
	"line on stderr when it is a terminal; --progress shows it anyway, --quiet never. Ctrl-C rolls\n"
	"import, demo-data, recompute and merge back (exit 130).\n"
	"Without -d the libpq environment is used (PGHOST, PGDATABASE, PGSERVICE, ~/.pgpass).\n");

/* Whether a row of table with key = value exists (added or updated, said after). */
static int row_exists(struct db *db, const char *sql, const char *value)
{
	PGresult *res = db_query(db, sql, 1, &value);
	int n = res ? PQntuples(res) : -1;

	PQclear(res);
	return n;
}

static int cmd_branch_add(struct db *db, const char *code, const char *name, const char *region)
{
	int had = row_exists(db, "select 1 from branch where code = $1", code);

	if (had < 0 || admin_branch_add(db, code, name, region) < 0)
		return -1;
	printf(had ? _("branch %s updated: %s\n") : _("branch %s added: %s\n"), code, name);
	return 0;
}

static int cmd_queue_add(struct db *db, const char *name, long sla, double target)
{
	int had = row_exists(db, "select 1 from queue where name = $1", name);

	if (had < 0 || admin_queue_add(db, name, (int)sla, target) < 0)
		return -1;
	printf(had ? _("queue %s updated: SLA %ld s, target %.0f %%\n") : _("queue %s added: SLA %ld s, target %.0f %%\n"),
	       name, sla, target);
	return 0;
}

static int cmd_agent_add(struct db *db, const struct agent_spec *a)
{
	int had = row_exists(db, "select 1 from agent where login = $1", a->login);

	if (had < 0 || admin_agent_add(db, a) < 0)
		return -1;
	if (a->branch)
		printf(had ? _("agent %s updated (%s), branch %s\n") : _("agent %s added (%s) to branch %s\n"), a->login,
		       a->role, a->branch);
	else
		printf(had ? _("agent %s updated (%s)\n") : _("agent %s added (%s)\n"), a->login, a->role);
	return 0;
}

static int cmd_agent_extension(struct db *db, const char *login, const char *ext)
{
	if (db_agent_extension(db, login, ext) < 0)
		return -1;
	if (ext)
		printf(_("agent %s: extension %s\n"), login, ext);
	else
		printf(_("agent %s: no extension\n"), login);
	return 0;
}

static int cmd_migrate(struct db *db)
{
	struct migrate_result r;

	if (db_migrate_full(db, &r) < 0)
		return -1;
	printf(ngettext("%d migration applied", "%d migrations applied", r.applied), r.applied);
	if (r.repeatables)
		printf(ngettext(", %d repeatable file re-applied", ", %d repeatable files re-applied", r.repeatables),
		       r.repeatables);
	putchar('\n');
	return 0;
}

static int cmd_import(struct db *db, const struct opts *o, const char *what, const char *file)
{
	static const char *const known[] = { "--create-branches", "--quiet", "--progress", NULL };
	struct import_options opt = { .create_branches = opt_get(o, "--create-branches") != NULL };
	struct import_result r;
	char title[64];
	int rc;

	if (opt_check(o, known) < 0)
		return 2;
	if (opt.create_branches && strcmp(what, "customers") != 0) {
		fprintf(stderr, _("ccterm-admin: --create-branches is for import customers\n"));
		return 2;
	}
	snprintf(title, sizeof(title), "import %s", what);
	rc = job_begin(db, o, title, &opt.progress);
	if (rc == 0 && strcmp(what, "customers") == 0)
		rc = admin_import_customers_with(db, file, &opt, &r);
	else if (rc == 0 && strcmp(what, "interactions") == 0)
		rc = admin_import_interactions_with(db, file, &opt, &r);
	else if (rc == 0 && (rc = admin_import_channel(db, what, file, &opt, &r)) == -2) {
		job_end(db, opt.progress, 0, NULL);
		fprintf(stderr, _("ccterm-admin: import customers|interactions|mail|orders|web|surveys FILE\n"));
		return 2;
	}
	if ((rc = job_end(db, opt.progress, rc, "loaded")) != 0)
		return rc;
	printf(_("%ld loaded, %ld rejected in %.2f s (%.0f rows/s)\n"), r.loaded, r.rejected, r.seconds,
	       r.seconds > 0 ? (double)(r.loaded + r.rejected) / r.seconds : 0.0);
	if (r.branches_created)
		printf(ngettext("%ld branch created (named after the code)\n", "%ld branches created (named after the code)\n",
				(unsigned long)r.branches_created), r.branches_created);
	if (r.summary[0])
		printf("%s\n", r.summary);
	if (r.duplicates)
		printf(_("%ld rows look like other customers, loaded and flagged, not merged (ccterm-admin duplicates lists "
			 "them all): %s\n"), r.duplicates, r.duplicate_examples);
	if (r.rejected)
		printf(_("rejected rows with line numbers and reasons: %s\n"), r.rejects_path);
	return 0;
}

static int cmd_duplicates(struct db *db, const struct opts *o)
{
	static const char *const known[] = { "--limit", NULL };
	long limit = 100;
	PGresult *res;

	if (opt_check(o, known) < 0 || (opt_get(o, "--limit") && !number_arg(opt_get(o, "--limit"), &limit)))
		return 2;
	res = db_duplicates(db, (int)limit);
	if (!res)
		return -1;
	printf("%-10s %-20s %-10s %-20s %5s  %s\n", "keep", "name", "drop", "name", "score", "why");
	for (int i = 0; i < PQntuples(res); i++)
		printf("%-10s %-20s %-10s %-20s %5s  %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		       PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 5));
	printf(ngettext("%d candidate pair\n", "%d candidate pairs\n", (unsigned long)PQntuples(res)), PQntuples(res));
	PQclear(res);
	return 0;
}

static void quality_line(const char *what, long n, long of)
{
	printf("  %-34s %9ld  %6.2f %%\n", what, n, of ? 100.0 * (double)n / (double)of : 0.0);
}

static int cmd_quality(struct db *db)
{
	struct quality_report q;
	double wrong;

	if (db_quality(db, &q) < 0)
		return -1;
	wrong = q.customers ? 100.0 * (double)q.wrong / (double)q.customers : 0.0;
	printf(_("customer data quality, %ld live customers:\n"), q.customers);
	quality_line(_("possible duplicates"), q.duplicates, q.customers);
	quality_line(_("a phone that is not a number"), q.bad_phones, q.customers);
	quality_line(_("an e-mail that is not an address"), q.bad_emails, q.customers);
	quality_line(_("wrong (any of the three)"), q.wrong, q.customers);
	quality_line(_("without a phone"), q.no_phone, q.customers);
	quality_line(_("without an e-mail"), q.no_email, q.customers);
	quality_line(_("without a branch"), q.no_branch, q.customers);
	printf(wrong < 3.0 ? _("wrong customer data %.2f %%: within the target of under 3 %%\n")
	       : _("wrong customer data %.2f %%: above the target of under 3 %%\n"), wrong);
	printf(_("(consent is not recorded in this schema: not measured)\n"));
	return 0;
}

static int cmd_merge(struct db *db, int argc, char **argv)
{
	static const char *const known[] = { "--quiet", "--progress", NULL };
	struct opts o = { argc, argv };
	struct progress *p;
	long keep, drop, m;
	int rc;
	char *words[4];
	int nw = 0;

	if (opt_check(&o, known) < 0)
		return 2;
	/* the flags are not positional words */
	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], "--", 2) != 0 && nw < 4)
			words[nw++] = argv[i];
	argc = nw;
	argv = words;
	if (strcmp(argv[0], "unmerge") == 0) {
		if (argc != 2 || !number_arg(argv[1], &drop)) {
			fprintf(stderr, _("ccterm-admin: unmerge DROP (a customer id)\n"));
			return 2;
		}
		if (db_customer_unmerge(db, drop, &m) < 0)
			return -1;
		printf(_("customer %ld unmerged (merge %ld undone)\n"), drop, m);
		return 0;
	}
	if (argc != 3 || !number_arg(argv[1], &keep) || !number_arg(argv[2], &drop)) {
		fprintf(stderr, _("ccterm-admin: merge KEEP DROP (customer ids)\n"));
		return 2;
	}
	if ((rc = job_begin(db, &o, "merge", &p)) == 0) {
		progress_phase(p, "moving contacts, history, orders, cases");
		rc = db_customer_merge(db, keep, drop, &m);
	}
	if ((rc = job_end(db, p, rc, "changed")) != 0)
		return rc;
	printf(_("customer %ld merged into %ld (merge %ld; undo with ccterm-admin unmerge %ld)\n"), drop, keep, m, drop);
	return 0;
}

static int cmd_demo(struct db *db, const struct opts *o)
{
	long customers, interactions, seed = 1;
	struct timespec t0, t1;
	struct progress *p;
	int rc;

	if (!number_arg(opt_need(o, "--customers"), &customers) ||
	    !number_arg(opt_need(o, "--interactions"), &interactions) ||
	    (opt_get(o, "--seed") && !number_arg(opt_get(o, "--seed"), &seed)) ||
	    customers < 1 || interactions < 0) {
		fprintf(stderr, _("ccterm-admin: demo-data --customers N --interactions M [--seed S] (N >= 1)\n"));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = job_begin(db, o, "demo-data", &p)) == 0)
		rc = admin_demo_data(db, customers, interactions, seed);
	if ((rc = job_end(db, p, rc, "loaded")) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf(_("%ld customers, %ld interactions generated (seed %ld) in %.1f s\n"), customers, interactions,
	       seed, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

static int run(struct db *db, int argc, char **argv)
{
	const char *cmd = argv[0], *sub = argc > 1 ? argv[1] : "", *arg = argc > 2 ? argv[2] : NULL;
	struct opts o = { argc, argv };

	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(db);
	if (strcmp(cmd, "import") == 0 && arg)
		return cmd_import(db, &o, sub, arg);
	if (strcmp(cmd, "quality") == 0)
		return cmd_quality(db);
	if (strcmp(cmd, "duplicates") == 0)
		return cmd_duplicates(db, &o);
	if (strcmp(cmd, "merge") == 0 || strcmp(cmd, "unmerge") == 0)
		return cmd_merge(db, argc, argv);
	if (strcmp(cmd, "recompute") == 0)
		return cmd_recompute(db, &o);
	if (strcmp(cmd, "rule") == 0)
		return cmd_rule(db, &o);
	if (strcmp(cmd, "case-watch") == 0)
		return cmd_case_watch(db, &o);
	if (strcmp(cmd, "mail-send") == 0)
		return cmd_mail_send(db, &o);
	if (strcmp(cmd, "mail-requeue") == 0)
		return cmd_mail_requeue(db, &o);
	if (strcmp(cmd, "campaign") == 0)
		return cmd_campaign(db, &o);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(db, &o);
	if (strcmp(cmd, "demo-data") == 0) {
		static const char *const known[] = { "--customers", "--interactions", "--seed", "--quiet", "--progress", NULL };

		return opt_check(&o, known) < 0 ? 2 : cmd_demo(db, &o);
	}
	if (strcmp(cmd, "agent") == 0 && strcmp(sub, "extension") == 0 && arg && argc == 4)
		return cmd_agent_extension(db, arg, strcmp(argv[3], "-") == 0 ? NULL : argv[3]);
	if (strcmp(sub, "add") != 0 || !arg) {
		fputs(_(usage), stderr);
		return 2;
	}
	if (strcmp(cmd, "branch") == 0) {
		static const char *const known[] = { "--name", "--region", NULL };
		const char *name = opt_need(&o, "--name");

		if (opt_check(&o, known) < 0 || !name)
			return 2;
		return cmd_branch_add(db, arg, name, opt_get(&o, "--region"));
	}
	if (strcmp(cmd, "queue") == 0) {
		static const char *const known[] = { "--sla", "--target", NULL };
		long sla;
		const char *target = opt_get(&o, "--target");

		if (opt_check(&o, known) < 0 || !number_arg(opt_need(&o, "--sla"), &sla))
			return 2;
		return cmd_queue_add(db, arg, sla, target ? atof(target) : 80.0);
	}
	if (strcmp(cmd, "agent") == 0) {
		static const char *const known[] = { "--name", "--branch", "--supervisor", "--role", "--queues",
						     "--extension", NULL };
		struct agent_spec a = {
			.login = arg, .name = opt_need(&o, "--name"), .branch = opt_get(&o, "--branch"),
			.role = opt_get(&o, "--role"), .queues = opt_get(&o, "--queues"),
			.extension = opt_get(&o, "--extension"),
		};

		if (opt_check(&o, known) < 0 || !a.name)
			return 2;
		if (!a.role)
			a.role = opt_get(&o, "--supervisor") ? "supervisor" : "agent";
		return cmd_agent_add(db, &a);
	}
	fputs(_(usage), stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL;
	char err[512];
	struct db *db;
	int rc;

	i18n_init();
	if (argc > 2 && strcmp(argv[1], "-d") == 0) {
		conninfo = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return printf("ccterm-admin %s\n", PACKAGE_VERSION) < 0 ? 1 : 0;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(_(usage), argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	db = db_open(conninfo, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "ccterm-admin: %s\n", err);
		return 1;
	}
	rc = run(db, argc - 1, argv + 1);
	if (rc < 0)
		fprintf(stderr, "ccterm-admin: %s\n", db_error(db));
	db_close(db);
	return rc < 0 ? 1 : rc;
}
