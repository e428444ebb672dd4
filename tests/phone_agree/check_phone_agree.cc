// check_phone_agree.cc - ccterm's phone normalizer against Google's
// libphonenumber (Debian libphonenumber-dev) on thousands of generated forms:
// Korean mobiles, Seoul and area landlines, 070, 050x, 080, 060, 15xx/16xx/18xx
// service numbers, foreign numbers written with '+' and with Korean
// international prefixes, with spaces, dashes (ASCII, en, em), dots,
// parentheses, full-width digits and plus, and lengths that are wrong.
//
// Agreement means: where libphonenumber (region KR) reads a form as a valid
// number, phone_normalize() gives the same E.164; where it reads it as
// invalid or cannot parse it, phone_normalize() rejects it. Two documented
// exceptions (README "Phone numbers"):
//  - "00" written as its own group or glued to a calling code in the first
//    group ("00 81 ...", "0081 90 1234 5678") is read as the international
//    prefix 00 followed by that calling code, the way the rest of the world
//    writes it; libphonenumber, which knows only Korea's carrier prefixes
//    (001, 002, 005, 006, 008, 00700, ...), reads "0081..." as 008 + 1 (a
//    US number). For these forms the expected answer is libphonenumber's for
//    the same digits written with '+' instead of "00".
//  - Foreign numbers (not +82) are checked by length, not by each country's
//    number plan: one that libphonenumber calls possible but not valid may be
//    accepted (counted, not failed). Impossible lengths must be rejected.
// Prints "N%: Checks: N, Failures: F, Errors: 0" like a Check suite and up
// to 25 disagreements; exits 1 on any.
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "ccterm/phone.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

std::string digits(int n)
{
	std::string s;
	for (int i = 0; i < n; i++)
		s += (char)('0' + rnd(10));
	return s;
}

// How people write the digits: groups split by one separator kind.
const char *const seps[] = { "-", " ", ".", "", "\xe2\x80\x93" /* en dash */, "\xe2\x80\x94" /* em dash */,
			     "\xe3\x80\x80" /* ideographic space */, "\xef\xbc\x8d" /* full-width hyphen */ };

std::string fullwidth(const std::string &s)
{
	std::string o;
	for (char c : s) {
		if (c >= '0' && c <= '9') {
			o += "\xef\xbc";
			o += (char)(0x90 + (c - '0'));
		} else if (c == '+') {
			o += "\xef\xbc\x8b";
		} else {
			o += c;
		}
	}
	return o;
}

// Splits national digits "0101234567" into plausible groups.
std::string grouped(const std::string &nat, const std::string &sep, bool paren_area)
{
	size_t n = nat.size();
	size_t a = nat.compare(0, 2, "02") == 0 ? 2 : (nat[0] == '1' && n <= 9 ? 4 : (nat.compare(0, 3, "050") == 0 ? 4 : 3));
	if (a >= n)
		return nat;
	std::string area = nat.substr(0, a), rest = nat.substr(a);
	std::string mid = rest.size() > 4 ? rest.substr(0, rest.size() - 4) : "";
	std::string last = rest.size() > 4 ? rest.substr(rest.size() - 4) : rest;
	std::string o = paren_area ? "(" + area + ") " : area + sep;
	if (!mid.empty())
		o += mid + sep;
	return o + last;
}

struct form {
	std::string text;
	bool via00;            // written with the plain "00" prefix: compare with '+'
	std::string plus_text; // the same digits with '+' for via00
};

std::vector<form> forms;

void add(const std::string &t) { forms.push_back({ t, false, "" }); }

std::string style(const std::string &s)
{
	return rnd(5) == 0 ? fullwidth(s) : s;
}

