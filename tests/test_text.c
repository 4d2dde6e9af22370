/*
 * test_text.c -- Criterion tests of the extractor's input handling, through
 * the public API only (sx_extract on in-memory bytes).
 *
 * Covers:
 *   bad input   a table of rejected byte strings (invalid UTF-8 of every
 *               kind, NUL bytes, UTF-16 byte order marks, empty and
 *               white-space-only text) with the status and the message,
 *               which must name the path and, for bad bytes, the byte offset
 *               of the first bad byte.  Each bad input is written as valid
 *               text followed by the bad bytes, so the expected offset is
 *               the length of that prefix, never a number typed by hand.
 *   offsets     every start/end is a code point offset into the original
 *               bytes, whatever the cleaning did: a UTF-8 BOM (code point 0),
 *               multi-byte characters (é, curly quotes, an emoji outside the
 *               BMP, which is two UTF-16 units inside), decomposed text that
 *               NFC composes ("e" + U+0301), and "{mosads}" ad markers that
 *               are blanked.  Expected offsets are computed by counting code
 *               points in the input.
 *   sentences   abbreviations ("Mr.", "U.S.", "Jul.") do not end sentences.
 *
 * Limits: this file checks what the extractor promises in extractor.h; it
 * does not score extraction quality (test_fixtures.c does that).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ------------------------------------------------------------------ */

/* Number of code points in s[0..n): bytes that are not continuation bytes.
 * Only used on valid UTF-8. */
