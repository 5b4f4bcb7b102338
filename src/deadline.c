#include "deadline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "post.h"
#include "util.h"

/*
 * The text is cut into tokens (words, numbers, punctuation, sentence ends)
 * in one pass.  A deadline is a closing word followed, within a few words
 * of the same sentence, by a date.  Only what follows the closing word
 * counts, and only words that can stand between "closes" and its date
 * ("at midnight on", "for applications is") may come between: anything
 * that starts another clause ("and", "takes place", "published") ends the
 * search.  Sentences are the unit of context, so "the event is on 14 May;
 * book by 7 May" gives 7 May.
 */

enum tok_kind { TK_WORD, TK_NUM, TK_PUNCT, TK_END };

struct tok {
	const char *p;
	size_t n;
	int kind;
	char c;              /* TK_PUNCT: the character; dashes are '-' */
};

struct toks {
	struct tok *v;
	size_t len;
	size_t cap;
};

/* A date as read: y 0 when the text gave no year, d 0 for "the end of"
 * the month. */
struct ymd {
	int y, m, d;
	bool range;          /* the end of a "1 to 14 May" range */
};

/* What kind of closing word a token is. */
enum trig {
	TRIG_NONE,
	TRIG_VERB,           /* close, closes, closing: a few words may follow */
	TRIG_NOUN,           /* deadline, cut-off, end date: more may follow */
	TRIG_STRONG,         /* open until, extended to: the date comes next */
	TRIG_WEAK,           /* by, before, until: only about taking part */
	TRIG_RANGE,          /* from: only a "from ... to ..." range */
};

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const weekdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs",
	"fri", "sat", "sun", NULL,
};

/* Words that may stand between a closing word and its date. */
static const char *const fillers[] = {
	"on", "at", "by", "the", "of", "midnight", "noon", "midday", "is",
	"are", "was", "will", "be", "been", "has", "have", "now", "to",
	"until", "till", "for", "date", "dates", "day", "time", "extended",
	"this", "no", "later", "than", "before", "from", "all", "new", "final",
	"latest", "close", "closes", "closing", "deadline", "its", "their",
	"our", "end", "up", "it", "they", "a", "an", NULL,
};

/* Words that start another clause: the date after them is not the
 * deadline's. */
static const char *const breakers[] = {
	"and", "but", "while", "when", "whereas", "after", "since", "event",
	"events", "held", "takes", "take", "taking", "published", "starts",
	"start", "starting", "begins", "begin", "opens", "opening", "reopen",
	"reopens", "launch", "launches", "launched", "meeting", "session",
	"ceremony", "webinar", "visit", "closed", "open", "if", "unless",
	"because", "then", "last", NULL,
};

/* A sentence about taking part: its "by", "before" or "until" sets a
 * deadline.  Prefixes, then whole words. */
static const char *const engage[] = {
	"survey", "consult", "questionnaire", "feedback", "submi", "applica",
	"regist", "nominat", "petition", "tender", "enrol", "comment",
	"expression", "claim", "deadline", NULL,
};
static const char *const engage_words[] = {
	"respond", "response", "responses", "apply", "book", "booking",
	"bookings", "vote", "voting", "poll", "views", "say", "complete",
	"completing", "tell", "sign", "entries", "form", "forms", "bid", "bids",
	NULL,
};

/* A place that "closes on" a day is shut, not taking answers. */
static const char *const places[] = {
	"nursery", "nurseries", "school", "schools", "office", "offices",
	"centre", "centres", "center", "library", "libraries", "building",
	"hub", "cafe", "site", "reception", "pool", "road", "roads", "bridge",
	"shop", "clinic", "ward", "unit", "college", "colleges", "academy",
	"playground", "park", "service", "services", "setting", "settings",
	"station", "car", NULL,
};

/* Before a "by": the date a result comes out, not a deadline. */
static const char *const outcomes[] = {
	"publish", "announc", "result", "outcome", "decision", "decide",
	"report", "release", "notif", "letter", NULL,
};

static bool
is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_dig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive: is token t the word w (or, prefix, does it start
 * with w)?  w is lower case, and its first letter turns most tokens away
 * before anything else is looked at. */
