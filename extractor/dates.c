/*
 * dates.c -- the --dct date parser and calendar arithmetic.
 *
 * Exports sx_date_parse / sx_date_format (public) and the sx__ calendar
 * helpers of sx_int.h.  Arithmetic runs on ICU's Gregorian calendar opened
 * with the explicit zone "UTC" and locale "en_US_POSIX", with ISO 8601 week
 * rules set by hand (Monday first, 4 minimal days), so neither the machine's
 * zone nor its locale can change a result.
 *
 * Accepted by sx_date_parse: YYYY-MM-DD, YYYY-MM-DDThh:mm, YYYY-MM-DDThh:mm:ss
 * (seconds ignored), years 1000..9999.  Everything else is refused with a
 * reason: "yesterday", "2017-13-45", "", "2017-7-7", trailing text.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>

#include "sx_int.h"

static int sx__is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int sx__days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && sx__is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n digits at s; -1 if any is not a digit. */
static int sx__digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

sx_status sx_date_parse(const char *s, sx_date *out, char *err, size_t errlen)
{
    sx_date d;
    memset(&d, 0, sizeof d);
    const char *why = NULL;
    size_t n = s ? strlen(s) : 0;
    if (n == 0) why = "empty date";
    else if (n < 10 || s[4] != '-' || s[7] != '-') why = "expected YYYY-MM-DD";
    else {
        d.year = sx__digits(s, 4);
        d.month = sx__digits(s + 5, 2);
        d.day = sx__digits(s + 8, 2);
        if (d.year < 1000 || d.month < 0 || d.day < 0) why = "expected YYYY-MM-DD";
        else if (d.month < 1 || d.month > 12) why = "month out of range";
        else if (d.day < 1 || d.day > sx__days_in_month(d.year, d.month)) why = "day out of range";
        else if (n > 10) {
            if ((s[10] != 'T' && s[10] != ' ') || (n != 16 && n != 19) || s[13] != ':' ||
                (n == 19 && s[16] != ':'))
                why = "expected YYYY-MM-DDThh:mm";
            else {
                d.hour = sx__digits(s + 11, 2);
                d.minute = sx__digits(s + 14, 2);
                int sec = n == 19 ? sx__digits(s + 17, 2) : 0;
                if (d.hour < 0 || d.minute < 0 || sec < 0) why = "expected YYYY-MM-DDThh:mm";
                else if (d.hour > 23 || d.minute > 59 || sec > 59) why = "time out of range";
                else d.has_time = 1;
            }
        }
    }
    if (why) {
        if (err && errlen) snprintf(err, errlen, "'%s' is not an ISO 8601 date (%s)", s ? s : "", why);
        return SX_EDATE;
    }
    *out = d;
    return SX_OK;
}

void sx_date_format(const sx_date *d, char *buf, size_t buflen)
{
    if (d->has_time)
        snprintf(buf, buflen, "%04d-%02d-%02dT%02d:%02d", d->year, d->month, d->day, d->hour,
                 d->minute);
    else snprintf(buf, buflen, "%04d-%02d-%02d", d->year, d->month, d->day);
}

/* A UTC Gregorian calendar with ISO week rules, set to y/m/d noon.  Opening
 * a calendar (zone lookup, locale data) costs far more than the arithmetic,
 * so each thread opens one once and keeps it: it is a cache, not state
 * any result depends on (ucal_clear resets it on every use).  A key
 * destructor closes it when its thread ends. */
static _Thread_local UCalendar *sx__cal;
static pthread_key_t sx__cal_key;
static pthread_once_t sx__cal_once = PTHREAD_ONCE_INIT;
static int sx__cal_key_ok;

static void sx__cal_close(void *c)
{
    ucal_close(c);
    sx__cal = NULL;
}

static void sx__cal_key_init(void) { sx__cal_key_ok = pthread_key_create(&sx__cal_key, sx__cal_close) == 0; }

static UCalendar *sx__cal_open(int y, int m, int d)
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode e = U_ZERO_ERROR;
    if (!sx__cal) {
        sx__cal = ucal_open(utc, 3, "en_US_POSIX", UCAL_GREGORIAN, &e);
        if (U_FAILURE(e)) {
            sx__cal = NULL;
            return NULL;
        }
        ucal_setAttribute(sx__cal, UCAL_FIRST_DAY_OF_WEEK, UCAL_MONDAY);
        ucal_setAttribute(sx__cal, UCAL_MINIMAL_DAYS_IN_FIRST_WEEK, 4);
        ucal_setAttribute(sx__cal, UCAL_LENIENT, 1);
        pthread_once(&sx__cal_once, sx__cal_key_init);
        if (sx__cal_key_ok) pthread_setspecific(sx__cal_key, sx__cal);
    }
    ucal_clear(sx__cal);
    ucal_setDateTime(sx__cal, y, m - 1, d, 12, 0, 0, &e);
    return U_SUCCESS(e) ? sx__cal : NULL;
}

