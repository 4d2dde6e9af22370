/*
 * store.c -- the timeline's SQLite store: open, create and check a database,
 * and ingest extracted documents into it.
 *
 * Exports tl_status_str, tl_db_init, tl_db_open, tl_db_close, tl_db_errmsg
 * and tl_ingest, plus the internals of timeline_int.h (error helpers, the
 * code point index, document checks, a byte buffer).
 *
 * Also exports tl_ingest_doc, tl_remove and tl_count, and the SQL function
 * tl_name_match (registered on every connection).
 *
 * Opening: the connection gets foreign_keys=ON, a 30 s busy timeout and, for
 * a file opened read-write, journal_mode=WAL, so several processes can
 * ingest into one file at once (each document's transaction waits for the
 * others'), and synchronous=NORMAL (WAL syncs at checkpoints, not at every
 * commit: no corruption on a crash, but a power cut may lose the last
 * commits).  PRAGMA user_version says what the file holds: 0 with no tables
 * is a new database and gets the compiled-in current schema (schema.sql and
 * every migration flattened into one script at build time,
 * cmake/schema_flatten.c) in one transaction (only with TL_OPEN_CREATE);
 * TL_SCHEMA_VERSION with a `documents` table is ours; an older version of
 * ours is upgraded in one BEGIN IMMEDIATE transaction (migration SQL, then
 * filling the new tables from the stored rows) -- a read-only open upgrades
 * through a short read-write connection first, and fails if the file cannot
 * be written; a read-only open of a WAL file whose -shm this user cannot
 * create reads the file "immutable" (unlocked) instead of failing; anything
 * else is refused before the file is changed (newer
 * versions with TL_ESCHEMA and an "upgrade summit" hint, foreign SQLite files
 * with TL_ESCHEMA, non-SQLite files with TL_EOPEN).
 *
 * Ingest: one BEGIN IMMEDIATE ... COMMIT per document, ROLLBACK on any
 * failure, so a document is stored whole or not at all.  A document is keyed
 * by its content (sha256) and by its path.  When a stored document has the
 * same sha256, the same path (or the new one is "-") and the same extraction
 * fingerprint, nothing is written.  Otherwise ingesting deletes any stored
 * document with the same sha256 or, unless the path is "-" (stdin), the same
 * path, then inserts afresh (ON DELETE CASCADE removes the old rows), so a
 * changed extraction is refreshed; row ids change.  Empty strings are
 * stored as NULL except in NOT NULL columns.  Sentence and mention text is
 * the document's own substring for [start, end) code points, found through a
 * sparse code point index (one linear pass per document).  Then the
 * timeline clusters of the dates the old and new events touch are rebuilt
 * (cluster.c), and last the sentences and quotes (text between “…”, «…»,
 * „…“ or "…" within a paragraph, at most TL__QUOTE_MAX code points) go into
 * the FTS5 table text_search (tl__index_doc says why last), all inside the
 * transaction.
 *
 * Limits: all SQL is constant and prepared; data only travels in bound
 * parameters.  Nothing here reads the clock or the locale (documents get
 * ingested_at from the schema's DEFAULT).
 */
#include "timeline_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- status and errors --------------------------------------------------- */

static const char *const tl__status_msgs[] = {
#define TL_MSG_(name, msg) msg,
    TL_STATUS_TABLE(TL_MSG_)
#undef TL_MSG_
};

const char *tl_status_str(tl_status st)
{
    if ((int)st < 0 || (int)st >= (int)TL_STATUS_COUNT)
        return "unknown status";
    return tl__status_msgs[st];
}

tl_status tl__fail(tl_db *db, tl_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

tl_status tl__sql_fail(tl_db *db, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!db->conn)
        return tl__fail(db, TL_ESQL, "%s: database is not open", what);
    int rc = sqlite3_errcode(db->conn) & 0xff;
    /* "disk I/O error" says little: add what the system said ("File too large") */
    int sys = sqlite3_system_errno(db->conn);
    if ((rc == SQLITE_IOERR || rc == SQLITE_FULL || rc == SQLITE_CANTOPEN) && sys)
        return tl__fail(db, TL_ESQL, "%s: %s (%s)", what, sqlite3_errmsg(db->conn), strerror(sys));
    return tl__fail(db, rc == SQLITE_NOMEM ? TL_ENOMEM : TL_ESQL, "%s: %s", what,
                    sqlite3_errmsg(db->conn));
}

/* ---- the statement cache ------------------------------------------------- */

#define TL__NSTMT 96

struct tl__stmts {
    struct {
        const char *key; /* the caller's SQL pointer; the text is checked too */
        sqlite3_stmt *st;
        int busy;
    } e[TL__NSTMT];
    int n;
};

int tl__prepare(tl_db *db, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    if (!db->stmts && !(db->stmts = calloc(1, sizeof *db->stmts)))
        return SQLITE_NOMEM;
    tl__stmts *c = db->stmts;
    int free_slot = -1;
    for (int i = 0; i < c->n; i++) {
        if (c->e[i].key != sql)
            continue;
        if (c->e[i].busy)
            break; /* in use further up the stack: an uncached copy */
        if (strcmp(sqlite3_sql(c->e[i].st), sql) == 0) {
            c->e[i].busy = 1;
            *out = c->e[i].st;
            return SQLITE_OK;
        }
        /* the same buffer now holds other SQL: prepare again in this slot */
        sqlite3_finalize(c->e[i].st);
        c->e[i].st = NULL;
        free_slot = i;
        break;
    }
    if (free_slot < 0 && c->n < TL__NSTMT) {
        int known = 0;
        for (int i = 0; i < c->n && !known; i++)
            known = c->e[i].key == sql;
        if (!known)
            free_slot = c->n;
    }
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, free_slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, out, NULL);
    if (rc != SQLITE_OK || free_slot < 0 || !*out) {
        if (free_slot >= 0 && free_slot < c->n) { /* the emptied slot: drop it */
            c->e[free_slot] = c->e[c->n - 1];
            c->n--;
        }
        return rc;
    }
    if (free_slot == c->n)
        c->n++;
    c->e[free_slot].key = sql;
    c->e[free_slot].st = *out;
    c->e[free_slot].busy = 1;
    return SQLITE_OK;
}

