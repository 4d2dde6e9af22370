/*
 * numbers.c -- spelled-out numbers ("forty-five", "twenty one", "a hundred")
 * through ICU's RuleBasedNumberFormat spellout rules for English.
 *
 * Exports sx__spellout_parse (sx_int.h).  The formatter is opened once per
 * process; parsing is a const operation on it, safe from many threads.
 * The whole span must parse: "two hours" is not a number, "two" is.
 */
#include <pthread.h>
#include <unicode/unum.h>

#include "sx_int.h"

static UNumberFormat *sx__rbnf, *sx__rbnf_strict;
static pthread_once_t sx__rbnf_once = PTHREAD_ONCE_INIT;

static void sx__rbnf_init(void)
{
    UErrorCode e = U_ZERO_ERROR;
    sx__rbnf = unum_open(UNUM_SPELLOUT, NULL, 0, "en", NULL, &e);
    if (U_FAILURE(e)) sx__rbnf = NULL;
    else unum_setAttribute(sx__rbnf, UNUM_LENIENT_PARSE, 1);
    e = U_ZERO_ERROR;
    sx__rbnf_strict = unum_open(UNUM_SPELLOUT, NULL, 0, "en", NULL, &e);
    if (U_FAILURE(e)) sx__rbnf_strict = NULL;
}

double sx__spellout_parse(const UChar *s, int32_t len)
{
    pthread_once(&sx__rbnf_once, sx__rbnf_init);
    if (!sx__rbnf || !sx__rbnf_strict || len <= 0 || len > 200) return -1;
    /* strict parse first ("forty-five"); the lenient one, which allows
     * "forty five" and is many times slower, only when that fails */
    UErrorCode e = U_ZERO_ERROR;
    int32_t pos = 0;
    double v = unum_parseDouble(sx__rbnf_strict, s, len, &pos, &e);
    if (U_SUCCESS(e) && pos == len) return v;
    e = U_ZERO_ERROR;
    pos = 0;
    v = unum_parseDouble(sx__rbnf, s, len, &pos, &e);
    if (U_FAILURE(e) || pos != len) return -1;
    return v;
}
