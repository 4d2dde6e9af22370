/*
 * test_events.c -- actors and events of short texts (tests/data/event_cases.tsv).
 *
 * One row per expectation: an actor that must be recognized, an event that
 * must exist with its date, core participants, place, duration, planned
 * duration and status, or a count of events of a type.  Every failing row
 * is printed; the test fails if any row fails.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "extractor.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Core participants joined with "; " in alphabetical order. */
static void core_names(const sx_doc *doc, const sx_event *e, char *out, size_t cap)
{
    const char *names[32];
    size_t n = 0;
    for (size_t p = 0; p < e->n_participants && n < 32; p++)
        if (sx_role_is_core(e->participants[p].role)) names[n++] = doc->actors[e->participants[p].actor].name;
    qsort(names, n, sizeof *names, cmp_str);
    size_t l = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && l < cap; i++) l += (size_t)snprintf(out + l, cap - l, "%s%s", i ? "; " : "", names[i]);
}

/* "*" matches anything, "-" matches empty */
static int field_ok(const char *want, const char *got)
{
    if (!strcmp(want, "*")) return 1;
    if (!strcmp(want, "-")) return !got || !*got;
    return got && !strcmp(want, got);
}

Test(events, table)
{
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir);
    char path[1024], line[4096];
    snprintf(path, sizeof path, "%s/event_cases.tsv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    int rows = 0, failed = 0, lineno = 0;
    while (case_next(f, line, sizeof line, &lineno)) {
        char *fd[12];
        int n = case_split(line, fd, 12);
        cr_assert_geq(n, 4, "%s:%d: too few fields", path, lineno);
        case_unescape(fd[0]);
        rows++;
        sx_date dct;
        cr_assert_eq(sx_date_parse(fd[1], &dct, NULL, 0), SX_OK, "%s:%d", path, lineno);
        sx_doc doc;
        sx_doc_init(&doc);
        sx_options o = {&dct, 0};
        cr_assert_eq(sx_extract(&doc, "case", fd[0], strlen(fd[0]), &o), SX_OK, "%s:%d", path, lineno);
        int ok = 0;
        char got[1024] = "";
        size_t gl = 0;
        for (size_t i = 0; i < doc.n_events && gl < sizeof got; i++) {
            char names[512];
            core_names(&doc, &doc.events[i], names, sizeof names);
            gl += (size_t)snprintf(got + gl, sizeof got - gl, " [%s %s %s %s]", doc.events[i].type,
                                   doc.events[i].date[0] ? doc.events[i].date : "-", names, doc.events[i].status);
        }
        if (!strcmp(fd[2], "actor")) {
            cr_assert_eq(n, 6, "%s:%d: actor rows have 6 fields", path, lineno);
            for (size_t i = 0; i < doc.n_actors; i++) {
                const sx_actor *a = &doc.actors[i];
                if (!strcmp(a->name, fd[3]) && !strcmp(sx_actor_kind_str(a->kind), fd[4]) && field_ok(fd[5], a->country))
                    ok = 1;
            }
            if (!ok) {
                gl = 0;
                for (size_t i = 0; i < doc.n_actors && gl < sizeof got; i++)
                    gl += (size_t)snprintf(got + gl, sizeof got - gl, " [%s %s %s]", doc.actors[i].name,
                                           sx_actor_kind_str(doc.actors[i].kind),
                                           doc.actors[i].country ? doc.actors[i].country : "-");
            }
        } else if (!strcmp(fd[2], "count")) {
            cr_assert_eq(n, 5, "%s:%d: count rows have 5 fields", path, lineno);
            int cnt = 0;
            for (size_t i = 0; i < doc.n_events; i++) cnt += !strcmp(fd[3], "*") || !strcmp(doc.events[i].type, fd[3]);
            ok = cnt == (int)strtol(fd[4], NULL, 10);
        } else {
            cr_assert(!strcmp(fd[2], "event") && n == 10, "%s:%d: event rows have 10 fields", path, lineno);
            for (size_t i = 0; i < doc.n_events && !ok; i++) {
                const sx_event *e = &doc.events[i];
                char names[512];
                core_names(&doc, e, names, sizeof names);
                if (strcmp(e->type, fd[3]) || !field_ok(fd[4], e->date) || strcmp(names, fd[5])) continue;
                ok = field_ok(fd[6], e->location) && field_ok(fd[7], e->duration) && field_ok(fd[8], e->planned_duration) &&
                     field_ok(fd[9], e->status);
                if (!ok)
                    snprintf(got, sizeof got, " location=%s duration=%s planned=%s status=%s",
                             e->location ? e->location : "-", e->duration, e->planned_duration, e->status);
            }
        }
        if (!ok) {
            failed++;
            cr_expect(0, "%s:%d: \"%s\": want %s %s %s; got%s", path, lineno, fd[0], fd[2], fd[3], n > 5 ? fd[5] : "", got);
        }
        sx_doc_free(&doc);
    }
    fclose(f);
    printf("event table: %d cases, %d failed\n", rows, failed);
    cr_assert_geq(rows, 30);
}
