/*
 * numbers.c -- spelled-out numbers ("forty-five", "twenty one", "a hundred")
 * through ICU's RuleBasedNumberFormat spellout rules for English.
 *
 * Exports sx__spellout_parse (sx_int.h).  The formatters are opened once per
 * process (the lenient one only when a strict parse first fails); parsing
 * is a const operation on them, safe from many threads.  Results are cached
 * per thread.
 * The whole span must parse: "two hours" is not a number, "two" is.
 */
#include <pthread.h>
#include <string.h>
#include <unicode/unum.h>

#include "sx_int.h"

static UNumberFormat *sx__rbnf, *sx__rbnf_strict;
static pthread_once_t sx__rbnf_once = PTHREAD_ONCE_INIT, sx__lenient_once = PTHREAD_ONCE_INIT;

static void sx__rbnf_init(void)
{
    UErrorCode e = U_ZERO_ERROR;
    sx__rbnf_strict = unum_open(UNUM_SPELLOUT, NULL, 0, "en", NULL, &e);
    if (U_FAILURE(e)) sx__rbnf_strict = NULL;
}

/* The lenient formatter is opened only when a strict parse first fails:
 * ICU builds its collator (a tailoring, 4-5 ms and a megabyte of heap) on
 * the first lenient parse, and most articles never need one, so start-up
 * does not pay for it. */
static void sx__lenient_init(void)
{
    UErrorCode e = U_ZERO_ERROR;
    sx__rbnf = unum_open(UNUM_SPELLOUT, NULL, 0, "en", NULL, &e);
    if (U_FAILURE(e)) sx__rbnf = NULL;
    else unum_setAttribute(sx__rbnf, UNUM_LENIENT_PARSE, 1);
    if (sx__rbnf) {
        /* ICU builds the lenient formatter's collator on its first lenient
         * parse, inside a const method without a lock; do that parse here,
         * under the once, so threads never race to build it. */
        static const UChar w[] = {'f', 'o', 'r', 't', 'y', ' ', 'f', 'i', 'v', 'e'};
        int32_t pos = 0;
        e = U_ZERO_ERROR;
        (void)unum_parseDouble(sx__rbnf, w, 10, &pos, &e);
    }
}

/* A per-thread cache of parses.  RBNF parsing walks the rule sets and was
 * a seventh of extraction time, while news uses a few dozen number words
 * over and over; the cache is direct-mapped by a hash of the UTF-16 span,
 * so a collision only costs a parse.  Thread-local, so no lock. */
#define SX__NCACHE 512
#define SX__NKEY 40
typedef struct sx__ncache {
    int32_t len; /* 0: empty slot */
    UChar key[SX__NKEY];
    double v;
} sx__ncache;
static _Thread_local sx__ncache sx__cache[SX__NCACHE];

static double sx__spellout_uncached(const UChar *s, int32_t len);

double sx__spellout_parse(const UChar *s, int32_t len)
{
    if (len <= 0 || len > SX__NKEY) return sx__spellout_uncached(s, len);
    uint32_t h = 2166136261u;
    for (int32_t i = 0; i < len; i++) h = (h ^ s[i]) * 16777619u;
    sx__ncache *c = &sx__cache[h & (SX__NCACHE - 1)];
    if (c->len == len && memcmp(c->key, s, (size_t)len * sizeof *s) == 0) return c->v;
    double v = sx__spellout_uncached(s, len);
    c->len = len;
    memcpy(c->key, s, (size_t)len * sizeof *s);
    c->v = v;
    return v;
}

static double sx__spellout_uncached(const UChar *s, int32_t len)
{
    pthread_once(&sx__rbnf_once, sx__rbnf_init);
    if (!sx__rbnf_strict || len <= 0 || len > 200) return -1;
    /* strict parse first ("forty-five"); the lenient one, which allows
     * "forty five" and is many times slower, only when that fails */
    UErrorCode e = U_ZERO_ERROR;
    int32_t pos = 0;
    double v = unum_parseDouble(sx__rbnf_strict, s, len, &pos, &e);
    if (U_SUCCESS(e) && pos == len) return v;
    pthread_once(&sx__lenient_once, sx__lenient_init);
    if (!sx__rbnf) return -1;
    e = U_ZERO_ERROR;
    pos = 0;
    v = unum_parseDouble(sx__rbnf, s, len, &pos, &e);
    if (U_FAILURE(e) || pos != len) return -1;
    return v;
}
