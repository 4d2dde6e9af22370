/*
 * html.c -- the timeline as one self-contained HTML page: an SVG drawing
 * and a table of every event.  No scripts, no external resources (styles
 * are inline, fonts are the reader's own), so the file can be mailed.
 *
 * Exports tl__export_html (timeline_int.h), reached through
 * tl_export_filtered(..., TL_FORMAT_HTML, ...).
 *
 * The drawing: one horizontal lane per main actor (the core participants
 * of the most dated events, at most TL__LANES, ties by name) and an "Other
 * actors" lane when some event has none of them.  Each dated timeline event
 * is one mark (<g class="mark">) in its own column, columns grouped under
 * their date at its own precision, in chronology order: a dot in the lane
 * of every main actor taking part (joined by a line when there are
 * several), filled when it occurred and hollow when planned, crossed when
 * cancelled or negated, with a "2" badge for two sources and "!" when they
 * disagree.  Under the dot a filled bar is the actual duration and an
 * outlined bar the planned one (TL__PX_PER_HOUR px per hour, capped at the
 * column).  Hovering shows a <title> with everything about the event.
 * Undated events are not drawn; the table lists them (counted in
 * *left_out).
 *
 * The page is well-formed XML (XHTML syntax: every element closed, every
 * attribute quoted) and every piece of text is escaped (&, <, >, ", ').
 */
#include "timeline_int.h"

#include <stdlib.h>
#include <string.h>

#define TL__LANES 8
#define TL__PX_PER_HOUR 18
#define TL__COL_W 46
#define TL__DATE_GAP 16
#define TL__LANE_H 54
#define TL__LEFT 190
#define TL__TOP 120

static const char *tl__col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static void tl__esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
                fputc(' ', out);
            else
                fputc(*s, out);
        }
    }
}

static const struct {
    const char *type, *color;
} tl__colors[] = {
    {"meeting", "#2563eb"},    {"statement", "#059669"}, {"agreement", "#d97706"}, {"denial", "#dc2626"},
    {"discussion", "#7c3aed"}, {"visit", "#0891b2"},     {"call", "#db2777"},      {"accusation", "#9f1239"},
    {"ceasefire", "#65a30d"},
};

static const char *tl__color(const char *type)
{
    for (size_t i = 0; i < sizeof tl__colors / sizeof tl__colors[0]; i++)
        if (strcmp(type, tl__colors[i].type) == 0)
            return tl__colors[i].color;
    return "#6b7280";
}

/* Hours in a TIMEX3 duration with days, hours and minutes ("PT2H16M" ->
 * 2.27), or -1. */
static double tl__hours(const char *v)
{
    if (!v || v[0] != 'P')
        return -1;
    double h = 0, n = 0;
    int in_time = 0, digits = 0;
    for (const char *p = v + 1; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            n = n * 10 + (*p - '0');
            digits = 1;
        } else if (*p == 'T') {
            in_time = 1;
        } else if (digits && *p == 'D' && !in_time) {
            h += n * 24;
            n = 0;
            digits = 0;
        } else if (digits && *p == 'H' && in_time) {
            h += n;
            n = 0;
            digits = 0;
        } else if (digits && *p == 'M' && in_time) {
            h += n / 60;
            n = 0;
            digits = 0;
        } else {
            return -1;
        }
    }
    return digits ? -1 : h;
}

static const char tl__html_sql[] =
    "SELECT te.id, te.date, te.time, te.type, te.status, te.location, te.duration, te.duration_mod,"
    " te.planned_duration, te.summary, te.n_sources, te.n_conflicts, te.sort_begin, te.key,"
    " (SELECT group_concat(name, ' and ') FROM (SELECT name FROM timeline_participants p"
    "   WHERE p.timeline_event_id = te.id AND p.core GROUP BY name ORDER BY min(p.ord))),"
    " (SELECT group_concat(x, '; ') FROM (SELECT d.path AS x FROM timeline_sources s"
    "   JOIN documents d ON d.id = s.doc_id WHERE s.timeline_event_id = te.id ORDER BY s.ord)),"
    " (SELECT group_concat(item, '; ') FROM (SELECT field || ': ' || group_concat(v, ' / ') AS item"
    "   FROM (SELECT c.field AS field, coalesce(c.value, '(none)') || ' [' || d.path || ']' AS v"
    "   FROM timeline_conflicts c JOIN timeline_sources s ON s.event_id = c.event_id"
    "   JOIN documents d ON d.id = s.doc_id WHERE c.timeline_event_id = te.id ORDER BY c.field, s.ord)"
    "   GROUP BY field ORDER BY field))"
    " FROM timeline_events te" TL__FILTER_WHERE TL__TIMELINE_ORDER;

