/*
 * export.c -- machine-readable output: the stored timeline as CSV or JSON
 * Lines, and one extracted document as JSON Lines (the `extract --format
 * jsonl` contract).
 *
 * Exports tl_export, tl_write_doc_jsonl and tl_write_doc_timeml.
 *
 * Exports tl_export and tl_export_filtered (CSV, long CSV, JSON Lines,
 * iCalendar; Markdown and text go to chronology.c, HTML to html.c).  Every
 * export is one row per timeline event, in the chronology's order
 * (TL__TIMELINE_ORDER), selected by a tl_filter.
 *
 * CSV follows RFC 4180: CRLF after every record, a field is quoted when it
 * holds a comma, a double quote, CR or LF, and quotes inside are doubled;
 * UTF-8 without a byte order mark; NULL is an empty field.
 *
 * iCalendar follows RFC 5545: CRLF, content lines folded at 75 octets
 * (never inside a UTF-8 sequence), TEXT values escaped.  DTSTAMP is the
 * event's own date at midnight UTC, never the clock, so the same database
 * gives the same file.  A day with a clock time is a floating DTSTART with
 * the event's duration; otherwise an all-day DTSTART;VALUE=DATE with
 * DURATION the days its date covers (P1D for a day, P31D for a July).
 * Undated and unplaced events are left out and counted.
 *
 * All JSON is made by SQLite's JSON functions (json_object, json_array,
 * json_insert(?, '$[#]', ...), json(?) to nest) from bound parameters, so
 * escaping is SQLite's, never ours.
 */
#include "timeline_int.h"

#include <stdlib.h>
#include <string.h>

static const char *tl__col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

/* Writes column 0 of a stepped statement and a newline. */
static void tl__put_line(sqlite3_stmt *st, FILE *out)
{
    const void *s = sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    if (s && n)
        fwrite(s, 1, n, out);
    fputc('\n', out);
}

/* Steps a statement yielding one JSON value and appends it to the array
 * being built in *arr ("[" first, "," between; the caller adds "]"). */
static int tl__json_push(sqlite3_stmt *st, tl__buf *arr)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
    const char *s = (const char *)sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    int bad = !s || tl__buf_add(arr, arr->len ? "," : "[", 1) || tl__buf_add(arr, s, n);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return bad ? SQLITE_NOMEM : SQLITE_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

static void tl__csv_field(FILE *out, const char *s, size_t n, int last)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        fwrite(s, 1, n, out);
    } else {
        fputc('"', out);
        size_t from = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '"') {
                fwrite(s + from, 1, i + 1 - from, out); /* through the quote */
                from = i;                               /* ...and once more */
            }
        }
        fwrite(s + from, 1, n - from, out);
        fputc('"', out);
    }
    fputs(last ? "\r\n" : ",", out);
}

/* The columns every per-event export shares, as SQL expressions over `te`. */
#define TL__PARTICIPANTS_SQL                                                                       \
    "(SELECT group_concat(x, '; ') FROM (SELECT p.name || ' (' || p.role || ')' AS x"               \
    " FROM timeline_participants p WHERE p.timeline_event_id = te.id ORDER BY p.ord))"
#define TL__DOCUMENTS_SQL                                                                          \
    "(SELECT group_concat(x, '; ') FROM (SELECT d.path AS x FROM timeline_sources s"                \
    " JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = te.id ORDER BY s.ord))"
#define TL__SHAS_SQL                                                                               \
    "(SELECT group_concat(x, '; ') FROM (SELECT d.sha256 AS x FROM timeline_sources s"              \
    " JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = te.id ORDER BY s.ord))"
#define TL__CONFLICTS_SQL                                                                          \
    "(SELECT group_concat(item, '; ') FROM (SELECT field || ': ' || group_concat(v, ' / ') AS item" \
    " FROM (SELECT c.field AS field, coalesce(c.value, '(none)') || ' [' || d.path || ']' AS v"      \
    " FROM timeline_conflicts c JOIN timeline_sources s ON s.event_id = c.event_id"                 \
    " JOIN documents d ON d.id = s.doc_id WHERE c.timeline_event_id = te.id ORDER BY c.field, s.ord)" \
    " GROUP BY field ORDER BY field))"

