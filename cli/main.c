/*
 * main.c -- the summit command line.
 *
 *   summit extract    [--dct DATE] [--format text|jsonl|csv|timeml] FILE|-
 *   summit ingest     [--db PATH] [--dct DATE] [-j N] FILE|DIR|-...
 *   summit remove     [--db PATH] PATH|SHA256...
 *   summit chronology [--db PATH] [--format text|markdown] [FILTERS] [-o FILE]
 *   summit export     [--db PATH] [--format csv|jsonl|ics|html|markdown] [--long] [FILTERS] [-o FILE]
 *   summit search     [--db PATH] [--limit N] TEXT...
 *   FILTERS: [--from DATE] [--to DATE] [--type TYPE] [--actor NAME] [--between NAME NAME]
 *
 * An article's path: main() -> cmd_ingest() -> sx_read_file() and
 * sx_extract() (extractor/) -> tl_ingest_doc() (timeline/store.c) -> SQLite.
 * Directories are walked recursively for *.txt files (names starting with
 * '.' skipped, symbolic links to directories not followed), each directory's
 * files in byte order of their paths, so the same tree always ingests in the
 * same order.  A progress line goes to stderr only when it is a terminal and
 * there are more than 20 files.
 * With -j N (N > 1) the files are read and extracted on N threads
 * (cli/workers.c) while this thread alone writes them, in input order, and
 * prints every message in that order too; the database and the output are
 * those of -j 1.
 * `extract` runs the same pipeline into a private in-memory store, so its
 * text and CSV output are exactly what `chronology` and `export` print.
 *
 * Exit codes (also in --help and the man page):
 *   0 success; 1 an input could not be read or processed; 2 usage error;
 *   3 database error; 4 cannot write output; 5 internal error (ICU, memory).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extractor.h"
#include "heap.h"
#include "timeline.h"
#include "workers.h"

#ifndef SUMMIT_VERSION
#define SUMMIT_VERSION SX_VERSION
#endif

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_DB = 3, EXIT_OUTPUT = 4, EXIT_INTERNAL = 5 };

static const char usage_text[] =
    "usage: summit extract    [--dct DATE] [--format text|jsonl|csv|timeml] [--max-size N] FILE|-\n"
    "       summit ingest     [--db PATH] [--dct DATE] [--max-size N] [-j N] FILE|DIR|-...\n"
    "       summit remove     [--db PATH] PATH|SHA256...\n"
    "       summit chronology [--db PATH] [--format text|markdown] [FILTERS] [-o FILE]\n"
    "       summit export     [--db PATH] [--format csv|jsonl|ics|html|markdown] [--long] [FILTERS] [-o FILE]\n"
    "       summit search     [--db PATH] [--limit N] TEXT...\n"
    "       summit --help | --version\n"
    "FILTERS: [--from DATE] [--to DATE] [--type TYPE] [--actor NAME] [--between NAME NAME]\n";

static const char help_text[] =
    "summit -- build a timeline of diplomatic events from news articles.\n"
    "\n"
    "Reads articles (UTF-8 text), finds time expressions (normalized to TimeML\n"
    "TIMEX3 values against the article's date), actors and events (meetings,\n"
    "statements, agreements, denials, discussions, calls, visits, cease-fires)\n"
    "with participants, place, date and duration, and keeps them in SQLite.\n"
    "Events of different articles that report the same happening (same type,\n"
    "compatible dates, a participant in common) become one timeline event that\n"
    "lists its sources and where they disagree.\n"
    "\n"
    "Commands:\n"
    "  extract FILE|-       Extract one article and print it; no database is touched.\n"
    "      --dct DATE       The article's date (ISO 8601: 2017-07-07 or 2017-07-07T14:20).\n"
    "                       Relative dates (\"Friday\") are resolved against it.\n"
    "      --format F       text (a readable chronology, the default), jsonl\n"
    "                       (one JSON object a line: document, timex, actor, event),\n"
    "                       csv (the export columns), or timeml (the text with\n"
    "                       inline TimeML <TIMEX3> tags, as TempEval tools read).\n"
    "  ingest FILE|DIR|-... Extract articles and store them, one transaction each.\n"
    "                       A DIR is searched recursively for *.txt, in path order;\n"
    "                       - reads standard input.  The same text under the same\n"
    "                       path is stored once; changed text replaces the old.\n"
    "      --db PATH        Database file (default ./timeline.db, created if missing).\n"
    "      --dct DATE       The date of every article given.\n"
    "      --max-size N     Refuse articles over N bytes (K, M, G suffixes; default 64M;\n"
    "                       also for extract).\n"
    "      -j, --jobs N     Read and extract on N threads (1 to 64; default 1); one\n"
    "                       writer stores the articles in the order given, so the\n"
    "                       database and the messages are the same as with -j 1.\n"
    "  remove PATH|SHA256...  Remove documents (by the path they were ingested under,\n"
    "                       or their sha256 or a unique prefix of 8+ digits) and all\n"
    "                       that came from them; the timeline is rebuilt around them.\n"
    "      --db PATH\n"
    "  chronology           Print the timeline by date, one entry per timeline event.\n"
    "      --db PATH\n"
    "      --format F       text (the default) or markdown.\n"
    "      -o FILE          Write to FILE instead of standard output.\n"
    "  export               Write the timeline, one record per timeline event.\n"
    "      --db PATH\n"
    "      --format F       csv (RFC 4180, header row; the default), jsonl, ics\n"
    "                       (iCalendar; undated events are left out and counted),\n"
    "                       html (one self-contained page with an SVG timeline),\n"
    "                       or markdown.\n"
    "      --long           CSV with one row per participant.\n"
    "      -o FILE          Write to FILE instead of standard output.\n"
    "  search TEXT...       Full-text search of sentences and quotes (FTS5 syntax).\n"
    "      --db PATH\n"
    "      --limit N        At most N hits (default 20).\n";

/* The rest of the help (one literal would pass the 4095 characters ISO C
 * compilers must support). */
