/* relay_peer.c - who a console is: the uid SO_PEERCRED gives for its
 * connection, mapped to an agent login. Without a map file the uid's user
 * name is the login; with one (--map FILE: lines "UID-or-USER LOGIN", '#'
 * comments) only the file counts, so a host whose Unix names differ from
 * the logins can still run one relay. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relayd.h"

struct map_entry {
	uid_t uid;
	char login[RELAY_CHANNEL_MAX + 1];
};

static struct map_entry *map;
static size_t nmap;
static bool have_map;

static int map_add(uid_t uid, const char *login)
{
	struct map_entry *m = realloc(map, (nmap + 1) * sizeof(*m));

	if (!m)
		return -1;
	map = m;
	map[nmap].uid = uid;
	snprintf(map[nmap].login, sizeof(map[nmap].login), "%.*s", RELAY_CHANNEL_MAX, login);
	nmap++;
	return 0;
}

static int uid_of(const char *who, uid_t *uid)
{
	char *end;
	unsigned long v;

	if (isdigit((unsigned char)who[0])) {
		errno = 0;
		v = strtoul(who, &end, 10);
		if (errno || *end || v > (unsigned long)(uid_t)-1)
			return -1;
		*uid = (uid_t)v;
		return 0;
	} else {
		struct passwd pw, *res = NULL;
		char buf[4096];

		if (getpwnam_r(who, &pw, buf, sizeof(buf), &res) != 0 || !res)
			return -1;
		*uid = res->pw_uid;
		return 0;
	}
}

int peer_map_load(const char *path)
{
	FILE *fp;
	char line[512];
	int lineno = 0, rc = 0;

	if (!path)
		return 0;
	fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "ccterm-relayd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	have_map = true;
	while (fgets(line, sizeof(line), fp)) {
		char who[128], login[128], extra[8];
		uid_t uid;
		int n;

		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		n = sscanf(line, "%127s %127s %7s", who, login, extra);
		if (n <= 0)
			continue;
		if (n != 2 || !relay_name_ok(login) || uid_of(who, &uid) < 0) {
			fprintf(stderr, "ccterm-relayd: %s:%d: want \"UID-or-USER LOGIN\" with a known user and a login of [a-z0-9_.]\n",
				path, lineno);
			rc = -1;
			continue;
		}
		if (map_add(uid, login) < 0) {
			fprintf(stderr, "ccterm-relayd: out of memory\n");
			rc = -1;
			break;
		}
	}
	fclose(fp);
	return rc;
}

bool peer_login(uid_t uid, char *out, size_t size)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	out[0] = '\0';
	if (have_map) {
		for (size_t i = 0; i < nmap; i++)
			if (map[i].uid == uid) {
				snprintf(out, size, "%s", map[i].login);
				return true;
			}
		return false;
	}
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res || !relay_name_ok(res->pw_name))
		return false;
	snprintf(out, size, "%s", res->pw_name);
	return true;
}
