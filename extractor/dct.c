/*
 * dct.c -- the document's own date: found in the text, inferred from the
 * world, or reported missing.
 *
 * Exports sx__dct_infer (sx_int.h).  Runs after the time expressions of a
 * first pass; only explicit calendar dates (with a year) and weekday words
 * are used, so the answer does not depend on a DCT given or not.  Evidence,
 * strongest first:
 *   header    a date alone on one of the first lines ("November 16, 2004",
 *             "Saturday, December 9, 2006"), a byline ("Posted May 19th,
 *             2012 at 1:45 am", "Published: ..."), or a headline that dates
 *             its subject ("Readout of ... Call on September 11, 2013")
 *   dateline  "WASHINGTON, July 7, 2017 --" at the start of a line; "MINSK,
 *             Feb 12 (Reuters) -" takes its year from the text's explicit
 *             years
 *   gazetteer a gathering of data/gatherings.tsv named in the text ("the
 *             annual G-20 summit in Hamburg") limits the date to its days;
 *             a past-tense weekday ("on Friday") picks the day; several
 *             weekdays pick the latest
 *   body      the latest explicit date of a clause in the past tense: the
 *             article is not older than what it reports
 * Dates inside quotations are never evidence (a quoted historical remark
 * is no dateline).  Confidence: header 0.95, dateline 0.9, gazetteer 0.85
 * with a weekday and 0.6 without, body 0.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>

#include "sx_int.h"

typedef struct sx__dctcand {
    int y, m, d;
    const char *source;
    double conf;
    char note[160];
} sx__dctcand;

static int full_date(const char *v, int *y, int *m, int *d)
{
    if (strlen(v) < 10 || v[4] != '-' || v[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return 0;
    *y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    *m = (v[5] - '0') * 10 + (v[6] - '0');
    *d = (v[8] - '0') * 10 + (v[9] - '0');
    return 1;
}

static int low_is(const sx__tok *t, const char *s) { return strcmp(t->low, s) == 0; }

static int32_t ymd(int y, int m, int d) { return y * 10000 + m * 100 + d; }

/* Header, byline, headline or dateline dates among the first lines. */
static int from_header(const sx__work *w, sx__dctcand *c)
{
    /* lines are counted as the scan goes (timexes are in text order); a
     * header lies within the first 2000 tokens, whatever the input */
    size_t tok = 0, ls_tok = 0;
    int line = 0;
    for (size_t x = 0; x < w->n_timexes; x++) {
        size_t a = (size_t)w->timex_tok[2 * x];
        if (a > 2000) break;
        for (; tok < a; tok++)
            if (tok > 0 && (w->toks[tok].flags & SX_TF_NL)) line++, ls_tok = tok;
        if (tok == a && a > 0 && (w->toks[a].flags & SX_TF_NL)) line++, ls_tok = a, tok++;
        if (line > 8) break;
        const sx_timex *tx = &w->timexes[x];
        if (w->toks[a].flags & SX_TF_INQUOTE) continue;
        int y, m, d, no_year = 0;
        if (!full_date(tx->value, &y, &m, &d)) {
            /* "MINSK, Feb 12 (Reuters) -": a dateline without a year */
            char tmp[16];
            if (strncmp(tx->value, "XXXX-", 5) || strlen(tx->value) != 10) continue;
            snprintf(tmp, sizeof tmp, "2000%s", tx->value + 4);
            if (!full_date(tmp, &y, &m, &d)) continue;
            no_year = 1;
        }
        /* the line's first token */
        size_t ls = ls_tok;
        const sx__tok *first = &w->toks[ls];
        int byline = low_is(first, "posted") || low_is(first, "published") || low_is(first, "updated") ||
                     low_is(first, "dated") || low_is(first, "released");
        int dateline = (first->flags & SX_TF_ALLCAP) && ls + 1 < w->n_toks && a <= ls + 4;
        int headline = ls == 0 && (low_is(first, "readout") || low_is(first, "statement") ||
                                   low_is(first, "remarks") || low_is(first, "press") ||
                                   low_is(first, "joint"));
        if (!(w->timex_header && w->timex_header[x]) && !byline && !dateline && !headline) continue;
        if (no_year) {
            /* the year of the latest explicit date or year in the text; a
             * day earlier in the year than a reported date means the year after */
            int ly = 0, lm = 0, ld = 0;
            for (size_t z = 0; z < w->n_timexes; z++) {
                const char *v = w->timexes[z].value;
                int zy, zm, zd;
                if (full_date(v, &zy, &zm, &zd)) {
                    if (ymd(zy, zm, zd) > ymd(ly, lm, ld)) ly = zy, lm = zm, ld = zd;
                } else if (strlen(v) >= 4 && v[0] >= '1' && v[0] <= '2' && v[1] >= '0' && v[1] <= '9' &&
                           v[2] >= '0' && v[2] <= '9' && v[3] >= '0' && v[3] <= '9' && (v[4] == '\0' || v[4] == '-')) {
                    int zy2 = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
                    int zm2 = v[4] == '-' && v[5] >= '0' && v[5] <= '1' && v[6] >= '0' && v[6] <= '9'
                                  ? (v[5] - '0') * 10 + (v[6] - '0') : 1;
                    if (zm2 < 1 || zm2 > 12) zm2 = 1;
                    if (ymd(zy2, zm2, 1) > ymd(ly, lm, ld)) ly = zy2, lm = zm2, ld = 1;
                }
            }
            if (!ly || !dateline) continue;
            y = ymd(ly, m, d) < ymd(ly, lm, ld) ? ly + 1 : ly;
        }
        c->y = y, c->m = m, c->d = d;
        c->source = dateline && !(w->timex_header && w->timex_header[x]) ? "dateline" : "header";
        c->conf = no_year ? 0.7 : dateline ? 0.9 : 0.95;
        snprintf(c->note, sizeof c->note, "%s: '%s'", c->source, tx->text);
        return 1;
    }
    return 0;
}