static int sx__cal_read(UCalendar *c, int *y, int *m, int *d)
{
    UErrorCode e = U_ZERO_ERROR;
    *y = ucal_get(c, UCAL_EXTENDED_YEAR, &e);
    *m = ucal_get(c, UCAL_MONTH, &e) + 1;
    *d = ucal_get(c, UCAL_DATE, &e);
    return U_SUCCESS(e);
}

int sx__weekday(int y, int m, int d)
{
    /* Sakamoto's method: a pure function, cheaper than a calendar object,
     * and used in the per-token path; checked against ucal in the tests. */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7; /* 0 = Sunday */
    return w == 0 ? 7 : w;
}

/* The answers of sx__date_add, memoized per thread: a news article asks for
 * the same few days over and over ("the next day" of the same dates, the
 * ends of intervals), and a ucal set/add/get round trip costs far more than
 * a lookup.  Direct-mapped; a collision only costs the ICU call. */
typedef struct sx__addmemo {
    int y, m, d, field, n; /* the question; field 0 marks an empty slot */
    int ry, rm, rd, ok;    /* the answer */
} sx__addmemo;
static _Thread_local sx__addmemo sx__addmemo_tab[256];

int sx__date_add(int *y, int *m, int *d, int field, int n)
{
    uint32_t h = (uint32_t)*y * 373u + (uint32_t)*m * 31u + (uint32_t)*d;
    h = h * 2654435761u ^ ((uint32_t)field * 97u + (uint32_t)n * 40503u);
    sx__addmemo *q = &sx__addmemo_tab[(h >> 8) & 255u];
    if (q->field == field + 1 && q->y == *y && q->m == *m && q->d == *d && q->n == n) {
        if (q->ok) *y = q->ry, *m = q->rm, *d = q->rd;
        return q->ok;
    }
    sx__addmemo a = {*y, *m, *d, field + 1, n, 0, 0, 0, 0};
    UCalendar *c = sx__cal_open(*y, *m, *d);
    if (!c) return 0;
    UErrorCode e = U_ZERO_ERROR;
    ucal_add(c, (UCalendarDateFields)field, n, &e);
    a.ok = U_SUCCESS(e) && sx__cal_read(c, y, m, d);
    a.ry = *y, a.rm = *m, a.rd = *d;
    *q = a;
    return a.ok;
}

int sx__iso_week(int y, int m, int d, int *wyear, int *week)
{
    UCalendar *c = sx__cal_open(y, m, d);
    if (!c) return 0;
    UErrorCode e = U_ZERO_ERROR;
    *wyear = ucal_get(c, UCAL_YEAR_WOY, &e);
    *week = ucal_get(c, UCAL_WEEK_OF_YEAR, &e);
    return U_SUCCESS(e);
}

int sx__iso_week_monday(int wyear, int week, int *y, int *m, int *d)
{
    /* 4 January is always in ISO week 1. */
    int yy = wyear, mm = 1, dd = 4;
    int wd = sx__weekday(yy, mm, dd);
    if (!sx__date_add(&yy, &mm, &dd, UCAL_DATE, -(wd - 1) + 7 * (week - 1))) return 0;
    *y = yy, *m = mm, *d = dd;
    return 1;
}

/* ---- intervals of TIMEX3 values ---- */

/* "YYYY-MM-DD" by hand: snprintf here was a twentieth of extraction time
 * (bench/README.md).  Years outside 0..9999 take the snprintf path. */
void sx__fmt_day(char *buf, size_t cap, int y, int m, int d)
{
    if (cap < 11 || y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99) {
        if (snprintf(buf, cap, "%04d-%02d-%02d", y, m, d) >= (int)cap && cap) buf[cap - 1] = '\0';
        return;
    }
    buf[0] = (char)('0' + y / 1000), buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10), buf[4] = '-';
    buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10), buf[7] = '-';
    buf[8] = (char)('0' + d / 10), buf[9] = (char)('0' + d % 10), buf[10] = '\0';
}

