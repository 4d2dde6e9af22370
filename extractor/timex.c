/*
 * timex.c -- time expressions: recognition and TimeML TIMEX3 normalization.
 *
 * Exports sx__timex_run (sx_int.h).  Works on the token array: a rule is
 * tried only at tokens whose lexicon class can start it (months, weekdays,
 * numbers, units, a short list of cue words), so the cost per token is a
 * few bit tests.  Rules are tried in the order of the table at the bottom;
 * the first that matches at a token wins and scanning resumes after it.
 *
 * Forms and values (DCT = document date; "anchor" = the last day-precision
 * date of the narrative so far, or the DCT when there is none):
 *   dates      July 7, 2017 / 7 July 2017 / Jul. 7 / July 7th / 2017-07-07 /
 *              08/25/2019 / Monday, July 3 / the 7th     -> 2017-07-07
 *              October 2016 -> 2016-10; the 2016 election -> 2016;
 *              the 1990s -> 199X; the spring of 2016 -> 2016-SP;
 *              the first quarter of 2017 -> 2017-Q1; the 21st century -> 20
 *   relative   today, yesterday, tomorrow, tonight (TNI), this morning (TMO);
 *              last/next/this + week (ISO week 2017-W26), month, year,
 *              weekday, month name, season; N units ago; in N units
 *              (future clause); earlier/later this week/month/year
 *   anaphoric  later that day, that night, the next/following day, the
 *              previous day, the day before, N days later, at the time
 *              -> resolved against the anchor, not the DCT
 *   weekdays   by the tense of the clause, read from tokens: past or present
 *              -> the latest such day on or before the DCT; future or
 *              scheduled -> the first on or after it
 *   month/day  without a year: past -> latest on or before the DCT, future
 *              -> first on or after, no tense cue -> the nearest
 *   parts/mods Wednesday evening -> ...TEV; late Thursday -> mod END; early
 *              next week -> START; mid-July -> MID; the end of the year ->
 *              END
 *   times      2:20 p.m., 10 a.m. local time, noon, 14:00 GMT -> date of
 *              the sentence (or anchor, or DCT) + Thh:mm, with a stated UTC
 *              offset appended (EDT -> -04:00)
 *   durations  2 hours and 16 minutes -> PT2H16M; one hour and forty-five
 *              minutes; two and a half hours -> PT2H30M; an hour and a half;
 *              90 minutes -> PT90M; 30-minute, hour-long, three-day; mods
 *              more than/over -> MORE_THAN, nearly/almost/less than ->
 *              LESS_THAN, about/some/around -> APPROX, up to/at most ->
 *              EQUAL_OR_LESS, at least -> EQUAL_OR_MORE; several days -> PXD
 *   sets       annual, weekly, daily, monthly, every (two) year(s), every
 *              Friday, twice a month (freq 2X), N times a year
 *   references now, currently, so far, at present -> PRESENT_REF; recently,
 *              the past -> PAST_REF; the future -> FUTURE_REF
 * Without a DCT, values that need one stay underspecified (XXXX-WXX-5,
 * XXXX-07-07, XXXX-XX-XX) and one warning says so.
 * Not time expressions: "May I ask", "the March for Peace", "2,016 votes",
 * "Resolution 2254", "Room 1600", "20 leaders", April/June as names.
 * Spelled-out numbers are parsed by ICU RBNF (numbers.c); calendar
 * arithmetic is ICU ucal (dates.c).  Nothing here reads the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>

#include "sx_int.h"

typedef struct sx__tm {
    int32_t t1;        /* one past the last token */
    int32_t t0;        /* first token (rules may start the span later) */
    sx_timex_type type;
    char value[SX_VALUE_MAX];
    char mod[16];
    char quant[16], freq[16];
    char tz[16];
    int32_t anchor;    /* timex index resolved against, or -1 */
    int day;           /* 1: a full calendar day, becomes the new anchor */
} sx__tm;

typedef struct sx__tctx {
    sx__work *w;
    int has_dct;
    int dy, dm, dd;       /* DCT */
    int ay, am, ad;       /* anchor date */
    int has_anchor;
    int32_t anchor_idx;   /* timex index of the anchor, -1 = DCT */
    int used_dct;         /* a value needed the DCT that was missing */
} sx__tctx;

/* ---- token access ---- */

static SX__ALWAYS_INLINE const sx__tok *tk(const sx__tctx *c, size_t i, size_t s0)
{
    if (i >= c->w->n_toks) return NULL;
    const sx__tok *t = &c->w->toks[i];
    if (t->sent != c->w->toks[s0].sent) return NULL;
    return t;
}

static SX__ALWAYS_INLINE int is(const sx__tctx *c, size_t i, size_t s0, const char *word)
{
    const sx__tok *t = tk(c, i, s0);
    return t && t->low[0] == word[0] && sx__eq(t->low, word);
}

static int is_any(const sx__tctx *c, size_t i, size_t s0, const char *const *words)
{
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    for (; *words; words++)
        if (t->low[0] == (*words)[0] && sx__eq(t->low, *words)) return 1;
    return 0;
}

/* token i directly follows i-1 with no space */
static int glued(const sx__tctx *c, size_t i) { return !(c->w->toks[i].flags & SX_TF_SPACE); }

static int64_t num_of(const sx__tctx *c, size_t i, size_t s0)
{
    const sx__tok *t = tk(c, i, s0);
    if (!t || !(t->flags & SX_TF_NUM)) return -1;
    return t->num;
}

/* "7th", "21st" -> 7, 21; -1 otherwise */
static int ordinal_digits(const sx__tok *t)
{
    if (!t || t->low_len < 3 || t->low_len > 4) return -1;
    int v = 0, i = 0;
    while (t->low[i] >= '0' && t->low[i] <= '9') v = v * 10 + (t->low[i++] - '0');
    if (i == 0) return -1;
    const char *suf = t->low + i;
    if (!sx__eq(suf, "st") && !sx__eq(suf, "nd") && !sx__eq(suf, "rd") && !sx__eq(suf, "th")) return -1;
    return v;
}

static int month_of(const sx__tok *t)
{
    if (!t) return 0;
    if (t->lex & SX_LX_MONTH) return t->lexval;
    if ((t->lex & SX_LX_MONTHABBR) && (t->flags & SX_TF_CAP)) return t->lexval;
    return 0;
}

static int weekday_of(const sx__tok *t)
{
    if (!t) return 0;
    if ((t->lex & SX_LX_WEEKDAY) && (t->flags & SX_TF_CAP)) return t->lexval;
    if ((t->lex & SX_LX_WDABBR) && (t->flags & SX_TF_CAP) && (t->flags & SX_TF_DOT)) return t->lexval;
    return 0;
}

/* A capitalized word after token i that makes it part of a name ("The
 * Sunday Times", "Saturday Night Live", "the Winter Olympics", "The Daily
 * Telegraph"), not a month, a weekday or a part of day starting a date. */
static int name_follows(const sx__tctx *c, size_t i, size_t s0)
{
    const sx__tok *n = tk(c, i + 1, s0);
    if (!n || !(n->flags & SX_TF_CAP) || !(n->flags & SX_TF_WORD)) return 0;
    if (n->lex & (SX_LX_MONTH | SX_LX_MONTHABBR | SX_LX_WEEKDAY)) return 0;
    if (n->lex & SX_LX_PARTDAY) return name_follows(c, i + 1, s0);
    return 1;
}

/* ---- tense of the clause around token i ---- */

enum { SX_TENSE_UNKNOWN, SX_TENSE_PAST, SX_TENSE_FUTURE };

const char *const sx__future_cues[] = {
    "will", "'ll", "shall", "would", "scheduled", "expected", "plans", "planned", "planning",
    "slated", "upcoming", "due", "intends", "going", "set", "wo", "tomorrow", "next", "coming",
    "hopes", "aims", "to be", "could", "might", "can", "won't", "wouldn't", "shan't", "can't",
    "couldn't", "should", "must", NULL};
const char *const sx__past_cues[] = {
    "was", "were", "had", "did", "said", "met", "told", "ran", "went", "came", "took", "gave",
    "made", "held", "began", "saw", "spoke", "sat", "left", "led", "won", "lost", "sent",
    "brought", "thought", "felt", "kept", "found", "stood", "wrote", "became", "fell", "rose",
    "broke", "chose", "flew", "grew", "knew", "paid", "shook", "struck", "threw", "woke",
    "signed", "agreed", "is", "are", "has", "have", "says", "ago", "last", "yesterday", NULL};

static int is_past_word(const sx__tok *t)
{
    if (!(t->flags & SX_TF_WORD)) return 0;
    if (t->lex & SX_LX_PASTCUE) return 1;
    /* regular past: "-ed" words, less a few that are not verbs in the past */
    static const char *const not_past[] = {"need", "speed", "proceed", "indeed", "red", "bed",
                                           "embed", "united", "based", "limited", "interested",
                                           "concerned", "scheduled", "expected", "planned",
                                           "proposed", "hundred", "seed", "feed", "breed",
                                           "shed", "sled", "wed", "bred", "fled", NULL};
    if (t->low_len > 4 && sx__eq(t->low + t->low_len - 2, "ed")) {
        for (const char *const *p = not_past; *p; p++)
            if (sx__eq(t->low, *p)) return 0;
        return 1;
    }
    return 0;
}

static int is_future_word(const sx__tctx *c, size_t j)
{
    const sx__tok *t = &c->w->toks[j];
    if (!(t->flags & SX_TF_WORD) || !(t->lex & SX_LX_FUTCUE)) return 0;
    /* "set" and "due" only as "set to" / "due to"; "going" as "going to" */
    if ((sx__eq(t->low, "set") || sx__eq(t->low, "due") || sx__eq(t->low, "going")) && !is(c, j + 1, j, "to"))
        return 0;
    return 1;
}

/* Words that end a clause: a tense cue beyond one belongs to another verb
 * ("told reporters on Thursday that he would meet"). */
static int clause_boundary(const sx__tok *t)
{
    static const char *const b[] = {"that", ";", "but", "because", "although", "whereas", "while", NULL};
    for (const char *const *p = b; *p; p++)
        if (sx__eq(t->low, *p)) return 1;
    return 0;
}

/* The tense a cue at token j gives, in context, or SX_TENSE_UNKNOWN. */
static int cue_at(const sx__tctx *c, size_t j)
{
    const sx__work *w = c->w;
    const sx__tok *t = &w->toks[j];
    if (sx__eq(t->low, "may") && (t->flags & SX_TF_CAP)) return SX_TENSE_UNKNOWN; /* the month */
    /* "agreed to meet", "plans to visit": an infinitive of intent is future */
    if (sx__eq(t->low, "to") && j > 0 && j + 1 < w->n_toks && w->toks[j - 1].sent == t->sent &&
        w->toks[j + 1].sent == t->sent && (w->toks[j + 1].flags & SX_TF_WORD)) {
        static const char *const intent[] = {"agreed", "agree", "agrees", "plan", "plans", "planned", "set",
                                             "scheduled", "due", "hope", "hopes", "intend", "intends",
                                             "decided", "promised", "pledged", "vowed", "invited", "ready",
                                             "prepared", "expected", "wants", "want", NULL};
        for (const char *const *p = intent; *p; p++)
            if (sx__eq(w->toks[j - 1].low, *p)) return SX_TENSE_FUTURE;
    }
    if (is_future_word(c, j) || sx__eq(t->low, "may")) return SX_TENSE_FUTURE;
    if (!is_past_word(t)) return SX_TENSE_UNKNOWN;
    int32_t s = t->sent;
    /* "is expected to", "are to meet": the present of a plan is future */
    if ((sx__eq(t->low, "is") || sx__eq(t->low, "are")) && j + 1 < w->n_toks && w->toks[j + 1].sent == s &&
        (is_future_word(c, j + 1) || sx__eq(w->toks[j + 1].low, "to")))
        return SX_TENSE_FUTURE;
    /* "will be held": a participle after "be" takes the tense of its auxiliary */
    if (j > 0 && w->toks[j - 1].sent == s &&
        (sx__eq(w->toks[j - 1].low, "be") || sx__eq(w->toks[j - 1].low, "being")))
        return SX_TENSE_UNKNOWN;
    return SX_TENSE_PAST;
}

