/*
 * timeline.h -- public interface of the summit timeline store (prefix tl_).
 *
 * The timeline keeps extracted documents in SQLite (schema in schema/schema.sql,
 * compiled in) and prints or exports them:
 *
 *   tl_db db;
 *   tl_db_init(&db);                                  -- cannot fail
 *   if (tl_db_open(&db, "timeline.db", TL_OPEN_CREATE) != TL_OK) die(tl_db_errmsg(&db));
 *   tl_ingest(&db, &doc, &doc_id);                    -- one transaction per document
 *   tl_chronology(&db, stdout);
 *   tl_export(&db, TL_FORMAT_CSV, stdout);
 *   tl_db_close(&db);                                 -- safe on an unopened db
 *
 * Two layers: per-document rows (documents, events, ...) exactly as the
 * extractor gave them, and the timeline layer (timeline_events and its
 * sources) that clusters the events of different documents reporting the
 * same happening.  Ingest and remove keep the timeline layer current in the
 * same transaction.  The chronology and the exports are per timeline event.
 *
 * Ownership: a tl_db owns its sqlite3 connection and prepared statements.
 * sx_doc arguments are borrowed for the call.  FILE arguments are borrowed
 * and never closed.  Error details live on the handle (tl_db_errmsg), never
 * in a global.  All SQL runs through prepared statements with bound
 * parameters.
 */
#ifndef SUMMIT_TIMELINE_H
#define SUMMIT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "extractor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TL_STATUS_TABLE(X)                                                   \
    X(TL_OK, "ok")                                                           \
    X(TL_ENOMEM, "out of memory")                                            \
    X(TL_EOPEN, "cannot open database")                                      \
    X(TL_ESCHEMA, "database schema is not usable")                          \
    X(TL_ESQL, "database error")                                             \
    X(TL_EIO, "cannot write output")                                         \
    X(TL_EINVAL, "invalid argument")

typedef enum {
#define TL_ENUM_(name, msg) name,
    TL_STATUS_TABLE(TL_ENUM_)
#undef TL_ENUM_
        TL_STATUS_COUNT
} tl_status;

const char *tl_status_str(tl_status st);

/* The schema version this build writes (PRAGMA user_version).  Older
 * databases are upgraded when opened (1 -> 2: the timeline layer, quotes,
 * full-text search, views; 2 -> 3: fewer B-trees written per document,
 * same rows; 3 -> 4: event_keys; 4 -> 5: an index no query uses dropped). */
#define TL_SCHEMA_VERSION 5

typedef struct sqlite3 sqlite3;

typedef struct tl__stmts tl__stmts;
typedef struct tl__evcache tl__evcache;
typedef struct tl_db {
    sqlite3 *conn;
    tl__stmts *stmts;     /* prepared statements kept for reuse (internal) */
    tl__evcache *evcache; /* events the clustering has read (internal, cluster.c) */
    void (*phase)(void *ctx, int phase); /* ingest's stage marks (internal: tl__phase_hook) */
    void *phase_ctx;
    char errmsg[512];
} tl_db;

enum { TL_OPEN_CREATE = 1, TL_OPEN_READONLY = 2 };

typedef enum {
    TL_FORMAT_TEXT,     /* the chronology for a terminal */
    TL_FORMAT_CSV,      /* RFC 4180, one row per timeline event */
    TL_FORMAT_JSONL,    /* one JSON object per timeline event */
    TL_FORMAT_MARKDOWN, /* the chronology as Markdown */
    TL_FORMAT_ICS,      /* iCalendar (RFC 5545), dated events only */
    TL_FORMAT_HTML,     /* one self-contained page with an SVG timeline */
    TL_FORMAT_CSV_LONG  /* CSV, one row per timeline event and participant */
} tl_format;

/* Which timeline events to print or export; a zeroed struct (or NULL)
 * selects everything.  Strings are borrowed for the call.
 *   from, to   ISO dates "2017", "2017-07" or "2017-07-07": events whose
 *              date interval overlaps [start of from, end of to]; undated
 *              and unplaced events are left out when either is given.
 *   type       an event type ("meeting").
 *   actor      a participant in any role: the full name or a run of whole
 *              words of it, ASCII case-insensitive ("putin", "Vladimir
 *              Putin", "George W. Bush", "Bush").
 *   between    two such names: events with both. */
typedef struct tl_filter {
    const char *from, *to, *type, *actor;
    const char *between[2];
} tl_filter;

