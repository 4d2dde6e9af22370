/*
 * test_cli.c -- Criterion tests of the summit program as a user runs it:
 * exit codes, messages, and what lands in the database and on stdout.
 *
 * Every case runs the real program (env SUMMIT_BIN) as a child process with
 * fork/execv -- no shell -- inside a fresh mkdtemp directory under /tmp,
 * with stdin from a file (or /dev/null) and stdout and stderr captured into
 * files there.  The seed article comes from env SUMMIT_FIXTURES.
 *
 * Tables:
 *   cli_cases  {argv, stdin, exit code, substrings of stderr and stdout,
 *              optional SQL check on a database afterwards}: help, version,
 *              usage errors, --dct dates, unreadable inputs, stdin, database
 *              refusals, output errors, partial ingests, SQL-looking text.
 *   bad_files  invalid bytes (each kind of bad UTF-8, NUL, UTF-16 BOM): the
 *              message must say "FILE: invalid UTF-8 at byte N" where N is
 *              the length of the valid text written before the bad bytes.
 * Plus whole-pipeline tests on the seed article: extract --format jsonl
 * (every line checked with SQLite's json_valid), and ingest, re-ingest,
 * chronology and export.
 *
 * Every run also checks that the child was not killed by a signal and that
 * stderr holds no sanitizer report (an ASan report exits with status 1,
 * which would otherwise pass for "bad input").  Cases that need a non-root
 * user (a chmod 000 file) or /dev/full are skipped where they cannot work.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extractor.h"
#include "harness.h"
#include "timeline.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 12
#define SEED_FILE "hill-2017-07-07-trump-putin.txt"
#define CSV_HEADER                                                                                         \
    "timeline_id,key,date,time,type,cameo,status,participants,location,duration,duration_mod,planned_duration," \
    "summary,n_sources,documents,doc_sha256,conflicts"

/* ---- the temp directory and its input files --------------------------------------- */


typedef struct input_file {
    const char *name;
    const char *bytes;
    size_t len;
} input_file;

#define BYTES(s) s, sizeof(s) - 1

/* Written into the temp directory before every test.  Bad bytes for the
 * offset checks are in bad_files below. */
static const input_file inputs[] = {
    {"article.txt", BYTES("Trump met Putin in Hamburg on Friday. The meeting lasted two hours.\n")},
    {"article2.txt", BYTES("Macron met Merkel in Berlin on Thursday.\n")},
    {"empty.txt", "", 0},
    {"blank.txt", BYTES("  \n\t\r\n   \n")},
    {"unreadable.txt", BYTES("Trump met Putin on Friday.\n")},
    {"sqlinj.txt", BYTES("Robert'); DROP TABLE documents;-- met Putin on Friday.\n")},
    {"x'); DROP TABLE documents;--.txt", BYTES("Trump met Putin on Friday.\n")},
    {"-dash.txt", BYTES("Trump met Putin on Friday.\n")},
    {"zero.db", "", 0},
    {"corpus/b.txt", BYTES("Macron met Merkel in Berlin on Thursday.\n")},
    {"corpus/a.txt", BYTES("Trump met Putin in Hamburg on Friday.\n")},
    {"corpus/sub/c.txt", BYTES("Trump met Putin in Hamburg on Friday. They talked.\n")},
    {"corpus/.hidden.txt", BYTES("Obama met Abe in Tokyo on Friday.\n")},
    {"corpus/notes.md", BYTES("Obama met Abe in Tokyo on Friday.\n")},
    {"emptydir/readme.md", BYTES("nothing here\n")},
};

typedef struct bad_file {
    const char *name;   /* file name, also the behaviour */
    const char *prefix; /* valid text before the first bad byte */
    const char *tail;   /* the bytes from the first bad one on */
    size_t tail_len;
    const char *what; /* expected in the message after "NAME: " */
    int at_byte;      /* message must say "at byte strlen(prefix)" */
} bad_file;

static const bad_file bad_files[] = {
    {"overlong.txt", "Caf\xC3\xA9 ", BYTES("\xC0\xAF and more"), "invalid UTF-8", 1},
    {"overlong3.txt", "Hi there ", BYTES("\xE0\x80\xAF"), "invalid UTF-8", 1},
    {"surrogate.txt", "Hello, world ", BYTES("\xED\xA0\x80"), "invalid UTF-8", 1},
    {"truncated-end.txt", "Price: 5 ", BYTES("\xE2\x82"), "invalid UTF-8", 1},
    {"truncated-mid.txt", "abc", BYTES("\xE2\x82 and more"), "invalid UTF-8", 1},
    {"continuation.txt", "x \xE2\x82\xAC ", BYTES("\x80 y"), "invalid UTF-8", 1},
    {"above-10ffff.txt", "abcd", BYTES("\xF4\x90\x80\x80"), "invalid UTF-8", 1},
    {"byte-ff.txt", "Trump met Putin.", BYTES("\xFF"), "invalid UTF-8", 1},
    {"nul.txt", "Hello", BYTES("\0world"), "NUL", 1},
    {"utf16le.txt", "", BYTES("\xFF\xFEH\0i\0"), "UTF-16", 0},
    {"utf16be.txt", "", BYTES("\xFE\xFF\0H\0i"), "UTF-16", 0},
};

/* A database file of fixed pseudo-random bytes (an LCG, so every run sees
 * the same file). */
static void write_random_db(const char *name)
{
    unsigned char b[8192];
    uint32_t x = 12345u;
    for (size_t i = 0; i < sizeof b; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
    }
    write_file(name, b, sizeof b);
}

/* An SQLite file that claims a schema version from the future. */
static void write_v99_db(const char *name)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE documents (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;",
                              NULL, NULL, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* A good database holding article.txt, built in-process with the library so
 * read-side cases do not depend on an earlier child run. */
static void write_good_db(const char *name)
{
    write_db_of(name, "article.txt", inputs[0].bytes, inputs[0].len);
}

/* An empty database made with the version-1 schema text. */
static void write_v1_db(const char *name)
{
    char p[512], sql_path[1024];
    path_in_tmp(p, sizeof p, name);
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir && *dir, "SUMMIT_TESTDATA is not set (run the tests through ctest)");
    snprintf(sql_path, sizeof sql_path, "%s/schema_v1.sql", dir);
    char *sql = slurp_or_fail(sql_path, NULL);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
    free(sql);
}

