/*
 * chronology.c -- prints the stored timeline for a person at a terminal, or
 * as Markdown, one entry per timeline event (the cross-document layer).
 *
 * Exports tl_chronology, tl_chronology_filtered, tl_format_date and
 * tl_format_duration, and tl__filter_bind (timeline_int.h), which turns a
 * tl_filter into the bound parameters of TL__FILTER_WHERE for every
 * reader of the timeline.
 *
 * Layout (plain text, no colours):
 *
 *   summit timeline: 2 documents, 3 events
 *
 *   2017-07-07 (Friday)
 *     15:40  meeting: Donald Trump and Vladimir Putin in Hamburg, Germany; lasted 2 h 16 min (planned 30 min)
 *         The two leaders met on the sidelines of the G20.  [news/g20.txt]
 *
 *   Undated
 *     statement (negated): Sergey Lavrov
 *         Lavrov did not comment.  [news/lavrov.txt]
 *
 * One heading per date at the precision the text gave ("2017-07-06
 * (Thursday)", "2017-07 (July)", "2016", "2017-W27 (week 27)"), in the order
 * of TL__EVENT_ORDER, undated events last.  Per event: time of day if known,
 * type, status unless "occurred", core participants (sx_role_is_core) joined
 * with ", " and " and ", other roles in parentheses, location, durations in
 * words; then the summary and the source paths (lead source first), and a
 * "! sources disagree on the date: ..." line per field the sources
 * disagree on.  Markdown adds each source's sentence and offsets and
 * escapes the characters Markdown reads.  Weekdays come from calendar
 * arithmetic on the stored date, never from the clock or the locale.
 */
#include "timeline_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- small text helpers ---------------------------------------------------- */

/* Appends to a fixed buffer, truncating safely. */
typedef struct tl__out {
    char *buf;
    size_t cap, len;
} tl__out;

static void tl__outf(tl__out *o, const char *fmt, ...) TL__PRINTF(2, 3);
static void tl__outf(tl__out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    o->len += (size_t)n;
    if (o->len >= o->cap)
        o->len = o->cap - 1;
}

/* n ASCII digits at s -> *out; 0 if not all digits. */
static int tl__digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int tl__leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int tl__days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && tl__leap(y) ? 29 : days[m - 1];
}

/* Day of the week, 0 = Sunday, for a valid Gregorian date, year >= 1. */
static int tl__weekday(int y, int m, int d)
{
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static const char *const tl__weekdays[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
static const char *const tl__months[12] = {"January", "February", "March",     "April",
                                           "May",     "June",     "July",      "August",
                                           "September", "October", "November", "December"};

/* ---- dates ------------------------------------------------------------------- */

int tl_format_date(const char *value, char *buf, size_t buflen)
{
    static const struct {
        const char *suffix, *words;
    } parts[] = {
        {"-Q1", "first quarter"},  {"-Q2", "second quarter"}, {"-Q3", "third quarter"},
        {"-Q4", "fourth quarter"}, {"-H1", "first half"},     {"-H2", "second half"},
        {"-SP", "spring"},         {"-SU", "summer"},         {"-FA", "autumn"},
        {"-WI", "winter"},
    };
    static const struct {
        const char *value, *words;
    } refs[] = {
        {"PRESENT_REF", "Present (at the time of the article)"},
        {"PAST_REF", "Past (unspecified)"},
        {"FUTURE_REF", "Future (unspecified)"},
    };
    if (!buf || buflen == 0)
        return 0;
    tl__out o = {buf, buflen, 0};
    buf[0] = '\0';
    if (!value || !*value) {
        tl__outf(&o, "Undated");
        return 1;
    }
    int y, m, d, w;
    if (tl__digits(value, 4, &y) && y >= 1) {
        const char *r = value + 4;
        if (*r == '\0') {
            tl__outf(&o, "%04d", y);
            return 1;
        }
        if (r[0] == '-' && tl__digits(r + 1, 2, &m) && m >= 1 && m <= 12) {
            const char *r2 = r + 3;
            if (*r2 == '\0') {
                tl__outf(&o, "%04d-%02d (%s)", y, m, tl__months[m - 1]);
                return 1;
            }
            if (r2[0] == '-' && tl__digits(r2 + 1, 2, &d) && (r2[3] == '\0' || r2[3] == 'T') && d >= 1 &&
                d <= tl__days_in_month(y, m)) {
                tl__outf(&o, "%04d-%02d-%02d (%s)", y, m, d, tl__weekdays[tl__weekday(y, m, d)]);
                return 1;
            }
        }
        if (r[0] == '-' && r[1] == 'W' && tl__digits(r + 2, 2, &w) && w >= 1 && w <= 53) {
            if (r[4] == '\0') {
                tl__outf(&o, "%04d-W%02d (week %d)", y, w, w);
                return 1;
            }
            if (strcmp(r + 4, "-WE") == 0) {
                tl__outf(&o, "%04d-W%02d-WE (weekend of week %d)", y, w, w);
                return 1;
            }
        }
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            if (strcmp(r, parts[i].suffix) == 0) {
                tl__outf(&o, "%s (%s)", value, parts[i].words);
                return 1;
            }
        }
    }
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (strcmp(value, refs[i].value) == 0) {
            tl__outf(&o, "%s", refs[i].words);
            return 1;
        }
    }
    tl__outf(&o, "%s", value);
    return 0;
}

