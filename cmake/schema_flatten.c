/*
 * schema_flatten.c -- a build tool: the current schema as one script.
 *
 *   schema_flatten OUT schema.sql migrate_2.sql ... migrate_N.sql
 *
 * Runs schema.sql and every migration, in order, on an empty in-memory
 * SQLite database, then writes OUT: each object's CREATE statement as
 * SQLite keeps it in sqlite_schema (comments inside the parentheses
 * included), in creation order, without the tables SQLite makes for itself
 * (FTS5's shadow tables, automatic indexes), and the PRAGMA user_version
 * the migrations left.  timeline/store.c runs OUT on a new database: one
 * statement per object instead of the whole history of migrations (which
 * copies tables, drops them and builds views twice) -- a new database in a
 * third of the time, which `summit extract` pays at every start.  Upgrades
 * still run the migrations, and tests/test_timeline.c checks that an
 * upgraded database and a new one hold the same objects, statement for
 * statement.
 *
 * SQL functions the migrations call while filling new tables from old rows
 * are registered as stubs: an empty database has no rows to give them.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static void stub(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    sqlite3_result_int(ctx, 1);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) free(buf);
            buf = p;
        }
    }
    if (ferror(f)) free(buf), buf = NULL;
    fclose(f);
    if (buf) buf[n] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: schema_flatten OUT schema.sql [migrate_N.sql...]\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    sqlite3_create_function(db, "tl_role_is_core", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, stub, NULL, NULL);
    for (int i = 2; i < argc; i++) {
        char *sql = slurp(argv[i]), *err = NULL;
        if (!sql) {
            fprintf(stderr, "schema_flatten: cannot read %s\n", argv[i]);
            return 1;
        }
        if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
            fprintf(stderr, "schema_flatten: %s: %s\n", argv[i], err ? err : "error");
            return 1;
        }
        free(sql);
    }
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        fprintf(stderr, "schema_flatten: cannot write %s\n", argv[1]);
        return 1;
    }
    fprintf(out, "-- Generated at build time by cmake/schema_flatten.c from schema/schema.sql\n"
                 "-- and every schema/migrate_N.sql: the current schema, for new databases.\n");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT s.sql FROM sqlite_schema s"
                                " WHERE s.sql IS NOT NULL AND NOT EXISTS"
                                " (SELECT 1 FROM pragma_table_list t WHERE t.name = s.name AND t.type = 'shadow')"
                                " ORDER BY s.rowid",
                                -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        fprintf(out, "%s;\n", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    rc = rc == SQLITE_OK ? sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) : rc;
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        fprintf(out, "PRAGMA user_version = %d;\n", sqlite3_column_int(st, 0));
    else
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (fclose(out) != 0 || rc != SQLITE_OK) {
        fprintf(stderr, "schema_flatten: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
