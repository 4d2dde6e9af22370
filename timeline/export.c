/*
 * export.c -- machine-readable output: the stored timeline as CSV or JSON
 * Lines, and one extracted document as JSON Lines (the `extract --format
 * jsonl` contract).
 *
 * Exports tl_export, tl_write_doc_jsonl and tl_write_doc_timeml.
 *
 * CSV follows RFC 4180: CRLF after every record, a field is quoted when it
 * holds a comma, a double quote, CR or LF, and quotes inside are doubled;
 * UTF-8 without a byte order mark; NULL is an empty field.  Rows come in the
 * chronology's order (TL__EVENT_ORDER).
 *
 * All JSON is made by SQLite's JSON functions (json_object, json_array,
 * json_insert(?, '$[#]', ...), json(?) to nest) from bound parameters, so
 * escaping is SQLite's, never ours.  Arrays are grown one element per
 * statement step, which is quadratic in the array's length; the arrays here
 * are an event's participants and mentions, a handful each.
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

/* Steps a one-row SELECT, copies its column 0 into *json (replacing the old
 * text) and resets the statement.  Returns an SQLite code. */
static int tl__json_step(sqlite3_stmt *st, char **json)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
    const char *s = (const char *)sqlite3_column_text(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    char *copy = s ? malloc(n + 1) : NULL;
    if (!copy) {
        sqlite3_reset(st);
        return SQLITE_NOMEM;
    }
    memcpy(copy, s, n + 1);
    free(*json);
    *json = copy;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return SQLITE_OK;
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

static void tl__csv_col(FILE *out, sqlite3_stmt *st, int i, int last)
{
    const char *s = tl__col(st, i);
    tl__csv_field(out, s, (size_t)sqlite3_column_bytes(st, i), last);
}

static const char tl__export_part_sql[] =
    "SELECT a.name, p.role, a.kind, a.country FROM event_participants p"
    " JOIN actors a ON a.id = p.actor_id WHERE p.event_id = ?1 ORDER BY a.idx, p.role";

static tl_status tl__export_csv(tl_db *db, FILE *out)
{
    static const char sql[] =
        "SELECT e.id, e.date, e.time, e.type, e.cameo, e.status, e.location, e.duration,"
        " e.planned_duration, e.summary, d.path, d.sha256"
        " FROM events e JOIN documents d ON d.id = e.doc_id" TL__EVENT_ORDER;
    sqlite3_stmt *st = NULL, *ps = NULL;
    tl__buf parts = {0};
    tl_status status = TL_OK;
    int rc;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__export_part_sql, -1, &ps, NULL) != SQLITE_OK) {
        status = tl__sql_fail(db, "cannot export the timeline");
        goto done;
    }
    fputs("event_id,date,time,type,cameo,status,participants,location,duration,planned_duration,"
          "summary,document,doc_sha256\r\n",
          out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        parts.len = 0;
        if (parts.s)
            parts.s[0] = '\0';
        sqlite3_bind_int64(ps, 1, sqlite3_column_int64(st, 0));
        while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
            if ((parts.len && tl__buf_adds(&parts, "; ")) || tl__buf_adds(&parts, tl__col(ps, 0)) ||
                tl__buf_adds(&parts, " (") || tl__buf_adds(&parts, tl__col(ps, 1)) ||
                tl__buf_adds(&parts, ")")) {
                status = tl__fail(db, TL_ENOMEM, "cannot export the timeline: out of memory");
                goto done;
            }
        }
        if (rc != SQLITE_DONE) {
            status = tl__sql_fail(db, "cannot export the timeline");
            goto done;
        }
        sqlite3_reset(ps);
        for (int i = 0; i <= 5; i++) /* event_id .. status */
            tl__csv_col(out, st, i, 0);
        tl__csv_field(out, parts.s ? parts.s : "", parts.len, 0);
        for (int i = 6; i <= 11; i++) /* location .. doc_sha256 */
            tl__csv_col(out, st, i, i == 11);
    }
    if (rc != SQLITE_DONE)
        status = tl__sql_fail(db, "cannot export the timeline");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(ps);
    tl__buf_free(&parts);
    return status;
}

