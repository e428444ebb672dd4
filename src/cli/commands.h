/* commands.h - the ':' command line's commands, typed with completion. */
#ifndef CCTERM_CLI_COMMANDS_H
#define CCTERM_CLI_COMMANDS_H

struct app;

/* Reads one command on the message row and runs it. */
void commands_prompt(struct app *app);
/* Runs one command line ("search 홍길동", "ready"); unknown ones say so. */
void commands_run(struct app *app, const char *line);
/* Reads the argument of one command (":note ", ":assign " ...) with its
 * completion, and runs it: the case screen's keys. */
void commands_ask(struct app *app, const char *verb);

#endif