void tl_db_init(tl_db *db);
/* Opens (and with TL_OPEN_CREATE creates) a summit database.  path
 * ":memory:" gives a private in-memory store.  flags: TL_OPEN_CREATE creates
 * the file and the schema when missing; TL_OPEN_READONLY opens read-only; 0
 * opens an existing summit database read-write.  Refusals, each with a
 * message naming the path, and with the file left unchanged:
 *   TL_EOPEN    cannot open, or the file is not an SQLite database;
 *   TL_ESCHEMA  written by a newer schema version ("upgrade summit"), an
 *               SQLite file of another program, or (without TL_OPEN_CREATE)
 *               an empty database.
 * On failure db stays closed; calling it on an open handle is TL_EINVAL. */
tl_status tl_db_open(tl_db *db, const char *path, int flags);
/* Closes the connection; the last message stays readable.  Safe on an
 * initialised handle that was never opened, and twice. */
void tl_db_close(tl_db *db);
/* The message of the last failure on db ("" if none; never NULL). */
const char *tl_db_errmsg(const tl_db *db);

/* Stores one extracted document, its sentences, timexes, actors, events and
 * warnings in one transaction (BEGIN IMMEDIATE).  Replacement rule: any
 * stored document with the same sha256, or with the same path unless the
 * path is "-" (stdin), is deleted first, so re-ingesting refreshes the rows
 * (with new ids) and one document per path and per content is kept.  An
 * inconsistent doc (offset outside the text, index out of range,
 * n_codepoints not matching the text) is refused with TL_EINVAL before
 * anything is written.  On failure nothing of the document is left behind
 * and what was stored before stays.  *doc_id (may be NULL) gets the new
 * documents.id, or 0 on failure. */
tl_status tl_ingest(tl_db *db, const sx_doc *doc, int64_t *doc_id);

/* What tl_ingest_doc did. */
typedef enum { TL_INGEST_NEW, TL_INGEST_REPLACED, TL_INGEST_UNCHANGED } tl_ingest_outcome;
typedef struct tl_ingest_info {
    int64_t doc_id;            /* documents.id, 0 on failure */
    tl_ingest_outcome outcome;
} tl_ingest_info;

/* tl_ingest with the outcome.  Idempotence: when a stored document has the
 * same sha256, the same path (or doc->path is "-") and the same extraction
 * fingerprint (a hash of every extracted field), nothing is written and the
 * outcome is TL_INGEST_UNCHANGED.  Otherwise the document replaces what the
 * replacement rule of tl_ingest deletes (TL_INGEST_REPLACED) or is new, its
 * sentences and quotes go into the full-text index, and the timeline
 * clusters of the dates its events (old and new) touch are rebuilt, all in
 * the one transaction.  info may be NULL. */
tl_status tl_ingest_doc(tl_db *db, const sx_doc *doc, tl_ingest_info *info);

/* Removes the documents named by key -- a path as it was ingested, a full
 * sha256, or a unique sha256 prefix of at least 8 hex digits -- with
 * everything extracted from them, and rebuilds the timeline clusters of the
 * affected dates, in one transaction.  *n_removed (may be NULL) gets the
 * number of documents removed; none matching is TL_OK with 0.  A prefix
 * matching several documents is refused with TL_EINVAL. */
tl_status tl_remove(tl_db *db, const char *key, size_t *n_removed);

/* Row counts for summaries. */
typedef struct tl_counts {
    long long documents, events, timexes, timeline_events, conflicts;
} tl_counts;
tl_status tl_count(tl_db *db, tl_counts *out);

/* Prints the stored timeline for a person: a header line with the number of
 * documents and events, then one heading per date at its own precision
 * (tl_format_date) in date order, undated events last, and under it two
 * lines per event: time of day, type, status unless "occurred",
 * participants, location and durations in words; then the summary and the
 * source path.  Plain text. */
tl_status tl_chronology(tl_db *db, FILE *out);

/* tl_chronology over the timeline events filter selects (NULL: all), as
 * TL_FORMAT_TEXT or TL_FORMAT_MARKDOWN (a "## date" heading per date, a
 * bullet per event, its sources with sentence and offsets).  A filter date
 * that is not an ISO date is TL_EINVAL with a message. */
tl_status tl_chronology_filtered(tl_db *db, const tl_filter *filter, tl_format fmt, FILE *out);

