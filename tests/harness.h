/*
 * harness.h -- a scratch directory and the real program, shared by the
 * tests that run `summit` as a child process (test_cli, test_hostile,
 * test_crash, test_parallel): the scratch directory, writing files there,
 * and starting the program in it.  Each test file has its own tmpdir (one translation unit
 * each); everything here is static inline, so a file uses what it needs.
 */
#ifndef SUMMIT_TESTS_HARNESS_H
#define SUMMIT_TESTS_HARNESS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extractor.h"
#include "files.h"
#include "timeline.h"

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

/* Starts argv[0] (a path) with argv in the scratch directory: standard
 * input from in_path, output to out_path opened with out_flags (O_WRONLY,
 * with O_CREAT | O_TRUNC for a capture file, without for a device such as
 * /dev/full), errors to err_path.  fsize > 0 caps the size of any file the
 * child writes (RLIMIT_FSIZE, with SIGXFSZ ignored so a write past it fails
 * instead of killing).  A child that cannot set up exits 126, one that
 * cannot exec 127.  Returns the child's pid. */
static inline pid_t spawn_in_tmp(char *const argv[], const char *in_path, const char *out_path, int out_flags,
                                 const char *err_path, long fsize)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Only async-signal-safe calls between fork and exec. */
        int in = open(in_path, O_RDONLY);
        int out = open(out_path, out_flags, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || chdir(tmpdir) != 0) _exit(126);
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
        /* Close the originals, unless one already was 0, 1 or 2 (when the
         * parent ran with a standard stream closed). */
        if (in > 2) close(in);
        if (out > 2) close(out);
        if (err > 2) close(err);
        if (fsize > 0) {
            /* an ignored signal stays ignored across exec */
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_IGN;
            struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
            if (sigaction(SIGXFSZ, &sa, NULL) != 0 || setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Waits for pid; returns its wait status. */
static inline int wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
    return status;
}

/* A database NAME in the scratch directory holding one article, built
 * in-process with the library (DCT 2017-07-07), so cases that read a
 * database do not depend on an earlier child run. */
static inline void write_db_of(const char *name, const char *doc_path, const char *bytes, size_t len)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    static const sx_date dct = {2017, 7, 7, 0, 0, 0};
    sx_options o = {&dct, 0};
    sx_doc doc;
    sx_doc_init(&doc);
    cr_assert_eq(sx_extract(&doc, doc_path, bytes, len, &o), SX_OK, "%s", sx_doc_errmsg(&doc));
    tl_db db;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, p, TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&db));
    cr_assert_eq(tl_ingest(&db, &doc, NULL), TL_OK, "%s", tl_db_errmsg(&db));
    tl_db_close(&db);
    sx_doc_free(&doc);
}

#endif
