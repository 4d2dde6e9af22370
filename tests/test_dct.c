/*
 * test_dct.c -- the article's own date: found, inferred, or reported missing.
 *
 *  - a table (tests/data/dct_cases.tsv) of headers, bylines, datelines,
 *    readout headlines, gazetteer inferences and body dates, with
 *    rejections (a date in a quotation, a time alone, a future date, a city
 *    that hosted several summits);
 *  - the seed article without --dct is dated 2017-07-07 from the G20
 *    Hamburg summit and "Friday", and its timeline equals the one made with
 *    --dct 2017-07-07;
 *  - a --dct that the text contradicts wins, with a warning;
 *  - data/gatherings.tsv is consistent: valid dates, start <= end, known
 *    series, cities that data/places.tsv knows.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "extractor.h"
#include "timeline.h"

/* "\n" in a table cell is a line break */
Test(dct, table)
{
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir);
    char path[1024], line[4096];
    snprintf(path, sizeof path, "%s/dct_cases.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    int rows = 0, lineno = 0;
    while (case_next(f, line, sizeof line, &lineno)) {
        char *fd[4];
        cr_assert_eq(case_split(line, fd, 4), 3, "%s:%d", path, lineno);
        case_unescape(fd[0]);
        rows++;
        sx_doc doc;
        sx_doc_init(&doc);
        cr_assert_eq(sx_extract(&doc, "case", fd[0], strlen(fd[0]), NULL), SX_OK);
        char got[32] = "-";
        if (doc.has_dct) sx_date_format(&doc.dct, got, sizeof got);
        cr_expect_str_eq(got, fd[1], "%s:%d: \"%s\"", path, lineno, fd[0]);
        cr_expect_str_eq(doc.dct_source, fd[2], "%s:%d: source of \"%s\" (%s)", path, lineno, fd[0], doc.dct_note);
        if (doc.has_dct) cr_expect(doc.dct_confidence > 0 && doc.dct_confidence < 1, "%s:%d", path, lineno);
        sx_doc_free(&doc);
    }
    fclose(f);
    cr_assert_geq(rows, 10);
}

static char *slurp(const char *name, size_t *len)
{
    const char *dir = getenv("SUMMIT_FIXTURES");
    cr_assert(dir);
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *buf = NULL;
    cr_assert_eq(sx_read_file(path, 0, &buf, len, err, sizeof err), SX_OK, "%s", err);
    return buf;
}

/* Timeline of one document: chronology (without the line saying how the
 * document was dated) and the CSV export. */
static void timeline_of(const sx_doc *doc, char **chron, char **csv)
{
    tl_db db;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, ":memory:", TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&db));
    cr_assert_eq(tl_ingest(&db, doc, NULL), TL_OK, "%s", tl_db_errmsg(&db));
    size_t n;
    FILE *f = open_memstream(chron, &n);
    cr_assert_eq(tl_chronology(&db, f), TL_OK);
    fclose(f);
    f = open_memstream(csv, &n);
    cr_assert_eq(tl_export(&db, TL_FORMAT_CSV, f), TL_OK);
    fclose(f);
    tl_db_close(&db);
    char *dated = strstr(*chron, ": dated ");
    cr_assert(dated, "%s", *chron);
    char *eol = strchr(dated, '\n');
    memmove(dated, eol, strlen(eol) + 1);
}

Test(dct, seed_dated_by_gazetteer_and_same_timeline)
{
    size_t len;
    char *text = slurp("hill-2017-07-07-trump-putin.txt", &len);
    sx_doc inferred, given;
    sx_doc_init(&inferred);
    sx_doc_init(&given);
    cr_assert_eq(sx_extract(&inferred, "seed", text, len, NULL), SX_OK);
    cr_assert(inferred.has_dct);
    char d[32];
    sx_date_format(&inferred.dct, d, sizeof d);
    cr_expect_str_eq(d, "2017-07-07");
    cr_expect_str_eq(inferred.dct_source, "gazetteer");
    cr_expect(strstr(inferred.dct_note, "G20 Hamburg summit 2017-07-07..08") && strstr(inferred.dct_note, "Friday"),
              "note: %s", inferred.dct_note);
    sx_date dct;
    cr_assert_eq(sx_date_parse("2017-07-07", &dct, NULL, 0), SX_OK);
    sx_options o = {&dct, 0};
    cr_assert_eq(sx_extract(&given, "seed", text, len, &o), SX_OK);
    cr_expect_eq(given.n_warnings, 0, "the given date agrees with the text");
    char *c1, *c2, *x1, *x2;
    timeline_of(&inferred, &c1, &x1);
    timeline_of(&given, &c2, &x2);
    cr_expect_str_eq(c1, c2);
    cr_expect_str_eq(x1, x2);
    free(c1), free(c2), free(x1), free(x2);
    sx_doc_free(&inferred);
    sx_doc_free(&given);
    free(text);
}

