/*
 * main.c -- the summit command line.
 *
 *   summit extract    [--dct DATE] [--format text|jsonl|csv] FILE|-
 *   summit ingest     [--db PATH] [--dct DATE] FILE...
 *   summit chronology [--db PATH]
 *   summit export     [--db PATH] [--format csv|jsonl] [-o FILE]
 *
 * An article's path: main() -> cmd_ingest() -> sx_read_file() and
 * sx_extract() (extractor/) -> tl_ingest() (timeline/store.c) -> SQLite.
 * `extract` runs the same pipeline into a private in-memory store, so its
 * text and CSV output are exactly what `chronology` and `export` print.
 *
 * Exit codes (also in --help and the man page):
 *   0 success; 1 an input could not be read or processed; 2 usage error;
 *   3 database error; 4 cannot write output; 5 internal error (ICU, memory).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "timeline.h"

#ifndef SUMMIT_VERSION
#define SUMMIT_VERSION SX_VERSION
#endif

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_DB = 3, EXIT_OUTPUT = 4, EXIT_INTERNAL = 5 };

static const char usage_text[] =
    "usage: summit extract    [--dct DATE] [--format text|jsonl|csv|timeml] FILE|-\n"
    "       summit ingest     [--db PATH] [--dct DATE] FILE...\n"
    "       summit chronology [--db PATH]\n"
    "       summit export     [--db PATH] [--format csv|jsonl] [-o FILE]\n"
    "       summit --help | --version\n";

static const char help_text[] =
    "summit -- build a timeline of diplomatic events from news articles.\n"
    "\n"
    "Reads articles (UTF-8 text), finds time expressions (normalized to TimeML\n"
    "TIMEX3 values against the article's date), actors and events (meetings,\n"
    "statements, agreements, denials, discussions, calls, visits, cease-fires)\n"
    "with participants, place, date and duration, and keeps them in SQLite.\n"
    "\n"
    "Commands:\n"
    "  extract FILE|-       Extract one article and print it; no database is touched.\n"
    "      --dct DATE       The article's date (ISO 8601: 2017-07-07 or 2017-07-07T14:20).\n"
    "                       Relative dates (\"Friday\") are resolved against it.\n"
    "      --format F       text (a readable chronology, the default), jsonl\n"
    "                       (one JSON object a line: document, timex, actor, event),\n"
    "                       csv (the export columns), or timeml (the text with\n"
    "                       inline TimeML <TIMEX3> tags, as TempEval tools read).\n"
    "  ingest FILE...       Extract articles and store them, one transaction each.\n"
    "      --db PATH        Database file (default ./timeline.db, created if missing).\n"
    "      --dct DATE       The date of every article given.\n"
    "                       Re-ingesting a path replaces what it gave before.\n"
    "  chronology           Print the stored timeline in date order.\n"
    "      --db PATH\n"
    "  export               Write the timeline, one row per event.\n"
    "      --db PATH\n"
    "      --format F       csv (RFC 4180, header row; the default) or jsonl.\n"
    "      -o FILE          Write to FILE instead of standard output.\n"
    "\n"
    "CSV columns: event_id, date, time, type, cameo, status, participants,\n"
    "location, duration, planned_duration, summary, document, doc_sha256.\n"
    "The database schema, its views and example queries: docs/schema.md.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  an input file could not be read or is not valid UTF-8 text\n"
    "  2  usage error (unknown command or option, bad --dct date)\n"
    "  3  database error (cannot open, not a summit database, newer schema)\n"
    "  4  cannot write the output\n"
    "  5  internal error (ICU data missing, out of memory)\n";

typedef struct opts {
    const char *db, *dct_text, *format, *out;
    sx_date dct;
    int has_dct;
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

/* Parses options after the command.  allowed: letters d (db), t (dct),
 * f (format), o (output), and F (files allowed). */
