/*
 * bench.c -- summit's benchmark: throughput, stages and memory in one run.
 *
 *   build/summit-bench [--mb N] [--fixtures DIR] [--db PATH] [--quick]
 *
 * Builds a corpus of about N MB (default 50) from the fixture articles:
 * each document is a fixture with its paragraphs rotated and a varying
 * header line, so no two documents are byte-identical and caches cannot
 * flatter the numbers.  Copies come in groups of one copy of each fixture;
 * group g moves every year written in the text (1900..2099) and the
 * document date by its own shift (-65..+74 years, 140 shifts), so most
 * copies report happenings of their own, as an archive of many years would.
 * One document in ten is instead a genuine re-report of the original
 * happenings (no shift): those pile up into large clusters (hundreds of
 * sources in a big run), as hundreds of reports of one summit do.  Then, in
 * one process and on one core:
 *   1. the reference: ICU word segmentation alone over every document;
 *   2. extraction (sx_extract, no database);
 *   3. ingest into SQLite (extraction + tl_ingest, one transaction each);
 *   4. a breakdown by stage (reading and normalizing, segmentation with the
 *      lexicon, time expressions, actors, events, storage), timed by
 *      running the extractor's stages one by one (sx_int.h);
 * each as MB/s, sentences/s and documents/s with its ratio to the ICU
 * reference, plus peak RSS.  Timing uses CLOCK_MONOTONIC here, in the
 * benchmark; the extractor itself never reads a clock.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "extractor.h"
#include "sx_int.h"
#include "timeline.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct doc { char *text; size_t len; int shift; } doc;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Loads fixtures/NAME.txt for every NAME with a gold file or not. */
static int load_fixtures(const char *dir, doc **out, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    char *names[1024];
    size_t k = 0;
    struct dirent *de;
    while ((de = readdir(d)) && k < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 4 && !strcmp(de->d_name + l - 4, ".txt")) names[k++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, k, sizeof *names, cmp_str);
    *out = calloc(k + 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        char path[2048], err[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *t = NULL;
        size_t len = 0;
        if (sx_read_file(path, 0, &t, &len, err, sizeof err) == SX_OK && len > 0) {
            (*out)[*n].text = t;
            (*out)[*n].len = len;
            (*n)++;
        }
        free(names[i]);
    }
    return *n > 0;
}

/* The year shift of document i: 0 for the first group and for one
 * document in ten (a re-report of the original happenings; (g + i) % 10
 * spreads them over every fixture), else its group's. */
static int doc_shift(size_t nf, size_t i)
{
    size_t g = i / nf;
    if (g == 0 || (g + i) % 10 == 9) return 0;
    return (int)((g * 37) % 140) - 65;
}

/* Copies s[0..n) to out with every standalone year 1900..2099 moved by
 * shift years; returns the bytes written (the same as n: years keep four
 * digits because the fixtures' years (1974..2024) stay within range). */
static size_t shift_years(const char *s, size_t n, int shift, char *out)
{
    size_t o = 0;
    for (size_t k = 0; k < n;) {
        int dig4 = k + 4 <= n;
        for (size_t j = 0; dig4 && j < 4; j++) dig4 = s[k + j] >= '0' && s[k + j] <= '9';
        if (dig4 && shift && (k == 0 || s[k - 1] < '0' || s[k - 1] > '9') &&
            (k + 4 == n || s[k + 4] < '0' || s[k + 4] > '9')) {
            int y = (s[k] - '0') * 1000 + (s[k + 1] - '0') * 100 + (s[k + 2] - '0') * 10 + (s[k + 3] - '0');
            if (y >= 1900 && y <= 2099 && y + shift >= 1900 && y + shift <= 2099) {
                y += shift;
                for (int j = 3; j >= 0; j--, y /= 10) out[o + (size_t)j] = (char)('0' + y % 10);
                o += 4;
                k += 4;
                continue;
            }
        }
        out[o++] = s[k++];
    }
    return o;
}

/* Document i of the corpus: fixture i % n with its paragraphs rotated by
 * i / n, a header line naming the copy and its years shifted by
 * doc_shift. */
static char *make_doc(const doc *f, size_t nf, size_t i, size_t *len, int *shift)
{
    const doc *src = &f[i % nf];
    *shift = doc_shift(nf, i);
    size_t paras[256], np = 0;
    paras[np++] = 0;
    for (size_t k = 0; k + 1 < src->len && np < 256; k++)
        if (src->text[k] == '\n') paras[np++] = k + 1;
    size_t rot = np > 1 ? 1 + (i / nf) % (np - 1) : 0; /* keep the first line (headline) first */
    char *out = malloc(src->len + 128);
    size_t o = (size_t)snprintf(out, 128, "Copy %zu of a diplomatic report\n", i);
    size_t first_end = np > 1 ? paras[1] : src->len;
    o += shift_years(src->text, first_end, *shift, out + o);
    for (size_t q = 0; q + 1 < np; q++) {
        size_t p = 1 + (q + rot) % (np - 1);
        size_t a = paras[p], b = p + 1 < np ? paras[p + 1] : src->len;
        o += shift_years(src->text + a, b - a, *shift, out + o);
        if (b == src->len && out[o - 1] != '\n') out[o++] = '\n';
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* The document date of a copy: 2017-07-07 moved by its shift. */
static void doc_dct(int shift, sx_date *dct)
{
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-07-07", 2017 + shift);
    sx_date_parse(iso, dct, NULL, 0);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void line(const char *what, double secs, double bytes, double sents, double docs, double ref_mbs)
{
    double mbs = bytes / 1e6 / secs;
    printf("%-34s %8.2f s %9.2f MB/s %11.0f sent/s %9.0f docs/s", what, secs, mbs, sents / secs, docs / secs);
    if (ref_mbs > 0) printf("   %5.1f%% of ICU", 100.0 * mbs / ref_mbs);
    printf("\n");
}

int main(int argc, char **argv)
{
    double mb = 50;
    const char *fixdir = "fixtures", *dbpath = "/tmp/summit-bench.db";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mb") && i + 1 < argc) mb = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--fixtures") && i + 1 < argc) fixdir = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) dbpath = argv[++i];
        else if (!strcmp(argv[i], "--quick")) mb = 2;
        else {
            fprintf(stderr, "usage: summit-bench [--mb N] [--fixtures DIR] [--db PATH] [--quick]\n");
            return 2;
        }
    }
    if (mb <= 0 || mb > 4096) {
        fprintf(stderr, "summit-bench: --mb must be in (0, 4096]\n");
        return 2;
    }
    doc *fx;
    size_t nfx;
    if (!load_fixtures(fixdir, &fx, &nfx)) {
        fprintf(stderr, "summit-bench: no fixtures in %s (run from the repository root or give --fixtures)\n", fixdir);
        return 1;
    }
    /* the corpus */
    size_t cap = 1024, ndocs = 0, total = 0;
    doc *corpus = malloc(cap * sizeof *corpus);
    while ((double)total < mb * 1e6) {
        if (ndocs == cap) corpus = realloc(corpus, (cap *= 2) * sizeof *corpus);
        corpus[ndocs].text = make_doc(fx, nfx, ndocs, &corpus[ndocs].len, &corpus[ndocs].shift);
        total += corpus[ndocs].len;
        ndocs++;
    }
    printf("summit-bench: %zu documents, %.1f MB (from %zu fixtures), one core\n\n", ndocs, (double)total / 1e6, nfx);
    sx_date dct;
    sx_date_parse("2017-07-07", &dct, NULL, 0);
    sx_options opts = {&dct, 0};

    /* 1. ICU word segmentation alone (UTF-8 -> UTF-16, then the iterator) */
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *wb = ubrk_open(UBRK_WORD, "en", NULL, 0, &e);
    UBreakIterator *sb = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &e);
    if (U_FAILURE(e)) {
        fprintf(stderr, "summit-bench: cannot open ICU break iterators\n");
        return 1;
    }
    double sentences = 0;
    UChar *ubuf = NULL;
    size_t ucap = 0;
    double t0 = now_s();
    for (size_t i = 0; i < ndocs; i++) {
        if (ucap < corpus[i].len + 1) ubuf = realloc(ubuf, (ucap = corpus[i].len + 1) * sizeof *ubuf);
        int32_t ul;
        e = U_ZERO_ERROR;
        u_strFromUTF8(ubuf, (int32_t)ucap, &ul, corpus[i].text, (int32_t)corpus[i].len, &e);
        ubrk_setText(wb, ubuf, ul, &e);
        for (int32_t p = ubrk_first(wb); p != UBRK_DONE; p = ubrk_next(wb)) {
        }
    }
    double t_icu = now_s() - t0;
    /* sentences, counted once (not timed) */
    for (size_t i = 0; i < ndocs; i++) {
        int32_t ul;
        e = U_ZERO_ERROR;
        u_strFromUTF8(ubuf, (int32_t)ucap, &ul, corpus[i].text, (int32_t)corpus[i].len, &e);
        ubrk_setText(sb, ubuf, ul, &e);
        for (int32_t p = ubrk_first(sb); p != UBRK_DONE; p = ubrk_next(sb)) sentences++;
    }
    ubrk_close(wb);
    ubrk_close(sb);
    free(ubuf);
    double ref = (double)total / 1e6 / t_icu;
    line("ICU word segmentation (reference)", t_icu, (double)total, sentences, (double)ndocs, 0);

    /* 2. extraction */
    size_t events = 0, timexes = 0;
    t0 = now_s();
    for (size_t i = 0; i < ndocs; i++) {
        sx_doc d;
        sx_doc_init(&d);
        doc_dct(corpus[i].shift, &dct); /* each copy's own date (opts points at dct) */
        if (sx_extract(&d, "bench", corpus[i].text, corpus[i].len, &opts) != SX_OK) {
            fprintf(stderr, "summit-bench: %s\n", sx_doc_errmsg(&d));
            return 1;
        }
        events += d.n_events;
        timexes += d.n_timexes;
        sx_doc_free(&d);
    }
    double t_ext = now_s() - t0;
    line("extraction (sx_extract)", t_ext, (double)total, sentences, (double)ndocs, ref);
    long rss_extract = peak_rss_kb();

    /* 3. ingest into SQLite */
    remove(dbpath);
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", dbpath);
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", dbpath);
    remove(wal);
    tl_db db;
    tl_db_init(&db);
    if (tl_db_open(&db, dbpath, TL_OPEN_CREATE) != TL_OK) {
        fprintf(stderr, "summit-bench: %s\n", tl_db_errmsg(&db));
        return 1;
    }
    double t_store = 0;
    t0 = now_s();
    for (size_t i = 0; i < ndocs; i++) {
        sx_doc d;
        sx_doc_init(&d);
        doc_dct(corpus[i].shift, &dct);
        if (sx_extract(&d, "bench", corpus[i].text, corpus[i].len, &opts) != SX_OK) return 1;
        char path[64];
        snprintf(path, sizeof path, "bench/%zu.txt", i);
        free(d.path);
        d.path = strdup(path);
        double s0 = now_s();
        if (tl_ingest(&db, &d, NULL) != TL_OK) {
            fprintf(stderr, "summit-bench: %s\n", tl_db_errmsg(&db));
            return 1;
        }
        t_store += now_s() - s0;
        sx_doc_free(&d);
    }
    double t_ing = now_s() - t0;
    tl_db_close(&db);
    line("ingest (extraction + SQLite)", t_ing, (double)total, sentences, (double)ndocs, ref);
    printf("%-34s %8.2f%% of extraction throughput\n", "ingest vs extraction", 100.0 * t_ext / t_ing);

    /* 4. stages */
    double st[7] = {0};
    for (size_t i = 0; i < ndocs; i++) {
        sx__work w;
        memset(&w, 0, sizeof w);
        char err[512];
        w.path = "bench";
        w.bytes = corpus[i].text;
        w.len = corpus[i].len;
        w.err = err;
        w.errlen = sizeof err;
        doc_dct(corpus[i].shift, &dct);
        w.dct = &dct;
        double a = now_s();
        sx_status rc = sx__text_load(&w);
        double b = now_s();
        if (rc == SX_OK) rc = sx__segment(&w);
        if (rc == SX_OK) rc = sx__lexicon_apply(&w);
        double c = now_s();
        if (rc == SX_OK) rc = sx__timex_run(&w);
        if (rc == SX_OK) {
            w.in_timex = calloc(w.n_toks + 1, 1);
            for (size_t x = 0; x < w.n_timexes; x++)
                for (int32_t k = w.timex_tok[2 * x]; k < w.timex_tok[2 * x + 1]; k++) w.in_timex[k] = 1;
        }
        double d = now_s();
        if (rc == SX_OK) rc = sx__actors_run(&w);
        double f = now_s();
        if (rc == SX_OK) rc = sx__events_run(&w);
        double g = now_s();
        st[0] += b - a, st[1] += c - b, st[2] += d - c, st[3] += f - d, st[4] += g - f;
        sx__work_free(&w);
    }
    st[5] = t_store;
    const char *names[] = {"reading, UTF-8, NFC", "segmentation + lexicon", "time expressions", "actors", "events",
                           "storage (SQLite)"};
    double sum = 0;
    for (int k = 0; k < 6; k++) sum += st[k];
    printf("\nstage breakdown (ingest path, %zu documents):\n", ndocs);
    for (int k = 0; k < 6; k++)
        printf("  %-26s %8.3f s  %5.1f%%  %9.2f MB/s\n", names[k], st[k], 100 * st[k] / sum, (double)total / 1e6 / st[k]);
    printf("\nfound %zu events and %zu time expressions\n", events, timexes);
    printf("peak RSS: %.1f MB after extraction, %.1f MB at the end\n", (double)rss_extract / 1024.0,
           (double)peak_rss_kb() / 1024.0);
    for (size_t i = 0; i < ndocs; i++) free(corpus[i].text);
    free(corpus);
    for (size_t i = 0; i < nfx; i++) free(fx[i].text);
    free(fx);
    return 0;
}
