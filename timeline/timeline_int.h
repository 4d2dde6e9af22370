/*
 * timeline_int.h -- internals shared by the timeline's .c files (prefix tl__).
 *
 * Not installed and not part of the public API.  store.c defines the
 * helpers (errors, buffers, binders, the code point index); cluster.c the
 * timeline layer; chronology.c the filter binder; html.c the HTML export.
 *
 * Ownership: a tl__cpindex borrows the document text it indexes and owns its
 * mark array (tl__cpindex_free).  A tl__buf owns its bytes (tl__buf_free).
 */
#ifndef SUMMIT_TIMELINE_INT_H
#define SUMMIT_TIMELINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "timeline.h"

#if defined(__GNUC__)
#define TL__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TL__PRINTF(f, a)
#endif

/* Where an ingest is (tl_ingest_doc): tl__phase_hook's callback gets each
 * mark as the stage begins, TL__PHASE_END when the document is committed.
 * The benchmark (bench/bench.c) reads its clock there, so the storage time
 * splits into rows, timeline and commit; the library itself reads no clock.
 * A NULL fn (the default) turns the marks off. */
enum { TL__PHASE_ROWS, TL__PHASE_TIMELINE, TL__PHASE_INDEX, TL__PHASE_COMMIT, TL__PHASE_END };
void tl__phase_hook(tl_db *db, void (*fn)(void *ctx, int phase), void *ctx);

/* The schema, compiled in by cmake/embed.cmake: for new databases the
 * current one (schema/schema.sql, version 1, and every migration flattened
 * into one script at build time by cmake/schema_flatten.c), for upgrades
 * the migrations schema/migrate_N.sql. */
extern const unsigned char tl_schema_current_sql[];
extern const unsigned char tl_migrate_2_sql[];
extern const unsigned long tl_migrate_2_sql_len;
extern const unsigned char tl_migrate_3_sql[];
extern const unsigned long tl_migrate_3_sql_len;
extern const unsigned char tl_migrate_4_sql[];
extern const unsigned long tl_migrate_4_sql_len;
extern const unsigned char tl_migrate_5_sql[];
extern const unsigned long tl_migrate_5_sql_len;

/* The name of the VFS (walbuf.c) that writes each commit's WAL frames with
 * one system call, registered on first use; NULL if the default VFS could
 * not be wrapped (then the default is used). */
const char *tl__walbuf_vfs(void);
/* For tests: the bytes a WAL handle of that VFS holds unwritten (none once a
 * commit has returned), or (size_t)-1 for another handle. */
size_t tl__walbuf_buffered(sqlite3_file *wal);

/* Oldest SQLite with STRICT tables and built-in JSON functions. */
#define TL__MIN_SQLITE 3038000

/* Event order shared by tl_chronology, tl_export and the `chronology` view
 * in schema/schema.sql (keep the three in step): by the start of the date's
 * interval, coarser dates first when they start together, then resolved
 * before unresolved values, undated last; within a date untimed events
 * before timed ones; then document and event order.  Expects events as `e`
 * and documents as `d`. */
#define TL__EVENT_ORDER                                                        \
    " ORDER BY e.sort_begin IS NULL, e.sort_begin, e.sort_end DESC,"           \
    " e.date IS NULL, e.date, e.time IS NOT NULL, e.time, d.id, e.idx"

/* The same order for timeline events (`te`): the `chronology` view in
 * schema/migrate_2.sql, tl_chronology_filtered and the exports. */
#define TL__TIMELINE_ORDER                                                     \
    " ORDER BY te.sort_begin IS NULL, te.sort_begin, te.sort_end DESC,"        \
    " te.date IS NULL, te.date, te.time IS NOT NULL, te.time, te.lead_event_id"

/* The WHERE clause of a tl_filter over timeline events `te`, with the
 * parameters ?1 from (an ISO day), ?2 to (exclusive ISO day), ?3 type,
 * ?4 actor, ?5 and ?6 between; tl__filter_bind binds them. */
#define TL__FILTER_WHERE                                                                            \
    " WHERE (?1 IS NULL OR (te.sort_begin IS NOT NULL AND te.sort_end > ?1))"                       \
    " AND (?2 IS NULL OR (te.sort_begin IS NOT NULL AND te.sort_begin < ?2))"                       \
    " AND (?3 IS NULL OR te.type = ?3)"                                                             \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM timeline_participants fp"                            \
    "   WHERE fp.timeline_event_id = te.id AND tl_name_match(fp.name, ?4)))"                        \
    " AND (?5 IS NULL OR (EXISTS (SELECT 1 FROM timeline_participants fp"                           \
    "   WHERE fp.timeline_event_id = te.id AND tl_name_match(fp.name, ?5))"                         \
    "  AND EXISTS (SELECT 1 FROM timeline_participants fp"                                          \
    "   WHERE fp.timeline_event_id = te.id AND tl_name_match(fp.name, ?6))))"