static bool
word_match(const struct tok *t, const char *w, bool prefix)
{
	size_t n;

	if (t->kind != TK_WORD || (t->p[0] | 0x20) != w[0])
		return false;
	n = strlen(w);
	if (t->n < n || (!prefix && t->n != n))
		return false;
	return util_strncasecmp(t->p, w, n) == 0;
}

static bool
tok_is(const struct toks *tk, size_t i, const char *w)
{
	return i < tk->len && word_match(&tk->v[i], w, false);
}

static bool
word_in(const struct tok *t, const char *const *list, bool prefix)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (word_match(t, list[i], prefix))
			return true;
	return false;
}

static bool
punct_is(const struct toks *tk, size_t i, char c)
{
	return i < tk->len && tk->v[i].kind == TK_PUNCT && tk->v[i].c == c;
}

static void
push(struct toks *tk, const char *p, size_t n, int kind, char c)
{
	if (tk->len == tk->cap) {
		tk->cap = tk->cap ? tk->cap * 2 : 256;
		tk->v = xreallocarray(tk->v, tk->cap, sizeof(*tk->v));
	}
	tk->v[tk->len].p = p;
	tk->v[tk->len].n = n;
	tk->v[tk->len].kind = kind;
	tk->v[tk->len].c = c;
	tk->len++;
}

/* Month number 1..12 of token t ("May", "sept", "Oct"), or 0.  month_word
 * must accept every word this does. */
static int
month_of(const struct tok *t)
{
	int i;

	if (t->kind != TK_WORD || t->n < 3)
		return 0;
	for (i = 0; i < 12; i++) {
		if (word_match(t, months[i], false) ||
		    (t->n == 3 && !util_strncasecmp(t->p, months[i], 3)))
			return i + 1;
	}
	return word_match(t, "sept", false) ? 9 : 0;
}

/* A '.' after these ("Sept.", "Tues.", "St.") is an abbreviation's,
 * not a sentence's end. */
static bool
abbrev_before(const struct toks *tk)
{
	const struct tok *t;

	if (!tk->len)
		return false;
	t = &tk->v[tk->len - 1];
	if (month_of(t) && ((t->n == 3 && !word_match(t, "may", false)) ||
	    word_match(t, "sept", false)))
		return true;
	return (t->n <= 5 && word_in(t, weekdays, false)) || word_match(t, "st", false);
}

/* Cuts [s, e), a stretch from stretch_end, into tokens: it holds no
 * newline or ';' (each ends a sentence), and no token runs past e. */
static void
tokenize(struct toks *tk, const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)s, *q;

	while (p < (const unsigned char *)e) {
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (p[0] == 0xc2 && p[1] == 0xa0) {
			p += 2;		/* no-break space */
		} else if (p[0] == 0xe2 && p[1] == 0x80 && p[2]) {
			/* General punctuation: spaces, dashes, quotes. */
			if (p[2] >= 0x90 && p[2] <= 0x95)
				push(tk, (const char *)p, 3, TK_PUNCT, '-');
			else if (p[2] > 0x8a && p[2] != 0xaf)
				push(tk, (const char *)p, 3, TK_PUNCT, '"');
			p += 3;
		} else if (is_dig(*p)) {
			q = p;
			while (is_dig(*q))
				q++;
			while ((*q == '/' || *q == '.' || *q == '-' || *q == ':') && is_dig(q[1]))
				for (q++; is_dig(*q); q++)
					;
			while (is_alpha(*q))
				q++;
			push(tk, (const char *)p, (size_t)(q - p), TK_NUM, 0);
			p = q;
		} else if (is_alpha(*p) || *p >= 0x80) {
			q = p;
			while (*q && (is_alpha(*q) || (*q >= 0x80 && *q != 0xe2 &&
			    !(q[0] == 0xc2 && q[1] == 0xa0))))
				q++;
			if (q == p)
				q++;
			push(tk, (const char *)p, (size_t)(q - p), TK_WORD, 0);
			p = q;
		} else if ((*p == '.' || *p == '!' || *p == '?') &&
		    (!p[1] || p[1] == ' ' || p[1] == '\n' || p[1] == '\t' || p[1] == '\r') &&
		    !(*p == '.' && abbrev_before(tk))) {
			push(tk, (const char *)p, 1, TK_END, 0);
			p++;
		} else {
			push(tk, (const char *)p, 1, TK_PUNCT, (char)*p);
			p++;
		}
	}
}