static const char tl__csv_header[] =
    "timeline_id,key,date,time,type,cameo,status,participants,location,duration,duration_mod,"
    "planned_duration,summary,n_sources,documents,doc_sha256,conflicts\r\n";
static const char tl__csv_sql[] =
    "SELECT te.id, te.key, te.date, te.time, te.type, te.cameo, te.status, " TL__PARTICIPANTS_SQL ","
    " te.location, te.duration, te.duration_mod, te.planned_duration, te.summary, te.n_sources, "
    TL__DOCUMENTS_SQL ", " TL__SHAS_SQL ", " TL__CONFLICTS_SQL
    " FROM timeline_events te" TL__FILTER_WHERE TL__TIMELINE_ORDER;

static const char tl__csv_long_header[] =
    "timeline_id,key,date,time,type,status,participant,kind,country,role,location,summary,n_sources,"
    "documents\r\n";
static const char tl__csv_long_sql[] =
    "SELECT te.id, te.key, te.date, te.time, te.type, te.status, p.name, p.kind, p.country, p.role,"
    " te.location, te.summary, te.n_sources, " TL__DOCUMENTS_SQL
    " FROM timeline_events te JOIN timeline_participants p ON p.timeline_event_id = te.id"
    TL__FILTER_WHERE TL__TIMELINE_ORDER ", p.ord";

/* Writes every row of a prepared, bound statement as CSV records. */
static tl_status tl__export_csv(tl_db *db, sqlite3_stmt *st, const char *header, FILE *out)
{
    fputs(header, out);
    const int n = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int i = 0; i < n; i++)
            tl__csv_field(out, tl__col(st, i), (size_t)sqlite3_column_bytes(st, i), i == n - 1);
    if (rc != SQLITE_DONE)
        return tl__sql_fail(db, "cannot export the timeline");
    return TL_OK;
}

/* ---- JSON Lines export -------------------------------------------------------- */

/* Nested values go through json() so they stay JSON when they pass through
 * a subquery. */
static const char tl__jsonl_sql[] =
    "SELECT json_object('id', te.id, 'key', te.key, 'date', te.date, 'time', te.time, 'type', te.type,"
    " 'cameo', te.cameo, 'status', te.status,"
    " 'participants', (SELECT json_group_array(json(x)) FROM (SELECT json_object('name', p.name, 'role', p.role,"
    "   'kind', p.kind, 'country', p.country, 'sources', p.n_sources) AS x FROM timeline_participants p"
    "   WHERE p.timeline_event_id = te.id ORDER BY p.ord)),"
    " 'location', te.location, 'duration', te.duration, 'duration_mod', te.duration_mod,"
    " 'planned_duration', te.planned_duration, 'summary', te.summary,"
    " 'sources', (SELECT json_group_array(json(x)) FROM (SELECT json_object('document', d.path,"
    "   'sha256', d.sha256, 'event', 'e' || (e.idx + 1), 'date', e.date, 'status', e.status,"
    "   'date_relation', s.date_relation,"
    "   'mentions', (SELECT json_group_array(json(y)) FROM (SELECT json_object('sentence', m.sentence,"
    "     'start', m.start_cp, 'end', m.end_cp, 'text', m.text) AS y FROM event_mentions m"
    "     WHERE m.event_id = e.id ORDER BY m.start_cp))) AS x"
    "   FROM timeline_sources s JOIN events e ON e.id = s.event_id JOIN documents d ON d.id = s.doc_id"
    "   WHERE s.timeline_event_id = te.id ORDER BY s.ord)),"
    " 'conflicts', (SELECT json_group_array(json(x)) FROM (SELECT json_object('field', f.field,"
    "   'values', (SELECT json_group_array(json(y)) FROM (SELECT json_object('value', c.value,"
    "     'document', d.path) AS y FROM timeline_conflicts c JOIN timeline_sources s ON s.event_id = c.event_id"
    "     JOIN documents d ON d.id = s.doc_id WHERE c.timeline_event_id = te.id AND c.field = f.field"
    "     ORDER BY s.ord))) AS x"
    "   FROM (SELECT DISTINCT field FROM timeline_conflicts WHERE timeline_event_id = te.id ORDER BY field) f)))"
    " FROM timeline_events te" TL__FILTER_WHERE TL__TIMELINE_ORDER;