/* Checks filter's dates and binds its parameters (1..6) to st.  Day
 * strings are written into days (2 x 24 bytes), which must outlive the
 * statement's use.  Returns TL_OK or TL_EINVAL with a message on db. */
tl_status tl__filter_bind(tl_db *db, const tl_filter *filter, sqlite3_stmt *st, char days[2][24]);

/* Writes a printf-style message into db->errmsg and returns st. */
tl_status tl__fail(tl_db *db, tl_status st, const char *fmt, ...) TL__PRINTF(3, 4);
/* Like tl__fail, appending ": <sqlite3_errmsg>"; TL_ENOMEM or TL_ESQL by
 * the connection's last error.  Call it right after the failing call. */
tl_status tl__sql_fail(tl_db *db, const char *fmt, ...) TL__PRINTF(2, 3);

/* Code point -> byte offset index over a document's text.  Records the byte
 * offset of every TL__CP_STRIDE-th code point, so building is one linear
 * pass and a lookup walks at most TL__CP_STRIDE - 1 code points. */
#define TL__CP_STRIDE 64
typedef struct tl__cpindex {
    const char *text; /* borrowed */
    size_t len;       /* bytes */
    int32_t n_cp;     /* code points in text */
    size_t *marks;    /* owned; n_cp / TL__CP_STRIDE + 1 entries */
} tl__cpindex;

/* Byte offset of code point cp, 0 <= cp <= ix->n_cp. */
size_t tl__cpindex_byte(const tl__cpindex *ix, int32_t cp);
void tl__cpindex_free(tl__cpindex *ix);

/* Checks that doc is internally consistent (non-NULL strings where required,
 * every offset inside the text, every index in range, n_codepoints matching
 * the text) and builds ix over doc->text.  On failure returns TL_EINVAL or
 * TL_ENOMEM with a message naming the document, and ix holds nothing. */
tl_status tl__doc_check(tl_db *db, const sx_doc *doc, tl__cpindex *ix);

/* Parameter binders; text is bound SQLITE_STATIC, so it must outlive the
 * step.  Each returns an SQLite code.
 *   tl__bind_opt   NULL or "" -> NULL
 *   tl__bind_req   NULL -> "" (for NOT NULL columns)
 *   tl__bind_arr   a fixed-size char array, possibly without NUL; "" -> NULL
 *   tl__bind_span  the text of code points [start, end) through ix
 *   tl__bind_idx   an index, -1 -> NULL */
int tl__bind_opt(sqlite3_stmt *st, int i, const char *s);
int tl__bind_req(sqlite3_stmt *st, int i, const char *s);
int tl__bind_arr(sqlite3_stmt *st, int i, const char *arr, size_t cap);
int tl__bind_span(sqlite3_stmt *st, int i, const tl__cpindex *ix, int32_t start, int32_t end);
int tl__bind_idx(sqlite3_stmt *st, int i, int32_t idx);

/* Growable byte buffer, always NUL-terminated once anything was added. */
typedef struct tl__buf {
    char *s;
    size_t len, cap;
} tl__buf;

