/*
 * fuzz_csv.c -- libFuzzer target: the CSV export round trip.
 *
 * The input is an article.  It is extracted with a fixed DCT (2017-07-07),
 * ingested into a fresh ":memory:" tl_db, exported with tl_export as CSV
 * and as JSON Lines into memory, and the CSV is read back with the strict
 * RFC 4180 reader below.  Properties (abort() on a violation):
 *
 *   1. an article sx_extract accepts is accepted by tl_ingest and exported
 *      without error;
 *   2. the CSV is strict RFC 4180 as timeline.h documents it: every record
 *      ends with CRLF, a field is quoted only when it holds a comma, a quote,
 *      CR or LF, quotes inside are doubled, nothing follows a closing quote
 *      but a comma or CRLF, and no bare quote, CR or LF appears unquoted;
 *   3. every record has as many fields as the header (the expected column
 *      count comes from the header line, so the target survives a change of
 *      columns), the header names are distinct and not empty;
 *   4. the CSV and the JSON Lines export agree: as many records as lines,
 *      and for every CSV column that is a key of the JSON object, the field
 *      is the JSON value (null as "", participants as "Name (role); ..."
 *      compared as a set) -- text with commas, quotes, CR, LF and non-ASCII
 *      survives byte for byte;
 *   5. while the header is the one README.md documents (event_id, date, time,
 *      type, cameo, status, participants, location, duration,
 *      planned_duration, summary, document, doc_sha256), the records are the
 *      stored events read here with the sqlite3 API: every row of `events`
 *      once, each field equal to its column (participants as a set), and in
 *      the order of the `chronology` view while that view has an event_id
 *      column (the exporter's own query is internal, so this target does not
 *      depend on it).
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "fuzz_csv: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

/* ---- a strict RFC 4180 reader ------------------------------------------------ */

typedef struct field {
    char *s; /* unescaped, NUL-terminated, owned by the csv arena */
    size_t n;
} field;

typedef struct csv {
    field *fields; /* all fields, record after record */
    size_t n_fields, cap_fields;
    size_t *rec_start; /* index of each record's first field; n_recs + 1 entries */
    size_t n_recs, cap_recs;
    char *arena; /* unescaped bytes; never larger than the input + one NUL per field */
    size_t arena_len;
} csv;

static void csv_free(csv *c)
{
    free(c->fields);
    free(c->rec_start);
    free(c->arena);
    memset(c, 0, sizeof *c);
}

static void push_field(csv *c, size_t off, size_t n)
{
    if (c->n_fields == c->cap_fields) {
        c->cap_fields = c->cap_fields ? 2 * c->cap_fields : 64;
        c->fields = realloc(c->fields, c->cap_fields * sizeof *c->fields);
        CHECK(c->fields != NULL);
    }
    /* Offsets, not pointers, until the arena stops moving (it does not grow;
     * see csv_parse), so the pointer is fine. */
    c->fields[c->n_fields].s = c->arena + off;
    c->fields[c->n_fields].n = n;
    c->n_fields++;
}

static void push_record(csv *c)
{
    if (c->n_recs + 1 >= c->cap_recs) {
        c->cap_recs = c->cap_recs ? 2 * c->cap_recs : 16;
        c->rec_start = realloc(c->rec_start, c->cap_recs * sizeof *c->rec_start);
        CHECK(c->rec_start != NULL);
    }
    c->n_recs++;
    c->rec_start[c->n_recs] = c->n_fields;
}

static int needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') return 1;
    return 0;
}

/* Reads buf[0..n) into c; aborts on anything RFC 4180 (as timeline.h
 * states it) does not allow. */