/* The text after the 'T' of a time value ("T15:40", "2017-07-07T15:40",
 * "XXXX-XX-XXTMO"), or NULL. */
static const char *tl__time_part(const char *value)
{
    if (value[0] == 'T')
        return value + 1;
    if (strlen(value) > 10 && value[4] == '-' && value[7] == '-' && value[10] == 'T')
        return value + 11;
    return NULL;
}

/* Time of day from a TIMEX3 value ("T15:40", "2017-07-07T15:40:00",
 * "2017-07-07TAF") into buf; "" when the value has no time part. */
static void tl__time_of_day(const char *value, char *buf, size_t buflen)
{
    static const struct {
        const char *code, *words;
    } parts[] = {{"MO", "morning"}, {"MI", "midday"},  {"AF", "afternoon"},
                 {"EV", "evening"}, {"NI", "night"},   {"DT", "daytime"}};
    tl__out o = {buf, buflen, 0};
    buf[0] = '\0';
    if (!value || !*value)
        return;
    const char *t = tl__time_part(value);
    if (!t) {
        tl__outf(&o, "%s", value);
        return;
    }
    int h, mi;
    if (tl__digits(t, 2, &h) && t[2] == ':' && tl__digits(t + 3, 2, &mi)) {
        tl__outf(&o, "%02d:%02d", h, mi);
        return;
    }
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (strcmp(t, parts[i].code) == 0) {
            tl__outf(&o, "%s", parts[i].words);
            return;
        }
    }
    tl__outf(&o, "%s", t);
}

/* ---- durations ------------------------------------------------------------- */

