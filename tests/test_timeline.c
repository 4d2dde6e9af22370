/*
 * test_timeline.c -- Criterion tests of the timeline store (tl_*): ingest and
 * replacement, the chronology's order and wording, CSV and JSON Lines
 * exports, the extract JSON Lines contract, and refusal of databases that are
 * not ours.
 *
 * Documents are built by hand (build_doc): every sx_doc field is filled
 * directly with malloc'd strings and released with sx_doc_free, so these
 * tests do not depend on what the extractor finds.  Output is captured with
 * open_memstream; files live in a mkdtemp directory under /tmp.  The CSV
 * export is read back with a small strict RFC 4180 reader (csv_parse) and the
 * JSON with SQLite's own json_valid / json_extract.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extractor.h"
#include "files.h"
#include "timeline.h"
#include "timeline_int.h"

/* ---- helpers: text ------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    cr_assert(p);
    memcpy(p, s, n);
    return p;
}

static int32_t cp_len(const char *s, size_t n)
{
    int32_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Code point offset of the first occurrence of needle, or -1. */
static int32_t cp_find(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    return p ? cp_len(text, (size_t)(p - text)) : -1;
}

/* Byte offset of code point cp, the slow and obvious way. */
static size_t cp_to_byte(const char *s, int32_t cp)
{
    size_t b = 0;
    int32_t k = 0;
    while (s[b]) {
        if (((unsigned char)s[b] & 0xC0) != 0x80) {
            if (k == cp)
                return b;
            k++;
        }
        b++;
    }
    return b;
}

/* A stand-in content key: FNV-1a, hex, repeated to 64 digits. */
static void fake_sha(const char *text, char out[65])
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    for (int i = 0; i < 4; i++)
        snprintf(out + 16 * i, 17, "%016llx", (unsigned long long)h);
}

/* ---- helpers: documents -------------------------------------------------------- */

static const struct {
    sx_actor_kind kind;
    const char *name, *country, *title;
} ACTORS[] = {
    {SX_ACTOR_PERSON, "Donald Trump", "USA", "President"},
    {SX_ACTOR_PERSON, "Vladimir Putin", "RUS", "President"},
    {SX_ACTOR_COUNTRY, "Russia", "RUS", NULL},
};
#define N_ACTORS 3

typedef struct ev_spec {
    const char *type, *status;
    const char *date, *begin, *end, *time;
    const char *duration, *duration_mod, *planned;
    const char *location, *summary;
    const char *trigger; /* mention text, found in the document */
    int n_part;
    int actor[3];
    const char *role[3];
    const char *date_source; /* text | narrative | dct, or NULL */
} ev_spec;

#define SET(field, s) snprintf((field), sizeof(field), "%s", (s) ? (s) : "")

static const char BASE_TEXT[] =
    "Donald Trump met Vladimir Putin in Hamburg on Friday. "
    "Their talks, planned for 30 minutes, lasted 2 hours and 16 minutes. "
    "On Thursday Trump spoke in Warsaw. "
    "Putin\xE2\x80\x99s aide said a visit could come in July. "
    "Lavrov described the meeting as \xE2\x80\x9C" "constructive\xE2\x80\x9D. "
    "In 2016 Russia denied everything.";

/* Fills doc by hand: sentences split at ". ", the three ACTORS, a timex for
 * "Friday" and one for "2 hours and 16 minutes" when present, and the
 * events of evs with one mention each. */
static void build_doc(sx_doc *doc, const char *path, const char *text, const ev_spec *evs, size_t n_ev)
{
    sx_doc_init(doc);
    doc->path = dup_str(path);
    doc->text = dup_str(text);
    doc->text_len = strlen(text);
    doc->n_codepoints = cp_len(text, doc->text_len);
    fake_sha(text, doc->sha256);
    doc->dct = (sx_date){2017, 7, 8, 0, 0, 0};
    doc->has_dct = 1;
    doc->dct_source = "flag";

    /* sentences */
    size_t cap = 1;
    for (const char *p = text; (p = strstr(p, ". ")); p += 2)
        cap++;
    doc->sentences = calloc(cap, sizeof *doc->sentences);
    cr_assert(doc->sentences);
    int32_t start = 0;
    for (const char *p = text;; p += 2) {
        const char *q = strstr(p, ". ");
        int32_t end = q ? cp_len(text, (size_t)(q - text)) + 1 : doc->n_codepoints;
        doc->sentences[doc->n_sentences++] = (sx_sentence){start, end};
        if (!q)
            break;
        start = end + 1;
        p = q;
    }

    /* actors */
    doc->actors = calloc(N_ACTORS, sizeof *doc->actors);
    cr_assert(doc->actors);
    for (int i = 0; i < N_ACTORS; i++) {
        sx_actor *a = &doc->actors[doc->n_actors++];
        a->kind = ACTORS[i].kind;
        a->name = dup_str(ACTORS[i].name);
        a->country = dup_str(ACTORS[i].country);
        a->title = dup_str(ACTORS[i].title);
        int32_t at = cp_find(text, ACTORS[i].name);
        a->first_start = at < 0 ? 0 : at;
        a->first_end = at < 0 ? 0 : at + cp_len(ACTORS[i].name, strlen(ACTORS[i].name));
        a->mentions = 1;
    }

    /* timexes */
    doc->timexes = calloc(2, sizeof *doc->timexes);
    cr_assert(doc->timexes);
    int32_t at = cp_find(text, "Friday");
    if (at >= 0) {
        sx_timex *t = &doc->timexes[doc->n_timexes++];
        *t = (sx_timex){.start = at, .end = at + 6, .type = SX_TIMEX_DATE, .anchor = -1};
        SET(t->value, "2017-07-07");
        SET(t->begin, "2017-07-07");
        SET(t->end_iso, "2017-07-08");
        t->text = dup_str("Friday");
    }
    at = cp_find(text, "2 hours and 16 minutes");
    if (at >= 0) {
        sx_timex *t = &doc->timexes[doc->n_timexes++];
        *t = (sx_timex){.start = at, .end = at + 22, .type = SX_TIMEX_DURATION, .anchor = 0};
        SET(t->value, "PT2H16M");
        SET(t->mod, "");
        t->text = NULL; /* the store takes the document's substring */
    }
    for (size_t i = 0; i < doc->n_timexes; i++) {
        sx_timex *t = &doc->timexes[i];
        for (size_t s = 0; s < doc->n_sentences; s++)
            if (t->start >= doc->sentences[s].start && t->start < doc->sentences[s].end)
                t->sentence = (int32_t)s;
    }

    /* events */
    doc->events = calloc(n_ev ? n_ev : 1, sizeof *doc->events);
    cr_assert(doc->events);
    for (size_t i = 0; i < n_ev; i++) {
        const ev_spec *v = &evs[i];
        sx_event *e = &doc->events[doc->n_events++];
        e->type = v->type;
        e->cameo = "040";
        e->status = v->status ? v->status : "occurred";
        SET(e->date, v->date);
        SET(e->begin, v->begin);
        SET(e->end_iso, v->end);
        SET(e->time, v->time);
        SET(e->duration, v->duration);
        SET(e->duration_mod, v->duration_mod);
        SET(e->planned_duration, v->planned);
        e->date_timex = -1;
        e->date_source = v->date_source;
        e->location = dup_str(v->location);
        e->summary = dup_str(v->summary ? v->summary : "");
        e->participants = calloc(3, sizeof *e->participants);
        cr_assert(e->participants);
        for (int k = 0; k < v->n_part; k++)
            e->participants[e->n_participants++] = (sx_participant){v->actor[k], v->role[k]};
        e->mentions = calloc(1, sizeof *e->mentions);
        cr_assert(e->mentions);
        int32_t m = cp_find(text, v->trigger ? v->trigger : "met");
        cr_assert_geq(m, 0, "trigger %s not in text", v->trigger);
        int32_t mlen = cp_len(v->trigger ? v->trigger : "met", strlen(v->trigger ? v->trigger : "met"));
        int32_t sent = 0;
        for (size_t s = 0; s < doc->n_sentences; s++)
            if (m >= doc->sentences[s].start && m < doc->sentences[s].end)
                sent = (int32_t)s;
        e->mentions[e->n_mentions++] = (sx_mention){m, m + mlen, sent};
    }
}

static void add_warning(sx_doc *doc, const char *msg)
{
    char **w = realloc(doc->warnings, (doc->n_warnings + 1) * sizeof *w);
    cr_assert(w);
    doc->warnings = w;
    doc->warnings[doc->n_warnings++] = dup_str(msg);
}

/* The events of BASE_TEXT: one of each date precision, and one undated. */
static const ev_spec BASE_EVENTS[] = {
    {.type = "meeting", .date = "2017-07-07", .begin = "2017-07-07", .end = "2017-07-08",
     .duration = "PT2H16M", .planned = "PT30M", .location = "Hamburg, Germany",
     .summary = "Trump and Putin met for the first time.", .trigger = "met", .n_part = 2,
     .actor = {0, 1}, .role = {"participant", "participant"}},
    {.type = "statement", .date = "2017-07-06", .begin = "2017-07-06", .end = "2017-07-07",
     .time = "2017-07-06T10:30", .location = "Warsaw, Poland", .summary = "Trump spoke in Warsaw.",
     .trigger = "spoke", .n_part = 1, .actor = {0}, .role = {"speaker"}},
    {.type = "statement", .summary = "Lavrov called the meeting constructive.", .trigger = "described"},
    {.type = "visit", .status = "planned", .date = "2017-07", .begin = "2017-07-01", .end = "2017-08-01",
     .summary = "A visit could come in July.", .trigger = "visit", .n_part = 2, .actor = {1, 0},
     .role = {"visitor", "host"}},
    {.type = "denial", .date = "2016", .begin = "2016-01-01", .end = "2017-01-01",
     .summary = "Russia denied everything.", .trigger = "denied", .n_part = 2, .actor = {2, 0},
     .role = {"source", "target"}},
};
#define N_BASE (sizeof BASE_EVENTS / sizeof BASE_EVENTS[0])

/* ---- helpers: database and output ---------------------------------------------- */

static void open_mem(tl_db *db)
{
    tl_db_init(db);
    cr_assert_eq(tl_db_open(db, ":memory:", TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(db));
}

static long long count(tl_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db->conn));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* One text value of a query with one optional text parameter (malloc'd). */
static char *query_text(sqlite3 *conn, const char *sql, const char *arg)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(conn));
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = dup_str((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

typedef struct capture {
    FILE *f;
    char *buf;
    size_t len;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    cr_assert(c->f);
}

static void cap_close(capture *c)
{
    fclose(c->f);
    c->f = NULL;
}

/* Makes every insert into table fail with "boom" (a temporary trigger on
 * conn), until allow_inserts drops it: a write that fails midway. */
static void fail_inserts(sqlite3 *conn, const char *table)
{
    char *sql = sqlite3_mprintf("CREATE TEMP TRIGGER \"fail_%w\" BEFORE INSERT ON \"%w\""
                                " BEGIN SELECT RAISE(ABORT, 'boom'); END",
                                table, table);
    cr_assert_not_null(sql);
    cr_assert_eq(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(conn));
    sqlite3_free(sql);
}

static void allow_inserts(sqlite3 *conn, const char *table)
{
    char *sql = sqlite3_mprintf("DROP TRIGGER \"fail_%w\"", table);
    cr_assert_not_null(sql);
    cr_assert_eq(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(conn));
    sqlite3_free(sql);
}

static void ingest_ok(tl_db *db, const sx_doc *doc)
{
    int64_t id = -1;
    cr_assert_eq(tl_ingest(db, doc, &id), TL_OK, "%s", tl_db_errmsg(db));
    cr_assert_gt(id, 0);
}

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/summit-test-XXXXXX");
    cr_assert(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    static const char *const names[] = {"t.db", "t.db-wal", "t.db-shm", "random.db", "v99.db", "other.db", "other.db-wal", "other.db-shm"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

/* ---- ingest and replacement ------------------------------------------------------- */

Test(ingest, stores_every_part_of_a_document)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    add_warning(&doc, "no dateline");
    ingest_ok(&db, &doc);

    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM sentences"), (long long)doc.n_sentences);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timexes"), 2);
    cr_expect_eq(count(&db, "SELECT count(*) FROM actors"), 3);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), (long long)N_BASE);
    cr_expect_eq(count(&db, "SELECT count(*) FROM event_participants"), 7);
    cr_expect_eq(count(&db, "SELECT count(*) FROM event_mentions"), (long long)N_BASE);
    cr_expect_eq(count(&db, "SELECT count(*) FROM warnings"), 1);
    /* empty strings are NULL, dct is formatted, n_chars is code points */
    cr_expect_eq(count(&db, "SELECT count(*) FROM events WHERE date IS NULL AND sort_begin IS NULL"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events WHERE duration = ''"), 0);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timexes WHERE mod IS NULL"), 2);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents WHERE dct = '2017-07-08' AND dct_source = 'flag'"), 1);
    cr_expect_eq(count(&db, "SELECT n_chars FROM documents"), (long long)doc.n_codepoints);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timexes WHERE text = '2 hours and 16 minutes'"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timexes WHERE idx = 1 AND anchor_idx = 0"), 1);

    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(ingest, mention_and_sentence_text_is_the_code_point_substring)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    for (size_t i = 0; i < N_BASE; i++) {
        char *got = query_text(db.conn,
                               "SELECT m.text FROM event_mentions m JOIN events e ON e.id = m.event_id"
                               " WHERE e.idx = CAST(?1 AS INTEGER)",
                               (char[]){(char)('0' + i), 0});
        cr_expect_str_eq(got, BASE_EVENTS[i].trigger, "event %zu", i);
        free(got);
    }
    /* the sentence after the curly quotes starts where it should */
    char *s = query_text(db.conn, "SELECT text FROM sentences WHERE idx = 5", NULL);
    cr_expect_str_eq(s, "In 2016 Russia denied everything.");
    free(s);
    s = query_text(db.conn, "SELECT text FROM sentences WHERE idx = 4", NULL);
    cr_expect_str_eq(s, "Lavrov described the meeting as \xE2\x80\x9C" "constructive\xE2\x80\x9D.");
    free(s);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* Mentions at stride boundaries of the code point index, over text mixing
 * 1-, 2-, 3- and 4-byte characters. */
Test(ingest, code_point_offsets_across_a_long_text)
{
    static const char *const chars[] = {"a", "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80"};
    enum { N = 1000 };
    char *text = malloc(N * 4 + 1);
    cr_assert(text);
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        const char *c = chars[(i * 7 + i / 3) % 4];
        memcpy(text + len, c, strlen(c));
        len += strlen(c);
    }
    text[len] = '\0';

    /* distinct starts: (event_id, start_cp) is the mentions' key */
    static const int32_t spans[][2] = {{0, 1},     {1, 64},    {63, 65},   {64, 128},  {65, 65},    {127, 129},
                                       {128, 130}, {500, 700}, {936, 1000}, {999, 1000}, {1000, 1000}};
    const size_t n_spans = sizeof spans / sizeof spans[0];
    sx_doc doc;
    ev_spec one = {.type = "statement", .trigger = "a"};
    build_doc(&doc, "long.txt", text, &one, 1);
    sx_mention *m = realloc(doc.events[0].mentions, n_spans * sizeof *m);
    cr_assert(m);
    doc.events[0].mentions = m;
    doc.events[0].n_mentions = n_spans;
    for (size_t i = 0; i < n_spans; i++)
        m[i] = (sx_mention){spans[i][0], spans[i][1], 0};

    tl_db db;
    open_mem(&db);
    ingest_ok(&db, &doc);
    for (size_t i = 0; i < n_spans; i++) {
        size_t b0 = cp_to_byte(text, spans[i][0]), b1 = cp_to_byte(text, spans[i][1]);
        char want[4 * N + 1];
        snprintf(want, sizeof want, "%.*s", (int)(b1 - b0), text + b0);
        char arg[16];
        snprintf(arg, sizeof arg, "%d", (int)spans[i][0]);
        char *got = query_text(db.conn, "SELECT text FROM event_mentions WHERE start_cp = CAST(?1 AS INTEGER)", arg);
        cr_expect_str_eq(got, want, "span [%d, %d)", (int)spans[i][0], (int)spans[i][1]);
        free(got);
    }
    sx_doc_free(&doc);
    free(text);
    tl_db_close(&db);
}

Test(ingest, same_document_twice_keeps_one_copy)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    long long parts = count(&db, "SELECT count(*) FROM event_participants");
    ingest_ok(&db, &doc);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), (long long)N_BASE);
    cr_expect_eq(count(&db, "SELECT count(*) FROM event_participants"), parts);
    cr_expect_eq(count(&db, "SELECT count(*) FROM actors"), 3);
    cr_expect_eq(count(&db, "SELECT count(*) FROM sentences"), (long long)doc.n_sentences);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(ingest, changed_text_under_the_same_path_replaces_it)
{
    static const char text2[] = "Trump met Putin again. Nothing else happened.";
    tl_db db;
    sx_doc a, b;
    open_mem(&db);
    build_doc(&a, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    build_doc(&b, "news/g20.txt", text2, BASE_EVENTS, 1);
    ingest_ok(&db, &a);
    ingest_ok(&db, &b);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), 1);
    char *sha = query_text(db.conn, "SELECT sha256 FROM documents", NULL);
    cr_expect_str_eq(sha, b.sha256);
    free(sha);
    char *body = query_text(db.conn, "SELECT body FROM documents", NULL);
    cr_expect_str_eq(body, text2);
    free(body);
    sx_doc_free(&a);
    sx_doc_free(&b);
    tl_db_close(&db);
}