void tl__release(tl_db *db, sqlite3_stmt *st)
{
    if (!st)
        return;
    tl__stmts *c = db->stmts;
    for (int i = 0; c && i < c->n; i++)
        if (c->e[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            c->e[i].busy = 0;
            return;
        }
    sqlite3_finalize(st);
}

static void tl__stmts_free(tl_db *db)
{
    if (!db->stmts)
        return;
    for (int i = 0; i < db->stmts->n; i++)
        sqlite3_finalize(db->stmts->e[i].st);
    free(db->stmts);
    db->stmts = NULL;
}

int tl__exec(tl_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = tl__prepare(db, sql, &st);
    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    /* a cached statement is reset, an uncached one finalized: both keep the
     * step's error code and message */
    tl__release(db, st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- byte buffer ---------------------------------------------------------- */

int tl__buf_add(tl__buf *b, const char *s, size_t n)
{
    if (n >= SIZE_MAX / 2 - b->len)
        return -1;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return -1;
        b->s = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

int tl__buf_adds(tl__buf *b, const char *s)
{
    return tl__buf_add(b, s, strlen(s));
}

void tl__buf_free(tl__buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* ---- code point index ------------------------------------------------------ */

static int tl__is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Builds ix over text; fails only when out of memory or when the text holds
 * more than INT32_MAX code points. */
static tl_status tl__cpindex_build(tl__cpindex *ix, const char *text, size_t len)
{
    memset(ix, 0, sizeof *ix);
    /* A code point starts at every byte that is not a continuation byte. */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !tl__is_cont((unsigned char)text[i]);
    if (n > INT32_MAX)
        return TL_EINVAL;
    size_t nmarks = n / TL__CP_STRIDE + 1;
    ix->marks = malloc(nmarks * sizeof *ix->marks);
    if (!ix->marks)
        return TL_ENOMEM;
    size_t cp = 0;
    for (size_t i = 0; i < len; i++) {
        if (tl__is_cont((unsigned char)text[i]))
            continue;
        if (cp % TL__CP_STRIDE == 0)
            ix->marks[cp / TL__CP_STRIDE] = i;
        cp++;
    }
    if (n % TL__CP_STRIDE == 0)
        ix->marks[n / TL__CP_STRIDE] = len;
    ix->text = text;
    ix->len = len;
    ix->n_cp = (int32_t)n;
    return TL_OK;
}

size_t tl__cpindex_byte(const tl__cpindex *ix, int32_t cp)
{
    if (cp <= 0 || !ix->marks)
        return 0;
    if (cp >= ix->n_cp)
        return ix->len;
    size_t b = ix->marks[(size_t)cp / TL__CP_STRIDE];
    for (int32_t k = cp % TL__CP_STRIDE; k > 0; k--) {
        b++;
        while (b < ix->len && tl__is_cont((unsigned char)ix->text[b]))
            b++;
    }
    return b;
}

void tl__cpindex_free(tl__cpindex *ix)
{
    free(ix->marks);
    memset(ix, 0, sizeof *ix);
}

/* ---- document checks ------------------------------------------------------- */

static int tl__span_ok(int32_t start, int32_t end, int32_t n_cp)
{
    return start >= 0 && start <= end && end <= n_cp;
}

/* Checks everything in doc except the code point count. */
static tl_status tl__doc_check_fields(tl_db *db, const sx_doc *doc, int32_t n_cp)
{
    const char *p = doc->path;
    if ((doc->n_sentences && !doc->sentences) || (doc->n_timexes && !doc->timexes) ||
        (doc->n_actors && !doc->actors) || (doc->n_events && !doc->events) ||
        (doc->n_warnings && !doc->warnings))
        return tl__fail(db, TL_EINVAL, "document '%s': an array is NULL but its count is not 0", p);
    if (doc->n_sentences > INT32_MAX || doc->n_timexes > INT32_MAX || doc->n_actors > INT32_MAX ||
        doc->n_events > INT32_MAX)
        return tl__fail(db, TL_EINVAL, "document '%s': too many items", p);
    if (strnlen(doc->sha256, sizeof doc->sha256) == 0 ||
        strnlen(doc->sha256, sizeof doc->sha256) == sizeof doc->sha256)
        return tl__fail(db, TL_EINVAL, "document '%s' has no sha256", p);
    const int32_t n_sent = (int32_t)doc->n_sentences, n_tx = (int32_t)doc->n_timexes,
                  n_act = (int32_t)doc->n_actors;

    for (size_t i = 0; i < doc->n_sentences; i++) {
        const sx_sentence *s = &doc->sentences[i];
        if (!tl__span_ok(s->start, s->end, n_cp))
            return tl__fail(db, TL_EINVAL,
                            "document '%s': sentence %zu spans [%ld, %ld), outside the text (%ld code points)",
                            p, i, (long)s->start, (long)s->end, (long)n_cp);
    }
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        if (!tl__span_ok(t->start, t->end, n_cp))
            return tl__fail(db, TL_EINVAL,
                            "document '%s': timex %zu spans [%ld, %ld), outside the text (%ld code points)",
                            p, i, (long)t->start, (long)t->end, (long)n_cp);
        if (t->sentence < 0 || t->sentence >= n_sent)
            return tl__fail(db, TL_EINVAL, "document '%s': timex %zu names sentence %ld of %ld", p, i,
                            (long)t->sentence, (long)n_sent);
        if (t->anchor < -1 || t->anchor >= n_tx)
            return tl__fail(db, TL_EINVAL, "document '%s': timex %zu names anchor %ld of %ld", p, i,
                            (long)t->anchor, (long)n_tx);
        if ((int)t->type < (int)SX_TIMEX_DATE || (int)t->type > (int)SX_TIMEX_SET)
            return tl__fail(db, TL_EINVAL, "document '%s': timex %zu has an unknown type %d", p, i,
                            (int)t->type);
    }
    for (size_t i = 0; i < doc->n_actors; i++) {
        const sx_actor *a = &doc->actors[i];
        if (!a->name)
            return tl__fail(db, TL_EINVAL, "document '%s': actor %zu has no name", p, i);
        if ((int)a->kind < (int)SX_ACTOR_PERSON || (int)a->kind > (int)SX_ACTOR_ORG)
            return tl__fail(db, TL_EINVAL, "document '%s': actor %zu has an unknown kind %d", p, i,
                            (int)a->kind);
    }
    for (size_t i = 0; i < doc->n_events; i++) {
        const sx_event *e = &doc->events[i];
        if (!e->type || !e->status)
            return tl__fail(db, TL_EINVAL, "document '%s': event %zu has no type or status", p, i);
        if ((e->n_participants && !e->participants) || (e->n_mentions && !e->mentions))
            return tl__fail(db, TL_EINVAL, "document '%s': event %zu has a NULL array", p, i);
        if (e->date_timex < -1 || e->date_timex >= n_tx)
            return tl__fail(db, TL_EINVAL, "document '%s': event %zu takes its date from timex %ld of %ld",
                            p, i, (long)e->date_timex, (long)n_tx);
        for (size_t k = 0; k < e->n_participants; k++) {
            const sx_participant *pa = &e->participants[k];
            if (pa->actor < 0 || pa->actor >= n_act || !pa->role)
                return tl__fail(db, TL_EINVAL,
                                "document '%s': event %zu participant %zu names actor %ld of %ld", p, i, k,
                                (long)pa->actor, (long)n_act);
        }
        for (size_t k = 0; k < e->n_mentions; k++) {
            const sx_mention *m = &e->mentions[k];
            if (!tl__span_ok(m->start, m->end, n_cp))
                return tl__fail(db, TL_EINVAL,
                                "document '%s': event %zu mention %zu spans [%ld, %ld), outside the text",
                                p, i, k, (long)m->start, (long)m->end);
            if (m->sentence < 0 || m->sentence >= n_sent)
                return tl__fail(db, TL_EINVAL, "document '%s': event %zu mention %zu names sentence %ld of %ld",
                                p, i, k, (long)m->sentence, (long)n_sent);
        }
    }
    for (size_t i = 0; i < doc->n_warnings; i++)
        if (!doc->warnings[i])
            return tl__fail(db, TL_EINVAL, "document '%s': warning %zu is NULL", p, i);
    return TL_OK;
}

tl_status tl__doc_check(tl_db *db, const sx_doc *doc, tl__cpindex *ix)
{
    memset(ix, 0, sizeof *ix);
    if (!doc || !doc->path || !doc->text)
        return tl__fail(db, TL_EINVAL, "no document, or a document without path or text");
    tl_status st = tl__cpindex_build(ix, doc->text, doc->text_len);
    if (st == TL_ENOMEM)
        return tl__fail(db, st, "document '%s': out of memory", doc->path);
    if (st != TL_OK)
        return tl__fail(db, st, "document '%s' is too long", doc->path);
    if (ix->n_cp != doc->n_codepoints) {
        st = tl__fail(db, TL_EINVAL, "document '%s': n_codepoints is %ld but the text holds %ld code points",
                      doc->path, (long)doc->n_codepoints, (long)ix->n_cp);
    } else {
        st = tl__doc_check_fields(db, doc, ix->n_cp);
    }
    if (st != TL_OK)
        tl__cpindex_free(ix);
    return st;
}

/* ---- open and close ------------------------------------------------------ */

void tl_db_init(tl_db *db)
{
    if (db)
        memset(db, 0, sizeof *db);
}

void tl__phase_hook(tl_db *db, void (*fn)(void *ctx, int phase), void *ctx)
{
    db->phase = fn;
    db->phase_ctx = ctx;
}

static void tl__mark(tl_db *db, int phase)
{
    if (db->phase)
        db->phase(db->phase_ctx, phase);
}

const char *tl_db_errmsg(const tl_db *db)
{
    return db ? db->errmsg : "no database handle";
}

void tl_db_close(tl_db *db)
{
    if (!db || !db->conn)
        return;
    tl__stmts_free(db);
    tl__evcache_free(db);
    sqlite3_close_v2(db->conn);
    db->conn = NULL;
}

/* What the file holds: PRAGMA user_version, the number of non-internal
 * schema objects, and whether a `documents` table exists. */
typedef struct tl__probe {
    long long version, n_objects, has_documents;
} tl__probe;

static int tl__probe_db(tl_db *db, tl__probe *pr)
{
    static const char sql[] =
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'),"
        " (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'documents')";
    sqlite3_stmt *st = NULL;
    int rc = tl__prepare(db, sql, &st);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        pr->version = sqlite3_column_int64(st, 0);
        pr->n_objects = sqlite3_column_int64(st, 1);
        pr->has_documents = sqlite3_column_int64(st, 2);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
    tl__release(db, st);
    return rc;
}

/* Maps a failed setup call to TL_EOPEN with a message naming the path. */
static tl_status tl__open_fail(tl_db *db, const char *path, int rc)
{
    const char *msg = sqlite3_errmsg(db->conn);
    if ((rc & 0xff) == SQLITE_NOTADB)
        return tl__fail(db, TL_EOPEN, "'%s' is not a summit database (%s)", path, msg);
    if ((rc & 0xff) == SQLITE_NOMEM)
        return tl__fail(db, TL_ENOMEM, "cannot open database '%s': %s", path, msg);
    return tl__fail(db, TL_EOPEN, "cannot open database '%s': %s", path, msg);
}

/* ---- migrations ---------------------------------------------------------- */

#define TL__QUOTE_MAX 2000

static int tl__index_quotes(tl_db *db, int64_t doc_id, const char *text, size_t len, const int32_t *sent_start,
                            size_t n_sent);

/* Version 2's new tables from what a version-1 database holds: sentences
 * and quotes into the search index, and every cluster. */
static int tl__fill_2(tl_db *db)
{
    static const char fts_sql[] =
        "INSERT INTO text_search (rowid, text, kind, doc_id, sentence)"
        " SELECT doc_id * 16777216 + idx, text, 'sentence', doc_id, idx FROM sentences WHERE idx < 8388608";
    int rc = tl__exec(db, fts_sql);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_stmt *docs = NULL, *sents = NULL;
    int32_t *starts = NULL;
    size_t cap = 0;
    rc = tl__prepare(db, "SELECT id, body FROM documents ORDER BY id", &docs);
    if (rc == SQLITE_OK)
        rc = tl__prepare(db, "SELECT start_cp FROM sentences WHERE doc_id = ?1 ORDER BY idx", &sents);
    while (rc == SQLITE_OK && (rc = sqlite3_step(docs)) == SQLITE_ROW) {
        const int64_t id = sqlite3_column_int64(docs, 0);
        size_t n = 0;
        sqlite3_bind_int64(sents, 1, id);
        while ((rc = sqlite3_step(sents)) == SQLITE_ROW) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                int32_t *v = realloc(starts, ncap * sizeof *v);
                if (!v) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                starts = v;
                cap = ncap;
            }
            starts[n++] = sqlite3_column_int(sents, 0);
        }
        sqlite3_reset(sents);
        if (rc != SQLITE_DONE)
            break;
        rc = tl__index_quotes(db, id, (const char *)sqlite3_column_text(docs, 1),
                              (size_t)sqlite3_column_bytes(docs, 1), starts, n);
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    tl__release(db, docs);
    tl__release(db, sents);
    free(starts);
    if (rc == SQLITE_OK) {
        tl__dirty all = {0};
        all.all = 1;
        rc = tl__timeline_refresh(db, &all);
    }
    return rc;
}

/* Version 3 made the search index anew (no size table): fill it again
 * from the stored sentences and quotes, with version 2's rowids. */
static int tl__fill_3(tl_db *db)
{
    static const char sql[] =
        "INSERT INTO text_search (rowid, text, kind, doc_id, sentence)"
        " SELECT doc_id * 16777216 + idx, text, 'sentence', doc_id, idx FROM sentences WHERE idx < 8388608"
        " UNION ALL"
        " SELECT doc_id * 16777216 + 8388608 + idx, text, 'quote', doc_id, sentence FROM quotes"
        " WHERE idx < 8388608";
    return tl__exec(db, sql);
}

static const struct {
    int version;
    const unsigned char *sql;
    int (*fill)(tl_db *db);
} tl__migrations[] = {
    {2, tl_migrate_2_sql, tl__fill_2},
    {3, tl_migrate_3_sql, tl__fill_3},
    {4, tl_migrate_4_sql, NULL},
    {5, tl_migrate_5_sql, NULL},
};

/* Runs every migration after version `from`; the caller holds the
 * transaction.  On failure the message is on db. */
static tl_status tl__migrate(tl_db *db, const char *path, long long from)
{
    for (size_t i = 0; i < sizeof tl__migrations / sizeof tl__migrations[0]; i++) {
        if (tl__migrations[i].version <= from)
            continue;
        /* Our own constant, multi-statement SQL: sqlite3_exec is the tool. */
        char *err = NULL;
        int rc = sqlite3_exec(db->conn, (const char *)tl__migrations[i].sql, NULL, NULL, &err);
        if (rc != SQLITE_OK) {
            tl__fail(db, TL_ESCHEMA, "cannot upgrade '%s' to schema version %d: %s", path,
                     tl__migrations[i].version, err ? err : sqlite3_errstr(rc));
            sqlite3_free(err);
            return TL_ESCHEMA;
        }
        rc = tl__migrations[i].fill ? tl__migrations[i].fill(db) : SQLITE_OK;
        if (rc != SQLITE_OK)
            return tl__sql_fail(db, "cannot upgrade '%s' to schema version %d", path, tl__migrations[i].version);
    }
    return TL_OK;
}

/* Runs the compiled-in current schema on an empty database (from = 0), or
 * the migrations after `from` on a database of that version, in one
 * transaction.  *raced is set when another process changed the version
 * meanwhile (the caller probes again). */
static tl_status tl__create_schema(tl_db *db, const char *path, long long from, int *raced)
{
    *raced = 0;
    int rc = tl__exec(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return tl__open_fail(db, path, rc);
    tl__probe pr = {0, 0, 0};
    rc = tl__probe_db(db, &pr);
    if (rc == SQLITE_OK && (pr.version != from || (from == 0 && pr.n_objects != 0))) {
        *raced = 1;
        tl__exec(db, "ROLLBACK");
        return TL_OK;
    }
    if (rc == SQLITE_OK) {
        tl_status st = TL_OK;
        if (from == 0) {
            /* the current schema in one script: the same objects as
             * schema.sql and every migration (tests/test_timeline.c) */
            char *err = NULL;
            rc = sqlite3_exec(db->conn, (const char *)tl_schema_current_sql, NULL, NULL, &err);
            if (rc != SQLITE_OK) {
                tl__fail(db, TL_ESCHEMA, "cannot create the schema in '%s': %s", path,
                         err ? err : sqlite3_errstr(rc));
                st = TL_ESCHEMA;
            }
            sqlite3_free(err);
        } else
            st = tl__migrate(db, path, from);
        if (st != TL_OK) {
            tl__exec(db, "ROLLBACK");
            return st;
        }
        rc = tl__exec(db, "COMMIT");
    }
    if (rc != SQLITE_OK) {
        tl_status st = tl__open_fail(db, path, rc);
        tl__exec(db, "ROLLBACK");
        return st;
    }
    return TL_OK;
}

/* Everything after sqlite3_open_v2: pragmas, schema check, creation or
 * upgrade.  A read-only handle on an older version sets *needs_upgrade and
 * fails with TL_ESCHEMA. */
static tl_status tl__setup(tl_db *db, const char *path, int flags, int *needs_upgrade)
{
    const int readonly = (flags & TL_OPEN_READONLY) != 0;
    const int create = !readonly && (flags & TL_OPEN_CREATE) != 0;
    *needs_upgrade = 0;
    int rc = tl__exec(db, "PRAGMA foreign_keys = ON");
    if (rc != SQLITE_OK)
        return tl__open_fail(db, path, rc);

    for (int attempt = 0;; attempt++) {
        tl__probe pr = {0, 0, 0};
        rc = tl__probe_db(db, &pr);
        if (rc != SQLITE_OK)
            return tl__open_fail(db, path, rc);
        if (pr.version > TL_SCHEMA_VERSION)
            return tl__fail(db, TL_ESCHEMA,
                            "database '%s' has schema version %lld, newer than this summit (%d); upgrade summit",
                            path, pr.version, TL_SCHEMA_VERSION);
        if (pr.version >= 1 && !pr.has_documents)
            return tl__fail(db, TL_ESCHEMA,
                            "'%s' is not a summit database (schema version %lld but no documents table)", path,
                            pr.version);
        if (pr.version == TL_SCHEMA_VERSION)
            break;
        if (pr.version == 0 && pr.n_objects != 0)
            return tl__fail(db, TL_ESCHEMA,
                            "'%s' is not a summit database (it holds other tables and no summit schema)", path);
        if (pr.version == 0 && !create)
            return tl__fail(db, TL_ESCHEMA, "'%s' holds no summit timeline yet (nothing was ingested)", path);
        if (pr.version != 0 && readonly) {
            *needs_upgrade = 1;
            return tl__fail(db, TL_ESCHEMA, "database '%s' has schema version %lld and needs an upgrade to %d",
                            path, pr.version, TL_SCHEMA_VERSION);
        }
        if (attempt > 2)
            return tl__fail(db, TL_ESCHEMA, "cannot set up the schema in '%s': it keeps changing", path);
        int raced = 0;
        tl_status st = tl__create_schema(db, path, pr.version, &raced);
        if (st != TL_OK)
            return st;
        if (!raced)
            break;
    }

    /* WAL for files opened read-write; in-memory and temporary databases
     * have no file name and keep their default journal. */
    const char *fname = sqlite3_db_filename(db->conn, "main");
    if (!readonly && fname && *fname) {
        rc = tl__exec(db, "PRAGMA journal_mode = WAL");
        /* in WAL mode NORMAL syncs at checkpoints, not at every commit: a
         * crash cannot corrupt the file, a power cut may lose the last
         * documents' commits (ingest them again) */
        if (rc == SQLITE_OK)
            rc = tl__exec(db, "PRAGMA synchronous = NORMAL");
        /* 8 MiB of page cache rather than SQLite's 2: an ingest touches the
         * index pages of every table, and a cluster's rows, for each
         * document; re-reading them from the OS was 9% of ingest time.  (The
         * clustering keeps its own cache of events, cluster.c.) */
        if (rc == SQLITE_OK)
            rc = tl__exec(db, "PRAGMA cache_size = -8192");
        /* checkpoints every 16,000 pages of WAL (64 MB at 4 KiB) rather than
         * 1,000: a page that many documents change (an index's, a large
         * cluster's) is copied back once, not once a few documents; -7% of
         * ingest time on 3,600 documents added to 27,000 */
        if (rc == SQLITE_OK)
            rc = tl__exec(db, "PRAGMA wal_autocheckpoint = 16000");
        if (rc != SQLITE_OK)
            return tl__open_fail(db, path, rc);
    }
    return TL_OK;
}

/* flags may add TL__OPEN_IMMUTABLE: path is then a file: URI. */
enum { TL__OPEN_IMMUTABLE = 64 };

static tl_status tl__open(tl_db *db, const char *path, int flags, int *needs_upgrade)
{
    int oflags = SQLITE_OPEN_READONLY;
    if (!(flags & TL_OPEN_READONLY))
        oflags = SQLITE_OPEN_READWRITE | ((flags & TL_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if (flags & TL__OPEN_IMMUTABLE)
        oflags |= SQLITE_OPEN_URI;
    sqlite3 *conn = NULL;
    *needs_upgrade = 0;
    int rc = sqlite3_open_v2(path, &conn, oflags, tl__walbuf_vfs());
    if (rc != SQLITE_OK) {
        tl_status st = tl__fail(db, (rc & 0xff) == SQLITE_NOMEM ? TL_ENOMEM : TL_EOPEN,
                                "cannot open database '%s': %s", path,
                                conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
        sqlite3_close(conn);
        return st;
    }
    db->conn = conn;
    sqlite3_extended_result_codes(conn, 1);
    sqlite3_busy_timeout(conn, 30000);
    tl_status st = tl__register_functions(db) == SQLITE_OK ? TL_OK : tl__open_fail(db, path, SQLITE_ERROR);
    if (st == TL_OK)
        st = tl__setup(db, path, flags, needs_upgrade);
    if (st != TL_OK)
        tl_db_close(db);
    return st;
}

tl_status tl_db_open(tl_db *db, const char *path, int flags)
{
    if (!db)
        return TL_EINVAL;
    if (db->conn)
        return tl__fail(db, TL_EINVAL, "the database handle is already open");
    db->errmsg[0] = '\0';
    if (!path || !*path)
        return tl__fail(db, TL_EINVAL, "no database path given");
    if (sqlite3_libversion_number() < TL__MIN_SQLITE)
        return tl__fail(db, TL_EOPEN, "cannot open database '%s': SQLite %s is too old (3.38 or newer needed)",
                        path, sqlite3_libversion());
    int needs_upgrade = 0;
    tl_status st = tl__open(db, path, flags, &needs_upgrade);
    if (st == TL_EOPEN && (flags & TL_OPEN_READONLY) &&
        (strstr(db->errmsg, "readonly database") ||
         (strstr(db->errmsg, "unable to open database file") && access(path, R_OK) == 0))) {
        /* A WAL database in a file, folder or file system this user may
         * not write: its -shm cannot be made, so read the file as it is,
         * unlocked ("immutable"); nobody can be writing what nobody may
         * write. */
        tl__buf uri = {0};
        int err = tl__buf_adds(&uri, "file:");
        for (const unsigned char *p = (const unsigned char *)path; *p && !err; p++) {
            if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                strchr("/._-~", *p)) {
                err = tl__buf_add(&uri, (const char *)p, 1);
            } else {
                char esc[4];
                snprintf(esc, sizeof esc, "%%%02X", *p);
                err = tl__buf_adds(&uri, esc);
            }
        }
        err = err || tl__buf_adds(&uri, "?immutable=1");
        if (!err) {
            char first[sizeof db->errmsg];
            memcpy(first, db->errmsg, sizeof first);
            st = tl__open(db, uri.s, flags | TL__OPEN_IMMUTABLE, &needs_upgrade);
            if (st != TL_OK) /* keep the first, clearer message */
                memcpy(db->errmsg, first, sizeof first);
            else
                db->errmsg[0] = '\0';
        }
        tl__buf_free(&uri);
        if (st != TL_OK)
            return TL_EOPEN;
    }
    if (st != TL_OK && needs_upgrade) {
        /* an older database opened read-only: upgrade it, then open again */
        st = tl__open(db, path, 0, &needs_upgrade);
        if (st != TL_OK) {
            char why[sizeof db->errmsg];
            memcpy(why, db->errmsg, sizeof why);
            return tl__fail(db, st == TL_ENOMEM ? TL_ENOMEM : TL_ESCHEMA,
                            "database '%s' needs an upgrade to schema version %d, which failed: %s", path,
                            TL_SCHEMA_VERSION, why);
        }
        tl_db_close(db);
        st = tl__open(db, path, flags, &needs_upgrade);
    }
    return st;
}

/* ---- ingest ---------------------------------------------------------------- */

enum {
    S_DEL,
    S_DOC,
    S_SENT,
    S_TIMEX,
    S_ACTOR,
    S_EVENT,
    S_PART,
    S_MENT,
    S_WARN,
    S_FTS,
    S_OLD,
    S_KEYS,
    S_COUNT
};

static const char *const tl__ingest_sql[S_COUNT] = {
    [S_DEL] = "DELETE FROM documents WHERE id = ?1",
    [S_DOC] = "INSERT INTO documents (path, sha256, dct, dct_source, n_chars, body, dct_confidence, dct_note,"
              " fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_SENT] = "INSERT INTO sentences (doc_id, idx, start_cp, end_cp, text) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_TIMEX] = "INSERT INTO timexes (doc_id, idx, sentence, start_cp, end_cp, text, type, value, mod,"
                " quant, freq, anchor_idx, sort_begin, sort_end, tz)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [S_ACTOR] = "INSERT INTO actors (doc_id, idx, kind, name, country, title, mentions)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_EVENT] = "INSERT INTO events (doc_id, idx, type, cameo, status, date, time, date_timex_idx,"
                " sort_begin, sort_end, location, duration, duration_mod, planned_duration, summary,"
                " date_source)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    /* A participant or mention listed twice is stored once. */
    [S_PART] = "INSERT OR IGNORE INTO event_participants (event_id, actor_id, role) VALUES (?1, ?2, ?3)",
    [S_MENT] = "INSERT OR IGNORE INTO event_mentions (event_id, sentence, start_cp, end_cp, text)"
               " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_WARN] = "INSERT INTO warnings (doc_id, message) VALUES (?1, ?2)",
    [S_FTS] = "INSERT INTO text_search (rowid, text, kind, doc_id, sentence)"
              " VALUES (?1 * 16777216 + ?2, ?3, 'sentence', ?1, ?2)",
    /* the cluster keys: one per core participant of a dated event, written
     * with the event (the rows schema/migrate_4.sql derives with a join) */
    [S_KEYS] = "INSERT OR IGNORE INTO event_keys (type, name, kind, sort_begin, event_id, doc_id, sort_end)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* what this document replaces: same content, or the same path */
    [S_OLD] = "SELECT id, path, fingerprint, sha256 = ?1 FROM documents"
              " WHERE sha256 = ?1 OR (?2 <> '-' AND path = ?2) ORDER BY id",
};

/* ---- the extraction fingerprint ------------------------------------------- */

/* FNV-1a 64 over every extracted field, each followed by a separator byte
 * (NULL and "" differ). */
typedef struct tl__fp {
    uint64_t h;
} tl__fp;

static void tl__fp_bytes(tl__fp *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        f->h = (f->h ^ b[i]) * 1099511628211ULL;
}

static void tl__fp_str(tl__fp *f, const char *s)
{
    static const unsigned char none = 0xFF, sep = 0x00;
    if (!s)
        tl__fp_bytes(f, &none, 1);
    else
        tl__fp_bytes(f, s, strlen(s));
    tl__fp_bytes(f, &sep, 1);
}

static void tl__fp_arr(tl__fp *f, const char *arr, size_t cap)
{
    static const unsigned char sep = 0x00;
    tl__fp_bytes(f, arr, strnlen(arr, cap));
    tl__fp_bytes(f, &sep, 1);
}

static void tl__fp_int(tl__fp *f, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    tl__fp_str(f, buf);
}

/* The schema version whose rows the fingerprint vouches for: version 3
 * stores the same rows as version 2 (it only changed how they are kept)
 * and version 4 adds only event_keys, derived from them, so a document
 * stored by version 2 stays unchanged on re-ingest.  Raise it
 * when a version stores something new. */
#define TL__FP_VERSION 2

static void tl__fingerprint(const sx_doc *doc, char out[17])
{
    tl__fp f = {1469598103934665603ULL};
    char dct[32] = "";
    if (doc->has_dct)
        sx_date_format(&doc->dct, dct, sizeof dct);
    tl__fp_int(&f, TL__FP_VERSION);
    tl__fp_str(&f, dct);
    tl__fp_str(&f, doc->dct_source);
    tl__fp_int(&f, (long long)(doc->dct_confidence * 1000.0 + 0.5));
    tl__fp_arr(&f, doc->dct_note, sizeof doc->dct_note);
    for (size_t i = 0; i < doc->n_sentences; i++) {
        tl__fp_int(&f, doc->sentences[i].start);
        tl__fp_int(&f, doc->sentences[i].end);
    }
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        tl__fp_int(&f, t->start);
        tl__fp_int(&f, t->end);
        tl__fp_int(&f, t->sentence);
        tl__fp_int(&f, (long long)t->type);
        tl__fp_int(&f, t->anchor);
        tl__fp_arr(&f, t->value, sizeof t->value);
        tl__fp_arr(&f, t->mod, sizeof t->mod);
        tl__fp_arr(&f, t->begin, sizeof t->begin);
        tl__fp_arr(&f, t->end_iso, sizeof t->end_iso);
        tl__fp_arr(&f, t->quant, sizeof t->quant);
        tl__fp_arr(&f, t->freq, sizeof t->freq);
        tl__fp_arr(&f, t->tz, sizeof t->tz);
        tl__fp_str(&f, t->text);
    }
    for (size_t i = 0; i < doc->n_actors; i++) {
        const sx_actor *a = &doc->actors[i];
        tl__fp_int(&f, (long long)a->kind);
        tl__fp_str(&f, a->name);
        tl__fp_str(&f, a->country);
        tl__fp_str(&f, a->title);
        tl__fp_int(&f, a->mentions);
    }
    for (size_t i = 0; i < doc->n_events; i++) {
        const sx_event *e = &doc->events[i];
        tl__fp_str(&f, e->type);
        tl__fp_str(&f, e->cameo);
        tl__fp_str(&f, e->status);
        tl__fp_arr(&f, e->date, sizeof e->date);
        tl__fp_arr(&f, e->begin, sizeof e->begin);
        tl__fp_arr(&f, e->end_iso, sizeof e->end_iso);
        tl__fp_int(&f, e->date_timex);
        tl__fp_str(&f, e->date_source);
        tl__fp_arr(&f, e->time, sizeof e->time);
        tl__fp_arr(&f, e->duration, sizeof e->duration);
        tl__fp_arr(&f, e->duration_mod, sizeof e->duration_mod);
        tl__fp_arr(&f, e->planned_duration, sizeof e->planned_duration);
        tl__fp_str(&f, e->location);
        tl__fp_str(&f, e->summary);
        for (size_t k = 0; k < e->n_participants; k++) {
            tl__fp_int(&f, e->participants[k].actor);
            tl__fp_str(&f, e->participants[k].role);
        }
        for (size_t k = 0; k < e->n_mentions; k++) {
            tl__fp_int(&f, e->mentions[k].start);
            tl__fp_int(&f, e->mentions[k].end);
            tl__fp_int(&f, e->mentions[k].sentence);
        }
    }
    for (size_t i = 0; i < doc->n_warnings; i++)
        tl__fp_str(&f, doc->warnings[i]);
    snprintf(out, 17, "%016llx", (unsigned long long)f.h);
}

/* ---- quotes ------------------------------------------------------------------ */

/* Decodes the code point at text[*i] (valid UTF-8) and advances *i. */
static uint32_t tl__next_cp(const char *text, size_t len, size_t *i)
{
    const unsigned char c = (unsigned char)text[*i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (*i + n > len)
        n = len - *i;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | ((unsigned char)text[*i + k] & 0x3Fu);
    *i += n;
    return cp;
}

/* Index of the sentence holding code point cp (starts ascending). */
static int32_t tl__sentence_of(const int32_t *start, size_t n, int32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (start[mid] <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? (int32_t)(lo - 1) : 0;
}

/* Finds the quotes of a document and stores them in `quotes` and the
 * search index.  Quotes run from an opening mark to its closing mark within
 * one paragraph (no blank line), hold a letter, and are at most
 * TL__QUOTE_MAX code points long; nested marks are ignored. */
static int tl__index_quotes(tl_db *db, int64_t doc_id, const char *text, size_t len, const int32_t *sent_start,
                            size_t n_sent)
{
    static const char qsql[] = "INSERT INTO quotes (doc_id, idx, sentence, start_cp, end_cp, text)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    static const char fsql[] = "INSERT INTO text_search (rowid, text, kind, doc_id, sentence)"
                               " VALUES (?1 * 16777216 + 8388608 + ?2, ?3, 'quote', ?1, ?4)";
    if (!text || n_sent == 0)
        return SQLITE_OK;
    sqlite3_stmt *qs = NULL, *fs = NULL;
    int rc = tl__prepare(db, qsql, &qs);
    if (rc == SQLITE_OK)
        rc = tl__prepare(db, fsql, &fs);
    uint32_t want = 0; /* the closing mark awaited, 0 when outside a quote */
    size_t qb = 0;     /* byte offset of the quote's text */
    int32_t qcp = 0, cp = 0, n_quotes = 0, letters = 0, newlines = 0;
    for (size_t i = 0; rc == SQLITE_OK && i < len;) {
        const size_t at = i;
        const uint32_t c = tl__next_cp(text, len, &i);
        if (want) {
            if (c == want || (want == 0x201C && c == 0x201D)) {
                if (letters && n_quotes < 8388608) {
                    int32_t sent = tl__sentence_of(sent_start, n_sent, qcp);
                    rc = sqlite3_bind_int64(qs, 1, doc_id);
                    rc |= sqlite3_bind_int(qs, 2, n_quotes);
                    rc |= sqlite3_bind_int(qs, 3, sent);
                    rc |= sqlite3_bind_int(qs, 4, qcp);
                    rc |= sqlite3_bind_int(qs, 5, cp);
                    rc |= sqlite3_bind_text(qs, 6, text + qb, (int)(at - qb), SQLITE_STATIC);
                    if (rc == SQLITE_OK && (rc = sqlite3_step(qs)) == SQLITE_DONE)
                        rc = SQLITE_OK;
                    sqlite3_reset(qs);
                    if (rc == SQLITE_OK) {
                        rc = sqlite3_bind_int64(fs, 1, doc_id);
                        rc |= sqlite3_bind_int(fs, 2, n_quotes);
                        rc |= sqlite3_bind_text(fs, 3, text + qb, (int)(at - qb), SQLITE_STATIC);
                        rc |= sqlite3_bind_int(fs, 4, sent);
                        if (rc == SQLITE_OK && (rc = sqlite3_step(fs)) == SQLITE_DONE)
                            rc = SQLITE_OK;
                        sqlite3_reset(fs);
                    }
                    n_quotes++;
                }
                want = 0;
            } else if (c == '\n' && ++newlines >= 2) {
                want = 0; /* a blank line ends the paragraph */
            } else if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                newlines = 0;
                letters |= (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0xC0;
                if (cp - qcp >= TL__QUOTE_MAX)
                    want = 0;
            }
        } else {
            uint32_t close = c == 0x201C ? 0x201D : c == 0xAB ? 0xBB : c == 0x201E ? 0x201C : c == '"' ? '"' : 0;
            if (close) {
                want = close;
                qb = i;
                qcp = cp + 1;
                letters = 0;
                newlines = 0;
            }
        }
        cp++;
    }
    tl__release(db, qs);
    tl__release(db, fs);
    return rc;
}

/* Binders (declared in timeline_int.h).  Data is bound SQLITE_STATIC: the
 * caller keeps it alive until the statement is reset. */

/* NULL or "" -> NULL. */
int tl__bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* NULL -> "" (for NOT NULL columns). */
int tl__bind_req(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

/* A fixed-size char array that might lack its NUL; "" -> NULL. */
int tl__bind_arr(sqlite3_stmt *st, int i, const char *arr, size_t cap)
{
    size_t n = strnlen(arr, cap);
    if (n == 0)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, arr, (int)n, SQLITE_STATIC);
}

/* The document's text for code points [start, end). */
int tl__bind_span(sqlite3_stmt *st, int i, const tl__cpindex *ix, int32_t start, int32_t end)
{
    size_t b0 = tl__cpindex_byte(ix, start), b1 = tl__cpindex_byte(ix, end);
    if (b1 - b0 > INT32_MAX)
        return SQLITE_TOOBIG;
    return sqlite3_bind_text(st, i, ix->text + b0, (int)(b1 - b0), SQLITE_STATIC);
}

/* An index that is -1 for "none". */
int tl__bind_idx(sqlite3_stmt *st, int i, int32_t idx)
{
    return idx < 0 ? sqlite3_bind_null(st, i) : sqlite3_bind_int(st, i, idx);
}

/* Steps an INSERT/DELETE once; on success resets it for the next use. */
static int tl__run(sqlite3_stmt *st, int bind_rc)
{
    if (bind_rc != SQLITE_OK)
        return bind_rc;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        return rc;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return SQLITE_OK;
}

/* Puts doc's sentences and quotes (stored document doc_id) into the search
 * index, and its quotes into `quotes`.  The last writes of an ingest, after
 * the clustering: FTS5 writes out what it holds at every statement
 * savepoint, and a clustering statement that changes several rows takes
 * one, so indexing first made that statement pay for the document's index
 * (the benchmark's split put a tenth of ingest under clustering); now the
 * index is written at COMMIT, where it was anyway for most documents.  The
 * total is the same.  sent_start gets each sentence's start, made
 * non-decreasing. */
static int tl__index_doc(tl_db *db, sqlite3_stmt *const *s, const sx_doc *doc, const tl__cpindex *ix,
                         int64_t doc_id, int32_t *sent_start)
{
    for (size_t i = 0; i < doc->n_sentences; i++) {
        const sx_sentence *se = &doc->sentences[i];
        sent_start[i] = se->start;
        if (i < 8388608) { /* the search index's rowid range per document */
            int rc = sqlite3_bind_int64(s[S_FTS], 1, doc_id);
            rc |= sqlite3_bind_int64(s[S_FTS], 2, (int64_t)i);
            rc |= tl__bind_span(s[S_FTS], 3, ix, se->start, se->end);
            if ((rc = tl__run(s[S_FTS], rc)) != SQLITE_OK)
                return rc;
        }
    }
    /* sentences are in text order; quotes find theirs by binary search */
    for (size_t i = 1; i < doc->n_sentences; i++)
        if (sent_start[i] < sent_start[i - 1])
            sent_start[i] = sent_start[i - 1];
    return tl__index_quotes(db, doc_id, doc->text, doc->text_len, sent_start, doc->n_sentences);
}

/* Inserts every row of doc but the search index's (tl__index_doc); the
 * caller holds the transaction. */
static int tl__insert_doc(tl_db *db, sqlite3_stmt *const *s, const sx_doc *doc, const tl__cpindex *ix,
                          const char *fingerprint, int64_t *actor_ids, int64_t *out_id)
{
    int rc = 0;
    char dct[32] = "";
    if (doc->has_dct)
        sx_date_format(&doc->dct, dct, sizeof dct);
    sqlite3_stmt *q = s[S_DOC];
    rc = sqlite3_bind_text(q, 1, doc->path, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(q, 2, doc->sha256, (int)strnlen(doc->sha256, 64), SQLITE_STATIC);
    rc |= tl__bind_opt(q, 3, dct);
    rc |= tl__bind_req(q, 4, doc->dct_source ? doc->dct_source : "none");
    rc |= sqlite3_bind_int(q, 5, doc->n_codepoints);
    rc |= sqlite3_bind_text(q, 6, doc->text, (int)doc->text_len, SQLITE_STATIC);
    rc |= sqlite3_bind_double(q, 7, doc->dct_confidence);
    rc |= tl__bind_arr(q, 8, doc->dct_note, sizeof doc->dct_note);
    rc |= sqlite3_bind_text(q, 9, fingerprint, -1, SQLITE_STATIC);
    if (doc->text_len > INT32_MAX)
        rc = SQLITE_TOOBIG;
    if ((rc = tl__run(q, rc)) != SQLITE_OK)
        return rc;
    const int64_t doc_id = sqlite3_last_insert_rowid(db->conn);
    *out_id = doc_id;

    q = s[S_SENT];
    for (size_t i = 0; i < doc->n_sentences; i++) {
        const sx_sentence *se = &doc->sentences[i];
        rc = sqlite3_bind_int64(q, 1, doc_id);
        rc |= sqlite3_bind_int64(q, 2, (int64_t)i);
        rc |= sqlite3_bind_int(q, 3, se->start);
        rc |= sqlite3_bind_int(q, 4, se->end);
        rc |= tl__bind_span(q, 5, ix, se->start, se->end);
        if ((rc = tl__run(q, rc)) != SQLITE_OK)
            return rc;
    }

    q = s[S_TIMEX];
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        rc = sqlite3_bind_int64(q, 1, doc_id);
        rc |= sqlite3_bind_int64(q, 2, (int64_t)i);
        rc |= sqlite3_bind_int(q, 3, t->sentence);
        rc |= sqlite3_bind_int(q, 4, t->start);
        rc |= sqlite3_bind_int(q, 5, t->end);
        rc |= t->text ? tl__bind_req(q, 6, t->text) : tl__bind_span(q, 6, ix, t->start, t->end);
        rc |= tl__bind_req(q, 7, sx_timex_type_str(t->type));
        rc |= sqlite3_bind_text(q, 8, t->value, (int)strnlen(t->value, sizeof t->value), SQLITE_STATIC);
        rc |= tl__bind_arr(q, 9, t->mod, sizeof t->mod);
        rc |= tl__bind_arr(q, 10, t->quant, sizeof t->quant);
        rc |= tl__bind_arr(q, 11, t->freq, sizeof t->freq);
        rc |= tl__bind_idx(q, 12, t->anchor);
        rc |= tl__bind_arr(q, 13, t->begin, sizeof t->begin);
        rc |= tl__bind_arr(q, 14, t->end_iso, sizeof t->end_iso);
        rc |= tl__bind_arr(q, 15, t->tz, sizeof t->tz);
        if ((rc = tl__run(q, rc)) != SQLITE_OK)
            return rc;
    }

    q = s[S_ACTOR];
    for (size_t i = 0; i < doc->n_actors; i++) {
        const sx_actor *a = &doc->actors[i];
        rc = sqlite3_bind_int64(q, 1, doc_id);
        rc |= sqlite3_bind_int64(q, 2, (int64_t)i);
        rc |= tl__bind_req(q, 3, sx_actor_kind_str(a->kind));
        rc |= tl__bind_req(q, 4, a->name);
        rc |= tl__bind_opt(q, 5, a->country);
        rc |= tl__bind_opt(q, 6, a->title);
        rc |= sqlite3_bind_int(q, 7, a->mentions);
        if ((rc = tl__run(q, rc)) != SQLITE_OK)
            return rc;
        actor_ids[i] = sqlite3_last_insert_rowid(db->conn);
    }

    for (size_t i = 0; i < doc->n_events; i++) {
        const sx_event *e = &doc->events[i];
        q = s[S_EVENT];
        rc = sqlite3_bind_int64(q, 1, doc_id);
        rc |= sqlite3_bind_int64(q, 2, (int64_t)i);
        rc |= tl__bind_req(q, 3, e->type);
        rc |= tl__bind_req(q, 4, e->cameo);
        rc |= tl__bind_req(q, 5, e->status);
        rc |= tl__bind_arr(q, 6, e->date, sizeof e->date);
        rc |= tl__bind_arr(q, 7, e->time, sizeof e->time);
        rc |= tl__bind_idx(q, 8, e->date_timex);
        rc |= tl__bind_arr(q, 9, e->begin, sizeof e->begin);
        rc |= tl__bind_arr(q, 10, e->end_iso, sizeof e->end_iso);
        rc |= tl__bind_opt(q, 11, e->location);
        rc |= tl__bind_arr(q, 12, e->duration, sizeof e->duration);
        rc |= tl__bind_arr(q, 13, e->duration_mod, sizeof e->duration_mod);
        rc |= tl__bind_arr(q, 14, e->planned_duration, sizeof e->planned_duration);
        rc |= tl__bind_req(q, 15, e->summary);
        rc |= tl__bind_opt(q, 16, e->date_source);
        if ((rc = tl__run(q, rc)) != SQLITE_OK)
            return rc;
        const int64_t event_id = sqlite3_last_insert_rowid(db->conn);

        q = s[S_PART];
        for (size_t k = 0; k < e->n_participants; k++) {
            rc = sqlite3_bind_int64(q, 1, event_id);
            rc |= sqlite3_bind_int64(q, 2, actor_ids[e->participants[k].actor]);
            rc |= tl__bind_req(q, 3, e->participants[k].role);
            if ((rc = tl__run(q, rc)) != SQLITE_OK)
                return rc;
        }
        q = s[S_KEYS];
        for (size_t k = 0; k < e->n_participants && strnlen(e->begin, sizeof e->begin); k++) {
            const sx_actor *a = &doc->actors[e->participants[k].actor];
            if (!sx_role_is_core(e->participants[k].role ? e->participants[k].role : ""))
                continue; /* (the role as S_PART stored it) */
            rc = tl__bind_req(q, 1, e->type);
            rc |= tl__bind_req(q, 2, a->name);
            rc |= tl__bind_req(q, 3, sx_actor_kind_str(a->kind));
            rc |= tl__bind_arr(q, 4, e->begin, sizeof e->begin);
            rc |= sqlite3_bind_int64(q, 5, event_id);
            rc |= sqlite3_bind_int64(q, 6, doc_id);
            rc |= tl__bind_arr(q, 7, e->end_iso, sizeof e->end_iso);
            if ((rc = tl__run(q, rc)) != SQLITE_OK)
                return rc;
        }
        q = s[S_MENT];
        for (size_t k = 0; k < e->n_mentions; k++) {
            const sx_mention *m = &e->mentions[k];
            rc = sqlite3_bind_int64(q, 1, event_id);
            rc |= sqlite3_bind_int(q, 2, m->sentence);
            rc |= sqlite3_bind_int(q, 3, m->start);
            rc |= sqlite3_bind_int(q, 4, m->end);
            rc |= tl__bind_span(q, 5, ix, m->start, m->end);
            if ((rc = tl__run(q, rc)) != SQLITE_OK)
                return rc;
        }
    }

    q = s[S_WARN];
    for (size_t i = 0; i < doc->n_warnings; i++) {
        rc = sqlite3_bind_int64(q, 1, doc_id);
        rc |= tl__bind_req(q, 2, doc->warnings[i]);
        if ((rc = tl__run(q, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

tl_status tl_ingest(tl_db *db, const sx_doc *doc, int64_t *doc_id)
{
    tl_ingest_info info = {0, TL_INGEST_NEW};
    tl_status st = tl_ingest_doc(db, doc, &info);
    if (doc_id)
        *doc_id = st == TL_OK ? info.doc_id : 0;
    return st;
}

/* Checks for an unchanged copy, deletes what doc replaces (noting the
 * dates of its events) and inserts doc; the caller holds the transaction. */
static int tl__replace_doc(tl_db *db, sqlite3_stmt *const *s, const sx_doc *doc, const tl__cpindex *ix,
                           int64_t *actor_ids, int32_t *sent_start, tl__dirty *dirty, tl_ingest_info *info)
{
    char fp[17];
    tl__fingerprint(doc, fp);
    const int stdin_doc = strcmp(doc->path, "-") == 0;
    sqlite3_stmt *q = s[S_OLD];
    int rc = sqlite3_bind_text(q, 1, doc->sha256, (int)strnlen(doc->sha256, 64), SQLITE_STATIC);
    rc |= sqlite3_bind_text(q, 2, doc->path, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK)
        return rc;
    int64_t old[2] = {0, 0};
    size_t n_old = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const int64_t id = sqlite3_column_int64(q, 0);
        const char *path = (const char *)sqlite3_column_text(q, 1), *ofp = (const char *)sqlite3_column_text(q, 2);
        const int same_content = sqlite3_column_int(q, 3);
        if (same_content && ofp && strcmp(ofp, fp) == 0 && path && (stdin_doc || strcmp(path, doc->path) == 0)) {
            sqlite3_reset(q);
            info->doc_id = id;
            info->outcome = TL_INGEST_UNCHANGED;
            return SQLITE_OK;
        }
        if (n_old < 2) /* sha256 and path are each unique: at most two rows */
            old[n_old++] = id;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return rc;
    if (n_old)
        tl__evcache_clear(db); /* the ids of deleted events can be taken again */
    for (size_t i = 0; i < n_old; i++) {
        if ((rc = tl__dirty_add_doc(db, old[i], dirty)) != SQLITE_OK)
            return rc;
        rc = sqlite3_bind_int64(s[S_DEL], 1, old[i]);
        if ((rc = tl__run(s[S_DEL], rc)) != SQLITE_OK)
            return rc;
    }
    info->outcome = n_old ? TL_INGEST_REPLACED : TL_INGEST_NEW;
    if ((rc = tl__insert_doc(db, s, doc, ix, fp, actor_ids, &info->doc_id)) != SQLITE_OK)
        return rc;
    tl__mark(db, TL__PHASE_TIMELINE);
    if ((rc = tl__dirty_add_doc(db, info->doc_id, dirty)) != SQLITE_OK ||
        (rc = tl__timeline_refresh(db, dirty)) != SQLITE_OK)
        return rc;
    tl__mark(db, TL__PHASE_INDEX);
    return tl__index_doc(db, s, doc, ix, info->doc_id, sent_start);
}

tl_status tl_ingest_doc(tl_db *db, const sx_doc *doc, tl_ingest_info *info)
{
    tl_ingest_info local = {0, TL_INGEST_NEW};
    if (!info)
        info = &local;
    info->doc_id = 0;
    info->outcome = TL_INGEST_NEW;
    if (!db)
        return TL_EINVAL;
    if (!db->conn)
        return tl__fail(db, TL_EINVAL, "the database is not open");
    if (sqlite3_db_readonly(db->conn, "main") == 1)
        return tl__fail(db, TL_EINVAL, "cannot store '%s': the database was opened read-only",
                        doc && doc->path ? doc->path : "(no document)");
    tl__cpindex ix;
    tl_status st = tl__doc_check(db, doc, &ix);
    if (st != TL_OK)
        return st;

    sqlite3_stmt *s[S_COUNT] = {0};
    int64_t *actor_ids = calloc(doc->n_actors ? doc->n_actors : 1, sizeof *actor_ids);
    int32_t *sent_start = calloc(doc->n_sentences ? doc->n_sentences : 1, sizeof *sent_start);
    tl__dirty dirty = {0};
    int in_tx = 0;
    if (!actor_ids || !sent_start) {
        st = tl__fail(db, TL_ENOMEM, "cannot store '%s': out of memory", doc->path);
        goto done;
    }
    for (int i = 0; i < S_COUNT; i++) {
        if (tl__prepare(db, tl__ingest_sql[i], &s[i]) != SQLITE_OK) {
            st = tl__sql_fail(db, "cannot store '%s'", doc->path);
            goto done;
        }
    }
    tl__mark(db, TL__PHASE_ROWS);
    if (tl__exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    in_tx = 1;
    int rc = tl__evcache_check(db);
    if (rc == SQLITE_OK)
        rc = tl__replace_doc(db, s, doc, &ix, actor_ids, sent_start, &dirty, info);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_TOOBIG || rc == SQLITE_NOMEM)
            st = tl__fail(db, rc == SQLITE_NOMEM ? TL_ENOMEM : TL_ESQL, "cannot store '%s': %s", doc->path,
                          sqlite3_errstr(rc));
        else
            st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    /* Statements must be idle before COMMIT. */
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_reset(s[i]);
    tl__mark(db, TL__PHASE_COMMIT);
    if (tl__exec(db, "COMMIT") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    in_tx = 0;
    tl__mark(db, TL__PHASE_END);

done:
    for (int i = 0; i < S_COUNT; i++)
        tl__release(db, s[i]);
    if (in_tx && !sqlite3_get_autocommit(db->conn))
        tl__exec(db, "ROLLBACK"); /* keeps the first error's message */
    if (in_tx) /* the cache may hold this document's events, and where the rolled-back writes put others */
        tl__evcache_clear(db);
    if (st != TL_OK) {
        info->doc_id = 0;
        info->outcome = TL_INGEST_NEW;
    }
    tl__dirty_free(&dirty);
    free(actor_ids);
    free(sent_start);
    tl__cpindex_free(&ix);
    return st;
}

/* ---- remove ------------------------------------------------------------------- */

tl_status tl_remove(tl_db *db, const char *key, size_t *n_removed)
{
    static const char find_sql[] =
        "SELECT id, sha256 = lower(?1) OR path = ?1 FROM documents WHERE path = ?1 OR sha256 = lower(?1)"
        " OR (length(?1) BETWEEN 8 AND 63 AND ?1 NOT GLOB '*[^0-9a-fA-F]*'"
        "     AND substr(sha256, 1, length(?1)) = lower(?1))"
        " ORDER BY id";
    if (n_removed)
        *n_removed = 0;
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !key || !*key)
        return tl__fail(db, TL_EINVAL, "cannot remove: %s", db->conn ? "no document named" : "the database is not open");
    if (sqlite3_db_readonly(db->conn, "main") == 1)
        return tl__fail(db, TL_EINVAL, "cannot remove '%s': the database was opened read-only", key);
    sqlite3_stmt *find = NULL, *del = NULL;
    tl__dirty dirty = {0};
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, exact = 0;
    tl_status st = TL_OK;
    int in_tx = 0, rc;
    if (tl__prepare(db, find_sql, &find) != SQLITE_OK ||
        tl__prepare(db, "DELETE FROM documents WHERE id = ?1", &del) != SQLITE_OK ||
        tl__exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot remove '%s'", key);
        goto done;
    }
    in_tx = 1;
    tl__evcache_clear(db); /* the ids of deleted events can be taken again */
    sqlite3_bind_text(find, 1, key, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(find)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *v = realloc(ids, cap * sizeof *v);
            if (!v) {
                st = tl__fail(db, TL_ENOMEM, "cannot remove '%s': out of memory", key);
                goto done;
            }
            ids = v;
        }
        ids[n++] = sqlite3_column_int64(find, 0);
        exact += sqlite3_column_int(find, 1) != 0;
    }
    sqlite3_reset(find);
    if (rc != SQLITE_DONE) {
        st = tl__sql_fail(db, "cannot remove '%s'", key);
        goto done;
    }
    if (exact == 0 && n > 1) {
        st = tl__fail(db, TL_EINVAL, "cannot remove '%s': the prefix matches %zu documents; give more digits",
                      key, n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        rc = tl__dirty_add_doc(db, ids[i], &dirty);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(del, 1, ids[i]);
            rc = tl__run(del, SQLITE_OK);
        }
        if (rc != SQLITE_OK) {
            st = rc == SQLITE_NOMEM ? tl__fail(db, TL_ENOMEM, "cannot remove '%s': out of memory", key)
                                    : tl__sql_fail(db, "cannot remove '%s'", key);
            goto done;
        }
    }
    if (n && (rc = tl__timeline_refresh(db, &dirty)) != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot remove '%s'", key);
        goto done;
    }
    sqlite3_reset(del);
    if (tl__exec(db, "COMMIT") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot remove '%s'", key);
        goto done;
    }
    in_tx = 0;
    if (n_removed)
        *n_removed = n;
done:
    tl__release(db, find);
    tl__release(db, del);
    if (in_tx && !sqlite3_get_autocommit(db->conn))
        tl__exec(db, "ROLLBACK");
    if (in_tx)
        tl__evcache_clear(db); /* it may hold where the rolled-back writes put events */
    tl__dirty_free(&dirty);
    free(ids);
    return st;
}

/* ---- counts ----------------------------------------------------------------------- */

tl_status tl_count(tl_db *db, tl_counts *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), (SELECT count(*) FROM timexes),"
        " (SELECT count(*) FROM timeline_events), (SELECT count(*) FROM timeline_events WHERE n_conflicts > 0)";
    if (!db || !out)
        return TL_EINVAL;
    memset(out, 0, sizeof *out);
    if (!db->conn)
        return tl__fail(db, TL_EINVAL, "cannot count: the database is not open");
    sqlite3_stmt *st = NULL;
    if (tl__prepare(db, sql, &st) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        tl_status r = tl__sql_fail(db, "cannot count the timeline");
        tl__release(db, st);
        return r;
    }
    out->documents = sqlite3_column_int64(st, 0);
    out->events = sqlite3_column_int64(st, 1);
    out->timexes = sqlite3_column_int64(st, 2);
    out->timeline_events = sqlite3_column_int64(st, 3);
    out->conflicts = sqlite3_column_int64(st, 4);
    tl__release(db, st);
    return TL_OK;
}

/* ---- SQL functions ------------------------------------------------------------------ */

static unsigned char tl__lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* tl_name_match(name, query): query is name, or a run of whole words of it
 * (words end at spaces), ASCII case-insensitive. */
static void tl__name_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *name = sqlite3_value_text(argv[0]), *q = sqlite3_value_text(argv[1]);
    if (!name || !q) {
        sqlite3_result_null(ctx);
        return;
    }
    const size_t nl = strlen((const char *)name), ql = strlen((const char *)q);
    int hit = 0;
    for (size_t at = 0; ql && at + ql <= nl && !hit; at++) {
        if (at > 0 && name[at - 1] != ' ')
            continue;
        if (at + ql < nl && name[at + ql] != ' ')
            continue;
        size_t k = 0;
        while (k < ql && tl__lower(name[at + k]) == tl__lower(q[k]))
            k++;
        hit = k == ql;
    }
    sqlite3_result_int(ctx, hit);
}

static void tl__role_is_core(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *role = sqlite3_value_text(argv[0]);
    sqlite3_result_int(ctx, role && sx_role_is_core((const char *)role));
}

int tl__register_functions(tl_db *db)
{
    int rc = sqlite3_create_function(db->conn, "tl_name_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                     tl__name_match, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db->conn, "tl_role_is_core", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                     tl__role_is_core, NULL, NULL);
    return rc;
}