/* Creates the directories on the way to name (in the temp dir). */
static void make_parents(const char *name)
{
    char p[512];
    path_in_tmp(p, sizeof p, name);
    for (char *q = p + strlen(tmpdir) + 1; (q = strchr(q, '/')); q++) {
        *q = '\0';
        if (mkdir(p, 0755) != 0) cr_assert_eq(errno, EEXIST, "mkdir %s: %s", p, strerror(errno));
        *q = '/';
    }
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/summit-cli-XXXXXX");
    cr_assert(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
    for (size_t i = 0; i < N_ELEMS(inputs); i++) {
        make_parents(inputs[i].name);
        write_file(inputs[i].name, inputs[i].bytes, inputs[i].len);
    }
    for (size_t i = 0; i < N_ELEMS(bad_files); i++) {
        const bad_file *b = &bad_files[i];
        size_t plen = strlen(b->prefix);
        char buf[256];
        cr_assert_leq(plen + b->tail_len, sizeof buf);
        memcpy(buf, b->prefix, plen);
        memcpy(buf + plen, b->tail, b->tail_len);
        write_file(b->name, buf, plen + b->tail_len);
    }
    char p[512];
    path_in_tmp(p, sizeof p, "unreadable.txt");
    cr_assert_eq(chmod(p, 0), 0);
    write_v1_db("v1.db");
    path_in_tmp(p, sizeof p, "adir");
    cr_assert_eq(mkdir(p, 0755), 0);
    write_random_db("random.db");
    write_v99_db("v99.db");
    write_good_db("good.db");
    /* One byte over the 64 MiB limit, sparse: refused by its size, unread. */
    path_in_tmp(p, sizeof p, "huge.txt");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    cr_assert_eq(ftruncate(fd, (off_t)SX_DEFAULT_MAX_BYTES + 1), 0);
    close(fd);
}

/* Removes dir and everything under it (no symlinks are followed). */
static void teardown(void)
{
    if (tmpdir[0]) remove_tree(tmpdir);
    tmpdir[0] = '\0';
}

/* ---- running the program ----------------------------------------------------------- */

typedef struct run_result {
    int code;  /* exit status, or -1 when killed by a signal */
    int signo; /* the signal, or 0 */
    char *out, *err;
    size_t out_len, err_len;
} run_result;

static char *seed_path(void)
{
    const char *dir = env_or_fail("SUMMIT_FIXTURES");
    size_t n = strlen(dir) + sizeof "/" SEED_FILE;
    char *p = malloc(n);
    cr_assert(p);
    snprintf(p, n, "%s/%s", dir, SEED_FILE);
    return p;
}

/* SUMMIT_BIN as an absolute path (the child runs in the temp dir). */
/* Runs SUMMIT_BIN with args (NULL-terminated; "%F" stands for the seed
 * article's path) in the temp directory, stdin from stdin_name there (NULL:
 * /dev/null), stdout into a capture file or, when stdout_to is not NULL,
 * into that path (r->out is then empty).  Fills r; release it with
 * run_free. */
static void run_to(run_result *r, const char *const *args, const char *stdin_name, const char *stdout_to)
{
    char *bin = absolute_bin();
    char *seed = seed_path();
    char *argv[MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = bin;
    for (size_t k = 0; k < MAX_ARGS && args[k]; k++)
        argv[n++] = !strcmp(args[k], "%F") ? seed : (char *)args[k];
    argv[n] = NULL;

    char out_path[512], err_path[512], in_path[512];
    if (stdout_to)
        snprintf(out_path, sizeof out_path, "%s", stdout_to);
    else
        path_in_tmp(out_path, sizeof out_path, ".stdout");
    path_in_tmp(err_path, sizeof err_path, ".stderr");
    if (stdin_name)
        path_in_tmp(in_path, sizeof in_path, stdin_name);
    else
        snprintf(in_path, sizeof in_path, "/dev/null");

    pid_t pid = spawn_in_tmp(argv, in_path, out_path, stdout_to ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC,
                             err_path, 0);
    int status = wait_child(pid);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (stdout_to) {
        r->out = calloc(1, 1);
        cr_assert(r->out);
        r->out_len = 0;
    } else
        r->out = slurp_or_fail(out_path, &r->out_len);
    r->err = slurp_or_fail(err_path, &r->err_len);
    free(seed);
    free(bin);

    cr_assert_eq(r->signo, 0, "%s: killed by signal %d; stderr:\n%s", args[0] ? args[0] : "(none)", r->signo,
                 r->err);
    cr_assert(r->code != 126 && r->code != 127, "could not start %s", env_or_fail("SUMMIT_BIN"));
    cr_assert(!strstr(r->err, "Sanitizer") && !strstr(r->err, "runtime error:"), "sanitizer report:\n%s",
              r->err);
}

static void run(run_result *r, const char *const *args, const char *stdin_name)
{
    run_to(r, args, stdin_name, NULL);
}

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Runs one SQL query returning one value on a database in the temp dir;
 * returns it as malloc'd text ("" for NULL). */
/* 1 when line (of len bytes) is valid JSON by SQLite's json_valid. */
static int json_ok(sqlite3 *db, const char *line, size_t len)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, line, (int)len, SQLITE_TRANSIENT);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int ok = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

/* json_extract(line, path) compared with want (text). */
static int json_is(sqlite3 *db, const char *line, size_t len, const char *path, const char *want)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT json_extract(?1, ?2) = ?3", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, line, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, want, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int ok = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

/* ---- the table of command lines ----------------------------------------------------- */

enum { NEEDS_NOTHING, NEEDS_NON_ROOT, NEEDS_DEV_FULL };

typedef struct cli_case {
    const char *name;            /* the behaviour */
    const char *args[MAX_ARGS];  /* after the program name; "%F" = seed article */
    const char *in;              /* stdin: a file in the temp dir, or NULL for /dev/null */
    const char *stdout_to;       /* stdout into this path instead of the capture file */
    int code;                    /* expected exit status */
    const char *err[3];          /* substrings expected on stderr */
    const char *out[3];          /* substrings expected on stdout */
    const char *db, *sql, *want; /* afterwards, the single value of sql on database db
                                    (in the temp dir) must be the text want */
    const char *absent;          /* a file in the temp dir that must not exist afterwards */
    int needs;
} cli_case;

#define NOT_ISO "is not an ISO 8601 date"
#define COUNT_DOCS "SELECT count(*) FROM documents"
#define DOC_PATHS "SELECT group_concat(path, '|') FROM (SELECT path FROM documents ORDER BY path)"

static const cli_case cli_cases[] = {
    /* help and version: exit 0, on stdout */
    {.name = "help_prints_usage_and_exit_status",
     .args = {"--help"},
     .code = 0,
     .out = {"usage: summit", "Exit status", "3  database"}},
    {.name = "short_help", .args = {"-h"}, .code = 0, .out = {"usage: summit", "Exit status"}},
    {.name = "help_after_a_command_runs_nothing",
     .args = {"ingest", "--db", "t.db", "--help"},
     .code = 0,
     .out = {"Exit status"},
     .absent = "t.db"},
    {.name = "version", .args = {"--version"}, .code = 0, .out = {"summit " SX_VERSION}},

    /* usage errors: exit 2 */
    {.name = "no_arguments_is_usage", .args = {NULL}, .code = 2, .err = {"usage:"}},
    {.name = "unknown_command_is_named",
     .args = {"frobnicate"},
     .code = 2,
     .err = {"unknown command 'frobnicate'", "usage:"}},
    {.name = "unknown_option_is_named",
     .args = {"extract", "--frob", "article.txt"},
     .code = 2,
     .err = {"unknown option '--frob'", "usage:"}},
    {.name = "option_of_another_command_is_unknown",
     .args = {"extract", "--db", "t.db", "article.txt"},
     .code = 2,
     .err = {"unknown option '--db'"},
     .absent = "t.db"},
    {.name = "option_without_value",
     .args = {"extract", "article.txt", "--dct"},
     .code = 2,
     .err = {"option '--dct' needs a value"}},
    {.name = "output_option_without_value",
     .args = {"export", "--db", "good.db", "-o"},
     .code = 2,
     .err = {"option '-o' needs a value"}},
    {.name = "extract_without_file", .args = {"extract"}, .code = 2, .err = {"extract takes one FILE"}},
    {.name = "extract_with_two_files",
     .args = {"extract", "article.txt", "article2.txt"},
     .code = 2,
     .err = {"extract takes one FILE"}},
    {.name = "ingest_without_file",
     .args = {"ingest", "--db", "t.db"},
     .code = 2,
     .err = {"ingest needs at least one FILE"},
     .absent = "t.db"},
    /* -j / --jobs: a whole number from 1 to 64, else a usage error before
     * anything is created */
    {.name = "jobs_zero_is_a_usage_error",
     .args = {"ingest", "--db", "t.db", "-j", "0", "article.txt"},
     .code = 2,
     .err = {"--jobs '0' is not a number from 1 to 64", "usage:"},
     .absent = "t.db"},
    {.name = "jobs_not_a_number_is_a_usage_error",
     .args = {"ingest", "--db", "t.db", "-j", "abc", "article.txt"},
     .code = 2,
     .err = {"--jobs 'abc' is not a number from 1 to 64"},
     .absent = "t.db"},
    {.name = "jobs_with_trailing_text_is_a_usage_error",
     .args = {"ingest", "--db", "t.db", "--jobs", "4x", "article.txt"},
     .code = 2,
     .err = {"--jobs '4x' is not a number"},
     .absent = "t.db"},
    {.name = "jobs_over_64_is_a_usage_error",
     .args = {"ingest", "--db", "t.db", "--jobs=65", "article.txt"},
     .code = 2,
     .err = {"--jobs '65' is not a number from 1 to 64"},
     .absent = "t.db"},
    {.name = "jobs_negative_is_a_usage_error",
     .args = {"ingest", "--db", "t.db", "-j", "-2", "article.txt"},
     .code = 2,
     .err = {"--jobs '-2'"},
     .absent = "t.db"},
    {.name = "jobs_without_value",
     .args = {"ingest", "--db", "t.db", "article.txt", "-j"},
     .code = 2,
     .err = {"option '-j' needs a value"},
     .absent = "t.db"},
    {.name = "jobs_is_for_ingest_only",
     .args = {"extract", "-j", "2", "article.txt"},
     .code = 2,
     .err = {"unknown option '-j'"}},
    {.name = "jobs_ingests_like_one_job",
     .args = {"ingest", "--db", "t.db", "--jobs", "3", "--dct", "2017-07-07", "article.txt", "corpus"},
     .code = 0,
     .err = {"ingested 4 documents (4 new,"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt|corpus/a.txt|corpus/b.txt|corpus/sub/c.txt"},
    {.name = "chronology_takes_no_file",
     .args = {"chronology", "--db", "good.db", "article.txt"},
     .code = 2,
     .err = {"unexpected argument 'article.txt'"}},
    {.name = "extract_unknown_format",
     .args = {"extract", "--format", "xml", "article.txt"},
     .code = 2,
     .err = {"unknown --format 'xml'"}},
    {.name = "export_unknown_format",
     .args = {"export", "--db", "good.db", "--format", "text"},
     .code = 2,
     .err = {"unknown --format 'text'"}},

    /* --dct: exit 2 on a bad date, before any file or database is touched */
    {.name = "dct_month_13_day_45",
     .args = {"extract", "--dct", "2017-13-45", "article.txt"},
     .code = 2,
     .err = {"'2017-13-45' " NOT_ISO}},
    {.name = "dct_word",
     .args = {"extract", "--dct", "yesterday", "article.txt"},
     .code = 2,
     .err = {"'yesterday' " NOT_ISO}},
    {.name = "dct_empty_string",
     .args = {"extract", "--dct", "", "article.txt"},
     .code = 2,
     .err = {"'' " NOT_ISO}},
    {.name = "dct_not_a_leap_year",
     .args = {"extract", "--dct", "2017-02-29", "article.txt"},
     .code = 2,
     .err = {"'2017-02-29' " NOT_ISO}},
    {.name = "dct_without_zero_padding",
     .args = {"extract", "--dct", "2017-7-7", "article.txt"},
     .code = 2,
     .err = {"'2017-7-7' " NOT_ISO}},
    {.name = "dct_day_31_in_a_30_day_month",
     .args = {"extract", "--dct", "2017-04-31", "article.txt"},
     .code = 2,
     .err = {"'2017-04-31' " NOT_ISO}},
    {.name = "dct_1900_was_not_a_leap_year",
     .args = {"extract", "--dct", "1900-02-29", "article.txt"},
     .code = 2,
     .err = {"'1900-02-29' " NOT_ISO}},
    {.name = "dct_hour_24",
     .args = {"extract", "--dct", "2017-07-07T24:00", "article.txt"},
     .code = 2,
     .err = {"'2017-07-07T24:00' " NOT_ISO}},
    {.name = "dct_minute_60",
     .args = {"extract", "--dct", "2017-07-07T14:60", "article.txt"},
     .code = 2,
     .err = {"'2017-07-07T14:60' " NOT_ISO}},
    {.name = "dct_hour_without_minutes",
     .args = {"extract", "--dct", "2017-07-07T14", "article.txt"},
     .code = 2,
     .err = {"'2017-07-07T14' " NOT_ISO}},
    {.name = "dct_after_equals_sign",
     .args = {"extract", "--dct=2017-02-30", "article.txt"},
     .code = 2,
     .err = {"'2017-02-30' " NOT_ISO}},
    {.name = "dct_bad_on_ingest_creates_no_database",
     .args = {"ingest", "--db", "t.db", "--dct", "yesterday", "article.txt"},
     .code = 2,
     .err = {NOT_ISO},
     .absent = "t.db"},
    {.name = "dct_checked_before_the_file",
     .args = {"extract", "--dct", "2017-13-45", "nosuch.txt"},
     .code = 2,
     .err = {NOT_ISO}},
    {.name = "dct_with_time_is_accepted",
     .args = {"extract", "--dct", "2017-07-07T14:20", "article.txt"},
     .code = 0,
     .out = {"2017-07-07 (Friday)", "meeting"}},
    {.name = "dct_with_seconds_is_accepted",
     .args = {"extract", "--dct=2017-07-07T14:20:59", "article.txt"},
     .code = 0,
     .out = {"2017-07-07"}},
    {.name = "dct_2000_leap_day_is_accepted",
     .args = {"extract", "--dct", "2000-02-29", "article.txt"},
     .code = 0,
     .out = {"summit timeline: 1 document"}},
    {.name = "dct_leap_day_is_accepted",
     .args = {"extract", "--dct", "2016-02-29", "article.txt"},
     .code = 0,
     .out = {"summit timeline: 1 document"}},

    /* inputs that cannot be read: exit 1, the message names the file */
    {.name = "missing_file",
     .args = {"extract", "nosuch.txt"},
     .code = 1,
     .err = {"summit: nosuch.txt: ", "No such file"}},
    {.name = "directory", .args = {"extract", "adir"}, .code = 1, .err = {"summit: adir: is a directory"}},
    {.name = "empty_file",
     .args = {"extract", "empty.txt"},
     .code = 1,
     .err = {"summit: empty.txt: is empty"}},
    {.name = "white_space_only_file",
     .args = {"extract", "blank.txt"},
     .code = 1,
     .err = {"summit: blank.txt: has no text"}},
    {.name = "file_over_the_size_limit",
     .args = {"extract", "huge.txt"},
     .code = 1,
     .err = {"summit: huge.txt: ", "over the document size limit"}},
    {.name = "dash_file_after_double_dash",
     .args = {"ingest", "--db", "t.db", "--", "-dash.txt"},
     .code = 0,
     .db = "t.db",
     .sql = "SELECT path FROM documents",
     .want = "-dash.txt"},
    {.name = "unreadable_file",
     .args = {"extract", "unreadable.txt"},
     .code = 1,
     .err = {"summit: unreadable.txt: ", "Permission denied"},
     .needs = NEEDS_NON_ROOT},

    /* standard input, and the other output formats */
    {.name = "extract_from_stdin",
     .args = {"extract", "--dct", "2017-07-07", "-"},
     .in = "article.txt",
     .code = 0,
     .out = {"2017-07-07 (Friday)", "meeting", "[-]"}},
    {.name = "extract_jsonl_from_stdin",
     .args = {"extract", "--format", "jsonl", "--dct", "2017-07-07", "-"},
     .in = "article.txt",
     .code = 0,
     .out = {"{\"kind\":\"document\",\"path\":\"-\"", "\"kind\":\"timex\"", "\"value\":\"2017-07-07\""}},
    {.name = "extract_empty_stdin",
     .args = {"extract", "-"},
     .in = "empty.txt",
     .code = 1,
     .err = {"is empty"}},
    {.name = "extract_bad_utf8_on_stdin",
     .args = {"extract", "-"},
     .in = "overlong.txt",
     .code = 1,
     .err = {"-: invalid UTF-8 at byte 6 "}},
    {.name = "extract_without_dct_warns_and_leaves_dates_underspecified",
     .args = {"extract", "--format", "jsonl", "article.txt"},
     .code = 0,
     .err = {"article.txt: warning", "--dct"},
     .out = {"\"dct\":null", "\"dct_source\":\"none\"", "\"value\":\"XXXX-WXX-5\""}},
    {.name = "extract_csv_starts_with_the_header",
     .args = {"extract", "--format", "csv", "--dct", "2017-07-07", "article.txt"},
     .code = 0,
     .out = {CSV_HEADER "\r\n", ",meeting,"}},

    /* databases that cannot be used: exit 3, the message names the path */
    {.name = "ingest_into_missing_folder",
     .args = {"ingest", "--db", "nodir/t.db", "article.txt"},
     .code = 3,
     .err = {"'nodir/t.db'"},
     .absent = "nodir"},
    {.name = "chronology_on_missing_database",
     .args = {"chronology", "--db", "missing.db"},
     .code = 3,
     .err = {"missing.db: no such database"},
     .absent = "missing.db"},
    {.name = "export_on_missing_database",
     .args = {"export", "--db", "missing.db"},
     .code = 3,
     .err = {"missing.db"},
     .absent = "missing.db"},
    {.name = "ingest_into_a_directory",
     .args = {"ingest", "--db", "adir", "article.txt"},
     .code = 3,
     .err = {"'adir'"}},
    {.name = "chronology_on_a_directory",
     .args = {"chronology", "--db", "adir"},
     .code = 3,
     .err = {"'adir'"}},
    {.name = "chronology_on_an_empty_file",
     .args = {"chronology", "--db", "zero.db"},
     .code = 3,
     .err = {"'zero.db'"}},
    {.name = "chronology_on_random_bytes",
     .args = {"chronology", "--db", "random.db"},
     .code = 3,
     .err = {"'random.db' is not a summit database"}},
    {.name = "export_on_random_bytes",
     .args = {"export", "--db", "random.db"},
     .code = 3,
     .err = {"'random.db' is not a summit database"}},
    {.name = "ingest_into_random_bytes",
     .args = {"ingest", "--db", "random.db", "article.txt"},
     .code = 3,
     .err = {"'random.db' is not a summit database"}},
    {.name = "chronology_on_newer_schema",
     .args = {"chronology", "--db", "v99.db"},
     .code = 3,
     .err = {"v99.db", "newer", "upgrade summit"}},
    {.name = "export_on_newer_schema",
     .args = {"export", "--db", "v99.db"},
     .code = 3,
     .err = {"v99.db", "newer"}},
    {.name = "ingest_into_newer_schema_leaves_it_alone",
     .args = {"ingest", "--db", "v99.db", "article.txt"},
     .code = 3,
     .err = {"v99.db", "newer"},
     .db = "v99.db",
     .sql = "PRAGMA user_version",
     .want = "99"},

    /* output that cannot be written: exit 4 */
    {.name = "export_into_missing_folder",
     .args = {"export", "--db", "good.db", "-o", "nodir/out.csv"},
     .code = 4,
     .err = {"nodir/out.csv"},
     .absent = "nodir"},
    {.name = "export_to_a_full_device",
     .args = {"export", "--db", "good.db", "-o", "/dev/full"},
     .code = 4,
     .err = {"cannot write /dev/full"},
     .needs = NEEDS_DEV_FULL},
    {.name = "export_into_a_directory",
     .args = {"export", "--db", "good.db", "-o", "adir"},
     .code = 4,
     .err = {"adir"}},
    {.name = "chronology_to_a_full_stdout",
     .args = {"chronology", "--db", "good.db"},
     .stdout_to = "/dev/full",
     .code = 4,
     .err = {"cannot write"},
     .needs = NEEDS_DEV_FULL},
    {.name = "extract_to_a_full_stdout",
     .args = {"extract", "--dct", "2017-07-07", "article.txt"},
     .stdout_to = "/dev/full",
     .code = 4,
     .err = {"cannot write"},
     .needs = NEEDS_DEV_FULL},
    {.name = "version_to_a_full_stdout",
     .args = {"--version"},
     .stdout_to = "/dev/full",
     .code = 4,
     .err = {"cannot write standard output"},
     .needs = NEEDS_DEV_FULL},

    /* reading a good database */
    {.name = "chronology_of_a_good_database",
     .args = {"chronology", "--db", "good.db"},
     .code = 0,
     .out = {"1 document", "2017-07-07 (Friday)", "meeting"}},
    {.name = "export_csv_to_stdout",
     .args = {"export", "--db", "good.db"},
     .code = 0,
     .out = {CSV_HEADER "\r\n", "article.txt"}},
    {.name = "export_jsonl_to_stdout",
     .args = {"export", "--db", "good.db", "--format", "jsonl"},
     .code = 0,
     .out = {"\"key\":", "\"type\":\"meeting\"", "\"sources\":[{\"document\":\"article.txt\""}},

    /* ingests: several files, partial failures, hostile text */
    {.name = "ingest_two_files",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "article.txt", "article2.txt"},
     .code = 0,
     .err = {"ingested 2 documents"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt|article2.txt"},
    {.name = "ingest_same_file_twice_keeps_one",
     .args = {"ingest", "--db", "t.db", "article.txt", "article.txt"},
     .code = 0,
     .db = "t.db",
     .sql = COUNT_DOCS,
     .want = "1"},
    {.name = "ingest_good_then_bad_keeps_the_good",
     .args = {"ingest", "--db", "t.db", "article.txt", "overlong.txt"},
     .code = 1,
     .err = {"overlong.txt: invalid UTF-8 at byte 6 ", "1 failed"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt"},
    {.name = "ingest_bad_then_good_keeps_the_good",
     .args = {"ingest", "--db", "t.db", "nul.txt", "article.txt"},
     .code = 1,
     .err = {"nul.txt: contains a NUL byte", "ingested 1 document"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt"},
    {.name = "ingest_missing_file_among_good_ones",
     .args = {"ingest", "--db", "t.db", "article.txt", "nosuch.txt", "article2.txt"},
     .code = 1,
     .err = {"nosuch.txt", "1 failed"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt|article2.txt"},
    {.name = "ingest_sql_looking_text",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "sqlinj.txt"},
     .code = 0,
     .db = "t.db",
     .sql = "SELECT count(*) FROM documents WHERE body LIKE '%DROP TABLE documents;--%'",
     .want = "1"},
    {.name = "ingest_sql_looking_path",
     .args = {"ingest", "--db", "t.db", "x'); DROP TABLE documents;--.txt"},
     .code = 0,
     .db = "t.db",
     .sql = "SELECT path FROM documents",
     .want = "x'); DROP TABLE documents;--.txt"},
    {.name = "ingest_from_stdin",
     .args = {"ingest", "--db", "t.db", "-"},
     .in = "article.txt",
     .code = 0,
     .db = "t.db",
     .sql = "SELECT path FROM documents",
     .want = "-"},
    {.name = "ingest_stdin_and_the_same_text_as_a_file_is_one_document",
     .args = {"ingest", "--db", "t.db", "article.txt", "-"},
     .in = "article.txt",
     .code = 0,
     .err = {"1 new, 0 replaced, 1 unchanged"},
     .db = "t.db",
     .sql = DOC_PATHS,
     .want = "article.txt"},

    /* directories: *.txt files, recursively, in path order, hidden ones skipped */
    {.name = "ingest_a_directory",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "corpus"},
     .code = 0,
     .err = {"ingested 3 documents (3 new, 0 replaced, 0 unchanged;"},
     .db = "t.db",
     .sql = "SELECT group_concat(path, '|') FROM (SELECT path FROM documents ORDER BY id)",
     .want = "corpus/a.txt|corpus/b.txt|corpus/sub/c.txt"},
    {.name = "ingest_a_directory_with_a_trailing_slash",
     .args = {"ingest", "--db", "t.db", "corpus/"},
     .code = 0,
     .db = "t.db",
     .sql = "SELECT group_concat(path, '|') FROM (SELECT path FROM documents ORDER BY id)",
     .want = "corpus/a.txt|corpus/b.txt|corpus/sub/c.txt"},
    {.name = "ingest_a_directory_without_articles",
     .args = {"ingest", "--db", "t.db", "emptydir", "article.txt"},
     .code = 0,
     .err = {"emptydir: no *.txt files", "ingested 1 document"}},
    {.name = "ingest_summary_counts_the_timeline",
     .args = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "corpus/a.txt", "corpus/sub/c.txt"},
     .code = 0,
     .err = {"the timeline holds 1 event from 2 documents"}},

    /* remove */
    {.name = "remove_by_path",
     .args = {"remove", "--db", "good.db", "article.txt"},
     .code = 0,
     .err = {"removed 1 document"},
     .db = "good.db",
     .sql = "SELECT count(*) || ' ' || (SELECT count(*) FROM timeline_events) FROM documents",
     .want = "0 0"},
    {.name = "remove_what_is_not_there",
     .args = {"remove", "--db", "good.db", "nosuch.txt"},
     .code = 1,
     .err = {"nosuch.txt: no such document in good.db"},
     .db = "good.db",
     .sql = COUNT_DOCS,
     .want = "1"},
    {.name = "remove_needs_a_name", .args = {"remove", "--db", "good.db"}, .code = 2, .err = {"remove needs"}},
    {.name = "remove_from_a_missing_database",
     .args = {"remove", "--db", "missing.db", "article.txt"},
     .code = 3,
     .err = {"missing.db: no such database"},
     .absent = "missing.db"},

    /* chronology formats and filters */
    {.name = "chronology_as_markdown",
     .args = {"chronology", "--db", "good.db", "--format", "markdown"},
     .code = 0,
     .out = {"# summit timeline\n", "\n## 2017-07-07 (Friday)\n", "- **meeting** \xE2\x80\x94 "}},
    {.name = "chronology_of_an_actor_by_surname",
     .args = {"chronology", "--db", "good.db", "--actor", "putin"},
     .code = 0,
     .out = {"showing events with putin", "meeting"}},
    {.name = "chronology_of_an_actor_nobody_is",
     .args = {"chronology", "--db", "good.db", "--actor", "Merkel"},
     .code = 0,
     .out = {"(no event matches)"}},
    {.name = "chronology_between_two_actors",
     .args = {"chronology", "--db", "good.db", "--between", "Trump", "Putin", "--type", "meeting"},
     .code = 0,
     .out = {"meeting: Donald Trump and Vladimir Putin"}},
    {.name = "chronology_between_needs_two_names",
     .args = {"chronology", "--db", "good.db", "--between", "Trump"},
     .code = 2,
     .err = {"option '--between' needs two values"}},
    {.name = "chronology_from_a_bad_date",
     .args = {"chronology", "--db", "good.db", "--from", "2017-13"},
     .code = 2,
     .err = {"--from '2017-13' is not a date"}},
    {.name = "chronology_to_a_file",
     .args = {"chronology", "--db", "good.db", "--from", "2017-07", "--to", "2017-07-07", "-o", "chron.txt"},
     .code = 0,
     .absent = "nosuch"},
    {.name = "chronology_upgrades_a_version_1_database",
     .args = {"chronology", "--db", "v1.db"},
     .code = 0,
     .out = {"0 documents"},
     .db = "v1.db",
     .sql = "PRAGMA user_version",
     .want = "5"},
    {.name = "chronology_unknown_format",
     .args = {"chronology", "--db", "good.db", "--format", "csv"},
     .code = 2,
     .err = {"unknown --format 'csv' (text or markdown)"}},

    /* the other export formats */
    {.name = "export_ics",
     .args = {"export", "--db", "good.db", "--format", "ics"},
     .code = 0,
     .out = {"BEGIN:VCALENDAR\r\n", "\r\nDTSTART;VALUE=DATE:20170707\r\nDURATION:P1D\r\n", "END:VCALENDAR\r\n"}},
    {.name = "export_html",
     .args = {"export", "--db", "good.db", "--format", "html", "-o", "t.html"},
     .code = 0,
     .absent = "nosuch"},
    {.name = "export_html_to_stdout",
     .args = {"export", "--db", "good.db", "--format", "html"},
     .code = 0,
     .out = {"<!DOCTYPE html>", "<svg ", "<g class=\"mark\""}},
    {.name = "export_markdown",
     .args = {"export", "--db", "good.db", "--format", "markdown", "--type", "meeting"},
     .code = 0,
     .out = {"**meeting**"}},
    {.name = "export_long_csv",
     .args = {"export", "--db", "good.db", "--long"},
     .code = 0,
     .out = {"timeline_id,key,date,time,type,status,participant,kind,country,role,location,summary,n_sources,"
             "documents\r\n",
             ",Donald Trump,person,USA,participant,"}},
    {.name = "export_long_is_for_csv",
     .args = {"export", "--db", "good.db", "--long", "--format", "jsonl"},
     .code = 2,
     .err = {"--long is for --format csv"}},
    {.name = "long_takes_no_value",
     .args = {"export", "--db", "good.db", "--long=yes"},
     .code = 2,
     .err = {"option '--long' takes no value"}},

    /* search */
    {.name = "search_highlights_the_match",
     .args = {"search", "--db", "good.db", "Hamburg"},
     .code = 0,
     .out = {"article.txt, sentence 1, 2017-07-07:\n", "in **Hamburg** on"}},
    {.name = "search_several_words_and_a_limit",
     .args = {"search", "--db", "good.db", "--limit", "1", "meeting", "lasted"},
     .code = 0,
     .out = {"The **meeting** **lasted** two hours."}},
    {.name = "search_finding_nothing",
     .args = {"search", "--db", "good.db", "Merkel"},
     .code = 0,
     .err = {"nothing matches 'Merkel'"}},
    {.name = "search_needs_text", .args = {"search", "--db", "good.db"}, .code = 2, .err = {"search needs"}},
    {.name = "search_bad_limit",
     .args = {"search", "--db", "good.db", "--limit", "0", "x"},
     .code = 2,
     .err = {"--limit '0'"}},
};

ParameterizedTestParameters(cli, exit_code_and_message)
{
    static size_t idx[N_ELEMS(cli_cases)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, cli, exit_code_and_message, .init = setup, .fini = teardown)
{
    const cli_case *c = &cli_cases[*i];
    /* A skipped test does not run .fini, so clean up first. */
    if (c->needs == NEEDS_NON_ROOT && geteuid() == 0) {
        teardown();
        cr_skip_test("%s: root can read a chmod 000 file", c->name);
    }
    if (c->needs == NEEDS_DEV_FULL && access("/dev/full", W_OK) != 0) {
        teardown();
        cr_skip_test("%s: no /dev/full", c->name);
    }

    run_result r;
    run_to(&r, c->args, c->in, c->stdout_to);
    cr_expect_eq(r.code, c->code, "%s: exit %d, expected %d; stderr:\n%s", c->name, r.code, c->code, r.err);
    for (size_t k = 0; k < 3 && c->err[k]; k++)
        cr_expect(strstr(r.err, c->err[k]), "%s: stderr lacks \"%s\":\n%s", c->name, c->err[k], r.err);
    for (size_t k = 0; k < 3 && c->out[k]; k++)
        cr_expect(strstr(r.out, c->out[k]), "%s: stdout lacks \"%s\":\n%s", c->name, c->out[k], r.out);
    /* A failing run prints nothing on stdout. */
    if (c->code != 0) cr_expect_eq(r.out_len, 0, "%s: stdout on failure:\n%s", c->name, r.out);
    if (c->db) {
        char *v = query_db(c->db, c->sql);
        cr_expect_str_eq(v, c->want, "%s: %s gave '%s', expected '%s'", c->name, c->sql, v, c->want);
        free(v);
    }
    if (c->absent) cr_expect(!exists_in_tmp(c->absent), "%s: %s was created", c->name, c->absent);
    run_free(&r);
}

/* ---- bad bytes: the byte offset of the first bad byte -------------------------------- */

ParameterizedTestParameters(cli, bad_bytes_are_reported_with_their_byte_offset)
{
    static size_t idx[N_ELEMS(bad_files)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, cli, bad_bytes_are_reported_with_their_byte_offset, .init = setup,
                  .fini = teardown)
{
    const bad_file *b = &bad_files[*i];
    const char *args[] = {"extract", "--dct", "2017-07-07", b->name, NULL};
    run_result r;
    run(&r, args, NULL);
    cr_expect_eq(r.code, 1, "%s: exit %d, expected 1; stderr:\n%s", b->name, r.code, r.err);
    char want[256];
    if (b->at_byte && !strcmp(b->what, "invalid UTF-8"))
        snprintf(want, sizeof want, "summit: %s: invalid UTF-8 at byte %zu (", b->name, strlen(b->prefix));
    else
        snprintf(want, sizeof want, "summit: %s: ", b->name);
    cr_expect(strstr(r.err, want), "%s: stderr lacks \"%s\":\n%s", b->name, want, r.err);
    cr_expect(strstr(r.err, b->what), "%s: stderr lacks \"%s\":\n%s", b->name, b->what, r.err);
    if (b->at_byte) {
        snprintf(want, sizeof want, "at byte %zu ", strlen(b->prefix));
        cr_expect(strstr(r.err, want), "%s: stderr lacks \"%s\":\n%s", b->name, want, r.err);
    }
    cr_expect_eq(r.out_len, 0, "%s: stdout on failure:\n%s", b->name, r.out);
    run_free(&r);
}

/* ---- the seed article through the whole program -------------------------------------- */

/* Splits buf into lines in place; returns how many (a last line without a
 * newline counts). */
static size_t split_lines(char *buf, char **lines, size_t max)
{
    size_t n = 0;
    char *p = buf;
    while (*p && n < max) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

Test(seed, extract_jsonl_lines_are_valid_and_carry_the_expected_values, .init = setup, .fini = teardown)
{
    const char *args[] = {"extract", "--format", "jsonl", "--dct", "2017-07-07", "%F", NULL};
    run_result r;
    run(&r, args, NULL);
    cr_assert_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err);
    cr_assert_gt(r.out_len, 0);
    cr_expect_eq(r.out[r.out_len - 1], '\n', "output does not end with a newline");

    static char *lines[4096];
    size_t n = split_lines(r.out, lines, N_ELEMS(lines));
    cr_assert_gt(n, 2);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);

    cr_expect(starts_with(lines[0], "{\"kind\":\"document\""), "first line: %s", lines[0]);
    cr_expect(strstr(lines[0], "\"dct\":\"2017-07-07\""), "first line: %s", lines[0]);
    cr_expect(strstr(lines[0], "\"dct_source\":\"flag\""), "first line: %s", lines[0]);
    int friday = 0, meeting = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(lines[k]);
        cr_expect(json_ok(db, lines[k], len), "line %zu is not valid JSON: %s", k + 1, lines[k]);
        if (strstr(lines[k], "\"kind\":\"timex\"") && strstr(lines[k], "\"start\":193,\"end\":199") &&
            strstr(lines[k], "\"value\":\"2017-07-07\""))
            friday = 1;
        if (json_is(db, lines[k], len, "$.kind", "event") &&
            json_is(db, lines[k], len, "$.type", "meeting") &&
            json_is(db, lines[k], len, "$.duration", "PT2H16M"))
            meeting = 1;
    }
    cr_expect(friday, "no timex line with \"start\":193,\"end\":199 and value 2017-07-07");
    cr_expect(meeting, "no meeting event line with duration PT2H16M");
    sqlite3_close(db);
    run_free(&r);
}

Test(seed, ingest_twice_then_chronology_and_exports, .init = setup, .fini = teardown)
{
    const char *ingest[] = {"ingest", "--db", "t.db", "--dct", "2017-07-07", "%F", NULL};
    run_result r;
    for (int round = 0; round < 2; round++) {
        run(&r, ingest, NULL);
        cr_assert_eq(r.code, 0, "ingest %d: exit %d; stderr:\n%s", round + 1, r.code, r.err);
        cr_expect(strstr(r.err, "ingested 1 document"), "ingest %d: %s", round + 1, r.err);
        cr_expect_eq(r.out_len, 0, "ingest prints on stdout: %s", r.out);
        run_free(&r);
    }
    char *docs = query_db("t.db", "SELECT count(*) FROM documents");
    cr_expect_str_eq(docs, "1", "same file ingested twice: %s documents", docs);
    free(docs);

    const char *chron[] = {"chronology", "--db", "t.db", NULL};
    run(&r, chron, NULL);
    cr_expect_eq(r.code, 0, "chronology: exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.out, "2017-07-07"), "chronology:\n%s", r.out);
    cr_expect(strstr(r.out, "meeting"), "chronology:\n%s", r.out);
    run_free(&r);

    const char *csv[] = {"export", "--db", "t.db", "-o", "out.csv", NULL};
    run(&r, csv, NULL);
    cr_expect_eq(r.code, 0, "export -o: exit %d; stderr:\n%s", r.code, r.err);
    cr_expect_eq(r.out_len, 0, "export -o also wrote to stdout: %s", r.out);
    run_free(&r);
    char p[512];
    path_in_tmp(p, sizeof p, "out.csv");
    char *text = slurp_or_fail(p, NULL);
    cr_expect(starts_with(text, CSV_HEADER "\r\n"), "CSV does not start with the header line:\n%.300s", text);
    free(text);

    const char *jsonl[] = {"export", "--db", "t.db", "--format", "jsonl", NULL};
    run(&r, jsonl, NULL);
    cr_expect_eq(r.code, 0, "export jsonl: exit %d; stderr:\n%s", r.code, r.err);
    static char *lines[4096];
    size_t n = split_lines(r.out, lines, N_ELEMS(lines));
    char *events = query_db("t.db", "SELECT count(*) FROM timeline_events");
    char want[32];
    snprintf(want, sizeof want, "%zu", n);
    cr_expect_str_eq(want, events, "export jsonl: %zu lines for %s timeline events", n, events);
    free(events);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    int meeting = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(lines[k]);
        cr_expect(json_ok(db, lines[k], len), "export line %zu is not valid JSON: %s", k + 1, lines[k]);
        cr_expect(strstr(lines[k], "\"key\":"), "export line %zu: %s", k + 1, lines[k]);
        if (json_is(db, lines[k], len, "$.type", "meeting") &&
            json_is(db, lines[k], len, "$.date", "2017-07-07"))
            meeting = 1;
    }
    cr_expect(meeting, "export jsonl has no meeting on 2017-07-07");
    sqlite3_close(db);
    run_free(&r);
}

/* ---- many articles: merging, idempotence, CSV round trip, concurrency ----------------- */

/* "DIR/NAME" with DIR from the environment variable env (malloc'd). */
static char *env_path(const char *env, const char *name)
{
    const char *dir = env_or_fail(env);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    cr_assert(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Two wire reports of one meeting (tests/data/merge_wire_*.txt): Bush and
 * Fukuda in Toyako, one says Sunday, July 6, the other Monday, July 7.  One
 * timeline event with two sources, and the date disagreement kept. */
Test(merge, two_reports_of_one_meeting_are_one_event_with_two_sources_and_a_date_conflict, .init = setup,
     .fini = teardown)
{
    char *mon = env_path("SUMMIT_TESTDATA", "merge_wire_monday.txt"),
         *sun = env_path("SUMMIT_TESTDATA", "merge_wire_sunday.txt");
    const char *ingest[] = {"ingest", "--db", "t.db", mon, sun, NULL};
    run_result r;
    run(&r, ingest, NULL);
    cr_assert_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err);
    run_free(&r);
    char *v = query_db("t.db",
                       "SELECT count(*) || ' ' || min(n_sources) || ' ' || min(n_conflicts) FROM timeline_events te"
                       " WHERE type = 'meeting' AND n_sources > 1"
                       " AND EXISTS (SELECT 1 FROM timeline_participants p WHERE p.timeline_event_id = te.id"
                       "             AND p.name = 'George W. Bush')"
                       " AND EXISTS (SELECT 1 FROM timeline_participants p WHERE p.timeline_event_id = te.id"
                       "             AND p.name = 'Yasuo Fukuda')");
    cr_expect_str_eq(v, "1 2 1", "one Bush-Fukuda meeting with two sources and one conflict");
    free(v);
    v = query_db("t.db", "SELECT field || ': ' || reports FROM conflicts WHERE type = 'meeting'");
    cr_expect(strstr(v, "date: 2008-07-06 [") && strstr(v, "merge_wire_sunday.txt]; 2008-07-07 [") &&
                  strstr(v, "merge_wire_monday.txt]"),
              "%s", v);
    free(v);
    /* each source keeps its own event, sentence and offsets */
    v = query_db("t.db", "SELECT count(DISTINCT document) FROM timeline_mentions m JOIN timeline_events te"
                         " ON te.id = m.timeline_id WHERE te.type = 'meeting' AND te.n_sources = 2");
    cr_expect_str_eq(v, "2");
    free(v);
    const char *chron[] = {"chronology", "--db", "t.db", "--between", "Bush", "Fukuda", NULL};
    run(&r, chron, NULL);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "meeting: George W. Bush and Yasuo Fukuda in Toyako, Japan"), "%s", r.out);
    cr_expect(strstr(r.out, "! sources disagree on the date: 2008-07-06 ["), "%s", r.out);
    run_free(&r);
    /* removing one source leaves a one-source event */
    const char *rm[] = {"remove", "--db", "t.db", mon, NULL};
    run(&r, rm, NULL);
    cr_expect_eq(r.code, 0, "%s", r.err);
    run_free(&r);
    v = query_db("t.db", "SELECT max(n_sources) || ' ' || (SELECT count(*) FROM timeline_conflicts)"
                         " FROM timeline_events");
    cr_expect_str_eq(v, "1 0");
    free(v);
    free(mon);
    free(sun);
}

/* Ingesting all fixtures twice (as a directory) gives the same counts as once. */
Test(ingest, all_fixtures_twice_give_the_same_counts_as_once, .init = setup, .fini = teardown)
{
    static const char counts[] =
        "SELECT (SELECT count(*) FROM documents) || ' ' || (SELECT count(*) FROM events) || ' ' ||"
        " (SELECT count(*) FROM timexes) || ' ' || (SELECT count(*) FROM quotes) || ' ' ||"
        " (SELECT count(*) FROM text_search) || ' ' || (SELECT count(*) FROM timeline_events) || ' ' ||"
        " (SELECT count(*) FROM timeline_sources) || ' ' || (SELECT count(*) FROM timeline_conflicts) || ' ' ||"
        " (SELECT group_concat(key) FROM (SELECT key FROM timeline_events ORDER BY key))";
    const char *dir = env_or_fail("SUMMIT_FIXTURES");
    const char *ingest[] = {"ingest", "--db", "t.db", dir, NULL};
    run_result r;
    run(&r, ingest, NULL);
    cr_assert_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.err, " new, 0 replaced, 0 unchanged;"), "%s", r.err);
    run_free(&r);
    char *once = query_db("t.db", counts);
    run(&r, ingest, NULL);
    cr_assert_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err);
    cr_expect(strstr(r.err, " (0 new, 0 replaced, "), "%s", r.err);
    run_free(&r);
    char *twice = query_db("t.db", counts);
    cr_expect_str_eq(twice, once);
    free(once);
    free(twice);
}

/* Runs argv (argv[0] looked up in PATH) in the temp dir, output discarded;
 * returns the exit status, or 127 when it could not be started. */
static int run_tool(char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || chdir(tmpdir) != 0) _exit(126);
        dup2(null, 0);
        dup2(null, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The CSV export read back by the sqlite3 shell's .import --csv gives the
 * same rows, with commas, quotes, newlines and non-ASCII in the fields. */
Test(export, csv_round_trips_through_the_sqlite3_shell, .init = setup, .fini = teardown)
{
    static const char odd_name[] = "Zürich, \"quoted\"\nreport.txt";
    write_file(odd_name, BYTES("Trump met Putin in Zürich on Friday, \"briefly\", they said.\n"
                               "The meeting lasted two hours.\n"));
    char *seed = seed_path();
    const char *ingest[] = {"ingest", "--db", "t.db", "--dct", "2017-07-07", seed, odd_name, "article2.txt", NULL};
    run_result r;
    run(&r, ingest, NULL);
    cr_assert_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err);
    run_free(&r);
    const char *csv[] = {"export", "--db", "t.db", "-o", "out.csv", NULL};
    run(&r, csv, NULL);
    cr_assert_eq(r.code, 0, "%s", r.err);
    run_free(&r);

    char *const imp[] = {"sqlite3", "imported.db", ".import --csv out.csv t", NULL};
    int code = run_tool(imp);
    if (code == 127) {
        teardown();
        cr_skip_test("no sqlite3 shell on PATH (scripts/install-deps.sh installs it)");
    }
    cr_assert_eq(code, 0, "sqlite3 .import failed");

    char p[512];
    path_in_tmp(p, sizeof p, "t.db");
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    path_in_tmp(p, sizeof p, "imported.db");
    sqlite3_stmt *att = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "ATTACH ?1 AS imp", -1, &att, NULL), SQLITE_OK);
    sqlite3_bind_text(att, 1, p, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(att), SQLITE_DONE, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(att);
    /* every column of every row against the stored timeline */
    static const char cmp[] =
        "SELECT (SELECT count(*) FROM imp.t), (SELECT count(*) FROM timeline_events),"
        " (SELECT count(*) FROM imp.t i JOIN timeline_events te ON te.key = i.key JOIN chronology c"
        "  ON c.timeline_id = te.id WHERE i.timeline_id = CAST(te.id AS TEXT) AND i.date = coalesce(te.date, '')"
        "  AND i.time = coalesce(te.time, '') AND i.type = te.type AND i.cameo = te.cameo AND i.status = te.status"
        "  AND i.participants = coalesce((SELECT group_concat(x, '; ') FROM (SELECT name || ' (' || role || ')' AS x"
        "      FROM timeline_participants p WHERE p.timeline_event_id = te.id ORDER BY p.ord)), '')"
        "  AND i.location = coalesce(te.location, '') AND i.duration = coalesce(te.duration, '')"
        "  AND i.duration_mod = coalesce(te.duration_mod, '') AND i.planned_duration = coalesce(te.planned_duration, '')"
        "  AND i.summary = te.summary AND i.n_sources = CAST(te.n_sources AS TEXT) AND i.documents = c.sources"
        "  AND i.conflicts = coalesce((SELECT group_concat(item, '; ') FROM (SELECT field || ': ' ||"
        "      group_concat(v, ' / ') AS item FROM (SELECT c.field AS field, coalesce(c.value, '(none)') || ' ['"
        "      || d.path || ']' AS v FROM timeline_conflicts c JOIN timeline_sources s ON s.event_id = c.event_id"
        "      JOIN documents d ON d.id = s.doc_id WHERE c.timeline_event_id = te.id ORDER BY c.field, s.ord)"
        "      GROUP BY field ORDER BY field)), '')),"
        " (SELECT count(*) FROM imp.t WHERE instr(documents, ?1) > 0),"
        " (SELECT count(*) FROM imp.t WHERE summary LIKE '%\"%' AND summary LIKE '%,%'),"
        " (SELECT count(*) FROM imp.t WHERE summary GLOB '*[^ -~]*')";
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, cmp, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, odd_name, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sqlite3_errmsg(db));
    const long long n_imp = sqlite3_column_int64(st, 0), n_te = sqlite3_column_int64(st, 1),
                    n_same = sqlite3_column_int64(st, 2), n_odd = sqlite3_column_int64(st, 3),
                    n_quoted = sqlite3_column_int64(st, 4), n_utf8 = sqlite3_column_int64(st, 5);
    sqlite3_finalize(st);
    sqlite3_close(db);
    cr_expect_gt(n_te, 3);
    cr_expect_eq(n_imp, n_te, "%lld rows imported for %lld timeline events", n_imp, n_te);
    cr_expect_eq(n_same, n_te, "%lld of %lld rows came back unchanged", n_same, n_te);
    cr_expect_gt(n_odd, 0, "no row with the path holding a comma, quotes, a newline and 'ü'");
    cr_expect_gt(n_quoted, 0, "no summary with quotes and commas");
    cr_expect_gt(n_utf8, 0, "no summary with non-ASCII characters");
    free(seed);
}

/* Two `summit ingest` processes writing one new database at once: both
 * succeed and every document of both is stored, with its timeline. */
Test(concurrency, two_ingests_at_once_both_succeed_and_nothing_is_lost, .init = setup, .fini = teardown)
{
    enum { PER = 12 };
    static const char *const people[] = {"Donald Trump", "Vladimir Putin", "Angela Merkel", "Emmanuel Macron",
                                         "Shinzo Abe", "Theresa May"};
    for (int i = 0; i < 2 * PER; i++) {
        char name[64], text[512];
        snprintf(name, sizeof name, "%s/n%02d.txt", i < PER ? "one" : "two", i);
        snprintf(text, sizeof text,
                 "%s met %s in Berlin on Friday. The meeting lasted %d hours.\n"
                 "%s said on Friday that the talks were useful (report %d).\n",
                 people[i % 6], people[(i + 1) % 6], 1 + i % 3, people[(i + 2) % 6], i);
        make_parents(name);
        write_file(name, text, strlen(text));
    }
    /* the same article in both sets */
    write_file("one/shared.txt", BYTES("Trump met Putin in Hamburg on Friday.\n"));
    write_file("two/shared.txt", BYTES("Trump met Putin in Hamburg on Friday.\n"));
    char *bin = absolute_bin();
    pid_t pids[2];
    fflush(NULL);
    for (int k = 0; k < 2; k++) {
        pids[k] = fork();
        cr_assert(pids[k] >= 0);
        if (pids[k] == 0) {
            char err[64];
            snprintf(err, sizeof err, ".stderr%d", k);
            int null = open("/dev/null", O_RDWR);
            if (null < 0 || chdir(tmpdir) != 0) _exit(126);
            int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (e < 0) _exit(126);
            dup2(null, 0);
            dup2(null, 1);
            dup2(e, 2);
            char *argv[] = {bin, "ingest", "--db", "c.db", "--dct", "2017-07-07", k ? "two" : "one", NULL};
            execv(bin, argv);
            _exit(127);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;
        while (waitpid(pids[k], &status, 0) < 0)
            cr_assert_eq(errno, EINTR);
        char p[512], name[16];
        snprintf(name, sizeof name, ".stderr%d", k);
        path_in_tmp(p, sizeof p, name);
        char *err = slurp_or_fail(p, NULL);
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ingest %d failed:\n%s", k + 1, err);
        cr_expect(strstr(err, "ingested 13 documents"), "ingest %d:\n%s", k + 1, err);
        cr_expect(!strstr(err, "Sanitizer") && !strstr(err, "runtime error:"), "%s", err);
        free(err);
    }
    free(bin);
    /* 24 articles plus the shared text (stored once, under the path that came last) */
    char *v = query_db("c.db", "SELECT count(*) FROM documents");
    cr_expect_str_eq(v, "25");
    free(v);
    v = query_db("c.db", "SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM timeline_sources)"
                         " AND (SELECT count(*) FROM documents WHERE path GLOB '*/n[0-9][0-9].txt') = 24"
                         " AND NOT EXISTS (SELECT 1 FROM timeline_events te WHERE n_sources <>"
                         "   (SELECT count(*) FROM timeline_sources s WHERE s.timeline_event_id = te.id))");
    cr_expect_str_eq(v, "1", "events without a timeline event, or a wrong source count");
    free(v);
    v = query_db("c.db", "PRAGMA journal_mode");
    cr_expect_str_eq(v, "wal");
    free(v);
}