static int tense_at(const sx__tctx *c, size_t i0, size_t i1)
{
    const sx__work *w = c->w;
    int32_t s = w->toks[i0].sent;
    size_t lo = (size_t)w->sent_tok0[s], hi = (size_t)w->sent_tok0[s + 1];
    /* nearest cue wins; left side up to 12 tokens, right side up to 8; no
     * side looks past a clause boundary */
    int left_open = 1, right_open = 1;
    for (size_t d = 1; d <= 12 && (left_open || right_open); d++) {
        if (left_open && i0 >= lo + d) {
            size_t j = i0 - d;
            if (clause_boundary(&w->toks[j])) left_open = 0;
            else {
                int t = cue_at(c, j);
                if (t != SX_TENSE_UNKNOWN) return t;
            }
        } else left_open = 0;
        if (right_open && d <= 8 && i1 - 1 + d < hi) {
            size_t j = i1 - 1 + d;
            if (clause_boundary(&w->toks[j])) right_open = 0;
            else {
                int t = cue_at(c, j);
                if (t != SX_TENSE_UNKNOWN) return t;
            }
        } else right_open = 0;
    }
    return SX_TENSE_UNKNOWN;
}

int sx__tense(const sx__work *w, size_t i0, size_t i1)
{
    sx__tctx c;
    memset(&c, 0, sizeof c);
    c.w = (sx__work *)w;
    int t = tense_at(&c, i0, i1);
    return t == SX_TENSE_FUTURE ? 1 : t == SX_TENSE_PAST ? -1 : 0;
}

/* ---- value helpers ---- */

static void set_day(sx__tm *m, int y, int mo, int d)
{
    snprintf(m->value, sizeof m->value, "%04d-%02d-%02d", y, mo, d);
    m->type = SX_TIMEX_DATE;
    m->day = 1;
}

static int need_dct(sx__tctx *c)
{
    if (!c->has_dct) c->used_dct = 1;
    return c->has_dct;
}

/* Weekday wd (1..7) relative to DCT by direction: -1 latest on/before,
 * +1 first on/after, -2 strictly before, +2 strictly after. */
static void weekday_date(const sx__tctx *c, int wd, int dir, int *y, int *m, int *d)
{
    *y = c->dy, *m = c->dm, *d = c->dd;
    int cur = sx__weekday(*y, *m, *d);
    int delta;
    if (dir < 0) {
        delta = -((cur - wd + 7) % 7);
        if (dir == -2 && delta == 0) delta = -7;
    } else {
        delta = (wd - cur + 7) % 7;
        if (dir == 2 && delta == 0) delta = 7;
    }
    sx__date_add(y, m, d, UCAL_DATE, delta);
}

/* Year for a month (and day) with no year, from the DCT and tense. */
static int year_for(const sx__tctx *c, int mo, int day, int tense)
{
    int y = c->dy;
    int cmp = mo != c->dm ? (mo < c->dm ? -1 : 1) : (day == 0 || day == c->dd ? 0 : (day < c->dd ? -1 : 1));
    if (tense == SX_TENSE_PAST) return cmp > 0 ? y - 1 : y;
    if (tense == SX_TENSE_FUTURE) return cmp < 0 ? y + 1 : y;
    /* nearest: months more than 6 away belong to the neighbouring year */
    int diff = (mo - c->dm);
    if (diff > 6) return y - 1;
    if (diff < -6) return y + 1;
    return y;
}

static void fmt_week(char *buf, size_t cap, int y, int m, int d)
{
    int wy, wk;
    if (sx__iso_week(y, m, d, &wy, &wk)) snprintf(buf, cap, "%04d-W%02d", wy, wk);
    else snprintf(buf, cap, "XXXX-WXX");
}

static const char *partday_code(int pd)
{
    switch (pd) {
    case SX_PD_MORNING: return "MO";
    case SX_PD_AFTERNOON: return "AF";
    case SX_PD_EVENING: return "EV";
    case SX_PD_NIGHT: case SX_PD_TONIGHT: return "NI";
    case SX_PD_MIDDAY: return "MI";
    default: return NULL;
    }
}

/* Appends "T" + part of day when token j is one; returns 1 if consumed. */
static int add_partday(const sx__tctx *c, size_t j, size_t s0, sx__tm *m)
{
    const sx__tok *t = tk(c, j, s0);
    if (!t || !(t->lex & SX_LX_PARTDAY) || t->lexval == SX_PD_TONIGHT) return 0;
    const char *pc = partday_code(t->lexval);
    size_t l = strlen(m->value);
    if (!pc || l != 10) return 0;
    snprintf(m->value + l, sizeof m->value - l, "T%s", pc);
    m->type = SX_TIMEX_DATE; /* TimeML types a part of day as TIME */
    m->type = SX_TIMEX_TIME;
    return 1;
}

/* ---- numbers ---- */

#define SX_VAGUE (-2.0)

/* Parses a number at token j: digits ("90", "2.5"), "a"/"an", spelled-out
 * words via ICU RBNF ("forty-five"), "a dozen", "a couple of", "several".
 * Sets *end to one past the number's last token. */
static int parse_number(const sx__tctx *c, size_t j, size_t s0, double *v, size_t *end)
{
    const sx__tok *t = tk(c, j, s0);
    if (!t) return 0;
    if (t->flags & SX_TF_NUM) {
        if (t->low_len > 12) return 0;
        for (int32_t k = 0; k < t->low_len; k++)
            if (t->low[k] == ',') return 0;
        char *e;
        double d = strtod(t->low, &e);
        /* a count, not "6e20": callers convert it to integers */
        if (*e || !(d > -1e12 && d < 1e12)) return 0;
        *v = d;
        *end = j + 1;
        return 1;
    }
    if (!(t->lex & SX_LX_NUMWORD)) return 0;
    if (sx__eq(t->low, "several") || sx__eq(t->low, "few")) {
        *v = SX_VAGUE;
        *end = j + 1;
        return 1;
    }
    if (sx__eq(t->low, "a") || sx__eq(t->low, "an")) {
        if (is(c, j + 1, s0, "few")) { *v = SX_VAGUE; *end = j + 2; return 1; }
        if (is(c, j + 1, s0, "dozen")) { *v = 12; *end = j + 2; return 1; }
        if (is(c, j + 1, s0, "couple")) {
            *v = 2;
            *end = is(c, j + 2, s0, "of") ? j + 3 : j + 2;
            return 1;
        }
        if (is(c, j + 1, s0, "half")) return 0;
        *v = 1;
        *end = j + 1;
        return 1;
    }
    if (sx__eq(t->low, "half") || sx__eq(t->low, "couple") || sx__eq(t->low, "dozen")) return 0;
    /* gather spelled-out words joined by spaces or hyphens */
    size_t k = j, last = j;
    while (k < j + 8) {
        const sx__tok *u = tk(c, k, s0);
        if (!u) break;
        if ((u->lex & SX_LX_NUMWORD) && !sx__eq(u->low, "a") && !sx__eq(u->low, "an") &&
            !sx__eq(u->low, "half") && !sx__eq(u->low, "several") && !sx__eq(u->low, "few") &&
            !sx__eq(u->low, "couple") && !sx__eq(u->low, "dozen")) {
            last = k;
            k++;
        } else if (u->low_len == 1 && u->low[0] == '-' && k > j && glued(c, k) &&
                   k + 1 < c->w->n_toks && glued(c, k + 1) && tk(c, k + 1, s0) &&
                   (c->w->toks[k + 1].lex & SX_LX_NUMWORD) && !(c->w->toks[k + 1].lex & SX_LX_UNIT))
            k++;
        else break;
    }
    /* ICU's spellout parse is costly: only numbers that count something
     * (a unit, "times", "and a half", "-hour") are worth parsing */
    {
        const sx__tok *nx = tk(c, last + 1, s0);
        if (!nx || !((nx->lex & SX_LX_UNIT) || sx__eq(nx->low, "-") || sx__eq(nx->low, "and") ||
                     sx__eq(nx->low, "times") || sx__eq(nx->low, "of")))
            return 0;
    }
    for (size_t e = last + 1; e > j; e--) {
        const sx__tok *a = &c->w->toks[j], *b = &c->w->toks[e - 1];
        if (b->low_len == 1 && b->low[0] == '-') continue;
        double d = sx__spellout_parse(c->w->u + a->u_start, b->u_end - a->u_start);
        if (d >= 0) {
            *v = d;
            *end = e;
            return 1;
        }
    }
    return 0;
}

/* ---- durations ---- */

typedef struct sx__dur { double amt[SX_U_CENTURY + 1]; int vague[SX_U_CENTURY + 1]; int any; } sx__dur;

static void dur_add(sx__dur *d, int unit, double v)
{
    if (unit == SX_U_FORTNIGHT) unit = SX_U_WEEK, v = v < 0 ? v : v * 2;
    if (v == SX_VAGUE) d->vague[unit] = 1;
    else d->amt[unit] += v;
    d->any = 1;
}

/* Moves fractions down a unit (2.5 hours -> 2 h 30 min) where exact. */
static void dur_fmt_num(char *buf, size_t cap, double v)
{
    if (v == (double)(long long)v) snprintf(buf, cap, "%lld", (long long)v);
    else snprintf(buf, cap, "%g", v);
}

static void dur_format(sx__dur *d, char *out, size_t cap)
{
    static const struct { int unit, lower; double factor; } down[] = {
        {SX_U_YEAR, SX_U_MONTH, 12}, {SX_U_DAY, SX_U_HOUR, 24}, {SX_U_HOUR, SX_U_MIN, 60},
        {SX_U_MIN, SX_U_SEC, 60}, {SX_U_WEEK, SX_U_DAY, 7}};
    for (size_t i = 0; i < sizeof down / sizeof down[0]; i++) {
        double a = d->amt[down[i].unit];
        double frac = a - (double)(long long)a;
        if (frac > 0) {
            double low = frac * down[i].factor;
            if (low == (double)(long long)low) {
                d->amt[down[i].unit] -= frac;
                d->amt[down[i].lower] += low;
            }
        }
    }
    static const struct { int unit; const char *code; int time; } order[] = {
        {SX_U_CENTURY, "CE", 0}, {SX_U_DECADE, "DE", 0}, {SX_U_YEAR, "Y", 0},
        {SX_U_MONTH, "M", 0},    {SX_U_WEEK, "W", 0},    {SX_U_DAY, "D", 0},
        {SX_U_HOUR, "H", 1},     {SX_U_MIN, "M", 1},     {SX_U_SEC, "S", 1}};
    size_t l = 0;
    int in_time = 0;
    l += (size_t)snprintf(out + l, cap - l, "P");
    for (size_t i = 0; i < sizeof order / sizeof order[0] && l < cap; i++) {
        int u = order[i].unit;
        if (!d->vague[u] && d->amt[u] == 0) continue;
        if (order[i].time && !in_time) {
            l += (size_t)snprintf(out + l, cap - l, "T");
            in_time = 1;
        }
        if (l >= cap) break;
        if (d->vague[u]) l += (size_t)snprintf(out + l, cap - l, "X%s", order[i].code);
        else {
            char nb[32];
            dur_fmt_num(nb, sizeof nb, d->amt[u]);
            l += (size_t)snprintf(out + l, cap - l, "%s%s", nb, order[i].code);
        }
    }
}

/* Duration modifiers that precede a number; returns tokens used. */
static int dur_mod(const sx__tctx *c, size_t i, size_t s0, char *mod, size_t cap)
{
    static const struct { const char *a, *b; const char *mod; } mods[] = {
        {"more", "than", "MORE_THAN"}, {"over", NULL, "MORE_THAN"}, {"nearly", NULL, "LESS_THAN"},
        {"almost", NULL, "LESS_THAN"}, {"less", "than", "LESS_THAN"}, {"fewer", "than", "LESS_THAN"},
        {"under", NULL, "LESS_THAN"}, {"about", NULL, "APPROX"}, {"some", NULL, "APPROX"},
        {"around", NULL, "APPROX"}, {"roughly", NULL, "APPROX"}, {"approximately", NULL, "APPROX"},
        {"up", "to", "EQUAL_OR_LESS"}, {"at", "most", "EQUAL_OR_LESS"},
        {"no", "more", "EQUAL_OR_LESS"}, {"at", "least", "EQUAL_OR_MORE"},
        {"just", "over", "MORE_THAN"}, {"just", "under", "LESS_THAN"}};
    for (size_t k = 0; k < sizeof mods / sizeof mods[0]; k++) {
        if (!is(c, i, s0, mods[k].a)) continue;
        if (mods[k].b && !is(c, i + 1, s0, mods[k].b)) continue;
        size_t n = mods[k].b ? 2 : 1;
        if (sx__eq(mods[k].a, "no") && !is(c, i + 2, s0, "than")) continue;
        if (sx__eq(mods[k].a, "no")) n = 3;
        sx__copy(mod, cap, mods[k].mod);
        return (int)n;
    }
    return 0;
}