static int32_t cp_count(const char *s, size_t n)
{
    int32_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Code point offset of the first occurrence of needle in text, or -1. */
static int32_t cp_find(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    return p ? cp_count(text, (size_t)(p - text)) : -1;
}

static const sx_date dct_friday = {2017, 7, 7, 0, 0, 0}; /* a Friday */

/* Extracts text (NUL-terminated, valid UTF-8) with the DCT above; the
 * extraction must succeed. */
static void extract_ok(sx_doc *doc, const char *text)
{
    sx_options o = {&dct_friday, 0};
    sx_doc_init(doc);
    sx_status st = sx_extract(doc, "in.txt", text, strlen(text), &o);
    cr_assert_eq(st, SX_OK, "sx_extract: %s (%s)", sx_status_str(st), sx_doc_errmsg(doc));
}

/* The timex whose surface text is word, or NULL. */
static const sx_timex *timex_with_text(const sx_doc *doc, const char *word)
{
    for (size_t i = 0; i < doc->n_timexes; i++)
        if (doc->timexes[i].text && !strcmp(doc->timexes[i].text, word)) return &doc->timexes[i];
    return NULL;
}

/* ---- bad input: status and message ------------------------------------------- */

typedef struct bad_input {
    const char *name;   /* the behaviour */
    const char *prefix; /* valid text before the first bad byte */
    const char *tail;   /* the bytes from the first bad one on */
    size_t tail_len;
    sx_status status;
    const char *what; /* expected in the message */
    int at_byte;      /* message must say "at byte strlen(prefix)" */
} bad_input;

#define TAIL(s) s, sizeof(s) - 1

static const bad_input bad_inputs[] = {
    {"overlong_two_byte_slash", "Caf\xC3\xA9 ", TAIL("\xC0\xAF"), SX_EUTF8, "overlong", 1},
    {"overlong_three_byte", "Hi there ", TAIL("\xE0\x80\xAF"), SX_EUTF8, "overlong", 1},
    {"lone_high_surrogate", "Hello, world ", TAIL("\xED\xA0\x80"), SX_EUTF8, "surrogate", 1},
    {"lone_low_surrogate", "\xE2\x80\x9Cquoted\xE2\x80\x9D ", TAIL("\xED\xB0\x80 more"), SX_EUTF8,
     "surrogate", 1},
    {"truncated_sequence_at_end", "Price: 5 ", TAIL("\xE2\x82"), SX_EUTF8, "truncated", 1},
    {"truncated_sequence_mid_text", "abc", TAIL("\xE2\x82 and more"), SX_EUTF8, "truncated", 1},
    {"stray_continuation_byte", "x \xE2\x82\xAC ", TAIL("\x80 y"), SX_EUTF8, "continuation", 1},
    {"code_point_above_10FFFF", "abcd", TAIL("\xF4\x90\x80\x80"), SX_EUTF8, "above U+10FFFF", 1},
    {"byte_ff_never_valid", "Trump met Putin.", TAIL("\xFF"), SX_EUTF8, "never valid", 1},
    {"bad_byte_after_emoji", "\xF0\x9F\x98\x80 ok ", TAIL("\xC1\xBF"), SX_EUTF8, "invalid UTF-8", 1},
    {"nul_byte", "Hello", TAIL("\0world"), SX_EUTF8, "NUL", 1},
    {"utf16_le_bom", "", TAIL("\xFF\xFEH\0i\0"), SX_EUTF8, "UTF-16", 0},
    {"utf16_be_bom", "", TAIL("\xFE\xFF\0H\0i"), SX_EUTF8, "UTF-16", 0},
    {"empty_input", "", "", 0, SX_EEMPTY, "is empty", 0},
    {"white_space_only", "", TAIL(" \t\r\n  \n"), SX_EEMPTY, "has no text", 0},
    {"unicode_white_space_only", "", TAIL("\xC2\xA0\xE3\x80\x80\xE2\x80\xA8 "), SX_EEMPTY, "has no text", 0},
    {"bom_then_white_space_only", "", TAIL("\xEF\xBB\xBF \n"), SX_EEMPTY, "has no text", 0},
};

ParameterizedTestParameters(bad_input, is_refused_with_status_and_byte_offset)
{
    static size_t idx[N_ELEMS(bad_inputs)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, bad_input, is_refused_with_status_and_byte_offset)
{
    const bad_input *c = &bad_inputs[*i];
    size_t plen = strlen(c->prefix), len = plen + c->tail_len;
    /* Exactly len bytes, no NUL after them, so a read past the end shows
     * up under AddressSanitizer. */
    char *bytes = malloc(len ? len : 1);
    cr_assert(bytes);
    memcpy(bytes, c->prefix, plen);
    memcpy(bytes + plen, c->tail, c->tail_len);

    sx_doc doc;
    sx_doc_init(&doc);
    sx_options o = {&dct_friday, 0};
    sx_status st = sx_extract(&doc, "in.txt", bytes, len, &o);
    const char *msg = sx_doc_errmsg(&doc);
    cr_expect_eq(st, c->status, "%s: status %s, expected %s (%s)", c->name, sx_status_str(st),
                 sx_status_str(c->status), msg);
    cr_expect(!strncmp(msg, "in.txt: ", 8), "%s: message does not name the path: '%s'", c->name, msg);
    cr_expect(strstr(msg, c->what), "%s: '%s' not in '%s'", c->name, c->what, msg);
    if (c->at_byte) {
        char want[64];
        snprintf(want, sizeof want, "at byte %zu ", plen);
        cr_expect(strstr(msg, want), "%s: '%s' not in '%s'", c->name, want, msg);
    }
    if (c->status == SX_EUTF8 && c->at_byte && !strstr(c->what, "NUL"))
        cr_expect(strstr(msg, "invalid UTF-8 at byte"), "%s: '%s'", c->name, msg);
    /* On failure the doc holds no results. */
    cr_expect_eq(doc.n_timexes, 0);
    cr_expect_eq(doc.n_events, 0);
    cr_expect_eq(doc.n_sentences, 0);
    sx_doc_free(&doc);
    free(bytes);
}

Test(bad_input, message_names_no_offset_for_good_text)
{
    sx_doc doc;
    extract_ok(&doc, "Trump met Putin on Friday.");
    cr_expect_str_empty(sx_doc_errmsg(&doc));
    sx_doc_free(&doc);
}

/* ---- offsets are code points of the original input ---------------------------- */

typedef struct offset_case {
    const char *name;
    const char *text; /* must contain "Friday" once, meaning 2017-07-07 */
} offset_case;

static const offset_case offset_cases[] = {
    {"plain_ascii", "Trump met Putin in Hamburg on Friday."},
    {"utf8_bom_is_code_point_zero", "\xEF\xBB\xBFTrump met Putin in Hamburg on Friday."},
    {"two_byte_characters", "Caf\xC3\xA9 diplomacy: Macron met Putin in Paris on Friday."},
    {"curly_quotes", "\xE2\x80\x9CWe talked,\xE2\x80\x9D Trump said after he met Putin on Friday."},
    {"emoji_outside_the_bmp", "Trump \xF0\x9F\x98\x80 met Putin \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 on Friday."},
    {"decomposed_e_acute_nfd", "Re\xCC\x81sume\xCC\x81 of talks: Macron met Putin on Friday."},
    {"several_combining_marks", "Zoe\xCC\x88\xCC\x81 and a\xCC\x8A met Putin on Friday."},
    {"mosads_marker_is_blanked", "Trump {mosads}met Putin in Hamburg on Friday."},
    {"control_characters_become_spaces", "Trump\x01 met\x7F Putin\x0B in Hamburg on Friday."},
    {"copyright_footer_is_blanked",
     "Copyright 2017 Capitol Hill Publishing Corp. All rights reserved.\nTrump met Putin on Friday."},
    {"everything_at_once", "\xEF\xBB\xBF\xE2\x80\x9C"
                           "Caf\xC3\xA9\xE2\x80\x9D {mosads} Re\xCC\x81sume\xCC\x81 "
                           "\xF0\x9F\x98\x80 Trump met Putin in Hamburg on Friday."},
};

ParameterizedTestParameters(offsets, timex_has_code_point_offsets_of_the_original)
{
    static size_t idx[N_ELEMS(offset_cases)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, offsets, timex_has_code_point_offsets_of_the_original)
{
    const offset_case *c = &offset_cases[*i];
    int32_t want_start = cp_find(c->text, "Friday");
    cr_assert_geq(want_start, 0);
    int32_t want_end = want_start + 6;

    sx_doc doc;
    extract_ok(&doc, c->text);
    cr_expect_eq(doc.n_codepoints, cp_count(c->text, strlen(c->text)), "%s: n_codepoints %d, expected %d",
                 c->name, doc.n_codepoints, cp_count(c->text, strlen(c->text)));
    cr_expect_eq(doc.text_len, strlen(c->text), "%s", c->name);
    cr_expect(doc.text && !strcmp(doc.text, c->text), "%s: doc.text is not the original input", c->name);

    const sx_timex *t = timex_with_text(&doc, "Friday");
    cr_assert(t, "%s: no timex with text \"Friday\" (%zu timexes)", c->name, doc.n_timexes);
    cr_expect_eq(t->start, want_start, "%s: start %d, expected %d", c->name, t->start, want_start);
    cr_expect_eq(t->end, want_end, "%s: end %d, expected %d", c->name, t->end, want_end);
    cr_expect_str_eq(t->value, "2017-07-07", "%s", c->name);
    /* Every timex and sentence lies inside the text. */
    for (size_t k = 0; k < doc.n_timexes; k++)
        cr_expect(doc.timexes[k].start >= 0 && doc.timexes[k].start < doc.timexes[k].end &&
                      doc.timexes[k].end <= doc.n_codepoints,
                  "%s: timex %zu at %d-%d", c->name, k, doc.timexes[k].start, doc.timexes[k].end);
    for (size_t k = 0; k < doc.n_sentences; k++)
        cr_expect(doc.sentences[k].start >= 0 && doc.sentences[k].start <= doc.sentences[k].end &&
                      doc.sentences[k].end <= doc.n_codepoints,
                  "%s: sentence %zu at %d-%d", c->name, k, doc.sentences[k].start, doc.sentences[k].end);
    sx_doc_free(&doc);
}

/* The same sentence must give the same offsets with and without an ad marker
 * or decomposed text in front of it, shifted only by the code points added. */
Test(offsets, cleaning_before_a_timex_shifts_nothing)
{
    static const char *const prefixes[] = {"",
                                           "{mosads}",
                                           "{mosads} ",
                                           "Re\xCC\x81sume\xCC\x81 ",
                                           "\xEF\xBB\xBF",
                                           "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 "};
    const char *body = "Trump met Putin in Hamburg on Friday.";
    for (size_t i = 0; i < N_ELEMS(prefixes); i++) {
        char text[256];
        snprintf(text, sizeof text, "%s%s", prefixes[i], body);
        int32_t shift = cp_count(prefixes[i], strlen(prefixes[i]));
        sx_doc doc;
        extract_ok(&doc, text);
        const sx_timex *t = timex_with_text(&doc, "Friday");
        cr_assert(t, "prefix %zu: no \"Friday\" timex", i);
        cr_expect_eq(t->start, shift + cp_find(body, "Friday"), "prefix %zu: start %d", i, t->start);
        cr_expect_eq(t->end, shift + cp_find(body, "Friday") + 6, "prefix %zu: end %d", i, t->end);
        sx_doc_free(&doc);
    }
}

/* ---- sentences ------------------------------------------------------------------ */

typedef struct sentence_case {
    const char *name;
    const char *text;
    size_t n_sentences;
    const char *second; /* text the second sentence starts with, or NULL */
} sentence_case;

static const sentence_case sentence_cases[] = {
    {"mr_and_us_do_not_end_a_sentence", "Mr. Smith met U.S. officials on Friday. They agreed.", 2, "They"},
    {"month_abbreviation_before_a_day", "Jul. 7 was the day.", 1, NULL},
    {"two_plain_sentences", "Trump met Putin. They talked for two hours.", 2, "They"},
    {"one_sentence", "Trump met Putin on Friday.", 1, NULL},
};

ParameterizedTestParameters(sentences, abbreviations_do_not_end_a_sentence)
{
    static size_t idx[N_ELEMS(sentence_cases)];
    for (size_t i = 0; i < N_ELEMS(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ELEMS(idx));
}

ParameterizedTest(size_t *i, sentences, abbreviations_do_not_end_a_sentence)
{
    const sentence_case *c = &sentence_cases[*i];
    sx_doc doc;
    extract_ok(&doc, c->text);
    cr_expect_eq(doc.n_sentences, c->n_sentences, "%s: %zu sentences, expected %zu", c->name, doc.n_sentences,
                 c->n_sentences);
    if (c->second && doc.n_sentences >= 2) {
        int32_t want = cp_find(c->text, c->second);
        cr_expect_eq(doc.sentences[1].start, want, "%s: second sentence starts at %d, expected %d", c->name,
                     doc.sentences[1].start, want);
    }
    if (doc.n_sentences >= 1) cr_expect_eq(doc.sentences[0].start, 0, "%s", c->name);
    sx_doc_free(&doc);
}