void sx__value_interval(const char *v, char *begin, size_t bcap, char *end, size_t ecap)
{
    begin[0] = end[0] = '\0';
    size_t n = strlen(v);
    if (n < 4) return;
    int y = sx__digits(v, 4);
    if (y < 0) {
        /* decade "199X" or century "19XX" */
        int c3 = sx__digits(v, 3), c2 = sx__digits(v, 2);
        if (c3 >= 0 && v[3] == 'X' && n == 4) {
            sx__fmt_day(begin, bcap, c3 * 10, 1, 1);
            sx__fmt_day(end, ecap, c3 * 10 + 10, 1, 1);
        } else if (c2 >= 0 && v[2] == 'X' && v[3] == 'X' && n == 4) {
            sx__fmt_day(begin, bcap, c2 * 100, 1, 1);
            sx__fmt_day(end, ecap, c2 * 100 + 100, 1, 1);
        }
        return;
    }
    if (n == 4) {
        sx__fmt_day(begin, bcap, y, 1, 1);
        sx__fmt_day(end, ecap, y + 1, 1, 1);
        return;
    }
    if (v[4] != '-') return;
    const char *r = v + 5;
    int a = sx__digits(r, 2);
    if (r[0] == 'W' && sx__digits(r + 1, 2) >= 0) {
        int wk = sx__digits(r + 1, 2), yy, mm, dd;
        if (!sx__iso_week_monday(y, wk, &yy, &mm, &dd)) return;
        if (r[3] == '-' && r[4] == 'W' && r[5] == 'E') { /* weekend */
            sx__date_add(&yy, &mm, &dd, UCAL_DATE, 5);
            sx__fmt_day(begin, bcap, yy, mm, dd);
            sx__date_add(&yy, &mm, &dd, UCAL_DATE, 2);
        } else {
            sx__fmt_day(begin, bcap, yy, mm, dd);
            sx__date_add(&yy, &mm, &dd, UCAL_DATE, 7);
        }
        sx__fmt_day(end, ecap, yy, mm, dd);
        return;
    }
    if (r[0] == 'Q' && r[1] >= '1' && r[1] <= '4') {
        int q = r[1] - '0';
        sx__fmt_day(begin, bcap, y, 3 * q - 2, 1);
        if (q == 4) sx__fmt_day(end, ecap, y + 1, 1, 1);
        else sx__fmt_day(end, ecap, y, 3 * q + 1, 1);
        return;
    }
    if (r[0] == 'H' && (r[1] == '1' || r[1] == '2')) {
        int h = r[1] - '0';
        sx__fmt_day(begin, bcap, y, h == 1 ? 1 : 7, 1);
        if (h == 2) sx__fmt_day(end, ecap, y + 1, 1, 1);
        else sx__fmt_day(end, ecap, y, 7, 1);
        return;
    }
    /* seasons: SP, SU, FA, WI (meteorological, northern hemisphere) */
    static const struct { const char *code; int m0, months; } seasons[] = {
        {"SP", 3, 3}, {"SU", 6, 3}, {"FA", 9, 3}, {"WI", 12, 3}};
    for (size_t i = 0; i < sizeof seasons / sizeof seasons[0]; i++) {
        if (strncmp(r, seasons[i].code, 2) == 0 && r[2] == '\0') {
            int yy = y, mm = seasons[i].m0, dd = 1;
            sx__fmt_day(begin, bcap, yy, mm, dd);
            sx__date_add(&yy, &mm, &dd, UCAL_MONTH, seasons[i].months);
            sx__fmt_day(end, ecap, yy, mm, dd);
            return;
        }
    }
    if (a < 1 || a > 12) return;
    if (r[2] == '\0') {
        sx__fmt_day(begin, bcap, y, a, 1);
        if (a == 12) sx__fmt_day(end, ecap, y + 1, 1, 1);
        else sx__fmt_day(end, ecap, y, a + 1, 1);
        return;
    }
    if (r[2] != '-') return;
    int dd = sx__digits(r + 3, 2);
    if (dd < 1 || dd > sx__days_in_month(y, a)) return;
    int yy = y, mm = a, d2 = dd;
    if (r[5] == 'T' && sx__digits(r + 6, 2) >= 0 && r[8] == ':' && sx__digits(r + 9, 2) >= 0) {
        /* a clock time: the minute it names */
        snprintf(begin, bcap, "%04d-%02d-%02dT%.5s", y, a, dd, r + 6);
        snprintf(end, ecap, "%04d-%02d-%02dT%.5s:59", y, a, dd, r + 6);
        return;
    }
    sx__fmt_day(begin, bcap, yy, mm, d2);
    sx__date_add(&yy, &mm, &d2, UCAL_DATE, 1);
    sx__fmt_day(end, ecap, yy, mm, d2);
}

int sx__zone_offset(const char *zone_id, int y, int m, int d, int hh, int mi, char *buf, size_t cap)
{
    /* ICU's time-zone data, DST included, for the moment named */
    UChar zid[64];
    int32_t zl = 0;
    for (; zone_id[zl] && zl < 63; zl++) zid[zl] = (UChar)zone_id[zl];
    zid[zl] = 0;
    UErrorCode e = U_ZERO_ERROR;
    UCalendar *c = ucal_open(zid, zl, "en_US_POSIX", UCAL_GREGORIAN, &e);
    if (U_FAILURE(e)) return 0;
    ucal_clear(c);
    ucal_setDateTime(c, y, m - 1, d, hh, mi, 0, &e);
    int32_t off = ucal_get(c, UCAL_ZONE_OFFSET, &e) + ucal_get(c, UCAL_DST_OFFSET, &e);
    ucal_close(c);
    if (U_FAILURE(e)) return 0;
    int mins = off / 60000, a = mins < 0 ? -mins : mins;
    if (mins == 0) snprintf(buf, cap, "Z");
    else snprintf(buf, cap, "%c%02d:%02d", mins < 0 ? '-' : '+', a / 60, a % 60);
    return 1;
}
