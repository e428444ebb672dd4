/* headless.h - ccterm --headless: the console without a screen, for the
 * load benchmark (bench/RELAY.md). */
#ifndef CCTERM_HEADLESS_H
#define CCTERM_HEADLESS_H

struct desk;
struct gateway;

/* Runs the desk on the gateway (and the relay link, d->relay) in the
 * console's one poll() loop until SIGTERM, SIGINT or SIGHUP; every call
 * offered is taken as a free screen takes it, and each pop in hand prints
 * "pop CALL_ID UNIX_MICROSECONDS VIA" on stdout (VIA: relay or direct),
 * and "listening relay|direct" whenever the way notifications come changes.
 * Returns the exit status. */
int headless_run(struct gateway *gw, struct desk *d);

#endif
