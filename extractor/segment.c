/*
 * segment.c -- sentences and tokens with ICU break iterators.
 *
 * Exports sx__segment (sx_int.h) and sx__phrase_tokens.
 *
 * Sentences come from ICU's sentence iterator with the "en@ss=standard"
 * suppressions (so "Mr." and "U.S." do not end a sentence), plus one repair
 * ICU cannot know: a break after an abbreviation from our list ("Jul.",
 * "Gen.") is undone when the next sentence starts with a digit or a lower
 * case letter on the same line.  Tokens come from ICU's word iterator; white
 * space becomes flags on the next token, not tokens.  Each token gets its
 * case-folded UTF-8 form (ICU u_strFoldCase; an ASCII fast path gives the
 * same result for ASCII), with typographic apostrophes made plain and a
 * possessive 's stripped into a flag, and its lexicon classes (sx__lex_tok).
 *
 * Template iterators are opened once per process and cloned per document,
 * since opening one costs far more than a clone.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "sx_int.h"

static UBreakIterator *sx__sent_tmpl, *sx__word_tmpl;
static pthread_once_t sx__brk_once = PTHREAD_ONCE_INIT;

static void sx__brk_init(void)
{
    UErrorCode e = U_ZERO_ERROR;
    sx__sent_tmpl = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &e);
    if (U_FAILURE(e)) sx__sent_tmpl = NULL;
    e = U_ZERO_ERROR;
    sx__word_tmpl = ubrk_open(UBRK_WORD, "en", NULL, 0, &e);
    if (U_FAILURE(e)) sx__word_tmpl = NULL;
}

static UBreakIterator *sx__brk_clone(UBreakIterator *tmpl, const UChar *u, int32_t n)
{
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *b = ubrk_clone(tmpl, &e);
    if (U_FAILURE(e)) return NULL;
    ubrk_setText(b, u, n, &e);
    if (U_FAILURE(e)) {
        ubrk_close(b);
        return NULL;
    }
    return b;
}

static SX__ALWAYS_INLINE int sx__is_ws(UChar c)
{
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c >= 0x0B && c <= 0x0C) || (c >= 0x1C && c <= 0x1F);
    return c == 0xA0 || u_isWhitespace(c);
}

/* Abbreviations after which a sentence never ends before a digit or a
 * lower-case word (lexicon class SX_LX_ABBREV). */
const char *const sx__abbrevs[] = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "gen", "sen", "rep", "gov", "lt", "col", "st", "no", "dr", "mr", "mrs", "ms", "prof",
    "maj", "capt", "adm", "sgt", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "vs", "amb",
    "pres", "sec", "rev", "hon", "jr", "sr", "inc", "co", "corp", "ltd", "approx", "est",
    "fig", "vol", "dept", "gov't", NULL};

/* Words that commonly open a sentence, so a capital after "U.S." is one
 * (lexicon class SX_LX_SENTWORD). */
const char *const sx__sentence_words[] = {
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "this", "that", "these", "those", "but",
    "and", "in", "on", "at", "for", "however", "meanwhile", "his", "her", "their", "its", "there",
    "officials", "after", "before", "while", "when", "if", "as", "both", "some", "many", "no", NULL};

static char *sx__arena_put(sx__work *w, const char *s, size_t n, sx_status *st)
{
    if (w->arena_len + n + 1 > w->arena_cap) {
        /* The arena only grows by doubling before tokens point into it; see
         * sx__segment, which sizes it up front. */
        *st = SX_ENOMEM;
        return NULL;
    }
    char *p = w->arena + w->arena_len;
    memcpy(p, s, n);
    p[n] = '\0';
    w->arena_len += n + 1;
    return p;
}