/* Reads a run of digits of token text [p, e); returns the value or -1,
 * and the number of digits in *nd. */
static int
digits(const char **pp, const char *e, int *nd)
{
	const char *p = *pp;
	int v = 0;

	*nd = 0;
	while (p < e && is_dig((unsigned char)*p) && *nd < 5) {
		v = v * 10 + (*p - '0');
		p++;
		(*nd)++;
	}
	*pp = p;
	return *nd ? v : -1;
}

/* A day of the month: "14", "14th", "3rd". */
static int
day_of(const struct tok *t)
{
	const char *p = t->p, *e = t->p + t->n;
	int nd, d;

	if (t->kind != TK_NUM || (d = digits(&p, e, &nd)) < 1 || nd > 2 || d > 31)
		return 0;
	if (p == e)
		return d;
	if (e - p == 2 && (!util_strncasecmp(p, "st", 2) || !util_strncasecmp(p, "nd", 2) ||
	    !util_strncasecmp(p, "rd", 2) || !util_strncasecmp(p, "th", 2)))
		return d;
	return 0;
}

/* A four-digit year from 1990 to 2100, or 0. */
static int
year_of(const struct tok *t)
{
	const char *p = t->p, *e = t->p + t->n;
	int nd, y;

	if (t->kind != TK_NUM || (y = digits(&p, e, &nd)) < 0 || nd != 4 || p != e)
		return 0;
	return y >= 1990 && y <= 2100 ? y : 0;
}

/* "12/05/2024", "12.05.24", "12-5-2024" (day first, as in the UK) and
 * "2024-05-12". */
static bool
numeric_date(const struct tok *t, struct ymd *out)
{
	const char *p = t->p, *e = t->p + t->n;
	int a, b, c, na, nb, nc;
	char s1, s2;

	if (t->kind != TK_NUM || (a = digits(&p, e, &na)) < 0 || p >= e)
		return false;
	s1 = *p++;
	if ((b = digits(&p, e, &nb)) < 0 || p >= e)
		return false;
	s2 = *p++;
	if ((c = digits(&p, e, &nc)) < 0 || p != e || s1 != s2 || s1 == ':')
		return false;
	if (na == 4 && s1 == '-' && nb <= 2 && nc <= 2) {
		out->y = a;
		out->m = b;
		out->d = c;
	} else if (na <= 2 && nb <= 2 && (nc == 4 || nc == 2)) {
		out->d = a;
		out->m = b;
		out->y = nc == 2 ? 2000 + c : c;
	} else {
		return false;
	}
	return out->y >= 1990 && out->y <= 2100 && out->m >= 1 && out->m <= 12 &&
	    out->d >= 1 && out->d <= 31;
}

/* A time of day at i ("5pm", "17:00", "5.30 pm", "12 noon"); returns the
 * number of tokens it takes, 0 when none. */
static size_t
time_at(const struct toks *tk, size_t i)
{
	const struct tok *t = &tk->v[i];
	const char *e = t->p + t->n;

	if (t->kind != TK_NUM)
		return 0;
	if (t->n > 2 && (!util_strncasecmp(e - 2, "am", 2) || !util_strncasecmp(e - 2, "pm", 2)) &&
	    is_dig((unsigned char)e[-3]))
		return 1;
	if (tok_is(tk, i + 1, "am") || tok_is(tk, i + 1, "pm") || tok_is(tk, i + 1, "noon") ||
	    tok_is(tk, i + 1, "midday") || tok_is(tk, i + 1, "midnight"))
		return 2;
	if (memchr(t->p, ':', t->n) || (memchr(t->p, '.', t->n) && t->n <= 5))
		return 1;
	return 0;
}