static tl_status tl__export_jsonl(tl_db *db, sqlite3_stmt *st, FILE *out)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        tl__put_line(st, out);
    if (rc != SQLITE_DONE)
        return tl__sql_fail(db, "cannot export the timeline");
    return TL_OK;
}

/* ---- iCalendar ------------------------------------------------------------------ */

static const char tl__ics_sql[] =
    "SELECT te.key, te.date, te.time, te.type, te.status, te.location, te.duration, te.duration_mod,"
    " te.planned_duration, te.summary, te.sort_begin, te.sort_end, te.n_sources,"
    " (SELECT group_concat(name, ', ') FROM (SELECT name FROM timeline_participants p"
    "   WHERE p.timeline_event_id = te.id AND p.core GROUP BY name ORDER BY min(p.ord))), "
    TL__DOCUMENTS_SQL ", " TL__CONFLICTS_SQL
    " FROM timeline_events te" TL__FILTER_WHERE TL__TIMELINE_ORDER;

/* Writes one content line folded at 75 octets (RFC 5545 3.1), never inside
 * a UTF-8 sequence, each physical line ending in CRLF. */
static void tl__ics_write(FILE *out, const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        const unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (i + len > n)
            len = n - i;
        if (col + len > 75) {
            fputs("\r\n ", out);
            col = 1;
        }
        fwrite(s + i, 1, len, out);
        col += len;
        i += len;
    }
    fputs("\r\n", out);
}

/* Appends TEXT escaped per RFC 5545 3.3.11. */
static int tl__ics_text(tl__buf *b, const char *s)
{
    int err = 0;
    for (; *s && !err; s++) {
        switch (*s) {
        case '\\': err = tl__buf_adds(b, "\\\\"); break;
        case ';': err = tl__buf_adds(b, "\\;"); break;
        case ',': err = tl__buf_adds(b, "\\,"); break;
        case '\n': err = tl__buf_adds(b, "\\n"); break;
        case '\r': break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t')
                err = tl__buf_add(b, " ", 1);
            else
                err = tl__buf_add(b, s, 1);
        }
    }
    return err;
}

/* Is v a duration iCalendar takes (digits with W, D, H, M, S only)? */
static int tl__ics_duration_ok(const char *v)
{
    if (!v || v[0] != 'P' || !v[1])
        return 0;
    int in_time = 0, digits = 0;
    for (const char *p = v + 1; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits = 1;
        else if (*p == 'T' && !in_time && !digits)
            in_time = 1;
        else if (digits && ((!in_time && (*p == 'W' || *p == 'D')) || (in_time && strchr("HMS", *p))))
            digits = 0;
        else
            return 0;
    }
    return !digits;
}

/* "HH:MM" of a time value ("2008-07-01T15:32", "T15:32"), or 0. */
static int tl__clock(const char *t, int *h, int *m)
{
    const char *p = t ? strchr(t, 'T') : NULL;
    if (!p || !(p[1] >= '0' && p[1] <= '2') || !(p[2] >= '0' && p[2] <= '9') || p[3] != ':' ||
        !(p[4] >= '0' && p[4] <= '5') || !(p[5] >= '0' && p[5] <= '9'))
        return 0;
    *h = (p[1] - '0') * 10 + (p[2] - '0');
    *m = (p[4] - '0') * 10 + (p[5] - '0');
    return *h < 24;
}

static tl_status tl__export_ics(tl_db *db, sqlite3_stmt *st, FILE *out, size_t *left_out)
{
    tl__buf b = {0};
    int rc, err = 0;
    size_t skipped = 0;
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//summit//summit timeline//EN\r\nCALSCALE:GREGORIAN\r\n"
          "X-WR-CALNAME:summit timeline\r\n",
          out);
