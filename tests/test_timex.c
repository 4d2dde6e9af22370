/*
 * test_timex.c -- the time expression table (tests/data/timex_cases.tsv).
 *
 * Each row is a news sentence, a document date, and the expression it must
 * yield with its TIMEX3 type, value and mod -- or "-" for sentences that must
 * yield no time expression at all ("May I ask", "Resolution 2254").  The
 * table is plain text so that anyone can add a case without touching C.
 * Every failing row is printed; the test fails if any row fails.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "extractor.h"

Test(timex, table)
{
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir, "SUMMIT_TESTDATA is not set (ctest sets it)");
    char path[1024];
    snprintf(path, sizeof path, "%s/timex_cases.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[2048];
    int rows = 0, rejections = 0, failed = 0, lineno = 0;
    while (case_next(f, line, sizeof line, &lineno)) {
        char *fd[8];
        int n = case_split(line, fd, 8);
        cr_assert(n == 3 || n == 6, "%s:%d: expected 3 or 6 fields, got %d", path, lineno, n);
        rows++;
        sx_date dct;
        int has_dct = strcmp(fd[1], "-") != 0;
        if (has_dct) cr_assert_eq(sx_date_parse(fd[1], &dct, NULL, 0), SX_OK, "%s:%d: bad dct", path, lineno);
        sx_doc doc;
        sx_doc_init(&doc);
        sx_options o = {has_dct ? &dct : NULL, 0};
        cr_assert_eq(sx_extract(&doc, "case", fd[0], strlen(fd[0]), &o), SX_OK, "%s:%d", path, lineno);
        if (!strcmp(fd[2], "-")) {
            rejections++;
            if (doc.n_timexes) {
                failed++;
                cr_expect(0, "%s:%d: \"%s\" must yield nothing, got \"%s\" %s", path, lineno, fd[0],
                          doc.timexes[0].text, doc.timexes[0].value);
            }
        } else {
            const sx_timex *hit = NULL;
            for (size_t i = 0; i < doc.n_timexes && !hit; i++)
                if (!strcmp(doc.timexes[i].text, fd[2])) hit = &doc.timexes[i];
            const char *want_mod = strcmp(fd[5], "-") ? fd[5] : "";
            if (!hit) {
                failed++;
                char got[512] = "";
                size_t gl = 0;
                for (size_t i = 0; i < doc.n_timexes && gl < sizeof got; i++)
                    gl += (size_t)snprintf(got + gl, sizeof got - gl, " [%s]=%s", doc.timexes[i].text, doc.timexes[i].value);
                cr_expect(0, "%s:%d: \"%s\": no expression \"%s\"; got%s", path, lineno, fd[0], fd[2], got);
            } else if (strcmp(sx_timex_type_str(hit->type), fd[3]) || strcmp(hit->value, fd[4]) ||
                       strcmp(hit->mod, want_mod)) {
                failed++;
                cr_expect(0, "%s:%d: \"%s\": want %s %s %s, got %s %s %s", path, lineno, fd[2], fd[3], fd[4],
                          want_mod, sx_timex_type_str(hit->type), hit->value, hit->mod);
            }
        }
        sx_doc_free(&doc);
    }
    fclose(f);
    printf("timex table: %d cases (%d rejections), %d failed\n", rows, rejections, failed);
    cr_assert_gt(rows, 100);
}

/* A stated zone stays beside the value as a UTC offset; named zones take
 * their offset on that day from ICU's time-zone data (DST included). */
Test(timex, zones_beside_the_value)
{
    static const struct { const char *text, *dct, *span, *value, *tz; } cases[] = {
        {"The ceasefire takes effect at 10 a.m. Moscow time.", "2015-02-13", "10 a.m. Moscow time", "2015-02-13T10:00", "+03:00"},
        {"The vote closes at 9 p.m. Eastern time.", "2016-11-08", "9 p.m. Eastern time", "2016-11-08T21:00", "-05:00"},
        {"The talks resume at 9 p.m. Eastern time.", "2016-07-08", "9 p.m. Eastern time", "2016-07-08T21:00", "-04:00"},
        {"The briefing started at 3:32 P.M. EDT.", "2008-07-01", "3:32 P.M.", "2008-07-01T15:32", "-04:00"},
        {"The vote closes at 14:00 GMT.", "2017-07-07", "14:00", "2017-07-07T14:00", "Z"},
        {"The talks began at 10 a.m. local time.", "2017-07-07", "10 a.m. local time", "2017-07-07T10:00", ""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sx_date dct;
        cr_assert_eq(sx_date_parse(cases[k].dct, &dct, NULL, 0), SX_OK);
        sx_doc doc;
        sx_doc_init(&doc);
        sx_options o = {&dct, 0};
        cr_assert_eq(sx_extract(&doc, "case", cases[k].text, strlen(cases[k].text), &o), SX_OK);
        const sx_timex *hit = NULL;
        for (size_t i = 0; i < doc.n_timexes && !hit; i++)
            if (!strcmp(doc.timexes[i].text, cases[k].span)) hit = &doc.timexes[i];
        cr_expect(hit != NULL, "\"%s\": no \"%s\"", cases[k].text, cases[k].span);
        if (hit) {
            cr_expect_str_eq(hit->value, cases[k].value, "%s", cases[k].text);
            cr_expect_str_eq(hit->tz, cases[k].tz, "%s", cases[k].text);
        }
        sx_doc_free(&doc);
    }
}