/* "1 hour 20 minutes": another number and unit right after a unit */
static int parse_number_unit_after(const sx__tctx *c, size_t k, size_t s0)
{
    double v;
    size_t ne;
    if (!tk(c, k, s0) || !(c->w->toks[k].flags & SX_TF_NUM) || !parse_number(c, k, s0, &v, &ne)) return 0;
    const sx__tok *u = tk(c, ne, s0);
    return u && (u->lex & SX_LX_UNIT);
}

/* NUMBER UNIT [and NUMBER UNIT]... with "and a half"; adjectival NUMBER-UNIT. */
static int r_duration(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j = i, start = i;
    char mod[16] = "";
    /* "the past two weeks", "the last three years", "the next five days" */
    if (is(c, j, s0, "the") && is_any(c, j + 1, s0, (const char *const[]){"past", "last", "previous", "next", "coming", "first", NULL}))
        j += 2;
    j += (size_t)dur_mod(c, j, s0, mod, sizeof mod);
    if (j > i && is(c, i, s0, "the")) {
        /* only with a number and a plural unit after it */
        double v0;
        size_t e0;
        if (!parse_number(c, j, s0, &v0, &e0) || !tk(c, e0, s0) || !(c->w->toks[e0].lex & SX_LX_UNIT) ||
            c->w->toks[e0].low[c->w->toks[e0].low_len - 1] != 's')
            return 0;
    }
    sx__dur d;
    memset(&d, 0, sizeof d);
    size_t end = 0;
    int adjectival = 0;
    /* "half an hour", "half a day"; "a half-hour drive" */
    if (is(c, j, s0, "half") && is_any(c, j + 1, s0, (const char *const[]){"a", "an", NULL}) &&
        tk(c, j + 2, s0) && (c->w->toks[j + 2].lex & SX_LX_UNIT)) {
        dur_add(&d, c->w->toks[j + 2].lexval, 0.5);
        end = j + 3;
    } else if (is(c, j, s0, "half") && is(c, j + 1, s0, "-") && glued(c, j + 1) && tk(c, j + 2, s0) &&
               glued(c, j + 2) && (c->w->toks[j + 2].lex & SX_LX_UNIT)) {
        dur_add(&d, c->w->toks[j + 2].lexval, 0.5);
        end = j + 3;
        adjectival = 1;
    }
    while (!adjectival && (!end || is(c, end, s0, "and") || is(c, end, s0, ",") ||
                           (end && parse_number_unit_after(c, end, s0)))) {
        size_t k = end ? (is(c, end, s0, "and") || is(c, end, s0, ",") ? end + 1 : end) : j;
        if (end && is(c, end, s0, "and") && is(c, k, s0, "a") && is(c, k + 1, s0, "half")) {
            /* "an hour and a half": half of the last unit */
            int lu = 0;
            for (int u = SX_U_CENTURY; u > 0; u--)
                if (d.amt[u] > 0) { lu = u; break; }
            if (!lu) break;
            for (int u = 1; u <= SX_U_CENTURY; u++)
                if (d.amt[u] > 0 && u < lu) lu = u;
            d.amt[lu] += 0.5;
            end = k + 2;
            break;
        }
        double v;
        size_t ne;
        if (!parse_number(c, k, s0, &v, &ne)) break;
        double half = 0;
        /* "two and a half hours" */
        if (is(c, ne, s0, "and") && is(c, ne + 1, s0, "a") && is(c, ne + 2, s0, "half")) {
            half = 0.5;
            ne += 3;
        }
        /* "10-11 days": a range of durations takes its lower bound */
        if ((is(c, ne, s0, "-") || is(c, ne, s0, "–")) && num_of(c, ne + 1, s0) > (int64_t)v && v >= 0 &&
            tk(c, ne + 2, s0) && (c->w->toks[ne + 2].lex & SX_LX_UNIT))
            ne += 2;
        const sx__tok *u = tk(c, ne, s0);
        int hyph = 0;
        if (u && u->low_len == 1 && u->low[0] == '-' && glued(c, ne) && ne + 1 < c->w->n_toks &&
            glued(c, ne + 1)) {
            hyph = 1;
            u = tk(c, ne + 1, s0);
        }
        if (!u || !(u->lex & SX_LX_UNIT)) break;
        if (v == SX_VAGUE && hyph) break;
        /* "a second round" is an ordinal, not one second */
        if (u->lexval == SX_U_SEC && !(c->w->toks[k].flags & SX_TF_NUM) && !hyph) break;
        if (v != SX_VAGUE) v += half;
        /* an adjectival duration is singular: "30-minute", "two-hour" */
        if (hyph) adjectival = 1;
        size_t ue = ne + (size_t)hyph + 1;
        /* "hour-long" tail; "a day-long strike": the article belongs to the noun */
        if (is(c, ue, s0, "-") && is(c, ue + 1, s0, "long") && glued(c, ue)) {
            ue += 2;
            if (!end && (is(c, k, s0, "a") || is(c, k, s0, "an")) && k == j && !mod[0]) start = ne;
        }
        /* "N units ago/later/..." are dates, handled elsewhere */
        if (is_any(c, ue, s0, (const char *const[]){"ago", "later", "earlier", "before", "after", "from", NULL}))
            return 0;
        /* "in N units" with a future clause is a date, handled elsewhere */
        dur_add(&d, u->lexval, v);
        end = ue;
        if (adjectival) break;
    }
    if (!d.any) {
        /* "hour-long", "day-long", "year-long" */
        const sx__tok *u = tk(c, j, s0);
        if (u && (u->lex & SX_LX_UNIT) && is(c, j + 1, s0, "-") && is(c, j + 2, s0, "long") &&
            glued(c, j + 1) && glued(c, j + 2)) {
            dur_add(&d, u->lexval, 1);
            end = j + 3;
        } else return 0;
    }
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DURATION;
    dur_format(&d, m->value, sizeof m->value);
    sx__copy(m->mod, sizeof m->mod, mod);
    return 1;
}

/* "for years", "for months", "for decades" -> PXY ... */
static int r_vague_duration(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    if (!is(c, i, s0, "for")) return 0;
    const sx__tok *u = tk(c, i + 1, s0);
    if (!u || !(u->lex & SX_LX_UNIT) || u->low[u->low_len - 1] != 's') return 0;
    if (u->lexval < SX_U_DAY) return 0;
    sx__dur d;
    memset(&d, 0, sizeof d);
    dur_add(&d, u->lexval, SX_VAGUE);
    m->t0 = (int32_t)i + 1;
    m->t1 = (int32_t)i + 2;
    m->type = SX_TIMEX_DURATION;
    dur_format(&d, m->value, sizeof m->value);
    return 1;
}

/* ---- clock times ---- */

static int zone_offset(const char *low, char *buf, size_t cap)
{
    static const struct { const char *z; const char *off; } zones[] = {
        {"gmt", "Z"}, {"utc", "Z"}, {"est", "-05:00"}, {"edt", "-04:00"}, {"cst", "-06:00"},
        {"cdt", "-05:00"}, {"mst", "-07:00"}, {"mdt", "-06:00"}, {"pst", "-08:00"},
        {"pdt", "-07:00"}, {"bst", "+01:00"}, {"cet", "+01:00"}, {"cest", "+02:00"},
        {"msk", "+03:00"}, {"jst", "+09:00"}, {"kst", "+09:00"}};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (sx__eq(low, zones[i].z)) {
            sx__copy(buf, cap, zones[i].off);
            return 1;
        }
    return 0;
}

static void time_date_prefix(sx__tctx *c, size_t i, char *buf, size_t cap);

static int r_clock(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j;
    int h = -1, mi = 0, ampm = 0; /* 1 am, 2 pm */
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    if (sx__eq(t->low, "noon") || sx__eq(t->low, "midday")) {
        h = 12, j = i + 1;
        ampm = 3;
    } else if (sx__eq(t->low, "midnight")) {
        h = 24, j = i + 1;
        ampm = 3;
    } else if ((t->flags & SX_TF_NUM) && t->low_len == 4 && t->ndigits == 4 && t->num >= 0 &&
               t->num / 100 <= 23 && t->num % 100 <= 59 && tk(c, i + 1, s0) &&
               (zone_offset(c->w->toks[i + 1].low, m->tz, sizeof m->tz) ||
                is_any(c, i + 1, s0, (const char *const[]){"hours", "hrs", "local", NULL}))) {
        /* "0900 GMT", "1430 hours": the military form needs a zone or "hours" */
        h = (int)(t->num / 100), mi = (int)(t->num % 100), j = i + 1;
        m->tz[0] = '\0';
        if (is(c, j, s0, "hours") || is(c, j, s0, "hrs")) j++;
    } else if ((t->flags & SX_TF_NUM) && t->num < 0 && t->low_len >= 3 && t->low_len <= 5 &&
               strchr(t->low, '.') && tk(c, i + 1, s0) &&
               is_any(c, i + 1, s0, (const char *const[]){"a.m", "p.m", "am", "pm", NULL})) {
        /* "9.30 a.m.": British style */
        int hh = 0, mm = 0, k = 0;
        while (t->low[k] >= '0' && t->low[k] <= '9') hh = hh * 10 + (t->low[k++] - '0');
        if (t->low[k] != '.' || t->low_len - k - 1 != 2) return 0;
        mm = (t->low[k + 1] - '0') * 10 + (t->low[k + 2] - '0');
        if (hh < 1 || hh > 12 || mm > 59) return 0;
        int pm = c->w->toks[i + 1].low[0] == 'p';
        h = pm && hh != 12 ? hh + 12 : !pm && hh == 12 ? 0 : hh;
        mi = mm;
        j = i + 2;
        if (is(c, j, s0, ".") && glued(c, j)) j++;
    } else {
        int64_t a = num_of(c, i, s0);
        if (a < 0 || a > 24 || t->ndigits > 2) return 0;
        h = (int)a;
        j = i + 1;
        if (is(c, j, s0, ":") && glued(c, j) && num_of(c, j + 1, s0) >= 0 && glued(c, j + 1) &&
            c->w->toks[j + 1].ndigits == 2) {
            mi = (int)num_of(c, j + 1, s0);
            if (mi > 59) return 0;
            j += 2;
        } else if (is(c, j, s0, ".") && glued(c, j) && num_of(c, j + 1, s0) >= 0) {
            return 0;
        }
        const sx__tok *u = tk(c, j, s0);
        if (u && (sx__eq(u->low, "a.m") || sx__eq(u->low, "am"))) ampm = 1;
        else if (u && (sx__eq(u->low, "p.m") || sx__eq(u->low, "pm"))) ampm = 2;
        else if (u && (sx__eq(u->low, "a") || sx__eq(u->low, "p")) && is(c, j + 1, s0, ".") &&
                 is(c, j + 2, s0, "m")) {
            ampm = u->low[0] == 'a' ? 1 : 2;
            j += 2; /* "a . m" tokenized apart */
        }
        if (ampm) {
            if (h < 1 || h > 12) return 0;
            j++;
            /* the abbreviation's final dot belongs to the expression */
            if (is(c, j, s0, ".") && glued(c, j)) j++;
            if (ampm == 2 && h != 12) h += 12;
            if (ampm == 1 && h == 12) h = 0;
        } else if (j == i + 1 || h > 23) return 0; /* a bare number is no time */
    }
    if (h == 24) h = 24, mi = 0;
    /* A stated zone goes beside the value (m->tz), outside the span, as
     * TimeML annotators mark it; "local time" belongs to the expression. */
    char date[24];
    time_date_prefix(c, i, date, sizeof date);
    /* "10 a.m. Moscow time", "9 p.m. Eastern time": a named zone, whose
     * offset on that day comes from ICU's time-zone data */
    static const struct { const char *name, *zone; } named[] = {
        {"moscow", "Europe/Moscow"}, {"beijing", "Asia/Shanghai"}, {"tokyo", "Asia/Tokyo"},
        {"london", "Europe/London"}, {"paris", "Europe/Paris"}, {"berlin", "Europe/Berlin"},
        {"brussels", "Europe/Brussels"}, {"geneva", "Europe/Zurich"}, {"vienna", "Europe/Vienna"},
        {"kyiv", "Europe/Kiev"}, {"kiev", "Europe/Kiev"}, {"washington", "America/New_York"},
        {"eastern", "America/New_York"}, {"central", "America/Chicago"}, {"pacific", "America/Los_Angeles"},
        {"tehran", "Asia/Tehran"}, {"jerusalem", "Asia/Jerusalem"}, {"seoul", "Asia/Seoul"},
        {"pyongyang", "Asia/Pyongyang"}, {"hanoi", "Asia/Ho_Chi_Minh"}, {"singapore", "Asia/Singapore"},
        {"ankara", "Europe/Istanbul"}, {"riyadh", "Asia/Riyadh"}, {"cairo", "Africa/Cairo"}};
    if (is(c, j, s0, "local") && is(c, j + 1, s0, "time")) j += 2;
    else if (j < c->w->n_toks && is(c, j + 1, s0, "time")) {
        for (size_t z = 0; z < sizeof named / sizeof named[0]; z++)
            if (sx__eq(c->w->toks[j].low, named[z].name)) {
                int yy = 0, mm = 0, dd = 0, okd = strlen(date) == 10 && date[0] != 'X';
                for (int q = 0; okd && q < 10; q++) {
                    if (q == 4 || q == 7) continue;
                    int dg = date[q] - '0';
                    if (q < 4) yy = yy * 10 + dg;
                    else if (q < 7) mm = mm * 10 + dg;
                    else dd = dd * 10 + dg;
                }
                if (okd && sx__zone_offset(named[z].zone, yy, mm, dd, h == 24 ? 0 : h, mi, m->tz, sizeof m->tz))
                    j += 2;
                break;
            }
    } else if (j < c->w->n_toks) zone_offset(c->w->toks[j].low, m->tz, sizeof m->tz);
    m->t0 = (int32_t)i;
    m->t1 = (int32_t)j;
    m->type = SX_TIMEX_TIME;
    snprintf(m->value, sizeof m->value, "%sT%02d:%02d", date, h, mi);
    return 1;
}