#define ICS_LINE()                                                                                 \
    do {                                                                                           \
        if (!err)                                                                                  \
            tl__ics_write(out, b.s ? b.s : "", b.len);                                             \
        b.len = 0;                                                                                 \
        if (b.s)                                                                                   \
            b.s[0] = '\0';                                                                         \
    } while (0)
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = tl__col(st, 0), *time = tl__col(st, 2), *type = tl__col(st, 3),
                   *status = tl__col(st, 4), *loc = tl__col(st, 5), *dur = tl__col(st, 6), *dmod = tl__col(st, 7),
                   *planned = tl__col(st, 8), *summary = tl__col(st, 9), *begin = tl__col(st, 10),
                   *end = tl__col(st, 11), *who = tl__col(st, 13), *docs = tl__col(st, 14),
                   *conf = tl__col(st, 15);
        int32_t d0, d1;
        if (!tl__day_number(begin, &d0)) {
            skipped++;
            continue;
        }
        if (!tl__day_number(end, &d1) || d1 <= d0)
            d1 = d0 + 1;
        const char ymd[9] = {begin[0], begin[1], begin[2], begin[3], begin[5], begin[6], begin[8], begin[9], 0};
        int h = 0, m = 0;
        const int timed = d1 - d0 == 1 && tl__clock(*time ? time : tl__col(st, 1), &h, &m);
        char line[128];
        fputs("BEGIN:VEVENT\r\n", out);
        err |= tl__buf_adds(&b, "UID:") || tl__buf_adds(&b, key) || tl__buf_adds(&b, "@summit");
        ICS_LINE();
        snprintf(line, sizeof line, "DTSTAMP:%sT000000Z", ymd);
        tl__ics_write(out, line, strlen(line));
        if (timed) {
            snprintf(line, sizeof line, "DTSTART:%sT%02d%02d00", ymd, h, m);
            tl__ics_write(out, line, strlen(line));
            if (tl__ics_duration_ok(dur)) {
                snprintf(line, sizeof line, "DURATION:%s", dur);
                tl__ics_write(out, line, strlen(line));
            }
        } else {
            snprintf(line, sizeof line, "DTSTART;VALUE=DATE:%s", ymd);
            tl__ics_write(out, line, strlen(line));
            snprintf(line, sizeof line, "DURATION:P%ldD", (long)(d1 - d0));
            tl__ics_write(out, line, strlen(line));
        }
        err |= tl__buf_adds(&b, "SUMMARY:") || tl__ics_text(&b, type);
        if (*who)
            err |= tl__buf_adds(&b, ": ") || tl__ics_text(&b, who);
        ICS_LINE();
        if (*loc) {
            err |= tl__buf_adds(&b, "LOCATION:") || tl__ics_text(&b, loc);
            ICS_LINE();
        }
        err |= tl__buf_adds(&b, "DESCRIPTION:") || tl__ics_text(&b, summary);
        if (*dur || *planned) {
            char words[128];
            err |= tl__buf_adds(&b, "\\n");
            if (*dur) {
                tl_format_duration(dur, dmod, words, sizeof words);
                err |= tl__buf_adds(&b, "Duration: ") || tl__ics_text(&b, words) || tl__buf_adds(&b, ".");
            }
            if (*planned) {
                tl_format_duration(planned, NULL, words, sizeof words);
                err |= tl__buf_adds(&b, *dur ? " Planned: " : "Planned: ") || tl__ics_text(&b, words) ||
                       tl__buf_adds(&b, ".");
            }
        }
        err |= tl__buf_adds(&b, "\\nSources: ") || tl__ics_text(&b, docs);
        if (*conf)
            err |= tl__buf_adds(&b, "\\nSources disagree: ") || tl__ics_text(&b, conf);
        ICS_LINE();
        err |= tl__buf_adds(&b, "CATEGORIES:") || tl__ics_text(&b, type);
        ICS_LINE();
        const char *ics_status = !strcmp(status, "occurred")  ? "CONFIRMED"
                                 : !strcmp(status, "planned") ? "TENTATIVE"
                                                              : "CANCELLED";
        snprintf(line, sizeof line, "STATUS:%s", ics_status);
        tl__ics_write(out, line, strlen(line));
        fputs("END:VEVENT\r\n", out);
    }