static const char help_text_2[] =
    "\n"
    "Filters (chronology and export):\n"
    "      --from DATE      Events on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).\n"
    "      --to DATE        Events on or before DATE.\n"
    "      --type TYPE      Events of one type (meeting, statement, ...).\n"
    "      --actor NAME     Events with NAME in any role: the full name or whole\n"
    "                       words of it (\"putin\", \"George W. Bush\", \"Bush\").\n"
    "      --between A B    Events with both A and B.\n"
    "\n"
    "CSV columns: timeline_id, key, date, time, type, cameo, status, participants,\n"
    "location, duration, duration_mod, planned_duration, summary, n_sources,\n"
    "documents, doc_sha256, conflicts.  With --long: timeline_id, key, date, time,\n"
    "type, status, participant, kind, country, role, location, summary, n_sources,\n"
    "documents.  The database schema, its views and example queries: docs/schema.md.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  an input file could not be read or is not valid UTF-8 text, or a\n"
    "     document to remove is not in the database\n"
    "  2  usage error (unknown command or option, bad --dct or filter date)\n"
    "  3  database error (cannot open, not a summit database, newer schema)\n"
    "  4  cannot write the output\n"
    "  5  internal error (ICU data missing, out of memory)\n";

typedef struct opts {
    const char *db, *dct_text, *format, *out, *limit_text, *max_size_text, *jobs_text;
    sx_date dct;
    int has_dct, is_long;
    int jobs; /* 1 unless -j */
    size_t limit, max_size;
    tl_filter filter;
    const char **files;
    int n_files;
} opts;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("summit: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/* The options: name, key letter, number of values (0 = a flag). */
static const struct {
    const char *name;
    char key;
    int n_values;
} option_table[] = {
    {"--db", 'd', 1},      {"--dct", 't', 1},   {"--format", 'f', 1}, {"-o", 'o', 1},
    {"--output", 'o', 1},  {"--from", 'a', 1},  {"--to", 'z', 1},     {"--type", 'y', 1},
    {"--actor", 'A', 1},   {"--between", 'B', 2}, {"--long", 'L', 0}, {"--limit", 'n', 1},
    {"--max-size", 'M', 1}, {"-j", 'j', 1},   {"--jobs", 'j', 1},
};

/* Parses options after the command.  allowed: the key letters of the
 * options the command takes, plus F when it takes FILE arguments and Q for
 * filters (a, z, y, A, B). */
static int parse_opts(int argc, char **argv, const char *allowed, opts *o)
{
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files) return EXIT_INTERNAL;
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_files && !strcmp(a, "--")) {
            only_files = 1;
            continue;
        }
        if (!only_files && a[0] == '-' && a[1] != '\0') {
            const char *eq = strchr(a, '=');
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            size_t k = 0;
            const size_t n_opts = sizeof option_table / sizeof option_table[0];
            while (k < n_opts && !(strlen(option_table[k].name) == nlen && !strncmp(a, option_table[k].name, nlen)))
                k++;
            const char key = k < n_opts ? option_table[k].key : 0;
            const int is_filter = key && strchr("azyAB", key);
            if (!key || !(strchr(allowed, key) || (is_filter && strchr(allowed, 'Q'))))
                return usage_error("unknown option '%s'", a);
            const char *vals[2] = {NULL, NULL};
            const int nv = option_table[k].n_values;
            if (nv == 0 && eq) return usage_error("option '%.*s' takes no value", (int)nlen, a);
            for (int v = 0; v < nv; v++) {
                if (v == 0 && eq) vals[v] = eq + 1;
                else if (i + 1 < argc) vals[v] = argv[++i];
                else return usage_error("option '%.*s' needs %s", (int)nlen, a, nv == 1 ? "a value" : "two values");
            }
            switch (key) {
            case 'd': o->db = vals[0]; break;
            case 't': o->dct_text = vals[0]; break;
            case 'f': o->format = vals[0]; break;
            case 'o': o->out = vals[0]; break;
            case 'a': o->filter.from = vals[0]; break;
            case 'z': o->filter.to = vals[0]; break;
            case 'y': o->filter.type = vals[0]; break;
            case 'A': o->filter.actor = vals[0]; break;
            case 'B': o->filter.between[0] = vals[0], o->filter.between[1] = vals[1]; break;
            case 'L': o->is_long = 1; break;
            case 'n': o->limit_text = vals[0]; break;
            case 'M': o->max_size_text = vals[0]; break;
            case 'j': o->jobs_text = vals[0]; break;
            default: break;
            }
            continue;
        }
        if (!strchr(allowed, 'F')) return usage_error("unexpected argument '%s'", a);
        o->files[o->n_files++] = a;
    }
    if (o->dct_text) {
        char err[256];
        if (sx_date_parse(o->dct_text, &o->dct, err, sizeof err) != SX_OK)
            return usage_error("--dct: %s", err);
        o->has_dct = 1;
    }
    if (o->limit_text) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(o->limit_text, &end, 10);
        if (errno || !end || *end || end == o->limit_text || v < 1 || v > 1000000)
            return usage_error("--limit '%s' is not a number from 1 to 1000000", o->limit_text);
        o->limit = (size_t)v;
    }
    if (o->max_size_text) {
        /* bytes, or with a K/M/G suffix (powers of 1024) */
        char *end = NULL;
        errno = 0;
        long long v = strtoll(o->max_size_text, &end, 10);
        long long mul = 1;
        if (end && (*end == 'K' || *end == 'k')) mul = 1024, end++;
        else if (end && (*end == 'M' || *end == 'm')) mul = 1024 * 1024, end++;
        else if (end && (*end == 'G' || *end == 'g')) mul = 1024LL * 1024 * 1024, end++;
        if (errno || !end || *end || end == o->max_size_text || v < 1 || v > 4LL * 1024 * 1024 * 1024 / mul)
            return usage_error("--max-size '%s' is not a size from 1 byte to 4G (e.g. 64M)", o->max_size_text);
        o->max_size = (size_t)(v * mul);
    }
    o->jobs = 1;
    if (o->jobs_text) {
        char *end = NULL;
        errno = 0;
        long v = strtol(o->jobs_text, &end, 10);
        if (errno || !end || *end || end == o->jobs_text || v < 1 || v > WK_MAX_THREADS)
            return usage_error("--jobs '%s' is not a number from 1 to %d", o->jobs_text, WK_MAX_THREADS);
        o->jobs = (int)v;
    }
    return 0;
}

