/*
 * test_walbuf.c -- Criterion tests of the WAL-gathering VFS (timeline/walbuf.c).
 *
 * Each case of a table writes transactions through a connection on the
 * "summit-walbuf" VFS while a second connection, on SQLite's default VFS
 * and so with its own file descriptors, reads the same file:
 *   - after every COMMIT the reader sees exactly the rows the writer has
 *     committed (their number, versions and a hash of every blob): the
 *     frames are in the file before SQLite publishes them, or the reader
 *     would fail on a short read or see the previous state;
 *   - a ROLLBACK leaves what the reader sees unchanged;
 *   - where the case says so, a transaction of n WAL frames made at most
 *     1 + bytes / 124 KiB + 3 write system calls (/proc/self/io's syscw),
 *     where SQLite alone makes 2n -- the point of the shim, counted rather
 *     than timed;
 *   - at the end the file passes integrity_check when opened on the default
 *     VFS alone, with the same content.
 * The cases cover commits of one frame, commits larger than the buffer,
 * pages spilled from a tiny cache and rewritten within one transaction
 * (SQLite's checksum repair of frames it overwrote), 64 KiB pages (frames
 * written straight through) and checkpoints that restart the log.
 * Error paths (a full disk, a killed process) are tested on the real program
 * by test_crash.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "timeline_int.h"

typedef struct {
    char name[64]; /* an array, not a pointer: Criterion copies parameters into its worker process */
    int page_size;
    int cache_pages;    /* PRAGMA cache_size */
    int autocheckpoint; /* PRAGMA wal_autocheckpoint */
    int transactions;
    int rows;         /* rows inserted or updated a transaction */
    int blob;         /* bytes a row */
    int rewrites;     /* each row updated this many more times in its transaction */
    int count_writes; /* check the write system calls */
} wb_case;

static const wb_case wb_cases[] = {
    {"one small row a commit", 4096, 2000, 100000, 40, 1, 100, 0, 1},
    {"commits larger than the buffer", 4096, 2000, 100000, 8, 200, 3000, 0, 1},
    {"pages spilled from a tiny cache and rewritten", 1024, 10, 100000, 6, 300, 500, 2, 0},
    {"64 KiB pages, frames written straight through", 65536, 100, 100000, 5, 20, 30000, 0, 0},
    {"checkpoints restart the log", 4096, 2000, 20, 30, 30, 2000, 1, 0},
};

static uint64_t wb_fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* fnv(b): the top 40 bits of the blob's hash, so sums stay exact, for the reader's checksum */
static void wb_fnv_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *p = sqlite3_value_blob(argv[0]);
    const int n = sqlite3_value_bytes(argv[0]);
    sqlite3_result_int64(ctx, (sqlite3_int64)(wb_fnv(p, (size_t)n) >> 24));
}

static void wb_fill(unsigned char *b, int n, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (int i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        b[i] = (unsigned char)x;
    }
}

static long long wb_syscw(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    if (!f)
        return -1;
    char line[128];
    long long v = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "syscw:", 6) == 0) {
            char *end = NULL;
            v = strtoll(line + 6, &end, 10);
        }
    fclose(f);
    return v;
}

static long long wb_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static void wb_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    const int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
}

typedef struct {
    long long count, versions, hashes;
} wb_state;

static wb_state wb_read(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(v), 0), coalesce(sum(fnv(b)), 0) FROM t",
                                -1, &st, NULL);
    cr_assert_eq(rc, SQLITE_OK, "%s", sqlite3_errmsg(db));
    rc = sqlite3_step(st);
    cr_assert_eq(rc, SQLITE_ROW, "the reader could not read what was committed: %s", sqlite3_errmsg(db));
    wb_state s = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)};
    sqlite3_finalize(st);
    return s;
}

