/*
 * store.c -- the timeline's SQLite store: open, create and check a database,
 * and ingest extracted documents into it.
 *
 * Exports tl_status_str, tl_db_init, tl_db_open, tl_db_close, tl_db_errmsg
 * and tl_ingest, plus the internals of timeline_int.h (error helpers, the
 * code point index, document checks, a byte buffer).
 *
 * Opening: the connection gets foreign_keys=ON, a 5 s busy timeout and, for
 * a file opened read-write, journal_mode=WAL.  PRAGMA user_version says what
 * the file holds: 0 with no tables is a new database and gets the compiled-in
 * schema in one transaction (only with TL_OPEN_CREATE); TL_SCHEMA_VERSION
 * with a `documents` table is ours; anything else is refused before the file
 * is changed (newer versions with TL_ESCHEMA and an "upgrade summit" hint,
 * foreign SQLite files with TL_ESCHEMA, non-SQLite files with TL_EOPEN).
 *
 * Ingest: one BEGIN IMMEDIATE ... COMMIT per document, ROLLBACK on any
 * failure, so a document is stored whole or not at all.  A document is keyed
 * by its content (sha256) and by its path: ingesting deletes any stored
 * document with the same sha256 or, unless the path is "-" (stdin), the same
 * path, then inserts afresh (ON DELETE CASCADE removes the old rows).  So
 * re-ingesting refreshes the extraction; row ids change.  Empty strings are
 * stored as NULL except in NOT NULL columns.  Sentence and mention text is
 * the document's own substring for [start, end) code points, found through a
 * sparse code point index (one linear pass per document).
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
    return tl__fail(db, rc == SQLITE_NOMEM ? TL_ENOMEM : TL_ESQL, "%s: %s", what,
                    sqlite3_errmsg(db->conn));
}

int tl__exec(tl_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return SQLITE_OK;
    }
    sqlite3_finalize(st); /* keeps the step's error code and message */
    return rc;
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

const char *tl_db_errmsg(const tl_db *db)
{
    return db ? db->errmsg : "no database handle";
}