// A Korean national significant number of a given kind, sometimes the wrong length.
std::string kr_nsn()
{
	static const char *const area[] = { "31", "32", "33", "41", "42", "43", "44", "51", "52", "53", "54", "55", "61", "62", "63", "64" };
	static const char *const svc[] = { "1588", "1577", "1566", "1544", "1599", "1522", "1533", "1600", "1644", "1661", "1666", "1668", "1670", "1688", "1800", "1833", "1855", "1877", "1899", "1511", "1500", "1700", "1900" };
	std::string s;
	switch (rnd(11)) {
	case 0: case 1: case 2: s = "10" + digits(8); break;                 // 010 mobile
	case 3: s = std::string("1") + "16789"[rnd(5)] + digits(rnd(2) ? 7 : 8); break; // 011, 016 ... old mobiles
	case 4: s = "2" + digits(rnd(2) ? 7 : 8); break;                      // Seoul
	case 5: case 6: s = std::string(area[rnd(16)]) + digits(rnd(2) ? 7 : 8); break;
	case 7: s = "70" + digits(8); break;                                  // 070 internet phone
	case 8: s = std::string(svc[rnd(23)]) + digits(4); break;            // 15xx/16xx/18xx
	case 9: s = "80" + digits(7); break;                                  // 080 free
	default: s = std::string("50") + digits(rnd(2) ? 8 : 9); break;       // 050x personal
	}
	switch (rnd(6)) {          // a wrong length now and then
	case 0: s.pop_back(); break;
	case 1: s += digits(1); break;
	case 2: if (s.size() > 3) s.erase(s.size() - 2); break;
	default: break;
	}
	return s;
}

void gen_kr()
{
	std::string nsn = kr_nsn();
	bool service = nsn[0] == '1' && nsn.size() <= 9 && nsn[1] != '0' && nsn.size() == 8;
	std::string nat = service ? nsn : "0" + nsn;
	std::string sep = seps[rnd(sizeof(seps) / sizeof(seps[0]))];
	switch (rnd(9)) {
	case 0: case 1: case 2: add(style(grouped(nat, sep, false))); break;
	case 3: add(style(grouped(nat, " ", true))); break;
	case 4: add(style("+82 " + grouped(nsn, sep, false))); break;
	case 5: add(style("+82 " + grouped("0" + nsn, sep, false))); break;   // trunk 0 kept
	case 6: add(style("82" + sep + grouped(nsn, sep, false))); break;      // country code, no '+'
	case 7: add(style("82" + nsn)); break;
	default: {
		static const char *const idd[] = { "001", "002", "005", "006", "008", "00700" };
		add(style(std::string(idd[rnd(6)]) + " 82 " + grouped(nsn, sep, false)));
		break;
	}
	}
}

void gen_foreign(PhoneNumberUtil *u)
{
	static const char *const regions[] = { "US", "JP", "CN", "GB", "DE", "FR", "VN", "PH", "TH", "AU", "HK", "TW", "CA" };
	static const PhoneNumberUtil::PhoneNumberType types[] = { PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE };
	PhoneNumber ex;
	if (!u->GetExampleNumberForType(regions[rnd(13)], types[rnd(2)], &ex))
		return;
	std::string nsn, cc = std::to_string(ex.country_code());
	u->GetNationalSignificantNumber(ex, &nsn);
	// vary the last digits, sometimes the length
	size_t k = nsn.size() > 4 ? 4 : nsn.size();
	nsn = nsn.substr(0, nsn.size() - k) + digits((int)k);
	if (rnd(5) == 0)
		nsn += digits(1 + rnd(3));
	else if (rnd(5) == 0)
		nsn.erase(nsn.size() - 1 - rnd(2));
	std::string sep = seps[rnd(4)];
	std::string body = nsn.size() > 6 ? nsn.substr(0, 3) + sep + nsn.substr(3, 3) + sep + nsn.substr(6) : nsn;
	static const char *const idd[] = { "001", "002", "005", "006", "008", "00700" };
	switch (rnd(5)) {
	case 0: case 1: add(style("+" + cc + " " + body)); break;
	case 2: add(style(std::string(idd[rnd(6)]) + " " + cc + " " + body)); break;
	case 3: forms.push_back({ "00 " + cc + " " + body, true, "+" + cc + " " + body }); break;
	default:        // "001" glued is Korea's carrier prefix 001 itself, not 00 + 1
		if (cc != "1")
			forms.push_back({ "00" + cc + " " + body, true, "+" + cc + " " + body });
		break;
	}
}