int tl_format_duration(const char *value, const char *mod, char *buf, size_t buflen)
{
    static const struct {
        const char *mod, *words;
    } mods[] = {
        {"MORE_THAN", "more than "}, {"LESS_THAN", "less than "},  {"APPROX", "about "},
        {"EQUAL_OR_MORE", "at least "}, {"EQUAL_OR_LESS", "at most "},
    };
    /* unit letter, singular, plural (also used alone for "X" amounts) */
    static const struct {
        char unit;
        const char *one, *many, *vague;
    } date_units[] = {{'Y', "year", "years", "years"},
                      {'M', "month", "months", "months"},
                      {'W', "week", "weeks", "weeks"},
                      {'D', "day", "days", "days"}},
      time_units[] = {{'H', "h", "h", "hours"}, {'M', "min", "min", "minutes"}, {'S', "s", "s", "seconds"}};

    if (!buf || buflen == 0)
        return 0;
    tl__out o = {buf, buflen, 0};
    buf[0] = '\0';
    if (!value || value[0] != 'P' || value[1] == '\0') {
        tl__outf(&o, "%s", value ? value : "");
        return 0;
    }
    if (mod && *mod) {
        for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
            if (strcmp(mod, mods[i].mod) == 0)
                tl__outf(&o, "%s", mods[i].words);
    }
    int in_time = 0, parts = 0;
    for (const char *p = value + 1; *p;) {
        if (*p == 'T' && !in_time) {
            in_time = 1;
            p++;
            if (!*p)
                goto verbatim;
            continue;
        }
        /* amount: digits with an optional fraction, or X for "some" */
        const char *num = p;
        int vague = 0;
        if (*p == 'X') {
            vague = 1;
            while (*p == 'X')
                p++;
        } else {
            while (*p >= '0' && *p <= '9')
                p++;
            if (p == num)
                goto verbatim;
            if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                    goto verbatim;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        size_t numlen = (size_t)(p - num);
        char unit = *p++;
        const char *one = NULL, *many = NULL, *vword = NULL;
        const size_t n_units = in_time ? sizeof time_units / sizeof time_units[0]
                                       : sizeof date_units / sizeof date_units[0];
        for (size_t i = 0; i < n_units; i++) {
            const char u = in_time ? time_units[i].unit : date_units[i].unit;
            if (u == unit) {
                one = in_time ? time_units[i].one : date_units[i].one;
                many = in_time ? time_units[i].many : date_units[i].many;
                vword = in_time ? time_units[i].vague : date_units[i].vague;
            }
        }
        if (!one)
            goto verbatim;
        if (parts++)
            tl__outf(&o, " ");
        if (vague) {
            tl__outf(&o, "%s", vword);
        } else {
            while (numlen > 1 && num[0] == '0' && num[1] != '.') { /* "05" -> "5" */
                num++;
                numlen--;
            }
            const int is_one = numlen == 1 && num[0] == '1';
            tl__outf(&o, "%.*s %s", (int)numlen, num, is_one ? one : many);
        }
    }
    if (parts > 0)
        return 1;
verbatim:
    o.len = 0;
    buf[0] = '\0';
    tl__outf(&o, "%s", value);
    return 0;
}

/* ---- filters ------------------------------------------------------------------ */

/* "2017", "2017-07" or "2017-07-07" -> the first day it covers and the day
 * after its last, as ISO days. */
static int tl__filter_day(const char *v, char first[24], char after[24])
{
    int y, m = 1, d = 1;
    size_t n = strlen(v);
    if (!(n == 4 || n == 7 || n == 10) || !tl__digits(v, 4, &y) || y < 1)
        return 0;
    if (n >= 7 && (v[4] != '-' || !tl__digits(v + 5, 2, &m) || m < 1 || m > 12))
        return 0;
    if (n == 10 && (v[7] != '-' || !tl__digits(v + 8, 2, &d) || d < 1 || d > tl__days_in_month(y, m)))
        return 0;
    snprintf(first, 24, "%04d-%02d-%02d", y, m, d);
    int32_t day = 0;
    if (n == 4)
        snprintf(after, 24, "%04d-01-01", y + 1);
    else if (n == 7)
        snprintf(after, 24, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    else if (tl__day_number(first, &day))
        tl__day_string(day + 1, after, 24);
    return 1;
}

tl_status tl__filter_bind(tl_db *db, const tl_filter *f, sqlite3_stmt *st, char days[2][24])
{
    char tmp[24];
    days[0][0] = days[1][0] = '\0';
    if (f && f->from && !tl__filter_day(f->from, days[0], tmp))
        return tl__fail(db, TL_EINVAL, "--from '%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", f->from);
    if (f && f->to && !tl__filter_day(f->to, tmp, days[1]))
        return tl__fail(db, TL_EINVAL, "--to '%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", f->to);
    if (f && f->from && f->to && strcmp(days[0], days[1]) >= 0)
        return tl__fail(db, TL_EINVAL, "--from '%s' is after --to '%s'", f->from, f->to);
    int rc = tl__bind_opt(st, 1, days[0]);
    rc |= tl__bind_opt(st, 2, days[1]);
    rc |= tl__bind_opt(st, 3, f ? f->type : NULL);
    rc |= tl__bind_opt(st, 4, f ? f->actor : NULL);
    const int both = f && f->between[0] && f->between[1];
    rc |= tl__bind_opt(st, 5, both ? f->between[0] : NULL);
    rc |= tl__bind_opt(st, 6, both ? f->between[1] : NULL);
    if (rc != SQLITE_OK)
        return tl__sql_fail(db, "cannot select timeline events");
    return TL_OK;
}

/* ---- the chronology ---------------------------------------------------------- */

static const char tl__chron_sql[] =
    "SELECT te.id, te.date, te.time, te.type, te.status, te.location, te.duration, te.duration_mod,"
    " te.planned_duration, te.summary, te.n_sources"
    " FROM timeline_events te" TL__FILTER_WHERE TL__TIMELINE_ORDER;

static const char tl__chron_part_sql[] =
    "SELECT name, role FROM timeline_participants WHERE timeline_event_id = ?1 ORDER BY ord";

/* sources: path, the sentence and offsets of the first mention */
static const char tl__chron_src_sql[] =
    "SELECT d.path, (SELECT m.sentence FROM event_mentions m WHERE m.event_id = s.event_id ORDER BY m.start_cp"
    " LIMIT 1), (SELECT m.start_cp FROM event_mentions m WHERE m.event_id = s.event_id ORDER BY m.start_cp"
    " LIMIT 1), (SELECT m.end_cp FROM event_mentions m WHERE m.event_id = s.event_id ORDER BY m.start_cp"
    " LIMIT 1), (SELECT m.text FROM event_mentions m WHERE m.event_id = s.event_id ORDER BY m.start_cp LIMIT 1)"
    " FROM timeline_sources s JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = ?1 ORDER BY s.ord";

static const char tl__chron_conf_sql[] =
    "SELECT c.field, c.value, d.path FROM timeline_conflicts c JOIN timeline_sources s ON s.event_id = c.event_id"
    " JOIN documents d ON d.id = s.doc_id WHERE c.timeline_event_id = ?1 ORDER BY c.field, s.ord";

static const char tl__chron_count_sql[] =
    "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM timeline_events),"
    " (SELECT count(*) FROM events)";

static const char *tl__col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* Writes s for Markdown: characters with a meaning there are escaped, line
 * breaks become spaces. */
static void tl__md_put(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>|#", *s))
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

static void tl__put(FILE *out, const char *s, int md)
{
    if (md)
        tl__md_put(out, s);
    else
        fputs(s, out);
}

/* Prints n NUL-separated names joined with ", " and a final " and ". */
static void tl__print_names(FILE *out, const char *names, size_t n, int md)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(i + 1 == n ? " and " : ", ", out);
        tl__put(out, names, md);
        names += strlen(names) + 1;
    }
}

/* Is name among the n NUL-separated names of list? */
static int tl__in_names(const char *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++, list += strlen(list) + 1)
        if (strcmp(list, name) == 0)
            return 1;
    return 0;
}