/* ---- calendar dates ---- */

static int year_token(const sx__tctx *c, size_t j, size_t s0)
{
    const sx__tok *t = tk(c, j, s0);
    if (!t || !(t->flags & SX_TF_NUM) || t->ndigits != 4 || t->low_len != 4) return -1;
    return (int)t->num;
}

static int day_token(const sx__tctx *c, size_t j, size_t s0)
{
    const sx__tok *t = tk(c, j, s0);
    if (!t) return -1;
    if ((t->flags & SX_TF_NUM) && t->ndigits <= 2 && t->low_len <= 2 && t->num >= 1 && t->num <= 31)
        return (int)t->num;
    int o = ordinal_digits(t);
    if (o >= 1 && o <= 31) return o;
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), for distances between dates without a calendar object. */
static long days_of(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Finish a date with day precision: y may be 0 (no year in text). */
static void finish_mdy(sx__tctx *c, sx__tm *m, int y, int mo, int d, size_t i, size_t e)
{
    if (!y) {
        if (!need_dct(c)) {
            snprintf(m->value, sizeof m->value, "XXXX-%02d-%02d", mo, d);
            m->type = SX_TIMEX_DATE;
            return;
        }
        y = year_for(c, mo, d, tense_at(c, i, e));
        /* A tense cue can belong to another clause ("the election on
         * November 4 have been informed"): a day half a year away loses to
         * one within two months on the other side of the DCT. */
        long dct = days_of(c->dy, c->dm, c->dd);
        long got = labs(days_of(y, mo, d) - dct);
        int alt = y + (days_of(y, mo, d) < dct ? 1 : -1);
        if (got > 180 && labs(days_of(alt, mo, d) - dct) <= 60) y = alt;
    }
    if (d > sx__days_in_month(y, mo)) d = sx__days_in_month(y, mo);
    set_day(m, y, mo, d);
}

static const char *const month_preps[] = {"in", "since", "until", "till", "by", "during", "of",
                                          "early", "late", "mid", "last", "next", "this",
                                          "from", "through", "between", "before", "after",
                                          "to", "and", "or", "-", "for", NULL};

static int prefix_mod(const sx__tctx *c, size_t i, size_t s0, char *mod, size_t cap, size_t *start)
{
    /* early/late/mid- and "the end/beginning/middle of" before the anchor word */
    *start = i;
    if (i > 0 && c->w->toks[i - 1].sent == c->w->toks[s0].sent) {
        const sx__tok *p = &c->w->toks[i - 1];
        if (sx__eq(p->low, "early")) { sx__copy(mod, cap, "START"); *start = i - 1; return 1; }
        if (sx__eq(p->low, "late")) { sx__copy(mod, cap, "END"); *start = i - 1; return 1; }
        if (sx__eq(p->low, "mid")) { sx__copy(mod, cap, "MID"); *start = i - 1; return 1; }
        if (sx__eq(p->low, "-") && i > 1 && sx__eq(c->w->toks[i - 2].low, "mid")) {
            sx__copy(mod, cap, "MID");
            *start = i - 2;
            if (i > 2 && sx__eq(c->w->toks[i - 3].low, "the") && c->w->toks[i - 3].sent == p->sent) *start = i - 3;
            return 1;
        }
        /* "the end of March", "the beginning of 2018", "the middle of the year" */
        if (sx__eq(p->low, "of") && i > 2 && sx__eq(c->w->toks[i - 3].low, "the") &&
            c->w->toks[i - 3].sent == p->sent) {
            const char *w2 = c->w->toks[i - 2].low;
            const char *md = sx__eq(w2, "end") ? "END" : sx__eq(w2, "middle") ? "MID"
                           : (sx__eq(w2, "beginning") || sx__eq(w2, "start")) ? "START" : NULL;
            if (md) {
                sx__copy(mod, cap, md);
                *start = i - 3;
                return 1;
            }
        }
    }
    return 0;
}

/* Month-based dates: [Weekday ,] Month [.] Day[,] [Year] | Day Month [Year] |
 * Month [of] Year | Month alone. */
static int r_month(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j = i, start = i;
    int wd = weekday_of(tk(c, i, s0));
    if (wd) {
        j = i + 1;
        if (is(c, j, s0, ",")) j++;
        if (!month_of(tk(c, j, s0)) && day_token(c, j, s0) < 0) return 0;
    }
    /* Day Month [Year]: "7 July 2017", "the 7th of July" */
    int d = day_token(c, j, s0);
    if (d > 0) {
        size_t k = j + 1;
        if (is(c, k, s0, "of")) k++;
        int mo = month_of(tk(c, k, s0));
        if (!mo) return 0;
        k++;
        if (is(c, k, s0, ".") && (c->w->toks[k - 1].lex & SX_LX_MONTHABBR)) k++;
        int y = year_token(c, k, s0);
        if (y > 0) k++;
        if (j > 0 && is(c, j - 1, s0, "the")) start = j - 1;
        m->t0 = (int32_t)start;
        m->t1 = (int32_t)k;
        finish_mdy(c, m, y > 0 ? y : 0, mo, d, i, k);
        return 1;
    }
    const sx__tok *t = tk(c, j, s0);
    int mo = month_of(t);
    if (!mo) return 0;
    size_t k = j + 1;
    if ((t->lex & SX_LX_MONTHABBR) && is(c, k, s0, ".")) k++;
    d = day_token(c, k, s0);
    /* "May 2,016" never; day must not be followed by a ":" (a time) */
    if (d > 0 && !(is(c, k + 1, s0, ":"))) {
        k++;
        /* "February 27-28, 2019": a range of days takes its first day */
        if ((is(c, k, s0, "-") || is(c, k, s0, "–")) && day_token(c, k + 1, s0) > d) k += 2;
        size_t y0 = k;
        if (is(c, k, s0, ",")) k++;
        int y = year_token(c, k, s0);
        if (y > 0) k++;
        else k = y0;
        m->t0 = (int32_t)start;
        m->t1 = (int32_t)k;
        finish_mdy(c, m, y > 0 ? y : 0, mo, d, i, k);
        return 1;
    }
    if (wd) return 0;
    /* Month [of|,] Year */
    size_t kk = k;
    if (is(c, kk, s0, "of") || is(c, kk, s0, ",")) kk++;
    int y = year_token(c, kk, s0);
    char mod[16] = "";
    prefix_mod(c, j, s0, mod, sizeof mod, &start);
    if (y > 0) {
        m->t0 = (int32_t)start;
        m->t1 = (int32_t)kk + 1;
        m->type = SX_TIMEX_DATE;
        snprintf(m->value, sizeof m->value, "%04d-%02d", y, mo);
        sx__copy(m->mod, sizeof m->mod, mod);
        return 1;
    }
    /* Month alone: must be capitalized and introduced by a preposition, or
     * carry a mod; "the March for Peace", "May I", "April said" are not. */
    if (!(t->flags & SX_TF_CAP) || (t->lex & SX_LX_MONTHABBR && !(t->lex & SX_LX_MONTH))) return 0;
    if (!mod[0] && !(j > 0 && is_any(c, j - 1, s0, month_preps))) return 0;
    /* "between May and June" but not "Trump and May": a conjunction counts
     * only after another time expression */
    if (!mod[0] && is_any(c, j - 1, s0, (const char *const[]){"and", "or", "to", "-", NULL}) &&
        !(c->w->n_timexes && c->w->timex_tok[2 * (c->w->n_timexes - 1) + 1] == (int32_t)(j - 1)))
        return 0;
    const sx__tok *nx = tk(c, k, s0);
    if (nx && (nx->flags & SX_TF_CAP) && (nx->flags & SX_TF_WORD)) return 0; /* "June Smith" */
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)k;
    m->type = SX_TIMEX_DATE;
    sx__copy(m->mod, sizeof m->mod, mod);
    if (!need_dct(c)) snprintf(m->value, sizeof m->value, "XXXX-%02d", mo);
    else snprintf(m->value, sizeof m->value, "%04d-%02d", year_for(c, mo, 0, tense_at(c, j, k)), mo);
    return 1;
}

/* 2017-07-07 and 08/25/2019 */
static int r_numeric_date(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    int64_t a = num_of(c, i, s0);
    if (a < 0) return 0;
    const sx__tok *t = &c->w->toks[i];
    if (t->ndigits == 4 && is(c, i + 1, s0, "-") && glued(c, i + 1) && num_of(c, i + 2, s0) >= 0 &&
        glued(c, i + 2) && is(c, i + 3, s0, "-") && glued(c, i + 3) && num_of(c, i + 4, s0) >= 0 &&
        glued(c, i + 4)) {
        int y = (int)a, mo = (int)num_of(c, i + 2, s0), d = (int)num_of(c, i + 4, s0);
        if (mo < 1 || mo > 12 || d < 1 || d > sx__days_in_month(y, mo)) return 0;
        m->t0 = (int32_t)i;
        m->t1 = (int32_t)i + 5;
        set_day(m, y, mo, d);
        return 1;
    }
    if (t->ndigits <= 2 && is(c, i + 1, s0, "/") && glued(c, i + 1) && num_of(c, i + 2, s0) >= 0 &&
        glued(c, i + 2) && is(c, i + 3, s0, "/") && glued(c, i + 3) && year_token(c, i + 4, s0) > 0 &&
        glued(c, i + 4)) {
        int mo = (int)a, d = (int)num_of(c, i + 2, s0), y = year_token(c, i + 4, s0);
        if (mo < 1 || mo > 12 || d < 1 || d > sx__days_in_month(y, mo)) return 0;
        m->t0 = (int32_t)i;
        m->t1 = (int32_t)i + 5;
        set_day(m, y, mo, d);
        return 1;
    }
    return 0;
}