void tl_db_close(tl_db *db)
{
    if (!db || !db->conn)
        return;
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
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
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
    sqlite3_finalize(st);
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

/* Runs the compiled-in schema on an empty database, in one transaction.
 * *raced is set when another process created something meanwhile. */
static tl_status tl__create_schema(tl_db *db, const char *path, int *raced)
{
    *raced = 0;
    int rc = tl__exec(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return tl__open_fail(db, path, rc);
    tl__probe pr = {0, 0, 0};
    rc = tl__probe_db(db, &pr);
    if (rc == SQLITE_OK && (pr.version != 0 || pr.n_objects != 0)) {
        *raced = 1;
        tl__exec(db, "ROLLBACK");
        return TL_OK;
    }
    if (rc == SQLITE_OK) {
        /* Our own constant, multi-statement SQL: sqlite3_exec is the tool. */
        char *err = NULL;
        rc = sqlite3_exec(db->conn, (const char *)tl_schema_sql, NULL, NULL, &err);
        if (rc != SQLITE_OK) {
            tl__fail(db, TL_ESCHEMA, "cannot create the schema in '%s': %s", path,
                     err ? err : sqlite3_errstr(rc));
            sqlite3_free(err);
            tl__exec(db, "ROLLBACK");
            return TL_ESCHEMA;
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

/* Everything after sqlite3_open_v2: pragmas, schema check or creation. */
static tl_status tl__setup(tl_db *db, const char *path, int flags)
{
    const int readonly = (flags & TL_OPEN_READONLY) != 0;
    const int create = !readonly && (flags & TL_OPEN_CREATE) != 0;
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
        if (pr.version == TL_SCHEMA_VERSION) {
            if (!pr.has_documents)
                return tl__fail(db, TL_ESCHEMA,
                                "'%s' is not a summit database (schema version %lld but no documents table)",
                                path, pr.version);
            break;
        }
        if (pr.version != 0)
            return tl__fail(db, TL_ESCHEMA,
                            "database '%s' has schema version %lld, older than this summit (%d), and no "
                            "upgrade exists; re-create it",
                            path, pr.version, TL_SCHEMA_VERSION);
        if (pr.n_objects != 0)
            return tl__fail(db, TL_ESCHEMA,
                            "'%s' is not a summit database (it holds other tables and no summit schema)", path);
        if (!create)
            return tl__fail(db, TL_ESCHEMA, "'%s' holds no summit timeline yet (nothing was ingested)", path);
        if (attempt > 0)
            return tl__fail(db, TL_ESCHEMA, "cannot create the schema in '%s': it keeps changing", path);
        int raced = 0;
        tl_status st = tl__create_schema(db, path, &raced);
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
        if (rc != SQLITE_OK)
            return tl__open_fail(db, path, rc);
    }
    return TL_OK;
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

    int oflags = SQLITE_OPEN_READONLY;
    if (!(flags & TL_OPEN_READONLY))
        oflags = SQLITE_OPEN_READWRITE | ((flags & TL_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(path, &conn, oflags, NULL);
    if (rc != SQLITE_OK) {
        tl_status st = tl__fail(db, (rc & 0xff) == SQLITE_NOMEM ? TL_ENOMEM : TL_EOPEN,
                                "cannot open database '%s': %s", path,
                                conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
        sqlite3_close(conn);
        return st;
    }
    db->conn = conn;
    sqlite3_extended_result_codes(conn, 1);
    sqlite3_busy_timeout(conn, 5000);
    tl_status st = tl__setup(db, path, flags);
    if (st != TL_OK)
        tl_db_close(db);
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
    S_COUNT
};

static const char *const tl__ingest_sql[S_COUNT] = {
    [S_DEL] = "DELETE FROM documents WHERE sha256 = ?1 OR (?2 <> '-' AND path = ?2)",
    [S_DOC] = "INSERT INTO documents (path, sha256, dct, dct_source, n_chars, body, dct_confidence, dct_note)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
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
};

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

/* Inserts every row of doc; the caller holds the transaction. */
static int tl__insert_doc(tl_db *db, sqlite3_stmt *const *s, const sx_doc *doc, const tl__cpindex *ix,
                          int64_t *actor_ids, int64_t *out_id)
{
    int rc = 0;
    rc |= sqlite3_bind_text(s[S_DEL], 1, doc->sha256, (int)strnlen(doc->sha256, 64), SQLITE_STATIC);
    rc |= sqlite3_bind_text(s[S_DEL], 2, doc->path, -1, SQLITE_STATIC);
    if ((rc = tl__run(s[S_DEL], rc)) != SQLITE_OK)
        return rc;

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
    if (doc_id)
        *doc_id = 0;
    if (!db)
        return TL_EINVAL;
    if (!db->conn)
        return tl__fail(db, TL_EINVAL, "the database is not open");
    tl__cpindex ix;
    tl_status st = tl__doc_check(db, doc, &ix);
    if (st != TL_OK)
        return st;

    sqlite3_stmt *s[S_COUNT] = {0};
    int64_t *actor_ids = calloc(doc->n_actors ? doc->n_actors : 1, sizeof *actor_ids);
    int in_tx = 0;
    int64_t id = 0;
    if (!actor_ids) {
        st = tl__fail(db, TL_ENOMEM, "cannot store '%s': out of memory", doc->path);
        goto done;
    }
    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v2(db->conn, tl__ingest_sql[i], -1, &s[i], NULL) != SQLITE_OK) {
            st = tl__sql_fail(db, "cannot store '%s'", doc->path);
            goto done;
        }
    }
    if (tl__exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    in_tx = 1;
    int rc = tl__insert_doc(db, s, doc, &ix, actor_ids, &id);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_TOOBIG)
            st = tl__fail(db, TL_ESQL, "cannot store '%s': %s", doc->path, sqlite3_errstr(rc));
        else
            st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    /* Statements must be idle before COMMIT. */
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_reset(s[i]);
    if (tl__exec(db, "COMMIT") != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot store '%s'", doc->path);
        goto done;
    }
    in_tx = 0;
    if (doc_id)
        *doc_id = id;

done:
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s[i]);
    if (in_tx && !sqlite3_get_autocommit(db->conn))
        tl__exec(db, "ROLLBACK"); /* keeps the first error's message */
    free(actor_ids);
    tl__cpindex_free(&ix);
    return st;
}
