/*
 * harness.h -- a scratch directory and the real program, shared by the
 * tests that run `summit` as a child process (test_cli, test_hostile,
 * test_crash, test_parallel).  Each test file has its own tmpdir (one translation unit
 * each); everything here is static inline, so a file uses what it needs.
 */
#ifndef SUMMIT_TESTS_HARNESS_H
#define SUMMIT_TESTS_HARNESS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

/* The scratch directory of the running test ("" when none). */
static char tmpdir[64];

static inline void path_in_tmp(char *buf, size_t cap, const char *name)
{
    int n = snprintf(buf, cap, "%s/%s", tmpdir, name);
    cr_assert(n > 0 && (size_t)n < cap, "path too long: %s", name);
}

static inline const char *env_or_fail(const char *name)
{
    const char *v = getenv(name);
    cr_assert(v && *v, "%s is not set (run the tests through ctest)", name);
    return v;
}

static inline char *absolute_bin(void)
{
    const char *b = env_or_fail("SUMMIT_BIN");
    char cwd[4096] = "";
    if (b[0] != '/') cr_assert(getcwd(cwd, sizeof cwd), "getcwd: %s", strerror(errno));
    size_t n = strlen(cwd) + strlen(b) + 2;
    char *p = malloc(n);
    cr_assert(p);
    snprintf(p, n, "%s%s%s", cwd, cwd[0] ? "/" : "", b);
    return p;
}

static inline void remove_tree(const char *dir)
{
    chmod(dir, 0755); /* a read-only case may have left it 0555 */
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[1024];
        int n = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof p) continue;
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static inline char *query_db(const char *db_name, const char *sql)
{
    char p[512];
    path_in_tmp(p, sizeof p, db_name);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "cannot open %s", p);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: no row", sql);
    const unsigned char *t = sqlite3_column_text(st, 0);
    size_t n = t ? strlen((const char *)t) : 0;
    char *v = malloc(n + 1);
    cr_assert(v);
    if (n) memcpy(v, t, n);
    v[n] = '\0';
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static inline int exists_in_tmp(const char *name)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    struct stat st;
    return stat(p, &st) == 0;
}

/* Writes n bytes to NAME in the scratch directory. */
static inline void write_file(const char *name, const void *bytes, size_t n)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    cr_assert(f, "cannot create %s: %s", p, strerror(errno));
    if (n) cr_assert_eq(fwrite(bytes, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

#endif