/* Writes the timeline, one record per timeline event in chronology order.
 * TL_FORMAT_CSV: RFC 4180 (CRLF, quoting only where needed), UTF-8, a header
 * row and the columns timeline_id, key, date, time, type, cameo, status,
 * participants ("Name (role); Name (role)"), location, duration,
 * duration_mod, planned_duration, summary, n_sources, documents (paths
 * joined with "; "), doc_sha256 (the same order), conflicts ("date:
 * 2008-07-06 [a.txt] / 2008-07-07 [b.txt]", fields joined with "; "); NULL
 * is an empty field.
 * TL_FORMAT_CSV_LONG: the same, one row per participant, with the columns
 * timeline_id, key, date, time, type, status, participant, kind, country,
 * role, location, summary, n_sources, documents.
 * TL_FORMAT_JSONL: one object per line: id, key, date, time, type, cameo,
 * status, participants [{name, role, kind, country, sources}], location,
 * duration, duration_mod, planned_duration, summary, sources [{document,
 * sha256, event, date, status, date_relation, mentions [{sentence, start,
 * end, text}]}], conflicts [{field, values [{value, document}]}]; NULL is
 * null.
 * TL_FORMAT_TEXT and TL_FORMAT_MARKDOWN are tl_chronology_filtered; ICS and
 * HTML as in tl_export_filtered. */
tl_status tl_export(tl_db *db, tl_format fmt, FILE *out);

/* tl_export over the timeline events filter selects (NULL: all), in any
 * format (docs/schema.md and the man page list the CSV columns and JSON
 * keys).  *n_left_out (may be NULL) gets the number of selected events the
 * format could not hold: for TL_FORMAT_ICS the undated and unplaced ones;
 * for TL_FORMAT_HTML the ones it lists under the drawing instead. */
tl_status tl_export_filtered(tl_db *db, tl_format fmt, const tl_filter *filter, FILE *out,
                             size_t *n_left_out);

/* Full-text search over sentences and quotes (FTS5 query syntax; text that
 * is not a valid query is searched as a phrase of its words).  Prints one
 * hit per two lines, best first, at most limit (0: 20): the document path,
 * the sentence number, the date of an event that sentence reports (if any)
 * and "quote" for quotes; then the text around the match with the matched
 * words in **bold**.  *n_hits (may be NULL) gets the number printed. */
tl_status tl_search(tl_db *db, const char *query, size_t limit, FILE *out, size_t *n_hits);

/* Writes one extracted document as JSON Lines computed from doc itself (not
 * from stored rows) with SQLite's JSON functions on db's connection; db may
 * be a ":memory:" store that holds nothing.  Lines, in this order:
 *   {"kind":"document","path","dct"(null),"dct_source","sha256","chars"}
 *   {"kind":"timex","id":"t1","start","end","text","type","value","mod",
 *    "quant","freq","anchor":"t3"|null,"interval":[begin,end]|null,"sentence"}
 *   {"kind":"actor","id":"a1","type","name","country","title","mentions"}
 *   {"kind":"event","id":"e1","type","cameo","status","date","time",
 *    "date_timex":"t2"|null,"participants":[{"name","role","actor":"a1"}],
 *    "location","duration","duration_mod","planned_duration","summary",
 *    "mentions":[{"start","end","text","sentence"}]}
 *   {"kind":"warning","message"}
 * Ids are 1-based (t1 is doc->timexes[0]); empty strings are null; offsets
 * are code points.  An inconsistent doc is refused with TL_EINVAL. */
tl_status tl_write_doc_jsonl(tl_db *db, const sx_doc *doc, FILE *out);

/* Writes one extracted document as TimeML: the original text with inline
 * <TIMEX3 tid type value mod quant freq anchorTimeID> tags and the DCT as
 * t0, the form TempEval tools read.  db only carries error messages. */
tl_status tl_write_doc_timeml(tl_db *db, const sx_doc *doc, FILE *out);

/* Human-readable forms used by tl_chronology (pure functions, no database).
 * Each writes a NUL-terminated string into buf (truncated to buflen) and
 * returns 1 when it understood value, 0 when buf holds value verbatim.
 *
 * tl_format_date: a heading for a TIMEX3 date at its own precision:
 *   "2017-07-06" (or "2017-07-06T15:00") -> "2017-07-06 (Thursday)",
 *   "2017-07" -> "2017-07 (July)", "2016" -> "2016",
 *   "2017-W27" -> "2017-W27 (week 27)", "2017-Q3" -> "2017-Q3 (third quarter)",
 *   NULL or "" -> "Undated"; "XXXX-WXX-5" stays as it is (returns 0).
 * tl_format_duration: "PT2H16M" -> "2 h 16 min", "P3D" -> "3 days",
 *   "P1Y2M" -> "1 year 2 months", "PXY" -> "years"; mod (NULL or a TIMEX3
 *   mod) prefixes "more than ", "less than ", "about ", "at least ",
 *   "at most ". */
int tl_format_date(const char *value, char *buf, size_t buflen);
int tl_format_duration(const char *value, const char *mod, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif
#endif
