/*
 * extract.c -- sx_extract: runs the stages on one article and fills the
 * public sx_doc.
 *
 *   text.c -> segment.c -> lexicon.c -> timex.c -> actors.c -> events.c
 *
 * On any failure the sx_doc is left empty with errmsg set; on success it
 * owns copies of everything (the internal sx__work is freed here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sx_int.h"

/* A copy of s with every byte that is not part of valid UTF-8 replaced by
 * U+FFFD, so a file name of raw bytes cannot make the output invalid. */
static char *utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                   : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        int ok = len > 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++) ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (ok && len == 3) {
            unsigned c1 = (unsigned char)s[i + 1];
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (ok && len == 4) {
            unsigned c1 = (unsigned char)s[i + 1];
            ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (ok) {
            memcpy(out + o, s + i, len);
            o += len;
            i += len;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* (Re)runs the time expressions and the actors, dropping earlier results. */
static sx_status timexes_and_actors(sx__work *w)
{
    for (size_t i = 0; i < w->n_timexes; i++) free(w->timexes[i].text);
    w->n_timexes = 0;
    free(w->timex_header);
    w->timex_header = NULL;
    for (size_t i = 0; i < w->n_actors; i++) {
        free(w->actors[i].name);
        free(w->actors[i].country);
        free(w->actors[i].title);
    }
    w->n_actors = 0;
    w->n_ams = 0;
    w->n_pms = 0;
    sx_status st = sx__timex_run(w);
    if (st != SX_OK) return st;
    free(w->in_timex);
    w->in_timex = calloc(w->n_toks + 1, 1);
    if (!w->in_timex) return SX_ENOMEM;
    for (size_t x = 0; x < w->n_timexes; x++)
        for (int32_t k = w->timex_tok[2 * x]; k < w->timex_tok[2 * x + 1]; k++) w->in_timex[k] = 1;
    return sx__actors_run(w);
}

static sx_status fail(sx_doc *doc, sx__work *w, sx_status st)
{
    char msg[sizeof doc->errmsg];
    if (doc->errmsg[0]) sx__copy(msg, sizeof msg, doc->errmsg);
    else snprintf(msg, sizeof msg, "%s: %s", w->path, sx_status_str(st));
    sx__work_free(w);
    sx_doc_free(doc);
    sx__copy(doc->errmsg, sizeof doc->errmsg, msg);
    return st;
}

sx_status sx_extract(sx_doc *doc, const char *path, const char *bytes, size_t len,
                     const sx_options *opts)
{
    sx_doc_free(doc);
    sx__work w;
    memset(&w, 0, sizeof w);
    w.path = path ? path : "-";
    w.bytes = bytes;
    w.len = len;
    w.err = doc->errmsg;
    w.errlen = sizeof doc->errmsg;
    doc->errmsg[0] = '\0';
    size_t max = opts && opts->max_bytes ? opts->max_bytes : SX_DEFAULT_MAX_BYTES;
    if (!bytes && len) return fail(doc, &w, SX_EINVAL);
    if (len > max) {
        snprintf(doc->errmsg, sizeof doc->errmsg, "%s: %zu bytes is over the document size limit of %zu bytes",
                 w.path, len, max);
        return fail(doc, &w, SX_ETOOBIG);
    }
    if (opts && opts->dct) w.dct = opts->dct;

    sx_status st = sx__text_load(&w);
    if (st == SX_OK) st = sx__segment(&w);
    if (st == SX_OK) st = sx__lexicon_apply(&w);
    if (st == SX_OK) st = timexes_and_actors(&w);
    /* The document's own date: a given one wins; otherwise the one the text
     * gives, after which time expressions and actors are found again. */
    sx_date found;
    const char *found_src = NULL;
    double found_conf = 0;
    char note[160] = "";
    int have = st == SX_OK && sx__dct_infer(&w, &found, &found_src, &found_conf, note, sizeof note);
    if (st == SX_OK && w.dct && have && strcmp(found_src, "body") &&
        (found.year != w.dct->year || found.month != w.dct->month || found.day != w.dct->day)) {
        char msg[320], given[24];
        sx_date_format(w.dct, given, sizeof given);
        snprintf(msg, sizeof msg, "the text dates itself %04d-%02d-%02d (%s), not the given --dct %s; using %s",
                 found.year, found.month, found.day, note, given, given);
        st = sx__warn(&w, msg);
    }
    if (st == SX_OK && !w.dct && have) {
        w.dct = &found;
        for (size_t i = 0; i < w.n_warnings; i++) free(w.warnings[i]);
        w.n_warnings = 0;
        st = timexes_and_actors(&w);
    }
    if (st == SX_OK) st = sx__events_run(&w);
    if (st != SX_OK) return fail(doc, &w, st);

    doc->path = utf8_clean(w.path);
    doc->text = sx__strndup(bytes ? bytes : "", len);
    if (!doc->path || !doc->text) return fail(doc, &w, SX_ENOMEM);
    doc->text_len = len;
    doc->n_codepoints = w.n_cp;
    sx__sha256_hex(bytes, len, doc->sha256);
    if (w.dct) {
        doc->dct = *w.dct;
        doc->has_dct = 1;
        doc->dct_source = w.dct == &found ? found_src : "flag";
        doc->dct_confidence = w.dct == &found ? found_conf : 1.0;
        sx__copy(doc->dct_note, sizeof doc->dct_note, w.dct == &found ? note : "given with --dct");
    } else doc->dct_source = "none";
    /* hand the arrays over */
    doc->sentences = w.sents, doc->n_sentences = w.n_sents, w.sents = NULL, w.n_sents = 0;
    doc->timexes = w.timexes, doc->n_timexes = w.n_timexes, w.timexes = NULL, w.n_timexes = 0;
    doc->actors = w.actors, doc->n_actors = w.n_actors, w.actors = NULL, w.n_actors = 0;
    doc->events = w.events, doc->n_events = w.n_events, w.events = NULL, w.n_events = 0;
    doc->warnings = w.warnings, doc->n_warnings = w.n_warnings, w.warnings = NULL, w.n_warnings = 0;
    sx__work_free(&w);
    return SX_OK;
}
