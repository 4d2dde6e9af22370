/*
 * test_parallel.c -- Criterion tests of `summit ingest -j N`: extraction on
 * N threads, one writer, and everything the user sees the same as -j 1.
 *
 * Each case runs the real program (env SUMMIT_BIN) as a child process with
 * fork/execv -- no shell -- in a fresh mkdtemp directory, once with -j 1
 * and once with more jobs, into two databases, and asserts:
 *   - the same exit status and byte-identical standard error (warnings,
 *     failures and the summary in input order);
 *   - identical databases, table by table: every table in sqlite_master
 *     (the FTS5 shadow tables too), read with the sqlite3 API in rowid
 *     order (all columns for WITHOUT ROWID tables), values and types
 *     compared; documents.ingested_at, the clock, is left out.
 * Cases: all fixtures (env SUMMIT_FIXTURES); the fixtures with a file of
 * invalid UTF-8 in the middle and standard input among the arguments; and
 * a database write that fails part-way (the file size limit, RLIMIT_FSIZE,
 * with SIGXFSZ ignored), where the writer stops and the workers must be
 * stopped and joined.  Usage errors of -j are in test_cli's table.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MAX_ARGS 16

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/summit-par-XXXXXX");
    cr_assert(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
}

static void teardown(void)
{
    if (tmpdir[0]) remove_tree(tmpdir);
    tmpdir[0] = '\0';
}

/* Copies every fixture article (*.txt) into the directory dir (in the temp
 * dir), which is created; returns how many. */
static size_t copy_fixtures(const char *dir)
{
    char p[512];
    path_in_tmp(p, sizeof p, dir);
    cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s: %s", p, strerror(errno));
    const char *src = env_or_fail("SUMMIT_FIXTURES");
    DIR *d = opendir(src);
    cr_assert(d, "%s: %s", src, strerror(errno));
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0) continue;
        char from[1024], to[600];
        int k = snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        cr_assert(k > 0 && (size_t)k < sizeof from);
        k = snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
        cr_assert(k > 0 && (size_t)k < sizeof to);
        size_t bytes = 0;
        char *text = slurp_or_fail(from, &bytes);
        write_file(to, text, bytes);
        free(text);
        n++;
    }
    closedir(d);
    return n;
}

typedef struct run_result {
    int code;
    char *err;
} run_result;

/* Runs SUMMIT_BIN with args (NULL-terminated) in the temp dir, stdin from
 * stdin_name there (NULL: /dev/null), stdout discarded, stderr captured.
 * fsize_limit > 0 caps the size of any file the child writes (RLIMIT_FSIZE,
 * with SIGXFSZ ignored so a write past it fails instead of killing). */
static void run(run_result *r, const char *const *args, const char *stdin_name, rlim_t fsize_limit)
{
    char *bin = absolute_bin();
    char *argv[MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = bin;
    for (size_t k = 0; k < MAX_ARGS && args[k]; k++) argv[n++] = (char *)args[k];
    argv[n] = NULL;
    char err_path[512], in_path[512];
    path_in_tmp(err_path, sizeof err_path, ".stderr");
    if (stdin_name)
        path_in_tmp(in_path, sizeof in_path, stdin_name);
    else
        snprintf(in_path, sizeof in_path, "/dev/null");

    int status = wait_child(spawn_in_tmp(argv, in_path, "/dev/null", O_WRONLY, err_path, (long)fsize_limit));
    free(bin);
    cr_assert(WIFEXITED(status), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r->code = WEXITSTATUS(status);
    cr_assert(r->code != 126 && r->code != 127, "could not start %s", env_or_fail("SUMMIT_BIN"));
    r->err = slurp_or_fail(err_path, NULL);
    cr_assert(!strstr(r->err, "Sanitizer") && !strstr(r->err, "runtime error:"), "sanitizer report:\n%s", r->err);
}

/* ---- comparing two databases ------------------------------------------------ */

static sqlite3 *open_ro(const char *name)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "cannot open %s", p);
    return db;
}