static void csv_parse(csv *c, const char *buf, size_t n)
{
    memset(c, 0, sizeof *c);
    /* Each field's bytes plus its NUL fit in n + 1 + fields <= 2n + 1. */
    c->arena = malloc(2 * n + 1);
    CHECK(c->arena != NULL);
    c->rec_start = malloc(16 * sizeof *c->rec_start);
    CHECK(c->rec_start != NULL);
    c->cap_recs = 16;
    c->rec_start[0] = 0;
    size_t pos = 0;
    CHECK(n > 0); /* at least the header */
    while (pos < n) {
        for (;;) { /* one field */
            size_t off = c->arena_len;
            if (buf[pos] == '"') {
                pos++;
                for (;;) {
                    CHECK(pos < n); /* unterminated quoted field */
                    if (buf[pos] == '"') {
                        if (pos + 1 < n && buf[pos + 1] == '"') {
                            c->arena[c->arena_len++] = '"';
                            pos += 2;
                            continue;
                        }
                        pos++;
                        break;
                    }
                    c->arena[c->arena_len++] = buf[pos++];
                }
                /* quoting only where needed */
                CHECK(needs_quotes(c->arena + off, c->arena_len - off));
            } else {
                while (pos < n && buf[pos] != ',' && buf[pos] != '\r') {
                    CHECK(buf[pos] != '"' && buf[pos] != '\n');
                    c->arena[c->arena_len++] = buf[pos++];
                }
            }
            size_t len = c->arena_len - off;
            c->arena[c->arena_len++] = '\0';
            push_field(c, off, len);
            CHECK(pos < n); /* every record ends with CRLF */
            if (buf[pos] == ',') {
                pos++;
                CHECK(pos < n); /* a comma at the very end ends no record */
                continue;
            }
            CHECK(buf[pos] == '\r' && pos + 1 < n && buf[pos + 1] == '\n');
            pos += 2;
            push_record(c);
            break;
        }
    }
}

static const field *rec_field(const csv *c, size_t rec, size_t col)
{
    return &c->fields[c->rec_start[rec] + col];
}

static size_t rec_width(const csv *c, size_t rec)
{
    return c->rec_start[rec + 1] - c->rec_start[rec];
}

/* ---- comparing ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits s at "; " into a sorted array of malloc'd copies. */
static char **split_sorted(const char *s, size_t *count)
{
    size_t cap = 8, n = 0;
    char **v = malloc(cap * sizeof *v);
    CHECK(v != NULL);
    if (*s) {
        for (;;) {
            const char *sep = strstr(s, "; ");
            size_t len = sep ? (size_t)(sep - s) : strlen(s);
            if (n == cap) {
                cap *= 2;
                v = realloc(v, cap * sizeof *v);
                CHECK(v != NULL);
            }
            v[n] = malloc(len + 1);
            CHECK(v[n] != NULL);
            memcpy(v[n], s, len);
            v[n][len] = '\0';
            n++;
            if (!sep) break;
            s = sep + 2;
        }
    }
    qsort(v, n, sizeof *v, cmp_str);
    *count = n;
    return v;
}