/* Reads one date at i (not a range); returns the tokens it took, or 0. */
static size_t
date_one(const struct toks *tk, size_t i, size_t end, struct ymd *out)
{
	size_t j = i;
	int v;

	memset(out, 0, sizeof(*out));
	if (j < end && word_in(&tk->v[j], weekdays, false)) {
		j++;
		if (punct_is(tk, j, ','))
			j++;
	}
	if (j >= end)
		return 0;
	if (tok_is(tk, j, "end") && tok_is(tk, j + 1, "of") && j + 2 < end &&
	    (out->m = month_of(&tk->v[j + 2]))) {
		j += 3;
		if (punct_is(tk, j, '.'))
			j++;
		if (j < end && (v = year_of(&tk->v[j])))
			out->y = v, j++;
		return j - i;
	}
	if (numeric_date(&tk->v[j], out))
		return j + 1 - i;
	if ((out->d = day_of(&tk->v[j]))) {
		j++;
		if (tok_is(tk, j, "of"))
			j++;
		if (j >= end || !(out->m = month_of(&tk->v[j])))
			return 0;
		j++;
	} else if ((out->m = month_of(&tk->v[j]))) {
		j++;
		if (punct_is(tk, j, '.'))
			j++;
		if (j >= end || !(out->d = day_of(&tk->v[j])))
			return 0;
		j++;
	} else {
		return 0;
	}
	if (punct_is(tk, j, '.'))
		j++;
	if (punct_is(tk, j, ',') && j + 1 < end && year_of(&tk->v[j + 1]))
		j++;
	if (j < end && (v = year_of(&tk->v[j])))
		out->y = v, j++;
	return j - i;
}

static bool
range_joiner(const struct toks *tk, size_t i)
{
	return tok_is(tk, i, "to") || tok_is(tk, i, "until") || tok_is(tk, i, "till") ||
	    punct_is(tk, i, '-');
}

/* Reads a date or a range at i ("14 May 2023", "1 to 14 May",
 * "1 May - 14 June 2023": a range gives its last day). */
static size_t
date_at(const struct toks *tk, size_t i, size_t end, struct ymd *out)
{
	struct ymd second;
	size_t n, m;

	if ((n = date_one(tk, i, end, out))) {
		if (i + n < end && range_joiner(tk, i + n) &&
		    (m = date_one(tk, i + n + 1, end, &second))) {
			*out = second;
			out->range = true;
			return n + 1 + m;
		}
		return n;
	}
	/* "1 to 14 May 2023", "1-14 May": a bare first day. */
	if (i + 1 < end && day_of(&tk->v[i]) && range_joiner(tk, i + 1) &&
	    (m = date_one(tk, i + 2, end, &second))) {
		*out = second;
		out->range = true;
		return 2 + m;
	}
	return 0;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return md[m - 1] + (m == 2 && leap(y));
}

static long long
day_start(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (long long)timegm(&tm);
}

/* The deadline a date read as r stands for, given the post's date; 0 when
 * it is no real day. */
static long long
resolve(const struct ymd *r, long long post_date)
{
	struct tm pt;
	time_t t = (time_t)post_date;
	int y, d;

	if (r->m < 1 || r->m > 12)
		return 0;
	if (r->y) {
		d = r->d ? r->d : month_days(r->y, r->m);
		if (d > month_days(r->y, r->m))
			return 0;
		return day_start(r->y, r->m, d) + 86399;
	}
	if (!post_date || !gmtime_r(&t, &pt))
		return 0;
	/* The first such day on or after the post's day (29 February may
	 * be some years off). */
	for (y = pt.tm_year + 1900; y < pt.tm_year + 1900 + 9; y++) {
		d = r->d ? r->d : month_days(y, r->m);
		if (d > month_days(y, r->m))
			continue;
		if (y == pt.tm_year + 1900 && (r->m < pt.tm_mon + 1 ||
		    (r->m == pt.tm_mon + 1 && d < pt.tm_mday)))
			continue;
		return day_start(y, r->m, d) + 86399;
	}
	return 0;
}

/* What kind of closing word token i is.  Every word that can make one,
 * or come before one, must be in trigger_words: texts without one are
 * never cut into tokens. */
