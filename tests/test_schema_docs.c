/*
 * test_schema_docs.c -- the worked queries of docs/schema.md run against a
 * database of every fixture article.
 *
 * The database is built in-process: every .txt file of fixtures/ and the two wire
 * reports tests/data/merge_wire_{monday,sunday}.txt, extracted (sx_extract, no --dct) and
 * stored (tl_ingest) into a temporary file.  docs/schema.md is read from
 * SUMMIT_DOCS; every fenced ```sql block in it is one case (a Criterion
 * parameterized test per block number).  A block must prepare and run
 * without error and, unless it holds the line "-- may be empty", its last
 * statement must return at least one row.  Each block runs inside a
 * transaction that is rolled back, so examples that delete leave the
 * database as it was.  Also checks the fixture database itself: ingesting
 * every fixture twice gives the same counts as once.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extractor.h"
#include "files.h"
#include "timeline.h"

#define MAX_BLOCKS 64

static const char *env_or_fail(const char *name)
{
    const char *v = getenv(name);
    cr_assert(v && *v, "%s is not set (run the tests through ctest)", name);
    return v;
}

/* The n-th ```sql block of docs/schema.md (malloc'd), or NULL. */
static char *sql_block(size_t n)
{
    char *doc = slurp_or_fail(env_or_fail("SUMMIT_DOCS"), NULL);
    char *p = doc, *out = NULL;
    for (size_t k = 0; (p = strstr(p, "\n```sql\n")); k++) {
        p += 8;
        char *end = strstr(p, "\n```");
        cr_assert(end, "an unclosed ```sql block");
        if (k == n) {
            size_t len = (size_t)(end - p) + 1;
            out = malloc(len + 1);
            cr_assert(out);
            memcpy(out, p, len);
            out[len] = '\0';
            break;
        }
        p = end + 4;
    }
    free(doc);
    return out;
}

/* Ingests every *.txt of dir whose name starts with prefix (sorted). */
static void ingest_dir(tl_db *db, const char *dir, const char *prefix, size_t *n_docs)
{
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".txt") && !strncmp(e->d_name, prefix, strlen(prefix))) {
            names[n] = malloc(len + 1);
            cr_assert(names[n]);
            memcpy(names[n++], e->d_name, len + 1);
        }
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j], names[j - 1]) < 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char err[512], *buf = NULL;
        size_t len = 0;
        cr_assert_eq(sx_read_file(path, 0, &buf, &len, err, sizeof err), SX_OK, "%s", err);
        sx_doc doc;
        sx_doc_init(&doc);
        sx_options o = {NULL, 0};
        cr_assert_eq(sx_extract(&doc, path, buf, len, &o), SX_OK, "%s", sx_doc_errmsg(&doc));
        cr_assert_eq(tl_ingest(db, &doc, NULL), TL_OK, "%s", tl_db_errmsg(db));
        sx_doc_free(&doc);
        free(buf);
        free(names[i]);
    }
    *n_docs += n;
}

static char db_path[128];

static void build_db(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/summit-docs-XXXXXX");
    int fd = mkstemp(db_path);
    cr_assert(fd >= 0);
    close(fd);
    unlink(db_path);
    tl_db db;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, db_path, TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&db));
    size_t n = 0;
    ingest_dir(&db, env_or_fail("SUMMIT_FIXTURES"), "", &n);
    ingest_dir(&db, env_or_fail("SUMMIT_TESTDATA"), "merge_wire_", &n);
    cr_assert_gt(n, 10);
    tl_db_close(&db);
}

static void drop_db(void)
{
    char p[160];
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, sfx[i]);
        unlink(p);
    }
}

ParameterizedTestParameters(docs, worked_query_runs_and_returns_rows)
{
    static size_t idx[MAX_BLOCKS];
    for (size_t i = 0; i < MAX_BLOCKS; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, MAX_BLOCKS);
}

