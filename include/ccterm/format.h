/* format.h - how numbers, money, times and durations read on screen. */
#ifndef CCTERM_FORMAT_H
#define CCTERM_FORMAT_H

#include <stddef.h>
#include <time.h>

/* 1234567 -> "1,234,567"; negative numbers keep their sign. Returns out. */
char *fmt_thousands(long long v, char *out, size_t outsz);

/* Amount in won: 1234500 -> "₩1,234,500". */
char *fmt_money(long long won, char *out, size_t outsz);

/* Compact money for narrow columns: 950 -> "950", 12500 -> "12.5K", 3400000 -> "3.4M". */
char *fmt_money_short(long long won, char *out, size_t outsz);

/* Seconds as a timer: 65 -> "01:05", 3725 -> "1:02:05"; negative -> "-00:05". */
char *fmt_duration(long secs, char *out, size_t outsz);

/* A past moment relative to now: "now", "5m", "3h", "2d", "4w", "2y" (for "5m ago"). */
char *fmt_age(time_t then, time_t now, char *out, size_t outsz);

/* Local date/time "2026-11-23 14:05"; same day as now -> "14:05". */
char *fmt_when(time_t t, time_t now, char *out, size_t outsz);

/* Resident registration number masked: "900101-1234567" -> "900101-1******". */
char *fmt_rrn_mask(const char *rrn, char *out, size_t outsz);

#endif
