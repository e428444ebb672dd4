/* mta_error.c - reading an MTA's refusal (ccterm/mta_error.h). msmtp, for
 * one, exits 69 (EX_UNAVAILABLE) for an SMTP 451: the server's reply code is
 * the better witness, so it is read first. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ccterm/mta_error.h"

const char *mta_failure_name(enum mta_failure f)
{
	switch (f) {
	case MTA_PERMANENT: return "permanent";
	case MTA_UNKNOWN: return "unknown";
	default: return "temporary";
	}
}

const char *mta_exit_meaning(int code)
{
	switch (code) {
	case 64: return "EX_USAGE: command line usage error";
	case 65: return "EX_DATAERR: data format error";
	case 66: return "EX_NOINPUT: cannot open input";
	case 67: return "EX_NOUSER: addressee unknown";
	case 68: return "EX_NOHOST: host name unknown";
	case 69: return "EX_UNAVAILABLE: service unavailable";
	case 70: return "EX_SOFTWARE: internal software error";
	case 71: return "EX_OSERR: system error";
	case 72: return "EX_OSFILE: critical OS file missing";
	case 73: return "EX_CANTCREAT: can't create output file";
	case 74: return "EX_IOERR: input/output error";
	case 75: return "EX_TEMPFAIL: temporary failure";
	case 76: return "EX_PROTOCOL: remote error in protocol";
	case 77: return "EX_NOPERM: permission denied";
	case 78: return "EX_CONFIG: configuration error";
	default: return NULL;
	}
}

static bool permanent_exit(int code)
{
	/* no such user or host, refused, malformed: the same message fails again */
	return code == 64 || code == 65 || code == 67 || code == 68 || code == 69 || code == 77;
}

/* An enhanced status code "c.d.d" (RFC 3463) of class c at p. */
static bool enhanced_code(const char *p, char c)
{
	int n;

	if (*p != c || p[1] != '.')
		return false;
	p += 2;
	for (int part = 0; part < 2; part++) {
		for (n = 0; isdigit((unsigned char)*p) && n < 4; n++)
			p++;
		if (n == 0 || n > 3)
			return false;
		if (part == 0 && *p++ != '.')
			return false;
	}
	return *p == '\0' || *p == ' ' || *p == '\n' || *p == ')' || *p == ',';
}

/* Was the text before p "message: ", "said: " or "response: " (any case)? */
static bool after_label(const char *start, const char *p)
{
	static const char *const labels[] = { "message:", "said:", "response:", "error:" };
	const char *q = p;

	while (q > start && q[-1] == ' ')
		q--;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t n = strlen(labels[i]);

		if ((size_t)(q - start) >= n && strncasecmp(q - n, labels[i], n) == 0)
			return true;
	}
	return false;
}

/* The first SMTP reply in s: its line from the code on, into reply; its class ('4', '5') or 0. */
static char smtp_reply(const char *s, char *reply, size_t replysz)
{
	for (const char *p = s; *p; p++) {
		char c = *p;

		if ((c != '4' && c != '5') || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
			continue;
		if (p > s && p[-1] != ' ' && p[-1] != ':' && p[-1] != '\n' && p[-1] != '(' && p[-1] != '"')
			continue;
		if (p[3] != ' ' && p[3] != '-')
			continue;
		if (!enhanced_code(p + 4, c) && !after_label(s, p))
			continue;
		{
			size_t n = strcspn(p, "\r\n");

			while (n && p[n - 1] == ' ')
				n--;
			snprintf(reply, replysz, "%.*s", (int)n, p);
		}
		return c;
	}
	return 0;
}

enum mta_failure mta_failure_of(bool exited, int code, bool whole, const char *said, char *reply, size_t replysz)
{
	char c;

	if (replysz)
		reply[0] = '\0';
	c = smtp_reply(said ? said : "", reply, replysz);
	if (c == '5')
		return MTA_PERMANENT;
	if (c == '4')
		return MTA_TEMPORARY;
	if (!exited)
		/* killed or timed out: once it had the whole message it may have passed it on */
		return whole ? MTA_UNKNOWN : MTA_TEMPORARY;
	return permanent_exit(code) ? MTA_PERMANENT : MTA_TEMPORARY;
}