/* The tables of db, in name order, as one "|"-separated malloc'd string. */
static char *table_list(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT coalesce(group_concat(name, '|'), '') FROM (SELECT name FROM "
                                    "sqlite_master WHERE type = 'table' ORDER BY name)",
                                    -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    char *v = strdup((const char *)sqlite3_column_text(st, 0));
    cr_assert(v);
    sqlite3_finalize(st);
    return v;
}

/* SELECT of table's columns but ingested_at, in a deterministic order: by
 * rowid, or by every column for a WITHOUT ROWID table. */
static sqlite3_stmt *select_all(sqlite3 *db, const char *table)
{
    char sql[4096];
    sqlite3_stmt *st = NULL;
    int k = snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
    cr_assert(k > 0 && (size_t)k < sizeof sql);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    const int ncol = sqlite3_column_count(st);
    char cols[3000] = "";
    size_t at = 0;
    for (int i = 0; i < ncol; i++) {
        const char *name = sqlite3_column_name(st, i);
        if (!strcmp(table, "documents") && !strcmp(name, "ingested_at")) continue; /* the clock */
        k = snprintf(cols + at, sizeof cols - at, "%s\"%s\"", at ? ", " : "", name);
        cr_assert(k > 0 && (size_t)k < sizeof cols - at);
        at += (size_t)k;
    }
    sqlite3_finalize(st);
    k = snprintf(sql, sizeof sql, "SELECT %s FROM \"%s\" ORDER BY rowid", cols, table);
    cr_assert(k > 0 && (size_t)k < sizeof sql);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) return st;
    /* WITHOUT ROWID (the FTS5 index): order by every column */
    char order[600] = "";
    at = 0;
    for (int i = 1; i <= ncol; i++) {
        k = snprintf(order + at, sizeof order - at, "%s%d", i > 1 ? ", " : "", i);
        cr_assert(k > 0 && (size_t)k < sizeof order - at);
        at += (size_t)k;
    }
    k = snprintf(sql, sizeof sql, "SELECT %s FROM \"%s\" ORDER BY %s", cols, table, order);
    cr_assert(k > 0 && (size_t)k < sizeof sql);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    return st;
}

/* Asserts that databases a and b (in the temp dir) hold the same tables
 * with the same rows; returns the number of rows compared. */
static long long assert_same_databases(const char *a, const char *b)
{
    sqlite3 *da = open_ro(a), *dbb = open_ro(b);
    char *ta = table_list(da), *tb = table_list(dbb);
    cr_assert_str_eq(ta, tb, "%s and %s have different tables", a, b);
    cr_assert(strstr(ta, "documents") && strstr(ta, "timeline_events"), "not a summit database: %s", ta);
    long long rows = 0;
    for (char *name = ta, *next; name && *name; name = next) {
        next = strchr(name, '|');
        if (next) *next++ = '\0';
        sqlite3_stmt *sa = select_all(da, name), *sb = select_all(dbb, name);
        const int ncol = sqlite3_column_count(sa);
        cr_assert_eq(ncol, sqlite3_column_count(sb), "%s: column counts differ", name);
        for (long long row = 0;; row++) {
            int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
            cr_assert(ra == SQLITE_ROW || ra == SQLITE_DONE, "%s: %s", name, sqlite3_errmsg(da));
            cr_assert_eq(ra, rb, "%s: %s has %s rows (row %lld)", name, ra == SQLITE_ROW ? a : b,
                         "more", row);
            if (ra == SQLITE_DONE) break;
            rows++;
            for (int c = 0; c < ncol; c++) {
                const int type = sqlite3_column_type(sa, c);
                cr_assert_eq(type, sqlite3_column_type(sb, c), "%s row %lld column %s: types differ", name, row,
                             sqlite3_column_name(sa, c));
                const void *va = sqlite3_column_blob(sa, c), *vb = sqlite3_column_blob(sb, c);
                const int la = sqlite3_column_bytes(sa, c), lb = sqlite3_column_bytes(sb, c);
                cr_assert(la == lb && (la == 0 || memcmp(va, vb, (size_t)la) == 0),
                          "%s row %lld column %s differs between %s and %s", name, row, sqlite3_column_name(sa, c),
                          a, b);
            }
        }
        sqlite3_finalize(sa);
        sqlite3_finalize(sb);
    }
    free(ta);
    free(tb);
    sqlite3_close(da);
    sqlite3_close(dbb);
    return rows;
}

/* Runs `ingest --db DB JOBS... ARGS...` for -j 1 and for jobs (e.g. "-j",
 * "4"), and asserts the same exit code, the same stderr and the same
 * database.  Returns the exit code; *err_out (may be NULL) gets -j 1's
 * stderr (caller frees). */