static int parse_opts(int argc, char **argv, const char *allowed, opts *o)
{
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files) return EXIT_INTERNAL;
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        char key = 0;
        const char *val = NULL;
        if (!only_files && !strcmp(a, "--")) {
            only_files = 1;
            continue;
        }
        if (!only_files && a[0] == '-' && a[1] != '\0') {
            const char *eq = strchr(a, '=');
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            if (!strncmp(a, "--db", nlen) && nlen == 4) key = 'd', slot = &o->db;
            else if (!strncmp(a, "--dct", nlen) && nlen == 5) key = 't', slot = &o->dct_text;
            else if (!strncmp(a, "--format", nlen) && nlen == 8) key = 'f', slot = &o->format;
            else if ((!strncmp(a, "-o", nlen) && nlen == 2) || (!strncmp(a, "--output", nlen) && nlen == 8))
                key = 'o', slot = &o->out;
            if (!slot || !strchr(allowed, key)) return usage_error("unknown option '%s'", a);
            if (eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else return usage_error("option '%s' needs a value", a);
            *slot = val;
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

/* Reads and extracts one file; prints the message and returns an exit code. */
static int load_doc(const char *path, const opts *o, sx_doc *doc)
{
    char err[512];
    char *buf = NULL;
    size_t len = 0;
    sx_status st = sx_read_file(path, 0, &buf, &len, err, sizeof err);
    if (st != SX_OK) {
        fprintf(stderr, "summit: %s\n", err);
        return extract_exit(st);
    }
    sx_options so = {o->has_dct ? &o->dct : NULL, 0};
    st = sx_extract(doc, path, buf, len, &so);
    free(buf);
    if (st != SX_OK) {
        fprintf(stderr, "summit: %s\n", sx_doc_errmsg(doc));
        return extract_exit(st);
    }
    for (size_t i = 0; i < doc->n_warnings; i++) fprintf(stderr, "summit: %s: warning: %s\n", path, doc->warnings[i]);
    return 0;
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
    int rc = parse_opts(argc, argv, "tfF", &o);
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

static int cmd_ingest(int argc, char **argv)
{
    opts o = {0};
    int rc = parse_opts(argc, argv, "dtF", &o);
    if (rc) goto done;
    if (o.n_files == 0) {
        rc = usage_error("ingest needs at least one FILE");
        goto done;
    }
    tl_db db;
    tl_db_init(&db);
    tl_status st = tl_db_open(&db, o.db ? o.db : "timeline.db", TL_OPEN_CREATE);
    if (st != TL_OK) {
        fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
        rc = db_status_exit(st);
        tl_db_close(&db);
        goto done;
    }
    size_t docs = 0, events = 0, timexes = 0, warnings = 0, failed = 0;
    for (int i = 0; i < o.n_files; i++) {
        sx_doc doc;
        sx_doc_init(&doc);
        int r = load_doc(o.files[i], &o, &doc);
        if (r) {
            failed++;
            if (r != EXIT_INPUT) rc = r;
            else if (!rc) rc = r;
            sx_doc_free(&doc);
            if (r == EXIT_INTERNAL) break;
            continue;
        }
        st = tl_ingest(&db, &doc, NULL);
        if (st != TL_OK) {
            fprintf(stderr, "summit: %s\n", tl_db_errmsg(&db));
            rc = db_status_exit(st);
            sx_doc_free(&doc);
            break;
        }
        docs++;
        events += doc.n_events;
        timexes += doc.n_timexes;
        warnings += doc.n_warnings;
        sx_doc_free(&doc);
    }
    tl_db_close(&db);
    fprintf(stderr, "summit: ingested %zu document%s (%zu event%s, %zu time expression%s, %zu warning%s)%s",
            docs, docs == 1 ? "" : "s", events, events == 1 ? "" : "s", timexes, timexes == 1 ? "" : "s",
            warnings, warnings == 1 ? "" : "s", failed ? "" : "\n");
    if (failed) fprintf(stderr, "; %zu failed\n", failed);
done:
    free(o.files);
    return rc;
}

static int cmd_read(int argc, char **argv, int export)
{
    opts o = {0};
    int rc = parse_opts(argc, argv, export ? "dfo" : "d", &o);
    if (rc) goto done;
    const char *path = o.db ? o.db : "timeline.db";
    tl_format fmt = TL_FORMAT_CSV;
    if (export && o.format) {
        if (!strcmp(o.format, "csv")) fmt = TL_FORMAT_CSV;
        else if (!strcmp(o.format, "jsonl")) fmt = TL_FORMAT_JSONL;
        else {
            rc = usage_error("unknown --format '%s' (csv or jsonl)", o.format);
            goto done;
        }
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
    FILE *out = NULL;
    if (st == TL_OK) {
        out = export ? open_out(o.out) : stdout;
        if (!out) rc = EXIT_OUTPUT;
        else {
            st = export ? tl_export(&db, fmt, out) : tl_chronology(&db, out);
            int crc = close_out(out, o.out);
            if (st == TL_OK) rc = crc;
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
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        fputc('\n', stdout);
        fputs(help_text, stdout);
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
            return close_out(stdout, NULL);
        }
    if (!strcmp(cmd, "extract")) return cmd_extract(argc - 2, argv + 2);
    if (!strcmp(cmd, "ingest")) return cmd_ingest(argc - 2, argv + 2);
    if (!strcmp(cmd, "chronology")) return cmd_read(argc - 2, argv + 2, 0);
    if (!strcmp(cmd, "export")) return cmd_read(argc - 2, argv + 2, 1);
    return usage_error("unknown command '%s'", cmd);
}