#undef ICS_LINE
    fputs("END:VCALENDAR\r\n", out);
    tl__buf_free(&b);
    if (left_out)
        *left_out = skipped;
    if (rc != SQLITE_DONE)
        return tl__sql_fail(db, "cannot export the timeline");
    if (err)
        return tl__fail(db, TL_ENOMEM, "cannot export the timeline: out of memory");
    return TL_OK;
}

/* ---- dispatch -------------------------------------------------------------------- */

tl_status tl_export(tl_db *db, tl_format fmt, FILE *out)
{
    return tl_export_filtered(db, fmt, NULL, out, NULL);
}

tl_status tl_export_filtered(tl_db *db, tl_format fmt, const tl_filter *filter, FILE *out, size_t *n_left_out)
{
    if (n_left_out)
        *n_left_out = 0;
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !out)
        return tl__fail(db, TL_EINVAL, "cannot export the timeline: %s",
                        db->conn ? "no output stream" : "the database is not open");
    const char *sql = NULL;
    switch (fmt) {
    case TL_FORMAT_TEXT:
    case TL_FORMAT_MARKDOWN:
        return tl_chronology_filtered(db, filter, fmt, out);
    case TL_FORMAT_HTML:
        return tl__export_html(db, filter, out, n_left_out);
    case TL_FORMAT_CSV: sql = tl__csv_sql; break;
    case TL_FORMAT_CSV_LONG: sql = tl__csv_long_sql; break;
    case TL_FORMAT_JSONL: sql = tl__jsonl_sql; break;
    case TL_FORMAT_ICS: sql = tl__ics_sql; break;
    default:
        return tl__fail(db, TL_EINVAL, "cannot export the timeline: unknown format %d", (int)fmt);
    }
    sqlite3_stmt *st = NULL;
    char days[2][24];
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK) {
        tl_status r = tl__sql_fail(db, "cannot export the timeline");
        sqlite3_finalize(st);
        return r;
    }
    tl_status r = tl__filter_bind(db, filter, st, days);
    if (r == TL_OK) {
        if (fmt == TL_FORMAT_CSV)
            r = tl__export_csv(db, st, tl__csv_header, out);
        else if (fmt == TL_FORMAT_CSV_LONG)
            r = tl__export_csv(db, st, tl__csv_long_header, out);
        else if (fmt == TL_FORMAT_JSONL)
            r = tl__export_jsonl(db, st, out);
        else
            r = tl__export_ics(db, st, out, n_left_out);
    }
    sqlite3_finalize(st);
    if (r == TL_OK && (fflush(out) != 0 || ferror(out)))
        r = tl__fail(db, TL_EIO, "cannot write the export");
    return r;
}

/* ---- one extracted document as JSON Lines ------------------------------------ */

enum { J_DOC, J_TIMEX, J_ACTOR, J_EVENT, J_PART, J_MENT, J_WARN, J_COUNT };