static int db_status_exit(tl_status st) { return st == TL_ENOMEM ? EXIT_INTERNAL : st == TL_EIO ? EXIT_OUTPUT : EXIT_DB; }

static int extract_exit(sx_status st)
{
    switch (st) {
    case SX_EIO: case SX_EUTF8: case SX_EEMPTY: case SX_ETOOBIG: return EXIT_INPUT;
    case SX_EDATE: case SX_EINVAL: return EXIT_USAGE;
    default: return EXIT_INTERNAL;
    }
}

/* Set while a progress line is on stderr: messages clear it first. */
static int progress_shown;

static void clear_progress(void)
{
    if (progress_shown) fputs("\r\033[K", stderr);
    progress_shown = 0;
}

/* Prints what reading and extracting one file gave -- the failure (st,
 * err), or the warnings of doc -- and returns its exit code (0 for none). */
static int report_load(const char *path, sx_status st, const char *err, const sx_doc *doc)
{
    if (st != SX_OK) {
        clear_progress();
        fprintf(stderr, "summit: %s\n", err);
        return extract_exit(st);
    }
    if (doc->n_warnings) clear_progress();
    for (size_t i = 0; i < doc->n_warnings; i++) fprintf(stderr, "summit: %s: warning: %s\n", path, doc->warnings[i]);
    return 0;
}

