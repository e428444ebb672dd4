/* relay_path.h - where ccterm-relayd's socket is, for the relay and for the
 * console alike: the option given, else $CCTERM_RELAY, else
 * RELAY_SYSTEM_PATH (the host's relay, run as root or by its service
 * manager), else $XDG_RUNTIME_DIR/RELAY_USER_NAME (one user's own relay).
 * CCTERM_RELAY=off (or -r off) keeps a console on direct LISTEN. */
#ifndef CCTERM_RELAY_PATH_H
#define CCTERM_RELAY_PATH_H

#include <stddef.h>

#define RELAY_SYSTEM_DIR "/run/ccterm"
#define RELAY_SYSTEM_PATH RELAY_SYSTEM_DIR "/relay.sock"
#define RELAY_USER_NAME "ccterm-relay.sock"

/* The relay's path (as root the default's directory is made). 0, or -1
 * when there is none to choose. */
int relay_path_server(const char *arg, char *out, size_t size);
/* The console's: 0 with a path, 1 when turned off, -1 when none. */
int relay_path_console(const char *arg, char *out, size_t size);

#endif
