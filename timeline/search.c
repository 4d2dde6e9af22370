/*
 * search.c -- full-text search over the stored sentences and quotes.
 *
 * Exports tl_search.
 *
 * The index is the FTS5 table text_search (schema/migrate_2.sql), filled at
 * ingest with every sentence and every quote (kind 'sentence' or 'quote'),
 * tokenized by unicode61 with diacritics removed, so "Zurich" finds
 * "Zürich".  The query is bound as the MATCH parameter, never pasted into
 * SQL.  FTS5 syntax works ("Putin AND Trump", "meet*", "\"joint press\"");
 * text that is not a valid query (a stray quote or parenthesis) is searched
 * again as one phrase of its words.  Hits come best first (bm25), then by
 * path and sentence; each shows the date of an event its sentence reports,
 * when there is one, and the text around the match (snippet()) with the
 * matched words in **bold**.
 */
#include "timeline_int.h"

#include <stdlib.h>
#include <string.h>

static const char tl__search_sql[] =
    "SELECT d.path, ts.sentence, ts.kind,"
    " (SELECT e.date FROM event_mentions m JOIN events e ON e.id = m.event_id"
    "  WHERE e.doc_id = d.id AND m.sentence = ts.sentence AND e.date IS NOT NULL ORDER BY e.idx LIMIT 1),"
    " snippet(text_search, 0, '**', '**', '\xE2\x80\xA6', 32)"
    " FROM text_search ts JOIN documents d ON d.id = ts.doc_id"
    " WHERE text_search MATCH ?1 ORDER BY rank, d.path, ts.sentence, ts.kind LIMIT ?2";

/* Runs the search once; *syntax is set when FTS5 refused the query (a
 * syntax error, or "no such column" for "a-b" read as column filter). */
static tl_status tl__search_run(tl_db *db, sqlite3_stmt *st, const char *q, size_t limit, FILE *out,
                                size_t *n, int *syntax)
{
    *syntax = 0;
    *n = 0;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *path = sqlite3_column_text(st, 0), *kind = sqlite3_column_text(st, 2),
                            *date = sqlite3_column_text(st, 3), *snip = sqlite3_column_text(st, 4);
        fprintf(out, "%s, %ssentence %d%s%s:\n    ", path ? (const char *)path : "",
                kind && !strcmp((const char *)kind, "quote") ? "quote in " : "", sqlite3_column_int(st, 1) + 1,
                date ? ", " : "", date ? (const char *)date : "");
        for (const unsigned char *p = snip; p && *p; p++)
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
        fputc('\n', out);
        ++*n;
    }
    if (rc == SQLITE_DONE)
        return TL_OK;
    if (*n == 0 && (rc & 0xff) == SQLITE_ERROR) { /* FTS5 refused the query */
        *syntax = 1;
        return TL_OK;
    }
    return tl__sql_fail(db, "cannot search for '%s'", q);
}

tl_status tl_search(tl_db *db, const char *query, size_t limit, FILE *out, size_t *n_hits)
{
    if (n_hits)
        *n_hits = 0;
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !out || !query)
        return tl__fail(db, TL_EINVAL, "cannot search: %s",
                        !db->conn ? "the database is not open" : "no query or no output stream");
    if (!*query)
        return tl__fail(db, TL_EINVAL, "cannot search: the query is empty");
    if (limit == 0)
        limit = 20;
    if (limit > INT32_MAX)
        limit = INT32_MAX;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->conn, tl__search_sql, -1, &st, NULL) != SQLITE_OK) {
        tl_status r = tl__sql_fail(db, "cannot search");
        sqlite3_finalize(st);
        return r;
    }
    size_t n = 0;
    int syntax = 0;
    tl_status r = tl__search_run(db, st, query, limit, out, &n, &syntax);
    if (r == TL_OK && syntax) {
        /* the words as one phrase: "..." with inner quotes doubled */
        tl__buf b = {0};
        int err = tl__buf_adds(&b, "\"");
        for (const char *p = query; *p && !err; p++)
            err = tl__buf_add(&b, p, 1) || (*p == '"' && tl__buf_add(&b, "\"", 1));
        err = err || tl__buf_adds(&b, "\"");
        if (err)
            r = tl__fail(db, TL_ENOMEM, "cannot search: out of memory");
        else
            r = tl__search_run(db, st, b.s, limit, out, &n, &syntax);
        if (r == TL_OK && syntax)
            r = tl__fail(db, TL_EINVAL, "cannot search for '%s': not a query the index understands", query);
        tl__buf_free(&b);
    }
    sqlite3_finalize(st);
    if (n_hits)
        *n_hits = n;
    if (r == TL_OK && (fflush(out) != 0 || ferror(out)))
        r = tl__fail(db, TL_EIO, "cannot write the search results");
    return r;
}