/* Prints ": A, B and C (targets: D and E; audience: F)" for one event, or
 * nothing: core participants in order of first mention, then the other
 * roles grouped by role in order of first appearance. */
static tl_status tl__print_participants(tl_db *db, sqlite3_stmt *ps, int64_t event_id, FILE *out, int md)
{
    tl__buf core = {0}, other = {0}; /* "name\0..." and "role\0name\0..." */
    size_t n_core = 0, n_other = 0;
    tl_status st = TL_OK;
    int rc;

    sqlite3_bind_int64(ps, 1, event_id);
    while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
        const char *name = tl__col(ps, 0), *role = tl__col(ps, 1);
        int err = 0;
        if (sx_role_is_core(role)) {
            if (n_core && tl__in_names(core.s, n_core, name))
                continue; /* the same actor in two core roles */
            err = tl__buf_add(&core, name, strlen(name) + 1);
            n_core++;
        } else {
            err = tl__buf_add(&other, role, strlen(role) + 1) || tl__buf_add(&other, name, strlen(name) + 1);
            n_other++;
        }
        if (err) {
            st = tl__fail(db, TL_ENOMEM, "cannot print the chronology: out of memory");
            goto done;
        }
    }
    if (rc != SQLITE_DONE) {
        st = tl__sql_fail(db, "cannot read the participants of timeline event %lld", (long long)event_id);
        goto done;
    }
    if (n_core) {
        fputs(md ? " \xE2\x80\x94 " : ": ", out);
        tl__print_names(out, core.s, n_core, md);
    }
    if (n_other) {
        fputs(" (", out);
        const char *role = other.s;
        int first = 1;
        for (size_t i = 0; i < n_other; i++, role += strlen(role) + 1, role += strlen(role) + 1) {
            /* skip roles already printed */
            const char *r = other.s;
            size_t j = 0;
            for (; j < i && strcmp(r, role) != 0; j++, r += strlen(r) + 1, r += strlen(r) + 1) {
            }
            if (j < i)
                continue;
            /* gather this role's names */
            tl__buf names = {0};
            size_t n = 0;
            r = role;
            for (size_t k = i; k < n_other; k++, r += strlen(r) + 1, r += strlen(r) + 1) {
                if (strcmp(r, role) != 0)
                    continue;
                const char *name = r + strlen(r) + 1;
                if (tl__buf_add(&names, name, strlen(name) + 1)) {
                    tl__buf_free(&names);
                    st = tl__fail(db, TL_ENOMEM, "cannot print the chronology: out of memory");
                    goto done;
                }
                n++;
            }
            fprintf(out, "%s%s%s: ", first ? "" : "; ", role, n > 1 && strcmp(role, "audience") != 0 ? "s" : "");
            tl__print_names(out, names.s, n, md);
            tl__buf_free(&names);
            first = 0;
        }
        fputc(')', out);
    }