static void wb_run(const wb_case *c)
{
    char dir[] = "/tmp/summit-walbuf-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[256], wal[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(wal, sizeof wal, "%s/t.db-wal", dir);

    const char *vfs = tl__walbuf_vfs();
    cr_assert(vfs, "the VFS was not registered");
    sqlite3 *w = NULL, *r = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA page_size = %d", c->page_size);
    wb_exec(w, sql);
    wb_exec(w, "PRAGMA journal_mode = WAL");
    wb_exec(w, "PRAGMA synchronous = NORMAL");
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", c->cache_pages);
    wb_exec(w, sql);
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", c->autocheckpoint);
    wb_exec(w, sql);
    wb_exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, b BLOB NOT NULL)");
    cr_assert_eq(sqlite3_open_v2(path, &r, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_create_function(r, "fnv", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, wb_fnv_sql,
                                         NULL, NULL),
                 SQLITE_OK);

    sqlite3_stmt *put = NULL;
    cr_assert_eq(
        sqlite3_prepare_v2(w, "INSERT OR REPLACE INTO t (id, v, b) VALUES (?1, ?2, ?3)", -1, &put, NULL),
        SQLITE_OK);
    unsigned char *blob = malloc((size_t)c->blob);
    cr_assert(blob);
    const int ids = c->rows * 2; /* rows are written over ids 1..ids, so later transactions replace some */
    long long *ver = calloc((size_t)ids + 1, sizeof *ver), *hash = calloc((size_t)ids + 1, sizeof *hash);
    long long *nver = calloc((size_t)ids + 1, sizeof *nver), *nhash = calloc((size_t)ids + 1, sizeof *nhash);
    cr_assert(ver && hash && nver && nhash);
    wb_state expect = {0, 0, 0};
    int counted = 0;

    for (int t = 0; t < c->transactions; t++) {
        const int rollback = t % 5 == 3;
        const long long w0 = wb_syscw(), s0 = wb_size(wal);
        wb_exec(w, "BEGIN");
        memcpy(nver, ver, ((size_t)ids + 1) * sizeof *ver);
        memcpy(nhash, hash, ((size_t)ids + 1) * sizeof *hash);
        for (int k = 0; k < c->rows; k++) {
            const int id = 1 + (t * 37 + k * 7) % ids;
            for (int again = 0; again <= c->rewrites; again++) {
                const long long v = (long long)t * 1000 + k * 10 + again + 1;
                wb_fill(blob, c->blob, (uint64_t)v);
                sqlite3_bind_int(put, 1, id);
                sqlite3_bind_int64(put, 2, v);
                sqlite3_bind_blob(put, 3, blob, c->blob, SQLITE_STATIC);
                cr_assert_eq(sqlite3_step(put), SQLITE_DONE, "%s", sqlite3_errmsg(w));
                sqlite3_reset(put);
                nver[id] = v;
                nhash[id] = (long long)(wb_fnv(blob, (size_t)c->blob) >> 24);
            }
        }
        wb_exec(w, rollback ? "ROLLBACK" : "COMMIT");
        const long long w1 = wb_syscw(), s1 = wb_size(wal);
        if (!rollback) {
            memcpy(ver, nver, ((size_t)ids + 1) * sizeof *ver);
            memcpy(hash, nhash, ((size_t)ids + 1) * sizeof *hash);
            expect = (wb_state){0, 0, 0};
            for (int id = 1; id <= ids; id++)
                if (ver[id]) {
                    expect.count++;
                    expect.versions += ver[id];
                    expect.hashes += hash[id];
                }
        }
        const wb_state got = wb_read(r);
        cr_expect_eq(got.count, expect.count, "%s, transaction %d: the reader sees %lld rows, not %lld",
                     c->name, t, got.count, expect.count);
        cr_expect_eq(got.versions, expect.versions, "%s, transaction %d: versions differ", c->name, t);
        cr_expect_eq(got.hashes, expect.hashes, "%s, transaction %d: blob contents differ", c->name, t);

        if (c->count_writes && !rollback && w0 >= 0 && s1 > s0) {
            const long long frame = 24 + c->page_size, frames = (s1 - s0) / frame;
            const long long bound = 1 + (s1 - s0) / (124 * 1024) + 3;
            cr_expect_leq(w1 - w0, bound,
                          "%s, transaction %d: %lld write calls for %lld frames (at most %lld)", c->name, t,
                          w1 - w0, frames, bound);
            counted++;
        }
    }
    if (c->count_writes && wb_syscw() >= 0)
        cr_expect_gt(counted, 0, "%s: no transaction's write calls were counted", c->name);

    sqlite3_finalize(put);
    cr_assert_eq(sqlite3_close(r), SQLITE_OK);
    cr_assert_eq(sqlite3_close(w), SQLITE_OK);

    /* the file alone, on the default VFS */
    cr_assert_eq(sqlite3_open_v2(path, &r, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_create_function(r, "fnv", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, wb_fnv_sql,
                                         NULL, NULL),
                 SQLITE_OK);
    sqlite3_stmt *chk = NULL;
    cr_assert_eq(sqlite3_prepare_v2(r, "PRAGMA integrity_check", -1, &chk, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(chk), SQLITE_ROW);
    cr_expect_str_eq((const char *)sqlite3_column_text(chk, 0), "ok", "%s", c->name);
    sqlite3_finalize(chk);
    const wb_state end = wb_read(r);
    cr_expect_eq(end.count, expect.count, "%s: reopened", c->name);
    cr_expect_eq(end.hashes, expect.hashes, "%s: reopened", c->name);
    sqlite3_close(r);

    free(blob);
    free(ver);
    free(hash);
    free(nver);
    free(nhash);
    char f[300];
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, suffix[i]);
        unlink(f);
    }
    rmdir(dir);
}

ParameterizedTestParameters(walbuf, every_commit_is_in_the_file_before_readers_see_it)
{
    return cr_make_param_array(wb_case, wb_cases, sizeof wb_cases / sizeof wb_cases[0]);
}

ParameterizedTest(const wb_case *c, walbuf, every_commit_is_in_the_file_before_readers_see_it)
{
    wb_run(c);
}

Test(walbuf, other_files_are_not_wrapped_and_a_missing_file_fails_as_before)
{
    const char *vfs = tl__walbuf_vfs();
    cr_assert(vfs);
    sqlite3 *db = NULL;
    /* an in-memory database and a temporary one go to the default VFS */
    cr_assert_eq(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, vfs), SQLITE_OK);
    wb_exec(db, "CREATE TEMP TABLE x (a); INSERT INTO x VALUES (1); SELECT * FROM x");
    sqlite3_close(db);
    db = NULL;
    const int rc = sqlite3_open_v2("/nonexistent-summit-dir/t.db", &db, SQLITE_OPEN_READWRITE, vfs);
    cr_expect_eq(rc, SQLITE_CANTOPEN, "got %s", sqlite3_errstr(rc));
    sqlite3_close(db);
}