static enum trig
trigger_at(const struct toks *tk, size_t i, size_t *len)
{
	const struct tok *prev = i ? &tk->v[i - 1] : NULL;

	*len = 1;
	if (tk->v[i].kind != TK_WORD)
		return TRIG_NONE;
	/* Most words are none of those below: their length and first letter
	 * say so before any comparison (this runs on every word of every
	 * post). */
	if (tk->v[i].n < 2 || tk->v[i].n > 9)
		return TRIG_NONE;
	switch (tk->v[i].p[0] | 0x20) {
	case 'c':
		if (tok_is(tk, i, "close") || tok_is(tk, i, "closes") || tok_is(tk, i, "closing"))
			return TRIG_VERB;
		if (tok_is(tk, i, "cutoff"))
			return TRIG_NOUN;
		if (tok_is(tk, i, "cut") && punct_is(tk, i + 1, '-') && tok_is(tk, i + 2, "off")) {
			*len = 3;
			return TRIG_NOUN;
		}
		break;
	case 'd':
		if (tok_is(tk, i, "deadline") || tok_is(tk, i, "deadlines"))
			return TRIG_NOUN;
		break;
	case 'e':
		if (tok_is(tk, i, "end") && tok_is(tk, i + 1, "date")) {
			*len = 2;
			return TRIG_NOUN;
		}
		if (tok_is(tk, i, "ends") || (tok_is(tk, i, "end") && !tok_is(tk, i + 1, "of")))
			return TRIG_WEAK;
		break;
	case 'u':
	case 't':
		if (tok_is(tk, i, "until") || tok_is(tk, i, "till")) {
			if (prev && (word_match(prev, "open", false) ||
			    word_match(prev, "extended", false) || word_match(prev, "live", false)))
				return TRIG_STRONG;
			return TRIG_WEAK;
		}
		if (tok_is(tk, i, "to") && prev && word_match(prev, "extended", false))
			return TRIG_STRONG;
		if (tok_is(tk, i, "than") && prev && word_match(prev, "later", false))
			return TRIG_WEAK;
		break;
	case 'b':
		if (tok_is(tk, i, "by") || tok_is(tk, i, "before"))
			return TRIG_WEAK;
		break;
	case 'f':
		if (tok_is(tk, i, "from"))
			return TRIG_RANGE;
		break;
	}
	return TRIG_NONE;
}

/* Does the sentence [from, to) hold a word of list? */
static bool
sentence_has(const struct toks *tk, size_t from, size_t to,
    const char *const *list, bool prefix)
{
	size_t i;

	for (i = from; i < to; i++)
		if (word_in(&tk->v[i], list, prefix))
			return true;
	return false;
}

/* Is token i the number of a link, "[3]"?  Dates never take one. */
static bool
link_number(const struct toks *tk, size_t i)
{
	size_t k;

	if (!i || !punct_is(tk, i - 1, '[') || !punct_is(tk, i + 1, ']'))
		return false;
	for (k = 0; k < tk->v[i].n; k++)
		if (!is_dig((unsigned char)tk->v[i].p[k]))
			return false;
	return true;
}

/* Could the sentence [from, to) hold a date?  Every date date_at reads
 * has a number or a month name. */
static bool
sentence_dated(const struct toks *tk, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if ((tk->v[i].kind == TK_NUM && !link_number(tk, i)) ||
		    month_of(&tk->v[i]))
			return true;
	return false;
}

/* Looks for the date a closing word at i (taking n tokens) introduces;
 * 0 when there is none. */
static long long
deadline_after(const struct toks *tk, size_t i, size_t n, size_t end,
    enum trig kind, long long post_date)
{
	struct ymd r;
	size_t j = i + n, k, budget;

	budget = kind == TRIG_NOUN ? 6 : kind == TRIG_VERB ? 3 : 0;
	while (j < end && j < i + 20) {
		if ((k = date_at(tk, j, end, &r))) {
			if (kind == TRIG_RANGE && !r.range)
				return 0;
			return resolve(&r, post_date);
		}
		if ((k = time_at(tk, j))) {
			j += k;
		} else if (tk->v[j].kind == TK_PUNCT && strchr(":,-()\"", tk->v[j].c)) {
			j++;
		} else if (tk->v[j].kind == TK_WORD && word_in(&tk->v[j], fillers, false)) {
			j++;
		} else if (tk->v[j].kind == TK_WORD && word_in(&tk->v[j], breakers, false)) {
			return 0;
		} else if (budget) {
			budget--;
			j++;
		} else {
			return 0;
		}
	}
	return 0;
}

/* The closing words of trigger_at, and the words before the two that
 * count only after one ("extended to", "later than"). */