static void free_split(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The same participants, in any order. */
static void check_same_participants(const char *got, const char *want)
{
    size_t ng, nw;
    char **g = split_sorted(got, &ng), **w = split_sorted(want, &nw);
    CHECK(ng == nw);
    for (size_t i = 0; i < ng; i++)
        CHECK(strcmp(g[i], w[i]) == 0);
    free_split(g, ng);
    free_split(w, nw);
}

static void check_field_is(const field *f, const unsigned char *want, int want_bytes)
{
    size_t wn = want ? (size_t)want_bytes : 0;
    CHECK(f->n == wn);
    CHECK(wn == 0 || memcmp(f->s, want, wn) == 0);
}

/* Property 4: record i against JSON Lines object i. */
static void check_against_jsonl(sqlite3 *conn, const csv *c, char **lines, size_t n_lines)
{
    CHECK(c->n_recs - 1 == n_lines);
    sqlite3_stmt *val = NULL, *parts = NULL;
    CHECK(sqlite3_prepare_v2(conn, "SELECT json_type(?1, ?2), json_extract(?1, ?2)", -1, &val, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_prepare_v2(conn,
                             "SELECT coalesce(group_concat(json_extract(value, '$.name') || ' (' ||"
                             " json_extract(value, '$.role') || ')', '; '), '') FROM json_each(?1, ?2)",
                             -1, &parts, NULL) == SQLITE_OK);
    size_t width = rec_width(c, 0);
    char path[600];
    for (size_t r = 1; r < c->n_recs; r++) {
        const char *line = lines[r - 1];
        for (size_t k = 0; k < width; k++) {
            const field *name = rec_field(c, 0, k), *f = rec_field(c, r, k);
            /* a JSON path for the key, quoted */
            if (name->n > 500 || strchr(name->s, '"')) continue;
            snprintf(path, sizeof path, "$.\"%s\"", name->s);
            sqlite3_bind_text(val, 1, line, -1, SQLITE_STATIC);
            sqlite3_bind_text(val, 2, path, -1, SQLITE_STATIC);
            CHECK(sqlite3_step(val) == SQLITE_ROW);
            const unsigned char *type = sqlite3_column_text(val, 0);
            if (!type) { /* not a key of the JSON object */
            } else if (!strcmp((const char *)type, "null")) {
                CHECK(f->n == 0);
            } else if (!strcmp((const char *)type, "text") || !strcmp((const char *)type, "integer")) {
                const unsigned char *v = sqlite3_column_text(val, 1);
                check_field_is(f, v, sqlite3_column_bytes(val, 1));
            } else if (!strcmp((const char *)type, "array") && !strcmp(name->s, "participants")) {
                sqlite3_bind_text(parts, 1, line, -1, SQLITE_STATIC);
                sqlite3_bind_text(parts, 2, path, -1, SQLITE_STATIC);
                CHECK(sqlite3_step(parts) == SQLITE_ROW);
                check_same_participants(f->s, (const char *)sqlite3_column_text(parts, 0));
                sqlite3_reset(parts);
            }
            sqlite3_reset(val);
        }
    }
    sqlite3_finalize(val);
    sqlite3_finalize(parts);
}

static const char *const documented[] = {
    "event_id", "date",         "time",      "type",     "cameo",
    "status",   "participants", "location",  "duration", "planned_duration",
    "summary",  "document",     "doc_sha256"};
#define N_DOCUMENTED (sizeof documented / sizeof documented[0])

static int header_is_documented(const csv *c)
{
    if (rec_width(c, 0) != N_DOCUMENTED) return 0;
    for (size_t k = 0; k < N_DOCUMENTED; k++)
        if (strcmp(rec_field(c, 0, k)->s, documented[k])) return 0;
    return 1;
}

/* Property 5: the records are the stored events, read directly: as many,
 * each event once, each field equal to its column; and, while the
 * `chronology` view has an event_id column, in the view's order. */
static void check_against_tables(sqlite3 *conn, const csv *c)
{
    sqlite3_stmt *count = NULL, *ev = NULL, *parts = NULL, *order = NULL;
    CHECK(sqlite3_prepare_v2(conn, "SELECT count(*) FROM events", -1, &count, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(count) == SQLITE_ROW);
    CHECK((size_t)sqlite3_column_int64(count, 0) == c->n_recs - 1);
    sqlite3_finalize(count);
    CHECK(sqlite3_prepare_v2(conn,
                             "SELECT e.id, e.date, e.time, e.type, e.cameo, e.status, NULL, e.location,"
                             " e.duration, e.planned_duration, e.summary, d.path, d.sha256"
                             " FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.id = ?1",
                             -1, &ev, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(conn,
                             "SELECT coalesce(group_concat(a.name || ' (' || p.role || ')', '; '), '')"
                             " FROM event_participants p JOIN actors a ON a.id = p.actor_id"
                             " WHERE p.event_id = ?1",
                             -1, &parts, NULL) == SQLITE_OK);
    for (size_t r = 1; r < c->n_recs; r++) {
        const field *idf = rec_field(c, r, 0);
        CHECK(idf->n > 0 && idf->n < 20 && strspn(idf->s, "0123456789") == idf->n);
        for (size_t q = 1; q < r; q++)
            CHECK(strcmp(rec_field(c, q, 0)->s, idf->s) != 0);
        sqlite3_int64 id = strtoll(idf->s, NULL, 10);
        sqlite3_bind_int64(ev, 1, id);
        CHECK(sqlite3_step(ev) == SQLITE_ROW);
        for (int k = 0; k < (int)N_DOCUMENTED; k++) {
            const field *f = rec_field(c, r, (size_t)k);
            if (k == 6) {
                sqlite3_bind_int64(parts, 1, id);
                CHECK(sqlite3_step(parts) == SQLITE_ROW);
                check_same_participants(f->s, (const char *)sqlite3_column_text(parts, 0));
                sqlite3_reset(parts);
                continue;
            }
            const unsigned char *v = sqlite3_column_text(ev, k);
            check_field_is(f, v, sqlite3_column_bytes(ev, k));
        }
        sqlite3_reset(ev);
    }
    if (sqlite3_prepare_v2(conn, "SELECT event_id FROM chronology", -1, &order, NULL) == SQLITE_OK) {
        size_t r = 1;
        while (sqlite3_step(order) == SQLITE_ROW) {
            CHECK(r < c->n_recs);
            const unsigned char *v = sqlite3_column_text(order, 0);
            check_field_is(rec_field(c, r, 0), v, sqlite3_column_bytes(order, 0));
            r++;
        }
        CHECK(r == c->n_recs);
    }
    sqlite3_finalize(order);
    sqlite3_finalize(ev);
    sqlite3_finalize(parts);
}

/* ---- the target ---------------------------------------------------------------- */

/* Exports db in fmt into a malloc'd buffer. */
static char *export_to_memory(tl_db *db, tl_format fmt, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    CHECK(f != NULL);
    tl_status st = tl_export(db, fmt, f);
    if (st != TL_OK) fprintf(stderr, "fuzz_csv: tl_export: %s\n", tl_db_errmsg(db));
    CHECK(st == TL_OK);
    CHECK(fclose(f) == 0);
    return buf;
}

/* Splits JSON Lines in place; every line must end with '\n'. */
static char **split_lines(char *buf, size_t len, size_t *count)
{
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    CHECK(v != NULL);
    size_t pos = 0;
    while (pos < len) {
        char *nl = memchr(buf + pos, '\n', len - pos);
        CHECK(nl != NULL);
        *nl = '\0';
        if (n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            CHECK(v != NULL);
        }
        v[n++] = buf + pos;
        pos = (size_t)(nl - buf) + 1;
    }
    *count = n;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const sx_date dct = {2017, 7, 7, 0, 0, 0};
    sx_options opts = {&dct, 0};
    sx_doc doc;
    sx_doc_init(&doc);
    if (sx_extract(&doc, "fuzz, \"quoted\"\r\npath ü.txt", (const char *)data, size, &opts) != SX_OK) {
        sx_doc_free(&doc);
        return 0;
    }
    tl_db db;
    tl_db_init(&db);
    CHECK(tl_db_open(&db, ":memory:", TL_OPEN_CREATE) == TL_OK);
    tl_status st = tl_ingest(&db, &doc, NULL);
    if (st != TL_OK) fprintf(stderr, "fuzz_csv: tl_ingest: %s\n", tl_db_errmsg(&db));
    CHECK(st == TL_OK);

    size_t csv_len = 0, jsonl_len = 0;
    char *text = export_to_memory(&db, TL_FORMAT_CSV, &csv_len);
    char *jsonl = export_to_memory(&db, TL_FORMAT_JSONL, &jsonl_len);

    csv c;
    csv_parse(&c, text, csv_len);
    CHECK(c.n_recs >= 1);
    size_t width = rec_width(&c, 0);
    CHECK(width >= 1);
    for (size_t k = 0; k < width; k++) {
        CHECK(rec_field(&c, 0, k)->n > 0);
        for (size_t j = 0; j < k; j++)
            CHECK(strcmp(rec_field(&c, 0, j)->s, rec_field(&c, 0, k)->s) != 0);
    }
    for (size_t r = 1; r < c.n_recs; r++)
        CHECK(rec_width(&c, r) == width);

    size_t n_lines = 0;
    char **lines = split_lines(jsonl, jsonl_len, &n_lines);
    check_against_jsonl(db.conn, &c, lines, n_lines);
    if (header_is_documented(&c)) check_against_tables(db.conn, &c);

    free(lines);
    csv_free(&c);
    free(text);
    free(jsonl);
    tl_db_close(&db);
    sx_doc_free(&doc);
    return 0;
}