Test(ingest, same_text_under_a_new_path_moves_and_stdin_is_not_keyed_by_path)
{
    tl_db db;
    sx_doc a, b, s1, s2;
    open_mem(&db);
    build_doc(&a, "old/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    build_doc(&b, "new/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &a);
    ingest_ok(&db, &b);
    char *path = query_text(db.conn, "SELECT group_concat(path) FROM documents", NULL);
    cr_expect_str_eq(path, "new/g20.txt");
    free(path);

    build_doc(&s1, "-", "Trump met Putin. One.", BASE_EVENTS, 1);
    build_doc(&s2, "-", "Trump met Putin. Two.", BASE_EVENTS, 1);
    ingest_ok(&db, &s1);
    ingest_ok(&db, &s2);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents WHERE path = '-'"), 2);
    sx_doc_free(&a);
    sx_doc_free(&b);
    sx_doc_free(&s1);
    sx_doc_free(&s2);
    tl_db_close(&db);
}

Test(ingest, a_failure_midway_leaves_the_previous_version)
{
    tl_db db;
    sx_doc a, b;
    open_mem(&db);
    build_doc(&a, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    build_doc(&b, "news/g20.txt", "Trump met Putin. Changed.", BASE_EVENTS, 1);
    add_warning(&b, "this warning cannot be stored");
    ingest_ok(&db, &a);
    /* warnings are inserted last: make that insert fail */
    fail_inserts(db.conn, "warnings");
    int64_t id = 42;
    cr_expect_eq(tl_ingest(&db, &b, &id), TL_ESQL);
    cr_expect_eq(id, 0);
    cr_expect(strstr(tl_db_errmsg(&db), "news/g20.txt"), "%s", tl_db_errmsg(&db));
    cr_expect(strstr(tl_db_errmsg(&db), "boom"), "%s", tl_db_errmsg(&db));
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), (long long)N_BASE);
    char *sha = query_text(db.conn, "SELECT sha256 FROM documents", NULL);
    cr_expect_str_eq(sha, a.sha256);
    free(sha);
    /* and the connection is usable afterwards */
    allow_inserts(db.conn, "warnings");
    ingest_ok(&db, &b);
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), 1);
    sx_doc_free(&a);
    sx_doc_free(&b);
    tl_db_close(&db);
}

/* Each row breaks one consistency rule; the document must be refused with
 * TL_EINVAL, a message naming it, and nothing written. */
typedef void (*breaker)(sx_doc *);
static void break_actor(sx_doc *d) { d->events[0].participants[0].actor = 7; }
static void break_negative_actor(sx_doc *d) { d->events[0].participants[0].actor = -1; }
static void break_mention(sx_doc *d) { d->events[0].mentions[0].end = d->n_codepoints + 1; }
static void break_mention_order(sx_doc *d) { d->events[0].mentions[0].start = d->events[0].mentions[0].end + 1; }
static void break_count(sx_doc *d) { d->n_codepoints += 1; }
static void break_sentence(sx_doc *d) { d->timexes[0].sentence = 99; }
static void break_anchor(sx_doc *d) { d->timexes[0].anchor = 5; }
static void break_date_timex(sx_doc *d) { d->events[0].date_timex = 9; }
static void break_type(sx_doc *d) { d->events[0].type = NULL; }
static void break_sha(sx_doc *d) { d->sha256[0] = '\0'; }

Test(ingest, inconsistent_documents_are_refused_before_writing)
{
    static const struct {
        const char *name;
        breaker fn;
    } rows[] = {
        {"participant names a missing actor", break_actor},
        {"participant names actor -1", break_negative_actor},
        {"mention ends past the text", break_mention},
        {"mention starts after it ends", break_mention_order},
        {"n_codepoints does not match the text", break_count},
        {"timex names a missing sentence", break_sentence},
        {"timex anchored to a missing timex", break_anchor},
        {"event dated by a missing timex", break_date_timex},
        {"event without a type", break_type},
        {"document without sha256", break_sha},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tl_db db;
        sx_doc doc;
        open_mem(&db);
        build_doc(&doc, "bad/doc.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
        rows[i].fn(&doc);
        cr_expect_eq(tl_ingest(&db, &doc, NULL), TL_EINVAL, "%s", rows[i].name);
        cr_expect(strstr(tl_db_errmsg(&db), "bad/doc.txt"), "%s: %s", rows[i].name, tl_db_errmsg(&db));
        cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 0, "%s", rows[i].name);
        /* the JSON Lines writer checks the same way */
        capture c;
        cap_open(&c);
        cr_expect_eq(tl_write_doc_jsonl(&db, &doc, c.f), TL_EINVAL, "%s", rows[i].name);
        cap_close(&c);
        free(c.buf);
        sx_doc_free(&doc);
        tl_db_close(&db);
    }
}

/* ---- chronology ------------------------------------------------------------------- */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *find_after(const char *hay, const char *needle, const char *after)
{
    const char *p = strstr(after ? after : hay, needle);
    cr_expect(p, "missing or out of order: \"%s\" in:\n%s", needle, hay);
    return p ? p : hay;
}

Test(chronology, prints_dates_in_order_at_their_precision_undated_last)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_chronology(&db, c.f), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);
    const char *s = c.buf;
    cr_expect(starts_with(s, "summit timeline: 1 document, 5 events\n"), "%s", s);

    /* headings in order: year, month, day, day, undated */
    const char *p = find_after(s, "\n2016\n", NULL);
    p = find_after(s, "\n2017-07 (July)\n", p);
    p = find_after(s, "\n2017-07-06 (Thursday)\n", p);
    p = find_after(s, "\n2017-07-07 (Friday)\n", p);
    p = find_after(s, "\nUndated\n", p);

    /* event lines */
    find_after(s, "  denial: Russia (target: Donald Trump)\n", NULL);
    find_after(s, "  visit (planned): Donald Trump and Vladimir Putin\n", NULL);
    find_after(s, "  10:30  statement: Donald Trump in Warsaw, Poland\n", NULL);
    find_after(s, "  meeting: Donald Trump and Vladimir Putin in Hamburg, Germany;"
                  " lasted 2 h 16 min (planned 30 min)\n",
               NULL);
    find_after(s, "      Trump and Putin met for the first time.  [news/g20.txt]\n", NULL);
    const char *undated = strstr(s, "\nUndated\n");
    if (undated)
        find_after(s, "  statement\n      Lavrov called the meeting constructive.  [news/g20.txt]\n", undated);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(chronology, orders_events_across_documents_and_groups_by_date)
{
    static const ev_spec later[] = {
        {.type = "call", .date = "2017-07-06", .begin = "2017-07-06", .end = "2017-07-07",
         .summary = "A call on Thursday.", .trigger = "met", .n_part = 3, .actor = {0, 1, 2},
         .role = {"participant", "participant", "participant"}},
    };
    tl_db db;
    sx_doc a, b;
    open_mem(&db);
    build_doc(&a, "a.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    build_doc(&b, "b.txt", "Trump met Putin by phone.", later, 1);
    ingest_ok(&db, &a);
    ingest_ok(&db, &b);
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_chronology(&db, c.f), TL_OK);
    cap_close(&c);
    /* one Thursday heading holding both documents' events, untimed first */
    const char *h = strstr(c.buf, "\n2017-07-06 (Thursday)\n");
    cr_assert(h, "%s", c.buf);
    cr_expect_null(strstr(h + 1, "\n2017-07-06 (Thursday)\n"), "%s", c.buf);
    const char *call = strstr(h, "  call: Donald Trump, Vladimir Putin and Russia\n");
    const char *stmt = strstr(h, "  10:30  statement");
    cr_expect(call && stmt && call < stmt, "%s", c.buf);
    cr_expect(starts_with(c.buf, "summit timeline: 2 documents, 6 events\n"), "%s", c.buf);
    free(c.buf);
    sx_doc_free(&a);
    sx_doc_free(&b);
    tl_db_close(&db);
}

Test(chronology, participants_are_joined_and_other_roles_grouped)
{
    static const struct {
        int actor[3];
        const char *role[3];
        const char *want;
    } rows[] = {
        {{0, 1, 2}, {"participant", "participant", "participant"}, "  call: Donald Trump, Vladimir Putin and Russia\n"},
        {{0, 1, 2}, {"speaker", "audience", "audience"}, "  call: Donald Trump (audience: Vladimir Putin and Russia)\n"},
        {{0, 1, 2}, {"host", "attendee", "target"}, "  call: Donald Trump (attendee: Vladimir Putin; target: Russia)\n"},
        {{0, 1, 2}, {"target", "attendee", "target"}, "  call (targets: Donald Trump and Russia; attendee: Vladimir Putin)\n"},
        {{0, 0, 1}, {"participant", "speaker", "participant"}, "  call: Donald Trump and Vladimir Putin\n"},
        {{2, 1, 0}, {"visitor", "host", "participant"}, "  call: Donald Trump, Vladimir Putin and Russia\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ev_spec ev = {.type = "call", .summary = "A call.", .trigger = "met", .n_part = 3};
        for (int k = 0; k < 3; k++) {
            ev.actor[k] = rows[i].actor[k];
            ev.role[k] = rows[i].role[k];
        }
        tl_db db;
        sx_doc doc;
        open_mem(&db);
        build_doc(&doc, "call.txt", "Trump met Putin by phone.", &ev, 1);
        ingest_ok(&db, &doc);
        capture c;
        cap_open(&c);
        cr_assert_eq(tl_chronology(&db, c.f), TL_OK);
        cap_close(&c);
        cr_expect(strstr(c.buf, rows[i].want), "row %zu: want \"%s\" in:\n%s", i, rows[i].want, c.buf);
        free(c.buf);
        sx_doc_free(&doc);
        tl_db_close(&db);
    }
}

Test(chronology, empty_timeline)
{
    tl_db db;
    open_mem(&db);
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_chronology(&db, c.f), TL_OK);
    cap_close(&c);
    cr_expect_str_eq(c.buf, "summit timeline: 0 documents, 0 events\n\n(no events stored yet)\n");
    free(c.buf);
    tl_db_close(&db);
}

Test(format, dates_at_their_precision)
{
    static const struct {
        const char *value, *want;
        int understood;
    } rows[] = {
        {"2017-07-06", "2017-07-06 (Thursday)", 1},
        {"2017-07-07", "2017-07-07 (Friday)", 1},
        {"2017-07-07T15:40", "2017-07-07 (Friday)", 1},
        {"2000-02-29", "2000-02-29 (Tuesday)", 1},
        {"2024-12-31", "2024-12-31 (Tuesday)", 1},
        {"1900-01-01", "1900-01-01 (Monday)", 1},
        {"2017-07", "2017-07 (July)", 1},
        {"2016", "2016", 1},
        {"2017-W27", "2017-W27 (week 27)", 1},
        {"2017-W27-WE", "2017-W27-WE (weekend of week 27)", 1},
        {"2017-Q3", "2017-Q3 (third quarter)", 1},
        {"2017-SU", "2017-SU (summer)", 1},
        {"PRESENT_REF", "Present (at the time of the article)", 1},
        {"", "Undated", 1},
        {NULL, "Undated", 1},
        /* not understood: shown as they are */
        {"XXXX-WXX-5", "XXXX-WXX-5", 0},
        {"2017-02-29", "2017-02-29", 0},
        {"2017-13", "2017-13", 0},
        {"201X", "201X", 0},
        {"2017-07-07junk", "2017-07-07junk", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[64];
        int ok = tl_format_date(rows[i].value, buf, sizeof buf);
        cr_expect_str_eq(buf, rows[i].want, "value %s", rows[i].value ? rows[i].value : "(null)");
        cr_expect_eq(ok, rows[i].understood, "value %s", rows[i].value ? rows[i].value : "(null)");
    }
    char tiny[8];
    tl_format_date("2017-07-06", tiny, sizeof tiny);
    cr_expect_str_eq(tiny, "2017-07");
}

Test(format, durations_in_words)
{
    static const struct {
        const char *value, *mod, *want;
        int understood;
    } rows[] = {
        {"PT2H16M", NULL, "2 h 16 min", 1},
        {"PT30M", "", "30 min", 1},
        {"PT2H", "MORE_THAN", "more than 2 h", 1},
        {"PT45S", NULL, "45 s", 1},
        {"P1D", NULL, "1 day", 1},
        {"P3D", "APPROX", "about 3 days", 1},
        {"P1Y2M", NULL, "1 year 2 months", 1},
        {"P2W", "LESS_THAN", "less than 2 weeks", 1},
        {"P1DT12H", NULL, "1 day 12 h", 1},
        {"PT1.5H", NULL, "1.5 h", 1},
        {"PT05M", NULL, "5 min", 1},
        {"PXY", NULL, "years", 1},
        {"PTXH", "EQUAL_OR_MORE", "at least hours", 1},
        /* not understood: shown as they are */
        {"P", NULL, "P", 0},
        {"PT", NULL, "PT", 0},
        {"P1DT", NULL, "P1DT", 0},
        {"P2H", NULL, "P2H", 0},
        {"PT2D", NULL, "PT2D", 0},
        {"2 hours", NULL, "2 hours", 0},
        {"P.5D", NULL, "P.5D", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[64];
        int ok = tl_format_duration(rows[i].value, rows[i].mod, buf, sizeof buf);
        cr_expect_str_eq(buf, rows[i].want, "value %s", rows[i].value);
        cr_expect_eq(ok, rows[i].understood, "value %s", rows[i].value);
    }
}

/* ---- CSV ---------------------------------------------------------------------------- */

#define CSV_MAX_ROWS 8
#define CSV_MAX_FIELDS 20
typedef struct csv_table {
    size_t n_rows;
    size_t n_fields[CSV_MAX_ROWS];
    char *field[CSV_MAX_ROWS][CSV_MAX_FIELDS];
} csv_table;

/* A strict RFC 4180 reader: every record ends in CRLF; unquoted fields hold
 * no quote, CR or LF; in quoted fields "" is a quote.  Returns 0, or -1 on
 * malformed input. */
static int csv_parse(const char *s, size_t n, csv_table *t)
{
    memset(t, 0, sizeof *t);
    size_t i = 0;
    while (i < n) {
        if (t->n_rows == CSV_MAX_ROWS)
            return -1;
        size_t r = t->n_rows++;
        for (;;) {
            if (t->n_fields[r] == CSV_MAX_FIELDS)
                return -1;
            char *f = malloc(n + 1);
            size_t fl = 0;
            cr_assert(f);
            t->field[r][t->n_fields[r]++] = f;
            if (i < n && s[i] == '"') {
                for (i++;; i++) {
                    if (i >= n)
                        return -1;
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            f[fl++] = '"';
                            i++;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        f[fl++] = s[i];
                    }
                }
            } else {
                while (i < n && s[i] != ',' && s[i] != '\r') {
                    if (s[i] == '"' || s[i] == '\n')
                        return -1;
                    f[fl++] = s[i++];
                }
            }
            f[fl] = '\0';
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            return -1;
        }
    }
    return 0;
}

static void csv_free(csv_table *t)
{
    for (size_t r = 0; r < CSV_MAX_ROWS; r++)
        for (size_t k = 0; k < CSV_MAX_FIELDS; k++)
            free(t->field[r][k]);
}

Test(export, csv_fields_survive_commas_quotes_newlines_and_utf8)
{
    static const char summary[] = "Trump said \"no, never\",\nthen left Z\xC3\xBCrich \xE2\x80\x94 caf\xC3\xA9\r\nfor good.";
    ev_spec ev[2] = {BASE_EVENTS[0], BASE_EVENTS[2]};
    ev[0].summary = summary;
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/a \"b\", c.txt", BASE_TEXT, ev, 2);
    ingest_ok(&db, &doc);
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_export(&db, TL_FORMAT_CSV, c.f), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);

    csv_table t;
    cr_assert_eq(csv_parse(c.buf, c.len, &t), 0, "malformed CSV:\n%s", c.buf);
    cr_assert_eq(t.n_rows, 3);
    static const char *const header[] = {"timeline_id", "key",      "date",         "time",        "type",
                                         "cameo",       "status",   "participants", "location",    "duration",
                                         "duration_mod", "planned_duration", "summary", "n_sources", "documents",
                                         "doc_sha256",  "conflicts"};
    enum { NCOL = 17 };
    cr_assert_eq(t.n_fields[0], NCOL);
    for (size_t k = 0; k < NCOL; k++)
        cr_expect_str_eq(t.field[0][k], header[k]);
    cr_assert_eq(t.n_fields[1], NCOL);
    cr_assert_eq(t.n_fields[2], NCOL);
    /* row 1 is the dated meeting, row 2 the undated statement */
    char key[40];
    snprintf(key, sizeof key, "%.16s-e1", doc.sha256);
    cr_expect_str_eq(t.field[1][1], key);
    cr_expect_str_eq(t.field[1][2], "2017-07-07");
    cr_expect_str_eq(t.field[1][4], "meeting");
    cr_expect_str_eq(t.field[1][5], "040");
    cr_expect_str_eq(t.field[1][6], "occurred");
    cr_expect_str_eq(t.field[1][7], "Donald Trump (participant); Vladimir Putin (participant)");
    cr_expect_str_eq(t.field[1][8], "Hamburg, Germany");
    cr_expect_str_eq(t.field[1][9], "PT2H16M");
    cr_expect_str_eq(t.field[1][11], "PT30M");
    cr_expect_str_eq(t.field[1][12], summary);
    cr_expect_str_eq(t.field[1][13], "1");
    cr_expect_str_eq(t.field[1][14], "news/a \"b\", c.txt");
    cr_expect_str_eq(t.field[1][15], doc.sha256);
    cr_expect_str_eq(t.field[1][16], "");
    cr_expect_str_eq(t.field[2][2], "");
    cr_expect_str_eq(t.field[2][7], "");
    cr_expect_str_eq(t.field[2][4], "statement");
    /* no needless quoting */
    char want[128];
    snprintf(want, sizeof want, ",%s,2017-07-07,,meeting,040,occurred,", key);
    cr_expect(strstr(c.buf, want) != NULL, "%s", c.buf);
    csv_free(&t);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(export, jsonl_one_valid_object_per_event)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_export(&db, TL_FORMAT_JSONL, c.f), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);

    size_t lines = 0;
    char *save = c.buf;
    for (char *nl; (nl = strchr(save, '\n')); save = nl + 1) {
        *nl = '\0';
        char *v = query_text(db.conn, "SELECT json_valid(?1)", save);
        cr_expect_str_eq(v, "1", "%s", save);
        free(v);
        lines++;
        if (lines == 1) { /* the 2016 denial comes first */
            char *x = query_text(db.conn,
                                 "SELECT json_extract(?1, '$.date') || '|' || json_extract(?1, '$.type') || '|'"
                                 " || json_array_length(?1, '$.participants') || '|'"
                                 " || json_extract(?1, '$.participants[0].name') || '|'"
                                 " || json_extract(?1, '$.participants[0].kind') || '|'"
                                 " || json_extract(?1, '$.participants[1].role') || '|'"
                                 " || json_extract(?1, '$.participants[1].country') || '|'"
                                 " || json_extract(?1, '$.sources[0].document') || '|'"
                                 " || json_extract(?1, '$.sources[0].mentions[0].text') || '|'"
                                 " || json_array_length(?1, '$.conflicts') || '|' || json_type(?1, '$.time')",
                                 save);
            cr_expect_str_eq(x, "2016|denial|2|Donald Trump|person|source|RUS|news/g20.txt|denied|0|null");
            free(x);
        }
        char *keys = query_text(db.conn, "SELECT group_concat(key, ',') FROM json_each(?1)", save);
        cr_expect_str_eq(keys,
                         "id,key,date,time,type,cameo,status,participants,location,duration,duration_mod,"
                         "planned_duration,summary,sources,conflicts");
        free(keys);
    }
    cr_expect_eq(lines, N_BASE);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- the extract JSON Lines contract -------------------------------------------------- */

