/*
 * test_fixtures.c -- accuracy against the hand-made gold in fixtures/.
 *
 * For every fixtures/NAME.txt with a NAME.gold.json, runs the extractor with
 * the gold's DCT and scores it the way the gold files describe:
 *   timexes  relaxed match = spans overlap; a value match also needs the
 *            same TIMEX3 value.  A system timex over an optional gold item
 *            counts neither way; one over no gold item is a false positive.
 *   events   unique (type, date, core participants) tuples; tuples equal to
 *            an optional gold event count neither way.
 * Prints a table per fixture and the totals, then holds them at the
 * thresholds below.  The gold is read with SQLite's JSON functions.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"

/* Thresholds: the seed article (issue #2) and the whole dev set. */
#define SEED_NAME "hill-2017-07-07-trump-putin"
#define SEED_MIN_TIMEX_VALUE_F1 0.90
#define SEED_MIN_EVENT_F1 0.80
#define ALL_MIN_TIMEX_RELAXED_F1 0.95
#define ALL_MIN_TIMEX_VALUE_F1 0.95
#define ALL_MIN_EVENT_F1 0.85

typedef struct counts {
    int tp_rel, tp_val, fp, fn_rel, fn_val; /* timexes */
    int etp, efp, efn;                     /* events */
} counts;

static double f1(int tp, int fp, int fn)
{
    if (tp == 0) return (fp == 0 && fn == 0) ? 1.0 : 0.0;
    double p = (double)tp / (tp + fp), r = (double)tp / (tp + fn);
    return 2 * p * r / (p + r);
}

static char *slurp(const char *path, size_t *len)
{
    char err[256];
    char *buf = NULL;
    if (sx_read_file(path, 0, &buf, len, err, sizeof err) != SX_OK) return NULL;
    return buf;
}

typedef struct gtx { int start, end, optional, used; char value[48]; } gtx;
typedef struct gev { char key[512]; int optional; } gev;

/* Canonical event key: type|date|sorted participant names. */
static void event_key(char *out, size_t cap, const char *type, const char *date, char **names, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    size_t l = (size_t)snprintf(out, cap, "%s|%s|", type, date && *date ? date : "null");
    for (int i = 0; i < n && l < cap; i++) {
        if (i && !strcmp(names[i], names[i - 1])) continue;
        l += (size_t)snprintf(out + l, cap - l, "%s;", names[i]);
    }
}

