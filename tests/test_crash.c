/*
 * test_crash.c -- Criterion tests: the database survives a killed ingest and
 * a full disk.
 *
 *   killed_ingest_leaves_whole_documents
 *       60 articles with distinct content (the fixtures, each copy with its
 *       own closing line) are ingested by the real program, which is sent
 *       SIGKILL at pseudo-random moments: 8 rounds, every other one on a
 *       fresh database, each delay a fraction (from a fixed-seed xorshift
 *       generator) of a calibrated full run.  After every kill:
 *         - PRAGMA integrity_check is "ok" and foreign_key_check is empty;
 *         - every stored document is whole: its sentence, time expression
 *           and event rows number exactly what a fresh sx_extract of the
 *           same bytes gives (and it has sentences), so each document is
 *           either wholly present or absent;
 *       and at the end a rerun of the same command completes the set (60).
 *   full_disk_leaves_the_database_as_it_was
 *       5 articles are ingested; then more are ingested with RLIMIT_FSIZE at
 *       64 KiB and SIGXFSZ ignored in the child (so write() fails with EFBIG,
 *       as `prlimit --fsize` would do): the program must fail with exit 3
 *       and a message naming the article and the disk, and the database file
 *       must be byte for byte what it was, pass integrity_check and still
 *       hold the 5.
 *
 * Kill moments depend on the machine's speed, so the rounds are
 * deterministic in intent, not in the exact byte the kill lands on; the
 * test requires that at least 3 of the 8 kills landed while the program was
 * still running.  The child runs SUMMIT_BIN with fork/execv in a fresh
 * mkdtemp directory, its output captured there.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extractor.h"
#include "harness.h"

#define N_DOCS 60
#define N_ROUNDS 8
#define MIN_KILLED 3
#define SEED 20261126u
#define DCT "2017-07-07"
#define WATCHDOG_SECONDS 300


/* What a fresh extraction of each article gives. */
typedef struct expected_doc {
    char name[32];
    size_t sentences, timexes, events;
} expected_doc;

