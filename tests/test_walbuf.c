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
 * commits of every size to 80 frames (31 and 61 among them: the commit
 * frame's header fills the buffer and its page starts the next run), pages
 * spilled from a tiny cache and rewritten within one transaction (SQLite's
 * checksum repair of frames it overwrote), 64 KiB pages (frames written
 * straight through), checkpoints that restart the log, and exclusive
 * locking, where SQLite never calls xShmBarrier: there, after every COMMIT
 * the shim must hold nothing unwritten (tl__walbuf_buffered).
 *
 *   a_failed_write_never_commits_a_partial_transaction
 *       a VFS under the shim fails the k-th WAL write of a transaction, for
 *       every k, with SQLITE_FULL; whatever SQLite does then, the file passes
 *       integrity_check and holds exactly the rows of the statements that
 *       succeeded in transactions whose COMMIT succeeded (writer, reader on
 *       the plain VFS, reopened file), and the next transaction commits.
 *   a_rolled_back_transaction_leaves_nothing_to_write_over_another_connection
 *       what a rolled-back transaction had gathered is not written later
 *       over frames another connection committed meanwhile.
 * Error paths of the real program (a full disk, a killed process) are tested
 * by test_crash.c.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
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
    int grow;         /* rows added to each later transaction */
    int exclusive;    /* PRAGMA locking_mode = EXCLUSIVE: no shared memory, no reader until the end */
    int psow0;        /* opened with psow=0 and synchronous = FULL: commits padded to a sector */
} wb_case;

static const wb_case wb_cases[] = {
    {"one small row a commit", 4096, 2000, 100000, 40, 1, 100, 0, 1, 0, 0, 0},
    {"commits larger than the buffer", 4096, 2000, 100000, 8, 200, 3000, 0, 1, 0, 0, 0},
    {"pages spilled from a tiny cache and rewritten", 1024, 10, 100000, 6, 300, 500, 2, 0, 0, 0, 0},
    {"64 KiB pages, frames written straight through", 65536, 100, 100000, 5, 20, 30000, 0, 0, 0, 0, 0},
    {"checkpoints restart the log", 4096, 2000, 20, 30, 30, 2000, 1, 0, 0, 0, 0},
    /* a row a page: commits of 3 to 80 frames, among them those whose
     * commit frame's header fills the buffer and whose page starts the next
     * run (31 and 61 frames) */
    {"commits of every size up to 80 frames", 4096, 2000, 100000, 78, 1, 3900, 0, 1, 1, 0, 0},
    /* without shared memory SQLite never calls xShmBarrier, so nothing but
     * the commit rule writes a commit out */
    {"commits of every size, exclusive locking", 4096, 2000, 100000, 78, 1, 3900, 0, 0, 1, 1, 0},
    {"spills and rewrites, exclusive locking", 1024, 10, 100000, 6, 300, 500, 2, 0, 0, 1, 0},
    /* the padding after the commit frame: the log is written as SQLite writes it */
    {"psow=0, synchronous=FULL", 4096, 2000, 100000, 40, 1, 3900, 0, 0, 1, 0, 1},
    {"psow=0, synchronous=FULL, exclusive locking", 4096, 2000, 100000, 40, 1, 3900, 0, 0, 1, 1, 1},
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

/* Makes the folder dir (a mkdtemp template) and names t.db in it. */
static void wb_tmpdb(char *dir, char *path, size_t n)
{
    cr_assert(mkdtemp(dir));
    snprintf(path, n, "%s/t.db", dir);
}

/* Removes the database path, its -wal and -shm, and the folder dir. */
static void wb_remove(const char *dir, const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char f[300];
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, suffix[i]);
        unlink(f);
    }
    rmdir(dir);
}

static sqlite3 *wb_open_fnv(const char *path, int flags, const char *vfs)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, flags, vfs), SQLITE_OK);
    cr_assert_eq(sqlite3_create_function(db, "fnv", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, wb_fnv_sql,
                                         NULL, NULL),
                 SQLITE_OK);
    return db;
}

static void wb_expect_ok(sqlite3 *db, const char *what, int round)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s, round %d: %s", what, round, sqlite3_errmsg(db));
    cr_expect_str_eq((const char *)sqlite3_column_text(st, 0), "ok", "%s, round %d", what, round);
    sqlite3_finalize(st);
}