static int score_one(sqlite3 *db, const char *dir, const char *name, counts *c, FILE *log)
{
    char path[1024], gpath[1024];
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    snprintf(gpath, sizeof gpath, "%s/%s.gold.json", dir, name);
    size_t len, glen;
    char *text = slurp(path, &len), *gold = slurp(gpath, &glen);
    cr_assert(text && gold, "cannot read %s or its gold", path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$.dct')", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, gold, (int)glen, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: gold is not JSON", gpath);
    sx_date dct;
    const unsigned char *dtext = sqlite3_column_text(st, 0);
    int has_dct = dtext && sx_date_parse((const char *)dtext, &dct, NULL, 0) == SX_OK;
    sqlite3_finalize(st);

    sx_doc doc;
    sx_doc_init(&doc);
    sx_options o = {has_dct ? &dct : NULL, 0};
    cr_assert_eq(sx_extract(&doc, path, text, len, &o), SX_OK, "%s", sx_doc_errmsg(&doc));

    /* ---- timexes ---- */
    gtx *g = NULL;
    int ng = 0;
    cr_assert_eq(sqlite3_prepare_v2(db,
                     "SELECT json_extract(value,'$.start'), json_extract(value,'$.end'), "
                     "coalesce(json_extract(value,'$.optional'),0), json_extract(value,'$.value') "
                     "FROM json_each(?1, '$.timexes')", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, gold, (int)glen, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        g = realloc(g, (size_t)(ng + 1) * sizeof *g);
        cr_assert(g);
        g[ng].start = sqlite3_column_int(st, 0);
        g[ng].end = sqlite3_column_int(st, 1);
        g[ng].optional = sqlite3_column_int(st, 2);
        g[ng].used = 0;
        snprintf(g[ng].value, sizeof g[ng].value, "%s", (const char *)sqlite3_column_text(st, 3));
        ng++;
    }
    sqlite3_finalize(st);
    counts k = {0};
    for (size_t i = 0; i < doc.n_timexes; i++) {
        const sx_timex *t = &doc.timexes[i];
        int hit = -1;
        for (int j = 0; j < ng && hit < 0; j++)
            if (!g[j].used && t->start < g[j].end && g[j].start < t->end) hit = j;
        if (hit < 0) {
            k.fp++;
            fprintf(log, "  timex FP  %d-%d \"%s\" %s\n", t->start, t->end, t->text, t->value);
            continue;
        }
        g[hit].used = 1;
        if (g[hit].optional) continue;
        k.tp_rel++;
        if (!strcmp(g[hit].value, t->value)) k.tp_val++;
        else {
            k.fn_val++;
            fprintf(log, "  timex VAL %d-%d \"%s\" got %s want %s\n", t->start, t->end, t->text, t->value, g[hit].value);
        }
    }
    for (int j = 0; j < ng; j++)
        if (!g[j].used && !g[j].optional) {
            k.fn_rel++;
            k.fn_val++;
            fprintf(log, "  timex FN  %d-%d want %s\n", g[j].start, g[j].end, g[j].value);
        }
    free(g);

    /* ---- events ---- */
    gev *ge = NULL;
    int nge = 0;
    cr_assert_eq(sqlite3_prepare_v2(db,
                     "SELECT json_extract(e.value,'$.type'), json_extract(e.value,'$.date'), "
                     "coalesce(json_extract(e.value,'$.optional'),0), "
                     "(SELECT json_group_array(p.value) FROM json_each(e.value,'$.participants') p) "
                     "FROM json_each(?1,'$.events') e", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, gold, (int)glen, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_stmt *ps;
        char *names[16];
        int nn = 0;
        cr_assert_eq(sqlite3_prepare_v2(db, "SELECT value FROM json_each(?1)", -1, &ps, NULL), SQLITE_OK);
        sqlite3_bind_text(ps, 1, (const char *)sqlite3_column_text(st, 3), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(ps) == SQLITE_ROW && nn < 16) names[nn++] = strdup((const char *)sqlite3_column_text(ps, 0));
        sqlite3_finalize(ps);
        ge = realloc(ge, (size_t)(nge + 1) * sizeof *ge);
        cr_assert(ge);
        event_key(ge[nge].key, sizeof ge[nge].key, (const char *)sqlite3_column_text(st, 0),
                  (const char *)sqlite3_column_text(st, 1), names, nn);
        ge[nge].optional = sqlite3_column_int(st, 2);
        for (int i = 0; i < nn; i++) free(names[i]);
        /* a tuple both required and optional is required */
        int dup = 0;
        for (int j = 0; j < nge; j++)
            if (!strcmp(ge[j].key, ge[nge].key)) {
                ge[j].optional &= ge[nge].optional;
                dup = 1;
            }
        if (!dup) nge++;
    }
    sqlite3_finalize(st);
    char (*seen)[512] = calloc(doc.n_events + 1, sizeof *seen);
    int *matched = calloc((size_t)nge + 1, sizeof *matched);
    cr_assert(seen && matched);
    int nseen = 0;
    for (size_t i = 0; i < doc.n_events; i++) {
        const sx_event *e = &doc.events[i];
        char *names[16];
        int nn = 0;
        for (size_t p = 0; p < e->n_participants && nn < 16; p++)
            if (sx_role_is_core(e->participants[p].role)) names[nn++] = doc.actors[e->participants[p].actor].name;
        char key[512];
        event_key(key, sizeof key, e->type, e->date, names, nn);
        int dup = 0;
        for (int j = 0; j < nseen; j++) dup |= !strcmp(seen[j], key);
        if (dup) continue;
        snprintf(seen[nseen++], 512, "%s", key);
        int hit = -1;
        for (int j = 0; j < nge && hit < 0; j++)
            if (!strcmp(ge[j].key, key)) hit = j;
        if (hit < 0) {
            k.efp++;
            fprintf(log, "  event FP  %s\n", key);
        } else if (!ge[hit].optional) {
            k.etp++;
            matched[hit] = 1;
        }
    }
    for (int j = 0; j < nge; j++)
        if (!ge[j].optional && !matched[j]) {
            k.efn++;
            fprintf(log, "  event FN  %s\n", ge[j].key);
        }
    free(seen);
    free(matched);
    free(ge);
    sx_doc_free(&doc);
    free(text);
    free(gold);
    *c = k;
    return 1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

Test(fixtures, gold_scores)
{
    const char *dir = getenv("SUMMIT_FIXTURES");
    cr_assert(dir, "SUMMIT_FIXTURES is not set (ctest sets it)");
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    char *names[512];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 512) {
        size_t l = strlen(de->d_name);
        if (l < 11 || strcmp(de->d_name + l - 10, ".gold.json")) continue;
        names[n++] = strndup(de->d_name, l - 10);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    cr_assert_gt(n, 0, "no gold files in %s", dir);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    const char *detail = getenv("SUMMIT_SCORE_DETAIL");
    FILE *log = detail && *detail ? stderr : fopen("/dev/null", "w");
    counts tot = {0}, seed = {0};
    int have_seed = 0;
    printf("\n%-66s %7s %7s %7s\n", "fixture", "tx-rel", "tx-val", "ev-F1");
    for (int i = 0; i < n; i++) {
        counts c;
        if (log == stderr) fprintf(log, "%s\n", names[i]);
        score_one(db, dir, names[i], &c, log);
        printf("%-66s %7.3f %7.3f %7.3f\n", names[i], f1(c.tp_rel, c.fp, c.fn_rel),
               f1(c.tp_val, c.fp + (c.tp_rel - c.tp_val), c.fn_val), f1(c.etp, c.efp, c.efn));
        tot.tp_rel += c.tp_rel, tot.tp_val += c.tp_val, tot.fp += c.fp, tot.fn_rel += c.fn_rel;
        tot.fn_val += c.fn_val;
        tot.etp += c.etp, tot.efp += c.efp, tot.efn += c.efn;
        if (!strcmp(names[i], SEED_NAME)) seed = c, have_seed = 1;
        free(names[i]);
    }
    if (log != stderr) fclose(log);
    sqlite3_close(db);
    /* value F1: a value-wrong match is a false positive and a false negative */
    double rel = f1(tot.tp_rel, tot.fp, tot.fn_rel);
    double val = f1(tot.tp_val, tot.fp + (tot.tp_rel - tot.tp_val), tot.fn_val);
    double ev = f1(tot.etp, tot.efp, tot.efn);
    printf("%-66s %7.3f %7.3f %7.3f\n", "TOTAL", rel, val, ev);
    printf("events: tp %d fp %d fn %d  precision %.3f recall %.3f\n", tot.etp, tot.efp, tot.efn,
           tot.etp + tot.efp ? (double)tot.etp / (tot.etp + tot.efp) : 0.0,
           tot.etp + tot.efn ? (double)tot.etp / (tot.etp + tot.efn) : 0.0);
    fflush(stdout);
    cr_assert(have_seed, "the seed article's gold is missing from %s", dir);
    double seed_val = f1(seed.tp_val, seed.fp + (seed.tp_rel - seed.tp_val), seed.fn_val);
    cr_expect_geq(seed_val, SEED_MIN_TIMEX_VALUE_F1, "seed timex value F1 %.3f", seed_val);
    cr_expect_geq(f1(seed.etp, seed.efp, seed.efn), SEED_MIN_EVENT_F1, "seed event F1");
    cr_expect_geq(rel, ALL_MIN_TIMEX_RELAXED_F1, "dev-set timex relaxed F1 %.3f", rel);
    cr_expect_geq(val, ALL_MIN_TIMEX_VALUE_F1, "dev-set timex value F1 %.3f", val);
    cr_expect_geq(ev, ALL_MIN_EVENT_F1, "dev-set event F1 %.3f", ev);
}

/* The seed's one meeting: Hamburg, PT2H16M, planned PT30M (issue #2). */
Test(fixtures, seed_meeting_is_one_event)
{
    const char *dir = getenv("SUMMIT_FIXTURES");
    cr_assert(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.txt", dir, SEED_NAME);
    size_t len;
    char *text = slurp(path, &len);
    cr_assert(text);
    sx_date dct;
    cr_assert_eq(sx_date_parse("2017-07-07", &dct, NULL, 0), SX_OK);
    sx_doc doc;
    sx_doc_init(&doc);
    sx_options o = {&dct, 0};
    cr_assert_eq(sx_extract(&doc, path, text, len, &o), SX_OK);
    int meetings = 0;
    for (size_t i = 0; i < doc.n_events; i++) {
        const sx_event *e = &doc.events[i];
        if (strcmp(e->type, "meeting")) continue;
        meetings++;
        cr_expect_str_eq(e->date, "2017-07-07");
        cr_expect(e->location && strstr(e->location, "Hamburg"), "location %s", e->location ? e->location : "(none)");
        cr_expect_str_eq(e->duration, "PT2H16M");
        cr_expect_str_eq(e->planned_duration, "PT30M");
        cr_expect_geq(e->n_mentions, 4, "the meeting's mentions are merged");
    }
    cr_expect_eq(meetings, 1, "exactly one meeting event, got %d", meetings);
    sx_doc_free(&doc);
    free(text);
}