static const char *const tl__doc_json_sql[J_COUNT] = {
    [J_DOC] = "SELECT json_object('kind', 'document', 'path', ?1, 'dct', ?2, 'dct_source', ?3,"
              " 'sha256', ?4, 'chars', ?5, 'dct_confidence', ?6, 'dct_note', ?7)",
    [J_TIMEX] = "SELECT json_object('kind', 'timex', 'id', 't' || ?1, 'start', ?2, 'end', ?3, 'text', ?4,"
                " 'type', ?5, 'value', ?6, 'mod', ?7, 'quant', ?8, 'freq', ?9,"
                " 'anchor', CASE WHEN ?10 IS NULL THEN NULL ELSE 't' || (?10 + 1) END,"
                " 'interval', CASE WHEN ?11 IS NULL AND ?12 IS NULL THEN NULL ELSE json_array(?11, ?12) END,"
                " 'sentence', ?13, 'tz', ?14)",
    [J_ACTOR] = "SELECT json_object('kind', 'actor', 'id', 'a' || ?1, 'type', ?2, 'name', ?3, 'country', ?4,"
                " 'title', ?5, 'mentions', ?6)",
    [J_EVENT] = "SELECT json_object('kind', 'event', 'id', 'e' || ?1, 'type', ?2, 'cameo', ?3, 'status', ?4,"
                " 'date', ?5, 'time', ?6,"
                " 'date_timex', CASE WHEN ?7 IS NULL THEN NULL ELSE 't' || (?7 + 1) END,"
                " 'participants', json(?8), 'location', ?9, 'duration', ?10, 'duration_mod', ?11,"
                " 'planned_duration', ?12, 'summary', ?13, 'mentions', json(?14), 'date_source', ?15)",
    /* Array elements; tl__json_push joins them into an array ("[a,b]"),
     * which stays linear where json_insert(?, '$[#]', ...) would copy the
     * whole array at every step. ?1 is unused. */
    [J_PART] = "SELECT json_object('name', ?2, 'role', ?3, 'actor', 'a' || (?4 + 1)) WHERE ?1 IS NULL OR 1",
    [J_MENT] = "SELECT json_object('start', ?2, 'end', ?3, 'text', ?4, 'sentence', ?5) WHERE ?1 IS NULL OR 1",
    [J_WARN] = "SELECT json_object('kind', 'warning', 'message', ?1)",
};

/* Steps a bound json_object statement and writes its line. */
static int tl__emit(sqlite3_stmt *st, int bind_rc, FILE *out)
{
    if (bind_rc != SQLITE_OK)
        return bind_rc;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
    tl__put_line(st, out);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return SQLITE_OK;
}