static expected_doc expected[N_DOCS];

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture articles (*.txt), sorted by name; returns how many. */
static size_t list_fixtures(char **names, size_t max)
{
    const char *dir = getenv("SUMMIT_FIXTURES");
    cr_assert(dir && *dir, "SUMMIT_FIXTURES is not set (run the tests through ctest)");
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s: %s", dir, strerror(errno));
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt")) continue;
        size_t cap = strlen(dir) + len + 2;
        names[n] = malloc(cap);
        cr_assert(names[n]);
        snprintf(names[n], cap, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    cr_assert_gt(n, 0, "no fixtures in %s", dir);
    qsort(names, n, sizeof *names, by_string);
    return n;
}

/* Writes doc01.txt .. doc60.txt (fixture i % n plus its own last line) and
 * fills expected[] from a fresh extraction of each. */
static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/summit-crash-XXXXXX");
    cr_assert(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
    char *fixtures[64];
    size_t n_fix = list_fixtures(fixtures, 64);
    sx_date dct;
    cr_assert_eq(sx_date_parse(DCT, &dct, NULL, 0), SX_OK);
    sx_options opts = {&dct, 0};
    for (size_t i = 0; i < N_DOCS; i++) {
        size_t len = 0;
        char *text = slurp_if_any(fixtures[i % n_fix], &len);
        cr_assert(text, "cannot read %s", fixtures[i % n_fix]);
        char tail[96];
        int tn = snprintf(tail, sizeof tail, "\n\n(Copy %zu of the summit crash test.)\n", i + 1);
        text = realloc(text, len + (size_t)tn + 1);
        cr_assert(text);
        memcpy(text + len, tail, (size_t)tn + 1);
        len += (size_t)tn;
        expected_doc *x = &expected[i];
        snprintf(x->name, sizeof x->name, "doc%02zu.txt", i + 1);
        write_file(x->name, text, len);
        sx_doc doc;
        sx_doc_init(&doc);
        cr_assert_eq(sx_extract(&doc, x->name, text, len, &opts), SX_OK, "%s", sx_doc_errmsg(&doc));
        x->sentences = doc.n_sentences;
        x->timexes = doc.n_timexes;
        x->events = doc.n_events;
        sx_doc_free(&doc);
        free(text);
    }
    for (size_t i = 0; i < n_fix; i++)
        free(fixtures[i]);
}

static void teardown(void)
{
    if (tmpdir[0]) remove_tree(tmpdir);
    tmpdir[0] = '\0';
}

/* ---- the child --------------------------------------------------------------------------- */

/* argv for `summit ingest --db DB --dct DCT doc[from] .. doc[to-1]`; free
 * argv[0] and the array. */
static char **ingest_argv(const char *db, size_t from, size_t to)
{
    char **argv = calloc(to - from + 8, sizeof *argv);
    cr_assert(argv);
    size_t n = 0;
    argv[n++] = absolute_bin();
    argv[n++] = "ingest";
    argv[n++] = "--db";
    argv[n++] = (char *)db;
    argv[n++] = "--dct";
    argv[n++] = DCT;
    for (size_t i = from; i < to; i++)
        argv[n++] = expected[i].name;
    argv[n] = NULL;
    return argv;
}

static void free_argv(char **argv)
{
    free(argv[0]);
    free(argv);
}

/* Starts argv in the temp dir, stdout and stderr into .stdout/.stderr
 * there; fsize > 0 sets RLIMIT_FSIZE with SIGXFSZ ignored. */
static pid_t start(char **argv, long fsize)
{
    char out_path[512], err_path[512];
    path_in_tmp(out_path, sizeof out_path, ".stdout");
    path_in_tmp(err_path, sizeof err_path, ".stderr");
    return spawn_in_tmp(argv, "/dev/null", out_path, O_WRONLY | O_CREAT | O_TRUNC, err_path, fsize);
}

/* Waits for pid under the watchdog; returns the wait status. */
static int finish(pid_t pid)
{
    int status = 0;
    time_t deadline = time(NULL) + WATCHDOG_SECONDS;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) return status;
        cr_assert(w == 0 || errno == EINTR, "waitpid: %s", strerror(errno));
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                continue;
            cr_assert_fail("ingest still running after %d s", WATCHDOG_SECONDS);
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static char *child_stderr(void)
{
    char p[512];
    path_in_tmp(p, sizeof p, ".stderr");
    char *s = slurp_if_any(p, NULL);
    cr_assert(s);
    return s;
}

/* Runs argv to the end; asserts it exited (not a signal, no sanitizer
 * report) and returns the exit code. */
static int run_to_end(char **argv, long fsize, char **err_out)
{
    int status = finish(start(argv, fsize));
    char *err = child_stderr();
    /* On a failure, free err before the assertion ends the test, so the
     * sanitizer build reports the failure and not a leak. */
    static char why[8192];
    why[0] = '\0';
    if (!WIFEXITED(status))
        snprintf(why, sizeof why, "killed by signal %d; stderr:\n%.4000s", WTERMSIG(status), err);
    else if (strstr(err, "Sanitizer") || strstr(err, "runtime error:"))
        snprintf(why, sizeof why, "sanitizer report:\n%.6000s", err);
    else if (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127)
        snprintf(why, sizeof why, "could not start %s", argv[0]);
    if (why[0]) {
        free(err);
        cr_assert_fail("%s", why);
    }
    int code = WEXITSTATUS(status);
    if (err_out)
        *err_out = err;
    else
        free(err);
    return code;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* ---- checking a database ------------------------------------------------------------------ */

static const expected_doc *expected_for(const char *path)
{
    for (size_t i = 0; i < N_DOCS; i++)
        if (!strcmp(expected[i].name, path)) return &expected[i];
    return NULL;
}

/* Checks db (in the temp dir): integrity, foreign keys, every document
 * whole.  Returns the number of documents; 0 for a database the kill left
 * without a schema or without a file. */
static size_t check_db(const char *name, const char *when)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    struct stat st;
    if (stat(p, &st) != 0) return 0;
    sqlite3 *db = NULL;
    /* read-write, so a leftover WAL is recovered as summit would */
    cr_assert_eq(sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "%s: cannot open %s", when,
                 p);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK, "%s: %s", when,
                 sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s: integrity_check: %s", when, sqlite3_errmsg(db));
    cr_assert_str_eq((const char *)sqlite3_column_text(s, 0), "ok", "%s: integrity_check says %s", when,
                     sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_DONE, "%s: foreign_key_check finds a dangling row in %s", when,
                 sqlite3_column_text(s, 0));
    sqlite3_finalize(s);

    /* a kill before the schema's own transaction committed leaves no tables */
    cr_assert_eq(
        sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'documents'", -1, &s, NULL),
        SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    int has_schema = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (!has_schema) {
        sqlite3_close(db);
        return 0;
    }
    static const char sql[] = "SELECT d.path,"
                              " (SELECT count(*) FROM sentences x WHERE x.doc_id = d.id),"
                              " (SELECT count(*) FROM timexes x WHERE x.doc_id = d.id),"
                              " (SELECT count(*) FROM events x WHERE x.doc_id = d.id)"
                              " FROM documents d ORDER BY d.path";
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(s, 0);
        const expected_doc *x = expected_for(path);
        cr_assert(x, "%s: a document nobody ingested: %s", when, path);
        size_t ns = (size_t)sqlite3_column_int64(s, 1), nt = (size_t)sqlite3_column_int64(s, 2),
               ne = (size_t)sqlite3_column_int64(s, 3);
        cr_assert(ns > 0, "%s: %s is stored without sentences", when, path);
        cr_assert(
            ns == x->sentences && nt == x->timexes && ne == x->events,
            "%s: %s is stored in part: %zu sentences, %zu time expressions, %zu events; a fresh extraction "
            "gives %zu, %zu, %zu",
            when, path, ns, nt, ne, x->sentences, x->timexes, x->events);
        n++;
    }
    cr_assert_eq(rc, SQLITE_DONE, "%s: %s", when, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static void remove_db(const char *name)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char n[64], p[512];
        snprintf(n, sizeof n, "%s%s", name, suffixes[i]);
        path_in_tmp(p, sizeof p, n);
        unlink(p);
    }
}

/* ---- the tests ---------------------------------------------------------------------------- */

Test(crash, killed_ingest_leaves_whole_documents, .init = setup, .fini = teardown)
{
    /* Calibrate: one whole run. */
    char **calib = ingest_argv("calib.db", 0, N_DOCS);
    double t0 = now_ms();
    char *err = NULL;
    int code = run_to_end(calib, 0, &err);
    double full_ms = now_ms() - t0;
    cr_assert_eq(code, 0, "calibration ingest: exit %d; stderr:\n%.3000s", code, err);
    free(err);
    free_argv(calib);
    cr_assert_eq(check_db("calib.db", "calibration"), N_DOCS);
    cr_log_info("a full ingest of %d documents takes %.0f ms", N_DOCS, full_ms);

    uint32_t rng = SEED;
    int killed = 0;
    char **argv = ingest_argv("t.db", 0, N_DOCS);
    for (int round = 0; round < N_ROUNDS; round++) {
        if (round % 2 == 0) remove_db("t.db");
        /* somewhere in the first 90% of a full run */
        double delay = full_ms * 0.9 * (double)(xorshift(&rng) % 1000) / 1000.0;
        pid_t pid = start(argv, 0);
        sleep_ms(delay);
        int still_running = waitpid(pid, NULL, WNOHANG) == 0;
        if (still_running) {
            kill(pid, SIGKILL);
            killed++;
        }
        int status = still_running ? finish(pid) : 0;
        if (still_running)
            cr_assert(WIFSIGNALED(status) || WIFEXITED(status), "round %d: odd wait status %d", round,
                      status);
        char when[96];
        snprintf(when, sizeof when, "round %d (kill after %.0f ms%s)", round + 1, delay,
                 still_running ? "" : ", already done");
        size_t n = check_db("t.db", when);
        cr_log_info("%s: %zu whole documents, none in part", when, n);
    }
    cr_expect_geq(killed, MIN_KILLED, "only %d of %d kills landed while the ingest ran", killed, N_ROUNDS);

    /* The same command again completes the set. */
    code = run_to_end(argv, 0, &err);
    cr_assert_eq(code, 0, "rerun: exit %d; stderr:\n%.3000s", code, err);
    free(err);
    cr_assert_eq(check_db("t.db", "after the rerun"), N_DOCS);
    free_argv(argv);
}

Test(crash, full_disk_leaves_the_database_as_it_was, .init = setup, .fini = teardown)
{
    char *err = NULL;
    char **first = ingest_argv("fs.db", 0, 5);
    int code = run_to_end(first, 0, &err);
    cr_assert_eq(code, 0, "first ingest: exit %d; stderr:\n%.3000s", code, err);
    free(err);
    free_argv(first);

    /* A document far bigger than the limit: four fixtures in one. */
    char big[64 * 1024];
    size_t blen = 0;
    for (size_t i = 5; i < 9; i++) {
        char p[512];
        path_in_tmp(p, sizeof p, expected[i].name);
        size_t n = 0;
        char *t = slurp_if_any(p, &n);
        cr_assert(t && blen + n < sizeof big);
        memcpy(big + blen, t, n);
        blen += n;
        free(t);
    }
    write_file("big.txt", big, blen);

    char p[512];
    path_in_tmp(p, sizeof p, "fs.db-wal");
    struct stat st;
    cr_assert_neq(stat(p, &st), 0, "a WAL file was left after a clean ingest");
    path_in_tmp(p, sizeof p, "fs.db");
    size_t before_len = 0;
    char *before = slurp_if_any(p, &before_len);
    cr_assert(before && before_len > 64 * 1024, "fs.db: %zu bytes", before_len);

    char **argv = ingest_argv("fs.db", 9, 12);
    argv[6] = "big.txt"; /* first, then doc11 and doc12 */
    code = run_to_end(argv, 64 * 1024, &err);
    cr_expect_eq(code, 3, "ingest on a full disk: exit %d; stderr:\n%s", code, err);
    cr_expect(strstr(err, "big.txt"), "the message does not name the article:\n%s", err);
    cr_expect(strstr(err, "disk"), "the message does not say the disk is the trouble:\n%s", err);
    free(err);
    free_argv(argv);

    size_t after_len = 0;
    char *after = slurp_if_any(p, &after_len);
    cr_expect(after && after_len == before_len && !memcmp(after, before, before_len),
              "fs.db changed: %zu bytes before, %zu after", before_len, after_len);
    free(before);
    free(after);
    cr_expect_eq(check_db("fs.db", "after the full disk"), 5);
}