ParameterizedTest(size_t *i, docs, worked_query_runs_and_returns_rows, .init = build_db, .fini = drop_db)
{
    char *sql = sql_block(*i);
    if (!sql) {
        drop_db();
        cr_skip_test("docs/schema.md has no ```sql block %zu", *i + 1);
    }
    const int may_be_empty = strstr(sql, "-- may be empty") != NULL;
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    const char *tail = sql;
    long rows = 0;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        const char *next = NULL;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &next);
        cr_assert_eq(rc, SQLITE_OK, "block %zu: %s\n%s", *i + 1, sqlite3_errmsg(db), sql);
        if (!st) /* white space or a comment at the end */
            break;
        rows = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            rows++;
        cr_assert_eq(rc, SQLITE_DONE, "block %zu: %s\n%s", *i + 1, sqlite3_errmsg(db), sql);
        const int returns_rows = sqlite3_column_count(st) > 0;
        sqlite3_finalize(st);
        if (!returns_rows)
            rows = may_be_empty ? 0 : -1; /* a statement without a result */
        tail = next;
    }
    if (!may_be_empty)
        cr_expect_gt(rows, 0, "block %zu returned no rows:\n%s", *i + 1, sql);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    free(sql);
}

Test(docs, the_guide_has_ten_or_more_worked_queries)
{
    size_t n = 0;
    for (char *b; n < MAX_BLOCKS && (b = sql_block(n)); n++)
        free(b);
    cr_expect_geq(n, 10);
    cr_expect_lt(n, MAX_BLOCKS, "raise MAX_BLOCKS");
}

/* Every table, view and column of the schema is named in the guide. */
Test(docs, every_table_view_and_column_is_explained)
{
    char *doc = slurp_or_fail(env_or_fail("SUMMIT_DOCS"), NULL);
    tl_db db;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, ":memory:", TL_OPEN_CREATE), TL_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db.conn,
                                    "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p"
                                    " WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!'"
                                    " AND m.name NOT LIKE 'text!_search!_%' ESCAPE '!'",
                                    -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db.conn));
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0), *col = (const char *)sqlite3_column_text(st, 1);
        char want[160];
        /* a "### " heading naming the table or view */
        int found = 0;
        for (const char *h = doc; !found && (h = strstr(h, "\n### ")); h += 5) {
            const char *eol = strchr(h + 1, '\n');
            const char *hit = strstr(h + 5, table);
            found = hit && (!eol || hit < eol);
        }
        cr_expect(found, "docs/schema.md has no \"### \" heading naming %s", table);
        snprintf(want, sizeof want, "`%s`", col);
        cr_expect(strstr(doc, want), "docs/schema.md never names column %s.%s as `%s`", table, col, col);
        n++;
    }
    cr_expect_gt(n, 50);
    sqlite3_finalize(st);
    tl_db_close(&db);
    free(doc);
}

/* Ingesting every fixture twice gives the same counts as once. */
Test(fixtures, ingesting_everything_twice_changes_no_count, .init = build_db, .fini = drop_db)
{
    static const char counts[] =
        "SELECT (SELECT count(*) FROM documents) || ' ' || (SELECT count(*) FROM sentences) || ' ' ||"
        " (SELECT count(*) FROM timexes) || ' ' || (SELECT count(*) FROM actors) || ' ' ||"
        " (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM event_participants) || ' ' ||"
        " (SELECT count(*) FROM event_mentions) || ' ' || (SELECT count(*) FROM warnings) || ' ' ||"
        " (SELECT count(*) FROM quotes) || ' ' || (SELECT count(*) FROM text_search) || ' ' ||"
        " (SELECT count(*) FROM timeline_events) || ' ' || (SELECT count(*) FROM timeline_sources) || ' ' ||"
        " (SELECT count(*) FROM timeline_participants) || ' ' || (SELECT count(*) FROM timeline_conflicts) || ' ' ||"
        " (SELECT group_concat(key, ',') FROM (SELECT key FROM timeline_events ORDER BY key))";
    tl_db db;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, db_path, 0), TL_OK, "%s", tl_db_errmsg(&db));
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db.conn, counts, -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    char *once = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    size_t n = 0;
    ingest_dir(&db, env_or_fail("SUMMIT_FIXTURES"), "", &n);
    ingest_dir(&db, env_or_fail("SUMMIT_TESTDATA"), "merge_wire_", &n);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_expect_str_eq((const char *)sqlite3_column_text(st, 0), once);
    sqlite3_finalize(st);
    free(once);
    tl_db_close(&db);
}