/* Series of a gathering named by an organisation mention. */
static const char *series_of(const char *org)
{
    static const struct { const char *org, *series; } map[] = {
        {"G20", "G20"}, {"G7", "G7"}, {"G8", "G7"}, {"NATO", "NATO"}, {"APEC", "APEC"},
        {"BRICS", "BRICS"}, {"SCO", "SCO"}, {"ASEAN", "ASEAN"}, {"EAS", "EAS"},
        {"European Council", "EUCO"}, {"UN General Assembly", "UNGA"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (sx__eq(org, map[i].org)) return map[i].series;
    return NULL;
}

/* The gathering the text names, with past-tense weekdays to pick a day. */
static int from_gazetteer(const sx__work *w, sx__dctcand *c)
{
    const sx__lexicon *L = sx__lex();
    if (!L || !L->n_gatherings) return 0;
    int32_t best = -1, nbest = 0;
    size_t p0 = 0; /* place mentions are in text order, like actor mentions */
    for (size_t m = 0; m < w->n_ams && nbest < 2; m++) {
        const sx__amention *am = &w->ams[m];
        if (am->actor < 0 || w->actors[am->actor].kind != SX_ACTOR_ORG) continue;
        if (w->toks[am->tok_start].flags & SX_TF_INQUOTE) continue;
        const char *series = series_of(w->actors[am->actor].name);
        if (!series) continue;
        int32_t s = w->toks[am->tok_start].sent;
        while (p0 < w->n_pms && w->toks[w->pms[p0].tok_start].sent < s) p0++;
        /* a host city named in the same sentence */
        for (size_t p = p0; p < w->n_pms && w->toks[w->pms[p].tok_start].sent == s; p++) {
            const sx__pmention *pm = &w->pms[p];
            if (pm->is_country) continue;
            for (size_t g = 0; g < L->n_gatherings; g++) {
                const sx__gathering *ga = &L->gatherings[g];
                if (!sx__eq(ga->series, series)) continue;
                size_t cl = strlen(ga->city);
                if (strncmp(pm->name, ga->city, cl) || (pm->name[cl] != ',' && pm->name[cl] != '\0')) continue;
                if (best >= 0 && L->gatherings[best].start == ga->start) continue;
                if (best < 0) best = (int32_t)g;
                nbest++;
            }
        }
    }
    if (best < 0 || nbest != 1) return 0; /* none, or a city that hosted several */
    const sx__gathering *ga = &L->gatherings[best];
    /* past-tense weekdays outside quotations: the latest inside the gathering */
    int gy = ga->start / 10000, gm = ga->start / 100 % 100, gd = ga->start % 100;
    /* "G20 Hamburg summit 2017" -> "G20 Hamburg summit": the dates follow */
    char gname[96];
    sx__copy(gname, sizeof gname, ga->name);
    size_t gl = strlen(gname);
    if (gl > 5 && gname[gl - 5] == ' ' && gname[gl - 4] >= '0' && gname[gl - 4] <= '9') gname[gl - 5] = '\0';
    int py = 0, pm = 0, pd = 0;
    char wdname[24] = "";
    for (size_t k = 0; k < w->n_toks; k++) {
        const sx__tok *t = &w->toks[k];
        if (!(t->lex & SX_LX_WEEKDAY) || !(t->flags & SX_TF_CAP) || (t->flags & SX_TF_INQUOTE)) continue;
        if (sx__tense(w, k, k + 1) > 0) continue;
        int y = gy, mo = gm, d = gd;
        for (int step = 0; step < 15 && ymd(y, mo, d) <= ga->end; step++) {
            if (sx__weekday(y, mo, d) == t->lexval) {
                if (ymd(y, mo, d) > ymd(py, pm, pd)) {
                    py = y, pm = mo, pd = d;
                    sx__copy(wdname, sizeof wdname, t->low);
                }
                break;
            }
            sx__date_add(&y, &mo, &d, UCAL_DATE, 1);
        }
    }
    if (py) {
        c->y = py, c->m = pm, c->d = pd;
        c->conf = 0.85;
        wdname[0] = (char)(wdname[0] >= 'a' && wdname[0] <= 'z' ? wdname[0] - 32 : wdname[0]);
        snprintf(c->note, sizeof c->note, "inferred: %s %04d-%02d-%02d..%02d, '%s'", gname, gy, gm, gd,
                 ga->end % 100, wdname);
    } else {
        c->y = gy, c->m = gm, c->d = gd;
        c->conf = 0.6;
        snprintf(c->note, sizeof c->note, "inferred: %s %04d-%02d-%02d..%02d", gname, gy, gm, gd, ga->end % 100);
    }
    c->source = "gazetteer";
    return 1;
}

/* The latest explicit date reported in the past tense. */
static int from_body(const sx__work *w, sx__dctcand *c)
{
    int32_t best = 0;
    const char *text = NULL;
    for (size_t x = 0; x < w->n_timexes; x++) {
        const sx_timex *tx = &w->timexes[x];
        size_t a = (size_t)w->timex_tok[2 * x], b = (size_t)w->timex_tok[2 * x + 1];
        int y, m, d;
        if (!full_date(tx->value, &y, &m, &d) || (w->toks[a].flags & SX_TF_INQUOTE)) continue;
        if (sx__tense(w, a, b) > 0) continue;
        if (ymd(y, m, d) > best) best = ymd(y, m, d), text = tx->text;
    }
    if (!best) return 0;
    c->y = best / 10000, c->m = best / 100 % 100, c->d = best % 100;
    c->source = "body";
    c->conf = 0.5;
    snprintf(c->note, sizeof c->note, "inferred: no earlier than '%s', the latest date it reports", text ? text : "");
    return 1;
}

int sx__dct_infer(sx__work *w, sx_date *out, const char **source, double *conf, char *note, size_t notecap)
{
    sx__dctcand c;
    memset(&c, 0, sizeof c);
    if (!from_header(w, &c) && !from_gazetteer(w, &c) && !from_body(w, &c)) return 0;
    memset(out, 0, sizeof *out);
    out->year = c.y, out->month = c.m, out->day = c.d;
    *source = c.source;
    *conf = c.conf;
    sx__copy(note, notecap, c.note);
    return 1;
}