/* Case-folds u[0..n) into UTF-8 at out (cap bytes); returns length or -1. */
static int32_t sx__fold(const UChar *u, int32_t n, char *out, int32_t cap)
{
    int ascii = 1;
    for (int32_t i = 0; i < n; i++)
        if (u[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) {
        if (n >= cap) return -1;
        for (int32_t i = 0; i < n; i++) {
            UChar c = u[i];
            out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        out[n] = '\0';
        return n;
    }
    UChar tmp[256];
    UErrorCode e = U_ZERO_ERROR;
    if (n > 120) return -1;
    /* plain apostrophes and hyphens before folding */
    UChar src[128];
    for (int32_t i = 0; i < n; i++) {
        UChar c = u[i];
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC) c = '\'';
        else if (c == 0x2010 || c == 0x2011) c = '-';
        src[i] = c;
    }
    int32_t fl = u_strFoldCase(tmp, 256, src, n, U_FOLD_CASE_DEFAULT, &e);
    if (U_FAILURE(e)) return -1;
    int32_t ol;
    u_strToUTF8(out, cap, &ol, tmp, fl, &e);
    if (U_FAILURE(e) || ol >= cap) return -1;
    out[ol] = '\0';
    return ol;
}

/* ---- words: ICU's word breaks, with a fast path for plain lines ----------
 *
 * ICU's word iterator was the largest single cost of extraction (the
 * benchmark's reference is that iterator alone).  Most lines of news text
 * hold only ASCII and a few typographic marks, whose Unicode word-break
 * classes (UAX #29) are few and fixed, so such a line is split here by the
 * same rules; any other line goes to ICU.  A line break always ends a word
 * (WB3a/WB3b), so the two never disagree at a seam.  tests/test_text.c
 * checks that both give the same words and statuses, on the fixtures and on
 * a million random strings over every class the fast path knows.
 *
 * Classes: letters and '@' (ICU's ALetter), digits (Numeric), '_'
 * (ExtendNumLet), '.', '\'', U+2018, U+2019 (MidNumLet / Single_Quote),
 * ',', ';' (MidNum), white space, and Other (every other printable ASCII
 * character, U+201C, U+201D, U+2013, U+2014, U+2026).  Rules: letters,
 * digits and '_' join (WB5, WB8-10, WB13a-b); a MidNumLet between two
 * letters joins (WB6-7); a MidNum or MidNumLet between two digits joins
 * (WB11-12); everything else breaks.  Status: LETTER when the word ends
 * in two '_'; otherwise NUMBER when the last character that is not '_' is
 * a digit, LETTER when it is a letter; none for a lone '_' or punctuation. */
enum { SX_WB_NONE, SX_WB_L, SX_WB_N, SX_WB_EX, SX_WB_MNL, SX_WB_MN, SX_WB_OTHER, SX_WB_SP };

static int sx__wb_ascii_class(int c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') return SX_WB_L;
    if (c >= '0' && c <= '9') return SX_WB_N;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return SX_WB_SP;
    if (c == '_') return SX_WB_EX;
    if (c == '.' || c == '\'') return SX_WB_MNL;
    if (c == ',' || c == ';') return SX_WB_MN;
    if (c > 0x20 && c < 0x7F) return SX_WB_OTHER;
    return SX_WB_NONE;
}

static unsigned char sx__wb_table[128];
static pthread_once_t sx__wb_once = PTHREAD_ONCE_INIT;

static void sx__wb_init(void)
{
    for (int c = 0; c < 128; c++) sx__wb_table[c] = (unsigned char)sx__wb_ascii_class(c);
}

static inline int sx__wb_class(UChar c)
{
    if (c < 0x80) return sx__wb_table[c];
    if (c == 0x2018 || c == 0x2019) return SX_WB_MNL;
    if (c == 0x201C || c == 0x201D || c == 0x2013 || c == 0x2014 || c == 0x2026) return SX_WB_OTHER;
    return SX_WB_NONE;
}

/* Whether each of the four UTF-16 units in x is in U+0020..U+007E: the
 * word-at-a-time hasless/hasmore tests of "Bit Twiddling Hacks" on 16-bit
 * lanes, exact as a yes/no answer. */
static int sx__plain4(uint64_t x)
{
    const uint64_t ones = 0x0001000100010001ull, high = 0x8000800080008000ull;
    return !((((x - ones * 0x20) & ~x) | ((x + ones * (0x7FFF - 0x7E)) | x)) & high);
}

/* The end of the segment that starts at u[a] (a < n, a line the fast path
 * knows), and its ICU rule status. */
static int32_t sx__fast_word(const UChar *u, int32_t a, int32_t n, int32_t *status)
{
    int c = sx__wb_class(u[a]);
    int32_t i = a + 1;
    *status = UBRK_WORD_NONE;
    if (c == SX_WB_SP) {
        while (i < n && sx__wb_class(u[i]) == SX_WB_SP) i++;
        return i;
    }
    if (c != SX_WB_L && c != SX_WB_N && c != SX_WB_EX) return i;
    int last = c; /* class of the last character that is not '_' */
    for (;;) {
        int d = i < n ? sx__wb_class(u[i]) : SX_WB_NONE;
        if (d == SX_WB_L || d == SX_WB_N || d == SX_WB_EX) {
            if (d != SX_WB_EX) last = d;
            i++;
            continue;
        }
        if ((d == SX_WB_MNL || d == SX_WB_MN) && i + 1 < n) {
            int prev = sx__wb_class(u[i - 1]), next = sx__wb_class(u[i + 1]);
            if ((prev == SX_WB_L && next == SX_WB_L && d == SX_WB_MNL) || (prev == SX_WB_N && next == SX_WB_N)) {
                last = next;
                i += 2;
                continue;
            }
        }
        break;
    }
    /* two or more '_' at the end make it a letter word whatever came
     * before ("1__"); ICU's rule for '_' after '_' says so */
    if (i - a >= 2 && u[i - 1] == '_' && u[i - 2] == '_') *status = UBRK_WORD_LETTER;
    else if (last == SX_WB_N) *status = UBRK_WORD_NUMBER;
    else if (last == SX_WB_L) *status = UBRK_WORD_LETTER;
    return i;
}

/* Tokens of a lexicon phrase, split and folded as article text is.  Called
 * for every name and alias of the data files at start-up, so a phrase the
 * word fast path knows (below: the same segments as ICU's iterator) is
 * split by it, without cloning an iterator (a sixth of start-up). */
int sx__phrase_tokens(const char *utf8, char out[][48], int max)
{
    UChar u[256];
    int32_t n;
    UErrorCode e = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, utf8, -1, &e);
    if (U_FAILURE(e)) return 0;
    pthread_once(&sx__brk_once, sx__brk_init);
    pthread_once(&sx__wb_once, sx__wb_init);
    if (!sx__word_tmpl) return 0;
    int fast = 1;
    for (int32_t i = 0; i < n && fast; i++)
        fast = u[i] != '\n' && u[i] != '\r' && sx__wb_class(u[i]) != SX_WB_NONE;
    UBreakIterator *b = fast ? NULL : sx__brk_clone(sx__word_tmpl, u, n);
    if (!fast && !b) return 0;
    int cnt = 0;
    int32_t p = fast ? 0 : ubrk_first(b), q, st;
    while (cnt < max && (fast ? (q = p < n ? sx__fast_word(u, p, n, &st) : UBRK_DONE) : (q = ubrk_next(b))) != UBRK_DONE) {
        if (!sx__is_ws(u[p])) {
            int32_t l = sx__fold(u + p, q - p, out[cnt], 48);
            /* as in the text: "People's" is "people" with a possessive flag */
            if (l > 2 && out[cnt][l - 2] == '\'' && out[cnt][l - 1] == 's') out[cnt][l - 2] = '\0';
            if (l > 0) cnt++;
        }
        p = q;
    }
    if (b) ubrk_close(b);
    /* a trailing "." of an abbreviation is not part of the key */
    if (cnt > 1 && sx__eq(out[cnt - 1], ".")) cnt--;
    return cnt;
}