/* Reads and extracts one file; prints the message and returns an exit code. */
static int load_doc(const char *path, const opts *o, sx_doc *doc)
{
    char err[512];
    char *buf = NULL;
    size_t len = 0;
    sx_status st = sx_read_file(path, o->max_size, &buf, &len, err, sizeof err);
    if (st != SX_OK) return report_load(path, st, err, doc);
    sx_options so = {o->has_dct ? &o->dct : NULL, o->max_size};
    st = sx_extract(doc, path, buf, len, &so);
    free(buf);
    return report_load(path, st, sx_doc_errmsg(doc), doc);
}

static FILE *open_out(const char *path)
{
    if (!path || !strcmp(path, "-")) return stdout;
    FILE *f = fopen(path, "wb");
    if (!f) perror(path);
    return f;
}

static int close_out(FILE *f, const char *path)
{
    int bad = fflush(f) != 0 || ferror(f);
    if (f != stdout) bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "summit: cannot write %s\n", path && strcmp(path, "-") ? path : "standard output");
        return EXIT_OUTPUT;
    }
    return 0;
}

static int cmd_extract(int argc, char **argv)
{
    opts o = {0};
    int rc = parse_opts(argc, argv, "tfFM", &o);
    if (rc) goto done;
    if (o.n_files != 1) {
        rc = usage_error("extract takes one FILE (or - for standard input)");
        goto done;
    }
    const char *fmt = o.format ? o.format : "text";
    if (strcmp(fmt, "text") && strcmp(fmt, "jsonl") && strcmp(fmt, "csv") && strcmp(fmt, "timeml")) {
        rc = usage_error("unknown --format '%s' (text, jsonl, csv or timeml)", fmt);
        goto done;
    }
    sx_doc doc;
    sx_doc_init(&doc);
    rc = load_doc(o.files[0], &o, &doc);
    if (!rc) {
        tl_db db;
        tl_db_init(&db);
        tl_status st = tl_db_open(&db, ":memory:", TL_OPEN_CREATE);
        if (st == TL_OK) {
            if (!strcmp(fmt, "jsonl")) st = tl_write_doc_jsonl(&db, &doc, stdout);
            else if (!strcmp(fmt, "timeml")) st = tl_write_doc_timeml(&db, &doc, stdout);
            else {
                st = tl_ingest(&db, &doc, NULL);
                if (st == TL_OK) st = !strcmp(fmt, "csv") ? tl_export(&db, TL_FORMAT_CSV, stdout) : tl_chronology(&db, stdout);
            }
        }
        if (st != TL_OK) {
            fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
            rc = db_status_exit(st);
        }
        tl_db_close(&db);
        if (!rc) rc = close_out(stdout, NULL);
    }
    sx_doc_free(&doc);
done:
    free(o.files);
    return rc;
}

/* ---- the list of files to ingest -------------------------------------------- */

typedef struct file_list {
    char **v;
    size_t n, cap;
} file_list;

static int list_add(file_list *l, const char *path, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    char *p = malloc(len + 1);
    if (!p) return -1;
    memcpy(p, path, len);
    p[len] = '\0';
    l->v[l->n++] = p;
    return 0;
}

/* Frees path i once it is ingested: a directory of 100,000 files lists
 * about 5 MB of paths, and the heap they held then serves the timeline's
 * caches, which grow as the run goes on, instead of adding to them. */
static void list_release(file_list *l, size_t i)
{
    free(l->v[i]);
    l->v[i] = NULL;
}

static void list_free(file_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_txt(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, ".txt");
}