done:
    sqlite3_reset(ps);
    tl__buf_free(&core);
    tl__buf_free(&other);
    return st;
}

/* Prints "; lasted 2 h 16 min (planned 30 min)" and variants, or nothing. */
static void tl__print_durations(const char *status, const char *dur, const char *mod, const char *planned,
                                FILE *out)
{
    char a[128], b[128];
    if (*dur) {
        tl_format_duration(dur, mod, a, sizeof a);
        fprintf(out, "; %s %s", strcmp(status, "occurred") == 0 ? "lasted" : "duration", a);
        if (*planned) {
            tl_format_duration(planned, NULL, b, sizeof b);
            fprintf(out, " (planned %s)", b);
        }
    } else if (*planned) {
        tl_format_duration(planned, NULL, b, sizeof b);
        fprintf(out, "; planned to last %s", b);
    }
}

/* The summary and sources line(s) of one event. */
static tl_status tl__print_sources(tl_db *db, sqlite3_stmt *ss, int64_t id, const char *summary, FILE *out, int md)
{
    int rc, n = 0;
    sqlite3_bind_int64(ss, 1, id);
    if (md) {
        if (*summary) {
            fputs("  ", out);
            tl__md_put(out, summary);
            fputs("  \n", out);
        }
        fputs("  Sources: ", out);
        while ((rc = sqlite3_step(ss)) == SQLITE_ROW) {
            fprintf(out, "%s`", n++ ? "; " : "");
            for (const char *p = tl__col(ss, 0); *p; p++) /* no backquotes inside a code span */
                fputc(*p == '`' ? '\'' : *p, out);
            fputc('`', out);
            if (sqlite3_column_type(ss, 1) != SQLITE_NULL) {
                fprintf(out, " (sentence %d, \"", sqlite3_column_int(ss, 1) + 1);
                tl__md_put(out, tl__col(ss, 4));
                fprintf(out, "\" at %d\xE2\x80\x93%d)", sqlite3_column_int(ss, 2), sqlite3_column_int(ss, 3));
            }
        }
        fputs("  \n", out);
    } else {
        fprintf(out, "      %s%s[", summary, *summary ? "  " : "");
        while ((rc = sqlite3_step(ss)) == SQLITE_ROW)
            fprintf(out, "%s%s", n++ ? "; " : "", tl__col(ss, 0));
        fputs("]\n", out);
    }
    sqlite3_reset(ss);
    if (rc != SQLITE_DONE)
        return tl__sql_fail(db, "cannot read the sources of timeline event %lld", (long long)id);
    return TL_OK;
}