Test(doc_jsonl, lines_are_valid_and_carry_the_contract_keys)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    add_warning(&doc, "dateline \"HAMBURG\" not understood");
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_write_doc_jsonl(&db, &doc, c.f), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 0); /* nothing stored */

    static const char *const required[] = {
        [0] = "document:kind,path,dct,dct_source,sha256,chars",
        [1] = "timex:kind,id,start,end,text,type,value,mod,anchor,interval,sentence",
        [2] = "actor:kind,id,type,name,country,title,mentions",
        [3] = "event:kind,id,type,cameo,status,date,time,participants,location,duration,duration_mod,"
              "planned_duration,summary,mentions",
        [4] = "warning:kind,message",
    };
    size_t n_kind[5] = {0};
    char *line = c.buf;
    for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        char *v = query_text(db.conn, "SELECT json_valid(?1)", line);
        cr_expect_str_eq(v, "1", "%s", line);
        free(v);
        char *kind = query_text(db.conn, "SELECT json_extract(?1, '$.kind')", line);
        cr_assert(kind, "%s", line);
        size_t k = 0;
        while (k < 5 && strncmp(required[k], kind, strlen(kind)) != 0)
            k++;
        cr_assert_lt(k, 5, "unknown kind %s", kind);
        n_kind[k]++;
        /* every required key exists (json_type is 'null' for a null value) */
        char keys[256];
        snprintf(keys, sizeof keys, "%s", strchr(required[k], ':') + 1);
        for (char *key = keys, *comma; key; key = comma ? comma + 1 : NULL) {
            comma = strchr(key, ',');
            if (comma)
                *comma = '\0';
            char path[sizeof keys + 2];
            snprintf(path, sizeof path, "$.%s", key);
            sqlite3_stmt *st = NULL;
            cr_assert_eq(sqlite3_prepare_v2(db.conn, "SELECT json_type(?1, ?2)", -1, &st, NULL), SQLITE_OK);
            sqlite3_bind_text(st, 1, line, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
            cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
            cr_expect_neq(sqlite3_column_type(st, 0), SQLITE_NULL, "%s lacks %s: %s", kind, key, line);
            sqlite3_finalize(st);
        }
        free(kind);
    }
    cr_expect_eq(n_kind[0], 1);
    cr_expect_eq(n_kind[1], 2);
    cr_expect_eq(n_kind[2], 3);
    cr_expect_eq(n_kind[3], N_BASE);
    cr_expect_eq(n_kind[4], 1);
    free(c.buf);

    /* spot checks of values, one query per line kind */
    cap_open(&c);
    cr_assert_eq(tl_write_doc_jsonl(&db, &doc, c.f), TL_OK);
    cap_close(&c);
    char *first = c.buf, *nl = strchr(first, '\n');
    cr_assert(nl);
    *nl = '\0';
    char *x = query_text(db.conn,
                         "SELECT json_extract(?1, '$.path') || '|' || json_extract(?1, '$.dct') || '|'"
                         " || json_extract(?1, '$.dct_source') || '|' || json_extract(?1, '$.chars')",
                         first);
    char want[128];
    snprintf(want, sizeof want, "news/g20.txt|2017-07-08|flag|%d", (int)doc.n_codepoints);
    cr_expect_str_eq(x, want);
    free(x);
    char *timex = nl + 1;
    nl = strchr(timex, '\n');
    *nl = '\0';
    x = query_text(db.conn,
                   "SELECT json_extract(?1, '$.id') || '|' || json_extract(?1, '$.text') || '|'"
                   " || json_extract(?1, '$.value') || '|' || json_type(?1, '$.mod') || '|'"
                   " || json_type(?1, '$.anchor') || '|' || json_extract(?1, '$.interval')",
                   timex);
    cr_expect_str_eq(x, "t1|Friday|2017-07-07|null|null|[\"2017-07-07\",\"2017-07-08\"]");
    free(x);
    char *timex2 = nl + 1;
    nl = strchr(timex2, '\n');
    *nl = '\0';
    x = query_text(db.conn,
                   "SELECT json_extract(?1, '$.text') || '|' || json_extract(?1, '$.anchor') || '|'"
                   " || json_extract(?1, '$.type') || '|' || json_type(?1, '$.interval')",
                   timex2);
    cr_expect_str_eq(x, "2 hours and 16 minutes|t1|DURATION|null");
    free(x);
    /* skip the three actors, check the first event */
    char *ev = nl + 1;
    for (int i = 0; i < 3; i++)
        ev = strchr(ev, '\n') + 1;
    nl = strchr(ev, '\n');
    *nl = '\0';
    x = query_text(db.conn,
                   "SELECT json_extract(?1, '$.id') || '|' || json_extract(?1, '$.participants[1].name') || '|'"
                   " || json_extract(?1, '$.participants[1].role') || '|'"
                   " || json_extract(?1, '$.participants[1].actor') || '|'"
                   " || json_extract(?1, '$.mentions[0].text') || '|' || json_extract(?1, '$.location') || '|'"
                   " || json_extract(?1, '$.duration') || '|' || json_type(?1, '$.duration_mod')",
                   ev);
    cr_expect_str_eq(x, "e1|Vladimir Putin|participant|a2|met|Hamburg, Germany|PT2H16M|null");
    free(x);
    free(c.buf);

    /* without a DCT, dct is null */
    doc.has_dct = 0;
    cap_open(&c);
    cr_assert_eq(tl_write_doc_jsonl(&db, &doc, c.f), TL_OK);
    cap_close(&c);
    nl = strchr(c.buf, '\n');
    *nl = '\0';
    x = query_text(db.conn, "SELECT json_type(?1, '$.dct')", c.buf);
    cr_expect_str_eq(x, "null");
    free(x);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- opening files ------------------------------------------------------------------------ */

