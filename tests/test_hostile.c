/*
 * test_hostile.c -- Criterion tests: hostile input given to the real summit
 * program, each with the exit code and message a user must get.
 *
 * Complements test_cli.c (which covers empty and blank files, every kind of
 * bad UTF-8, NUL, UTF-16, directories, missing and unreadable files, --dct
 * on extract, random-byte and newer-schema databases, SQL-looking text and
 * paths) with:
 *   binary files      random bytes, PNG, gzip, ELF and PDF headers, a UTF-32
 *                     BOM, a binary among good files, /dev/zero and an
 *                     endless stdin (refused at the size limit);
 *   big input         a 50 MB line with no spaces, a million weekday names
 *                     (each must finish and exit cleanly; a correctness test
 *                     with a generous watchdog, not a timed one -- timing is
 *                     bench/pathological.sh's job);
 *   --dct             "", "2017-13-45", "yesterday" and SQL on ingest;
 *   databases         paths in missing folders, corrupt pages, a truncated
 *                     file, a full schema from the future, another program's
 *                     SQLite file -- each refused with the file left as it was;
 *   SQL-looking text  in articles, database paths, filter arguments and
 *                     search text (the filter cases skip themselves while
 *                     the program does not know the option);
 *   read-only         a 0444 database, a database in a 0555 folder, and a
 *                     database on a read-only mount: ingest is refused with
 *                     exit 3 and the file left as it was, chronology still
 *                     reads it (exit 0).  Tests run as root in
 *                     CI, where permission bits stop nothing: there the child
 *                     drops to user nobody (65534) before exec, and the
 *                     read-only mount is a bind mount in a private mount
 *                     namespace of the child; each case skips with a message
 *                     where that is impossible.
 *
 * Every case runs SUMMIT_BIN with fork/execv (no shell) in a fresh mkdtemp
 * directory, stdout and stderr captured into files there, and checks that
 * the child was not killed by a signal and printed no sanitizer report.
 */
#define _GNU_SOURCE /* unshare, CLONE_NEWNS, setgroups */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extractor.h"
#include "harness.h"
#include "timeline.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 10
#define NOBODY 65534
/* A child still running after this long is killed and the case fails: the
 * big inputs take seconds even under ASan, so this only catches a hang or a
 * runaway (quadratic) pass. */
#define WATCHDOG_SECONDS 300

/* ---- the temp directory -------------------------------------------------------- */


static char *slurp_in_tmp(const char *name, size_t *len)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    return slurp_if_any(p, len);
}

/* Fixed pseudo-random bytes (an LCG), the same on every run. */
static void lcg_fill(unsigned char *b, size_t n, uint32_t seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
    }
}

#define BYTES(s) s, sizeof(s) - 1

typedef struct input_file {
    const char *name;
    const char *bytes;
    size_t len;
} input_file;

