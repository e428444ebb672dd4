/* journal_path.c - where the draft journal lives, the ids of drafts, and
 * the journal's clock: the small helpers around src/journal.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/journal.h"

long long journal_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- names ---------------------------------------------------------------- */

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(char *path)
{
	struct stat st;

	for (char *s = path + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (stat(path, &st) < 0) {
			if (mkdir(path, 0700) < 0 && errno != EEXIST) {
				*s = c;
				return -1;
			}
		} else if (!S_ISDIR(st.st_mode)) {
			*s = c;
			errno = ENOTDIR;
			return -1;
		}
		*s = c;
		if (c == '\0')
			return 0;
	}
}

int journal_default_path(const char *login, char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	char dir[PATH_MAX], name[256];
	size_t nl = 0;
	int n;

	if (!login || !*login) {
		errno = EINVAL;
		return -1;
	}
	if (xdg && xdg[0] == '/') {
		n = snprintf(dir, sizeof(dir), "%s/ccterm", xdg);
	} else {
		const char *home = getenv("HOME");

		if (!home || home[0] != '/') {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || home[0] != '/') {
			errno = ENOENT;
			return -1;
		}
		n = snprintf(dir, sizeof(dir), "%s/.local/state/ccterm", home);
	}
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (const unsigned char *s = (const unsigned char *)login; *s && nl < sizeof(name) - 1; s++) {
		unsigned char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-' || c >= 0x80 || (c == '.' && nl > 0);

		name[nl++] = ok ? (char)c : '_';
	}
	name[nl] = '\0';
	n = snprintf(buf, size, "%s/%s.journal", dir, name);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
		errno = ERANGE;
		return -1;
	}
	return make_dirs(dir);
}

/* n random bytes from /dev/urandom: for a kernel without getrandom(2)
 * (ENOSYS), or a sandbox that refuses it. */
static int urandom_bytes(unsigned char *b, size_t n)
{
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	return 0;
}

/* n (<= 256) random bytes: one getrandom(2), no file descriptor. */
static int random_bytes(unsigned char *b, size_t n)
{
	ssize_t r;

	do
		r = getrandom(b, n, 0);
	while (r < 0 && errno == EINTR);
	if (r == (ssize_t)n)
		return 0;
	return urandom_bytes(b, n);
}

int journal_uuid(char *buf)
{
	unsigned char b[16];

	if (random_bytes(b, sizeof(b)) < 0)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
	for (int i = 0, o = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[o++] = '-';
		snprintf(buf + o, 3, "%02x", b[i]);
		o += 2;
	}
	return 0;
}
