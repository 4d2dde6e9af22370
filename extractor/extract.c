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
    if (st == SX_OK) st = sx__timex_run(&w);
    if (st == SX_OK) {
        w.in_timex = calloc(w.n_toks + 1, 1);
        if (!w.in_timex) st = SX_ENOMEM;
        else
            for (size_t x = 0; x < w.n_timexes; x++)
                for (int32_t k = w.timex_tok[2 * x]; k < w.timex_tok[2 * x + 1]; k++) w.in_timex[k] = 1;
    }
    if (st == SX_OK) st = sx__actors_run(&w);
    if (st == SX_OK) st = sx__events_run(&w);
    if (st != SX_OK) return fail(doc, &w, st);

    doc->path = sx__strdup(w.path);
    doc->text = sx__strndup(bytes ? bytes : "", len);
    if (!doc->path || !doc->text) return fail(doc, &w, SX_ENOMEM);
    doc->text_len = len;
    doc->n_codepoints = w.n_cp;
    sx__sha256_hex(bytes, len, doc->sha256);
    if (w.dct) {
        doc->dct = *w.dct;
        doc->has_dct = 1;
        doc->dct_source = "flag";
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