static const input_file inputs[] = {
    {"good.txt", BYTES("Trump met Putin in Hamburg on Friday. The meeting lasted two hours.\n")},
    {"good2.txt", BYTES("Macron met Merkel in Berlin on Thursday.\n")},
    {"png.png", BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0")},
    {"gz.gz", BYTES("\x1f\x8b\x08\0\0\0\0\0\0\x03\xcb\x48\xcd\xc9\xc9\x07\0")},
    {"elf.bin", BYTES("\x7f"
                      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0")},
    {"pdf.pdf", BYTES("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")},
    {"utf32.txt", BYTES("\xff\xfe\0\0H\0\0\0i\0\0\0")},
    {"utf16.txt", BYTES("\xff\xfeT\0r\0u\0m\0p\0 \0m\0e\0t\0")},
    {"sqlinj.txt", BYTES("Robert'); DROP TABLE events;-- met Putin in Moscow on Friday. \"x\",'y'; --\n")},
};

/* Writes a database holding good.txt with the library, in-process. */
static void write_good_db(const char *name)
{
    write_db_of(name, "good.txt", inputs[0].bytes, inputs[0].len);
}

static void sql_on(const char *name, const char *sql)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* A good database whose pages after the first two are garbage: SQLite still
 * recognises the file, then finds it malformed. */
static void write_corrupt_db(const char *name)
{
    write_good_db(name);
    size_t n = 0;
    unsigned char *b = (unsigned char *)slurp_in_tmp(name, &n);
    cr_assert(b && n > 8192, "good database of %zu bytes", n);
    lcg_fill(b + 8192, n - 8192, 777u);
    write_file(name, b, n);
    free(b);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/summit-hostile-XXXXXX");
    cr_assert(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
    /* Other users (nobody, for the read-only cases) may look in. */
    cr_assert_eq(chmod(tmpdir, 0755), 0);
    for (size_t i = 0; i < N_ELEMS(inputs); i++)
        write_file(inputs[i].name, inputs[i].bytes, inputs[i].len);
    unsigned char rnd[4096];
    lcg_fill(rnd, sizeof rnd, 12345u);
    write_file("random.bin", rnd, sizeof rnd);
    write_good_db("good.db");
    write_corrupt_db("corrupt.db");
    write_good_db("trunc.db");
    char p[512];
    path_in_tmp(p, sizeof p, "trunc.db");
    cr_assert_eq(truncate(p, 3 * 4096), 0);
    write_good_db("v99.db");
    sql_on("v99.db", "PRAGMA user_version = 99");
    sql_on("foreign.db", "CREATE TABLE foo (x); INSERT INTO foo VALUES (1);");
}

/* Removes dir and everything under it (no symlinks are followed). */
static void teardown(void)
{
    if (tmpdir[0]) remove_tree(tmpdir);
    tmpdir[0] = '\0';
}

/* The big inputs, written only for the cases that use them. */
enum { BIG_NONE, BIG_LINE, BIG_WEEKDAYS, BIG_SPARSE };

static void write_big(int which)
{
    char p[512];
    if (which == BIG_LINE) {
        /* 50 MB of one word: no space, no punctuation, one line */
        size_t n = (size_t)50 * 1000 * 1000;
        char *b = malloc(n + 1);
        cr_assert(b);
        for (size_t i = 0; i < n; i++)
            b[i] = (char)('a' + i % 26);
        b[n] = '\n';
        write_file("line50.txt", b, n + 1);
        free(b);
    } else if (which == BIG_WEEKDAYS) {
        static const char word[] = "Friday ";
        size_t w = sizeof word - 1, count = 1000 * 1000;
        char *b = malloc(w * count + 1);
        cr_assert(b);
        for (size_t i = 0; i < count; i++)
            memcpy(b + i * w, word, w);
        b[w * count] = '\n';
        write_file("weekdays.txt", b, w * count + 1);
        free(b);
    } else if (which == BIG_SPARSE) {
        /* 70 MiB of NUL bytes without using the disk, read through stdin,
         * where no size is known in advance. */
        path_in_tmp(p, sizeof p, "sparse.txt");
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        cr_assert(fd >= 0);
        cr_assert_eq(ftruncate(fd, (off_t)70 * 1024 * 1024), 0);
        close(fd);
    }
}

/* ---- running the program -------------------------------------------------------------- */

typedef struct run_opts {
    const char *stdin_name; /* a file in the temp dir, or NULL for /dev/null */
    int as_nobody;          /* drop to uid/gid 65534 before exec (root only) */
    const char *ro_mount;   /* a folder in the temp dir to bind-mount read-only */
    const char *what;       /* the case, for messages (NULL: the command) */
} run_opts;

/* Child exit codes the harness itself uses. */
enum { CHILD_NO_SANDBOX = 125, CHILD_NO_IO = 126, CHILD_NO_EXEC = 127 };

typedef struct run_result {
    int code;      /* exit status, or -1 when killed by a signal */
    int signo;     /* the signal, or 0 */
    int timed_out; /* killed by the watchdog */
    char *out, *err;
    size_t out_len, err_len;
} run_result;

/* SUMMIT_BIN as an absolute path (the child runs in the temp dir). */
static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* The sandbox for a read-only mount: a private mount namespace in which
 * tmpdir/<dir> is bound onto itself read-only.  Only raw system calls, as
 * between fork and exec.  Returns 0 or -1. */
static int mount_read_only(const char *dir)
{
    if (unshare(CLONE_NEWNS) != 0) return -1;
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return -1;
    if (mount(dir, dir, NULL, MS_BIND, NULL) != 0) return -1;
    if (mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0) return -1;
    return 0;
}

/* Runs SUMMIT_BIN with args (NULL-terminated) in the temp dir under o;
 * fills r (release with run_free).  Kills the child after the watchdog. */
static void run(run_result *r, const char *const *args, const run_opts *o)
{
    static const run_opts plain = {NULL, 0, NULL, NULL};
    if (!o) o = &plain;
    const char *what = o->what ? o->what : args[0];
    char *bin = absolute_bin();
    char *argv[MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = bin;
    for (size_t k = 0; k < MAX_ARGS && args[k]; k++)
        argv[n++] = (char *)args[k];
    argv[n] = NULL;

    char out_path[512], err_path[512], in_path[512], ro_path[512] = "";
    path_in_tmp(out_path, sizeof out_path, ".stdout");
    path_in_tmp(err_path, sizeof err_path, ".stderr");
    if (o->stdin_name)
        path_in_tmp(in_path, sizeof in_path, o->stdin_name);
    else
        snprintf(in_path, sizeof in_path, "/dev/null");
    if (o->ro_mount) path_in_tmp(ro_path, sizeof ro_path, o->ro_mount);

    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Only async-signal-safe calls between fork and exec. */
        int in = open(in_path, O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0) _exit(CHILD_NO_IO);
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(CHILD_NO_IO);
        if (in > 2) close(in);
        if (out > 2) close(out);
        if (err > 2) close(err);
        if (ro_path[0] && mount_read_only(ro_path) != 0) _exit(CHILD_NO_SANDBOX);
        if (o->as_nobody && (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
            _exit(CHILD_NO_SANDBOX);
        /* after the mount, so the working directory sees it */
        if (chdir(tmpdir) != 0) _exit(CHILD_NO_IO);
        execv(bin, argv);
        _exit(CHILD_NO_EXEC);
    }
    int status = 0;
    r->timed_out = 0;
    time_t deadline = time(NULL) + WATCHDOG_SECONDS;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        cr_assert(w == 0 || errno == EINTR, "waitpid: %s", strerror(errno));
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                continue;
            r->timed_out = 1;
            break;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r->out = slurp_if_any(out_path, &r->out_len);
    r->err = slurp_if_any(err_path, &r->err_len);
    free(bin);
    cr_assert(r->out && r->err, "lost the child's output files");

    /* On a failure, free the captures before the assertion ends the test,
     * so the sanitizer build reports the failure and not a leak. */
    static char why[8192];
    why[0] = '\0';
    if (r->timed_out)
        snprintf(why, sizeof why, "%s: still running after %d s (killed); stderr:\n%.2000s", what,
                 WATCHDOG_SECONDS, r->err);
    else if (r->signo)
        snprintf(why, sizeof why, "%s: killed by signal %d; stderr:\n%.4000s", what, r->signo, r->err);
    else if (r->code == CHILD_NO_IO || r->code == CHILD_NO_EXEC)
        snprintf(why, sizeof why, "%s: could not start %s", what, env_or_fail("SUMMIT_BIN"));
    else if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error:"))
        snprintf(why, sizeof why, "%s: sanitizer report:\n%.6000s", what, r->err);
    if (why[0]) {
        run_free(r);
        cr_assert_fail("%s", why);
    }
}

/* Runs one SQL query returning one value on a database in the temp dir;
 * returns it as malloc'd text ("" for NULL). */
/* 1 when the program says it does not know the command or option the case
 * is about (a feature not built yet): the case is skipped. */
static int unknown_feature(const run_result *r)
{
    return r->code == 2 && (strstr(r->err, "unknown option") || strstr(r->err, "unknown command"));
}

/* ---- the table ------------------------------------------------------------------------- */

enum { NEEDS_NOTHING, NEEDS_DEV_ZERO, NEEDS_FEATURE };

typedef struct hostile_case {
    const char *name;            /* the behaviour */
    const char *args[MAX_ARGS];  /* after the program name */
    const char *in;              /* stdin: a file in the temp dir, or NULL for /dev/null */
    int big;                     /* BIG_*: a big input this case needs */
    int code;                    /* expected exit status */
    const char *err[3];          /* substrings expected on stderr */
    const char *out[2];          /* substrings expected on stdout */
    const char *db, *sql, *want; /* afterwards, the single value of sql on db must be want */
    const char *absent;          /* must not exist afterwards */
    const char *same;            /* a file that must be byte for byte as before */
    int needs;
} hostile_case;

#define NOT_ISO "is not an ISO 8601 date"
#define COUNT_DOCS "SELECT count(*) FROM documents"
#define ONE_DOC "summit timeline: 1 document"

static const hostile_case cases[] = {
    /* binary files: exit 1, the file named, the first bad byte located */
    {.name = "random_bytes",
     .args = {"extract", "random.bin"},
     .code = 1,
     .err = {"summit: random.bin: invalid UTF-8 at byte 0 ("}},
    {.name = "png_header",
     .args = {"extract", "--dct", "2017-07-07", "png.png"},
     .code = 1,
     .err = {"summit: png.png: invalid UTF-8 at byte 0 (unexpected continuation byte)"}},
    {.name = "gzip_header",
     .args = {"extract", "gz.gz"},
     .code = 1,
     .err = {"summit: gz.gz: invalid UTF-8 at byte 1 ("}},
    {.name = "elf_header_has_a_nul",
     .args = {"extract", "elf.bin"},
     .code = 1,
     .err = {"summit: elf.bin: ", "NUL", "at byte 7"}},
    {.name = "pdf_header",
     .args = {"extract", "pdf.pdf"},
     .code = 1,
     .err = {"summit: pdf.pdf: invalid UTF-8 at byte 10 ("}},
    {.name = "utf32_bom",
     .args = {"extract", "utf32.txt"},
     .code = 1,
     .err = {"summit: utf32.txt: ", "convert it to UTF-8"}},
    {.name = "utf16_bom_on_ingest_stores_nothing",
     .args = {"ingest", "--db", "t.db", "utf16.txt"},
     .code = 1,
     .err = {"summit: utf16.txt: ", "UTF-16", "1 failed"},
     .db = "t.db",
     .sql = COUNT_DOCS,
     .want = "0"},
    {.name = "binary_among_good_files_keeps_the_good",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "good.txt", "png.png", "good2.txt"},
     .code = 1,
     .err = {"summit: png.png: invalid UTF-8 at byte 0", "1 failed"},
     .db = "t.db",
     .sql = "SELECT group_concat(path, '|') FROM (SELECT path FROM documents ORDER BY path)",
     .want = "good.txt|good2.txt"},
    {.name = "dev_zero_is_refused_at_the_size_limit",
     .args = {"extract", "/dev/zero"},
     .code = 1,
     .err = {"summit: /dev/zero: over the document size limit"},
     .needs = NEEDS_DEV_ZERO},
    {.name = "max_size_lowers_the_limit",
     .args = {"ingest", "--db", "t.db", "--max-size", "10", "--dct", "2017-07-07", "good.txt"},
     .code = 1,
     .err = {"summit: good.txt: ", "over the document size limit of 10 bytes"},
     .db = "t.db",
     .sql = COUNT_DOCS,
     .want = "0"},
    {.name = "max_size_must_be_a_size",
     .args = {"extract", "--max-size", "lots", "good.txt"},
     .code = 2,
     .err = {"--max-size 'lots' is not a size"}},
    {.name = "endless_stdin_is_refused_at_the_size_limit",
     .args = {"extract", "-"},
     .in = "sparse.txt",
     .big = BIG_SPARSE,
     .code = 1,
     .err = {"summit: -: over the document size limit"}},

    /* big input: finishes, exits cleanly */
    {.name = "line_of_50_mb_without_spaces",
     .args = {"extract", "--dct", "2017-07-07", "line50.txt"},
     .big = BIG_LINE,
     .code = 0,
     .out = {ONE_DOC}},
    {.name = "a_million_weekday_names",
     .args = {"extract", "--dct", "2017-07-07", "weekdays.txt"},
     .big = BIG_WEEKDAYS,
     .code = 0,
     .out = {ONE_DOC}},

    /* --dct on ingest: exit 2 before any database is made */
    {.name = "ingest_dct_empty",
     .args = {"ingest", "--db", "t.db", "--dct", "", "good.txt"},
     .code = 2,
     .err = {"'' " NOT_ISO},
     .absent = "t.db"},
    {.name = "ingest_dct_month_13_day_45",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-13-45", "good.txt"},
     .code = 2,
     .err = {"'2017-13-45' " NOT_ISO},
     .absent = "t.db"},
    {.name = "ingest_dct_yesterday",
     .args = {"ingest", "--db", "t.db", "--dct", "yesterday", "good.txt"},
     .code = 2,
     .err = {"'yesterday' " NOT_ISO},
     .absent = "t.db"},
    {.name = "dct_with_sql",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07'; DROP TABLE documents;--", "good.txt"},
     .code = 2,
     .err = {"'2017-07-07'; DROP TABLE documents;--' " NOT_ISO},
     .absent = "t.db"},

    /* databases that cannot be used: exit 3, the path named, nothing changed */
    {.name = "chronology_db_in_missing_folder",
     .args = {"chronology", "--db", "nodir/t.db"},
     .code = 3,
     .err = {"nodir/t.db"},
     .absent = "nodir"},
    {.name = "export_db_in_missing_folder",
     .args = {"export", "--db", "nodir/t.db"},
     .code = 3,
     .err = {"nodir/t.db"},
     .absent = "nodir"},
    {.name = "ingest_db_two_folders_deep_in_missing_ones",
     .args = {"ingest", "--db", "nodir/sub/t.db", "good.txt"},
     .code = 3,
     .err = {"nodir/sub/t.db"},
     .absent = "nodir"},
    {.name = "chronology_on_corrupt_pages",
     .args = {"chronology", "--db", "corrupt.db"},
     .code = 3,
     .err = {"'corrupt.db'", "malformed"},
     .same = "corrupt.db"},
    {.name = "export_on_corrupt_pages",
     .args = {"export", "--db", "corrupt.db"},
     .code = 3,
     .err = {"'corrupt.db'", "malformed"},
     .same = "corrupt.db"},
    {.name = "ingest_into_corrupt_pages",
     .args = {"ingest", "--db", "corrupt.db", "--dct", "2017-07-07", "good2.txt"},
     .code = 3,
     .err = {"'corrupt.db'", "malformed"},
     .same = "corrupt.db"},
    {.name = "chronology_on_truncated_file",
     .args = {"chronology", "--db", "trunc.db"},
     .code = 3,
     .err = {"'trunc.db'"},
     .same = "trunc.db"},
    {.name = "ingest_into_truncated_file",
     .args = {"ingest", "--db", "trunc.db", "good2.txt"},
     .code = 3,
     .err = {"'trunc.db'"},
     .same = "trunc.db"},
    {.name = "ingest_into_a_full_schema_from_the_future",
     .args = {"ingest", "--db", "v99.db", "good2.txt"},
     .code = 3,
     .err = {"v99.db", "newer", "upgrade summit"},
     .same = "v99.db"},
    {.name = "chronology_on_a_full_schema_from_the_future",
     .args = {"chronology", "--db", "v99.db"},
     .code = 3,
     .err = {"v99.db", "newer"},
     .same = "v99.db"},
    {.name = "ingest_into_another_programs_sqlite_file",
     .args = {"ingest", "--db", "foreign.db", "good.txt"},
     .code = 3,
     .err = {"'foreign.db' is not a summit database"},
     .same = "foreign.db"},

    /* SQL-looking text: stored or matched as text, never run */
    {.name = "sql_in_an_article",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "sqlinj.txt"},
     .code = 0,
     .db = "t.db",
     .sql = "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'events') || '/' ||"
            " (SELECT count(*) FROM documents WHERE body LIKE '%DROP TABLE events;--%')",
     .want = "1/1"},
    {.name = "sql_in_the_database_path",
     .args = {"ingest", "--db", "x'); DROP TABLE documents;--.db", "good.txt"},
     .code = 0,
     .db = "x'); DROP TABLE documents;--.db",
     .sql = COUNT_DOCS,
     .want = "1"},
    {.name = "sql_in_actor_filter",
     .args = {"chronology", "--db", "good.db", "--actor", "x'); DROP TABLE events;--"},
     .code = 0,
     .out = {"no event matches"},
     .db = "good.db",
     .sql = "SELECT count(*) FROM events",
     .want = "1",
     .needs = NEEDS_FEATURE},
    {.name = "like_wildcard_in_actor_filter_matches_nothing",
     .args = {"chronology", "--db", "good.db", "--actor", "%"},
     .code = 0,
     .out = {"no event matches"},
     .needs = NEEDS_FEATURE},
    {.name = "sql_in_type_filter",
     .args = {"chronology", "--db", "good.db", "--type", "meeting' OR '1'='1"},
     .code = 0,
     .out = {"no event matches"},
     .needs = NEEDS_FEATURE},
    {.name = "sql_in_between_filter",
     .args = {"chronology", "--db", "good.db", "--between", "Trump'--", "x' OR 1=1"},
     .code = 0,
     .out = {"no event matches"},
     .needs = NEEDS_FEATURE},
    {.name = "sql_in_date_filter_is_not_a_date",
     .args = {"chronology", "--db", "good.db", "--from", "2017' OR 1=1--"},
     .code = 2,
     .err = {"'2017' OR 1=1--'"},
     .needs = NEEDS_FEATURE},
    {.name = "sql_in_search_text",
     .args = {"search", "--db", "good.db", "x'); DROP TABLE events;--"},
     .code = 0,
     .err = {"nothing matches"},
     .db = "good.db",
     .sql = "SELECT count(*) FROM events",
     .want = "1",
     .needs = NEEDS_FEATURE},
    {.name = "fts_syntax_in_search_text",
     .args = {"search", "--db", "good.db", "NEAR(\" AND OR *"},
     .code = 0,
     .err = {"nothing matches"},
     .needs = NEEDS_FEATURE},
};

ParameterizedTestParameters(hostile, exit_code_and_message)
{
    static size_t idx[N_ELEMS(cases)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, hostile, exit_code_and_message, .init = setup, .fini = teardown)
{
    const hostile_case *c = &cases[*i];
    /* A skipped test does not run .fini, so clean up first. */
    if (c->needs == NEEDS_DEV_ZERO && access("/dev/zero", R_OK) != 0) {
        teardown();
        cr_skip_test("%s: no /dev/zero", c->name);
    }
    write_big(c->big);
    size_t before_len = 0;
    char *before = c->same ? slurp_in_tmp(c->same, &before_len) : NULL;

    run_result r;
    run_opts o = {c->in, 0, NULL, c->name};
    run(&r, c->args, &o);
    if (c->needs == NEEDS_FEATURE && unknown_feature(&r)) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", r.err);
        run_free(&r);
        free(before);
        teardown();
        cr_skip_test("%s: not in this summit yet: %s", c->name, msg);
    }
    cr_expect_eq(r.code, c->code, "%s: exit %d, expected %d; stderr:\n%.3000s", c->name, r.code, c->code,
                 r.err);
    for (size_t k = 0; k < N_ELEMS(c->err) && c->err[k]; k++)
        cr_expect(strstr(r.err, c->err[k]), "%s: stderr lacks \"%s\":\n%.3000s", c->name, c->err[k], r.err);
    for (size_t k = 0; k < N_ELEMS(c->out) && c->out[k]; k++)
        cr_expect(strstr(r.out, c->out[k]), "%s: stdout lacks \"%s\":\n%.3000s", c->name, c->out[k], r.out);
    /* A failing run prints nothing on stdout. */
    if (c->code != 0) cr_expect_eq(r.out_len, 0, "%s: stdout on failure:\n%.3000s", c->name, r.out);
    if (c->db) {
        char *v = query_db(c->db, c->sql);
        cr_expect_str_eq(v, c->want, "%s: %s gave '%s', expected '%s'", c->name, c->sql, v, c->want);
        free(v);
    }
    if (c->absent) cr_expect(!exists_in_tmp(c->absent), "%s: %s was created", c->name, c->absent);
    if (c->same) {
        size_t after_len = 0;
        char *after = slurp_in_tmp(c->same, &after_len);
        cr_expect(after && after_len == before_len && !memcmp(after, before, before_len),
                  "%s: %s was changed (%zu bytes before, %zu after)", c->name, c->same, before_len,
                  after_len);
        free(after);
    }
    free(before);
    run_free(&r);
}

/* ---- read-only databases ------------------------------------------------------------------- */

/* How a read-only case is made to bite: as a normal user permission bits
 * do it; as root the child runs as nobody.  Skips (after cleaning up) when
 * the program cannot be run as nobody (e.g. its folder is private). */
static int need_unprivileged(const char *what)
{
    if (geteuid() != 0) return 0;
    const char *args[] = {"--version", NULL};
    run_opts o = {NULL, 1, NULL, what};
    run_result r;
    run(&r, args, &o);
    int ok = r.code == 0;
    run_free(&r);
    if (!ok) {
        teardown();
        cr_skip_test("%s: running as root, and %s cannot run as user nobody to make the permission bits bite",
                     what, env_or_fail("SUMMIT_BIN"));
    }
    return 1;
}

/* Reading a database needs no right to write it: chronology prints it.
 * (summit keeps its databases in WAL mode, where SQLite wants to create the
 * -shm file beside the database even to read; the store must cope.) */
static void expect_readable(const run_result *r, const char *what)
{
    cr_expect_eq(r->code, 0, "%s: exit %d; stderr:\n%.2000s", what, r->code, r->err);
    cr_expect(strstr(r->out, "summit timeline:"), "%s: chronology printed:\n%.2000s", what, r->out);
}

static void expect_unchanged(const char *name, const char *before, size_t before_len, const char *what)
{
    size_t n = 0;
    char *after = slurp_in_tmp(name, &n);
    cr_expect(after && n == before_len && !memcmp(after, before, n), "%s: %s changed", what, name);
    free(after);
    char wal[512];
    snprintf(wal, sizeof wal, "%s-wal", name);
    cr_expect(!exists_in_tmp(wal), "%s: %s was left behind", what, wal);
}

Test(hostile, read_only_database_file, .init = setup, .fini = teardown)
{
    int drop = need_unprivileged("read_only_database_file");
    char p[512];
    path_in_tmp(p, sizeof p, "good.db");
    cr_assert_eq(chmod(p, 0444), 0);
    size_t len = 0;
    char *before = slurp_in_tmp("good.db", &len);

    const char *ingest[] = {"ingest", "--db", "good.db", "--dct", "2017-07-07", "good2.txt", NULL};
    run_opts o = {NULL, drop, NULL, NULL};
    run_result r;
    run(&r, ingest, &o);
    cr_expect_eq(r.code, 3, "ingest into a 0444 database: exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.err, "'good.db'") && strstr(r.err, "read"), "message:\n%s", r.err);
    run_free(&r);
    expect_unchanged("good.db", before, len, "ingest into a 0444 database");

    const char *chron[] = {"chronology", "--db", "good.db", NULL};
    run(&r, chron, &o);
    expect_readable(&r, "chronology of a 0444 database");
    run_free(&r);
    expect_unchanged("good.db", before, len, "chronology of a 0444 database");
    free(before);
}

Test(hostile, database_in_a_read_only_folder, .init = setup, .fini = teardown)
{
    int drop = need_unprivileged("database_in_a_read_only_folder");
    char dir[512], db[512];
    path_in_tmp(dir, sizeof dir, "rodir");
    cr_assert_eq(mkdir(dir, 0755), 0);
    path_in_tmp(db, sizeof db, "rodir/t.db");
    char old[512];
    path_in_tmp(old, sizeof old, "good.db");
    cr_assert_eq(rename(old, db), 0);
    /* the file itself stays writable for the user; only the folder is not */
    if (drop) cr_assert_eq(chown(db, NOBODY, NOBODY), 0);
    cr_assert_eq(chmod(db, 0644), 0);
    cr_assert_eq(chmod(dir, 0555), 0);
    size_t len = 0;
    char *before = slurp_in_tmp("rodir/t.db", &len);

    const char *ingest[] = {"ingest", "--db", "rodir/t.db", "--dct", "2017-07-07", "good2.txt", NULL};
    run_opts o = {NULL, drop, NULL, NULL};
    run_result r;
    run(&r, ingest, &o);
    cr_expect_eq(r.code, 3, "ingest into a database in a 0555 folder: exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.err, "'rodir/t.db'"), "message:\n%s", r.err);
    run_free(&r);
    expect_unchanged("rodir/t.db", before, len, "ingest in a 0555 folder");

    const char *chron[] = {"chronology", "--db", "rodir/t.db", NULL};
    run(&r, chron, &o);
    expect_readable(&r, "chronology of a database in a 0555 folder");
    run_free(&r);
    expect_unchanged("rodir/t.db", before, len, "chronology in a 0555 folder");
    free(before);
    chmod(dir, 0755);
}

Test(hostile, database_on_a_read_only_mount, .init = setup, .fini = teardown)
{
    char dir[512], db[512], old[512];
    path_in_tmp(dir, sizeof dir, "romnt");
    cr_assert_eq(mkdir(dir, 0755), 0);
    path_in_tmp(db, sizeof db, "romnt/t.db");
    path_in_tmp(old, sizeof old, "good.db");
    cr_assert_eq(rename(old, db), 0);
    size_t len = 0;
    char *before = slurp_in_tmp("romnt/t.db", &len);

    const char *ingest[] = {"ingest", "--db", "romnt/t.db", "--dct", "2017-07-07", "good2.txt", NULL};
    run_opts o = {NULL, 0, "romnt", NULL};
    run_result r;
    run(&r, ingest, &o);
    if (r.code == CHILD_NO_SANDBOX) {
        run_free(&r);
        free(before);
        teardown();
        cr_skip_test("database_on_a_read_only_mount: cannot make a private read-only bind mount here "
                     "(needs root with CAP_SYS_ADMIN)");
    }
    cr_expect_eq(r.code, 3, "ingest on a read-only mount: exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.err, "'romnt/t.db'"), "message:\n%s", r.err);
    run_free(&r);
    expect_unchanged("romnt/t.db", before, len, "ingest on a read-only mount");

    const char *chron[] = {"chronology", "--db", "romnt/t.db", NULL};
    run(&r, chron, &o);
    expect_readable(&r, "chronology on a read-only mount");
    run_free(&r);
    free(before);
}