static int ingest_both_ways(const char *const *args, const char *stdin_name, rlim_t fsize_limit,
                            const char *jobs_opt, const char *jobs, char **err_out)
{
    const char *one[MAX_ARGS + 1], *many[MAX_ARGS + 1];
    size_t n = 0;
    const char *head1[] = {"ingest", "--db", "one.db", "-j", "1"};
    const char *headn[] = {"ingest", "--db", "many.db", jobs_opt, jobs};
    for (size_t i = 0; i < 5; i++) one[n] = head1[i], many[n++] = headn[i];
    for (size_t i = 0; args[i]; i++) {
        cr_assert_lt(n, (size_t)MAX_ARGS);
        one[n] = many[n] = args[i];
        n++;
    }
    one[n] = many[n] = NULL;
    run_result r1, rn;
    run(&r1, one, stdin_name, fsize_limit);
    run(&rn, many, stdin_name, fsize_limit);
    cr_assert_eq(rn.code, r1.code, "%s %s exits %d, -j 1 exits %d;\n-j 1 stderr:\n%s\n%s %s stderr:\n%s", jobs_opt,
                 jobs, rn.code, r1.code, r1.err, jobs_opt, jobs, rn.err);
    cr_assert_str_eq(rn.err, r1.err, "stderr differs from -j 1");
    long long rows = assert_same_databases("one.db", "many.db");
    cr_assert_gt(rows, 0);
    free(rn.err);
    if (err_out) *err_out = r1.err;
    else free(r1.err);
    return r1.code;
}

Test(parallel, all_fixtures_with_four_jobs_give_the_database_and_messages_of_one, .init = setup,
     .fini = teardown)
{
    const char *dir = env_or_fail("SUMMIT_FIXTURES");
    const char *args[] = {dir, NULL};
    char *err = NULL;
    cr_assert_eq(ingest_both_ways(args, NULL, 0, "-j", "4", &err), 0);
    cr_expect(strstr(err, "ingested 20 documents (20 new,"), "%s", err);
    cr_expect(strstr(err, ": warning: "), "the fixtures should give warnings to order:\n%s", err);
    free(err);
}

Test(parallel, two_jobs_and_a_second_ingest_that_changes_nothing, .init = setup, .fini = teardown)
{
    const char *dir = env_or_fail("SUMMIT_FIXTURES");
    const char *args[] = {dir, NULL};
    cr_assert_eq(ingest_both_ways(args, NULL, 0, "--jobs", "2", NULL), 0);
    /* again into the same databases: every document unchanged */
    char *err = NULL;
    cr_assert_eq(ingest_both_ways(args, NULL, 0, "--jobs", "2", &err), 0);
    cr_expect(strstr(err, "(0 new, 0 replaced, 20 unchanged;"), "%s", err);
    free(err);
}

Test(parallel, a_bad_file_in_the_middle_and_stdin_give_what_one_job_gives, .init = setup, .fini = teardown)
{
    size_t n = copy_fixtures("corpus");
    cr_assert_gt(n, 10);
    /* sorts between 08_... and 10_...; the bad byte follows 21 good ones */
    static const char bad_text[] = "Obama met Abe in Tokyo\xC0\xAF on Friday.\n";
    static const char stdin_text[] = "Macron met Merkel in Berlin on Thursday.\n";
    write_file("corpus/09_bad_bytes.txt", bad_text, sizeof bad_text - 1);
    write_file("stdin.txt", stdin_text, sizeof stdin_text - 1);
    const char *args[] = {"corpus", "-", "corpus/01_wikinews_2004-11-16_lula_roh_meeting_brasilia.txt", NULL};
    char *err = NULL;
    cr_assert_eq(ingest_both_ways(args, "stdin.txt", 0, "-j", "4", &err), 1);
    const char *bad = strstr(err, "summit: corpus/09_bad_bytes.txt: invalid UTF-8 at byte 22");
    cr_assert(bad, "%s", err);
    /* in input order: after the warnings of earlier files, before the summary */
    const char *summary = strstr(err, "summit: ingested ");
    cr_assert(summary && summary > bad, "%s", err);
    cr_expect(strstr(summary, "1 failed"), "%s", err);
    free(err);
}

Test(parallel, a_database_write_failing_part_way_stops_the_workers, .init = setup, .fini = teardown)
{
    const char *dir = env_or_fail("SUMMIT_FIXTURES");
    const char *args[] = {dir, NULL};
    char *err = NULL;
    /* 400 KiB: the schema fits, the fixtures do not (the -j 1 run shows where it stops) */
    cr_assert_eq(ingest_both_ways(args, NULL, (rlim_t)400 * 1024, "-j", "4", &err), 3);
    cr_expect(strstr(err, "summit: ingested "), "%s", err);
    free(err);
}
