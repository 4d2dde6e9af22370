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

/* The schema version this build writes (PRAGMA user_version). */
#define TL_SCHEMA_VERSION 1

typedef struct sqlite3 sqlite3;

typedef struct tl_db {
    sqlite3 *conn;
    char errmsg[512];
} tl_db;

enum { TL_OPEN_CREATE = 1, TL_OPEN_READONLY = 2 };

typedef enum { TL_FORMAT_TEXT, TL_FORMAT_CSV, TL_FORMAT_JSONL } tl_format;

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

/* Prints the stored timeline for a person: a header line with the number of
 * documents and events, then one heading per date at its own precision
 * (tl_format_date) in date order, undated events last, and under it two
 * lines per event: time of day, type, status unless "occurred",
 * participants, location and durations in words; then the summary and the
 * source path.  Plain text. */
tl_status tl_chronology(tl_db *db, FILE *out);

/* Writes the timeline, one record per event in chronology order.
 * TL_FORMAT_CSV: RFC 4180 (CRLF, quoting only where needed), UTF-8, a header
 * row and the columns event_id, date, time, type, cameo, status,
 * participants ("Name (role); Name (role)"), location, duration,
 * planned_duration, summary, document, doc_sha256; NULL is an empty field.
 * TL_FORMAT_JSONL: one object per line with the same keys (participants an
 * array of {name, role, kind, country}) plus duration_mod; NULL is null.
 * TL_FORMAT_TEXT is tl_chronology. */
tl_status tl_export(tl_db *db, tl_format fmt, FILE *out);

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