/* Adds the *.txt files under dir (recursively); -1 when out of memory, 1
 * when dir cannot be read (reported). */
static int walk_dir(const char *dir, file_list *l)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "summit: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    int rc = 0;
    struct dirent *e;
    const size_t dlen = strlen(dir);
    const int slash = dlen > 0 && dir[dlen - 1] == '/';
    while (rc >= 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .. and hidden files */
        size_t n = dlen + !slash + strlen(e->d_name) + 1;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s%s%s", dir, slash ? "" : "/", e->d_name);
        struct stat lst, st;
        if (lstat(p, &lst) == 0 && S_ISDIR(lst.st_mode)) {
            int r = walk_dir(p, l);
            if (r) rc = r < 0 ? -1 : (rc ? rc : 1);
        } else if (ends_with_txt(e->d_name) && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            if (list_add(l, p, strlen(p))) rc = -1;
        }
        free(p);
    }
    closedir(d);
    return rc;
}

/* Expands the arguments: directories to their sorted *.txt files. */
static int expand_inputs(const opts *o, file_list *l, size_t *bad_dirs)
{
    for (int i = 0; i < o->n_files; i++) {
        const char *a = o->files[i];
        struct stat st;
        if (strcmp(a, "-") != 0 && stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t first = l->n;
            int r = walk_dir(a, l);
            if (r < 0) return -1;
            if (r > 0) ++*bad_dirs;
            if (l->n > first) qsort(l->v + first, l->n - first, sizeof *l->v, path_cmp);
            else fprintf(stderr, "summit: %s: no *.txt files\n", a);
            continue;
        }
        if (list_add(l, a, strlen(a))) return -1;
    }
    return 0;
}