/* Word segments of the whole text, line by line: the fast path where it
 * knows every character of a line, ICU's iterator (set to that line) where
 * it does not. */
typedef struct sx__words {
    const UChar *u;
    int32_t n, pos, line_end;
    int fast;
    UBreakIterator *icu; /* NULL: fast path only allowed for lines it knows */
    int32_t base;        /* offset of the line ICU is set to */
    int icu_only;        /* tests: every line through ICU */
} sx__words;

/* The next boundary after it->pos with its status, or -1 at the end or on
 * an ICU failure (*err set). */
static int32_t sx__words_next(sx__words *it, int32_t *status, int *err)
{
    *err = 0;
    if (it->pos >= it->n) return -1;
    if (it->pos >= it->line_end) {
        int32_t e = it->pos;
        int fast = !it->icu_only;
        while (e < it->n && it->u[e] != '\n') {
            uint64_t x;
            /* four units at once while they are plain ASCII (U+0020..U+007E,
             * classes the fast path knows, no line break) */
            if (e + 4 <= it->n && (memcpy(&x, it->u + e, sizeof x), sx__plain4(x))) {
                e += 4;
                continue;
            }
            if (fast && sx__wb_class(it->u[e]) == SX_WB_NONE) fast = 0;
            e++;
        }
        if (e < it->n) e++; /* the line break ends the line */
        it->line_end = e;
        it->fast = fast;
        if (!fast) {
            UErrorCode ec = U_ZERO_ERROR;
            ubrk_setText(it->icu, it->u + it->pos, e - it->pos, &ec);
            if (U_FAILURE(ec)) {
                *err = 1;
                return -1;
            }
            it->base = it->pos;
            ubrk_first(it->icu);
        }
    }
    int32_t q;
    if (it->fast) q = sx__fast_word(it->u, it->pos, it->line_end, status);
    else {
        int32_t r = ubrk_next(it->icu);
        q = r == UBRK_DONE ? it->line_end : it->base + r;
        *status = r == UBRK_DONE ? UBRK_WORD_NONE : ubrk_getRuleStatus(it->icu);
    }
    it->pos = q;
    return q;
}