static const char *const year_labels[] = {
    "precinct", "district", "ward", "lot", "block", "exit", "pier", "terminal", "hall",
    "resolution", "room", "flight", "no", "number", "article", "chapter", "section", "route",
    "highway", "page", "paragraph", "bill", "item", "unit", "model", "code", "version", "line",
    "suite", "row", "building", "apartment", "channel", "form", "hr", "s", "$", "€", "£", "#",
    "rule", "act", "order", "directive", "case", "serial", "batch", "track", "gate", "box",
    "exit", "station", NULL};
static const char *const count_nouns[] = {
    "votes", "people", "troops", "soldiers", "leaders", "delegates", "members", "dollars",
    "euros", "pounds", "points", "residents", "refugees", "deaths", "cases", "km", "miles",
    "meters", "metres", "tons", "tonnes", "barrels", "kilometers", "kilometres", "feet",
    "workers", "civilians", "protesters", "prisoners", "families", "children", "students",
    "jobs", "rounds", "missiles", "warheads", "vehicles", "ships", "aircraft", "units",
    "percent", "%", "times", "words", "pages", "seats", "signatures", "copies", NULL};

/* a four-digit year, a decade ("1990s"), "the 21st century" */
static int r_year(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    /* "early/late/mid-" before a year or decade: "mid-2018", "the early 2000s" */
    char mod[16] = "";
    size_t start = i;
    prefix_mod(c, i, s0, mod, sizeof mod, &start);
    /* decades: "1990s", "the 1990s", "the mid-1990s" */
    if (t->low_len == 5 && t->low[4] == 's' && t->low[3] == '0') {
        int ok = 1;
        for (int k = 0; k < 4; k++) ok &= t->low[k] >= '0' && t->low[k] <= '9';
        if (ok) {
            if (start > 0 && is(c, start - 1, s0, "the")) start--;
            m->t0 = (int32_t)start;
            m->t1 = (int32_t)i + 1;
            m->type = SX_TIMEX_DATE;
            snprintf(m->value, sizeof m->value, "%.3sX", t->low);
            sx__copy(m->mod, sizeof m->mod, mod);
            return 1;
        }
    }
    int o = ordinal_digits(t);
    if (o < 0 && (t->lex & SX_LX_ORDWORD)) o = t->lexval;
    if (o >= 1 && o <= 30 && is(c, i + 1, s0, "century")) {
        m->t0 = (int32_t)i;
        m->t1 = (int32_t)i + 2;
        if (i > 0 && is(c, i - 1, s0, "the")) m->t0 = (int32_t)i - 1;
        m->type = SX_TIMEX_DATE;
        snprintf(m->value, sizeof m->value, "%02d", o - 1);
        return 1;
    }
    int y = year_token(c, i, s0);
    static const char *const year_preps[] = {"in", "since", "of", "the", "by", "until", "from", "before",
                                             "after", "during", "for", "to", "through", "between", "and",
                                             "early", "late", "mid", "-", NULL};
    if (y < 1900 || y > 2099) {
        /* older years need a preposition or an article before them */
        if (!(y >= 1000 && y < 1900 && i > 0 && is_any(c, i - 1, s0, year_preps))) return 0;
    }
    if (i > 0 && tk(c, i - 1, s0) && is_any(c, i - 1, s0, year_labels)) return 0;
    if (i > 0 && tk(c, i - 1, s0) && (c->w->toks[i - 1].flags & SX_TF_CAP) &&
        (c->w->toks[i - 1].flags & SX_TF_WORD) && !(c->w->toks[i - 1].flags & SX_TF_SENT0) &&
        !(c->w->toks[i - 1].lex & (SX_LX_MONTH | SX_LX_MONTHABBR | SX_LX_SEASON)) &&
        !is_any(c, i - 1, s0, year_preps)) {
        /* "Room 1600", "Resolution 2254", "Boeing 1900": a capitalized label
         * is a name, unless the word is an event ("the G20 2016 summit" is
         * rare); keep "In 2016" at sentence start. */
        return 0;
    }
    if (is_any(c, i + 1, s0, count_nouns)) return 0;
    /* "rescued 1987 migrants": a number between a verb and a plural noun counts */
    if (i > 0 && tk(c, i - 1, s0) && is_past_word(&c->w->toks[i - 1]) && tk(c, i + 1, s0) &&
        (c->w->toks[i + 1].flags & SX_TF_WORD) && !(c->w->toks[i + 1].flags & SX_TF_CAP) &&
        c->w->toks[i + 1].low[c->w->toks[i + 1].low_len - 1] == 's')
        return 0;
    /* "H.R. 1900", "No. 1984": a number after an abbreviation is a label */
    if (i > 1 && is(c, i - 1, s0, ".") && (c->w->toks[i - 2].flags & SX_TF_DOT) &&
        (c->w->toks[i - 2].flags & SX_TF_CAP))
        return 0;
    if (is(c, i + 1, s0, "-") && glued(c, i + 1) && num_of(c, i + 2, s0) >= 0) return 0; /* ranges, codes */
    if (is(c, i + 1, s0, ":")) return 0;
    if (is(c, i + 1, s0, ".") && glued(c, i + 1) && num_of(c, i + 2, s0) >= 0 && glued(c, i + 2)) return 0;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)i + 1;
    m->type = SX_TIMEX_DATE;
    snprintf(m->value, sizeof m->value, "%04d", y);
    sx__copy(m->mod, sizeof m->mod, mod);
    return 1;
}

/* seasons: "the spring of 2016", "this spring", "last summer", "in the fall" */
static int r_season(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t || !(t->lex & SX_LX_SEASON)) return 0;
    if ((t->flags & SX_TF_CAP) && name_follows(c, i, s0)) return 0; /* "the Winter Olympics" */
    static const char *const codes[] = {"", "SP", "SU", "FA", "WI"};
    const char *code = codes[t->lexval];
    size_t start = i, end = i + 1;
    int y = 0;
    if ((is(c, i + 1, s0, "of") && year_token(c, i + 2, s0) > 0)) {
        y = year_token(c, i + 2, s0);
        end = i + 3;
    } else if (year_token(c, i + 1, s0) > 0) {
        y = year_token(c, i + 1, s0);
        end = i + 2;
    }
    int rel = 0;
    if (i > 0 && is(c, i - 1, s0, "last")) rel = -1, start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "next")) rel = 1, start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "this")) rel = 2, start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "the")) start = i - 1;
    if (!y && !rel && !(start < i && i >= 2 && is_any(c, i - 2, s0, (const char *const[]){"in", "during", "by", "until", "since", NULL})))
        return 0;
    if (t->lexval == 3 && sx__eq(t->low, "fall") && !rel && !y && !is(c, i - 1, s0, "the")) return 0;
    if (!y) {
        if (!need_dct(c)) y = -1;
        else {
            y = c->dy;
            int cur = c->dm >= 3 && c->dm <= 5 ? 1 : c->dm >= 6 && c->dm <= 8 ? 2 : c->dm >= 9 && c->dm <= 11 ? 3 : 4;
            if (rel == -1) y = t->lexval >= cur ? y - 1 : y;
            else if (rel == 1) y = t->lexval <= cur ? y + 1 : y;
            else if (rel == 0) {
                int tense = tense_at(c, i, end);
                if (tense == SX_TENSE_PAST && t->lexval > cur) y--;
                if (tense == SX_TENSE_FUTURE && t->lexval < cur) y++;
            }
        }
    }
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DATE;
    if (y < 0) snprintf(m->value, sizeof m->value, "XXXX-%s", code);
    else snprintf(m->value, sizeof m->value, "%04d-%s", y, code);
    return 1;
}

/* "the first quarter (of 2017)", "the third quarter" */
static int r_quarter(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t || !is(c, i + 1, s0, "quarter")) return 0;
    /* the ordinal from the word itself: "second" is also a unit of time */
    static const char *const ords[] = {"first", "second", "third", "fourth", NULL};
    int q = 0;
    for (int k = 0; ords[k]; k++)
        if (sx__eq(t->low, ords[k])) q = k + 1;
    if (!q) return 0;
    size_t start = i > 0 && is(c, i - 1, s0, "the") ? i - 1 : i, end = i + 2;
    int y = 0;
    if (is(c, end, s0, "of") && year_token(c, end + 1, s0) > 0) {
        y = year_token(c, end + 1, s0);
        end += 2;
    } else if (year_token(c, end, s0) > 0) {
        y = year_token(c, end, s0);
        end += 1;
    } else if (need_dct(c)) {
        /* past: the latest such quarter; future: the next one */
        int cur = (c->dm - 1) / 3 + 1, tense = tense_at(c, start, end);
        y = c->dy;
        if (tense == SX_TENSE_PAST && q > cur) y--;
        if (tense == SX_TENSE_FUTURE && q < cur) y++;
    } else y = -1;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DATE;
    if (y < 0) snprintf(m->value, sizeof m->value, "XXXX-Q%d", q);
    else snprintf(m->value, sizeof m->value, "%04d-Q%d", y, q);
    return 1;
}

/* Weekdays with optional part of day and early/late. */
static int r_weekday(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    int wd = weekday_of(tk(c, i, s0));
    if (!wd) return 0;
    /* "The Sunday Times", "Saturday Night Live"; but "On Thursday Trump spoke" */
    if (name_follows(c, i, s0) && ((i > 0 && is(c, i - 1, s0, "the")) || (tk(c, i + 1, s0) && (c->w->toks[i + 1].lex & SX_LX_PARTDAY))))
        return 0;
    size_t start = i, end = i + 1;
    char mod[16] = "";
    int dir = 0;
    if (i > 0 && is(c, i - 1, s0, "last")) dir = -2, start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "next")) dir = 2, start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "this")) start = i - 1;
    else if (i > 0 && is(c, i - 1, s0, "coming")) dir = 2, start = i - 1;
    else prefix_mod(c, i, s0, mod, sizeof mod, &start);
    if (!dir) dir = tense_at(c, start, end) == SX_TENSE_FUTURE ? 1 : -1;
    /* "Fridays" would be a set; token is singular here */
    if (!need_dct(c)) snprintf(m->value, sizeof m->value, "XXXX-WXX-%d", wd), m->type = SX_TIMEX_DATE;
    else {
        int y, mo, d;
        weekday_date(c, wd, dir, &y, &mo, &d);
        set_day(m, y, mo, d);
    }
    if (add_partday(c, end, s0, m)) end++;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    sx__copy(m->mod, sizeof m->mod, mod);
    return 1;
}

/* today, yesterday, tomorrow, tonight, this morning, last night, ... */
static int r_deictic(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    int off;
    size_t end = i + 1;
    int pd = 0;
    /* "earlier today", "later tonight": the span keeps the adverb */
    size_t start = i;
    if ((sx__eq(t->low, "earlier") || sx__eq(t->low, "later")) && tk(c, i + 1, s0) &&
        (sx__eq(c->w->toks[i + 1].low, "today") || sx__eq(c->w->toks[i + 1].low, "tonight"))) {
        i++;
        t = tk(c, i, s0);
        end = i + 1;
    }
    if (sx__eq(t->low, "today")) off = 0;
    else if (sx__eq(t->low, "yesterday")) off = -1;
    else if (sx__eq(t->low, "tomorrow")) off = 1;
    else if (sx__eq(t->low, "tonight")) off = 0, pd = SX_PD_NIGHT;
    else if (sx__eq(t->low, "this") && tk(c, i + 1, s0) && (c->w->toks[i + 1].lex & SX_LX_PARTDAY) &&
             c->w->toks[i + 1].lexval != SX_PD_TONIGHT) {
        off = 0;
        pd = c->w->toks[i + 1].lexval;
        end = i + 2;
    } else if (sx__eq(t->low, "last") && is(c, i + 1, s0, "night")) {
        off = -1, pd = SX_PD_NIGHT, end = i + 2;
    } else return 0;
    if (!pd && tk(c, end, s0) && (c->w->toks[end].lex & SX_LX_PARTDAY) &&
        c->w->toks[end].lexval != SX_PD_TONIGHT) {
        pd = c->w->toks[end].lexval;
        end++;
    }
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    if (!need_dct(c)) {
        sx__copy(m->value, sizeof m->value, "XXXX-XX-XX");
        m->type = SX_TIMEX_DATE;
    } else {
        int y = c->dy, mo = c->dm, d = c->dd;
        sx__date_add(&y, &mo, &d, UCAL_DATE, off);
        set_day(m, y, mo, d);
    }
    if (pd) {
        const char *pc = partday_code(pd);
        size_t l = strlen(m->value);
        if (pc && l == 10) snprintf(m->value + l, sizeof m->value - l, "T%s", pc);
        m->type = SX_TIMEX_TIME;
    }
    return 1;
}