static void write_file(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

Test(open, a_newer_schema_version_is_refused, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/v99.db", tmpdir);
    sqlite3 *raw = NULL;
    cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(raw, "CREATE TABLE documents (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(raw);

    static const int modes[] = {TL_OPEN_CREATE, 0, TL_OPEN_READONLY};
    for (size_t i = 0; i < 3; i++) {
        tl_db db;
        tl_db_init(&db);
        cr_expect_eq(tl_db_open(&db, path, modes[i]), TL_ESCHEMA, "mode %d", modes[i]);
        cr_expect(strstr(tl_db_errmsg(&db), path), "%s", tl_db_errmsg(&db));
        cr_expect(strstr(tl_db_errmsg(&db), "99"), "%s", tl_db_errmsg(&db));
        cr_expect(strstr(tl_db_errmsg(&db), "upgrade summit"), "%s", tl_db_errmsg(&db));
        cr_expect_null(db.conn);
        tl_db_close(&db);
    }
}

Test(open, random_bytes_are_refused_and_left_alone, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/random.db", tmpdir);
    unsigned char bytes[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof bytes; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes[i] = (unsigned char)x;
    }
    write_file(path, bytes, sizeof bytes);

    static const int modes[] = {TL_OPEN_CREATE, 0, TL_OPEN_READONLY};
    for (size_t i = 0; i < 3; i++) {
        tl_db db;
        tl_db_init(&db);
        cr_expect_eq(tl_db_open(&db, path, modes[i]), TL_EOPEN, "mode %d", modes[i]);
        cr_expect(strstr(tl_db_errmsg(&db), path), "%s", tl_db_errmsg(&db));
        cr_expect(strstr(tl_db_errmsg(&db), "is not a summit database"), "%s", tl_db_errmsg(&db));
        tl_db_close(&db);
    }
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    unsigned char back[sizeof bytes + 1];
    cr_expect_eq(fread(back, 1, sizeof back, f), sizeof bytes);
    fclose(f);
    cr_expect_eq(memcmp(back, bytes, sizeof bytes), 0, "the file was changed");
}

Test(open, another_programs_database_is_refused, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/other.db", tmpdir);
    sqlite3 *raw = NULL;
    cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(raw, "CREATE TABLE notes (body TEXT)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    tl_db db;
    tl_db_init(&db);
    cr_expect_eq(tl_db_open(&db, path, TL_OPEN_CREATE), TL_ESCHEMA);
    cr_expect(strstr(tl_db_errmsg(&db), path), "%s", tl_db_errmsg(&db));
    cr_expect(strstr(tl_db_errmsg(&db), "not a summit database"), "%s", tl_db_errmsg(&db));
    tl_db_close(&db);
}

Test(open, missing_directory_and_missing_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/no/such/dir/t.db", tmpdir);
    tl_db db;
    tl_db_init(&db);
    cr_expect_eq(tl_db_open(&db, path, TL_OPEN_CREATE), TL_EOPEN);
    char want[256];
    snprintf(want, sizeof want, "cannot open database '%s': unable to open database file", path);
    cr_expect_str_eq(tl_db_errmsg(&db), want);

    snprintf(path, sizeof path, "%s/t.db", tmpdir);
    cr_expect_eq(tl_db_open(&db, path, TL_OPEN_READONLY), TL_EOPEN);
    cr_expect(strstr(tl_db_errmsg(&db), path), "%s", tl_db_errmsg(&db));
    cr_expect_eq(access(path, F_OK), -1, "read-only open created the file");
    cr_expect_eq(tl_db_open(&db, NULL, TL_OPEN_CREATE), TL_EINVAL);
    tl_db_close(&db);
}

Test(open, a_file_database_persists_and_reopens_read_only, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", tmpdir);
    tl_db db;
    sx_doc doc;
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, path, TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(tl_db_open(&db, path, TL_OPEN_CREATE), TL_EINVAL); /* already open */
    char *mode = query_text(db.conn, "PRAGMA journal_mode", NULL);
    cr_expect_str_eq(mode, "wal");
    free(mode);
    cr_expect_eq(count(&db, "PRAGMA foreign_keys"), 1);
    cr_expect_eq(count(&db, "PRAGMA user_version"), TL_SCHEMA_VERSION);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    tl_db_close(&db);
    tl_db_close(&db); /* twice is fine */

    cr_assert_eq(tl_db_open(&db, path, TL_OPEN_READONLY), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(count(&db, "SELECT count(*) FROM events"), (long long)N_BASE);
    cr_expect_eq(count(&db, "SELECT count(*) FROM chronology"), (long long)N_BASE);
    cr_expect_neq(tl_ingest(&db, &doc, NULL), TL_OK);
    cr_expect(strstr(tl_db_errmsg(&db), "news/g20.txt"), "%s", tl_db_errmsg(&db));
    capture c;
    cap_open(&c);
    cr_expect_eq(tl_chronology(&db, c.f), TL_OK);
    cap_close(&c);
    cr_expect(strstr(c.buf, "2017-07-07 (Friday)"));
    free(c.buf);
    tl_db_close(&db);

    cr_assert_eq(tl_db_open(&db, path, 0), TL_OK, "%s", tl_db_errmsg(&db));
    ingest_ok(&db, &doc);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    tl_db_close(&db);
    sx_doc_free(&doc);
}

/* The chronology view and the C order agree. */
Test(open, the_chronology_view_lists_events_in_the_same_order)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    char *v = query_text(db.conn, "SELECT group_concat(date, ',') FROM (SELECT date FROM chronology)", NULL);
    cr_expect_str_eq(v, "2016,2017-07,2017-07-06,2017-07-07,undated");
    free(v);
    v = query_text(db.conn,
                   "SELECT group_concat(name || ':' || role, ',') FROM event_actors WHERE event_id ="
                   " (SELECT id FROM events WHERE type = 'visit')",
                   NULL);
    cr_expect(v && strstr(v, "Vladimir Putin:visitor") && strstr(v, "Donald Trump:host"), "%s", v);
    free(v);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(status, every_code_has_a_message)
{
    for (int i = 0; i < TL_STATUS_COUNT; i++) {
        const char *m = tl_status_str((tl_status)i);
        cr_expect(m && *m, "status %d", i);
    }
    cr_expect_str_eq(tl_status_str(TL_OK), "ok");
    cr_expect_str_eq(tl_status_str(TL_ESCHEMA), "database schema is not usable");
    cr_expect_str_eq(tl_status_str((tl_status)TL_STATUS_COUNT), "unknown status");
    cr_expect_str_eq(tl_status_str((tl_status)-1), "unknown status");
    tl_db db;
    tl_db_init(&db);
    cr_expect_str_eq(tl_db_errmsg(&db), "");
    cr_expect_eq(tl_ingest(&db, NULL, NULL), TL_EINVAL);
    cr_expect_eq(tl_chronology(&db, stdout), TL_EINVAL);
    cr_expect_eq(tl_export(&db, TL_FORMAT_CSV, stdout), TL_EINVAL);
    tl_db_close(&db);
}

/* ---- the timeline layer: which events of two documents merge -------------------------- */

/* Two documents with one event each: do they merge into one timeline event,
 * and on which fields do the sources disagree?  Actors: 0 Trump, 1 Putin,
 * 2 Russia. */
typedef struct merge_case {
    const char *name;
    ev_spec a, b;
    int merged;              /* 1: one timeline event with two sources */
    const char *conflicts;   /* fields, comma-separated, in order ("" for none) */
    const char *date;        /* the merged event's date */
    const char *location;    /* the merged event's place, or NULL */
} merge_case;

#define MEET(...) MEET_(__VA_ARGS__)
#define MEET_(d, b_, e_, src) .type = "meeting", .date = d, .begin = b_, .end = e_, .date_source = src, \
    .summary = "They met.", .trigger = "met"
#define TWO .n_part = 2, .actor = {0, 1}, .role = {"participant", "participant"}
#define DAY7 "2017-07-07", "2017-07-07", "2017-07-08"
#define DAY8 "2017-07-08", "2017-07-08", "2017-07-09"
#define DAY9 "2017-07-09", "2017-07-09", "2017-07-10"

static const merge_case merge_cases[] = {
    {"same_day_same_people", {MEET(DAY7, "text"), TWO}, {MEET(DAY7, "text"), TWO}, 1, "", "2017-07-07", NULL},
    {"a_month_contains_a_day",
     {MEET("2017-07", "2017-07-01", "2017-08-01", "text"), TWO}, {MEET(DAY7, "narrative"), TWO}, 1, "",
     "2017-07-07", NULL},
    {"a_day_apart_with_the_same_two_people_is_one_meeting_with_a_date_conflict",
     {MEET(DAY7, "text"), TWO}, {MEET(DAY8, "text"), TWO}, 1, "date", "2017-07-07", NULL},
    {"a_day_apart_when_one_is_a_preview",
     {MEET(DAY7, "text"), .status = "planned", .n_part = 1, .actor = {1}, .role = {"participant"}},
     {MEET(DAY8, "text"), TWO}, 1, "date", "2017-07-08", NULL},
    {"a_day_apart_when_one_is_dated_by_the_narrative",
     {MEET(DAY7, "narrative"), .n_part = 1, .actor = {0}, .role = {"participant"}}, {MEET(DAY8, "text"), TWO},
     1, "date", "2017-07-08", NULL},
    {"a_day_apart_both_stated_sharing_one_person_stays_apart",
     {MEET(DAY7, "text"), .n_part = 1, .actor = {0}, .role = {"participant"}}, {MEET(DAY8, "text"), TWO}, 0, "",
     NULL, NULL},
    {"two_days_apart_stays_apart", {MEET(DAY7, "narrative"), TWO}, {MEET(DAY9, "narrative"), TWO}, 0, "", NULL,
     NULL},
    {"different_types_stay_apart", {MEET(DAY7, "text"), TWO}, {.type = "call", .date = "2017-07-07", .begin = "2017-07-07", .end = "2017-07-08", .date_source = "text",
      .trigger = "met", TWO}, 0, "",
     NULL, NULL},
    {"one_shared_person_of_two_each_stays_apart",
     {MEET(DAY7, "text"), TWO},
     {MEET(DAY7, "text"), .n_part = 2, .actor = {0, 2}, .role = {"participant", "participant"}}, 0, "", NULL, NULL},
    {"targets_do_not_count_as_participants",
     {MEET(DAY7, "text"), .n_part = 2, .actor = {0, 1}, .role = {"participant", "target"}},
     {MEET(DAY7, "text"), .n_part = 2, .actor = {2, 1}, .role = {"participant", "target"}}, 0, "", NULL, NULL},
    {"statements_a_day_apart_stay_apart",
     {.type = "statement", .date = "2017-07-07", .begin = "2017-07-07", .end = "2017-07-08",
      .date_source = "narrative", .trigger = "met", .n_part = 1, .actor = {0}, .role = {"speaker"}},
     {.type = "statement", .date = "2017-07-08", .begin = "2017-07-08", .end = "2017-07-09",
      .date_source = "narrative", .trigger = "met", .n_part = 1, .actor = {0}, .role = {"speaker"}},
     0, "", NULL, NULL},
    {"undated_events_never_merge", {.type = "meeting", .trigger = "met", TWO}, {.type = "meeting", .trigger = "met", TWO},
     0, "", NULL, NULL},
    {"a_place_within_another_is_the_more_specific",
     {MEET(DAY7, "text"), TWO, .location = "Germany"}, {MEET(DAY7, "text"), TWO, .location = "Hamburg, Germany"}, 1,
     "", "2017-07-07", "Hamburg, Germany"},
    {"different_places_conflict",
     {MEET(DAY7, "text"), TWO, .location = "Hamburg, Germany"}, {MEET(DAY7, "text"), TWO, .location = "Warsaw, Poland"},
     1, "location", "2017-07-07", NULL},
    {"different_durations_conflict", {MEET(DAY7, "text"), TWO, .duration = "PT2H16M"},
     {MEET(DAY7, "text"), TWO, .duration = "PT1H"}, 1, "duration", "2017-07-07", NULL},
    {"occurred_against_cancelled_conflicts", {MEET(DAY7, "text"), TWO},
     {MEET(DAY7, "text"), TWO, .status = "cancelled"}, 1, "status", "2017-07-07", NULL},
};

ParameterizedTestParameters(merge, two_documents_one_event_each)
{
    static size_t idx[sizeof merge_cases / sizeof merge_cases[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *i, merge, two_documents_one_event_each)
{
    const merge_case *m = &merge_cases[*i];
    /* both orders of ingest give the same timeline */
    for (int order = 0; order < 2; order++) {
        tl_db db;
        sx_doc a, b;
        open_mem(&db);
        build_doc(&a, "a.txt", BASE_TEXT, &m->a, 1);
        build_doc(&b, "b.txt", "Trump met Putin. A second report.", &m->b, 1);
        ingest_ok(&db, order ? &b : &a);
        ingest_ok(&db, order ? &a : &b);
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events"), m->merged ? 1 : 2, "%s: order %d",
                     m->name, order);
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources"), 2, "%s", m->name);
        if (m->merged) {
            char *f = query_text(db.conn,
                                 "SELECT coalesce(group_concat(field, ','), '') FROM"
                                 " (SELECT DISTINCT field FROM timeline_conflicts ORDER BY field)",
                                 NULL);
            cr_expect_str_eq(f, m->conflicts, "%s", m->name);
            free(f);
            char *d = query_text(db.conn, "SELECT date FROM timeline_events", NULL);
            cr_expect_str_eq(d, m->date, "%s", m->name);
            free(d);
            cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events"), 2, "%s", m->name);
            cr_expect_eq(count(&db, "SELECT n_conflicts FROM timeline_events"), m->conflicts[0] ? 1 : 0, "%s",
                         m->name);
            if (m->location) {
                char *l = query_text(db.conn, "SELECT location FROM timeline_events", NULL);
                cr_expect_str_eq(l, m->location, "%s", m->name);
                free(l);
            }
            if (m->conflicts[0])
                cr_expect_eq(count(&db, "SELECT count(*) FROM conflicts"), 1, "%s", m->name);
        }
        sx_doc_free(&a);
        sx_doc_free(&b);
        tl_db_close(&db);
    }
}

/* ---- many reports of one happening ------------------------------------------------------ */

/* Document k of a wire story copied by many outlets: the meeting of 7 July
 * (Trump and Putin, now and then dated from the narrative or naming Putin
 * alone), and every third one also reports a meeting on 8 July and a
 * statement.  Every copy has its own text, so its own sha256. */
static void copy_of(sx_doc *doc, int k, int varied)
{
    char path[32], text[96];
    snprintf(path, sizeof path, "wire/%03d.txt", k);
    snprintf(text, sizeof text, "Trump met Putin. Outlet %d repeats the wire report.", k);
    /* varied: places that disagree now and then (so clusters carry
     * conflicts) and a duration */
    static const char *const places[7] = {NULL, NULL, "Hamburg, Germany", "Berlin, Germany", "Germany", NULL,
                                          "Hamburg, Germany"};
    ev_spec ev[3] = {{MEET(DAY7, k % 4 == 1 ? "narrative" : "text"), TWO}};
    if (varied) {
        ev[0].location = places[k % 7];
        ev[0].duration = k % 6 == 5 ? "PT2H16M" : NULL;
    }
    if (k % 5 == 2) {
        ev[0].n_part = 1;
        ev[0].actor[0] = 1;
    }
    size_t n = 1;
    if (k % 3 == 0) {
        ev[n++] = (ev_spec){MEET(DAY8, "text"), TWO, .location = "Hamburg, Germany"};
        ev[n++] = (ev_spec){.type = "statement", .date = "2017-07-07", .begin = "2017-07-07", .end = "2017-07-08",
                            .date_source = "text", .trigger = "met", .summary = "He spoke.", .n_part = 1,
                            .actor = {0}, .role = {"speaker"}};
    }
    build_doc(doc, path, text, ev, n);
}

static void wire_copy(sx_doc *doc, int k)
{
    copy_of(doc, k, 0);
}

/* The timeline as text: every cluster with its sources in order. */
static char *timeline_dump(tl_db *db)
{
    return query_text(db->conn,
                      "SELECT group_concat(line, char(10)) FROM (SELECT te.key || ' ' || te.type || ' ' || te.date"
                      " || ' n=' || te.n_sources || ' c=' || te.n_conflicts || ' ' || coalesce(te.location, '-') || ' ['"
                      " || (SELECT group_concat(path, ';') FROM (SELECT d.path AS path FROM timeline_sources s"
                      "     JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = te.id ORDER BY s.ord))"
                      " || '] {' || (SELECT group_concat(name || '/' || role || '/' || n_sources, ';') FROM (SELECT"
                      "     name, role, n_sources FROM timeline_participants p WHERE p.timeline_event_id = te.id"
                      "     ORDER BY p.ord)) || '}' AS line FROM timeline_events te ORDER BY te.key)",
                      NULL);
}

Test(merge, many_copies_of_one_wire_report_make_one_event_in_any_order)
{
    enum { N = 60 };
    static const int orders[3][2] = {{0, 1}, {N - 1, -1}, {17, 7}}; /* start, step (mod N) */
    char *first = NULL;
    for (int o = 0; o < 3; o++) {
        tl_db db;
        open_mem(&db);
        long long first_id = 0; /* the meeting's row, which only gains sources */
        for (int i = 0, k = orders[o][0]; i < N; i++, k = ((k + orders[o][1]) % N + N) % N) {
            sx_doc d;
            wire_copy(&d, k);
            ingest_ok(&db, &d);
            sx_doc_free(&d);
            if (i == 0)
                first_id = count(&db, "SELECT id FROM timeline_events WHERE type = 'meeting' AND date = '2017-07-07'");
        }
        cr_expect_eq(count(&db, "SELECT id FROM timeline_events WHERE type = 'meeting' AND date = '2017-07-07'"),
                     first_id, "order %d: the meeting's id changed as it gained sources", o);
        /* one meeting on the 7th from all 60; one on the 8th from the 20
         * documents reporting both days (a day apart with the same two
         * people would merge, but a cluster takes one event per document);
         * one statement */
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources"), N + 2 * (N / 3), "order %d", o);
        cr_expect_eq(count(&db, "SELECT max(n_sources) FROM timeline_events WHERE type = 'meeting'"), N, "order %d",
                     o);
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events"), 3, "order %d", o);
        cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events WHERE type = 'statement'"), N / 3);
        char *dump = timeline_dump(&db);
        cr_assert(dump);
        if (!first)
            first = dump;
        else {
            cr_expect_str_eq(dump, first, "ingest order %d gives another timeline", o);
            free(dump);
        }
        /* removing a third of the copies leaves the rest as one event */
        if (o == 2) {
            for (int k = 0; k < N; k += 3) {
                char path[32];
                snprintf(path, sizeof path, "wire/%03d.txt", k);
                size_t n = 0;
                cr_expect_eq(tl_remove(&db, path, &n), TL_OK, "%s", tl_db_errmsg(&db));
                cr_expect_eq(n, 1);
            }
            cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events"), 1);
            cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events"), N - N / 3);
            cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources"), N - N / 3);
        }
        tl_db_close(&db);
    }
    free(first);
}

/* Copy k of a wire report with places that disagree now and then. */
static void varied_copy(sx_doc *doc, int k)
{
    copy_of(doc, k, 1);
}

/* Every row of the cross-document tables, with events named by document
 * path and number (ids differ between two databases), and sources by rank
 * (their sort keys, ord, depend on the order they came in). */
static char *timeline_rows(sqlite3 *conn)
{
    return query_text(
        conn,
        "SELECT group_concat(line, char(10)) FROM (SELECT te.key || ' ' || te.type || ' ' || coalesce(te.date, '-')"
        " || ' ' || coalesce(te.time, '-') || ' ' || te.status || ' n=' || te.n_sources || ' c=' || te.n_conflicts"
        " || ' ' || coalesce(te.location, '-') || ' ' || coalesce(te.duration, '-') || ' lead='"
        " || (SELECT d.path || '#' || e.idx FROM events e JOIN documents d ON d.id = e.doc_id"
        "     WHERE e.id = te.lead_event_id) || ' ['"
        " || (SELECT group_concat(x, ';') FROM (SELECT d.path || '#' || e.idx || ':' || (SELECT count(*)"
        "     FROM timeline_sources s2 WHERE s2.timeline_event_id = s.timeline_event_id AND s2.ord < s.ord) || ':'"
        "     || s.date_relation AS x FROM timeline_sources s JOIN events e ON e.id = s.event_id"
        "     JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = te.id ORDER BY s.ord)) || '] {'"
        " || (SELECT group_concat(x, ';') FROM (SELECT p.ord || ':' || p.name || '/' || p.kind || '/'"
        "     || coalesce(p.country, '-') || '/' || p.role || '/' || p.core || '/' || p.n_sources AS x"
        "     FROM timeline_participants p WHERE p.timeline_event_id = te.id ORDER BY p.ord, p.name, p.role))"
        " || '} <' || coalesce((SELECT group_concat(x, ';') FROM (SELECT c.field || '@' || d.path || '='"
        "     || coalesce(c.value, '-') AS x FROM timeline_conflicts c JOIN events e ON e.id = c.event_id"
        "     JOIN documents d ON d.id = e.doc_id WHERE c.timeline_event_id = te.id ORDER BY c.field, d.path)), '')"
        " || '>' AS line FROM timeline_events te ORDER BY te.key)",
        NULL);
}

/* Asserts that a and b hold the same timeline (timeline_rows; "" when
 * empty), naming the step in what; 1 when it is not empty. */
static int assert_same_rows(tl_db *a, tl_db *b, const char *what)
{
    char *x = timeline_rows(a->conn), *y = timeline_rows(b->conn);
    cr_assert_str_eq(x ? x : "", y ? y : "", "%s:\n%s\n--\n%s", what, x ? x : "", y ? y : "");
    const int rows = x != NULL;
    free(x);
    free(y);
    return rows;
}

/* The text of copy t under the path of copy k. */
static void ingest_copy_as(tl_db *db, int k, int t)
{
    sx_doc d;
    varied_copy(&d, t);
    if (t != k) {
        char path[32];
        snprintf(path, sizeof path, "wire/%03d.txt", k);
        free(d.path);
        d.path = dup_str(path);
    }
    ingest_ok(db, &d);
    sx_doc_free(&d);
}

static void ingest_copy(tl_db *db, int k)
{
    ingest_copy_as(db, k, k);
}

static void remove_copy(tl_db *db, int k)
{
    char path[32];
    snprintf(path, sizeof path, "wire/%03d.txt", k);
    size_t n = 0;
    cr_assert_eq(tl_remove(db, path, &n), TL_OK, "%s", tl_db_errmsg(db));
    cr_assert_eq(n, 1, "%s", path);
}

enum { N_KEPT = 42 };

/* The copies a database holds: text[k] is the copy whose text is under
 * the path of copy k, or -1. */
typedef struct kept_set {
    int text[N_KEPT];
} kept_set;

/* Expects conn's timeline to be the one a new database gets from the
 * copies in set, ingested newest first. */
static void expect_as_new(sqlite3 *conn, const kept_set *set, const char *step)
{
    tl_db fresh;
    open_mem(&fresh);
    for (int k = N_KEPT - 1; k >= 0; k--)
        if (set->text[k] >= 0)
            ingest_copy_as(&fresh, k, set->text[k]);
    char *kept = timeline_rows(conn), *made = timeline_rows(fresh.conn);
    cr_assert(kept && made);
    cr_expect_str_eq(kept, made, "after %s the kept timeline differs from a new one", step);
    free(kept);
    free(made);
    tl_db_close(&fresh);
}

/* The clustering keeps the events it has read, and the components it has
 * clustered, and updates grown clusters in place.  Whatever one connection
 * has seen -- removals that free the newest event ids for reuse, another
 * connection's writes, a rolled-back ingest, a replaced document -- the
 * timeline must be the one a new database gets from the documents left, at
 * every step; with the event cache at its size, and so small that its
 * generations turn over at every document or that events are left out of
 * it; with components kept from their first event, kept only while small,
 * or not kept. */
typedef struct cache_case {
    size_t events;             /* the event cache's generations (0: its size) */
    size_t comp_min, comp_max; /* kept components (0: the defaults; max 1: none) */
    int comp_hits;             /* 1: kept components must serve refreshes; -1: none may */
    int64_t ord_gap;           /* the step between sources' sort keys (0: the default) */
} cache_case;
static cache_case cache_cases[] = {
    {0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {3, 0, 0, 0, 0},  {17, 0, 0, 0, 0}, /* (1: an event with two participants is not kept) */
    {0, 1, 0, 1, 0}, {3, 1, 0, 1, 0}, {0, 1, 40, 0, 0}, {0, 0, 1, -1, 0},
    {0, 1, 0, 1, 2}, {0, 0, 1, -1, 3}, /* (keys 2 or 3 apart: little room, numbered again often) */
};
ParameterizedTestParameters(merge, a_timeline_kept_up_through_removals_rollbacks_and_other_writers_equals_a_new_one)
{
    return cr_make_param_array(cache_case, cache_cases, sizeof cache_cases / sizeof cache_cases[0]);
}

ParameterizedTest(cache_case *cc, merge,
                  a_timeline_kept_up_through_removals_rollbacks_and_other_writers_equals_a_new_one,
                  .init = make_tmpdir, .fini = remove_tmpdir)
{
    const size_t *cache_events = &cc->events;
    char path[128];
    snprintf(path, sizeof path, "%s/kept.db", tmpdir);
    kept_set set;
    for (int k = 0; k < N_KEPT; k++)
        set.text[k] = -1;
    tl_db a, b;
    tl_db_init(&a);
    cr_assert_eq(tl_db_open(&a, path, TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&a));
    cr_assert_eq(tl__evcache_limit(&a, *cache_events, *cache_events ? 4096 : 0), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&a, cc->comp_min, cc->comp_max, cc->ord_gap), SQLITE_OK);
    for (int k = 0; k < 30; k++)
        ingest_copy(&a, k), set.text[k] = k;
    expect_as_new(a.conn, &set, "30 copies");
    if (cc->comp_hits > 0)
        cr_expect_gt(tl__comp_hits(&a), 10, "kept components served %llu refreshes",
                     (unsigned long long)tl__comp_hits(&a));
    else if (cc->comp_hits < 0)
        cr_expect_eq(tl__comp_hits(&a), 0);
    /* big clusters, conflicts and more than one happening, or this test
     * means little */
    cr_expect_geq(count(&a, "SELECT max(n_sources) FROM timeline_events"), 30);
    cr_expect_geq(count(&a, "SELECT count(*) FROM timeline_conflicts"), 10);
    cr_expect_geq(count(&a, "SELECT count(*) FROM timeline_events"), 3);

    /* the newest documents go, and the next ones take their event ids */
    remove_copy(&a, 29), set.text[29] = -1;
    remove_copy(&a, 28), set.text[28] = -1;
    for (int k = 30; k < 35; k++)
        ingest_copy(&a, k), set.text[k] = k;
    expect_as_new(a.conn, &set, "removing the newest two and adding five");

    /* an ingest that fails while it writes the timeline (after reading its
     * events) is rolled back; the next document takes the same ids */
    sx_doc bad;
    varied_copy(&bad, 38);
    fail_inserts(a.conn, "timeline_sources");
    cr_expect_eq(tl_ingest(&a, &bad, NULL), TL_ESQL);
    allow_inserts(a.conn, "timeline_sources");
    sx_doc_free(&bad);
    ingest_copy(&a, 39), set.text[39] = 39;
    expect_as_new(a.conn, &set, "a rolled-back ingest");

    /* a changed text under a known path replaces that document, and when
     * it was the newest, the new text takes its ids */
    ingest_copy_as(&a, 5, 41), set.text[5] = 41;
    ingest_copy(&a, 40), set.text[40] = 40;
    expect_as_new(a.conn, &set, "a replacement");
    ingest_copy_as(&a, 40, 38), set.text[40] = 38;
    expect_as_new(a.conn, &set, "replacing the newest document");

    /* a removal that fails while it rewrites the clusters is rolled back,
     * and the next ingest still sees every source where it is */
    fail_inserts(a.conn, "timeline_sources");
    size_t n_removed = 9;
    cr_expect_eq(tl_remove(&a, "wire/010.txt", &n_removed), TL_ESQL);
    cr_expect(strstr(tl_db_errmsg(&a), "boom"), "%s", tl_db_errmsg(&a));
    allow_inserts(a.conn, "timeline_sources");
    ingest_copy(&a, 29), set.text[29] = 29;
    expect_as_new(a.conn, &set, "a rolled-back removal");

    /* another connection removes the newest document and gives its ids to
     * two others; then this one goes on */
    tl_db_init(&b);
    cr_assert_eq(tl_db_open(&b, path, 0), TL_OK, "%s", tl_db_errmsg(&b));
    remove_copy(&b, 40), set.text[40] = -1;
    ingest_copy(&b, 35), set.text[35] = 35;
    ingest_copy(&b, 36), set.text[36] = 36;
    tl_db_close(&b);
    ingest_copy(&a, 37), set.text[37] = 37;
    expect_as_new(a.conn, &set, "another connection's writes");
    tl_db_close(&a);
}

/* A kept component (cluster.c, tl__comp) clusters a new copy of its story
 * without gathering it again.  Whatever comes between -- a report that
 * adds a new kind of date to the story, one dated so coarsely that only
 * its own questions reach the story, a document reporting one meeting
 * twice, other stories -- the timeline must be the one a connection that
 * keeps nothing makes from the same documents, at every step. */
typedef struct kept_step {
    char kind; /* w: wire copy k; m: a report of July 2017; d: of the 2010s; t: of 7 July, twice;
                  h, k: of 7 July at 15:32, at 16:00; c: of both; n: of 9 July;
                  x: of 9 July and of 8 July at 9:00; y: of 7 July and of July 2017;
                  z: of the 2010s and of 7 July; q: of 7 July and of the 2010s */
    int k;
} kept_step;
typedef struct kept_case {
    char name[48];
    kept_step steps[40];
    int n;
    unsigned min_hits; /* refreshes kept components must serve */
} kept_case;

static void kept_doc(sx_doc *doc, kept_step st)
{
    if (st.kind == 'w') {
        varied_copy(doc, st.k);
        return;
    }
    char path[32], text[96];
    snprintf(path, sizeof path, "%c/%03d.txt", st.kind, st.k);
    snprintf(text, sizeof text, "Trump met Putin. Report %c%d says so.", st.kind, st.k);
    ev_spec ev[2] = {{MEET(DAY7, "text"), TWO}, {MEET(DAY7, "text"), TWO}};
    const ev_spec at1532 = {MEET("2017-07-07T15:32", "2017-07-07T15:32", "2017-07-07T15:32:59", "text"), TWO,
                            .time = "2017-07-07T15:32"},
                  at1600 = {MEET("2017-07-07T16:00", "2017-07-07T16:00", "2017-07-07T16:00:59", "text"), TWO,
                            .time = "2017-07-07T16:00"};
    if (st.kind == 'h' || st.kind == 'c')
        ev[0] = at1532;
    if (st.kind == 'k')
        ev[0] = at1600;
    if (st.kind == 'c')
        ev[1] = at1600;
    if (st.kind == 'y')
        ev[1] = (ev_spec){MEET("2017-07", "2017-07-01", "2017-08-01", "text"), TWO};
    if (st.kind == 'n' || st.kind == 'x')
        ev[0] = (ev_spec){MEET(DAY9, "text"), TWO};
    if (st.kind == 'x')
        ev[1] = (ev_spec){MEET("2017-07-08T09:00", "2017-07-08T09:00", "2017-07-08T09:00:59", "text"), TWO,
                          .time = "2017-07-08T09:00"};
    const ev_spec decade = {MEET("201X", "2010-01-01", "2020-01-01", "text"), TWO};
    if (st.kind == 'm')
        ev[0] = (ev_spec){MEET("2017-07", "2017-07-01", "2017-08-01", "text"), TWO};
    else if (st.kind == 'd' || st.kind == 'z')
        ev[0] = decade;
    if (st.kind == 'q')
        ev[1] = decade;
    build_doc(doc, path, text, ev, strchr("tcxyzq", st.kind) ? 2 : 1);
}

static kept_case kept_cases[] = {
    {"a_report_of_the_month_joins_a_kept_story",
     {{'w', 0}, {'w', 1}, {'w', 2}, {'w', 3}, {'w', 4}, {'w', 5}, {'w', 6}, {'w', 7}, {'w', 8}, {'w', 9},
      {'m', 0}, {'w', 10}, {'w', 11}, {'w', 12}, {'w', 13}, {'m', 1}, {'w', 14}, {'w', 15}, {'w', 16}},
     19, 2},
    {"a_day_inside_a_kept_decade",
     {{'d', 0}, {'d', 1}, {'d', 2}, {'d', 3}, {'w', 1}, {'d', 4}, {'d', 5}, {'w', 4}, {'d', 6}, {'d', 7},
      {'w', 5}, {'w', 6}, {'w', 7}, {'w', 8}, {'d', 8}, {'w', 9}},
     16, 2},
    {"one_document_reporting_a_kept_meeting_twice",
     {{'w', 0}, {'w', 1}, {'w', 2}, {'w', 3}, {'w', 4}, {'w', 5}, {'t', 0}, {'w', 6}, {'w', 7}, {'t', 1}, {'w', 8}},
     11, 2},
    {"meetings_at_a_time_of_day_among_kept_copies",
     {{'h', 0}, {'k', 0}, {'c', 0}, {'w', 0}, {'w', 1}, {'w', 2}, {'w', 3}, {'h', 1}, {'w', 4}, {'w', 5},
      {'k', 1}, {'c', 1}, {'w', 6}, {'w', 7}, {'h', 2}, {'w', 8}, {'c', 2}, {'w', 9}},
     18, 0}, /* (a part with a time of day is not kept: its questions compare minutes, clusters days) */
    {"a_kept_copy_with_a_timed_report_a_day_before",
     {{'n', 0}, {'n', 1}, {'n', 2}, {'n', 3}, {'n', 4}, {'x', 0}, {'n', 5}, {'x', 1}, {'n', 6}},
     9, 2},
    {"a_kept_copy_that_also_reports_the_month",
     {{'w', 0}, {'w', 1}, {'w', 2}, {'w', 3}, {'y', 0}, {'w', 4}, {'w', 5}, {'y', 1}, {'w', 6}, {'y', 2}, {'w', 7}},
     11, 4},
    {"stories_in_turn",
     {{'w', 0}, {'w', 1}, {'w', 2}, {'d', 0}, {'d', 1}, {'w', 3}, {'w', 4}, {'d', 2}, {'m', 0}, {'w', 5},
      {'d', 3}, {'w', 6}, {'t', 0}, {'w', 7}, {'m', 1}, {'w', 8}, {'d', 4}, {'w', 9}},
     18, 2},
    {"a_decade_and_a_day_in_one_document",
     {{'w', 0}, {'w', 1}, {'w', 2}, {'w', 3}, {'z', 0}, {'w', 4}, {'q', 0}, {'w', 5}, {'d', 0}, {'z', 1},
      {'w', 6}, {'q', 1}, {'y', 0}, {'w', 7}, {'c', 0}, {'z', 2}},
     16, 0},
};

ParameterizedTestParameters(merge, a_kept_component_clusters_as_a_gather_would)
{
    return cr_make_param_array(kept_case, kept_cases, sizeof kept_cases / sizeof kept_cases[0]);
}

/* Ingests kc's steps into a and b, expecting the same timeline after each
 * (label names the pair in messages). */
static void same_timelines_through(tl_db *a, tl_db *b, const kept_case *kc, const char *label)
{
    for (int i = 0; i < kc->n; i++) {
        sx_doc d;
        kept_doc(&d, kc->steps[i]);
        ingest_ok(a, &d);
        ingest_ok(b, &d);
        sx_doc_free(&d);
        char *x = timeline_rows(a->conn), *y = timeline_rows(b->conn);
        cr_assert(x && y);
        cr_expect_str_eq(x, y, "%s (%s): after step %d (%c%d) the timelines differ:\n%s\n--\n%s", kc->name, label, i,
                         kc->steps[i].kind, kc->steps[i].k, x, y);
        free(x);
        free(y);
    }
}

ParameterizedTest(kept_case *kc, merge, a_kept_component_clusters_as_a_gather_would)
{
    tl_db kept, none;
    open_mem(&kept);
    open_mem(&none);
    cr_assert_eq(tl__comp_limit(&kept, 1, 0, 0), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
    same_timelines_through(&kept, &none, kc, "kept against none");
    cr_expect_geq(tl__comp_hits(&kept), kc->min_hits, "%s: kept components served %llu refreshes", kc->name,
                 (unsigned long long)tl__comp_hits(&kept));
    cr_expect_eq(tl__comp_hits(&none), 0);
    tl_db_close(&kept);
    tl_db_close(&none);
}

/* Kept parts of about one size do not take each other's place (keeping a
 * part copies it): three stories reported in turn, each of which would fit
 * the bound on kept events alone but not all three, are kept once each
 * while they grow, and then not again -- the ones left out are gathered,
 * and the timeline is the one a connection that keeps nothing makes. */
Test(merge, kept_parts_of_one_size_do_not_take_turns)
{
    static const char *const days[3][3] = {{"2013-03-03", "2013-03-03", "2013-03-04"},
                                          {"2017-07-07", "2017-07-07", "2017-07-08"},
                                          {"2021-05-05", "2021-05-05", "2021-05-06"}};
    tl_db kept, none;
    open_mem(&kept);
    open_mem(&none);
    cr_assert_eq(tl__comp_limit(&kept, 1, 25, 0), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
    uint64_t keeps_at_8 = 0;
    for (int k = 0; k < 16; k++) {
        if (k == 8)
            keeps_at_8 = tl__comp_keeps(&kept);
        for (int story = 0; story < 3; story++) {
            char path[32], text[96];
            snprintf(path, sizeof path, "story%d/%03d.txt", story, k);
            snprintf(text, sizeof text, "Trump met Putin. Story %d, copy %d.", story, k);
            const ev_spec ev = {MEET(days[story][0], days[story][1], days[story][2], "text"), TWO};
            sx_doc d;
            build_doc(&d, path, text, &ev, 1);
            ingest_ok(&kept, &d);
            ingest_ok(&none, &d);
            sx_doc_free(&d);
        }
    }
    char *a = timeline_rows(kept.conn), *b = timeline_rows(none.conn);
    cr_assert(a && b);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    /* (a story has k events after round k: the three fit the bound of 25 events until round 8, two after) */
    cr_expect_eq(tl__comp_keeps(&kept), keeps_at_8, "parts were kept %llu times after round 8 (%llu before)",
                 (unsigned long long)(tl__comp_keeps(&kept) - keeps_at_8), (unsigned long long)keeps_at_8);
    cr_expect_gt(tl__comp_hits(&kept), 8, "kept parts served %llu refreshes", (unsigned long long)tl__comp_hits(&kept));
    tl_db_close(&kept);
    tl_db_close(&none);
}

/* A refresh gathers and clusters the components of a document one at a
 * time (cluster.c, tl__rebuild_apart), so that it holds one in memory;
 * that must be what gathering them all at once makes.  Through the same
 * steps, with kept parts and without, a connection that gathers apart and
 * one that gathers whole agree at every step: times of day and decades
 * (whose questions do not answer alike both ways) among days, and a
 * document with a decade and a day, in either order. */
ParameterizedTestParameters(merge, components_clustered_apart_as_together)
{
    return cr_make_param_array(kept_case, kept_cases, sizeof kept_cases / sizeof kept_cases[0]);
}

ParameterizedTest(kept_case *kc, merge, components_clustered_apart_as_together)
{
    for (int keep = 0; keep < 2; keep++) {
        tl_db apart, whole;
        open_mem(&apart);
        open_mem(&whole);
        cr_assert_eq(tl__comp_limit(&apart, keep ? 1 : 0, keep ? 0 : 1, 0), SQLITE_OK);
        cr_assert_eq(tl__comp_limit(&whole, keep ? 1 : 0, keep ? 0 : 1, 0), SQLITE_OK);
        cr_assert_eq(tl__gather_apart(&whole, 0), SQLITE_OK);
        same_timelines_through(&apart, &whole, kc, keep ? "apart against whole, kept parts" : "apart against whole");
        tl_db_close(&apart);
        tl_db_close(&whole);
    }
}

/* A replacement whose new events take the deleted events' ids (the
 * replaced document was the newest): the seed of a deleted event must
 * still ask its own questions, though a new event with its id may have
 * been gathered already.  Its old neighbour's cluster must lose the
 * deleted source, as in a database that never saw the old text, whether
 * components are gathered apart or at once. */
Test(merge, a_replacement_whose_events_take_the_old_ids)
{
    const ev_spec T = {MEET("2013-03-03", "2013-03-03", "2013-03-04", "text"), TWO};
    const ev_spec S = {MEET(DAY7, "text"), TWO};
    const ev_spec X = {MEET("2021-05-05", "2021-05-05", "2021-05-06", "text"), TWO};
    const ev_spec old_d[2] = {S, T}, new_d[2] = {X, S};
    tl_db apart, whole, fresh;
    open_mem(&apart);
    open_mem(&whole);
    open_mem(&fresh);
    cr_assert_eq(tl__gather_apart(&whole, 0), SQLITE_OK);
    tl_db *dbs[3] = {&apart, &whole, &fresh};
    for (int i = 0; i < 3; i++) {
        sx_doc d;
        build_doc(&d, "other.txt", "Trump met Putin. Other.", &T, 1);
        ingest_ok(dbs[i], &d);
        sx_doc_free(&d);
        if (i < 2) {
            build_doc(&d, "d.txt", "Trump met Putin. Old text.", old_d, 2);
            ingest_ok(dbs[i], &d);
            sx_doc_free(&d);
        }
        build_doc(&d, "d.txt", "Trump met Putin. New text.", new_d, 2);
        ingest_ok(dbs[i], &d);
        sx_doc_free(&d);
    }
    cr_expect_eq(count(&apart, "SELECT count(*) FROM events WHERE id IN (2, 3)"), 2, "the new events took other ids");
    char *a = timeline_rows(apart.conn), *b = timeline_rows(whole.conn), *f = timeline_rows(fresh.conn);
    cr_assert(a && b && f);
    cr_expect_str_eq(b, f, "gathered at once:\n%s\n-- fresh:\n%s", b, f);
    cr_expect_str_eq(a, f, "gathered apart:\n%s\n-- fresh:\n%s", a, f);
    free(a);
    free(b);
    free(f);
    tl_db_close(&apart);
    tl_db_close(&whole);
    tl_db_close(&fresh);
}

/* Random documents -- days, adjacent days, a month, a year, a decade,
 * times of day, planned meetings, two pairs of participants or one --
 * ingested, replaced and removed in turn: a connection that gathers a
 * document's components apart (and keeps parts, under small bounds) and
 * one that gathers them at once must agree after every step. */
static unsigned rnd_next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void random_doc(sx_doc *d, unsigned *s, const char *path, int serial)
{
    static const char *const dates[][4] = {
        {"2017-07-07", "2017-07-07", "2017-07-08", NULL},
        {"2017-07-08", "2017-07-08", "2017-07-09", NULL},
        {"2017-07-09", "2017-07-09", "2017-07-10", NULL},
        {"2017-07", "2017-07-01", "2017-08-01", NULL},
        {"2017-07-07T15:32", "2017-07-07T15:32", "2017-07-07T15:32:59", "2017-07-07T15:32"},
        {"2017-07-08T09:00", "2017-07-08T09:00", "2017-07-08T09:00:59", "2017-07-08T09:00"},
        {"201X", "2010-01-01", "2020-01-01", NULL},
        {"2013-03-03", "2013-03-03", "2013-03-04", NULL},
        {"2013-03-04", "2013-03-04", "2013-03-05", NULL},
        {"2017", "2017-01-01", "2018-01-01", NULL},
    };
    static const char *const sources[] = {"text", "narrative", "dct"};
    static const int pairs[][2] = {{0, 1}, {0, 1}, {0, 2}, {1, 2}, {0, -1}, {1, -1}};
    ev_spec ev[3];
    const size_t n = 1 + rnd_next(s) % 3;
    for (size_t i = 0; i < n; i++) {
        const int di = (int)(rnd_next(s) % 10), pi = (int)(rnd_next(s) % 6);
        ev[i] = (ev_spec){MEET(dates[di][0], dates[di][1], dates[di][2], sources[rnd_next(s) % 3])};
        ev[i].time = dates[di][3];
        if (rnd_next(s) % 5 == 0)
            ev[i].status = "planned";
        ev[i].n_part = pairs[pi][1] < 0 ? 1 : 2;
        ev[i].actor[0] = pairs[pi][0];
        ev[i].actor[1] = pairs[pi][1] < 0 ? 0 : pairs[pi][1];
        ev[i].role[0] = ev[i].role[1] = "participant";
    }
    char text[96];
    snprintf(text, sizeof text, "Trump met Putin. Serial %d.", serial);
    build_doc(d, path, text, ev, n);
}

typedef struct random_case {
    unsigned seed;
    size_t cache_events, comp_max; /* 0: the defaults */
} random_case;

ParameterizedTestParameters(merge, random_documents_clustered_apart_as_together)
{
    static random_case cases[64];
    static const size_t cache[] = {0, 1, 3, 0}, comp[] = {0, 0, 0, 6};
    for (int i = 0; i < 64; i++)
        cases[i] = (random_case){(unsigned)(100 + i / 4), cache[i % 4], comp[i % 4]};
    return cr_make_param_array(random_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(random_case *rc, merge, random_documents_clustered_apart_as_together)
{
    unsigned s = rc->seed * 7919u;
    tl_db apart, whole;
    open_mem(&apart);
    open_mem(&whole);
    cr_assert_eq(tl__evcache_limit(&apart, rc->cache_events, rc->cache_events ? 4096 : 0), SQLITE_OK);
    cr_assert_eq(tl__evcache_limit(&whole, rc->cache_events, rc->cache_events ? 4096 : 0), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&apart, 1, rc->comp_max, 0), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&whole, 0, 1, 0), SQLITE_OK);
    cr_assert_eq(tl__gather_apart(&whole, 0), SQLITE_OK);
    int present[10] = {0}, last = 0;
    for (int step = 0; step < 80; step++) {
        const int k = rnd_next(&s) % 3 == 0 ? last : (int)(rnd_next(&s) % 10);
        last = k;
        char path[32];
        snprintf(path, sizeof path, "r/%d.txt", k);
        int op;
        if (present[k] && rnd_next(&s) % 4 == 0) {
            size_t n1 = 0, n2 = 0;
            cr_assert_eq(tl_remove(&apart, path, &n1), TL_OK);
            cr_assert_eq(tl_remove(&whole, path, &n2), TL_OK);
            present[k] = 0;
            op = 'r';
        } else {
            sx_doc d;
            random_doc(&d, &s, path, step);
            ingest_ok(&apart, &d);
            ingest_ok(&whole, &d);
            sx_doc_free(&d);
            op = present[k] ? 'p' : 'i';
            present[k] = 1;
        }
        char what[80];
        snprintf(what, sizeof what, "seed %u, step %d (%c %s)", rc->seed, step, op, path);
        assert_same_rows(&apart, &whole, what);
    }
    tl_db_close(&apart);
    tl_db_close(&whole);
}

/* The event cache keeps what the reports of one happening share once, as
 * a shape (cluster.c).  A report that differs from the others in one
 * participant or one string keeps its own, so the timeline is the one a
 * connection that caches none of these events makes, after every
 * document; and reports that differ in nothing share one. */
typedef struct shape_case {
    const char *name;
    ev_spec ev;
} shape_case;
static const shape_case shape_cases[] = {
    {"the_first", {MEET(DAY7, "text"), TWO}},
    {"a_host", {MEET(DAY7, "text"), .n_part = 2, .actor = {0, 1}, .role = {"host", "participant"}}},
    {"an_attendee", {MEET(DAY7, "text"), .n_part = 2, .actor = {0, 1}, .role = {"participant", "attendee"}}},
    {"the_other_order", {MEET(DAY7, "text"), .n_part = 2, .actor = {1, 0}, .role = {"participant", "participant"}}},
    {"one_more", {MEET(DAY7, "text"), .n_part = 3, .actor = {0, 1, 2}, .role = {"participant", "participant", "guest"}}},
    {"a_country_for_a_person", {MEET(DAY7, "text"), .n_part = 2, .actor = {0, 2}, .role = {"participant", "participant"}}},
    {"a_place", {MEET(DAY7, "text"), TWO, .location = "Hamburg"}},
    {"a_duration", {MEET(DAY7, "text"), TWO, .duration = "PT2H16M"}},
    {"an_approximate_duration", {MEET(DAY7, "text"), TWO, .duration = "PT2H16M", .duration_mod = "APPROX"}},
    {"a_plan", {MEET(DAY7, "text"), TWO, .planned = "PT30M"}},
    {"planned", {MEET(DAY7, "text"), TWO, .status = "planned"}},
    {"from_the_narrative", {MEET(DAY7, "narrative"), TWO}},
    {"the_next_day", {MEET(DAY8, "text"), TWO}},
    {"at_a_time", {MEET("2017-07-07T15:32", "2017-07-07T15:32", "2017-07-07T15:32:59", "text"), TWO,
                   .time = "2017-07-07T15:32"}},
};
#define N_SHAPE_CASES (sizeof shape_cases / sizeof shape_cases[0])

Test(merge, reports_that_differ_in_one_field_keep_their_own_shape_in_the_cache)
{
    tl_db cached, none;
    open_mem(&cached);
    open_mem(&none);
    cr_assert_eq(tl__evcache_limit(&none, 1, 4096), SQLITE_OK); /* (keeps no event of two participants) */
    cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < N_SHAPE_CASES; i++) {
            /* each round in another order, so each case follows others */
            const size_t c = round == 1 ? N_SHAPE_CASES - 1 - i : (i * (size_t)(round + 1)) % N_SHAPE_CASES;
            char path[48], text[96];
            snprintf(path, sizeof path, "s/%d-%02zu.txt", round, c);
            snprintf(text, sizeof text, "Trump met Putin. Report %d of %s.", round, shape_cases[c].name);
            sx_doc d;
            build_doc(&d, path, text, &shape_cases[c].ev, 1);
            ingest_ok(&cached, &d);
            ingest_ok(&none, &d);
            sx_doc_free(&d);
            char what[80];
            snprintf(what, sizeof what, "round %d, after %s the timelines differ", round, shape_cases[c].name);
            cr_assert(assert_same_rows(&cached, &none, what), "%s: no timeline", what);
        }
    size_t events = 0, shapes = 0, bytes = 0;
    tl__evcache_sizes(&cached, &events, &shapes, &bytes);
    cr_expect_geq(events, 3 * N_SHAPE_CASES, "%zu events cached", events);
    cr_expect_leq(shapes, N_SHAPE_CASES, "%zu events have %zu shapes", events, shapes);
    cr_expect_geq(shapes, N_SHAPE_CASES - 1, "%zu events have %zu shapes", events, shapes); /* (the order may be the store's) */
    tl_db_close(&cached);
    tl_db_close(&none);
}

/* Events without participants are cached too, from a new connection's
 * first document on, and those of one shape share it (a review found the
 * first such event refused as if memory had run out, which emptied the
 * generation); and a new connection's second write keeps what its first
 * cached (the cache, made by the first, took its data version for
 * another connection's write). */
Test(merge, events_without_participants_are_cached_and_share_a_shape)
{
    tl_db cached, none;
    open_mem(&cached);
    open_mem(&none);
    cr_assert_eq(tl__evcache_limit(&none, 1, 4096), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
    const ev_spec said = {.type = "statement", .status = "occurred", .summary = "Words.", .trigger = "met"};
    const ev_spec ev[3] = {said, said, {MEET(DAY7, "text"), TWO}};
    for (int k = 0; k < 4; k++) {
        char path[32], text[64];
        snprintf(path, sizeof path, "z/%d.txt", k);
        snprintf(text, sizeof text, "Trump met Putin. Statement %d.", k);
        sx_doc d;
        build_doc(&d, path, text, k < 2 ? ev : ev + 1, 2); /* two statements, then one and a meeting */
        ingest_ok(&cached, &d);
        ingest_ok(&none, &d);
        sx_doc_free(&d);
        size_t events = 0, shapes = 0, bytes = 0;
        tl__evcache_sizes(&cached, &events, &shapes, &bytes);
        cr_expect_eq(events, 2 * (size_t)k + 2, "after document %d: %zu events cached", k, events);
        char what[64];
        snprintf(what, sizeof what, "after document %d the timelines differ", k);
        assert_same_rows(&cached, &none, what);
    }
    size_t events = 0, shapes = 0, bytes = 0;
    tl__evcache_sizes(&cached, &events, &shapes, &bytes);
    cr_expect_eq(events, 8, "%zu events cached", events);
    cr_expect_leq(shapes, 2, "%zu events have %zu shapes", events, shapes); /* (a statement's and a meeting's) */
    tl_db_close(&cached);
    tl_db_close(&none);
}

/* The cache's bound on bytes counts shapes and participants, not only
 * strings: events that share no shape (each its own place here) turn a
 * generation over by their bytes, so the cache takes no more memory than
 * it is allowed however little the text repeats; events that share one
 * shape take a third of the bytes each, and more of them are kept.
 * Before, only the strings counted: 160 events of their own shapes took
 * more than twice what the cache was allowed, and nearly as many of them
 * were kept (128) as of one shape (170). */
Test(merge, events_that_share_no_shape_turn_a_generation_over_by_their_bytes)
{
    enum { N = 160, BOUND = 8192, ONE_EVENT = 512 };
    size_t kept[2] = {0, 0}; /* the most events cached at once: [0] of one shape, [1] each of its own */
    for (int distinct = 0; distinct < 2; distinct++) {
        tl_db cached, none;
        open_mem(&cached);
        open_mem(&none);
        cr_assert_eq(tl__evcache_limit(&cached, 4 * N, BOUND), SQLITE_OK);
        cr_assert_eq(tl__comp_limit(&cached, 0, 1, 0), SQLITE_OK);
        cr_assert_eq(tl__evcache_limit(&none, 1, 4096), SQLITE_OK);
        cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
        size_t events = 0, shapes = 0, bytes = 0, most = 0, most_events = 0;
        for (int k = 0; k < N; k++) {
            char path[32], text[64], place[32];
            snprintf(path, sizeof path, "b/%d.txt", k);
            snprintf(text, sizeof text, "Trump met Putin. Report %d.", k);
            snprintf(place, sizeof place, "Place %d", distinct ? k : 0);
            ev_spec meet = {MEET(DAY7, "text"), TWO};
            meet.location = place;
            sx_doc d;
            build_doc(&d, path, text, &meet, 1);
            ingest_ok(&cached, &d);
            ingest_ok(&none, &d);
            sx_doc_free(&d);
            tl__evcache_sizes(&cached, &events, &shapes, &bytes);
            if (bytes > most)
                most = bytes;
            if (events > most_events)
                most_events = events;
        }
        cr_expect_leq(most, 2 * (BOUND + ONE_EVENT), "%s shapes: the cache took %zu bytes",
                      distinct ? "distinct" : "shared", most);
        if (distinct)
            cr_expect_eq(shapes, events, "%zu events of their own places have %zu shapes", events, shapes);
        else
            cr_expect_leq(shapes, 2, "%zu events of one place have %zu shapes", events, shapes);
        kept[distinct] = most_events;
        assert_same_rows(&cached, &none, distinct ? "distinct shapes" : "one shape");
        tl_db_close(&cached);
        tl_db_close(&none);
    }
    cr_expect_gt(kept[0], 2 * kept[1], "in the same bytes, at most %zu events of one shape, %zu of their own",
                 kept[0], kept[1]);
}

/* What the benchmark's "events loaded" line counts: a report loads the
 * earlier reports of its happening (its component), from the event cache
 * when it holds them, else from SQLite.  With the cache, each stored event
 * is read from SQLite once; without it, every load is a read.  Either way
 * the loads are the same, and so is the timeline. */
Test(merge, a_report_loads_its_happenings_reports_and_the_cache_reads_each_once)
{
    tl_db cached, none;
    open_mem(&cached);
    open_mem(&none);
    cr_assert_eq(tl__comp_limit(&cached, 0, 1, 0), SQLITE_OK); /* (no kept parts: every report gathers) */
    cr_assert_eq(tl__evcache_limit(&none, 1, 4096), SQLITE_OK);
    cr_assert_eq(tl__comp_limit(&none, 0, 1, 0), SQLITE_OK);
    const ev_spec meet = {MEET(DAY7, "text"), TWO};
    uint64_t c_cache = 0, c_sql = 0, n_cache = 0, n_sql = 0;
    for (int k = 0; k < 12; k++) {
        char path[32], text[64];
        snprintf(path, sizeof path, "load/%d.txt", k);
        snprintf(text, sizeof text, "Trump met Putin. Report %d.", k);
        sx_doc d;
        build_doc(&d, path, text, &meet, 1);
        ingest_ok(&cached, &d);
        ingest_ok(&none, &d);
        sx_doc_free(&d);
        tl__load_counts(&cached, &c_cache, &c_sql);
        tl__load_counts(&none, &n_cache, &n_sql);
        const uint64_t loaded = (uint64_t)(k + 1) * (uint64_t)(k + 2) / 2; /* report j loads j + 1 events */
        cr_expect_eq(c_sql, (uint64_t)k + 1, "after report %d: %llu events read from SQLite with the cache", k,
                     (unsigned long long)c_sql);
        cr_expect_eq(c_cache + c_sql, loaded, "after report %d: %llu events loaded", k,
                     (unsigned long long)(c_cache + c_sql));
        cr_expect_eq(n_cache, 0, "after report %d: %llu events found in a cache that keeps none of them", k,
                     (unsigned long long)n_cache);
        cr_expect_eq(n_sql, loaded, "after report %d: %llu events read from SQLite without the cache", k,
                     (unsigned long long)n_sql);
        char what[64];
        snprintf(what, sizeof what, "after report %d the timelines differ", k);
        assert_same_rows(&cached, &none, what);
    }
    cr_expect_eq(count(&cached, "SELECT max(n_sources) FROM timeline_events"), 12);
    tl_db_close(&cached);
    tl_db_close(&none);
}

/* A new report of a well-reported happening writes its own source row:
 * the sources it ranks before keep their sort keys (ord), so the cost of
 * a report does not grow with the happening.  In a cluster whose lead
 * stays, no stored source changes; in every cluster the lead's key is 0
 * and the keys give the rank order timeline_rows reads. */
Test(merge, a_new_report_writes_its_own_source_row_not_the_others)
{
    tl_db db;
    open_mem(&db);
    for (int k = 0; k < 30; k++)
        ingest_copy(&db, k);
    int same_lead = 0;
    for (int k = 30; k < 42; k++) {
        cr_assert_eq(sqlite3_exec(db.conn,
                                  "CREATE TEMP TABLE before AS SELECT event_id, timeline_event_id, ord, date_relation"
                                  " FROM timeline_sources;"
                                  "CREATE TEMP TABLE leads AS SELECT id, lead_event_id FROM timeline_events",
                                  NULL, NULL, NULL),
                     SQLITE_OK, "%s", sqlite3_errmsg(db.conn));
        ingest_copy(&db, k);
        same_lead += count(&db, "SELECT count(*) FROM temp.leads l JOIN timeline_events te ON te.id = l.id"
                                " WHERE te.lead_event_id = l.lead_event_id AND te.n_sources >= 10") > 0;
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources s JOIN temp.before b ON b.event_id = s.event_id"
                                " JOIN temp.leads l ON l.id = s.timeline_event_id"
                                " JOIN timeline_events te ON te.id = l.id AND te.lead_event_id = l.lead_event_id"
                                " WHERE s.ord <> b.ord OR s.date_relation <> b.date_relation"
                                " OR s.timeline_event_id <> b.timeline_event_id"),
                     0, "copy %d moved sources of a cluster whose lead stayed", k);
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources s JOIN timeline_events te"
                                " ON te.id = s.timeline_event_id WHERE (s.event_id = te.lead_event_id) <> (s.ord = 0)"),
                     0, "copy %d: a lead without key 0, or another source with it", k);
        cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_sources s JOIN timeline_sources t"
                                " ON t.timeline_event_id = s.timeline_event_id AND t.ord = s.ord AND t.event_id <> s.event_id"),
                     0, "copy %d: two sources of one cluster share a key", k);
        cr_assert_eq(sqlite3_exec(db.conn, "DROP TABLE temp.before; DROP TABLE temp.leads", NULL, NULL, NULL), SQLITE_OK);
    }
    cr_expect_geq(same_lead, 8, "the big clusters' leads changed too often for this test to mean much");
    tl_db_close(&db);
}

/* The ingest's stage marks (tl__phase_hook), which the benchmark times. */
typedef struct marks {
    int v[16];
    int n;
} marks;

static void note_mark(void *ctx, int phase)
{
    marks *m = ctx;
    if (m->n < 16)
        m->v[m->n++] = phase;
}

Test(ingest, stage_marks_come_in_order_and_only_for_a_committed_document)
{
    tl_db db;
    sx_doc doc;
    marks m = {{0}, 0};
    open_mem(&db);
    tl__phase_hook(&db, note_mark, &m);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    cr_assert_eq(m.n, 5);
    cr_expect(m.v[0] == TL__PHASE_ROWS && m.v[1] == TL__PHASE_TIMELINE && m.v[2] == TL__PHASE_INDEX &&
              m.v[3] == TL__PHASE_COMMIT && m.v[4] == TL__PHASE_END);
    /* the same document again: nothing to cluster */
    m.n = 0;
    ingest_ok(&db, &doc);
    cr_assert_eq(m.n, 3);
    cr_expect(m.v[0] == TL__PHASE_ROWS && m.v[1] == TL__PHASE_COMMIT && m.v[2] == TL__PHASE_END);
    /* a failed ingest is never marked committed */
    sx_doc other;
    build_doc(&other, "news/other.txt", "Trump met Putin. Another text.", BASE_EVENTS, 1);
    fail_inserts(db.conn, "timeline_sources");
    m.n = 0;
    cr_expect_eq(tl_ingest(&db, &other, NULL), TL_ESQL);
    allow_inserts(db.conn, "timeline_sources");
    cr_expect(m.n > 0 && m.v[m.n - 1] != TL__PHASE_END);
    /* and the marks stop when the hook goes */
    tl__phase_hook(&db, NULL, NULL);
    m.n = 0;
    ingest_ok(&db, &other);
    cr_expect_eq(m.n, 0);
    sx_doc_free(&doc);
    sx_doc_free(&other);
    tl_db_close(&db);
}

/* ---- idempotence and removal ------------------------------------------------------------- */

Test(ingest, the_same_extraction_twice_writes_nothing)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    tl_ingest_info info;
    cr_assert_eq(tl_ingest_doc(&db, &doc, &info), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(info.outcome, TL_INGEST_NEW);
    const int64_t first = info.doc_id;
    char *keys = query_text(db.conn, "SELECT group_concat(id || key) FROM timeline_events", NULL);
    cr_assert_eq(tl_ingest_doc(&db, &doc, &info), TL_OK);
    cr_expect_eq(info.outcome, TL_INGEST_UNCHANGED);
    cr_expect_eq(info.doc_id, first);
    char *again = query_text(db.conn, "SELECT group_concat(id || key) FROM timeline_events", NULL);
    cr_expect_str_eq(again, keys, "the timeline was rewritten");
    /* the same text from stdin is the same document */
    free(doc.path);
    doc.path = dup_str("-");
    cr_assert_eq(tl_ingest_doc(&db, &doc, &info), TL_OK);
    cr_expect_eq(info.outcome, TL_INGEST_UNCHANGED);
    /* a different extraction of the same text replaces it */
    doc.dct.day = 9;
    cr_assert_eq(tl_ingest_doc(&db, &doc, &info), TL_OK);
    cr_expect_eq(info.outcome, TL_INGEST_REPLACED);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events"), (long long)N_BASE);
    free(keys);
    free(again);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(remove, by_path_by_sha256_and_by_prefix_and_the_timeline_follows)
{
    tl_db db;
    sx_doc a, b, c;
    ev_spec meet[1] = {{MEET(DAY7, "text"), TWO}};
    open_mem(&db);
    build_doc(&a, "a.txt", BASE_TEXT, meet, 1);
    build_doc(&b, "b.txt", "Trump met Putin. B.", meet, 1);
    build_doc(&c, "c.txt", "Trump met Putin. C.", meet, 1);
    ingest_ok(&db, &a);
    ingest_ok(&db, &b);
    ingest_ok(&db, &c);
    cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events"), 3);
    size_t n = 9;
    cr_expect_eq(tl_remove(&db, "a.txt", &n), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(n, 1);
    cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events"), 2);
    cr_expect_eq(count(&db, "SELECT count(*) FROM text_search WHERE doc_id = 1"), 0);
    cr_expect_eq(tl_remove(&db, b.sha256, &n), TL_OK);
    cr_expect_eq(n, 1);
    cr_expect_eq(count(&db, "SELECT n_sources FROM timeline_events"), 1);
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", c.sha256);
    cr_expect_eq(tl_remove(&db, prefix, &n), TL_OK);
    cr_expect_eq(n, 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events"), 0);
    cr_expect_eq(count(&db, "SELECT count(*) FROM documents"), 0);
    cr_expect_eq(tl_remove(&db, "nosuch.txt", &n), TL_OK);
    cr_expect_eq(n, 0);
    /* fake_sha repeats its 16 digits, so any two documents share no prefix;
     * an ambiguous prefix needs two documents starting alike */
    ingest_ok(&db, &a);
    ingest_ok(&db, &b);
    cr_expect_eq(tl_remove(&db, "zz", &n), TL_OK); /* too short to be a prefix: a path */
    cr_expect_eq(n, 0);
    sx_doc_free(&a);
    sx_doc_free(&b);
    sx_doc_free(&c);
    tl_db_close(&db);
}

/* ---- filters and Markdown ------------------------------------------------------------------- */

static char *chronology_of(tl_db *db, const tl_filter *f, tl_format fmt)
{
    capture c;
    cap_open(&c);
    cr_assert_eq(tl_chronology_filtered(db, f, fmt, c.f), TL_OK, "%s", tl_db_errmsg(db));
    cap_close(&c);
    return c.buf;
}

Test(chronology, filters_by_date_type_actor_and_pair)
{
    static const struct {
        tl_filter f;
        const char *has, *lacks;
    } rows[] = {
        {{.type = "visit"}, "visit (planned)", "  meeting"},
        {{.actor = "putin"}, "visit (planned)", "denial"},
        {{.actor = "Vladimir Putin"}, "  meeting", "denial"},
        {{.actor = "vladimir"}, "  meeting", "Warsaw"},
        {{.actor = "Put"}, "(no event matches)", "  meeting"},
        {{.between = {"Trump", "Russia"}}, "denial", "  meeting"},
        {{.between = {"Trump", "Putin"}}, "  meeting", "denial"},
        {{.from = "2017-07-07"}, "2017-07-07 (Friday)", "2017-07-06"},
        {{.to = "2017-06"}, "2016", "2017-07 (July)"},
        {{.from = "2017", .to = "2017-07-06"}, "2017-07 (July)", "Undated"},
        {{.from = "2017-07"}, "2017-07 (July)", "Undated"},
    };
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *s = chronology_of(&db, &rows[i].f, TL_FORMAT_TEXT);
        cr_expect(strstr(s, rows[i].has), "row %zu: no \"%s\" in:\n%s", i, rows[i].has, s);
        cr_expect(!strstr(s, rows[i].lacks), "row %zu: \"%s\" in:\n%s", i, rows[i].lacks, s);
        free(s);
    }
    static const char *const bad[] = {"2017-13", "July", "2017-02-30", "17"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tl_filter f = {.from = bad[i]};
        capture c;
        cap_open(&c);
        cr_expect_eq(tl_chronology_filtered(&db, &f, TL_FORMAT_TEXT, c.f), TL_EINVAL, "%s", bad[i]);
        cap_close(&c);
        cr_expect(strstr(tl_db_errmsg(&db), bad[i]), "%s", tl_db_errmsg(&db));
        free(c.buf);
    }
    tl_filter backwards = {.from = "2018", .to = "2017"};
    capture c;
    cap_open(&c);
    cr_expect_eq(tl_chronology_filtered(&db, &backwards, TL_FORMAT_TEXT, c.f), TL_EINVAL);
    cap_close(&c);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

Test(chronology, markdown_lists_sources_with_sentence_and_offsets)
{
    ev_spec ev[1] = {BASE_EVENTS[0]};
    ev[0].summary = "Trump *met* Putin_in [Hamburg].";
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, ev, 1);
    ingest_ok(&db, &doc);
    char *s = chronology_of(&db, NULL, TL_FORMAT_MARKDOWN);
    cr_expect(starts_with(s, "# summit timeline\n"), "%s", s);
    cr_expect(strstr(s, "\n## 2017-07-07 (Friday)\n\n- **meeting** \xE2\x80\x94 Donald Trump and Vladimir Putin in "
                        "Hamburg, Germany; lasted 2 h 16 min (planned 30 min)  \n"),
              "%s", s);
    cr_expect(strstr(s, "  Trump \\*met\\* Putin\\_in \\[Hamburg\\].  \n"), "%s", s);
    cr_expect(strstr(s, "  Sources: `news/g20.txt` (sentence 1, \"met\" at 13\xE2\x80\x93" "16)"), "%s", s);
    free(s);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- iCalendar ----------------------------------------------------------------------------- */

Test(export, ics_is_rfc5545_folded_escaped_and_leaves_out_undated_events)
{
    ev_spec ev[3] = {BASE_EVENTS[0], BASE_EVENTS[1], BASE_EVENTS[2]};
    /* long, non-ASCII and with every character TEXT must escape */
    ev[0].summary = "Trump; Putin, and \\ the \xE2\x80\x9C" "first\xE2\x80\x9D meeting: "
                    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                    "\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94"
                    " and more text to fold over several lines of the calendar file.";
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, ev, 3);
    ingest_ok(&db, &doc);
    capture c;
    cap_open(&c);
    size_t left = 0;
    cr_assert_eq(tl_export_filtered(&db, TL_FORMAT_ICS, NULL, c.f, &left), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);
    cr_expect_eq(left, 1, "the undated statement is left out");
    const char *s = c.buf;
    cr_expect(starts_with(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "%s", s);
    cr_expect(strstr(s, "END:VCALENDAR\r\n") && s[c.len - 1] == '\n', "%s", s);
    /* every line ends in CRLF and holds at most 75 octets; no fold splits a
     * UTF-8 sequence */
    size_t events = 0;
    char *unfolded = malloc(c.len + 1);
    cr_assert(unfolded);
    size_t u = 0;
    for (size_t i = 0; i < c.len;) {
        const char *nl = strstr(s + i, "\r\n");
        cr_assert(nl, "a line without CRLF at %zu", i);
        size_t len = (size_t)(nl - (s + i));
        cr_expect_leq(len, 75, "line too long: %.*s", (int)len, s + i);
        cr_expect(!memchr(s + i, '\n', len), "a bare LF");
        if (s[i] == ' ') {
            cr_expect(((unsigned char)s[i + 1] & 0xC0) != 0x80, "a fold inside a UTF-8 sequence");
            memcpy(unfolded + u - 1, s + i + 1, len - 1); /* drop the CRLF and the space */
            u += len - 1 - 1;
            unfolded[u++] = '\n';
        } else {
            memcpy(unfolded + u, s + i, len);
            u += len;
            unfolded[u++] = '\n';
        }
        if (!strncmp(s + i, "BEGIN:VEVENT", 12))
            events++;
        i += len + 2;
    }
    unfolded[u] = '\0';
    cr_expect_eq(events, 2);
    char uid[64];
    snprintf(uid, sizeof uid, "\nUID:%.16s-e1@summit\n", doc.sha256);
    cr_expect(strstr(unfolded, uid), "%s", unfolded);
    cr_expect(strstr(unfolded, "\nDTSTAMP:20170707T000000Z\nDTSTART;VALUE=DATE:20170707\nDURATION:P1D\n"), "%s",
              unfolded);
    cr_expect(strstr(unfolded, "\nDTSTART:20170706T103000\n"), "the timed statement: %s", unfolded);
    cr_expect(strstr(unfolded, "\nLOCATION:Hamburg\\, Germany\n"), "%s", unfolded);
    cr_expect(strstr(unfolded, "\nSUMMARY:meeting: Donald Trump\\, Vladimir Putin\n"), "%s", unfolded);
    cr_expect(strstr(unfolded, "DESCRIPTION:Trump\\; Putin\\, and \\\\ the \xE2\x80\x9C" "first\xE2\x80\x9D"),
              "%s", unfolded);
    cr_expect(strstr(unfolded, "\nSTATUS:CONFIRMED\n"), "%s", unfolded);
    free(unfolded);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- HTML ----------------------------------------------------------------------------------- */

/* Checks that every tag is closed in order (XML well-formedness of the
 * element structure) and that no raw '<' or '&' stands in text; counts
 * start tags whose text begins with prefix ("<svg", "<g class=\"mark\""). */
static int html_well_formed(const char *s, char *why, size_t whylen)
{
    char stack[64][32];
    int depth = 0;
    const char *p = s;
    if (!strncmp(p, "<!DOCTYPE html>", 15))
        p += 15;
    while (*p) {
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            if (!semi || semi - p > 8) {
                snprintf(why, whylen, "a bare & at %.20s", p);
                return 0;
            }
            p = semi + 1;
            continue;
        }
        if (*p != '<') {
            if (*p == '>') {
                snprintf(why, whylen, "a bare > at %.20s", p);
                return 0;
            }
            p++;
            continue;
        }
        const char *end = strchr(p, '>');
        if (!end) {
            snprintf(why, whylen, "an unclosed tag at %.20s", p);
            return 0;
        }
        /* no '<' inside a tag, quotes balanced */
        int quotes = 0;
        for (const char *q = p + 1; q < end; q++) {
            if (*q == '<') {
                snprintf(why, whylen, "'<' inside a tag at %.40s", p);
                return 0;
            }
            quotes += *q == '"';
        }
        if (quotes % 2) {
            snprintf(why, whylen, "unbalanced quotes in %.60s", p);
            return 0;
        }
        char name[32];
        const char *n = p + 1 + (p[1] == '/');
        size_t k = 0;
        while (n + k < end && k < sizeof name - 1 && n[k] != ' ' && n[k] != '/' && n[k] != '\n')
            k++;
        memcpy(name, n, k);
        name[k] = '\0';
        if (p[1] == '/') {
            if (depth == 0 || strcmp(stack[depth - 1], name) != 0) {
                snprintf(why, whylen, "</%s> closes <%s>", name, depth ? stack[depth - 1] : "nothing");
                return 0;
            }
            depth--;
        } else if (end[-1] != '/') {
            if (depth == 64)
                return 0;
            snprintf(stack[depth++], sizeof stack[0], "%s", name);
        }
        if (!strcmp(name, "style") && p[1] != '/') { /* CSS holds '>' */
            const char *close = strstr(end, "</style>");
            if (!close)
                return 0;
            p = close;
            continue;
        }
        p = end + 1;
    }
    if (depth) {
        snprintf(why, whylen, "<%s> is not closed", stack[depth - 1]);
        return 0;
    }
    return 1;
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

Test(export, html_is_one_well_formed_page_with_a_lane_per_main_actor_and_a_mark_per_dated_event)
{
    ev_spec ev[N_BASE];
    memcpy(ev, BASE_EVENTS, sizeof ev);
    ev[0].summary = "Trump & Putin <met> \"at last\" in 'Hamburg'";
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/<g20>.txt", BASE_TEXT, ev, N_BASE);
    ingest_ok(&db, &doc);
    capture c;
    cap_open(&c);
    size_t left = 0;
    cr_assert_eq(tl_export_filtered(&db, TL_FORMAT_HTML, NULL, c.f, &left), TL_OK, "%s", tl_db_errmsg(&db));
    cap_close(&c);
    char why[256] = "";
    cr_expect(html_well_formed(c.buf, why, sizeof why), "not well-formed: %s", why);
    cr_expect_eq(count_of(c.buf, "<svg"), 1);
    cr_expect_eq(left, 1, "one undated event");
    const long long dated = count(&db, "SELECT count(*) FROM timeline_events WHERE sort_begin IS NOT NULL");
    cr_expect_eq((long long)count_of(c.buf, "<g class=\"mark\""), dated);
    /* main actors: core participants of dated events; every event has one,
     * so no "Other actors" lane */
    const long long actors =
        count(&db, "SELECT count(DISTINCT p.name) FROM timeline_participants p JOIN timeline_events te"
                   " ON te.id = p.timeline_event_id WHERE p.core AND te.sort_begin IS NOT NULL");
    cr_expect_eq((long long)count_of(c.buf, "<g class=\"lane\" data-actor="), actors);
    cr_expect_eq(count_of(c.buf, "lane-other"), 0);
    cr_expect(strstr(c.buf, "<g class=\"lane\" data-actor=\"Donald Trump\">"), "no lane for Donald Trump");
    cr_expect(strstr(c.buf, "Trump &amp; Putin &lt;met&gt; &quot;at last&quot; in &#39;Hamburg&#39;"), "escaping");
    cr_expect(strstr(c.buf, "news/&lt;g20&gt;.txt"), "escaping of paths");
    cr_expect(!strstr(c.buf, "http://") || !strstr(c.buf, "src="), "an external resource");
    cr_expect(!strstr(c.buf, "<script"), "a script");
    cr_expect_eq(count_of(c.buf, "<title>"), (size_t)dated + 1, "a hover title per mark");
    cr_expect_eq(count_of(c.buf, "class=\"duration\""), 2, "the meeting's bar in two lanes");
    cr_expect_eq(count_of(c.buf, "class=\"planned\""), 2);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- search ----------------------------------------------------------------------------------- */

Test(search, sentences_and_quotes_with_highlights_and_the_event_date)
{
    tl_db db;
    sx_doc doc;
    open_mem(&db);
    build_doc(&doc, "news/g20.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    ingest_ok(&db, &doc);
    cr_expect_eq(count(&db, "SELECT count(*) FROM quotes"), 1);
    char *q = query_text(db.conn, "SELECT text FROM quotes", NULL);
    cr_expect_str_eq(q, "constructive");
    free(q);
    static const struct {
        const char *query;
        size_t hits;
        const char *has;
    } rows[] = {
        {"hamburg", 1, "news/g20.txt, sentence 1, 2017-07-07:\n    Donald Trump met Vladimir Putin in **Hamburg** on Friday."},
        {"constructive", 2, "quote in sentence 5"},
        {"Putin AND Trump", 1, "Donald **Trump** met Vladimir **Putin** in"},
        {"Putin's (", 1, "Putin\xE2\x80\x99s"},
        {"denied", 1, "sentence 6, 2016:"},
        {"nothing-like-this", 0, ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        capture c;
        cap_open(&c);
        size_t hits = 99;
        cr_assert_eq(tl_search(&db, rows[i].query, 0, c.f, &hits), TL_OK, "%s: %s", rows[i].query,
                     tl_db_errmsg(&db));
        cap_close(&c);
        cr_expect_eq(hits, rows[i].hits, "%s:\n%s", rows[i].query, c.buf);
        cr_expect(strstr(c.buf, rows[i].has), "%s: no \"%s\" in:\n%s", rows[i].query, rows[i].has, c.buf);
        free(c.buf);
    }
    capture c;
    cap_open(&c);
    cr_expect_eq(tl_search(&db, "", 0, c.f, NULL), TL_EINVAL);
    cap_close(&c);
    free(c.buf);
    sx_doc_free(&doc);
    tl_db_close(&db);
}

/* ---- schema evolution --------------------------------------------------------------------- */

/* A current store at path with three documents, two of them reporting one
 * meeting (closed again; a, b, c keep the documents). */
static void store_three_docs(const char *path, tl_db *db, sx_doc *a, sx_doc *b, sx_doc *c)
{
    static ev_spec meet[2] = {{MEET(DAY7, "text"), TWO}, {MEET(DAY8, "text"), TWO}};
    tl_db_init(db);
    cr_assert_eq(tl_db_open(db, path, TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(db));
    build_doc(a, "a.txt", BASE_TEXT, BASE_EVENTS, N_BASE);
    build_doc(b, "b.txt", "Trump met Putin. B.", &meet[0], 1);
    build_doc(c, "c.txt", "Trump met Putin. C.", &meet[1], 1);
    ingest_ok(db, a);
    ingest_ok(db, b);
    ingest_ok(db, c);
    tl_db_close(db);
}

/* A new SQLite file at path made with the version-1 schema text
 * (tests/data/schema_v1.sql, kept in *sql for the caller to free). */
static sqlite3 *open_v1_schema(const char *path, char **sql)
{
    const char *dir = getenv("SUMMIT_TESTDATA");
    cr_assert(dir, "SUMMIT_TESTDATA is not set (run through ctest)");
    char schema_path[512];
    snprintf(schema_path, sizeof schema_path, "%s/schema_v1.sql", dir);
    *sql = slurp_or_fail(schema_path, NULL);
    sqlite3 *raw = NULL;
    cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(raw, *sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(raw));
    return raw;
}

/* A version-1 database made with the old schema text (tests/data/
 * schema_v1.sql) holding the rows a version-2 store has for the same
 * documents: opening it upgrades it to the same timeline. */
Test(open, a_version_1_database_is_upgraded_in_place, .init = make_tmpdir, .fini = remove_tmpdir)
{
    static const char *const copy[] = {
        "INSERT INTO documents (id, path, sha256, dct, dct_source, dct_confidence, dct_note, n_chars, ingested_at,"
        " body) SELECT id, path, sha256, dct, dct_source, dct_confidence, dct_note, n_chars, ingested_at, body"
        " FROM v2.documents",
        "INSERT INTO sentences SELECT * FROM v2.sentences",
        "INSERT INTO timexes SELECT * FROM v2.timexes",
        "INSERT INTO actors SELECT * FROM v2.actors",
        "INSERT INTO events SELECT * FROM v2.events",
        "INSERT INTO event_participants SELECT * FROM v2.event_participants",
        "INSERT INTO event_mentions SELECT * FROM v2.event_mentions",
        "INSERT INTO warnings SELECT * FROM v2.warnings",
    };
    char v2path[128], v1path[128];
    snprintf(v2path, sizeof v2path, "%s/other.db", tmpdir);
    snprintf(v1path, sizeof v1path, "%s/t.db", tmpdir);
    /* the version-2 store: three documents, two reporting one meeting */
    tl_db db;
    sx_doc a, b, c;
    store_three_docs(v2path, &db, &a, &b, &c);

    char *v1_sql = NULL;
    sqlite3 *raw = open_v1_schema(v1path, &v1_sql);
    sqlite3_stmt *att = NULL;
    cr_assert_eq(sqlite3_prepare_v2(raw, "ATTACH ?1 AS v2", -1, &att, NULL), SQLITE_OK);
    sqlite3_bind_text(att, 1, v2path, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(att), SQLITE_DONE, "%s", sqlite3_errmsg(raw));
    sqlite3_finalize(att);
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++)
        cr_assert_eq(sqlite3_exec(raw, copy[i], NULL, NULL, NULL), SQLITE_OK, "%s: %s", copy[i], sqlite3_errmsg(raw));
    cr_assert_eq(sqlite3_exec(raw, "DETACH v2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    free(v1_sql);

    /* read-only opening upgrades too (through a short read-write connection) */
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, v1path, TL_OPEN_READONLY), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(count(&db, "PRAGMA user_version"), TL_SCHEMA_VERSION);
    /* a.txt's meeting, b.txt's and c.txt's (a day later) are one */
    cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events WHERE n_sources = 3 AND n_conflicts = 1"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM quotes"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM text_search WHERE text_search MATCH 'hamburg'"), 1);
    tl_db_close(&db);

    /* the same schema objects and the same timeline as the version-2 store */
    static const char objects[] = "SELECT group_concat(type || ' ' || name, ', ') FROM"
                                  " (SELECT type, name FROM sqlite_schema ORDER BY type, name)";
    static const char timeline[] = "SELECT group_concat(key || ' ' || n_sources || ' ' || coalesce(date, '-'), ', ')"
                                   " FROM (SELECT * FROM timeline_events ORDER BY key)";
    sqlite3 *x = NULL, *y = NULL;
    cr_assert_eq(sqlite3_open_v2(v1path, &x, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_open_v2(v2path, &y, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char *ox = query_text(x, objects, NULL), *oy = query_text(y, objects, NULL);
    cr_expect_str_eq(ox, oy);
    char *tx = query_text(x, timeline, NULL), *ty = query_text(y, timeline, NULL);
    cr_expect_str_eq(tx, ty);
    free(ox);
    free(oy);
    free(tx);
    free(ty);
    sqlite3_close(x);
    sqlite3_close(y);

    /* and it takes new documents as a version-2 store does */
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, v1path, 0), TL_OK, "%s", tl_db_errmsg(&db));
    sx_doc d;
    ev_spec meet = {MEET(DAY7, "text"), TWO};
    build_doc(&d, "d.txt", "Trump met Putin. D.", &meet, 1);
    ingest_ok(&db, &d);
    cr_expect_eq(count(&db, "SELECT max(n_sources) FROM timeline_events"), 4);
    tl_db_close(&db);
    sx_doc_free(&a);
    sx_doc_free(&b);
    sx_doc_free(&c);
    sx_doc_free(&d);
}

/* Version 2's migration text, compiled into the library (cmake/embed.cmake). */
extern const unsigned char tl_migrate_2_sql[];

/* A version-2 database (schema_v1.sql and migrate_2.sql, as summit 0.2
 * made it) holding every row of a current store, the search index
 * included: opening it upgrades it to the current schema with the same
 * rows, the same schema objects as a new database, a search index that
 * still finds and ranks, and documents that stay unchanged on re-ingest. */
Test(open, a_version_2_database_is_upgraded_in_place, .init = make_tmpdir, .fini = remove_tmpdir)
{
    static const char *const tables[] = {"documents", "sentences", "timexes", "actors", "events",
                                         "event_participants", "event_mentions", "warnings", "quotes",
                                         "timeline_events", "timeline_sources", "timeline_participants",
                                         "timeline_conflicts"};
    char cur[128], old[128];
    snprintf(cur, sizeof cur, "%s/cur.db", tmpdir);
    snprintf(old, sizeof old, "%s/v2.db", tmpdir);
    tl_db db;
    sx_doc a, b, c;
    store_three_docs(cur, &db, &a, &b, &c);

    char *v1_sql = NULL;
    sqlite3 *raw = open_v1_schema(old, &v1_sql);
    cr_assert_eq(sqlite3_exec(raw, (const char *)tl_migrate_2_sql, NULL, NULL, NULL), SQLITE_OK, "%s",
                 sqlite3_errmsg(raw));
    char *v2 = query_text(raw, "SELECT (SELECT user_version FROM pragma_user_version) || ' ' ||"
                               " (SELECT count(*) FROM sqlite_schema WHERE name = 'text_search_docsize')", NULL);
    cr_assert_str_eq(v2, "2 1"); /* version 2, with a size table for its search index */
    free(v2);
    sqlite3_stmt *att = NULL;
    cr_assert_eq(sqlite3_prepare_v2(raw, "ATTACH ?1 AS cur", -1, &att, NULL), SQLITE_OK);
    sqlite3_bind_text(att, 1, cur, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(att), SQLITE_DONE, "%s", sqlite3_errmsg(raw));
    sqlite3_finalize(att);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "INSERT INTO main.%s SELECT * FROM cur.%s", tables[i], tables[i]);
        cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(raw));
    }
    cr_assert_eq(sqlite3_exec(raw,
                              "INSERT INTO main.text_search (rowid, text, kind, doc_id, sentence)"
                              " SELECT rowid, text, kind, doc_id, sentence FROM cur.text_search",
                              NULL, NULL, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(raw));
    cr_assert_eq(sqlite3_exec(raw, "DETACH cur", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    free(v1_sql);

    /* read-only opening upgrades (through a short read-write connection) */
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, old, TL_OPEN_READONLY), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(count(&db, "PRAGMA user_version"), TL_SCHEMA_VERSION);
    cr_expect_eq(count(&db, "SELECT count(*) FROM timeline_events WHERE n_sources = 3 AND n_conflicts = 1"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM text_search WHERE text_search MATCH 'hamburg'"), 1);
    cr_expect_eq(count(&db, "SELECT count(*) FROM text_search WHERE text_search MATCH 'trump' AND kind = 'quote'"),
                 count(&db, "SELECT count(*) FROM quotes WHERE text LIKE '%trump%'"));
    tl_db_close(&db);

    /* every row kept, and the same schema objects, rows and search ranks as
     * the current store */
    sqlite3 *x = NULL, *y = NULL;
    cr_assert_eq(sqlite3_open_v2(old, &x, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_open_v2(cur, &y, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char objects[] = "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), ', ') FROM"
                                  " (SELECT type, name, sql FROM sqlite_schema ORDER BY type, name)";
    char *ox = query_text(x, objects, NULL), *oy = query_text(y, objects, NULL);
    cr_expect_str_eq(ox, oy);
    free(ox);
    free(oy);
    sqlite3_stmt *att2 = NULL;
    cr_assert_eq(sqlite3_prepare_v2(x, "ATTACH ?1 AS cur", -1, &att2, NULL), SQLITE_OK);
    sqlite3_bind_text(att2, 1, cur, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(att2), SQLITE_DONE, "%s", sqlite3_errmsg(x));
    sqlite3_finalize(att2);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT ((SELECT count(*) FROM main.%s) = (SELECT count(*) FROM cur.%s)"
                 " AND NOT EXISTS (SELECT * FROM main.%s EXCEPT SELECT * FROM cur.%s))"
                 " || ' ' || ((SELECT count(*) FROM main.%s) > 0)",
                 tables[i], tables[i], tables[i], tables[i], tables[i]);
        char *v = query_text(x, sql, NULL);
        cr_assert(v);
        cr_expect_eq(v[0], '1', "%s: the rows differ", tables[i]);
        cr_expect(v[2] == '1' || !strcmp(tables[i], "warnings") || !strcmp(tables[i], "timeline_conflicts"),
                  "%s is empty", tables[i]);
        free(v);
    }
    cr_assert_eq(sqlite3_exec(x, "DETACH cur", NULL, NULL, NULL), SQLITE_OK);
    static const char search[] =
        "SELECT group_concat(x, ' | ') FROM (SELECT rowid || ' ' || kind || ' ' ||"
        " snippet(text_search, 0, '[', ']', '...', 8) || ' ' || printf('%.6f', rank) AS x FROM text_search"
        " WHERE text_search MATCH 'hamburg OR met OR trump' ORDER BY rank, rowid)";
    char *sx = query_text(x, search, NULL), *sy = query_text(y, search, NULL);
    cr_assert(sx && sy);
    cr_expect_str_eq(sx, sy);
    free(sx);
    free(sy);
    sqlite3_close(x);
    sqlite3_close(y);

    /* a document stored by version 2 is unchanged on re-ingest */
    tl_db_init(&db);
    cr_assert_eq(tl_db_open(&db, old, 0), TL_OK, "%s", tl_db_errmsg(&db));
    tl_ingest_info info = {0, TL_INGEST_NEW};
    cr_expect_eq(tl_ingest_doc(&db, &b, &info), TL_OK, "%s", tl_db_errmsg(&db));
    cr_expect_eq(info.outcome, TL_INGEST_UNCHANGED);
    tl_db_close(&db);
    sx_doc_free(&a);
    sx_doc_free(&b);
    sx_doc_free(&c);
}