int32_t sx__word_split(const UChar *u, int32_t n, int icu_only, int32_t *ends, int32_t *status, int32_t max)
{
    pthread_once(&sx__brk_once, sx__brk_init);
    pthread_once(&sx__wb_once, sx__wb_init);
    if (!sx__word_tmpl) return -1;
    UErrorCode e = U_ZERO_ERROR;
    sx__words it = {.u = u, .n = n, .icu = ubrk_clone(sx__word_tmpl, &e), .icu_only = icu_only};
    if (U_FAILURE(e)) return -1;
    int32_t k = 0, q, st;
    int err = 0;
    while (k < max && (q = sx__words_next(&it, &st, &err)) >= 0) {
        ends[k] = q;
        status[k++] = st;
    }
    ubrk_close(it.icu);
    return err ? -1 : k;
}

static int sx__is_quote(UChar c, int *open, int *close)
{
    *open = *close = 0;
    switch (c) {
    case 0x201C: case 0x00AB: *open = 1; return 1;
    case 0x201D: case 0x00BB: *close = 1; return 1;
    case '"': return 1; /* direction decided by context */
    default: return 0;
    }
}

sx_status sx__segment(sx__work *w)
{
    pthread_once(&sx__brk_once, sx__brk_init);
    if (!sx__sent_tmpl || !sx__word_tmpl) {
        if (w->err) snprintf(w->err, w->errlen, "%s: cannot open ICU break iterators", w->path);
        return SX_EICU;
    }
    sx_status st = SX_OK;
    int ok;
    /* tokens are looked up in the lexicon as they are made; if it cannot
     * be built, sx__lexicon_apply says so */
    int lex_ok = sx__lex() != NULL;
    /* ---- sentences ---- */
    UBreakIterator *sb = sx__brk_clone(sx__sent_tmpl, w->u, w->ulen);
    if (!sb) return SX_EICU;
    int32_t *bounds = NULL;
    size_t nb = 0, capb = 0;
    int32_t p = ubrk_first(sb), q;
    while ((q = ubrk_next(sb)) != UBRK_DONE) {
        SX__GROW(bounds, nb, capb, ok);
        if (!ok) {
            ubrk_close(sb);
            free(bounds);
            return SX_ENOMEM;
        }
        bounds[nb++] = p;
        p = q;
    }
    ubrk_close(sb);
    SX__GROW(bounds, nb, capb, ok);
    if (!ok) {
        free(bounds);
        return SX_ENOMEM;
    }
    bounds[nb] = w->ulen; /* sentence k = [bounds[k], bounds[k+1]) */

    /* ---- tokens ---- */
    w->arena_cap = (size_t)w->ulen * 3 + 64;
    w->arena = malloc(w->arena_cap);
    if (!w->arena) {
        free(bounds);
        return SX_ENOMEM;
    }
    pthread_once(&sx__wb_once, sx__wb_init);
    UErrorCode ec = U_ZERO_ERROR;
    sx__words words = {.u = w->u, .n = w->ulen, .icu = ubrk_clone(sx__word_tmpl, &ec)};
    if (U_FAILURE(ec)) {
        free(bounds);
        return SX_EICU;
    }
    uint32_t pending = 0;
    int in_quote = 0;
    size_t sk = 0; /* raw ICU sentence of the current token */
    int32_t status;
    int werr = 0;
    p = 0;
    while (st == SX_OK && (q = sx__words_next(&words, &status, &werr)) >= 0) {
        int32_t a = p;
        p = q;
        if (sx__is_ws(w->u[a])) {
            pending |= SX_TF_SPACE;
            for (int32_t k = a; k < q; k++)
                if (w->u[k] == '\n' || w->u[k] == '\r' || w->u[k] == 0x2029) pending |= SX_TF_NL;
            continue;
        }
        SX__GROW(w->toks, w->n_toks, w->cap_toks, ok);
        if (!ok) {
            st = SX_ENOMEM;
            break;
        }
        sx__tok *t = &w->toks[w->n_toks];
        memset(t, 0, sizeof *t);
        t->u_start = a;
        t->u_end = q;
        t->cp_start = w->cp_of_u[a];
        t->cp_end = w->cp_of_u[q];
        t->num = -1;
        while (sk + 1 < nb && bounds[sk + 1] <= a) sk++;
        t->sent = (int32_t)sk;
        t->flags = pending;
        pending = 0;
        /* Quotes never run across a line break (a news paragraph that
         * continues a quote opens it again). */
        if (t->flags & SX_TF_NL) in_quote = 0;
        /* ASCII, most tokens: folded straight into the arena, its letters
         * counted and its lexicon hash taken in the same pass (one loop a
         * token instead of four: the folding, the counts and the hash and
         * look-up that sx__lexicon_apply did), which also finds out whether
         * it is ASCII; the rest below */
        int32_t l = q - a;
        int letters = 0, upper = 0, ascii = 1;
        uint32_t h = SX__FNV0;
        char *dst = NULL;
        if (l < 512 && w->arena_len + (size_t)l + 1 <= w->arena_cap) {
            dst = w->arena + w->arena_len;
            UChar any = 0;
            for (int32_t k = 0; k < l; k++) {
                UChar c = w->u[a + k];
                int up = c >= 'A' && c <= 'Z';
                any |= c;
                letters += up || (c >= 'a' && c <= 'z');
                upper += up;
                dst[k] = (char)(up ? c + 32 : c);
                h = sx__fnv(h, (unsigned char)dst[k]);
            }
            if (any >= 0x80) { /* not ASCII after all: the arena is not taken, the counts are redone */
                ascii = 0;
                dst = NULL;
                letters = upper = 0;
            }
        } else
            for (int32_t k = a; k < q && ascii; k++) ascii = w->u[k] < 0x80;
        if (!dst)
            for (int32_t k = a; k < q; k++) /* u_isalpha and u_isupper agree with the above on ASCII */
                if (u_isalpha(w->u[k])) {
                    letters++;
                    upper += u_isupper(w->u[k]) != 0;
                }
        if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) {
            t->flags |= SX_TF_NUM;
            int64_t v = 0;
            int nd = 0, alldig = 1;
            for (int32_t k = a; k < q; k++) {
                UChar c = w->u[k];
                if (c >= '0' && c <= '9') {
                    if (nd < 15) v = v * 10 + (c - '0');
                    nd++;
                } else alldig = 0;
            }
            t->ndigits = nd;
            t->num = alldig && nd <= 15 ? v : -1;
            if (ascii ? (w->u[a] >= 'A' && w->u[a] <= 'Z') : u_isupper(w->u[a])) { /* "G20", "P5" */
                t->flags |= SX_TF_CAP;
                if (letters == upper) t->flags |= SX_TF_ALLCAP;
            }
        } else if (status >= UBRK_WORD_LETTER) {
            t->flags |= SX_TF_WORD;
            if (ascii ? (w->u[a] >= 'A' && w->u[a] <= 'Z') : (u_isupper(w->u[a]) || u_istitle(w->u[a])))
                t->flags |= SX_TF_CAP;
            if (letters >= 2 && upper == letters) t->flags |= SX_TF_ALLCAP;
        } else {
            t->flags |= SX_TF_PUNCT;
            int op, cl;
            if (q - a == 1 && sx__is_quote(w->u[a], &op, &cl)) {
                if (!op && !cl) { /* straight quote: opening if no quote is open */
                    op = !in_quote;
                    cl = in_quote;
                }
                if (op) t->flags |= SX_TF_QOPEN, in_quote = 1;
                if (cl) t->flags |= SX_TF_QCLOSE, in_quote = 0;
            }
        }
        if (in_quote && !(t->flags & SX_TF_QOPEN)) t->flags |= SX_TF_INQUOTE;
        if (dst) {
            if (l > 2 && dst[l - 2] == '\'' && dst[l - 1] == 's' && (t->flags & SX_TF_WORD)) {
                l -= 2;
                t->flags |= SX_TF_POSS;
                h = sx__fnv_str(dst, (size_t)l);
            }
            dst[l] = '\0';
            w->arena_len += (size_t)l + 1;
            t->low = dst;
        } else {
            char buf[512];
            l = sx__fold(w->u + a, q - a, buf, (int32_t)sizeof buf);
            if (l < 0) l = 0, buf[0] = '\0';
            if (l > 2 && buf[l - 2] == '\'' && buf[l - 1] == 's' && (t->flags & SX_TF_WORD)) {
                l -= 2;
                buf[l] = '\0';
                t->flags |= SX_TF_POSS;
            }
            t->low = sx__arena_put(w, buf, (size_t)l, &st);
            h = sx__fnv_str(buf, (size_t)l);
        }
        t->low_len = l;
        if (lex_ok && t->low) sx__lex_tok(t, h);
        /* "." right after a word with no space marks an abbreviation candidate */
        if (w->n_toks > 0 && !(t->flags & SX_TF_SPACE) && l == 1 && t->low && t->low[0] == '.' &&
            (t[-1].flags & SX_TF_WORD))
            t[-1].flags |= SX_TF_DOT;
        w->n_toks++;
        /* One space and then no other, as between most words, is taken
         * here: on a fast-path line it is a segment of its own that only
         * sets SX_TF_SPACE, and a round of the loop for it cost as much as
         * a word. */
        if (words.fast && q + 1 < words.line_end && w->u[q] == ' ' && sx__wb_class(w->u[q + 1]) != SX_WB_SP) {
            pending |= SX_TF_SPACE;
            words.pos = p = q + 1;
        }
    }
    ubrk_close(words.icu);
    if (werr && st == SX_OK) st = SX_EICU;

    /* ---- merge sentences split after a listed abbreviation ---- */
    if (st == SX_OK) {
        /* map raw sentence -> merged sentence */
        int32_t *remap = malloc((nb + 1) * sizeof *remap);
        if (!remap) st = SX_ENOMEM;
        else {
            int32_t cur = 0;
            remap[0] = 0;
            size_t ti = 0;
            for (size_t s = 1; s < nb; s++) {
                /* last token of raw sentence s-1 and first of s */
                while (ti < w->n_toks && w->toks[ti].sent < (int32_t)s) ti++;
                int merge = 0;
                if (ti >= 2 && ti < w->n_toks) {
                    const sx__tok *dot = &w->toks[ti - 1], *prev = &w->toks[ti - 2], *next = &w->toks[ti];
                    if (dot->low_len == 1 && dot->low[0] == '.' && (prev->flags & SX_TF_DOT) &&
                        (prev->lex & SX_LX_ABBREV) && !(next->flags & SX_TF_NL) &&
                        ((next->flags & SX_TF_NUM) || ((next->flags & SX_TF_WORD) && !(next->flags & SX_TF_CAP))))
                        merge = 1;
                    /* "according to U.S. Middle East diplomat George Mitchell": an
                     * abbreviated country before a capitalized modifier; a
                     * new sentence would start with a function word instead */
                    if (dot->low_len == 1 && dot->low[0] == '.' && (prev->flags & SX_TF_DOT) &&
                        (sx__eq(prev->low, "u.s") || sx__eq(prev->low, "u.n") || sx__eq(prev->low, "u.k") ||
                         sx__eq(prev->low, "e.u")) &&
                        !(next->flags & SX_TF_NL) && (next->flags & SX_TF_CAP) && !(next->lex & SX_LX_SENTWORD))
                        merge = 1;
                    /* "George W. Bush": a middle initial ends no sentence */
                    if (dot->low_len == 1 && dot->low[0] == '.' && (prev->flags & SX_TF_DOT) &&
                        prev->low_len == 1 && (prev->flags & SX_TF_CAP) && !(next->flags & SX_TF_NL) &&
                        (next->flags & SX_TF_CAP) && ti >= 3 && (w->toks[ti - 3].flags & SX_TF_CAP) &&
                        (w->toks[ti - 3].flags & SX_TF_WORD))
                        merge = 1;
                    /* "3:32 P.M. EDT": a zone after a.m./p.m. */
                    if (dot->low_len == 1 && dot->low[0] == '.' && (sx__eq(prev->low, "p.m") || sx__eq(prev->low, "a.m")) &&
                        !(next->flags & SX_TF_NL) &&
                        (((next->flags & SX_TF_ALLCAP) && next->low_len <= 4) ||
                         (ti + 1 < w->n_toks && sx__eq(w->toks[ti + 1].low, "time")))) /* "10 a.m. Moscow time" */
                        merge = 1;
                }
                if (!merge) cur++;
                remap[s] = cur;
            }
            for (size_t i = 0; i < w->n_toks; i++) w->toks[i].sent = remap[w->toks[i].sent];
            free(remap);
        }
    }
    free(bounds);
    if (st != SX_OK) return st;

    /* ---- sentence table from tokens (trimmed of white space) ---- */
    int32_t prev_raw = -1;
    for (size_t i = 0; i < w->n_toks; i++) {
        sx__tok *t = &w->toks[i];
        int32_t raw = t->sent;
        if (w->n_sents == 0 || prev_raw != raw) {
            /* a new sentence; renumber densely (empty raw sentences vanish) */
            SX__GROW(w->sents, w->n_sents, w->cap_sents, ok);
            if (!ok) return SX_ENOMEM;
            w->sents[w->n_sents].start = t->cp_start;
            w->sents[w->n_sents].end = t->cp_end;
            w->n_sents++;
            t->flags |= SX_TF_SENT0;
        }
        prev_raw = raw;
        t->sent = (int32_t)w->n_sents - 1;
        w->sents[w->n_sents - 1].end = t->cp_end;
    }
    w->sent_tok0 = malloc((w->n_sents + 1) * sizeof *w->sent_tok0);
    if (!w->sent_tok0) return SX_ENOMEM;
    for (size_t i = w->n_toks; i-- > 0;) w->sent_tok0[w->toks[i].sent] = (int32_t)i;
    w->sent_tok0[w->n_sents] = (int32_t)w->n_toks;
    return SX_OK;
}