static void wb_run(const wb_case *c)
{
    char dir[] = "/tmp/summit-walbuf-XXXXXX", path[256], wal[300];
    wb_tmpdb(dir, path, sizeof path);
    snprintf(wal, sizeof wal, "%s-wal", path);

    const char *vfs = tl__walbuf_vfs();
    cr_assert(vfs, "the VFS was not registered");
    sqlite3 *w = NULL, *r = NULL;
    char uri[300];
    snprintf(uri, sizeof uri, "file:%s%s", path, c->psow0 ? "?psow=0" : "");
    cr_assert_eq(sqlite3_open_v2(uri, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, vfs),
                 SQLITE_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA page_size = %d", c->page_size);
    wb_exec(w, sql);
    if (c->exclusive)
        wb_exec(w, "PRAGMA locking_mode = EXCLUSIVE");
    wb_exec(w, "PRAGMA journal_mode = WAL");
    wb_exec(w, c->psow0 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", c->cache_pages);
    wb_exec(w, sql);
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", c->autocheckpoint);
    wb_exec(w, sql);
    wb_exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, b BLOB NOT NULL)");
    if (!c->exclusive)
        r = wb_open_fnv(path, SQLITE_OPEN_READONLY, NULL);

    sqlite3_stmt *put = NULL;
    cr_assert_eq(
        sqlite3_prepare_v2(w, "INSERT OR REPLACE INTO t (id, v, b) VALUES (?1, ?2, ?3)", -1, &put, NULL),
        SQLITE_OK);
    unsigned char *blob = malloc((size_t)c->blob);
    cr_assert(blob);
    const int max_rows = c->rows + c->grow * c->transactions;
    const int ids = max_rows * 2; /* rows are written over ids 1..ids, so later transactions replace some */
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
        for (int k = 0; k < c->rows + c->grow * t; k++) {
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
        sqlite3_file *wf = NULL;
        cr_assert_eq(sqlite3_file_control(w, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wf), SQLITE_OK);
        /* (after a ROLLBACK with exclusive locking, spilled frames may stay
         * gathered: no lock release says the transaction ended, and no other
         * connection can write the log) */
        if (!rollback || !c->exclusive)
            cr_expect_eq(tl__walbuf_buffered(wf), 0,
                         "%s, transaction %d: %zu bytes of the log still unwritten after %s", c->name, t,
                         tl__walbuf_buffered(wf), rollback ? "ROLLBACK" : "COMMIT");
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
        if (c->exclusive)
            continue;
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
    if (r)
        cr_assert_eq(sqlite3_close(r), SQLITE_OK);
    cr_assert_eq(sqlite3_close(w), SQLITE_OK);

    /* the file alone, on the default VFS */
    r = wb_open_fnv(path, SQLITE_OPEN_READONLY, NULL);
    wb_expect_ok(r, c->name, c->transactions);
    const wb_state end = wb_read(r);
    cr_expect_eq(end.count, expect.count, "%s: reopened", c->name);
    cr_expect_eq(end.hashes, expect.hashes, "%s: reopened", c->name);
    sqlite3_close(r);

    free(blob);
    free(ver);
    free(hash);
    free(nver);
    free(nhash);
    wb_remove(dir, path);
}

ParameterizedTestParameters(walbuf, every_commit_is_in_the_file_before_readers_see_it)
{
    return cr_make_param_array(wb_case, wb_cases, sizeof wb_cases / sizeof wb_cases[0]);
}

ParameterizedTest(const wb_case *c, walbuf, every_commit_is_in_the_file_before_readers_see_it)
{
    wb_run(c);
}

Test(walbuf, temporary_tables_and_a_missing_file_behave_as_on_the_default_vfs)
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

/* ---- failed writes -------------------------------------------------------- */

/* A VFS under the shim (registered as the default before the shim's first
 * use in this test's process) whose WAL files fail their n-th write with
 * SQLITE_FULL, as a full disk does. */
static sqlite3_vfs wb_faulty;
static sqlite3_io_methods wb_faulty_methods;
static const sqlite3_io_methods *wb_real_methods;
static int wb_fail_at;    /* > 0: the WAL write that many writes from now fails */
static int wb_wal_writes; /* WAL writes made */
static int wb_failed;     /* WAL writes failed */

static int wb_faulty_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
    wb_wal_writes++;
    if (wb_fail_at > 0 && --wb_fail_at == 0) {
        wb_failed++;
        return SQLITE_FULL;
    }
    return wb_real_methods->xWrite(f, data, n, off);
}

static int wb_faulty_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    sqlite3_vfs *base = vfs->pAppData;
    const int rc = base->xOpen(base, name, f, flags, out_flags);
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) && f->pMethods) {
        if (!wb_real_methods) {
            wb_real_methods = f->pMethods;
            wb_faulty_methods = *f->pMethods;
            wb_faulty_methods.xWrite = wb_faulty_write;
        }
        if (f->pMethods == wb_real_methods) /* (the unix VFS never looks at its own pMethods) */
            f->pMethods = &wb_faulty_methods;
    }
    return rc;
}

