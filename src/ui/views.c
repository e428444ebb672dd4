/* views.c - every screen of the console, by id. Adding a screen adds a file
 * and a line here. */
#include "config.h"

#include "view.h"

const struct view_ops *const views[VIEW_COUNT] = {
	[VIEW_HOME] = &view_home,
	[VIEW_HELP] = &view_help,
	[VIEW_POP] = &view_pop,
	[VIEW_SEARCH] = &view_search,
	[VIEW_PICKER] = &view_picker,
	[VIEW_DETAIL] = &view_detail,
	[VIEW_FORM] = &view_form,
	[VIEW_WALLBOARD] = &view_wallboard,
	[VIEW_CASES] = &view_cases,
	[VIEW_REPLY] = &view_reply,
	[VIEW_CAMPAIGN] = &view_campaign,
	[VIEW_RULES] = &view_rules,
	[VIEW_RULE_EDIT] = &view_rule_edit,
	[VIEW_AT_RISK] = &view_at_risk,
	[VIEW_PAUSE] = &view_pause,
};