static int tl__doc_json_lines(sqlite3_stmt *const *s, const sx_doc *doc, const tl__cpindex *ix, FILE *out)
{
    char dct[32] = "";
    if (doc->has_dct)
        sx_date_format(&doc->dct, dct, sizeof dct);
    sqlite3_stmt *q = s[J_DOC];
    int rc = tl__bind_req(q, 1, doc->path);
    rc |= tl__bind_opt(q, 2, dct);
    rc |= tl__bind_req(q, 3, doc->dct_source ? doc->dct_source : "none");
    rc |= tl__bind_arr(q, 4, doc->sha256, sizeof doc->sha256);
    rc |= sqlite3_bind_int(q, 5, doc->n_codepoints);
    rc |= sqlite3_bind_double(q, 6, doc->dct_confidence);
    rc |= tl__bind_arr(q, 7, doc->dct_note, sizeof doc->dct_note);
    if ((rc = tl__emit(q, rc, out)) != SQLITE_OK)
        return rc;

    q = s[J_TIMEX];
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        rc = sqlite3_bind_int64(q, 1, (int64_t)i + 1);
        rc |= sqlite3_bind_int(q, 2, t->start);
        rc |= sqlite3_bind_int(q, 3, t->end);
        rc |= t->text ? tl__bind_req(q, 4, t->text) : tl__bind_span(q, 4, ix, t->start, t->end);
        rc |= tl__bind_req(q, 5, sx_timex_type_str(t->type));
        rc |= sqlite3_bind_text(q, 6, t->value, (int)strnlen(t->value, sizeof t->value), SQLITE_STATIC);
        rc |= tl__bind_arr(q, 7, t->mod, sizeof t->mod);
        rc |= tl__bind_arr(q, 8, t->quant, sizeof t->quant);
        rc |= tl__bind_arr(q, 9, t->freq, sizeof t->freq);
        rc |= tl__bind_idx(q, 10, t->anchor);
        rc |= tl__bind_arr(q, 11, t->begin, sizeof t->begin);
        rc |= tl__bind_arr(q, 12, t->end_iso, sizeof t->end_iso);
        rc |= sqlite3_bind_int(q, 13, t->sentence);
        rc |= tl__bind_arr(q, 14, t->tz, sizeof t->tz);
        if ((rc = tl__emit(q, rc, out)) != SQLITE_OK)
            return rc;
    }

    q = s[J_ACTOR];
    for (size_t i = 0; i < doc->n_actors; i++) {
        const sx_actor *a = &doc->actors[i];
        rc = sqlite3_bind_int64(q, 1, (int64_t)i + 1);
        rc |= tl__bind_req(q, 2, sx_actor_kind_str(a->kind));
        rc |= tl__bind_req(q, 3, a->name);
        rc |= tl__bind_opt(q, 4, a->country);
        rc |= tl__bind_opt(q, 5, a->title);
        rc |= sqlite3_bind_int(q, 6, a->mentions);
        if ((rc = tl__emit(q, rc, out)) != SQLITE_OK)
            return rc;
    }

    tl__buf parts = {0}, ments = {0};
    for (size_t i = 0; i < doc->n_events && rc == SQLITE_OK; i++) {
        const sx_event *e = &doc->events[i];
        parts.len = ments.len = 0;
        q = s[J_PART];
        for (size_t k = 0; k < e->n_participants && rc == SQLITE_OK; k++) {
            rc = tl__bind_req(q, 2, doc->actors[e->participants[k].actor].name);
            rc |= tl__bind_req(q, 3, e->participants[k].role);
            rc |= sqlite3_bind_int(q, 4, e->participants[k].actor);
            if (rc == SQLITE_OK)
                rc = tl__json_push(q, &parts);
        }
        q = s[J_MENT];
        for (size_t k = 0; k < e->n_mentions && rc == SQLITE_OK; k++) {
            const sx_mention *m = &e->mentions[k];
            rc = sqlite3_bind_int(q, 2, m->start);
            rc |= sqlite3_bind_int(q, 3, m->end);
            rc |= tl__bind_span(q, 4, ix, m->start, m->end);
            rc |= sqlite3_bind_int(q, 5, m->sentence);
            if (rc == SQLITE_OK)
                rc = tl__json_push(q, &ments);
        }
        if (rc == SQLITE_OK && (tl__buf_adds(&parts, parts.len ? "]" : "[]") || tl__buf_adds(&ments, ments.len ? "]" : "[]")))
            rc = SQLITE_NOMEM;
        if (rc != SQLITE_OK)
            break;
        q = s[J_EVENT];
        rc = sqlite3_bind_int64(q, 1, (int64_t)i + 1);
        rc |= tl__bind_req(q, 2, e->type);
        rc |= tl__bind_req(q, 3, e->cameo);
        rc |= tl__bind_req(q, 4, e->status);
        rc |= tl__bind_arr(q, 5, e->date, sizeof e->date);
        rc |= tl__bind_arr(q, 6, e->time, sizeof e->time);
        rc |= tl__bind_idx(q, 7, e->date_timex);
        rc |= sqlite3_bind_text(q, 8, parts.s, (int)parts.len, SQLITE_STATIC);
        rc |= tl__bind_opt(q, 9, e->location);
        rc |= tl__bind_arr(q, 10, e->duration, sizeof e->duration);
        rc |= tl__bind_arr(q, 11, e->duration_mod, sizeof e->duration_mod);
        rc |= tl__bind_arr(q, 12, e->planned_duration, sizeof e->planned_duration);
        rc |= tl__bind_req(q, 13, e->summary);
        rc |= sqlite3_bind_text(q, 14, ments.s, (int)ments.len, SQLITE_STATIC);
        rc |= tl__bind_opt(q, 15, e->date_source);
        rc = tl__emit(q, rc, out);
    }
    tl__buf_free(&parts);
    tl__buf_free(&ments);
    if (rc != SQLITE_OK)
        return rc;

    q = s[J_WARN];
    for (size_t i = 0; i < doc->n_warnings; i++) {
        rc = tl__bind_req(q, 1, doc->warnings[i]);
        if ((rc = tl__emit(q, rc, out)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

tl_status tl_write_doc_jsonl(tl_db *db, const sx_doc *doc, FILE *out)
{
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !out)
        return tl__fail(db, TL_EINVAL, "cannot write JSON Lines: %s",
                        db->conn ? "no output stream" : "the database is not open");
    tl__cpindex ix;
    tl_status st = tl__doc_check(db, doc, &ix);
    if (st != TL_OK)
        return st;
    sqlite3_stmt *s[J_COUNT] = {0};
    for (int i = 0; i < J_COUNT; i++) {
        if (sqlite3_prepare_v2(db->conn, tl__doc_json_sql[i], -1, &s[i], NULL) != SQLITE_OK) {
            st = tl__sql_fail(db, "cannot write JSON Lines for '%s'", doc->path);
            goto done;
        }
    }
    int rc = tl__doc_json_lines(s, doc, &ix, out);
    if (rc == SQLITE_NOMEM) {
        st = tl__fail(db, TL_ENOMEM, "cannot write JSON Lines for '%s': out of memory", doc->path);
        goto done;
    }
    if (rc != SQLITE_OK) {
        st = tl__sql_fail(db, "cannot write JSON Lines for '%s'", doc->path);
        goto done;
    }
    if (fflush(out) != 0 || ferror(out))
        st = tl__fail(db, TL_EIO, "cannot write JSON Lines for '%s'", doc->path);
done:
    for (int i = 0; i < J_COUNT; i++)
        sqlite3_finalize(s[i]);
    tl__cpindex_free(&ix);
    return st;
}

/* ---- one extracted document as TimeML ------------------------------------------ */

/* Writes n bytes of s XML-escaped; characters XML 1.0 forbids (C0 controls
 * other than TAB, LF, CR) become spaces. */
static void tl__xml_put(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                fputc(' ', out);
            else
                fputc(c, out);
        }
    }
}