Test(dct, given_date_wins_with_a_warning)
{
    size_t len;
    char *text = slurp("hill-2017-07-07-trump-putin.txt", &len);
    sx_date dct;
    cr_assert_eq(sx_date_parse("2017-07-10", &dct, NULL, 0), SX_OK);
    sx_options o = {&dct, 0};
    sx_doc doc;
    sx_doc_init(&doc);
    cr_assert_eq(sx_extract(&doc, "seed", text, len, &o), SX_OK);
    char d[32];
    sx_date_format(&doc.dct, d, sizeof d);
    cr_expect_str_eq(d, "2017-07-10");
    cr_expect_str_eq(doc.dct_source, "flag");
    int warned = 0;
    for (size_t i = 0; i < doc.n_warnings; i++) warned |= strstr(doc.warnings[i], "2017-07-07") != NULL;
    cr_expect(warned, "a warning names the date the text gives");
    sx_doc_free(&doc);
    free(text);
}

/* Names of places.tsv (first column and aliases), for the city check. */
static int place_known(const char *places, const char *city)
{
    size_t n = strlen(city);
    for (const char *p = places; (p = strstr(p, city)); p++) {
        int start_ok = p == places || p[-1] == '\n' || p[-1] == '|' || p[-1] == '\t';
        int end_ok = p[n] == '\t' || p[n] == '|' || p[n] == '\n' || p[n] == '\0';
        if (start_ok && end_ok) return 1;
    }
    return 0;
}

Test(dct, gatherings_gazetteer_is_consistent)
{
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir);
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/../../extractor/data/places.tsv", dir);
    char *places = NULL;
    size_t plen;
    cr_assert_eq(sx_read_file(path, 0, &places, &plen, err, sizeof err), SX_OK, "%s", err);
    snprintf(path, sizeof path, "%s/../../extractor/data/gatherings.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    static const char *const series[] = {"G7", "G20", "NATO", "APEC", "BRICS", "SCO", "ASEAN", "EAS",
                                         "EUCO", "UNGA", "BILATERAL", "OTHER", NULL};
    char line[2048];
    int rows = 0, lineno = 0, unknown_city = 0;
    while (case_next(f, line, sizeof line, &lineno)) {
        char *fd[8];
        int n = case_split(line, fd, 8);
        cr_assert_eq(n, 7, "%s:%d: 7 fields", path, lineno);
        rows++;
        int ok = 0;
        for (int k = 0; series[k]; k++) ok |= !strcmp(fd[0], series[k]);
        cr_expect(ok, "%s:%d: unknown series %s", path, lineno, fd[0]);
        sx_date a, b;
        cr_expect_eq(sx_date_parse(fd[4], &a, NULL, 0), SX_OK, "%s:%d: start %s", path, lineno, fd[4]);
        cr_expect_eq(sx_date_parse(fd[5], &b, NULL, 0), SX_OK, "%s:%d: end %s", path, lineno, fd[5]);
        cr_expect(strcmp(fd[4], fd[5]) <= 0, "%s:%d: start after end", path, lineno);
        cr_expect(strlen(fd[3]) == 3 && fd[3][0] >= 'A' && fd[3][0] <= 'Z', "%s:%d: country %s", path, lineno, fd[3]);
        if (!place_known(places, fd[2])) {
            unknown_city++;
            cr_expect(0, "%s:%d: city '%s' is not in places.tsv", path, lineno, fd[2]);
        }
    }
    fclose(f);
    free(places);
    cr_expect_geq(rows, 400, "the gazetteer covers 1975 to today");
    cr_expect_eq(unknown_city, 0);
}