static int cmd_ingest(int argc, char **argv)
{
    opts o = {0};
    file_list files = {0};
    int rc = parse_opts(argc, argv, "dtFMj", &o);
    if (rc) goto done;
    if (o.n_files == 0) {
        rc = usage_error("ingest needs at least one FILE");
        goto done;
    }
    size_t bad_dirs = 0;
    if (expand_inputs(&o, &files, &bad_dirs)) {
        fputs("summit: out of memory\n", stderr);
        rc = EXIT_INTERNAL;
        goto done;
    }
    if (bad_dirs) rc = EXIT_INPUT;
    tl_db db;
    tl_db_init(&db);
    tl_status st = tl_db_open(&db, o.db ? o.db : "timeline.db", TL_OPEN_CREATE);
    if (st != TL_OK) {
        fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
        rc = db_status_exit(st);
        tl_db_close(&db);
        goto done;
    }
    /* Files are read and extracted by the pool (on this thread with -j 1)
     * and written here, one at a time, in the order given. */
    const wk_config wc = {(const char *const *)files.v, files.n, o.has_dct ? &o.dct : NULL, o.max_size,
                          o.jobs > 1 ? o.jobs : 0};
    wk_pool *pool = NULL;
    if (wk_start(&pool, &wc) != 0) {
        fputs("summit: out of memory\n", stderr);
        rc = EXIT_INTERNAL;
        tl_db_close(&db);
        goto done;
    }
    const int progress = files.n > 20 && isatty(STDERR_FILENO);
    size_t docs = 0, events = 0, timexes = 0, warnings = 0, failed = 0, n_new = 0, n_replaced = 0,
           n_unchanged = 0;
    for (size_t i = 0; i < files.n; i++) {
        if (progress) {
            fprintf(stderr, "\r\033[Ksummit: %zu/%zu %.60s", i + 1, files.n, files.v[i]);
            fflush(stderr);
            progress_shown = 1;
        }
        wk_item *it = wk_next(pool);
        if (!it) break; /* cannot happen: one item per file */
        int r = report_load(it->path, it->status, it->err, &it->doc);
        if (r) {
            failed++;
            if (r != EXIT_INPUT) rc = r;
            else if (!rc) rc = r;
            wk_done(pool, it);
            if (r == EXIT_INTERNAL) break;
            list_release(&files, i);
            continue;
        }
        tl_ingest_info info;
        st = tl_ingest_doc(&db, &it->doc, &info);
        if (st != TL_OK) {
            clear_progress();
            fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
            rc = db_status_exit(st);
            wk_done(pool, it);
            break;
        }
        docs++;
        n_new += info.outcome == TL_INGEST_NEW;
        n_replaced += info.outcome == TL_INGEST_REPLACED;
        n_unchanged += info.outcome == TL_INGEST_UNCHANGED;
        events += it->doc.n_events;
        timexes += it->doc.n_timexes;
        warnings += it->doc.n_warnings;
        wk_done(pool, it);
        list_release(&files, i);
    }
    wk_finish(pool); /* stops and joins the workers; what they ran ahead with is dropped */
    clear_progress();
    tl_counts c;
    int counted = tl_count(&db, &c) == TL_OK;
    tl_db_close(&db);
    fprintf(stderr,
            "summit: ingested %zu document%s (%zu new, %zu replaced, %zu unchanged; %zu event%s, %zu time "
            "expression%s, %zu warning%s)",
            docs, docs == 1 ? "" : "s", n_new, n_replaced, n_unchanged, events, events == 1 ? "" : "s", timexes,
            timexes == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    if (failed) fprintf(stderr, "; %zu failed", failed);
    if (counted)
        fprintf(stderr, "; the timeline holds %lld event%s from %lld document%s", c.timeline_events,
                c.timeline_events == 1 ? "" : "s", c.documents, c.documents == 1 ? "" : "s");
    fputc('\n', stderr);
done:
    list_free(&files);
    free(o.files);
    return rc;
}

static int cmd_remove(int argc, char **argv)
{
    opts o = {0};
    int rc = parse_opts(argc, argv, "dF", &o);
    if (rc) goto done;
    if (o.n_files == 0) {
        rc = usage_error("remove needs at least one PATH or SHA256");
        goto done;
    }
    const char *path = o.db ? o.db : "timeline.db";
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "summit: %s: no such database\n", path);
        rc = EXIT_DB;
        goto done;
    }
    tl_db db;
    tl_db_init(&db);
    tl_status st = tl_db_open(&db, path, 0);
    size_t total = 0;
    for (int i = 0; st == TL_OK && i < o.n_files; i++) {
        size_t n = 0;
        st = tl_remove(&db, o.files[i], &n);
        if (st == TL_EINVAL) {
            fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
            if (!rc) rc = EXIT_INPUT;
            st = TL_OK;
        } else if (st == TL_OK && n == 0) {
            fprintf(stderr, "summit: %s: no such document in %s\n", o.files[i], path);
            if (!rc) rc = EXIT_INPUT;
        }
        total += n;
    }
    if (st != TL_OK) {
        fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
        rc = db_status_exit(st);
    } else {
        tl_counts c;
        fprintf(stderr, "summit: removed %zu document%s", total, total == 1 ? "" : "s");
        if (tl_count(&db, &c) == TL_OK)
            fprintf(stderr, "; the timeline holds %lld event%s from %lld document%s", c.timeline_events,
                    c.timeline_events == 1 ? "" : "s", c.documents, c.documents == 1 ? "" : "s");
        fputc('\n', stderr);
    }
    tl_db_close(&db);
done:
    free(o.files);
    return rc;
}

enum { READ_CHRONOLOGY, READ_EXPORT, READ_SEARCH };