/* last/next/this/coming/past + week|month|year|weekend|month name;
 * earlier/later this week|month|year; the end of the year|month|week. */
static int r_relative_unit(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j = i, start = i;
    char mod[16] = "";
    if (is(c, j, s0, "early") || is(c, j, s0, "earlier")) sx__copy(mod, sizeof mod, "START"), j++;
    else if (is(c, j, s0, "late") || is(c, j, s0, "later")) sx__copy(mod, sizeof mod, "END"), j++;
    else if (is(c, j, s0, "mid") && is(c, j + 1, s0, "-")) sx__copy(mod, sizeof mod, "MID"), j += 2;
    else if (is(c, j, s0, "the") && is_any(c, j + 1, s0, (const char *const[]){"end", "beginning", "start", "middle", NULL}) &&
             is(c, j + 2, s0, "of")) {
        const char *w1 = c->w->toks[j + 1].low;
        sx__copy(mod, sizeof mod, sx__eq(w1, "end") ? "END" : sx__eq(w1, "middle") ? "MID" : "START");
        j += 3;
    }
    /* "earlier this month" keeps the month and no mod (TimeML) */
    int earlier_later = (is(c, i, s0, "earlier") || is(c, i, s0, "later"));
    int rel;
    if (is(c, j, s0, "last") || is(c, j, s0, "past") || is(c, j, s0, "previous")) rel = -1;
    else if (is(c, j, s0, "next") || is(c, j, s0, "coming")) rel = 1;
    else if (is(c, j, s0, "this") || is(c, j, s0, "the")) rel = 0;
    else return 0;
    const sx__tok *u = tk(c, j + 1, s0);
    if (!u) return 0;
    int is_the = is(c, j, s0, "the");
    int unit = (u->lex & SX_LX_UNIT) ? u->lexval : 0;
    int weekend = sx__eq(u->low, "weekend");
    int mo = month_of(u);
    if (!unit && !weekend && !mo) return 0;
    if (unit && u->low[u->low_len - 1] == 's') return 0; /* "last two weeks" is elsewhere */
    if (unit && unit != SX_U_WEEK && unit != SX_U_MONTH && unit != SX_U_YEAR) return 0;
    if (is_the && !mod[0] && !weekend) return 0; /* "the week", "the year" alone are too vague */
    if (is_the && unit == 0 && !weekend) return 0;
    if (sx__eq(c->w->toks[j].low, "past") && !mod[0]) {
        /* "the past week" is a duration */
        if (!(i > 0 && is(c, i - 1, s0, "the"))) return 0;
        sx__dur d;
        memset(&d, 0, sizeof d);
        if (!unit) return 0;
        dur_add(&d, unit, 1);
        m->t0 = (int32_t)i - 1;
        m->t1 = (int32_t)j + 2;
        m->type = SX_TIMEX_DURATION;
        dur_format(&d, m->value, sizeof m->value);
        return 1;
    }
    size_t end = j + 2;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DATE;
    sx__copy(m->mod, sizeof m->mod, earlier_later ? "" : mod);
    if (!need_dct(c)) {
        sx__copy(m->value, sizeof m->value, unit == SX_U_WEEK || weekend ? "XXXX-WXX" : unit == SX_U_MONTH ? "XXXX-XX" : "XXXX");
        if (mo) snprintf(m->value, sizeof m->value, "XXXX-%02d", mo);
        return 1;
    }
    int y = c->dy, mm = c->dm, d = c->dd;
    if (mo) {
        /* "last September": the latest September before this month */
        int yy = c->dy;
        if (rel < 0) yy = mo >= c->dm ? yy - 1 : yy;
        else if (rel > 0) yy = mo <= c->dm ? yy + 1 : yy;
        snprintf(m->value, sizeof m->value, "%04d-%02d", yy, mo);
        return 1;
    }
    if (weekend) {
        int wd = sx__weekday(y, mm, d);
        int delta = 6 - wd; /* this week's Saturday */
        if (rel < 0) delta -= 7;
        else if (rel > 0) delta += 7;
        else if (tense_at(c, i, end) != SX_TENSE_FUTURE && wd < 6) delta -= 7;
        sx__date_add(&y, &mm, &d, UCAL_DATE, delta);
        char wk[16];
        fmt_week(wk, sizeof wk, y, mm, d);
        snprintf(m->value, sizeof m->value, "%s-WE", wk);
        return 1;
    }
    if (unit == SX_U_WEEK) {
        sx__date_add(&y, &mm, &d, UCAL_DATE, 7 * rel);
        fmt_week(m->value, sizeof m->value, y, mm, d);
    } else if (unit == SX_U_MONTH) {
        sx__date_add(&y, &mm, &d, UCAL_MONTH, rel);
        snprintf(m->value, sizeof m->value, "%04d-%02d", y, mm);
    } else snprintf(m->value, sizeof m->value, "%04d", y + rel);
    return 1;
}

/* N units ago; in N units (future); N units later/earlier (anaphoric);
 * "a year ago". */
static int r_offset(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j = i;
    int in_form = 0;
    if (is(c, i, s0, "in") || is(c, i, s0, "within")) {
        in_form = 1;
        j = i + 1;
    }
    double v;
    size_t ne;
    if (!parse_number(c, j, s0, &v, &ne)) return 0;
    /* "in 10-11 days": a range; the day is uncertain, so the value keeps
     * only the month */
    int range = 0;
    if ((is(c, ne, s0, "-") || is(c, ne, s0, "–")) && num_of(c, ne + 1, s0) > (int64_t)v) {
        range = 1;
        ne += 2;
    }
    const sx__tok *u = tk(c, ne, s0);
    if (!u || !(u->lex & SX_LX_UNIT) || v == SX_VAGUE || v != (double)(int)v) return 0;
    int unit = u->lexval, n = (int)v;
    /* "a couple of days ago": about two */
    if (is(c, j, s0, "couple") || is(c, j + 1, s0, "couple")) sx__copy(m->mod, sizeof m->mod, "APPROX");
    if (unit < SX_U_DAY) return 0;
    int sign;
    size_t end = ne + 1;
    int anaphoric = 0;
    if (in_form) {
        if (!sx__eq(c->w->toks[i].low, "in") || tense_at(c, i, end) != SX_TENSE_FUTURE) return 0;
        sign = 1;
    } else if (is(c, end, s0, "ago")) sign = -1, end++;
    else if (is(c, end, s0, "later") || is(c, end, s0, "after")) {
        if (is(c, end, s0, "after") && tk(c, end + 1, s0) && !(c->w->toks[end + 1].flags & SX_TF_PUNCT)) return 0;
        sign = 1, anaphoric = 1, end++;
    } else if (is(c, end, s0, "earlier") || is(c, end, s0, "before")) {
        if (is(c, end, s0, "before") && tk(c, end + 1, s0) && !(c->w->toks[end + 1].flags & SX_TF_PUNCT)) return 0;
        sign = -1, anaphoric = 1, end++;
    } else return 0;
    int field = unit == SX_U_DAY ? UCAL_DATE : unit == SX_U_WEEK ? UCAL_WEEK_OF_YEAR
              : unit == SX_U_FORTNIGHT ? UCAL_WEEK_OF_YEAR : unit == SX_U_MONTH ? UCAL_MONTH : UCAL_YEAR;
    if (unit == SX_U_FORTNIGHT) n *= 2;
    if (unit == SX_U_DECADE) n *= 10;
    if (unit == SX_U_CENTURY) n *= 100;
    int y, mo, d;
    if (anaphoric && c->has_anchor) {
        y = c->ay, mo = c->am, d = c->ad;
        m->anchor = c->anchor_idx;
    } else if (need_dct(c)) y = c->dy, mo = c->dm, d = c->dd;
    else {
        m->t0 = (int32_t)(in_form ? i + 1 : i);
        m->t1 = (int32_t)end;
        m->type = SX_TIMEX_DATE;
        sx__copy(m->value, sizeof m->value, unit == SX_U_DAY ? "XXXX-XX-XX" : unit <= SX_U_FORTNIGHT ? "XXXX-WXX" : unit == SX_U_MONTH ? "XXXX-XX" : "XXXX");
        return 1;
    }
    sx__date_add(&y, &mo, &d, field, sign * n);
    m->t0 = (int32_t)(in_form ? i + 1 : i);
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DATE;
    if (unit == SX_U_DAY && range) snprintf(m->value, sizeof m->value, "%04d-%02d", y, mo);
    else if (unit == SX_U_DAY) set_day(m, y, mo, d);
    else if (unit == SX_U_WEEK || unit == SX_U_FORTNIGHT) fmt_week(m->value, sizeof m->value, y, mo, d);
    else if (unit == SX_U_MONTH) snprintf(m->value, sizeof m->value, "%04d-%02d", y, mo);
    else if (unit == SX_U_DECADE) snprintf(m->value, sizeof m->value, "%03dX", y / 10);
    else snprintf(m->value, sizeof m->value, "%04d", y);
    return 1;
}

/* Anaphoric days: later that day, that night, the next day, the following
 * day, the previous day, the day before, the same day, at the time. */
static int r_anaphoric(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, j = i, start = i;
    int off = 0, pd = 0, whole_unit = 0;
    if (is(c, j, s0, "later") || is(c, j, s0, "earlier")) j++;
    if (is(c, j, s0, "that")) {
        const sx__tok *u = tk(c, j + 1, s0);
        if (!u) return 0;
        if (sx__eq(u->low, "day")) pd = 0;
        else if ((u->lex & SX_LX_PARTDAY) && u->lexval != SX_PD_TONIGHT) pd = u->lexval;
        else if (u->lex & SX_LX_UNIT && (u->lexval == SX_U_WEEK || u->lexval == SX_U_MONTH || u->lexval == SX_U_YEAR))
            whole_unit = u->lexval;
        else return 0;
        /* "that day" needs a reason to be time: a preposition or "later" */
        if (j == i && !(i > 0 && is_any(c, i - 1, s0, (const char *const[]){"on", "by", "until", "for", "during", "of", NULL})) && !pd)
            return 0;
        j += 2;
    } else if (is(c, j, s0, "the") && j == i) {
        if (is_any(c, j + 1, s0, (const char *const[]){"next", "following", NULL}) && is(c, j + 2, s0, "day")) off = 1, j += 3;
        else if (is_any(c, j + 1, s0, (const char *const[]){"next", "following", NULL}) && tk(c, j + 2, s0) &&
                 (c->w->toks[j + 2].lex & SX_LX_PARTDAY) && c->w->toks[j + 2].lexval != SX_PD_TONIGHT)
            off = 1, pd = c->w->toks[j + 2].lexval, j += 3; /* "the next morning" */
        else if (is_any(c, j + 1, s0, (const char *const[]){"previous", "preceding", NULL}) && is(c, j + 2, s0, "day")) off = -1, j += 3;
        else if (is(c, j + 1, s0, "day") && is(c, j + 2, s0, "before")) off = -1, j += 3;
        else if (is(c, j + 1, s0, "day") && is(c, j + 2, s0, "after") &&
                 (!tk(c, j + 3, s0) || (c->w->toks[j + 3].flags & SX_TF_PUNCT)))
            off = 1, j += 3;
        else if (is(c, j + 1, s0, "same") && is(c, j + 2, s0, "day")) off = 0, j += 3;
        else if (is(c, j + 1, s0, "time") && i > 0 && is(c, i - 1, s0, "at")) off = 0, j += 2;
        else return 0;
        if (tk(c, j, s0) && (c->w->toks[j].lex & SX_LX_PARTDAY) && c->w->toks[j].lexval != SX_PD_TONIGHT)
            pd = c->w->toks[j].lexval, j++;
    } else return 0;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)j;
    m->type = SX_TIMEX_DATE;
    if (!c->has_anchor && !c->has_dct) {
        c->used_dct = 1;
        sx__copy(m->value, sizeof m->value, "XXXX-XX-XX");
        return 1;
    }
    int y = c->has_anchor ? c->ay : c->dy, mo = c->has_anchor ? c->am : c->dm, d = c->has_anchor ? c->ad : c->dd;
    m->anchor = c->has_anchor ? c->anchor_idx : -1;
    if (whole_unit) {
        if (whole_unit == SX_U_WEEK) fmt_week(m->value, sizeof m->value, y, mo, d);
        else if (whole_unit == SX_U_MONTH) snprintf(m->value, sizeof m->value, "%04d-%02d", y, mo);
        else snprintf(m->value, sizeof m->value, "%04d", y);
        return 1;
    }
    sx__date_add(&y, &mo, &d, UCAL_DATE, off);
    set_day(m, y, mo, d);
    if (pd) {
        const char *pc = partday_code(pd);
        snprintf(m->value + 10, sizeof m->value - 10, "T%s", pc ? pc : "");
        m->type = SX_TIMEX_TIME;
    }
    return 1;
}

