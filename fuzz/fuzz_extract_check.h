/*
 * fuzz_extract_check.h -- sx_extract on one fuzz input, with every invariant
 * checked: the body of fuzz/fuzz_extract.c, shared with tests/test_regress.c
 * so a saved crash input replays exactly as the fuzzer ran it.  Static
 * functions only; include it once per program.
 *
 * Input layout (the DCT comes from the input, so one corpus covers both the
 * dated and the undated paths):
 *   - starts with a line (up to 20 bytes before '\n') that sx_date_parse
 *     accepts: that date is the DCT and the rest is the article.  Seeds are
 *     fixtures written this way ("2017-07-07\n<article>"), readable by eye;
 *   - starts with a byte 0x01..0x07: the next 6 bytes give a DCT anywhere in
 *     1000..9999 (bit 0x02 of the first byte adds a clock time), the rest is
 *     the article;
 *   - anything else: the whole input is the article, with no DCT.
 *
 * Invariants checked on every result (FZ_FAIL on a violation: abort() unless
 * the includer defines it, so libFuzzer records the input):
 *   failure  a known status, a non-empty message, no results left in the doc;
 *   success  text is a copy of the input, NUL-terminated; n_codepoints is the
 *            number of code points of the input; sha256 is 64 hex digits;
 *            sentences lie in [0, n_codepoints], start <= end, in order
 *            without overlap; every timex, actor first mention, event mention
 *            lies in [0, n_codepoints] with start <= end; every index
 *            (sentence, anchor, actor, date_timex) is in range; every string
 *            pointer is non-NULL where the header promises one; every fixed
 *            array is NUL-terminated inside its size; a timex value is not
 *            empty and its surface text is the input's bytes at its offsets;
 *            an event summary is one line.
 * Inputs whose flag byte has bit 0x80 set (or, for dated lines, an odd
 * length) are extracted twice into the same doc and must give the same
 * counts and values: no state leaks from one call into the next.
 */
#ifndef SUMMIT_FUZZ_EXTRACT_CHECK_H
#define SUMMIT_FUZZ_EXTRACT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"