/* The main actors: core participants of the most selected dated events. */
static const char tl__lanes_sql[] =
    "SELECT p.name, count(DISTINCT te.id) AS n FROM timeline_events te"
    " JOIN timeline_participants p ON p.timeline_event_id = te.id AND p.core" TL__FILTER_WHERE
    " AND te.sort_begin IS NOT NULL GROUP BY p.name ORDER BY n DESC, p.name LIMIT 8";

static const char tl__core_sql[] =
    "SELECT DISTINCT name FROM timeline_participants WHERE timeline_event_id = ?1 AND core";

typedef struct tl__lanes {
    char *name[TL__LANES];
    size_t n;
    int other; /* an "Other actors" lane is drawn */
} tl__lanes;

static int tl__lane_of(const tl__lanes *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->name[i], name) == 0)
            return (int)i;
    return -1;
}

static void tl__page_head(FILE *out, long long n_docs, long long n_events)
{
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n<title>summit timeline</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2937;"
          "background:#f8fafc}\n"
          "h1{font-size:22px;margin:0 0 4px}\n.sub{color:#6b7280;margin:0 0 14px}\n"
          ".legend span{display:inline-block;margin-right:14px;font-size:13px}\n"
          ".legend i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;"
          "vertical-align:-1px}\n"
          ".frame{overflow-x:auto;background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:12px 0 24px}\n"
          "svg text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif}\n"
          "table{border-collapse:collapse;font-size:13px;background:#fff}\n"
          "th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}\n"
          "th{background:#f1f5f9}\ntd.c{color:#b91c1c}\n"
          "</style>\n</head>\n<body>\n<h1>summit timeline</h1>\n",
          out);
    fprintf(out, "<p class=\"sub\">%lld document%s, %lld event%s. Hover over a mark for its details.</p>\n",
            n_docs, n_docs == 1 ? "" : "s", n_events, n_events == 1 ? "" : "s");
    fputs("<div class=\"legend\">", out);
    for (size_t i = 0; i < sizeof tl__colors / sizeof tl__colors[0]; i++)
        fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", tl__colors[i].color, tl__colors[i].type);
    fputs("<span><i style=\"border:2px solid #374151;width:7px;height:7px\"></i>planned</span>"
          "<span>\xE2\x96\xAC actual duration</span><span>\xE2\x96\xAD planned duration</span>"
          "<span>! sources disagree</span></div>\n",
          out);
}

/* The hover text of one event. */
static void tl__title(FILE *out, sqlite3_stmt *st)
{
    char date[128], d1[128], d2[128];
    tl_format_date(tl__col(st, 1), date, sizeof date);
    fputs("<title>", out);
    tl__esc(out, date);
    if (*tl__col(st, 2)) {
        fputs(" ", out);
        tl__esc(out, strchr(tl__col(st, 2), 'T') ? strchr(tl__col(st, 2), 'T') + 1 : tl__col(st, 2));
    }
    fputs(" \xE2\x80\x94 ", out);
    tl__esc(out, tl__col(st, 3));
    if (strcmp(tl__col(st, 4), "occurred") != 0) {
        fputs(" (", out);
        tl__esc(out, tl__col(st, 4));
        fputs(")", out);
    }
    if (*tl__col(st, 14)) {
        fputs(": ", out);
        tl__esc(out, tl__col(st, 14));
    }
    if (*tl__col(st, 5)) {
        fputs(" in ", out);
        tl__esc(out, tl__col(st, 5));
    }
    if (*tl__col(st, 6)) {
        tl_format_duration(tl__col(st, 6), tl__col(st, 7), d1, sizeof d1);
        fputs("; lasted ", out);
        tl__esc(out, d1);
    }
    if (*tl__col(st, 8)) {
        tl_format_duration(tl__col(st, 8), NULL, d2, sizeof d2);
        fputs("; planned ", out);
        tl__esc(out, d2);
    }
    fputs("\n", out);
    tl__esc(out, tl__col(st, 9));
    fprintf(out, "\nSources (%d): ", sqlite3_column_int(st, 10));
    tl__esc(out, tl__col(st, 15));
    if (*tl__col(st, 16)) {
        fputs("\nSources disagree: ", out);
        tl__esc(out, tl__col(st, 16));
    }
    fputs("</title>", out);
}