/* the 7th, on the 29th */
static int r_day_of_month(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    if (!is(c, i, s0, "the")) return 0;
    int d = ordinal_digits(tk(c, i + 1, s0));
    if (d < 1 || d > 31) return 0;
    if (is(c, i + 2, s0, "century") || is(c, i + 2, s0, "of") || is(c, i + 2, s0, "anniversary")) return 0;
    const sx__tok *nx = tk(c, i + 2, s0);
    /* "the 7th Fleet", "the 3rd battalion", "the 12th district": an ordinal
     * before a noun is no date; a date is followed by punctuation, a
     * preposition or a conjunction */
    if (nx && (nx->flags & SX_TF_WORD) && !(nx->lex & SX_LX_PARTDAY) &&
        !is_any(c, i + 2, s0, (const char *const[]){"and", "or", "when", "as", "to", "at", "in", "after", "before",
                                                     "from", "on", "with", "for", "by", "against", "until", "but",
                                                     "through", "during", "ahead", NULL}))
        return 0;
    m->t0 = (int32_t)i;
    m->t1 = (int32_t)i + 2;
    m->type = SX_TIMEX_DATE;
    if (!need_dct(c)) {
        snprintf(m->value, sizeof m->value, "XXXX-XX-%02d", d);
        return 1;
    }
    int y = c->dy, mo = c->dm, one = 1;
    int tense = tense_at(c, i, i + 2);
    /* past: the latest such day on or before the DCT; future: the first on
     * or after it; no cue: this month unless the day is well past */
    if (tense == SX_TENSE_FUTURE ? d < c->dd : tense == SX_TENSE_PAST ? d > c->dd : d > c->dd + 3)
        sx__date_add(&y, &mo, &one, UCAL_MONTH, tense == SX_TENSE_FUTURE ? 1 : -1);
    if (d > sx__days_in_month(y, mo)) return 0;
    set_day(m, y, mo, d);
    return 1;
}

/* annual, weekly, every (two) weeks, every Friday, twice a month, N times a year */
static int r_set(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    static const struct { const char *w; const char *v; } adj[] = {
        {"annual", "P1Y"}, {"annually", "P1Y"}, {"yearly", "P1Y"}, {"weekly", "P1W"},
        {"daily", "P1D"}, {"monthly", "P1M"}, {"hourly", "PT1H"}, {"biweekly", "P2W"},
        {"biennial", "P2Y"}, {"quarterly", "P3M"}, {"nightly", "P1D"}};
    for (size_t k = 0; k < sizeof adj / sizeof adj[0]; k++)
        if (sx__eq(t->low, adj[k].w) && !((t->flags & SX_TF_CAP) && name_follows(c, i, s0))) {
            m->t0 = (int32_t)i;
            m->t1 = (int32_t)i + 1;
            m->type = SX_TIMEX_SET;
            sx__copy(m->value, sizeof m->value, adj[k].v);
            return 1;
        }
    if (sx__eq(t->low, "every") || sx__eq(t->low, "each")) {
        size_t j = i + 1;
        int wd = weekday_of(tk(c, j, s0));
        if (wd) {
            m->t0 = (int32_t)i;
            m->t1 = (int32_t)j + 1;
            m->type = SX_TIMEX_SET;
            snprintf(m->value, sizeof m->value, "XXXX-WXX-%d", wd);
            sx__copy(m->quant, sizeof m->quant, "EVERY");
            return 1;
        }
        double v = 1;
        size_t ne = j;
        if (is(c, j, s0, "other")) v = 2, ne = j + 1; /* "every other week" */
        else if (!parse_number(c, j, s0, &v, &ne)) v = 1, ne = j;
        const sx__tok *u = tk(c, ne, s0);
        if (!u || !(u->lex & SX_LX_UNIT) || v == SX_VAGUE) return 0;
        sx__dur d;
        memset(&d, 0, sizeof d);
        dur_add(&d, u->lexval, v);
        m->t0 = (int32_t)i;
        m->t1 = (int32_t)ne + 1;
        if (is(c, ne + 1, s0, "thereafter")) m->t1++;
        m->type = SX_TIMEX_SET;
        dur_format(&d, m->value, sizeof m->value);
        sx__copy(m->quant, sizeof m->quant, "EVERY");
        return 1;
    }
    /* once/twice/N times a|per unit */
    int freq = 0;
    size_t j = i;
    if (sx__eq(t->low, "once")) freq = 1, j = i + 1;
    else if (sx__eq(t->low, "twice")) freq = 2, j = i + 1;
    else {
        double v;
        size_t ne;
        if (parse_number(c, i, s0, &v, &ne) && v > 0 && is(c, ne, s0, "times")) freq = (int)v, j = ne + 1;
    }
    if (!freq || !is_any(c, j, s0, (const char *const[]){"a", "an", "per", "each", "every", NULL})) return 0;
    const sx__tok *u = tk(c, j + 1, s0);
    if (!u || !(u->lex & SX_LX_UNIT)) return 0;
    sx__dur d;
    memset(&d, 0, sizeof d);
    dur_add(&d, u->lexval, 1);
    m->t0 = (int32_t)i;
    m->t1 = (int32_t)j + 2;
    m->type = SX_TIMEX_SET;
    dur_format(&d, m->value, sizeof m->value);
    snprintf(m->freq, sizeof m->freq, "%dX", freq);
    return 1;
}

/* now, currently, so far, recently, the future, the past */
static int r_reference(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i;
    const sx__tok *t = tk(c, i, s0);
    if (!t) return 0;
    const char *v = NULL;
    size_t end = i + 1, start = i;
    if (sx__eq(t->low, "now") || (sx__eq(t->low, "right") && is(c, i + 1, s0, "now"))) {
        if (sx__eq(t->low, "right")) end = i + 2;
        if (is(c, end, s0, "that")) return 0; /* "now that" is a conjunction */
        v = "PRESENT_REF";
    } else if (sx__eq(t->low, "to") && is(c, i + 1, s0, "date") && !tk(c, i + 2, s0)) {
        v = "PRESENT_REF", end = i + 2;
    } else if (sx__eq(t->low, "to") && is(c, i + 1, s0, "date") && (c->w->toks[i + 2].flags & SX_TF_PUNCT)) {
        v = "PRESENT_REF", end = i + 2;
    } else if (sx__eq(t->low, "previously") || sx__eq(t->low, "formerly")) {
        v = "PAST_REF";
    } else if (sx__eq(t->low, "the") && is(c, i + 1, s0, "near") && is(c, i + 2, s0, "future")) {
        v = "FUTURE_REF", end = i + 3;
    } else if (sx__eq(t->low, "as") && is(c, i + 1, s0, "soon") && is(c, i + 2, s0, "as") && is(c, i + 3, s0, "possible")) {
        v = "FUTURE_REF", end = i + 4;
    } else if (sx__eq(t->low, "currently") || sx__eq(t->low, "presently") || sx__eq(t->low, "nowadays"))
        v = "PRESENT_REF";
    else if (sx__eq(t->low, "so") && is(c, i + 1, s0, "far")) v = "PRESENT_REF", end = i + 2;
    else if (sx__eq(t->low, "at") && is(c, i + 1, s0, "present")) v = "PRESENT_REF", start = i + 1, end = i + 2;
    else if (sx__eq(t->low, "recently") || sx__eq(t->low, "lately")) v = "PAST_REF";
    else if (sx__eq(t->low, "the") && is(c, i + 1, s0, "future") && !is(c, i + 2, s0, "of")) v = "FUTURE_REF", end = i + 2;
    else if (sx__eq(t->low, "the") && is(c, i + 1, s0, "past") && !tk(c, i + 2, s0)) v = "PAST_REF", end = i + 2;
    else if (sx__eq(t->low, "the") && is(c, i + 1, s0, "past") && (c->w->toks[i + 2].flags & SX_TF_PUNCT)) v = "PAST_REF", end = i + 2;
    else return 0;
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)end;
    m->type = SX_TIMEX_DATE;
    sx__copy(m->value, sizeof m->value, v);
    return 1;
}

/* "in the early afternoon", "an early afternoon news conference", "late in
 * the evening": a part of the anchor day (or the DCT) with START/END */
static int r_partday(sx__tctx *c, size_t i, sx__tm *m)
{
    size_t s0 = i, start = i, j = i;
    char mod[16] = "";
    if (is(c, j, s0, "early")) sx__copy(mod, sizeof mod, "START"), j++;
    else if (is(c, j, s0, "late")) sx__copy(mod, sizeof mod, "END"), j++;
    const sx__tok *t = tk(c, j, s0);
    if (!t || !(t->lex & SX_LX_PARTDAY) || t->lexval == SX_PD_TONIGHT || t->lexval == SX_PD_MIDDAY) return 0;
    /* without early/late only as "in the morning", "during the night" */
    if (!mod[0] && !(j >= 2 && is(c, j - 1, s0, "the") && is_any(c, j - 2, s0, (const char *const[]){"in", "during", NULL})))
        return 0;
    if (t->flags & SX_TF_CAP && !(t->flags & SX_TF_SENT0)) return 0; /* "Saturday Night Live" */
    int y, mo, d;
    if (c->has_anchor) y = c->ay, mo = c->am, d = c->ad, m->anchor = c->anchor_idx;
    else if (need_dct(c)) y = c->dy, mo = c->dm, d = c->dd;
    else {
        m->t0 = (int32_t)start;
        m->t1 = (int32_t)j + 1;
        m->type = SX_TIMEX_TIME;
        snprintf(m->value, sizeof m->value, "XXXX-XX-XXT%s", partday_code(t->lexval));
        sx__copy(m->mod, sizeof m->mod, mod);
        return 1;
    }
    m->t0 = (int32_t)start;
    m->t1 = (int32_t)j + 1;
    m->type = SX_TIMEX_TIME;
    snprintf(m->value, sizeof m->value, "%04d-%02d-%02dT%s", y, mo, d, partday_code(t->lexval));
    sx__copy(m->mod, sizeof m->mod, mod);
    return 1;
}

/* "on Fridays", "Sundays": a weekday in the plural recurs */
static int r_plural_weekday(sx__tctx *c, size_t i, sx__tm *m)
{
    const sx__tok *t = &c->w->toks[i];
    if (!(t->flags & SX_TF_CAP) || t->low_len < 7 || t->low[t->low_len - 1] != 's') return 0;
    char stem[32];
    if (t->low_len - 1 >= (int32_t)sizeof stem) return 0;
    memcpy(stem, t->low, (size_t)t->low_len - 1);
    stem[t->low_len - 1] = '\0';
    int32_t wd;
    if (!(sx__lex_word(stem, &wd) & SX_LX_WEEKDAY)) return 0;
    m->t0 = (int32_t)i;
    m->t1 = (int32_t)i + 1;
    m->type = SX_TIMEX_SET;
    snprintf(m->value, sizeof m->value, "XXXX-WXX-%d", wd);
    return 1;
}

/* ---- driver ---- */