static const struct {
	unsigned char n;
	char s[10];
} trigger_words[] = {
	{5, "close"}, {6, "closes"}, {7, "closing"}, {6, "cutoff"},
	{3, "cut"}, {8, "deadline"}, {9, "deadlines"}, {3, "end"},
	{4, "ends"}, {5, "until"}, {4, "till"}, {8, "extended"},
	{5, "later"}, {2, "by"}, {6, "before"}, {4, "from"},
};

/* Bit n of trigger_lens[c - 'a']: a word above starts with c and is n
 * letters long.  Most words of a text fail this test. */
static const uint16_t trigger_lens['z' - 'a' + 1] = {
	['b' - 'a'] = 1 << 2 | 1 << 6,
	['c' - 'a'] = 1 << 3 | 1 << 5 | 1 << 6 | 1 << 7,
	['d' - 'a'] = 1 << 8 | 1 << 9,
	['e' - 'a'] = 1 << 3 | 1 << 4 | 1 << 8,
	['f' - 'a'] = 1 << 4,
	['l' - 'a'] = 1 << 5,
	['t' - 'a'] = 1 << 4,
	['u' - 'a'] = 1 << 5,
};

/* Could the run of ASCII letters w (n bytes) be one of trigger_words?
 * Compared without case, as trigger_at compares. */
static bool
trigger_word(const unsigned char *w, size_t n)
{
	unsigned c = (w[0] | 0x20) - 'a';
	size_t i, j;

	if (n < 2 || n > 9 || !(trigger_lens[c] >> n & 1))
		return false;
	for (i = 0; i < sizeof(trigger_words) / sizeof(trigger_words[0]); i++) {
		if (trigger_words[i].n != n || trigger_words[i].s[0] != (char)(w[0] | 0x20))
			continue;
		for (j = 1; j < n && trigger_words[i].s[j] == (char)(w[j] | 0x20); j++)
			;
		if (j == n)
			return true;
	}
	return false;
}

/* Could the run of ASCII letters w (n bytes) be a month as month_of
 * reads one: a full name, its first three letters, or "sept"? */
static bool
month_word(const unsigned char *w, size_t n)
{
	/* Bit n: a month, its three letters or "sept" starts with the
	 * letter and is n letters long. */
	static const uint16_t lens['z' - 'a' + 1] = {
		['a' - 'a'] = 1 << 3 | 1 << 5 | 1 << 6,
		['d' - 'a'] = 1 << 3 | 1 << 8,
		['f' - 'a'] = 1 << 3 | 1 << 8,
		['j' - 'a'] = 1 << 3 | 1 << 4 | 1 << 7,
		['m' - 'a'] = 1 << 3 | 1 << 5,
		['n' - 'a'] = 1 << 3 | 1 << 8,
		['o' - 'a'] = 1 << 3 | 1 << 7,
		['s' - 'a'] = 1 << 3 | 1 << 4 | 1 << 9,
	};
	size_t i, j, len;

	if (n < 3 || n > 9 || !(lens[(w[0] | 0x20) - 'a'] >> n & 1))
		return false;
	for (i = 0; i < 12; i++) {
		len = strlen(months[i]);
		if (n != len && n != 3)
			continue;
		for (j = 0; j < n && months[i][j] == (char)(w[j] | 0x20); j++)
			;
		if (j == n)
			return true;
	}
	for (j = 0; n == 4 && j < n && "sept"[j] == (char)(w[j] | 0x20); j++)
		;
	return j == 4;
}

/* Finds the end of the stretch of text at s: the next newline or ';',
 * where tokenize always ends a sentence, or the end of the text.  *worth
 * says whether the stretch could hold a deadline at all: a closing word,
 * and a number or a month name for its date.  Most stretches of most
 * texts hold neither, and are never cut into tokens.  Bytes are stepped
 * over as tokenize steps over them (three at a time for U+2000-U+203F),
 * and every word tokenize could find is a run of ASCII letters here. */
