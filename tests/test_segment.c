/*
 * test_segment.c -- Criterion tests holding the extractor's fast word
 * splitter (extractor/segment.c) equal to ICU's word break iterator.
 *
 * The fast path splits lines of ASCII and a few typographic marks by the
 * Unicode word-break rules itself; every other line goes to ICU.  These
 * tests split the same text both ways (sx__word_split with icu_only 0 and
 * 1) and require the same words, at the same offsets, with the same ICU
 * rule status (number, letter, none).  White space runs may be cut
 * differently (ICU splits "\t" from "  "); the extractor only reads them as
 * "space before the next token", so runs are merged before comparing.
 *
 *   fixtures   every article in fixtures/ and every text in tests/data/;
 *   random     a million (300,000 under sanitizers would do as well, but
 *              the count is fixed so runs are comparable) strings of 1 to
 *              16 characters drawn from every class the fast path knows,
 *              from a fixed-seed generator;
 *   cases      a table of words whose splitting is easy to get wrong
 *              ("1,000.5", "U.S.", "can’t", "1__", "a:b", "x@y").
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>

#include "sx_int.h"

static int is_space(UChar c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Segments of u[0..n) one way, white space runs merged: ends[] and
 * statuses (-1 for a white space run).  Returns the count. */
static int32_t split(const UChar *u, int32_t n, int icu_only, int32_t *ends, int32_t *st, int32_t max)
{
    int32_t *e = malloc((size_t)max * sizeof *e), *s = malloc((size_t)max * sizeof *s);
    cr_assert(e && s);
    int32_t k = sx__word_split(u, n, icu_only, e, s, max);
    cr_assert(k >= 0, "sx__word_split failed (ICU data missing?)");
    int32_t m = 0, p = 0;
    for (int32_t i = 0; i < k; i++) {
        int sp = is_space(u[p]);
        if (sp && m > 0 && st[m - 1] == -1) ends[m - 1] = e[i];
        else {
            ends[m] = e[i];
            st[m++] = sp ? -1 : s[i];
        }
        p = e[i];
    }
    free(e), free(s);
    return m;
}

/* Requires both ways to agree on u[0..n); what names the text in a failure. */
static void same_both_ways(const UChar *u, int32_t n, const char *what)
{
    int32_t max = n + 1;
    int32_t *e1 = malloc((size_t)max * sizeof *e1), *s1 = malloc((size_t)max * sizeof *s1);
    int32_t *e2 = malloc((size_t)max * sizeof *e2), *s2 = malloc((size_t)max * sizeof *s2);
    cr_assert(e1 && s1 && e2 && s2);
    int32_t m1 = split(u, n, 0, e1, s1, max), m2 = split(u, n, 1, e2, s2, max);
    int32_t i = 0;
    while (i < m1 && i < m2 && e1[i] == e2[i] && s1[i] == s2[i]) i++;
    if (i < m1 || i < m2) {
        int32_t at = i > 0 ? e1[i - 1] : 0, len = n - at < 24 ? n - at : 24;
        char near[128];
        int32_t nl = 0;
        UErrorCode ec = U_ZERO_ERROR;
        u_strToUTF8(near, sizeof near - 1, &nl, u + at, len, &ec);
        near[U_SUCCESS(ec) ? nl : 0] = '\0';
        cr_assert_fail("%s: the fast path and ICU split differently at unit %d (\"%s\"): fast ends %d status %d, "
                "ICU ends %d status %d",
                what, at, near, i < m1 ? e1[i] : -1, i < m1 ? s1[i] : -2, i < m2 ? e2[i] : -1, i < m2 ? s2[i] : -2);
    }
    free(e1), free(s1), free(e2), free(s2);
}

static void same_for_utf8(const char *text, size_t len, const char *what)
{
    UChar *u = malloc((len + 1) * sizeof *u);
    cr_assert(u);
    int32_t n = 0;
    UErrorCode ec = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, text, (int32_t)len, 0xFFFD, NULL, &ec);
    cr_assert(U_SUCCESS(ec), "%s: not convertible", what);
    same_both_ways(u, n, what);
    free(u);
}

/* Every *.txt in dir; returns how many were checked. */
static int check_dir(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert(f, "cannot open %s", path);
        char *buf = NULL;
        size_t cap = 0, len = 0, got;
        do {
            if (len + 65536 > cap) buf = realloc(buf, cap = len + 65536 * 2);
            cr_assert(buf);
            got = fread(buf + len, 1, cap - len, f);
            len += got;
        } while (got > 0);
        fclose(f);
        same_for_utf8(buf, len, path);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

Test(words, fast_path_equals_icu_on_every_fixture)
{
    const char *fx = getenv("SUMMIT_FIXTURES"), *td = getenv("SUMMIT_TESTDATA");
    cr_assert(fx && td, "SUMMIT_FIXTURES and SUMMIT_TESTDATA must be set (ctest sets them)");
    int n = check_dir(fx) + check_dir(td);
    cr_assert(n >= 20, "only %d texts found", n);
}

Test(words, fast_path_equals_icu_on_random_strings)
{
    /* every class the fast path knows, and some it sends to ICU (é, NBSP) */
    static const UChar alpha[] = {'a', 'B', 'z', '1', '9', '.', ',', ';', ':', '\'', '_', '@', '-', ' ',
                                  '\n', '\t', '\r', '$', '"', '%', '/', '(', '#', '&', 0x2019, 0x2018,
                                  0x201C, 0x201D, 0x2014, 0x2013, 0x2026, 0x00E9, 0x00A0};
    const size_t na = sizeof alpha / sizeof alpha[0];
    uint64_t x = 0x5eed;
    UChar u[16];
    for (int it = 0; it < 1000000; it++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int32_t len = 1 + (int32_t)((x >> 33) % 16);
        for (int32_t i = 0; i < len; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            u[i] = alpha[(x >> 33) % na];
        }
        same_both_ways(u, len, "random string");
    }
}

Test(words, hard_cases_split_as_icu_does)
{
    static const char *const cases[] = {
        "1,000.5 people", "the U.S. and U.N.", "don't can’t won‘t", "G20 P5 3:32 p.m.", "1__ 1_ _1 __ _",
        "a:b 1:2 x@y @1 1@", "a.1 1.a a'1 1'1 1,a 1;2", "e.g. i.e. I.B.M.", "“Quote” — dash – dash…",
        "Putin's 5's U.S.’s", "2017-07-07T10:00", "line one\r\nline two\n\nthree", "café naïve Zürich"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) same_for_utf8(cases[i], strlen(cases[i]), cases[i]);
}
