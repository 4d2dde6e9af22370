/*
 * fuzz_dct.c -- libFuzzer target: the --dct date parser (sx_date_parse) on
 * arbitrary strings.
 *
 * The input is copied into an exact-size NUL-terminated heap buffer (so an
 * embedded NUL ends the string, as it would on a command line) and parsed
 * three ways: with a roomy error buffer, with an exact-size heap error buffer
 * of 0..15 bytes (ASan sees any write past it), and with no error buffer.
 *
 * Properties (abort() on a violation):
 *   - the three calls agree, and a refusal leaves *out untouched;
 *   - a refusal says "'<input>' is not an ISO 8601 date (<reason>)", and a
 *     truncated message is still NUL-terminated;
 *   - an accepted date has year 1000..9999, month 1..12, a day that exists
 *     in that month, and hour 0..23 / minute 0..59 when has_time (both 0
 *     otherwise);
 *   - sx_date_format of it gives back the input's prefix: "YYYY-MM-DD", or
 *     "YYYY-MM-DDThh:mm" for a timed one (the input may separate date and
 *     time with 'T' or ' ', and may carry ":ss"), and parsing that gives the
 *     same date;
 *   - an independent reading of the documented grammar (YYYY-MM-DD,
 *     YYYY-MM-DD[T ]hh:mm, YYYY-MM-DD[T ]hh:mm:ss, calendar-checked)
 *     accepts exactly what sx_date_parse accepts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_dct: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* n digits at s as a number, or -1. */
static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + s[i] - '0';
    }
    return v;
}

/* The reference reading: 1 when s is a date of the documented grammar. */
static int reference_accepts(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 16 && n != 19) return 0;
    if (s[4] != '-' || s[7] != '-') return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in(y, m)) return 0;
    if (n == 10) return 1;
    if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':') return 0;
    int h = num(s + 11, 2), mi = num(s + 14, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return 0;
    if (n == 16) return 1;
    int sec = num(s + 17, 2);
    return s[16] == ':' && sec >= 0 && sec <= 59;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0; /* a date is short; longer inputs only cost time */
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t slen = strlen(s);

    static const sx_date poison = {-7, -7, -7, -7, -7, -7};
    sx_date d = poison, d2 = poison, d3 = poison;
    char err[8192];
    memset(err, 'x', sizeof err);
    sx_status st = sx_date_parse(s, &d, err, sizeof err);
    CHECK(st == SX_OK || st == SX_EDATE);

    /* An exact-size error buffer of 0..15 bytes. */
    size_t small = size ? data[size - 1] % 16u : 0;
    char *tiny = small ? malloc(small) : NULL;
    if (small && !tiny) {
        free(s);
        return 0;
    }
    sx_status st2 = sx_date_parse(s, &d2, tiny, small);
    sx_status st3 = sx_date_parse(s, &d3, NULL, 0);
    CHECK(st2 == st && st3 == st);
    CHECK(reference_accepts(s) == (st == SX_OK));

    if (st != SX_OK) {
        CHECK(memcmp(&d, &poison, sizeof d) == 0 && memcmp(&d2, &poison, sizeof d2) == 0);
        CHECK(memchr(err, '\0', sizeof err) != NULL);
        CHECK(err[0] == '\'');
        CHECK(strncmp(err + 1, s, slen) == 0);
        CHECK(strncmp(err + 1 + slen, "' is not an ISO 8601 date (", 27) == 0);
        CHECK(err[strlen(err) - 1] == ')');
        if (small) {
            CHECK(memchr(tiny, '\0', small) != NULL);
            CHECK(strncmp(tiny, err, small - 1) == 0);
        }
    } else {
        CHECK(memcmp(&d, &d2, sizeof d) == 0 && memcmp(&d, &d3, sizeof d) == 0);
        CHECK(d.year >= 1000 && d.year <= 9999);
        CHECK(d.month >= 1 && d.month <= 12);
        CHECK(d.day >= 1 && d.day <= days_in(d.year, d.month));
        CHECK(d.has_time == 0 || d.has_time == 1);
        if (d.has_time)
            CHECK(d.hour >= 0 && d.hour <= 23 && d.minute >= 0 && d.minute <= 59);
        else
            CHECK(d.hour == 0 && d.minute == 0);

        char buf[32];
        memset(buf, 'x', sizeof buf);
        sx_date_format(&d, buf, sizeof buf);
        size_t blen = strlen(buf);
        CHECK(blen == (d.has_time ? 16u : 10u));
        CHECK(slen >= blen);
        CHECK(memcmp(buf, s, 10) == 0);
        if (d.has_time) {
            CHECK(buf[10] == 'T' && (s[10] == 'T' || s[10] == ' '));
            CHECK(memcmp(buf + 11, s + 11, 5) == 0);
        }
        sx_date back = poison;
        CHECK(sx_date_parse(buf, &back, NULL, 0) == SX_OK);
        CHECK(memcmp(&back, &d, sizeof d) == 0);

        /* A short format buffer truncates but stays terminated. */
        char shortbuf[11];
        sx_date_format(&d, shortbuf, sizeof shortbuf);
        CHECK(memcmp(shortbuf, buf, 10) == 0 && shortbuf[10] == '\0');
    }
    free(tiny);
    free(s);
    return 0;
}