// libphonenumber's answer: E.164 when valid, "" when invalid or unparsable;
// *possible says whether it is at least a possible length.
std::string lib_e164(PhoneNumberUtil *u, const std::string &in, bool *possible, int *cc)
{
	PhoneNumber n;
	*possible = false;
	*cc = 0;
	if (u->Parse(in, "KR", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
		return "";
	*cc = n.country_code();
	*possible = u->IsPossibleNumber(n);
	if (!u->IsValidNumber(n))
		return "";
	std::string s;
	u->Format(n, PhoneNumberUtil::E164, &s);
	return s;
}

} // namespace

int main()
{
	PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	// The forms the issue reported, and the fixed ones around them.
	static const char *const fixed[] = {
		"\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90-\xef\xbc\x96\xef\xbc\x94\xef\xbc\x98\xef\xbc\x95-\xef\xbc\x96\xef\xbc\x92\xef\xbc\x98\xef\xbc\x96",
		"\xef\xbc\x8b\xef\xbc\x98\xef\xbc\x92 \xef\xbc\x91\xef\xbc\x90 1234 5678",
		"010\xe2\x80\x93" "6405\xe2\x80\x93" "5535", "010\xe2\x80\x94" "6405\xe2\x80\x94" "5535",
		"82 10 2168 1521", "821030077827", "+82 00 1234 5678", "+82 010-1234-5678", "+82 0 2 312 4567",
		"001-1-415-555-0100", "00700-1-415-555-0100", "008 81 3 1234 5678", "1588-1234", "02-312-4567",
		"011-123-4567", "070-1234-5678", "080-123-4567", "010-0123-4567", "1511-1234", "12", "010",
	};
	for (const char *f : fixed)
		add(f);
	forms.push_back({ "0081 90 1234 5678", true, "+81 90 1234 5678" });
	forms.push_back({ "0086 138 1234 5678", true, "+86 138 1234 5678" });
	forms.push_back({ "0082 10 1234 5678", true, "+82 10 1234 5678" });
	forms.push_back({ "00 1 415 555 0100", true, "+1 415 555 0100" });
	for (int i = 0; i < 6000; i++)
		gen_kr();
	for (int i = 0; i < 2500; i++)
		gen_foreign(u);

	int failures = 0, lenient = 0, valid = 0, invalid = 0;
	for (const form &f : forms) {
		bool possible;
		int cc;
		std::string want = lib_e164(u, f.via00 ? f.plus_text : f.text, &possible, &cc);
		char got[PHONE_E164_MAX];
		int rc = phone_normalize(f.text.c_str(), "KR", got, sizeof(got));
		std::string ours = rc == 0 ? got : "";
		char again[PHONE_E164_MAX];
		if (rc == 0 && (phone_normalize(got, "KR", again, sizeof(again)) != 0 || ours != again)) {
			if (failures++ < 25)
				std::printf("not canonical: '%s' -> %s, which reads back as '%s'\n", f.text.c_str(), got,
					    again);
			continue;
		}
		if (want == ours) {
			(want.empty() ? invalid : valid)++;
			continue;
		}
		if (want.empty() && cc != 82 && cc != 0 && possible) {
			lenient++;
			continue;
		}
		if (failures++ < 25)
			std::printf("disagree: '%s'%s: libphonenumber %s, ccterm %s\n", f.text.c_str(),
				    f.via00 ? " (00 prefix, compared as '+')" : "",
				    want.empty() ? "invalid" : want.c_str(), ours.empty() ? "rejects" : ours.c_str());
	}
	std::printf("%zu forms: %d valid and %d invalid agree, %d foreign possible-but-invalid accepted, %d disagree\n",
		    forms.size(), valid, invalid, lenient, failures);
	int checks = (int)forms.size();
	std::printf("%d%%: Checks: %d, Failures: %d, Errors: 0\n", checks ? 100 * (checks - failures) / checks : 0,
		    checks, failures);
	return failures ? 1 : 0;
}
