/* action.h - every named action, once: the enum and the help text come from here. */
#ifndef CCTERM_ACTION_H
#define CCTERM_ACTION_H

#define ACTION_LIST(_) \
	_(NONE,        "none",         "Do nothing") \
	_(HELP,        "help",         "Show the keys of this screen") \
	_(SEARCH,      "search",       "Search customers") \
	_(NEW_CONTACT, "new-contact",  "Log a new contact") \
	_(TOGGLE_READY,"toggle-ready", "Switch between ready and not ready") \
	_(BREAK,       "break",        "Take a break") \
	_(SAVE,        "save",         "Save the current form") \
	_(BACK,        "back",         "Go back / cancel") \
	_(NEXT_FIELD,  "next-field",   "Next field") \
	_(PREV_FIELD,  "prev-field",   "Previous field") \
	_(COMMAND,     "command",      "Open the : command line") \
	_(QUIT,        "quit",         "Quit ccterm") \
	_(UP,          "up",           "Move up") \
	_(DOWN,        "down",         "Move down") \
	_(PAGE_UP,     "page-up",      "Page up") \
	_(PAGE_DOWN,   "page-down",    "Page down") \
	_(HOME,        "home",         "First line") \
	_(END,         "end",          "Last line") \
	_(OPEN,        "open",         "Open the selected item") \
	_(TAKE_POP,    "take-pop",     "Take the waiting call") \
	_(CREATE_CUSTOMER,"create-customer","Create the unknown caller as a customer") \
	_(CUSTOMER,    "customer",     "Show the customer and history") \
	_(DISCARD,     "discard",      "Discard the open contact (press twice)") \
	_(HANGUP,      "hangup",       "End the current call (then wrap-up)") \
	_(WALLBOARD,   "wallboard",    "Supervisor wallboard") \
	_(REFRESH,     "refresh",      "Redraw the screen") \
	_(FILTER_ALL,  "filter-all",   "Timeline: all channels") \
	_(FILTER_PHONE,"filter-phone", "Timeline: phone only") \
	_(FILTER_WEB,  "filter-web",   "Timeline: web only") \
	_(FILTER_EMAIL,"filter-email", "Timeline: e-mail only") \
	_(FILTER_STORE,"filter-store", "Timeline: store only") \
	_(FILTER_MOBILE,"filter-mobile","Timeline: mobile app only") \
	_(FILTER_CHAT, "filter-chat",  "Timeline: chat only") \
	_(FILTER_COMPLAINT,"filter-complaint","Timeline: complaints only") \
	_(FILTER_ORDER,"filter-order", "Timeline: orders only") \
	_(HISTORY_OPEN,"history-open", "Form: open the selected history item (Esc back to the form)") \
	_(HISTORY_FILTER,"history-filter","Form: the next history filter (all, phone, web ... orders)") \
	_(CASES,       "cases",        "Cases: mine, my team's, all; n note, e escalate, a reassign, x close, r reply") \
	_(CAMPAIGN_NEXT,"campaign-next","Campaign: call the next member (outcomes 1-5 on its screen)") \
	_(OFFER_NEXT,  "offer-next",   "Offers: highlight the next offer of the customer") \
	_(OFFER_OFFERED,"offer-offered","Offers: record the highlighted offer as offered") \
	_(OFFER_ACCEPTED,"offer-accepted","Offers: record the highlighted offer as accepted") \
	_(OFFER_DECLINED,"offer-declined","Offers: record the highlighted offer as declined") \
	_(RULES,       "rules",        "Supervisors: the offer rules (Enter edits, n new, d on/off)") \
	_(AT_RISK,     "at-risk",      "Supervisors: valuable customers at risk (s sorts, Enter opens)") \
	_(GRID,        "grid",         "Floor: the agents as a grid of cells, or back to the list") \
	_(CAMPAIGNS,   "campaigns",    "Supervisors: the campaign board (Enter: one campaign's outcomes, call-backs, script)")

enum action {
#define ACTION_ENUM(id, name, help) ACTION_##id,
	ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION_COUNT
};

/* "save" -> ACTION_SAVE; ACTION_NONE with *ok = 0 when unknown. */
enum action action_by_name(const char *name, int *ok);
const char *action_name(enum action a);
const char *action_help(enum action a);

#endif