/* "sources disagree on the date: 2008-07-06 [a.txt]; 2008-07-07 [b.txt]" lines. */
static tl_status tl__print_conflicts(tl_db *db, sqlite3_stmt *cs, int64_t id, FILE *out, int md)
{
    int rc;
    char field[32] = "";
    sqlite3_bind_int64(cs, 1, id);
    while ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
        const char *f = tl__col(cs, 0), *v = sqlite3_column_type(cs, 1) == SQLITE_NULL ? "(none)" : tl__col(cs, 1);
        if (strcmp(f, field) != 0) {
            if (*field)
                fputs(md ? "  \n" : "\n", out);
            snprintf(field, sizeof field, "%s", f);
            fprintf(out, "%ssources disagree on the %s: ", md ? "  \xE2\x9A\xA0 " : "      ! ",
                    strcmp(f, "planned_duration") == 0 ? "planned duration" : f);
        } else {
            fputs("; ", out);
        }
        tl__put(out, v, md);
        fputs(" [", out);
        tl__put(out, tl__col(cs, 2), md);
        fputc(']', out);
    }
    if (*field)
        fputs(md ? "  \n" : "\n", out);
    sqlite3_reset(cs);
    if (rc != SQLITE_DONE)
        return tl__sql_fail(db, "cannot read the conflicts of timeline event %lld", (long long)id);
    return TL_OK;
}

/* The header: counts and how each document was dated (text), or a title. */
static tl_status tl__print_header(tl_db *db, sqlite3_stmt *count_st, const tl_filter *f, FILE *out, int md,
                                  long long *n_events)
{
    if (sqlite3_step(count_st) != SQLITE_ROW)
        return tl__sql_fail(db, "cannot read the timeline");
    const long long n_docs = sqlite3_column_int64(count_st, 0), n_te = sqlite3_column_int64(count_st, 1),
                    n_rep = sqlite3_column_int64(count_st, 2);
    *n_events = n_te;
    if (md)
        fputs("# summit timeline\n\n", out);
    fprintf(out, "%s%lld document%s, %lld event%s", md ? "" : "summit timeline: ", n_docs, n_docs == 1 ? "" : "s",
            n_te, n_te == 1 ? "" : "s");
    if (n_rep != n_te)
        fprintf(out, " (from %lld reports)", n_rep);
    fputs(md ? ".\n" : "\n", out);
    const int filtered = f && (f->from || f->to || f->type || f->actor || (f->between[0] && f->between[1]));
    if (filtered) {
        fputs(md ? "\nShowing events" : "  showing events", out);
        if (f->type)
            fprintf(out, " of type %s", f->type);
        if (f->actor)
            fprintf(out, " with %s", f->actor);
        if (f->between[0] && f->between[1])
            fprintf(out, " between %s and %s", f->between[0], f->between[1]);
        if (f->from)
            fprintf(out, " from %s", f->from);
        if (f->to)
            fprintf(out, " to %s", f->to);
        fputs(md ? ".\n" : "\n", out);
    }
    if (md)
        return TL_OK;
    /* how each document was dated, so a reader knows what "Friday" means */
    sqlite3_stmt *ds = NULL;
    if (sqlite3_prepare_v2(db->conn,
                           "SELECT path, dct, dct_source, dct_note, count(*) OVER () FROM documents ORDER BY id LIMIT 10",
                           -1, &ds, NULL) != SQLITE_OK)
        return tl__sql_fail(db, "cannot read the timeline");
    long long total = 0;
    int undated = 0;
    while (sqlite3_step(ds) == SQLITE_ROW) {
        const char *p = tl__col(ds, 0), *dct = tl__col(ds, 1), *src = tl__col(ds, 2), *note = tl__col(ds, 3);
        total = sqlite3_column_int64(ds, 4);
        if (!*dct) {
            fprintf(out, "  %s: no date found; relative dates are left unplaced\n", p);
            undated = 1;
        } else if (!strcmp(src, "flag"))
            fprintf(out, "  %s: dated %s (given)\n", p, dct);
        else
            fprintf(out, "  %s: dated %s (%s)\n", p, dct, *note ? note : src);
    }
    sqlite3_finalize(ds);
    if (total > 10)
        fprintf(out, "  ... and %lld more documents\n", total - 10);
    if (undated)
        fputs("  (give the date with 'summit ingest --dct YYYY-MM-DD FILE' to place them)\n", out);
    return TL_OK;
}

tl_status tl_chronology(tl_db *db, FILE *out)
{
    return tl_chronology_filtered(db, NULL, TL_FORMAT_TEXT, out);
}