static const char *
stretch_end(const char *s, bool *worth)
{
	const unsigned char *p = (const unsigned char *)s, *q;
	bool trig = false, dated = false;

	while (*p && *p != '\n' && *p != ';') {
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2]) {
			p += 3;
		} else if (*p == '[' && is_dig(p[1])) {
			/* A link's number, "[3]", is no part of a date. */
			for (q = p + 1; is_dig(*q); q++)
				;
			dated |= *q != ']';
			p = q;
		} else if (is_alpha(*p)) {
			for (q = p; is_alpha(*q); q++)
				;
			if (!trig)
				trig = trigger_word(p, (size_t)(q - p));
			if (!dated)
				dated = month_word(p, (size_t)(q - p));
			p = q;
		} else {
			dated |= is_dig(*p);
			p++;
		}
	}
	*worth = trig && dated;
	return (const char *)p;
}

/* The latest deadline in the tokens of one stretch of text. */
static long long
deadline_in(const struct toks *tk, long long post_date)
{
	size_t i, n, start = 0, end = 0;
	long long best = 0, d;
	enum trig kind;
	int taking_part = -1;   /* of the sentence [start, end); -1: not known */

	for (i = 0; i < tk->len; i++) {
		if (tk->v[i].kind == TK_END) {
			start = i + 1;
			continue;
		}
		if ((kind = trigger_at(tk, i, &n)) == TRIG_NONE)
			continue;
		if (end <= i) {         /* the first closing word of a sentence */
			for (end = i; end < tk->len && tk->v[end].kind != TK_END; end++)
				;
			taking_part = -1;
			/* Without a number or a month the sentence holds no date. */
			if (!sentence_dated(tk, start, end)) {
				i = end - 1;
				continue;
			}
		}
		if (taking_part < 0)
			taking_part = sentence_has(tk, start, end, engage, true) ||
			    sentence_has(tk, start, end, engage_words, false);
		if (kind == TRIG_VERB && !taking_part &&
		    sentence_has(tk, start, i, places, false))
			continue;	/* "the nursery closes on ..." */
		if ((kind == TRIG_WEAK || kind == TRIG_RANGE) &&
		    (!taking_part || sentence_has(tk, start, i, outcomes, true)))
			continue;
		d = deadline_after(tk, i, n, end, kind, post_date);
		if (d > best)
			best = d;
	}
	return best;
}

long long
deadline_find(const char *text, long long post_date)
{
	struct toks tk = {0};
	const char *s, *e;
	long long best = 0, d;
	bool worth;

	if (!text)
		return 0;
	/* A newline or ';' ends every sentence: the stretches between them
	 * are read one by one, the same as the whole text at once. */
	for (s = text; *s; s = *e ? e + 1 : e) {
		e = stretch_end(s, &worth);
		if (!worth)
			continue;
		tk.len = 0;
		tokenize(&tk, s, e);
		if ((d = deadline_in(&tk, post_date)) > best)
			best = d;
	}
	free(tk.v);
	return best;
}

/* Days since the epoch of a calendar day. */
static long
day_number(int y, int m, int d)
{
	long long t = day_start(y, m, d);

	return (long)((t - (((t % 86400) + 86400) % 86400)) / 86400);
}

long
deadline_days_left(long long deadline, long long now)
{
	time_t a = (time_t)deadline, b = (time_t)now;
	struct tm dl, today;

	if (!gmtime_r(&a, &dl) || !localtime_r(&b, &today))
		return -1;
	return day_number(dl.tm_year + 1900, dl.tm_mon + 1, dl.tm_mday) -
	    day_number(today.tm_year + 1900, today.tm_mon + 1, today.tm_mday);
}

bool
deadline_open(long long deadline, long long now)
{
	return deadline && deadline_days_left(deadline, now) >= 0;
}

const char *
deadline_describe(long long deadline, long long now, char *buf, size_t len)
{
	long n;

	if (!len)
		return buf;
	if (!deadline) {
		*buf = '\0';
		return buf;
	}
	n = deadline_days_left(deadline, now);
	if (n < 0)
		snprintf(buf, len, "closed");
	else if (n == 0)
		snprintf(buf, len, "closes today");
	else if (n == 1)
		snprintf(buf, len, "closes tomorrow");
	else
		snprintf(buf, len, "closes in %ld days", n);
	return buf;
}

static int
deadline_cmp(const void *a, const void *b)
{
	const struct post *x = *(struct post *const *)a, *y = *(struct post *const *)b;

	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return strcmp(x->id, y->id);
}

void
deadline_sort(struct post **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), deadline_cmp);
}