/* ---- JSON Lines export -------------------------------------------------------- */

static tl_status tl__export_jsonl(tl_db *db, FILE *out)
{
    /* participants starts as [] and is filled in per event with json_set,
     * which keeps the key's position. */
    static const char sql[] =
        "SELECT e.id, json_object('event_id', e.id, 'date', e.date, 'time', e.time, 'type', e.type,"
        " 'cameo', e.cameo, 'status', e.status, 'participants', json_array(), 'location', e.location,"
        " 'duration', e.duration, 'duration_mod', e.duration_mod, 'planned_duration', e.planned_duration,"
        " 'summary', e.summary, 'document', d.path, 'doc_sha256', d.sha256)"
        " FROM events e JOIN documents d ON d.id = e.doc_id" TL__EVENT_ORDER;
    static const char add_sql[] =
        "SELECT json_insert(?1, '$[#]', json_object('name', ?2, 'role', ?3, 'kind', ?4, 'country', ?5))";
    static const char set_sql[] = "SELECT json_set(?1, '$.participants', json(?2))";
    sqlite3_stmt *st = NULL, *ps = NULL, *add = NULL, *set = NULL;
    char *arr = NULL, *obj = NULL;
    tl_status status = TL_OK;
    int rc;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__export_part_sql, -1, &ps, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, add_sql, -1, &add, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, set_sql, -1, &set, NULL) != SQLITE_OK) {
        status = tl__sql_fail(db, "cannot export the timeline");
        goto done;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = 0;
        sqlite3_bind_int64(ps, 1, sqlite3_column_int64(st, 0));
        free(arr);
        arr = NULL;
        while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
            rc = sqlite3_bind_text(add, 1, arr ? arr : "[]", -1, SQLITE_TRANSIENT);
            for (int i = 0; i < 4 && rc == SQLITE_OK; i++)
                rc = sqlite3_bind_value(add, i + 2, sqlite3_column_value(ps, i));
            if (rc != SQLITE_OK || (rc = tl__json_step(add, &arr)) != SQLITE_OK)
                break;
            n++;
        }
        if (rc != SQLITE_DONE) {
            status = tl__sql_fail(db, "cannot export the timeline");
            goto done;
        }
        sqlite3_reset(ps);
        if (n == 0) { /* column 1 already has participants: [] */
            fwrite(sqlite3_column_text(st, 1), 1, (size_t)sqlite3_column_bytes(st, 1), out);
            fputc('\n', out);
            continue;
        }
        if (sqlite3_bind_value(set, 1, sqlite3_column_value(st, 1)) != SQLITE_OK ||
            sqlite3_bind_text(set, 2, arr ? arr : "[]", -1, SQLITE_STATIC) != SQLITE_OK ||
            tl__json_step(set, &obj) != SQLITE_OK) {
            status = tl__sql_fail(db, "cannot export the timeline");
            goto done;
        }
        fputs(obj, out);
        fputc('\n', out);
    }
    if (rc != SQLITE_DONE)
        status = tl__sql_fail(db, "cannot export the timeline");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(ps);
    sqlite3_finalize(add);
    sqlite3_finalize(set);
    free(arr);
    free(obj);
    return status;
}

tl_status tl_export(tl_db *db, tl_format fmt, FILE *out)
{
    if (!db)
        return TL_EINVAL;
    if (!db->conn || !out)
        return tl__fail(db, TL_EINVAL, "cannot export the timeline: %s",
                        db->conn ? "no output stream" : "the database is not open");
    tl_status st;
    switch (fmt) {
    case TL_FORMAT_TEXT:
        return tl_chronology(db, out);
    case TL_FORMAT_CSV:
        st = tl__export_csv(db, out);
        break;
    case TL_FORMAT_JSONL:
        st = tl__export_jsonl(db, out);
        break;
    default:
        return tl__fail(db, TL_EINVAL, "cannot export the timeline: unknown format %d", (int)fmt);
    }
    if (st == TL_OK && (fflush(out) != 0 || ferror(out)))
        st = tl__fail(db, TL_EIO, "cannot write the export");
    return st;
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