static int cmd_read(int argc, char **argv, int what)
{
    opts o = {0};
    static const char *const allowed[] = {"dfoQ", "dfoQL", "dnF"};
    int rc = parse_opts(argc, argv, allowed[what], &o);
    if (rc) goto done;
    const char *path = o.db ? o.db : "timeline.db";
    tl_format fmt = what == READ_EXPORT ? TL_FORMAT_CSV : TL_FORMAT_TEXT;
    if (what == READ_CHRONOLOGY && o.format) {
        if (!strcmp(o.format, "text")) fmt = TL_FORMAT_TEXT;
        else if (!strcmp(o.format, "markdown") || !strcmp(o.format, "md")) fmt = TL_FORMAT_MARKDOWN;
        else {
            rc = usage_error("unknown --format '%s' (text or markdown)", o.format);
            goto done;
        }
    }
    if (what == READ_EXPORT && o.format) {
        if (!strcmp(o.format, "csv")) fmt = TL_FORMAT_CSV;
        else if (!strcmp(o.format, "jsonl")) fmt = TL_FORMAT_JSONL;
        else if (!strcmp(o.format, "ics")) fmt = TL_FORMAT_ICS;
        else if (!strcmp(o.format, "html")) fmt = TL_FORMAT_HTML;
        else if (!strcmp(o.format, "markdown") || !strcmp(o.format, "md")) fmt = TL_FORMAT_MARKDOWN;
        else {
            rc = usage_error("unknown --format '%s' (csv, jsonl, ics, html or markdown)", o.format);
            goto done;
        }
    }
    if (o.is_long) {
        if (fmt != TL_FORMAT_CSV) {
            rc = usage_error("--long is for --format csv");
            goto done;
        }
        fmt = TL_FORMAT_CSV_LONG;
    }
    if (what == READ_SEARCH && o.n_files == 0) {
        rc = usage_error("search needs the TEXT to look for");
        goto done;
    }
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        fprintf(stderr, "summit: %s: no such database (run 'summit ingest --db %s FILE...' first)\n", path, path);
        rc = EXIT_DB;
        goto done;
    }
    fclose(probe);
    tl_db db;
    tl_db_init(&db);
    tl_status st = tl_db_open(&db, path, TL_OPEN_READONLY);
    if (st == TL_OK && what == READ_SEARCH) {
        /* the words given, joined with spaces */
        size_t n = 1;
        for (int i = 0; i < o.n_files; i++) n += strlen(o.files[i]) + 1;
        char *q = malloc(n);
        if (!q) {
            fputs("summit: out of memory\n", stderr);
            rc = EXIT_INTERNAL;
        } else {
            q[0] = '\0';
            size_t at = 0;
            for (int i = 0; i < o.n_files; i++) {
                size_t k = strlen(o.files[i]);
                if (i) q[at++] = ' ';
                memcpy(q + at, o.files[i], k);
                at += k;
            }
            q[at] = '\0';
            size_t hits = 0;
            st = tl_search(&db, q, o.limit, stdout, &hits);
            if (st == TL_OK && hits == 0) fprintf(stderr, "summit: nothing matches '%s'\n", q);
            if (st == TL_EINVAL) {
                fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
                rc = EXIT_USAGE;
                st = TL_OK;
            } else if (st == TL_OK) {
                rc = close_out(stdout, NULL);
            }
            free(q);
        }
    } else if (st == TL_OK) {
        FILE *out = open_out(o.out);
        if (!out) rc = EXIT_OUTPUT;
        else {
            size_t left = 0;
            st = what == READ_EXPORT ? tl_export_filtered(&db, fmt, &o.filter, out, &left)
                                     : tl_chronology_filtered(&db, &o.filter, fmt, out);
            int crc = close_out(out, o.out);
            if (st == TL_OK) rc = crc;
            if (st == TL_OK && left)
                fprintf(stderr, "summit: %zu undated event%s %s\n", left, left == 1 ? "" : "s",
                        fmt == TL_FORMAT_ICS ? "left out of the calendar" : "listed under the drawing, not in it");
            if (st == TL_EINVAL) {
                fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
                rc = EXIT_USAGE;
                st = TL_OK;
            }
        }
    }
    if (st != TL_OK) {
        fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
        rc = db_status_exit(st);
    }
    tl_db_close(&db);
done:
    free(o.files);
    return rc;
}

int main(int argc, char **argv)
{
    summit_heap_prefer_huge_pages();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        fputc('\n', stdout);
        fputs(help_text, stdout);
        fputs(help_text_2, stdout);
        return close_out(stdout, NULL);
    }
    if (!strcmp(cmd, "--version")) {
        printf("summit %s\n", SUMMIT_VERSION);
        return close_out(stdout, NULL);
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            fputc('\n', stdout);
            fputs(help_text, stdout);
            fputs(help_text_2, stdout);
            return close_out(stdout, NULL);
        }
    if (!strcmp(cmd, "extract")) return cmd_extract(argc - 2, argv + 2);
    if (!strcmp(cmd, "ingest")) return cmd_ingest(argc - 2, argv + 2);
    if (!strcmp(cmd, "remove")) return cmd_remove(argc - 2, argv + 2);
    if (!strcmp(cmd, "chronology")) return cmd_read(argc - 2, argv + 2, READ_CHRONOLOGY);
    if (!strcmp(cmd, "export")) return cmd_read(argc - 2, argv + 2, READ_EXPORT);
    if (!strcmp(cmd, "search")) return cmd_read(argc - 2, argv + 2, READ_SEARCH);
    return usage_error("unknown command '%s'", cmd);
}