/* What a violated invariant does; a test harness may define its own first. */
#ifndef FZ_FAIL
#define FZ_FAIL(what)                                                                                        \
    do {                                                                                                     \
        fprintf(stderr, "fuzz_extract: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, what);          \
        abort();                                                                                             \
    } while (0)
#endif
#define FZ_CHECK(cond)                                                                                       \
    do {                                                                                                     \
        if (!(cond)) FZ_FAIL(#cond);                                                                         \
    } while (0)

/* 1 when the fixed array holds a NUL inside its size. */
#define FZ_TERMINATED(arr) (memchr((arr), '\0', sizeof(arr)) != NULL)

static int fz_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int fz_days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && fz_is_leap(y) ? 29 : dm[m - 1];
}

/* Code points of valid UTF-8: the bytes that are not continuation bytes. */
static int32_t fz_count_cp(const uint8_t *s, size_t n)
{
    int32_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte offset of code point cp in valid UTF-8 s[0..n). */
static size_t fz_byte_of_cp(const uint8_t *s, size_t n, int32_t cp)
{
    int32_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            if (c == cp) return i;
            c++;
        }
    }
    return n;
}

static void fz_check_span(int32_t start, int32_t end, int32_t n_cp)
{
    FZ_CHECK(start >= 0);
    FZ_CHECK(start <= end);
    FZ_CHECK(end <= n_cp);
}

static void fz_check_failure(const sx_doc *doc, sx_status st)
{
    FZ_CHECK(st > SX_OK && st < SX_STATUS_COUNT);
    FZ_CHECK(FZ_TERMINATED(doc->errmsg));
    FZ_CHECK(doc->errmsg[0] != '\0');
    FZ_CHECK(sx_doc_errmsg(doc) != NULL);
    FZ_CHECK(doc->n_sentences == 0 && doc->n_timexes == 0 && doc->n_actors == 0 && doc->n_events == 0);
    FZ_CHECK(doc->sentences == NULL && doc->timexes == NULL && doc->events == NULL && doc->text == NULL);
}

static void fz_check_timexes(const sx_doc *doc, const uint8_t *text, size_t len)
{
    int32_t n_cp = doc->n_codepoints;
    for (size_t i = 0; i < doc->n_timexes; i++) {
        const sx_timex *t = &doc->timexes[i];
        fz_check_span(t->start, t->end, n_cp);
        FZ_CHECK(t->sentence >= 0 && (size_t)t->sentence < doc->n_sentences);
        FZ_CHECK((int)t->type >= SX_TIMEX_DATE && (int)t->type <= SX_TIMEX_SET);
        FZ_CHECK(sx_timex_type_str(t->type) != NULL);
        FZ_CHECK(FZ_TERMINATED(t->value) && t->value[0] != '\0');
        FZ_CHECK(FZ_TERMINATED(t->mod) && FZ_TERMINATED(t->begin) && FZ_TERMINATED(t->end_iso));
        FZ_CHECK(FZ_TERMINATED(t->quant) && FZ_TERMINATED(t->freq) && FZ_TERMINATED(t->tz));
        FZ_CHECK(t->anchor == -1 || (t->anchor >= 0 && (size_t)t->anchor < doc->n_timexes));
        FZ_CHECK(t->text != NULL);
        /* The surface text is the original bytes at the offsets. */
        size_t b0 = fz_byte_of_cp(text, len, t->start), b1 = fz_byte_of_cp(text, len, t->end);
        FZ_CHECK(strlen(t->text) == b1 - b0);
        FZ_CHECK(memcmp(t->text, text + b0, b1 - b0) == 0);
    }
}

static void fz_check_actors(const sx_doc *doc)
{
    for (size_t i = 0; i < doc->n_actors; i++) {
        const sx_actor *a = &doc->actors[i];
        FZ_CHECK((int)a->kind >= SX_ACTOR_PERSON && (int)a->kind <= SX_ACTOR_ORG);
        FZ_CHECK(sx_actor_kind_str(a->kind) != NULL);
        FZ_CHECK(a->name != NULL && a->name[0] != '\0');
        fz_check_span(a->first_start, a->first_end, doc->n_codepoints);
        FZ_CHECK(a->mentions >= 1);
    }
}

static void fz_check_events(const sx_doc *doc)
{
    for (size_t i = 0; i < doc->n_events; i++) {
        const sx_event *e = &doc->events[i];
        FZ_CHECK(e->type != NULL && e->type[0] != '\0');
        FZ_CHECK(e->cameo != NULL && e->status != NULL);
        FZ_CHECK(FZ_TERMINATED(e->date) && FZ_TERMINATED(e->begin) && FZ_TERMINATED(e->end_iso));
        FZ_CHECK(FZ_TERMINATED(e->time) && FZ_TERMINATED(e->duration) && FZ_TERMINATED(e->duration_mod));
        FZ_CHECK(FZ_TERMINATED(e->planned_duration));
        FZ_CHECK(e->date_timex == -1 || (e->date_timex >= 0 && (size_t)e->date_timex < doc->n_timexes));
        FZ_CHECK(e->summary != NULL);
        FZ_CHECK(strchr(e->summary, '\n') == NULL);
        FZ_CHECK(e->n_participants == 0 || e->participants != NULL);
        for (size_t k = 0; k < e->n_participants; k++) {
            const sx_participant *p = &e->participants[k];
            FZ_CHECK(p->actor >= 0 && (size_t)p->actor < doc->n_actors);
            FZ_CHECK(p->role != NULL && p->role[0] != '\0');
        }
        FZ_CHECK(e->n_mentions == 0 || e->mentions != NULL);
        for (size_t k = 0; k < e->n_mentions; k++) {
            const sx_mention *m = &e->mentions[k];
            fz_check_span(m->start, m->end, doc->n_codepoints);
            FZ_CHECK(m->sentence >= 0 && (size_t)m->sentence < doc->n_sentences);
        }
    }
}

static void fz_check_success(const sx_doc *doc, const uint8_t *text, size_t len)
{
    FZ_CHECK(doc->errmsg[0] == '\0');
    FZ_CHECK(doc->path != NULL && doc->text != NULL);
    FZ_CHECK(doc->text_len == len);
    FZ_CHECK(memcmp(doc->text, text, len) == 0 && doc->text[len] == '\0');
    FZ_CHECK(doc->n_codepoints == fz_count_cp(text, len));
    FZ_CHECK(strlen(doc->sha256) == 64 && strspn(doc->sha256, "0123456789abcdef") == 64);
    FZ_CHECK(doc->dct_source != NULL);
    FZ_CHECK(FZ_TERMINATED(doc->dct_note));
    FZ_CHECK(doc->dct_confidence >= 0 && doc->dct_confidence <= 1);
    if (doc->has_dct) {
        const sx_date *d = &doc->dct;
        FZ_CHECK(d->month >= 1 && d->month <= 12);
        FZ_CHECK(d->day >= 1 && d->day <= fz_days_in(d->year, d->month));
        FZ_CHECK(!d->has_time || (d->hour >= 0 && d->hour <= 23 && d->minute >= 0 && d->minute <= 59));
    }
    int32_t prev_end = 0;
    for (size_t i = 0; i < doc->n_sentences; i++) {
        const sx_sentence *s = &doc->sentences[i];
        fz_check_span(s->start, s->end, doc->n_codepoints);
        FZ_CHECK(s->start >= prev_end);
        prev_end = s->end;
    }
    fz_check_timexes(doc, text, len);
    fz_check_actors(doc);
    fz_check_events(doc);
    for (size_t i = 0; i < doc->n_warnings; i++)
        FZ_CHECK(doc->warnings[i] != NULL);
}

/* Splits the input into an optional DCT and the article (see the top). */
static const uint8_t *fz_take_dct(const uint8_t *data, size_t size, size_t *len, sx_date *dct, int *has_dct,
                                  int *twice)
{
    *has_dct = 0;
    *twice = 0;
    if (size >= 7 && data[0] >= 1 && data[0] <= 7) {
        dct->year = 1000 + (int)(((unsigned)data[1] << 8 | data[2]) % 9000u);
        dct->month = 1 + data[3] % 12;
        dct->day = 1 + data[4] % fz_days_in(dct->year, dct->month);
        dct->has_time = (data[0] & 2) != 0;
        dct->hour = dct->has_time ? data[5] % 24 : 0;
        dct->minute = dct->has_time ? data[6] % 60 : 0;
        *has_dct = 1;
        *twice = (data[0] & 4) != 0;
        *len = size - 7;
        return data + 7;
    }
    const uint8_t *nl = memchr(data, '\n', size < 21 ? size : 21);
    if (nl) {
        char line[24];
        size_t n = (size_t)(nl - data);
        memcpy(line, data, n);
        line[n] = '\0';
        if (sx_date_parse(line, dct, NULL, 0) == SX_OK) {
            *has_dct = 1;
            *twice = (size & 1) != 0;
            *len = size - n - 1;
            return nl + 1;
        }
    }
    *twice = size > 0 && (data[0] & 0x80) != 0;
    *len = size;
    return data;
}

/* Runs one input (layout above) through sx_extract and every check. */
static void fz_extract_one(const uint8_t *data, size_t size)
{
    sx_date dct;
    int has_dct, twice;
    size_t len;
    const uint8_t *text = fz_take_dct(data, size, &len, &dct, &has_dct, &twice);

    /* An exact-size heap copy, so ASan sees any read past the end (the API
     * says bytes need not be NUL-terminated). */
    char *bytes = malloc(len ? len : 1);
    if (!bytes) return;
    if (len) memcpy(bytes, text, len);
    sx_options opts = {has_dct ? &dct : NULL, 0};

    sx_doc doc;
    sx_doc_init(&doc);
    sx_status st = sx_extract(&doc, "fuzz.txt", bytes, len, &opts);
    if (st == SX_OK)
        fz_check_success(&doc, text, len);
    else
        fz_check_failure(&doc, st);

    if (twice) {
        size_t nt = doc.n_timexes, ne = doc.n_events, na = doc.n_actors, ns = doc.n_sentences;
        char first_value[SX_VALUE_MAX] = "", first_type[32] = "";
        if (nt) memcpy(first_value, doc.timexes[0].value, sizeof first_value);
        if (ne) snprintf(first_type, sizeof first_type, "%s", doc.events[0].type);
        sx_status st2 = sx_extract(&doc, "fuzz.txt", bytes, len, &opts);
        FZ_CHECK(st2 == st);
        if (st2 == SX_OK) {
            fz_check_success(&doc, text, len);
            FZ_CHECK(doc.n_timexes == nt && doc.n_events == ne && doc.n_actors == na &&
                     doc.n_sentences == ns);
            FZ_CHECK(nt == 0 || strcmp(doc.timexes[0].value, first_value) == 0);
            FZ_CHECK(ne == 0 || strcmp(doc.events[0].type, first_type) == 0);
        } else
            fz_check_failure(&doc, st2);
    }
    sx_doc_free(&doc);
    free(bytes);
}

#endif