tl_status tl_chronology_filtered(tl_db *db, const tl_filter *filter, tl_format fmt, FILE *out)
{
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !out)
        return tl__fail(db, TL_EINVAL, "cannot print the chronology: %s",
                        db->conn ? "no output stream" : "the database is not open");
    if (fmt != TL_FORMAT_TEXT && fmt != TL_FORMAT_MARKDOWN)
        return tl__fail(db, TL_EINVAL, "cannot print the chronology: format %d is not text or Markdown", (int)fmt);
    const int md = fmt == TL_FORMAT_MARKDOWN;
    sqlite3_stmt *main_st = NULL, *part_st = NULL, *count_st = NULL, *src_st = NULL, *conf_st = NULL;
    tl_status st = TL_OK;
    char days[2][24];
    int rc;
    if (sqlite3_prepare_v2(db->conn, tl__chron_count_sql, -1, &count_st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__chron_sql, -1, &main_st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__chron_part_sql, -1, &part_st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__chron_src_sql, -1, &src_st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__chron_conf_sql, -1, &conf_st, NULL) != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot read the timeline");
        goto done;
    }
    if ((st = tl__filter_bind(db, filter, main_st, days)) != TL_OK)
        goto done;
    long long n_events = 0;
    if ((st = tl__print_header(db, count_st, filter, out, md, &n_events)) != TL_OK)
        goto done;
    if (n_events == 0)
        fputs("\n(no events stored yet)\n", out);

    char heading[128] = "", prev[128] = "";
    int first = 1;
    size_t shown = 0;
    while ((rc = sqlite3_step(main_st)) == SQLITE_ROW) {
        const int64_t id = sqlite3_column_int64(main_st, 0);
        const char *date = tl__col(main_st, 1), *time = tl__col(main_st, 2), *type = tl__col(main_st, 3),
                   *status = tl__col(main_st, 4), *loc = tl__col(main_st, 5), *dur = tl__col(main_st, 6),
                   *dmod = tl__col(main_st, 7), *planned = tl__col(main_st, 8),
                   *summary = tl__col(main_st, 9);
        shown++;
        if (!tl_format_date(date, heading, sizeof heading)) { /* "XXXX-WXX-5" */
            size_t n = strlen(heading);
            snprintf(heading + n, sizeof heading - n, " (not placed on the calendar)");
        }
        if (first || strcmp(heading, prev) != 0) {
            fprintf(out, md ? "\n## %s\n\n" : "\n%s\n", heading);
            memcpy(prev, heading, sizeof prev);
            first = 0;
        }
        char tod[64];
        /* time of day: the event's own, else a time part of its date */
        tl__time_of_day(*time ? time : (tl__time_part(date) ? date : ""), tod, sizeof tod);
        fputs(md ? "- " : "  ", out);
        if (*tod)
            fprintf(out, md ? "%s \xC2\xB7 " : "%s  ", tod);
        fprintf(out, md ? "**%s**" : "%s", type);
        if (*status && strcmp(status, "occurred") != 0)
            fprintf(out, " (%s)", status);
        if ((st = tl__print_participants(db, part_st, id, out, md)) != TL_OK)
            goto done;
        if (*loc) {
            fputs(" in ", out);
            tl__put(out, loc, md);
        }
        tl__print_durations(status, dur, dmod, planned, out);
        fputs(md ? "  \n" : "\n", out);
        if ((st = tl__print_sources(db, src_st, id, summary, out, md)) != TL_OK)
            goto done;
        if ((st = tl__print_conflicts(db, conf_st, id, out, md)) != TL_OK)
            goto done;
    }
    if (rc != SQLITE_DONE) {
        st = tl__sql_fail(db, "cannot read the timeline");
        goto done;
    }
    if (n_events > 0 && shown == 0)
        fputs(md ? "\nNo event matches.\n" : "\n(no event matches)\n", out);
    if (fflush(out) != 0 || ferror(out))
        st = tl__fail(db, TL_EIO, "cannot write the chronology");
done:
    sqlite3_finalize(count_st);
    sqlite3_finalize(main_st);
    sqlite3_finalize(part_st);
    sqlite3_finalize(src_st);
    sqlite3_finalize(conf_st);
    return st;
}