typedef struct {
    char name[64];
    int page_size, cache_pages, rows, blob;
    int sizes; /* transactions of rows, rows + 1, ..., rows + sizes - 1 rows (0: 1) */
    int copy;  /* end each transaction with the copy into u */
} wb_fault_case;

static const wb_fault_case wb_fault_cases[] = {
    {"a commit of about 90 frames", 4096, 2000, 30, 3000, 0, 1},
    /* a row a page: commits of 22 to 50 frames, 31 among them (its commit
     * frame's header fills the buffer, its page starts the next run) */
    {"commits of 22 to 50 frames", 4096, 2000, 20, 3900, 28, 0},
    /* t's pages spill from the cache and are read back by the copy into u */
    {"spills from a tiny cache, read back", 4096, 10, 60, 3000, 0, 1},
};

/* Rows and the sum of their blobs' hashes in table tab ("t" or "u"). */
static long long wb_count(sqlite3 *db, const char *tab, long long *sum_out)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*), coalesce(sum(fnv(b)), 0) FROM %s", tab);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    const int rc = sqlite3_step(st);
    cr_assert_eq(rc, SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
    const long long n = sqlite3_column_int64(st, 0);
    *sum_out = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    return n;
}

static void wb_expect_rows(sqlite3 *db, const char *who, const char *what, int round, const long long n[2],
                           const long long sum[2])
{
    static const char *const tabs[2] = {"t", "u"};
    for (int i = 0; i < 2; i++) {
        long long s = 0;
        const long long k = wb_count(db, tabs[i], &s);
        cr_expect_eq(k, n[i], "%s, round %d: the %s sees %lld rows in %s, not %lld", what, round, who, k,
                     tabs[i], n[i]);
        cr_expect_eq(s, sum[i], "%s, round %d: the %s sees other rows in %s", what, round, who, tabs[i]);
    }
}

ParameterizedTestParameters(walbuf, a_failed_write_never_commits_a_partial_transaction)
{
    return cr_make_param_array(wb_fault_case, wb_fault_cases,
                               sizeof wb_fault_cases / sizeof wb_fault_cases[0]);
}

/* A round's transaction inserts rows into t one statement each, then copies
 * them into u with one INSERT ... SELECT (u's UNIQUE index gives it a
 * statement journal, so SQLite may roll back only that statement when it
 * fails, and its SELECT reads t's new pages back).  Round k fails the k-th
 * WAL write of its transaction.  Whatever SQLite then does (roll back the
 * statement or the transaction, fail the commit), the file must pass
 * integrity_check and hold exactly the rows of the statements that
 * succeeded in a transaction whose COMMIT succeeded -- for the writer, for a
 * reader on the plain VFS, and after reopening -- and a transaction with no
 * failure must commit afterwards. */