static void tl__xml_attr(FILE *out, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    fprintf(out, " %s=\"", name);
    tl__xml_put(out, value, strlen(value));
    fputc('"', out);
}

tl_status tl_write_doc_timeml(tl_db *db, const sx_doc *doc, FILE *out)
{
    if (!db)
        return TL_EINVAL;
    if (!out)
        return tl__fail(db, TL_EINVAL, "cannot write TimeML: no output stream");
    tl__cpindex ix;
    tl_status st = tl__doc_check(db, doc, &ix);
    if (st != TL_OK)
        return st;
    fputs("<?xml version=\"1.0\" ?>\n"
          "<TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">\n\n<DOCID>",
          out);
    tl__xml_put(out, doc->path, strlen(doc->path));
    fputs("</DOCID>\n\n", out);
    if (doc->has_dct) {
        char dct[32];
        sx_date_format(&doc->dct, dct, sizeof dct);
        dct[10] = '\0';
        fprintf(out,
                "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"%s\" temporalFunction=\"false\" "
                "functionInDocument=\"CREATION_TIME\">%s</TIMEX3></DCT>\n\n",
                dct, dct);
    }
    fputs("<TEXT>\n", out);
    size_t at = 0;
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        size_t b0 = tl__cpindex_byte(&ix, t->start), b1 = tl__cpindex_byte(&ix, t->end);
        if (b0 < at)
            continue; /* never nest or overlap tags */
        tl__xml_put(out, doc->text + at, b0 - at);
        char tid[24], anchor[24] = "";
        snprintf(tid, sizeof tid, "t%zu", i + 1);
        if (t->anchor >= 0)
            snprintf(anchor, sizeof anchor, "t%d", t->anchor + 1);
        fputs("<TIMEX3", out);
        tl__xml_attr(out, "tid", tid);
        tl__xml_attr(out, "type", sx_timex_type_str(t->type));
        tl__xml_attr(out, "value", t->value);
        tl__xml_attr(out, "mod", t->mod);
        tl__xml_attr(out, "quant", t->quant);
        tl__xml_attr(out, "freq", t->freq);
        tl__xml_attr(out, "anchorTimeID", anchor);
        fputc('>', out);
        tl__xml_put(out, doc->text + b0, b1 - b0);
        fputs("</TIMEX3>", out);
        at = b1;
    }
    tl__xml_put(out, doc->text + at, doc->text_len - at);
    fputs("\n</TEXT>\n\n</TimeML>\n", out);
    tl__cpindex_free(&ix);
    if (fflush(out) != 0 || ferror(out))
        return tl__fail(db, TL_EIO, "cannot write TimeML for '%s'", doc->path);
    return TL_OK;
}