/* Appends n bytes of s; returns 0, or -1 when out of memory. */
int tl__buf_add(tl__buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
int tl__buf_adds(tl__buf *b, const char *s);
void tl__buf_free(tl__buf *b);

/* Prepares, runs to completion and finalizes one constant SQL statement
 * (no parameters).  Returns the SQLite result code (SQLITE_OK on success);
 * sqlite3_errmsg(db->conn) holds the detail on failure. */
int tl__exec(tl_db *db, const char *sql);
/* Prepared statements kept on the connection, keyed by their SQL text:
 * preparing (parsing, planning, foreign-key actions) cost more than running
 * the statements of a small document.  tl__prepare hands out an idle cached
 * statement for sql, reset with no bindings, preparing it on first use (a
 * copy of one already handed out and not released comes uncached);
 * tl__release resets a cached statement for the next use or finalizes an
 * uncached one (NULL is fine).  tl_db_close finalizes the cache.  Returns
 * and error messages are sqlite3_prepare_v3's. */
int tl__prepare(tl_db *db, const char *sql, sqlite3_stmt **out);
void tl__release(tl_db *db, sqlite3_stmt *st);

/* ---- the timeline layer (cluster.c) ---- */

/* Days since 1970-01-01 of a string starting "YYYY-MM-DD" (then NUL or
 * 'T'); returns 0 when it is not one. */
int tl__day_number(const char *s, int32_t *out);
/* The ISO day ("YYYY-MM-DD") of a day number, into buf (>= 11 bytes). */
void tl__day_string(int32_t day, char *buf, size_t buflen);

/* What changed, for rebuilding clusters: seeds, the placed events a change
 * added or deleted (type, date interval, core participants), or all. */
typedef struct tl__seed {
    size_t type, begin, end, names; /* offsets into the pool; names: n_names "name\0kind\0" pairs */
    int n_names;
    int64_t event_id;
} tl__seed;
typedef struct tl__dirty {
    tl__buf pool;
    tl__seed *v;
    size_t n, cap;
    int64_t *docs, *tes; /* the documents named, the clusters their events were in */
    size_t n_docs, cap_docs, n_tes, cap_tes;
    int all; /* rebuild every cluster */
} tl__dirty;

/* Adds the placed events of a stored document that have core participants,
 * the document and the clusters its events are in (call it before deleting
 * the document, and after inserting one).  An SQLite code. */
int tl__dirty_add_doc(tl_db *db, int64_t doc_id, tl__dirty *d);
void tl__dirty_free(tl__dirty *d);
/* Rebuilds the clusters of every component a seed of d touches (or all of
 * them), gives each event without a cluster one of its own and drops
 * clusters left without sources.  The caller holds the write transaction.  An SQLite code. */
int tl__timeline_refresh(tl_db *db, const tl__dirty *d);
/* The clustering's cache of stored events (cluster.c).  Stored events do
 * not change, but their ids can be taken again once deleted: call
 * tl__evcache_clear after deleting documents or rolling back a write, and
 * tl__evcache_check at the start of every write transaction (it clears the
 * cache when another connection has committed since).  An SQLite code. */
void tl__evcache_clear(tl_db *db);
int tl__evcache_check(tl_db *db);
void tl__evcache_free(tl_db *db);
/* Sets the size of each of the cache's two generations (events, and bytes
 * of strings, shapes and participants; 0 for the defaults) and empties it,
 * resetting tl__comp_limit's settings too (call that after): tests make it
 * tiny. */
int tl__evcache_limit(tl_db *db, size_t events, size_t bytes);
/* The events in the cache, the shapes they share (what reports of one
 * happening have in common, kept once) and the bytes that
 * tl__evcache_limit bounds, in both generations.  For tests. */
void tl__evcache_sizes(tl_db *db, size_t *events, size_t *shapes, size_t *bytes);
/* The stored events the clustering has loaded on this connection: from
 * the cache (cached) and from SQLite (stored), since it was opened or
 * tl__evcache_limit was last called (tl__evcache_clear keeps the counts;
 * a full rebuild, which reads without the cache, is not counted).  For the
 * benchmark, which prints them per document, and tests. */
void tl__load_counts(tl_db *db, uint64_t *cached, uint64_t *stored);
/* Sets which components the clustering keeps from one refresh to the next
 * (tl__comp in cluster.c: those of at least min_events placed events,
 * max_events in all; 0 for the defaults, and max_events 1 keeps none) and
 * the step between the sort keys of a cluster's sources (ord_gap; 0 for
 * the default, 2^20), and empties the cache; tl__comp_hits is the number
 * of refreshes a kept component has served on this connection, and
 * tl__comp_keeps the number of parts it has kept.  For tests.  An SQLite
 * code. */
int tl__comp_limit(tl_db *db, size_t min_events, size_t max_events, int64_t ord_gap);
uint64_t tl__comp_hits(tl_db *db);
uint64_t tl__comp_keeps(tl_db *db);
/* Whether a refresh gathers and clusters the component of each seed of a
 * document in turn (apart 1, the default) or all of them at once (0, as
 * before tl__rebuild_apart in cluster.c); tl__comp_limit and
 * tl__evcache_limit reset it.  For tests, which compare the two.  An
 * SQLite code. */
int tl__gather_apart(tl_db *db, int apart);

/* The HTML export (html.c); *left_out gets the undated events listed but
 * not drawn.  Same contract as tl_export_filtered. */
tl_status tl__export_html(tl_db *db, const tl_filter *filter, FILE *out, size_t *left_out);

/* Registers the SQL functions on db's connection: tl_name_match(name,
 * query), 1 when query (ASCII case-insensitive) is the name or a run of
 * whole words of it; tl_role_is_core(role), sx_role_is_core.  An SQLite
 * code. */
int tl__register_functions(tl_db *db);

#endif