tl_status tl__export_html(tl_db *db, const tl_filter *filter, FILE *out, size_t *left_out)
{
    sqlite3_stmt *st = NULL, *ls = NULL, *cs = NULL, *cnt = NULL;
    tl__lanes lanes;
    memset(&lanes, 0, sizeof lanes);
    char days[2][24], days2[2][24];
    tl_status r = TL_OK;
    int rc;
    size_t undated = 0, n_cols = 0, n_dates = 0;
    if (sqlite3_prepare_v2(db->conn, tl__html_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__lanes_sql, -1, &ls, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn, tl__core_sql, -1, &cs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->conn,
                           "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM timeline_events)", -1,
                           &cnt, NULL) != SQLITE_OK ||
        sqlite3_step(cnt) != SQLITE_ROW) {
        r = tl__sql_fail(db, "cannot export the timeline");
        goto done;
    }
    if ((r = tl__filter_bind(db, filter, st, days)) != TL_OK || (r = tl__filter_bind(db, filter, ls, days2)) != TL_OK)
        goto done;

    /* lanes */
    while ((rc = sqlite3_step(ls)) == SQLITE_ROW && lanes.n < TL__LANES) {
        const char *name = tl__col(ls, 0);
        size_t n = strlen(name) + 1;
        if (!(lanes.name[lanes.n] = malloc(n))) {
            r = tl__fail(db, TL_ENOMEM, "cannot export the timeline: out of memory");
            goto done;
        }
        memcpy(lanes.name[lanes.n++], name, n);
    }
    /* first pass: columns, dates, whether an "other" lane is needed */
    {
        char prev[64] = "";
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 12) == SQLITE_NULL) {
                undated++;
                continue;
            }
            n_cols++;
            if (strcmp(prev, tl__col(st, 1)) != 0) {
                n_dates++;
                snprintf(prev, sizeof prev, "%s", tl__col(st, 1));
            }
            int any = 0;
            sqlite3_bind_int64(cs, 1, sqlite3_column_int64(st, 0));
            while (sqlite3_step(cs) == SQLITE_ROW)
                any |= tl__lane_of(&lanes, tl__col(cs, 0)) >= 0;
            sqlite3_reset(cs);
            if (!any)
                lanes.other = 1;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            r = tl__sql_fail(db, "cannot export the timeline");
            goto done;
        }
    }

    tl__page_head(out, sqlite3_column_int64(cnt, 0), sqlite3_column_int64(cnt, 1));
    const size_t n_lanes = lanes.n + (size_t)lanes.other;
    const long width = TL__LEFT + (long)n_cols * TL__COL_W + (long)n_dates * TL__DATE_GAP + 40;
    const long height = TL__TOP + (long)(n_lanes ? n_lanes : 1) * TL__LANE_H + 20;
    fputs("<div class=\"frame\">\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" height=\"%ld\" viewBox=\"0 0 %ld %ld\""
            " role=\"img\" aria-label=\"Timeline of %zu dated events\">\n",
            width, height, width, height, n_cols);
    /* lanes: a band and a label each */
    for (size_t i = 0; i < n_lanes; i++) {
        const long y = TL__TOP + (long)i * TL__LANE_H;
        const int other = i == lanes.n;
        fprintf(out, "<g class=\"lane%s\" data-actor=\"", other ? " lane-other" : "");
        tl__esc(out, other ? "Other actors" : lanes.name[i]);
        fprintf(out, "\"><rect x=\"0\" y=\"%ld\" width=\"%ld\" height=\"%d\" fill=\"%s\"/>", y, width,
                TL__LANE_H, i % 2 ? "#ffffff" : "#f1f5f9");
        fprintf(out, "<text x=\"12\" y=\"%ld\" font-size=\"13\" font-weight=\"600\" fill=\"#334155\">", y + 31);
        tl__esc(out, other ? "Other actors" : lanes.name[i]);
        fputs("</text></g>\n", out);
    }
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%ld\" stroke=\"#cbd5e1\"/>\n", TL__LEFT - 8, TL__TOP - 4,
            TL__LEFT - 8, height - 10);

    /* second pass: the marks */
    {
        char prev[64] = "";
        long x = TL__LEFT - TL__COL_W / 2, group_x = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 12) == SQLITE_NULL)
                continue;
            const char *date = tl__col(st, 1), *type = tl__col(st, 3), *status = tl__col(st, 4);
            if (strcmp(prev, date) != 0) {
                x += TL__DATE_GAP;
                group_x = x + TL__COL_W / 2;
                snprintf(prev, sizeof prev, "%s", date);
                char label[128];
                tl_format_date(date, label, sizeof label);
                fprintf(out,
                        "<g class=\"date\"><line x1=\"%ld\" y1=\"%d\" x2=\"%ld\" y2=\"%ld\" stroke=\"#e2e8f0\"/>"
                        "<text transform=\"translate(%ld,%d) rotate(-40)\" font-size=\"12\" fill=\"#475569\">",
                        group_x - TL__COL_W / 2 - 4, TL__TOP - 6, group_x - TL__COL_W / 2 - 4, height - 10,
                        group_x + 2, TL__TOP - 10);
                tl__esc(out, label);
                fputs("</text></g>\n", out);
            }
            x += TL__COL_W;
            const char *color = tl__color(type);
            const int hollow = strcmp(status, "occurred") != 0;
            const int crossed = !strcmp(status, "cancelled") || !strcmp(status, "negated");
            /* which lanes */
            int in_lane[TL__LANES + 1] = {0};
            int any = 0, top = -1, bottom = -1;
            sqlite3_bind_int64(cs, 1, sqlite3_column_int64(st, 0));
            while (sqlite3_step(cs) == SQLITE_ROW) {
                int l = tl__lane_of(&lanes, tl__col(cs, 0));
                if (l >= 0) {
                    in_lane[l] = 1;
                    any = 1;
                }
            }
            sqlite3_reset(cs);
            if (!any)
                in_lane[lanes.n] = 1;
            for (int l = 0; l <= (int)lanes.n; l++)
                if (in_lane[l]) {
                    if (top < 0)
                        top = l;
                    bottom = l;
                }
            fputs("<g class=\"mark\" data-key=\"", out);
            tl__esc(out, tl__col(st, 13));
            fputs("\" data-type=\"", out);
            tl__esc(out, type);
            fputs("\">", out);
            tl__title(out, st);
            const long cy_top = TL__TOP + (long)top * TL__LANE_H + 22, cy_bot = TL__TOP + (long)bottom * TL__LANE_H + 22;
            if (bottom > top)
                fprintf(out, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" stroke=\"%s\" stroke-width=\"2\"/>",
                        x, cy_top, x, cy_bot, color);
            for (int l = 0; l <= (int)lanes.n; l++) {
                if (!in_lane[l])
                    continue;
                const long cy = TL__TOP + (long)l * TL__LANE_H + 22;
                fprintf(out, "<circle cx=\"%ld\" cy=\"%ld\" r=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2.5\"/>",
                        x, cy, hollow ? "#ffffff" : color, color);
                if (crossed)
                    fprintf(out, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" stroke=\"%s\" stroke-width=\"2\"/>",
                            x - 6, cy - 6, x + 6, cy + 6, color);
                /* durations under the dot */
                const double actual = tl__hours(tl__col(st, 6)), planned = tl__hours(tl__col(st, 8));
                const double cap = TL__COL_W - 8;
                if (planned > 0) {
                    double w = planned * TL__PX_PER_HOUR;
                    fprintf(out,
                            "<rect class=\"planned\" x=\"%ld\" y=\"%ld\" width=\"%.1f\" height=\"7\" fill=\"none\""
                            " stroke=\"%s\" stroke-dasharray=\"2 1.5\"/>",
                            x - (long)(cap / 2), cy + 13, w < cap ? w : cap, color);
                }
                if (actual > 0) {
                    double w = actual * TL__PX_PER_HOUR;
                    fprintf(out,
                            "<rect class=\"duration\" x=\"%ld\" y=\"%ld\" width=\"%.1f\" height=\"7\" fill=\"%s\""
                            " fill-opacity=\"0.55\"/>",
                            x - (long)(cap / 2), cy + 13, w < cap ? w : cap, color);
                }
            }
            if (sqlite3_column_int(st, 10) > 1)
                fprintf(out,
                        "<circle cx=\"%ld\" cy=\"%ld\" r=\"6.5\" fill=\"#111827\"/><text x=\"%ld\" y=\"%ld\""
                        " font-size=\"9\" fill=\"#ffffff\" text-anchor=\"middle\">%d</text>",
                        x + 9, cy_top - 9, x + 9, cy_top - 6, sqlite3_column_int(st, 10));
            if (sqlite3_column_int(st, 11) > 0)
                fprintf(out,
                        "<text x=\"%ld\" y=\"%ld\" font-size=\"13\" font-weight=\"700\" fill=\"#b91c1c\">!</text>",
                        x - 16, cy_top - 4);
            fputs("</g>\n", out);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            r = tl__sql_fail(db, "cannot export the timeline");
            goto done;
        }
    }
    fputs("</svg>\n</div>\n", out);

    /* the table: every selected event, undated ones too */
    fputs("<table>\n<thead><tr><th>date</th><th>type</th><th>who</th><th>where</th><th>duration</th>"
          "<th>what</th><th>sources</th></tr></thead>\n<tbody>\n",
          out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char date[128], dur[128] = "";
        tl_format_date(tl__col(st, 1), date, sizeof date);
        if (*tl__col(st, 6))
            tl_format_duration(tl__col(st, 6), tl__col(st, 7), dur, sizeof dur);
        fputs("<tr><td>", out);
        tl__esc(out, date);
        fputs("</td><td>", out);
        tl__esc(out, tl__col(st, 3));
        if (strcmp(tl__col(st, 4), "occurred") != 0) {
            fputs(" (", out);
            tl__esc(out, tl__col(st, 4));
            fputs(")", out);
        }
        fputs("</td><td>", out);
        tl__esc(out, tl__col(st, 14));
        fputs("</td><td>", out);
        tl__esc(out, tl__col(st, 5));
        fputs("</td><td>", out);
        tl__esc(out, dur);
        if (*tl__col(st, 8)) {
            char p[128];
            tl_format_duration(tl__col(st, 8), NULL, p, sizeof p);
            fputs(" (planned ", out);
            tl__esc(out, p);
            fputs(")", out);
        }
        fputs("</td><td>", out);
        tl__esc(out, tl__col(st, 9));
        fputs("</td><td>", out);
        tl__esc(out, tl__col(st, 15));
        if (*tl__col(st, 16)) {
            fputs("<br/><span style=\"color:#b91c1c\">disagree: ", out);
            tl__esc(out, tl__col(st, 16));
            fputs("</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    if (rc != SQLITE_DONE) {
        r = tl__sql_fail(db, "cannot export the timeline");
        goto done;
    }
    fputs("</tbody>\n</table>\n</body>\n</html>\n", out);
    if (left_out)
        *left_out = undated;
    if (fflush(out) != 0 || ferror(out))
        r = tl__fail(db, TL_EIO, "cannot write the export");
done:
    for (size_t i = 0; i < lanes.n; i++)
        free(lanes.name[i]);
    sqlite3_finalize(st);
    sqlite3_finalize(ls);
    sqlite3_finalize(cs);
    sqlite3_finalize(cnt);
    return r;
}
