/* campaign_board.h - what the supervisors' campaign board reads
 * (sql/repeatable/79_campaign_board.sql): every campaign with its figures,
 * one campaign's detail and its call-backs, as requests for the console's
 * gateway and readers of their rows. Pure data; no curses. */
#ifndef CCTERM_CAMPAIGN_BOARD_H
#define CCTERM_CAMPAIGN_BOARD_H

#include <stdbool.h>
#include "ccterm/db.h"

/* One campaign's figures (campaign_board()); a rate that cannot be had yet
 * (nobody called, reached, no control group) is NAN. Rates are 0..1. */
struct campaign_figures {
	int id;
	char name[128], status[16];
	char starts[12], ends[12];          /* "YYYY-MM-DD", ends "" when open */
	long members, control, called, reached, accepted, refused, callbacks, done;
	double progress_pct;                /* 0..100 */
	double contact_rate, acceptance_rate;
	long contacted_n, contacted_responded, control_n, control_responded;
	double contacted_rate, control_rate;
	double lift, lift_low, lift_high;   /* contacted - control and its 95 % interval */
};

#define CAMPAIGN_BOARD_MAX 100
struct campaign_boards {
	struct campaign_figures rows[CAMPAIGN_BOARD_MAX];
	int n;
};
void db_campaign_boards_request(struct db_request *rq);
db_read_fn db_campaign_boards_read;         /* struct campaign_boards */

#define CAMPAIGN_CALLBACKS_MAX 20
struct campaign_callback_row {
	long long customer_id;
	char customer[128], at[24], login[64];   /* at: "MM-DD HH:MI" */
	bool due;
};

/* One campaign: its figures, what it offers and how its response is
 * measured, the outcomes so far, its call-backs and its script. */
struct campaign_detail {
	int id;
	struct campaign_figures f;
	char offer[256], target[160];
	char response_product[64], response_reason[128];
	int response_days;
	long not_called, reached_only, not_reached_retry, not_reached_done, callbacks_due;
	struct campaign_callback_row callbacks[CAMPAIGN_CALLBACKS_MAX];
	int ncallbacks;
	char script[4096];
};
/* Three requests (figures, detail, call-backs), each read into the same
 * struct campaign_detail; send all three. */
void db_campaign_figures_request(struct db_request *rq, int campaign_id);
db_read_fn db_campaign_figures_read;
void db_campaign_detail_request(struct db_request *rq, int campaign_id);
db_read_fn db_campaign_detail_read;
void db_campaign_callbacks_request(struct db_request *rq, int campaign_id);
db_read_fn db_campaign_callbacks_read;

/* "+27.5 pts, 95% CI -10.5 to +65.5", or why there is no difference yet. */
void campaign_lift_text(const struct campaign_figures *f, char *out, size_t size);
/* "40.0%", "-" for NAN. */
void campaign_pct_text(double rate, char *out, size_t size);

#endif