typedef int (*sx__rule)(sx__tctx *, size_t, sx__tm *);

/* Tried in this order at each token. */
static const sx__rule sx__rules[] = {
    r_numeric_date, r_month, r_anaphoric, r_offset, r_relative_unit, r_deictic, r_weekday,
    r_clock, r_set, r_duration, r_vague_duration, r_season, r_quarter, r_year, r_day_of_month,
    r_reference, r_partday, r_plural_weekday};

/* Date part for a clock time: a day-precision date in the same sentence,
 * else the narrative anchor, else the DCT. */
static void time_date_prefix(sx__tctx *c, size_t i, char *buf, size_t cap)
{
    const sx__work *w = c->w;
    int32_t s = w->toks[i].sent;
    for (size_t k = w->n_timexes; k-- > 0;) {
        if (w->timexes[k].sentence != s) break;
        if (strlen(w->timexes[k].value) >= 10 && w->timexes[k].value[4] == '-' &&
            w->timexes[k].value[7] == '-') {
            snprintf(buf, cap, "%.10s", w->timexes[k].value);
            return;
        }
    }
    if (c->has_anchor) snprintf(buf, cap, "%04d-%02d-%02d", c->ay, c->am, c->ad);
    else if (need_dct(c)) snprintf(buf, cap, "%04d-%02d-%02d", c->dy, c->dm, c->dd);
    else snprintf(buf, cap, "XXXX-XX-XX");
}

/* Words a rule may start at besides months, weekdays, numbers, units and
 * parts of day; the lexicon marks them SX_LX_TXSTART. */
const char *const sx__tx_starts[] = {
        "the", "that", "later", "earlier", "last", "next", "this", "past", "coming", "previous",
        "early", "late", "mid", "today", "yesterday", "tomorrow", "tonight", "noon", "midday",
        "midnight", "in", "within", "every", "each", "once", "twice", "now", "currently",
        "presently", "nowadays", "so", "at", "recently", "lately", "annual", "annually", "yearly",
        "weekly", "daily", "monthly", "hourly", "biweekly", "biennial", "quarterly", "nightly",
        "for", "more", "over", "nearly", "almost", "less", "fewer", "under", "about", "some",
        "around", "roughly", "approximately", "up", "no", "just", "half", "right", "to", "previously",
        "as", NULL};

/* Function words some rules start at ("the 2016 election", "in recent
 * years", "a week ago", "for two hours"), but only with a time word after
 * them.  They are a fifth of all tokens, and trying every rule at each was
 * most of the time-expression stage (bench/README.md); see may_start. */
const char *const sx__tx_weak[] = {
        "the", "that", "in", "within", "at", "for", "to", "as", "so", "over", "about", "some", "up",
        "no", "more", "just", "right", "under", "around", "nearly", "almost", "less", "fewer",
        "roughly", "approximately", "each", "every", "a", "an", NULL};

/* Words that end fixed time phrases after a weak start (SX_LX_TXEND). */
const char *const sx__tx_ends[] = {"date", "far", "soon", "possible", "future", "near", "time", "moment",
                                   "weekend", "present", NULL};

/* A capitalized word ending in "days" ("Holidays"-style names of days). */
static SX__ALWAYS_INLINE int caps_days(const sx__tok *t)
{
    return (t->flags & SX_TF_CAP) && t->low_len >= 7 && memcmp(t->low + t->low_len - 4, "days", 4) == 0;
}

/* The tests below run on nearly every token; each part is computed without
 * a branch of its own and then or-ed, since which ones hold is as good as
 * random from token to token (branch misses were most of their cost). */
#define SX__TX_WORDS (SX_LX_MONTH | SX_LX_MONTHABBR | SX_LX_WEEKDAY | SX_LX_WDABBR | SX_LX_UNIT | \
                      SX_LX_ORDWORD | SX_LX_SEASON | SX_LX_PARTDAY)

/* A token that can stand inside a time expression after a weak start. */
static int timeish(const sx__tok *t)
{
    uint64_t lx = t->lex;
    int r = ((t->flags & SX_TF_NUM) != 0) | ((unsigned)((unsigned char)t->low[0] - '0') <= 9) |
            ((lx & SX__TX_WORDS) != 0) |
            (((lx & (SX_LX_TXSTART | SX_LX_NUMWORD)) != 0) & ((lx & SX_LX_TXWEAK) == 0)) |
            /* the ends of the fixed phrases: "to date", "so far", "as soon as
             * possible", "the near future", "for the time being", "at the moment" */
            ((lx & SX_LX_TXEND) != 0);
    return r || caps_days(t);
}

/* Cheap test: can any rule start at token i?  A weak start needs a time
 * word among the next 8 tokens of its sentence.  *next is the first timeish
 * token after some earlier i; i only grows, so it only moves forward: one
 * timeish test per token instead of up to 8 per weak word ("the", "in"). */
static int may_start(const sx__work *w, size_t i, size_t *next)
{
    const sx__tok *t = &w->toks[i];
    uint64_t lx = t->lex;
    if (lx & SX_LX_TXWEAK) {
        if (*next <= i) *next = i + 1;
        while (*next < w->n_toks && !timeish(&w->toks[*next])) (*next)++;
        /* sentences are contiguous: the same sentence at *next is the same all the way */
        return *next < w->n_toks && *next <= i + 8 && w->toks[*next].sent == t->sent;
    }
    int r = ((t->flags & SX_TF_NUM) != 0) | ((unsigned)((unsigned char)t->low[0] - '0') <= 9) |
            ((lx & (SX__TX_WORDS | SX_LX_NUMWORD)) != 0) |
            (((t->flags & SX_TF_WORD) != 0) & ((lx & SX_LX_TXSTART) != 0));
    return r || ((t->flags & SX_TF_WORD) && caps_days(t));
}

sx_status sx__timex_run(sx__work *w)
{
    sx__tctx c;
    memset(&c, 0, sizeof c);
    c.w = w;
    c.anchor_idx = -1;
    if (w->dct) {
        c.has_dct = 1;
        c.dy = w->dct->year, c.dm = w->dct->month, c.dd = w->dct->day;
    }
    int ok;
    size_t cap_tt = 0, next_timeish = 0;
    for (size_t i = 0; i < w->n_toks;) {
        if (!may_start(w, i, &next_timeish)) {
            i++;
            continue;
        }
        sx__tm m;
        int hit = 0;
        for (size_t r = 0; r < sizeof sx__rules / sizeof sx__rules[0] && !hit; r++) {
            /* field by field: a memset of the whole match before each of
             * the rules was a twelfth of extraction time (bench/README.md);
             * every rule writes its strings whole */
            m.t1 = 0;
            m.type = (sx_timex_type)0;
            m.value[0] = m.mod[0] = m.quant[0] = m.freq[0] = m.tz[0] = '\0';
            m.day = 0;
            m.anchor = -1;
            m.t0 = (int32_t)i;
            hit = sx__rules[r](&c, i, &m) && m.t1 > m.t0 && (size_t)m.t1 > i;
        }
        if (!hit) {
            i++;
            continue;
        }
        /* a rule may reach back (early/late/the); never over a previous timex */
        if (w->n_timexes && w->timex_tok[2 * (w->n_timexes - 1) + 1] > m.t0) m.t0 = w->timex_tok[2 * (w->n_timexes - 1) + 1];
        SX__GROW(w->timexes, w->n_timexes, w->cap_timexes, ok);
        if (!ok) return SX_ENOMEM;
        if (w->n_timexes * 2 + 2 > cap_tt) {
            size_t nc = cap_tt ? cap_tt * 2 : 32;
            int32_t *np = realloc(w->timex_tok, nc * sizeof *np);
            if (!np) return SX_ENOMEM;
            w->timex_tok = np;
            cap_tt = nc;
        }
        sx_timex *x = &w->timexes[w->n_timexes];
        memset(x, 0, sizeof *x);
        const sx__tok *a = &w->toks[m.t0], *b = &w->toks[m.t1 - 1];
        x->start = a->cp_start;
        x->end = b->cp_end;
        if (b->flags & SX_TF_POSS) x->end -= 2; /* "Tuesday's vote": the possessive is not time */
        x->sentence = a->sent;
        x->type = m.type;
        sx__copy(x->value, sizeof x->value, m.value);
        sx__copy(x->mod, sizeof x->mod, m.mod);
        sx__copy(x->quant, sizeof x->quant, m.quant);
        sx__copy(x->freq, sizeof x->freq, m.freq);
        sx__copy(x->tz, sizeof x->tz, m.tz);
        x->anchor = m.anchor;
        if (x->type == SX_TIMEX_DATE || x->type == SX_TIMEX_TIME)
            sx__value_interval(x->value, x->begin, sizeof x->begin, x->end_iso, sizeof x->end_iso);
        x->text = sx__cp_substr(w, x->start, x->end);
        if (!x->text) return SX_ENOMEM;
        w->timex_tok[2 * w->n_timexes] = m.t0;
        w->timex_tok[2 * w->n_timexes + 1] = m.t1;
        /* a full calendar date becomes the narrative anchor */
        if (strlen(x->value) >= 10 && x->value[0] != 'X' && x->value[4] == '-' && x->value[7] == '-' &&
            x->value[8] >= '0' && x->value[8] <= '9') {
            c.has_anchor = 1;
            c.ay = (x->value[0] - '0') * 1000 + (x->value[1] - '0') * 100 + (x->value[2] - '0') * 10 + (x->value[3] - '0');
            c.am = (x->value[5] - '0') * 10 + (x->value[6] - '0');
            c.ad = (x->value[8] - '0') * 10 + (x->value[9] - '0');
            c.anchor_idx = (int32_t)w->n_timexes;
        }
        w->n_timexes++;
        i = (size_t)m.t1;
    }
    /* "at 8 p.m. on Sunday", "at 4 p.m. yesterday": a clock time with no
     * date before it in its sentence takes the date right after it */
    for (size_t x = 0; x + 1 < w->n_timexes; x++) {
        sx_timex *tx = &w->timexes[x], *nx = &w->timexes[x + 1];
        if (tx->type != SX_TIMEX_TIME || nx->sentence != tx->sentence || strlen(tx->value) < 16 ||
            tx->value[10] != 'T' || tx->value[11] < '0' || tx->value[11] > '9')
            continue;
        if (w->timex_tok[2 * (x + 1)] - w->timex_tok[2 * x + 1] > 2) continue;
        if (strlen(nx->value) < 10 || nx->value[4] != '-' || nx->value[7] != '-' || nx->value[8] < '0' || nx->value[8] > '9')
            continue;
        int own = 0;
        for (size_t p = x; p-- > 0 && w->timexes[p].sentence == tx->sentence;)
            own |= strlen(w->timexes[p].value) >= 10 && w->timexes[p].value[7] == '-';
        if (own) continue;
        memcpy(tx->value, nx->value, 10);
        sx__value_interval(tx->value, tx->begin, sizeof tx->begin, tx->end_iso, sizeof tx->end_iso);
    }
    /* Header block: a date alone on one of the first lines ("November 16,
     * 2004", "Saturday, December 9, 2006") or a dateline is the document's
     * own date, not a moment of its story. */
    w->timex_header = calloc(w->n_timexes + 1, 1);
    if (!w->timex_header) return SX_ENOMEM;
    for (size_t x = 0; x < w->n_timexes; x++) {
        int32_t s = w->timexes[x].sentence;
        if (s > 16) break;
        int32_t words = 0, inside = 0;
        if (w->sent_tok0[s + 1] - w->sent_tok0[s] > 40) continue; /* a header line is short */
        for (int32_t k = w->sent_tok0[s]; k < w->sent_tok0[s + 1]; k++) {
            if (w->toks[k].flags & SX_TF_PUNCT) continue;
            words++;
            if (k >= w->timex_tok[2 * x] && k < w->timex_tok[2 * x + 1]) inside++;
        }
        int line_start = w->toks[w->sent_tok0[s]].flags & (SX_TF_NL | SX_TF_SENT0);
        if (line_start && words > 0 && words - inside <= 3) w->timex_header[x] = 1;
    }
    if (c.used_dct)
        return sx__warn(w, "no document date was given or found: relative dates are left "
                           "underspecified (give --dct YYYY-MM-DD)");
    return SX_OK;
}
