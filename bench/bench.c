/*
 * bench.c -- summit's benchmark: throughput, stages and memory in one run.
 *
 *   build/summit-bench [--mb N] [--fixtures DIR] [--db PATH] [--summit PATH]
 *                      [--chrono-dir DIR] [--chrono-mb N] [--no-chrono]
 *                      [--no-ingest] [--quick] [--write-corpus DIR]
 *
 * Builds a corpus of about N MB (default 50) from the fixture articles:
 * each document is a fixture with its paragraphs rotated and a varying
 * header line, so no two documents are byte-identical and caches cannot
 * flatter the numbers.  Copies come in groups of one copy of each fixture;
 * group g moves every year written in the text (1900..2099) and the
 * document date by its own shift (-65..+74 years, 140 shifts), so copies
 * report happenings of their own, as an archive of many years would -- up
 * to 140 groups (2,800 documents, about 4.6 MB).  Past that, years within
 * 1900..2099 run out and each group re-reports the happenings of the group
 * 140 before it, so each of these 2,800 stories has about 10 reports at
 * 50 MB and 40 at 200 MB: they grow with the corpus, and so does what a
 * report clusters with (the "events loaded" line below).
 * One document in ten is instead a genuine re-report of the original
 * happenings (no shift): those pile up into large clusters (hundreds of
 * sources in a big run), as hundreds of reports of one summit do.  The seed
 * article goes further: it states no date of its own, and summit dates it
 * from the gazetteer (the G20 Hamburg summit, 2017-07-07), which no shift
 * moves, so every copy of it -- one document in 20 -- reports the same
 * happening: about 1,500 sources at 50 MB, 6,000 at 200 MB, the hot story
 * of a news feed.  Then, in one process and on one core:
 *   1. the reference: ICU word segmentation alone over every document;
 *   2. extraction (sx_extract, no database);
 *   3. ingest into SQLite (extraction + tl_ingest, one transaction each);
 *   4. a breakdown by stage (reading and normalizing, segmentation with the
 *      lexicon, time expressions, actors, events, storage), timed by
 *      running the extractor's stages one by one (sx_int.h); and storage
 *      split into rows, timeline clustering and commit, per document in
 *      each half of the corpus, so that what grows shows (the ingest's
 *      stage marks, tl__phase_hook), with the stored events the clustering
 *      loaded per document, from its cache or from SQLite (tl__load_counts);
 * each as MB/s, sentences/s and documents/s with its ratio to the ICU
 * reference, plus peak RSS (the heap set up as `summit` sets it up,
 * cli/heap.c).  Then, when the summit program is found (next to this one,
 * or --summit):
 *   5. start-up: `summit extract` on the 5 KB seed article, process start
 *      to exit, the median of 21 runs;
 *   6. parallel ingest: `summit ingest -j 1` and `-j 2` on the first
 *      --chrono-mb MB of the corpus written out as files, and the peak RSS
 *      of the `-j 1` process (the files carry no document date, which the
 *      passes above give each document: see bench/README.md);
 * and, when node and chrono-node are found (--chrono-dir, else
 * $SUMMIT_PEER_CACHE, else ~/.cache/summit-peers as scripts/compare-chrono.sh
 * installs it):
 *   7. chrono-node's parse over the first --chrono-mb MB (default 10),
 *      against summit's extraction of the same documents.
 *
 * --write-corpus DIR writes the corpus as files DIR/NNNNNN.txt instead and
 * exits, so `summit ingest` or a profiler can be run over the very same
 * documents.
 *
 * The corpus is never held in memory: document i is made again from its
 * number whenever a pass needs it, outside the timed calls, so peak RSS is
 * the extractor's and SQLite's, whatever the corpus size.  The reference and
 * extraction are timed three times each, alternating, and the fastest pass
 * of each counts (the machines are shared and noisy).  Linear scaling is
 * read off the ingest pass: the time for the whole corpus over the time for
 * its first half.  Timing uses CLOCK_MONOTONIC here, in the benchmark; the
 * extractor itself never reads a clock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "extractor.h"
#include "heap.h"
#include "sx_int.h"
#include "timeline.h"
#include "timeline_int.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The storage stages of one ingest pass (tl__phase_hook): rows (the
 * document's tables and search index rows), timeline (clustering) and
 * commit (the WAL writes and the search index's flush), for the first and
 * the second half of the corpus. */