ParameterizedTest(const wb_fault_case *c, walbuf, a_failed_write_never_commits_a_partial_transaction)
{
    sqlite3_vfs *unix_vfs = sqlite3_vfs_find(NULL);
    cr_assert(unix_vfs);
    wb_faulty = *unix_vfs;
    wb_faulty.zName = "summit-test-faulty";
    wb_faulty.pAppData = unix_vfs;
    wb_faulty.xOpen = wb_faulty_open;
    cr_assert_eq(sqlite3_vfs_register(&wb_faulty, 1), SQLITE_OK);
    const char *vfs = tl__walbuf_vfs(); /* wraps the default: the faulty one */
    cr_assert(vfs);

    char dir[] = "/tmp/summit-walbuf-XXXXXX", path[256];
    wb_tmpdb(dir, path, sizeof path);
    sqlite3 *w = wb_open_fnv(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA page_size = %d", c->page_size);
    wb_exec(w, sql);
    wb_exec(w, "PRAGMA journal_mode = WAL");
    wb_exec(w, "PRAGMA synchronous = NORMAL");
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", c->cache_pages);
    wb_exec(w, sql);
    wb_exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL);"
               "CREATE TABLE u (id INTEGER PRIMARY KEY, b BLOB NOT NULL UNIQUE)");
    sqlite3 *r = wb_open_fnv(path, SQLITE_OPEN_READONLY, "unix");
    sqlite3_stmt *put = NULL, *copy = NULL;
    cr_assert_eq(sqlite3_prepare_v2(w, "INSERT INTO t (id, b) VALUES (?1, ?2)", -1, &put, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(w, "INSERT INTO u (b) SELECT b FROM t WHERE id >= ?1 ORDER BY id DESC",
                                    -1, &copy, NULL),
                 SQLITE_OK);
    unsigned char *blob = malloc((size_t)c->blob);
    cr_assert(blob);

    long long n[2] = {0, 0}, sum[2] = {0, 0}, next_id = 1;
    int rounds = 0, statement_only = 0, writes_seen = 0;
    const int sizes = c->sizes ? c->sizes : 1;
    for (int size = 0; size < sizes; size++) {
        const int rows = c->rows + size;
        int writes_clean = -1;
        /* for each size, round 0 counts a clean transaction's writes; round k
         * fails the k-th (and one more round fails none) */
        for (int round = 0; writes_clean < 0 || round <= writes_clean + 1; round++, rounds++) {
            const int writes0 = wb_wal_writes;
            wb_fail_at = round;
            wb_exec(w, "BEGIN");
            long long add_n[2] = {0, 0}, add_sum[2] = {0, 0};
            const long long first = next_id;
            int dead = 0, rc = SQLITE_OK;
            for (int k = 0; k <= rows - !c->copy && !dead; k++) {
                long long h = 0;
                if (k < rows) {
                    const long long id = next_id++;
                    wb_fill(blob, c->blob, (uint64_t)id);
                    h = (long long)(wb_fnv(blob, (size_t)c->blob) >> 24);
                    sqlite3_bind_int64(put, 1, id);
                    sqlite3_bind_blob(put, 2, blob, c->blob, SQLITE_STATIC);
                    rc = sqlite3_step(put);
                    sqlite3_reset(put);
                } else {
                    sqlite3_bind_int64(copy, 1, first);
                    rc = sqlite3_step(copy);
                    sqlite3_reset(copy);
                }
                if (rc == SQLITE_DONE) {
                    if (k < rows) {
                        add_n[0]++;
                        add_sum[0] += h;
                    } else { /* u gets t's rows of this transaction that are there */
                        add_n[1] = add_n[0];
                        add_sum[1] = add_sum[0];
                    }
                } else if (sqlite3_get_autocommit(w))
                    dead = 1; /* SQLite rolled the whole transaction back */
                else
                    statement_only++; /* only the statement: go on, as a careless program would */
            }
            int committed = 0;
            if (!dead) {
                committed = sqlite3_exec(w, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
                if (!committed && !sqlite3_get_autocommit(w))
                    wb_exec(w, "ROLLBACK");
            }
            wb_fail_at = 0;
            if (round == 0) {
                cr_assert(committed, "%s: a transaction with no failure did not commit", c->name);
                writes_clean = wb_wal_writes - writes0;
                writes_seen += writes_clean;
            }
            if (committed)
                for (int i = 0; i < 2; i++) {
                    n[i] += add_n[i];
                    sum[i] += add_sum[i];
                }
            wb_expect_rows(w, "writer", c->name, rounds, n, sum);
            wb_expect_rows(r, "reader", c->name, rounds, n, sum);
            wb_expect_ok(r, c->name, rounds);
        }
    }
    cr_expect_gt(writes_seen, 0, "%s: no WAL write was seen: the shim is not over the faulty VFS", c->name);
    cr_expect_gt(wb_failed, 0, "%s: no write failed", c->name);
    cr_log_info("%s: %d rounds, %d failed writes, %d statements rolled back alone", c->name, rounds,
                wb_failed, statement_only);

    /* a clean transaction after all that */
    wb_exec(w, "BEGIN");
    const long long id = next_id++;
    wb_fill(blob, c->blob, (uint64_t)id);
    sqlite3_bind_int64(put, 1, id);
    sqlite3_bind_blob(put, 2, blob, c->blob, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(put), SQLITE_DONE, "%s: %s", c->name, sqlite3_errmsg(w));
    sqlite3_reset(put);
    n[0]++;
    sum[0] += (long long)(wb_fnv(blob, (size_t)c->blob) >> 24);
    wb_exec(w, "COMMIT");
    sqlite3_finalize(put);
    sqlite3_finalize(copy);
    cr_assert_eq(sqlite3_close(r), SQLITE_OK);
    cr_assert_eq(sqlite3_close(w), SQLITE_OK);

    r = wb_open_fnv(path, SQLITE_OPEN_READONLY, "unix");
    wb_expect_ok(r, c->name, rounds);
    wb_expect_rows(r, "reopened file", c->name, rounds, n, sum);
    sqlite3_close(r);
    free(blob);
    wb_remove(dir, path);
}

/* Connection A gathers frames of a transaction it then rolls back;
 * connection B commits frames at the same place in the log; A commits
 * next.  What A gathered must not be written over B's frames. */
Test(walbuf, a_rolled_back_transaction_leaves_nothing_to_write_over_another_connection)
{
    const char *vfs = tl__walbuf_vfs();
    cr_assert(vfs);
    char dir[] = "/tmp/summit-walbuf-XXXXXX", path[256];
    wb_tmpdb(dir, path, sizeof path);
    sqlite3 *a = wb_open_fnv(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    wb_exec(a, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL);"
               "CREATE TABLE u (id INTEGER PRIMARY KEY, b BLOB NOT NULL)");
    sqlite3 *b = wb_open_fnv(path, SQLITE_OPEN_READWRITE, vfs);
    wb_exec(b, "PRAGMA wal_autocheckpoint = 0");
    /* A: more than a buffer of frames (some spilled, the last ones still
     * gathered), rolled back */
    wb_exec(a, "PRAGMA cache_size = 10");
    wb_exec(a, "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 45)"
               " INSERT INTO t (b) SELECT zeroblob(3500) FROM c; ROLLBACK");
    /* B: frames where A's were */
    wb_exec(b, "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 40)"
               " INSERT INTO u (b) SELECT randomblob(3000) FROM c; COMMIT");
    long long ub = 0, sb = 0;
    const long long nb = wb_count(b, "u", &ub);
    /* A commits again */
    wb_exec(a, "INSERT INTO t (b) VALUES (x'01020304')");
    sqlite3 *r = wb_open_fnv(path, SQLITE_OPEN_READONLY, "unix");
    wb_expect_ok(r, "after A's second commit", 0);
    cr_expect_eq(wb_count(r, "u", &sb), nb, "B's rows");
    cr_expect_eq(sb, ub, "B's rows' contents");
    cr_expect_eq(wb_count(r, "t", &sb), 1, "A's row");
    sqlite3_close(r);
    cr_assert_eq(sqlite3_close(a), SQLITE_OK);
    cr_assert_eq(sqlite3_close(b), SQLITE_OK);
    r = wb_open_fnv(path, SQLITE_OPEN_READONLY, "unix");
    wb_expect_ok(r, "reopened", 0);
    cr_expect_eq(wb_count(r, "u", &sb), nb, "B's rows, reopened");
    cr_expect_eq(sb, ub, "B's rows' contents, reopened");
    sqlite3_close(r);
    wb_remove(dir, path);
}