typedef struct phase_clock {
    double mark[TL__PHASE_END + 1]; /* when each mark came for this document (0: not yet) */
    double sum[2][3];               /* [half][rows, timeline, commit] */
    int half;
} phase_clock;

static void phase_mark(void *ctx, int phase)
{
    phase_clock *pc = ctx;
    if (phase >= 0 && phase <= TL__PHASE_END)
        pc->mark[phase] = now_s();
}

/* Adds one document's stages: rows from start (tl_ingest called) to the
 * commit mark, but for the timeline's stretch (timeline mark to index
 * mark; none when a document needed no clustering), commit from its mark
 * to end (tl_ingest returned). */
static void phase_add(phase_clock *pc, double start, double end)
{
    const double *m = pc->mark;
    if (m[TL__PHASE_COMMIT] > 0) {
        double tl = m[TL__PHASE_TIMELINE] > 0 && m[TL__PHASE_INDEX] > 0 ? m[TL__PHASE_INDEX] - m[TL__PHASE_TIMELINE] : 0;
        pc->sum[pc->half][0] += m[TL__PHASE_COMMIT] - start - tl;
        pc->sum[pc->half][1] += tl;
        pc->sum[pc->half][2] += end - m[TL__PHASE_COMMIT];
    }
    memset(pc->mark, 0, sizeof pc->mark);
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

/* The corpus: its fixtures and how many documents make N MB.  Documents
 * are made on demand (make_doc) and freed after use. */
typedef struct corpus {
    const doc *fx;
    size_t nfx, ndocs;
    double bytes;
} corpus;

static char *corpus_doc(const corpus *c, size_t i, size_t *len, sx_date *dct)
{
    int shift;
    char *t = make_doc(c->fx, c->nfx, i, len, &shift);
    if (dct) doc_dct(shift, dct);
    return t;
}

extern char **environ;

/* Runs argv (argv[0] found on PATH if it has no '/'), stdout to out_path
 * (or /dev/null), stderr to /dev/null; returns the wall seconds, or -1 if it
 * could not run or did not exit 0. */
static double run_prog_rss(char *const argv[], const char *out_path, long *rss_kb);
static double run_prog(char *const argv[], const char *out_path)
{
    return run_prog_rss(argv, out_path, NULL);
}

/* The peak RSS (VmHWM) of running process pid in KB, or -1. */
static long proc_hwm_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

/* The same, with the program's peak RSS in KB into *rss_kb (when not
 * NULL).  Read from /proc every 10 ms while it runs: the ru_maxrss that
 * wait4 gives a spawned child starts from its parent's, this benchmark's,
 * which is larger. */
static double run_prog_rss(char *const argv[], const char *out_path, long *rss_kb)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now_s();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    if (rss_kb) {
        *rss_kb = -1;
        pid_t r;
        while ((r = waitpid(pid, &status, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
            long kb = proc_hwm_kb(pid);
            if (kb > *rss_kb) *rss_kb = kb;
            const struct timespec tick = {0, 10 * 1000 * 1000};
            nanosleep(&tick, NULL);
        }
    } else
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    double t = now_s() - t0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The summit program: --summit, else "summit" next to this program. */
static int find_summit(const char *given, char *out, size_t cap)
{
    if (given) {
        snprintf(out, cap, "%s", given);
        return access(out, X_OK) == 0;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 0;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) return 0;
    *slash = '\0';
    if (snprintf(out, cap, "%s/summit", self) >= (int)cap) return 0;
    return access(out, X_OK) == 0;
}

/* Writes documents [0, n) as files DIR/NNNNNN.txt; 0 on success. */
static int write_docs(const corpus *c, size_t n, const char *dir)
{
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%06zu.txt", dir, i) >= (int)sizeof path) return -1;
        size_t len;
        char *t = corpus_doc(c, i, &len, NULL);
        FILE *f = fopen(path, "wb");
        int bad = !f || fwrite(t, 1, len, f) != len;
        if (f) bad |= fclose(f) != 0;
        free(t);
        if (bad) return -1;
    }
    return 0;
}

/* A JSON number field of a one-line object ("ms": 12.5); -1 if absent. */
static double json_num(const char *s, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = strstr(s, k);
    if (!p) return -1;
    char *end;
    double v = strtod(p + strlen(k), &end);
    return end == p + strlen(k) ? -1 : v;
}

/* The directory holding node_modules/chrono-node, or NULL. */
static const char *find_chrono(const char *given, char *buf, size_t cap)
{
    const char *cands[3] = {given, getenv("SUMMIT_PEER_CACHE"), NULL};
    char home_cache[PATH_MAX];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(home_cache, sizeof home_cache, "%s/summit-peers", xdg);
    else if (home && *home) snprintf(home_cache, sizeof home_cache, "%s/.cache/summit-peers", home);
    else home_cache[0] = '\0';
    cands[2] = home_cache[0] ? home_cache : NULL;
    for (int i = 0; i < 3; i++) {
        if (!cands[i] || !*cands[i]) continue;
        snprintf(buf, cap, "%s/node_modules/chrono-node/package.json", cands[i]);
        if (access(buf, R_OK) == 0) {
            snprintf(buf, cap, "%s", cands[i]);
            return buf;
        }
        if (given && i == 0) break; /* a named folder that lacks it: say so, do not guess */
    }
    return NULL;
}

static void usage(void)
{
    fputs("usage: summit-bench [--mb N] [--fixtures DIR] [--db PATH] [--summit PATH]\n"
          "                    [--chrono-dir DIR] [--chrono-mb N] [--no-chrono] [--no-ingest] [--quick]\n"
          "                    [--write-corpus DIR]\n"
          "Run from the repository root (fixtures/ and bench/chrono_bench.mjs are read from there).\n",
          stderr);
}

int main(int argc, char **argv)
{
    /* the heap as `summit` sets it up (cli/heap.c), so that the peak RSS
     * of the ingest below is what `summit ingest` would reach */
    summit_heap_prefer_huge_pages();
    double mb = 50, sub_mb = 10;
    const char *fixdir = "fixtures", *dbpath = "/tmp/summit-bench.db", *summit_given = NULL, *chrono_given = NULL,
               *corpus_dir = NULL;
    int no_chrono = 0, no_ingest = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mb") && i + 1 < argc) mb = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--fixtures") && i + 1 < argc) fixdir = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) dbpath = argv[++i];
        else if (!strcmp(argv[i], "--summit") && i + 1 < argc) summit_given = argv[++i];
        else if (!strcmp(argv[i], "--chrono-dir") && i + 1 < argc) chrono_given = argv[++i];
        else if (!strcmp(argv[i], "--chrono-mb") && i + 1 < argc) sub_mb = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--no-chrono")) no_chrono = 1;
        else if (!strcmp(argv[i], "--no-ingest")) no_ingest = 1;
        else if (!strcmp(argv[i], "--quick")) mb = 2, sub_mb = 2;
        else if (!strcmp(argv[i], "--write-corpus") && i + 1 < argc) corpus_dir = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else {
            usage();
            return 2;
        }
    }
    if (!(mb > 0 && mb <= 4096) || !(sub_mb > 0 && sub_mb <= 4096)) {
        fprintf(stderr, "summit-bench: --mb and --chrono-mb must be in (0, 4096]\n");
        return 2;
    }
    doc *fx;
    size_t nfx;
    if (!load_fixtures(fixdir, &fx, &nfx)) {
        fprintf(stderr, "summit-bench: no fixtures in %s (run from the repository root or give --fixtures)\n", fixdir);
        return 1;
    }
    corpus c = {fx, nfx, 0, 0};
    size_t nsub = 0; /* documents in the first sub_mb MB */
    double sub_bytes = 0;
    while (c.bytes < mb * 1e6) {
        size_t len;
        free(corpus_doc(&c, c.ndocs, &len, NULL));
        c.bytes += (double)len;
        c.ndocs++;
        if (sub_bytes < sub_mb * 1e6) sub_bytes += (double)len, nsub++;
    }
    if (corpus_dir) {
        if (mkdir(corpus_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "summit-bench: cannot create '%s': %s\n", corpus_dir, strerror(errno));
            return 1;
        }
        if (write_docs(&c, c.ndocs, corpus_dir) != 0) {
            fprintf(stderr, "summit-bench: cannot write the corpus into '%s': %s\n", corpus_dir, strerror(errno));
            return 1;
        }
        printf("summit-bench: wrote %zu documents, %.1f MB, to %s\n", c.ndocs, c.bytes / 1e6, corpus_dir);
        return 0;
    }
    printf("summit-bench: %zu documents, %.1f MB (from %zu fixtures), one core\n\n", c.ndocs, c.bytes / 1e6, nfx);
    sx_date dct;
    sx_options opts = {&dct, 0};

    /* sentences, counted once with ICU's sentence iterator (not timed) */
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *wb = ubrk_open(UBRK_WORD, "en", NULL, 0, &e);
    UBreakIterator *sb = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &e);
    if (U_FAILURE(e)) {
        fprintf(stderr, "summit-bench: cannot open ICU break iterators\n");
        return 1;
    }
    UChar *ubuf = NULL;
    size_t ucap = 0;
    double sentences = 0;
    for (size_t i = 0; i < c.ndocs; i++) {
        size_t len;
        char *t = corpus_doc(&c, i, &len, NULL);
        if (ucap < len + 1) ubuf = realloc(ubuf, (ucap = len + 1) * sizeof *ubuf);
        int32_t ul;
        e = U_ZERO_ERROR;
        u_strFromUTF8(ubuf, (int32_t)ucap, &ul, t, (int32_t)len, &e);
        ubrk_setText(sb, ubuf, ul, &e);
        for (int32_t p = ubrk_first(sb); p != UBRK_DONE; p = ubrk_next(sb)) sentences++;
        free(t);
    }
    ubrk_close(sb);
    /* one document through the extractor first: its one-time set-up (the
     * lexicon, ICU data) belongs to start-up, measured below */
    {
        size_t len;
        char *t = corpus_doc(&c, 0, &len, &dct);
        sx_doc d;
        sx_doc_init(&d);
        sx_extract(&d, "bench", t, len, &opts);
        sx_doc_free(&d);
        free(t);
    }

    /* 1 and 2: the reference (UTF-8 -> UTF-16, then ICU's word iterator)
     * and extraction, three passes each, alternating; the fastest counts */
    double t_icu = 1e30, t_ext = 1e30, t_ext_sub = 1e30;
    size_t events = 0, timexes = 0;
    for (int pass = 0; pass < 3; pass++) {
        double t = 0;
        for (size_t i = 0; i < c.ndocs; i++) {
            size_t len;
            char *txt = corpus_doc(&c, i, &len, NULL);
            if (ucap < len + 1) ubuf = realloc(ubuf, (ucap = len + 1) * sizeof *ubuf);
            double t0 = now_s();
            int32_t ul;
            e = U_ZERO_ERROR;
            u_strFromUTF8(ubuf, (int32_t)ucap, &ul, txt, (int32_t)len, &e);
            ubrk_setText(wb, ubuf, ul, &e);
            for (int32_t p = ubrk_first(wb); p != UBRK_DONE; p = ubrk_next(wb)) {
            }
            t += now_s() - t0;
            free(txt);
        }
        if (t < t_icu) t_icu = t;
        double tx = 0, tsub = 0;
        events = timexes = 0;
        for (size_t i = 0; i < c.ndocs; i++) {
            size_t len;
            char *txt = corpus_doc(&c, i, &len, &dct); /* each copy's own date (opts points at dct) */
            sx_doc d;
            sx_doc_init(&d);
            double t0 = now_s();
            if (sx_extract(&d, "bench", txt, len, &opts) != SX_OK) {
                fprintf(stderr, "summit-bench: %s\n", sx_doc_errmsg(&d));
                return 1;
            }
            double dt = now_s() - t0;
            tx += dt;
            if (i < nsub) tsub += dt;
            events += d.n_events;
            timexes += d.n_timexes;
            sx_doc_free(&d);
            free(txt);
        }
        if (tx < t_ext) t_ext = tx;
        if (tsub < t_ext_sub) t_ext_sub = tsub;
    }
    ubrk_close(wb);
    free(ubuf);
    double ref = c.bytes / 1e6 / t_icu;
    line("ICU word segmentation (reference)", t_icu, c.bytes, sentences, (double)c.ndocs, 0);
    line("extraction (sx_extract)", t_ext, c.bytes, sentences, (double)c.ndocs, ref);
    long rss_extract = peak_rss_kb();

    /* 3. ingest into SQLite, one transaction per document */
    double t_ing = 0, t_half = 0, half_bytes = 0, t_store = 0, t_close = 0, t_docs = 0;
    size_t n_half = c.ndocs / 2;
    phase_clock pc;
    memset(&pc, 0, sizeof pc);
    uint64_t loads[2][2] = {{0}}; /* [half][from the cache, from SQLite]: the clustering's event loads */
    if (!no_ingest) {
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int k = 0; k < 3; k++) {
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s%s", dbpath, suffix[k]);
            remove(p);
        }
        tl_db db;
        tl_db_init(&db);
        if (tl_db_open(&db, dbpath, TL_OPEN_CREATE) != TL_OK) {
            fprintf(stderr, "summit-bench: %s\n", tl_db_errmsg(&db));
            return 1;
        }
        tl__phase_hook(&db, phase_mark, &pc);
        for (size_t i = 0; i < c.ndocs; i++) {
            size_t len;
            char *txt = corpus_doc(&c, i, &len, &dct);
            char path[64];
            snprintf(path, sizeof path, "bench/%zu.txt", i);
            sx_doc d;
            sx_doc_init(&d);
            double t0 = now_s();
            if (sx_extract(&d, path, txt, len, &opts) != SX_OK) return 1;
            double s0 = now_s();
            if (tl_ingest(&db, &d, NULL) != TL_OK) {
                fprintf(stderr, "summit-bench: %s\n", tl_db_errmsg(&db));
                return 1;
            }
            double t1 = now_s();
            pc.half = i >= n_half;
            phase_add(&pc, s0, t1);
            t_store += t1 - s0;
            t_ing += t1 - t0;
            if (i < n_half) t_half = t_ing, half_bytes += (double)len;
            if (i + 1 == n_half || i + 1 == c.ndocs) tl__load_counts(&db, &loads[i >= n_half][0], &loads[i >= n_half][1]);
            sx_doc_free(&d);
            free(txt);
        }
        /* closing checkpoints what the WAL still holds: part of the ingest */
        double c0 = now_s();
        tl_db_close(&db);
        t_close = now_s() - c0;
        t_docs = t_ing; /* the documents alone: scaling compares like with like */
        t_ing += t_close;
        t_store += t_close;
        line("ingest (extraction + SQLite)", t_ing, c.bytes, sentences, (double)c.ndocs, ref);
        printf("%-34s %8.1f%% of extraction throughput\n", "ingest vs extraction", 100.0 * t_ext / t_ing);
        if (t_half > 0 && half_bytes > 0)
            printf("%-34s %8.2f x the time of the first half (%.1f of %.1f MB; 2.00 is linear)\n", "ingest scaling",
                   t_docs / t_half * (half_bytes * 2 / c.bytes), half_bytes / 1e6, c.bytes / 1e6);
    }

    /* 4. stages */
    double st[6] = {0};
    for (size_t i = 0; i < c.ndocs; i++) {
        size_t len;
        char *txt = corpus_doc(&c, i, &len, &dct);
        sx__work w;
        memset(&w, 0, sizeof w);
        char err[512];
        w.path = "bench";
        w.bytes = txt;
        w.len = len;
        w.err = err;
        w.errlen = sizeof err;
        w.dct = &dct;
        double a = now_s();
        sx_status rc = sx__text_load(&w);
        double b = now_s();
        if (rc == SX_OK) rc = sx__segment(&w);
        if (rc == SX_OK) rc = sx__lexicon_apply(&w);
        double cc = now_s();
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
        st[0] += b - a, st[1] += cc - b, st[2] += d - cc, st[3] += f - d, st[4] += g - f;
        sx__work_free(&w);
        free(txt);
    }
    st[5] = t_store;
    const char *names[] = {"reading, UTF-8, NFC", "segmentation + lexicon", "time expressions", "actors", "events",
                           "storage (SQLite)"};
    double sum = 0;
    int nst = no_ingest ? 5 : 6;
    for (int k = 0; k < nst; k++) sum += st[k];
    printf("\nstage breakdown (%zu documents; the rest of sx_extract is output and document-date work):\n", c.ndocs);
    for (int k = 0; k < nst; k++)
        printf("  %-26s %8.3f s  %5.1f%%  %9.2f MB/s\n", names[k], st[k], 100 * st[k] / sum, c.bytes / 1e6 / st[k]);
    if (!no_ingest && n_half > 0 && c.ndocs > n_half) {
        /* what grows: each storage stage per document, in each half */
        static const char *const parts[3] = {"rows and search index", "timeline clustering",
                                             "commit (WAL, index flush)"};
        const double nd[2] = {(double)n_half, (double)(c.ndocs - n_half)};
        printf("\nstorage per document, first half -> second half of the corpus:\n");
        for (int k = 0; k < 3; k++)
            printf("  %-26s %8.3f ms -> %6.3f ms  (x %.2f)\n", parts[k], 1e3 * pc.sum[0][k] / nd[0],
                   1e3 * pc.sum[1][k] / nd[1], pc.sum[0][k] > 0 ? pc.sum[1][k] / nd[1] / (pc.sum[0][k] / nd[0]) : 0);
        printf("  %-26s %8.3f s once (in ingest and storage above; not in the scaling, which compares documents)\n",
               "closing (WAL checkpoint)", t_close);
        /* why the clustering grows: a report loads the earlier reports of
         * its happenings (their components), from the event cache or, once
         * they outgrow it, from SQLite */
        const double all[2] = {(double)(loads[0][0] + loads[0][1]),
                               (double)(loads[1][0] + loads[1][1] - loads[0][0] - loads[0][1])};
        const double sql[2] = {(double)loads[0][1], (double)(loads[1][1] - loads[0][1])};
        printf("  %-26s %8.1f    -> %6.1f     (x %.2f; from SQLite %.1f -> %.1f)\n", "events loaded (clustering)",
               all[0] / nd[0], all[1] / nd[1], all[0] > 0 ? all[1] / nd[1] / (all[0] / nd[0]) : 0, sql[0] / nd[0],
               sql[1] / nd[1]);
    }
    printf("\nfound %zu events and %zu time expressions\n", events, timexes);
    printf("peak RSS: %.1f MB after extraction, %.1f MB at the end%s\n", (double)rss_extract / 1024.0,
           (double)peak_rss_kb() / 1024.0, no_ingest ? "" : " (ingest included)");

    /* 5 and 6: the summit program */
    char summit[PATH_MAX];
    if (!find_summit(summit_given, summit, sizeof summit)) {
        printf("\nstart-up and -j: skipped (no summit program next to summit-bench; give --summit PATH)\n");
    } else {
        char seed[PATH_MAX];
        snprintf(seed, sizeof seed, "%s/hill-2017-07-07-trump-putin.txt", fixdir);
        char *xargv[] = {summit, "extract", "--dct", "2017-07-07", seed, NULL};
        double runs[21];
        int ok = 1;
        for (int k = 0; k < 21 && ok; k++) ok = (runs[k] = run_prog(xargv, NULL)) >= 0;
        if (ok) {
            qsort(runs, 21, sizeof runs[0], cmp_double);
            printf("\nstart-up: summit extract on the 5 KB seed article, start to exit: %.1f ms (median of 21)\n",
                   runs[10] * 1e3);
        } else printf("\nstart-up: summit extract %s failed\n", seed);
        char dir[] = "/tmp/summit-bench-XXXXXX";
        if (!no_ingest && mkdtemp(dir)) {
            char docs[PATH_MAX], db1[PATH_MAX], db2[PATH_MAX];
            snprintf(docs, sizeof docs, "%s/docs", dir);
            snprintf(db1, sizeof db1, "%s/j1.db", dir);
            snprintf(db2, sizeof db2, "%s/j2.db", dir);
            if (mkdir(docs, 0700) == 0 && write_docs(&c, nsub, docs) == 0) {
                char *a1[] = {summit, "ingest", "--db", db1, "-j", "1", docs, NULL};
                char *a2[] = {summit, "ingest", "--db", db2, "-j", "2", docs, NULL};
                long rss1 = 0;
                double j1 = run_prog_rss(a1, NULL, &rss1), j2 = run_prog(a2, NULL);
                if (j1 > 0 && j2 > 0)
                    printf("parallel ingest (summit ingest, %zu files, %.1f MB): -j 1 %.2f s, -j 2 %.2f s, "
                           "speed-up %.2f; peak RSS of summit ingest -j 1: %.1f MB\n",
                           nsub, sub_bytes / 1e6, j1, j2, j1 / j2, (double)rss1 / 1024.0);
                else printf("parallel ingest: summit ingest -j failed\n");
            }
            char *rm[] = {"rm", "-rf", dir, NULL};
            run_prog(rm, NULL);
        }
    }

    /* 7. chrono-node on the first sub_mb MB */
    char cdir[PATH_MAX];
    const char *chrono = no_chrono ? NULL : find_chrono(chrono_given, cdir, sizeof cdir);
    if (no_chrono) printf("\nchrono-node: skipped (--no-chrono)\n");
    else if (!chrono)
        printf("\nchrono-node: skipped (no node_modules/chrono-node in --chrono-dir, $SUMMIT_PEER_CACHE or "
               "~/.cache/summit-peers; scripts/compare-chrono.sh installs it)\n");
    else {
        char dir[] = "/tmp/summit-chrono-XXXXXX";
        if (mkdtemp(dir)) {
            char in[PATH_MAX], out[PATH_MAX];
            snprintf(in, sizeof in, "%s/corpus.txt", dir);
            snprintf(out, sizeof out, "%s/out.json", dir);
            FILE *f = fopen(in, "wb");
            for (size_t i = 0; f && i < nsub; i++) {
                size_t len;
                char *t = corpus_doc(&c, i, &len, &dct);
                char iso[16];
                sx_date_format(&dct, iso, sizeof iso);
                fprintf(f, "\x1e%.10s\n", iso);
                fwrite(t, 1, len, f);
                free(t);
            }
            if (f) fclose(f);
            char *nargv[] = {"node", "bench/chrono_bench.mjs", (char *)chrono, in, NULL};
            double wall = f ? run_prog(nargv, out) : -1;
            char buf[512] = "";
            FILE *r = wall > 0 ? fopen(out, "rb") : NULL;
            if (r) {
                size_t n = fread(buf, 1, sizeof buf - 1, r);
                buf[n] = '\0';
                fclose(r);
            }
            double ms = json_num(buf, "ms"), bytes = json_num(buf, "bytes");
            if (ms > 0 && bytes > 0) {
                double cm = bytes / 1e6 / (ms / 1e3), sm = sub_bytes / 1e6 / t_ext_sub;
                printf("\nchrono-node (parse only, %zu documents, %.1f MB): %.2f MB/s; summit extraction of the "
                       "same documents: %.2f MB/s, %.1f x chrono-node\n", nsub, bytes / 1e6, cm, sm, sm / cm);
            } else printf("\nchrono-node: node bench/chrono_bench.mjs failed (run from the repository root)\n");
            remove(in), remove(out), rmdir(dir);
        }
    }
    for (size_t i = 0; i < nfx; i++) free(fx[i].text);
    free(fx);
    return 0;
}
