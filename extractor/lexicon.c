/*
 * lexicon.c -- the word lexicon, the gazetteers and the phrase index.
 *
 * Exports sx__lex, sx__lex_word, sx__lex_tok, sx__phrase_scan,
 * sx__country_by_code and sx__lexicon_apply (sx_int.h).
 *
 * Built once per process (pthread_once) and read-only afterwards, so any
 * number of threads may extract at once.  Sources:
 *   - ICU date format symbols (locale "en"): month and weekday names and
 *     their abbreviations;
 *   - ICU RuleBasedNumberFormat spellout rules: the words of spelled-out
 *     cardinals ("forty", "five") and ordinals ("twenty-first");
 *   - ICU region data: every ISO 3166 country with its alpha-3 code and
 *     English name;
 *   - the data files in data/, compiled in: people, places, country terms,
 *     organisations, titles and event triggers;
 *   - a few closed classes written here (time units, seasons, parts of day).
 *
 * Words live in one open-addressing hash table keyed by the folded word.
 * Multi-token phrases are indexed by their first token; matching compares
 * folded token strings, so "U.S." in text matches "u.s" in a data file.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "sx_int.h"

/* Embedded data files (cmake/embed.cmake): bytes, NUL-terminated. */
extern const unsigned char sx_data_people[], sx_data_places[], sx_data_country_terms[],
    sx_data_orgs[], sx_data_titles[], sx_data_triggers[], sx_data_gatherings[];

#define SX__MAXPTOK 8

typedef struct sx__phrase {
    int32_t next;     /* next phrase with the same first token, or -1 */
    int16_t kind, ntok;
    int32_t id;
    const char *toks[SX__MAXPTOK];
} sx__phrase;

typedef struct sx__entry {
    const char *key;
    uint32_t cls;
    int32_t val;
    int32_t phrases; /* head of phrase chain or -1 */
    uint16_t kinds;  /* SX_PH_MASK of every kind in the chain */
    uint16_t klen;   /* strlen(key): keys are words, under 100 bytes */
    int32_t flat, nflat; /* the chain, in order, as L.flat[flat..flat+nflat) */
} sx__entry;

/* A phrase as sx__phrase_match reads it: the chains are copied once built
 * into one array, with the words after the first as entry numbers (lexent
 * values) in L.ftok, so a match walks adjacent records and compares
 * integers instead of following links between 80-byte phrases and the
 * entries of their words. */
typedef struct sx__flat {
    int16_t kind, ntok;
    int32_t id;
    int32_t tok; /* L.ftok[tok..tok+ntok-1): words 2..ntok */
} sx__flat;

static struct {
    sx__lexicon pub;
    sx__entry *tab;
    uint32_t *tag; /* per slot: hash with the top bit set, 0 if empty; probed before the entries */
    size_t tab_cap, tab_n;
    sx__phrase *ph;
    size_t n_ph, cap_ph;
    sx__flat *flat;
    int32_t *ftok;
    char **strs; /* every string we own */
    size_t n_strs, cap_strs;
    int ok;
} L;

static pthread_once_t sx__lex_once = PTHREAD_ONCE_INIT;

/* The tag of a key: its sx__fnv hash with the top bit set (0 is empty). */
static uint32_t sx__hash(const char *s) { return sx__fnv_str(s, strlen(s)) | 0x80000000u; }

static const char *sx__own(const char *s)
{
    int ok;
    SX__GROW(L.strs, L.n_strs, L.cap_strs, ok);
    if (!ok) return NULL;
    char *p = sx__strdup(s);
    if (!p) return NULL;
    L.strs[L.n_strs++] = p;
    return p;
}

/* One lookup per token of every document: the tags (4 bytes a slot) are
 * probed first, so a miss rarely touches an entry or its key; a hit
 * compares lengths, then bytes with memcmp (a byte loop that stopped at the
 * NUL cost a mispredicted exit a token).  key has length len, h is its tag. */
static sx__entry *sx__find_tag(const char *key, size_t len, uint32_t h)
{
    if (!L.tab || len >= UINT16_MAX) return NULL;
    size_t m = L.tab_cap - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
        if (!L.tag[i]) return NULL;
        if (L.tag[i] == h && L.tab[i].klen == len && memcmp(L.tab[i].key, key, len) == 0) return &L.tab[i];
    }
}

static sx__entry *sx__find(const char *key)
{
    size_t n = strlen(key);
    return sx__find_tag(key, n, sx__fnv_str(key, n) | 0x80000000u);
}

static sx__entry *sx__intern(const char *key)
{
    if (strlen(key) >= UINT16_MAX) return NULL; /* see klen */
    if (L.tab_n * 2 >= L.tab_cap) {
        size_t nc = L.tab_cap ? L.tab_cap * 2 : 4096;
        sx__entry *nt = calloc(nc, sizeof *nt);
        uint32_t *ng = calloc(nc, sizeof *ng);
        if (!nt || !ng) {
            free(nt), free(ng);
            return NULL;
        }
        for (size_t i = 0; i < L.tab_cap; i++) {
            if (!L.tag[i]) continue;
            size_t j = L.tag[i] & (nc - 1);
            while (ng[j]) j = (j + 1) & (nc - 1);
            nt[j] = L.tab[i];
            ng[j] = L.tag[i];
        }
        free(L.tab), free(L.tag);
        L.tab = nt, L.tag = ng;
        L.tab_cap = nc;
    }
    size_t m = L.tab_cap - 1;
    uint32_t h = sx__hash(key);
    size_t i = h & m;
    for (; L.tag[i]; i = (i + 1) & m)
        if (L.tag[i] == h && sx__eq(L.tab[i].key, key)) return &L.tab[i];
    const char *k = sx__own(key);
    if (!k) return NULL;
    L.tag[i] = h;
    L.tab[i].key = k;
    L.tab[i].klen = (uint16_t)strlen(k);
    L.tab[i].phrases = -1;
    L.tab_n++;
    return &L.tab[i];
}

static void sx__add_word(const char *low, uint32_t cls, int32_t val)
{
    sx__entry *e = sx__intern(low);
    if (!e) return;
    if (!(e->cls & cls & ~SX_LX_PHRASE)) e->val = val ? val : e->val;
    e->cls |= cls;
}

/* Adds a phrase of the given kind; text is tokenized like article text. */
static void sx__add_phrase(const char *text, int kind, int32_t id)
{
    char toks[SX__MAXPTOK][48];
    int n = sx__phrase_tokens(text, toks, SX__MAXPTOK);
    if (n <= 0) return;
    /* "the" opening a phrase is left to the matcher's callers */
    int o = (n > 1 && sx__eq(toks[0], "the")) ? 1 : 0;
    int ok;
    SX__GROW(L.ph, L.n_ph, L.cap_ph, ok);
    if (!ok) return;
    sx__phrase *p = &L.ph[L.n_ph];
    memset(p, 0, sizeof *p);
    p->kind = (int16_t)kind;
    p->id = id;
    p->ntok = (int16_t)(n - o);
    for (int k = o; k < n; k++) {
        sx__entry *e = sx__intern(toks[k]);
        if (!e) return;
        p->toks[k - o] = e->key;
    }
    sx__entry *head = sx__find(p->toks[0]);
    /* no duplicate (kind, id, tokens) */
    for (int32_t j = head->phrases; j >= 0; j = L.ph[j].next) {
        const sx__phrase *q = &L.ph[j];
        if (q->kind == p->kind && q->id == p->id && q->ntok == p->ntok) {
            int same = 1;
            for (int k = 0; k < p->ntok; k++) same &= q->toks[k] == p->toks[k];
            if (same) return;
        }
    }
    p->next = head->phrases;
    head->phrases = (int32_t)L.n_ph;
    head->kinds |= SX_PH_MASK(kind);
    head->cls |= SX_LX_PHRASE;
    L.n_ph++;
}

/* ---- TSV reading ---- */

/* Splits one line into up to max tab-separated fields (in place). */
static int sx__split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

typedef void (*sx__row_fn)(char **f, int n);

static void sx__each_row(const unsigned char *data, sx__row_fn fn)
{
    char *copy = sx__strdup((const char *)data);
    if (!copy) return;
    char *save = copy;
    while (*save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            save = nl + 1;
        } else save = line + strlen(line);
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[--ll] = '\0';
        if (!ll || line[0] == '#') continue;
        char *f[8];
        int n = sx__split(line, f, 8);
        fn(f, n);
    }
    free(copy);
}

static int32_t sx__ymd(const char *s)
{
    if (!s || strlen(s) < 10) return 0;
    int32_t v = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Each alias of a |-separated list. */
static void sx__each_alias(const char *list, int kind, int32_t id)
{
    if (!list || !*list) return;
    char *c = sx__strdup(list);
    if (!c) return;
    char *p = c;
    while (p) {
        char *bar = strchr(p, '|');
        if (bar) *bar = '\0';
        if (*p) sx__add_phrase(p, kind, id);
        p = bar ? bar + 1 : NULL;
    }
    free(c);
}

#define SX__PUSH(arr, n, cap, elem)                                                              \
    do {                                                                                         \
        int ok_;                                                                                 \
        SX__GROW(arr, n, cap, ok_);                                                              \
        if (ok_) (arr)[(n)++] = (elem);                                                          \
    } while (0)

static size_t cap_people, cap_places, cap_countries, cap_orgs, cap_titles, cap_triggers, cap_gatherings;

/* series, name, city, country, start, end, aliases */
static void sx__row_gathering(char **f, int n)
{
    if (n < 6) return;
    sx__gathering g = {sx__own(f[0]), sx__own(f[1]), sx__own(f[2]), sx__own(f[3]), 0, 0};
    int32_t a = 0, b = 0;
    for (int k = 0; k < 10; k++) {
        if (k == 4 || k == 7) continue;
        if (f[4][k] < '0' || f[4][k] > '9' || f[5][k] < '0' || f[5][k] > '9') return;
        a = a * 10 + (f[4][k] - '0');
        b = b * 10 + (f[5][k] - '0');
    }
    g.start = a, g.end = b;
    if (!g.series || !g.name || !g.city || !g.country || strlen(f[4]) < 10 || strlen(f[5]) < 10) return;
    SX__PUSH(L.pub.gatherings, L.pub.n_gatherings, cap_gatherings, g);
}

/* A one-word key for a person row, folded like article text. */
static void sx__add_name_word(const char *word, int32_t id)
{
    char toks[SX__MAXPTOK][48];
    if (sx__phrase_tokens(word, toks, SX__MAXPTOK) != 1) return;
    int ok;
    SX__GROW(L.ph, L.n_ph, L.cap_ph, ok);
    if (!ok) return;
    sx__entry *e = sx__intern(toks[0]);
    if (!e) return;
    sx__phrase *p = &L.ph[L.n_ph];
    memset(p, 0, sizeof *p);
    p->kind = SX_PH_NAMEWORD;
    p->id = id;
    p->ntok = 1;
    p->toks[0] = e->key;
    p->next = e->phrases;
    e->phrases = (int32_t)L.n_ph++;
    e->kinds |= SX_PH_MASK(SX_PH_NAMEWORD);
    /* no SX_LX_PHRASE flag: name words are looked up, not matched in text */
}

static void sx__row_person(char **f, int n)
{
    if (n < 5) return;
    sx__person p;
    p.name = sx__own(f[0]);
    p.country = sx__own(f[1]);
    p.role = sx__own(f[2]);
    p.start = sx__ymd(f[3]);
    p.end = n > 4 && f[4][0] ? sx__ymd(f[4]) : 99991231;
    const char *sp = strrchr(f[0], ' ');
    p.surname = sx__own(sp ? sp + 1 : f[0]);
    if (!p.name || !p.country || !p.role || !p.surname) return;
    int32_t id = (int32_t)L.pub.n_people;
    SX__PUSH(L.pub.people, L.pub.n_people, cap_people, p);
    sx__add_phrase(f[0], SX_PH_PERSON, id);
    if (n > 5) sx__each_alias(f[5], SX_PH_PERSON, id);
    /* first and last name words, for "President Trump", "Chairman Kim" */
    char word[64];
    const char *first_end = strchr(f[0], ' ');
    size_t fl = first_end ? (size_t)(first_end - f[0]) : strlen(f[0]);
    if (fl < sizeof word) {
        memcpy(word, f[0], fl);
        word[fl] = '\0';
        sx__add_name_word(word, id);
    }
    if (sp) sx__add_name_word(sp + 1, id);
}

static void sx__row_place(char **f, int n)
{
    if (n < 3) return;
    sx__place p = {sx__own(f[0]), sx__own(f[1]), sx__own(f[2])};
    if (!p.name || !p.country || !p.kind) return;
    int32_t id = (int32_t)L.pub.n_places;
    SX__PUSH(L.pub.places, L.pub.n_places, cap_places, p);
    sx__add_phrase(f[0], SX_PH_PLACE, id);
    if (n > 3) sx__each_alias(f[3], SX_PH_PLACE, id);
}

static void sx__row_country_term(char **f, int n)
{
    if (n < 3) return;
    int32_t c = sx__country_by_code(f[1]);
    if (c < 0) return;
    int kind = strcmp(f[2], "demonym") == 0   ? SX_PH_DEMONYM
               : sx__eq(f[2], "metonym") ? SX_PH_METONYM
                                              : SX_PH_COUNTRY;
    sx__add_phrase(f[0], kind, c);
}

static void sx__row_org(char **f, int n)
{
    if (n < 3) return;
    sx__org o = {sx__own(f[0]), sx__own(f[1][0] ? f[1] : f[0]), sx__own(f[2])};
    if (!o.name || !o.shortname || !o.kind) return;
    int32_t id = (int32_t)L.pub.n_orgs;
    SX__PUSH(L.pub.orgs, L.pub.n_orgs, cap_orgs, o);
    sx__add_phrase(f[0], SX_PH_ORG, id);
    if (f[1][0]) sx__add_phrase(f[1], SX_PH_ORG, id);
    if (n > 3) sx__each_alias(f[3], SX_PH_ORG, id);
}

static void sx__row_title(char **f, int n)
{
    if (n < 2) return;
    sx__title t = {sx__own(f[1]), sx__own(n > 2 ? f[2] : "")};
    if (!t.cls || !t.display) return;
    int32_t id = (int32_t)L.pub.n_titles;
    SX__PUSH(L.pub.titles, L.pub.n_titles, cap_titles, t);
    sx__add_phrase(f[0], SX_PH_TITLE, id);
}

static void sx__row_trigger(char **f, int n)
{
    if (n < 4) return;
    sx__trigger t = {sx__own(f[1]), sx__own(f[2]), sx__own(f[3])};
    if (!t.type || !t.cameo || !t.form) return;
    int32_t id = (int32_t)L.pub.n_triggers;
    SX__PUSH(L.pub.triggers, L.pub.n_triggers, cap_triggers, t);
    sx__add_phrase(f[0], SX_PH_TRIGGER, id);
}

int32_t sx__country_by_code(const char *alpha3)
{
    for (size_t i = 0; i < L.pub.n_countries; i++)
        if (sx__eq(L.pub.countries[i].alpha3, alpha3)) return (int32_t)i;
    return -1;
}

/* ---- ICU-derived words ---- */

static void sx__lower_utf8(const UChar *u, int32_t n, char *out, int32_t cap)
{
    UChar tmp[128];
    UErrorCode e = U_ZERO_ERROR;
    int32_t l = u_strFoldCase(tmp, 128, u, n, U_FOLD_CASE_DEFAULT, &e);
    int32_t ol = 0;
    if (U_SUCCESS(e)) u_strToUTF8(out, cap, &ol, tmp, l, &e);
    if (U_FAILURE(e) || ol >= cap) ol = 0;
    out[ol] = '\0';
    /* drop a trailing "." of abbreviations */
    if (ol > 1 && out[ol - 1] == '.') out[ol - 1] = '\0';
}

static void sx__add_date_symbols(void)
{
    UErrorCode e = U_ZERO_ERROR;
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UDateFormat *f = udat_open(UDAT_NONE, UDAT_SHORT, "en", utc, 3, NULL, 0, &e);
    if (U_FAILURE(e)) return;
    struct { UDateFormatSymbolType type; uint32_t cls; int n, base; } sets[] = {
        {UDAT_MONTHS, SX_LX_MONTH, 12, 0},
        {UDAT_SHORT_MONTHS, SX_LX_MONTHABBR, 12, 0},
        {UDAT_WEEKDAYS, SX_LX_WEEKDAY, 7, 1},
        {UDAT_SHORT_WEEKDAYS, SX_LX_WDABBR, 7, 1},
    };
    for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
        for (int i = 0; i < sets[s].n; i++) {
            UChar buf[64];
            char low[96];
            e = U_ZERO_ERROR;
            int32_t l = udat_getSymbols(f, sets[s].type, i + sets[s].base, buf, 64, &e);
            if (U_FAILURE(e) || l <= 0) continue;
            sx__lower_utf8(buf, l, low, sizeof low);
            int32_t v = i + 1;
            if (sets[s].cls & (SX_LX_WEEKDAY | SX_LX_WDABBR)) /* ICU: 1 = Sunday */
                v = i == 0 ? 7 : i;
            if (low[0]) sx__add_word(low, sets[s].cls, v);
        }
    }
    udat_close(f);
    /* Abbreviations news style uses that CLDR's "en" does not list. */
    sx__add_word("sept", SX_LX_MONTHABBR, 9);
    sx__add_word("tues", SX_LX_WDABBR, 2);
    sx__add_word("thurs", SX_LX_WDABBR, 4);
}

/* Words of spelled-out cardinals and ordinals, from ICU's spellout rules. */
static void sx__add_number_words(void)
{
    UErrorCode e = U_ZERO_ERROR;
    UNumberFormat *f = unum_open(UNUM_SPELLOUT, NULL, 0, "en", NULL, &e);
    if (U_FAILURE(e)) return;
    static const int samples[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                                  18, 19, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1000, 1000000};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        UChar buf[64];
        char low[96];
        e = U_ZERO_ERROR;
        int32_t l = unum_formatInt64(f, samples[i], buf, 64, NULL, &e);
        if (U_FAILURE(e)) continue;
        sx__lower_utf8(buf, l, low, sizeof low);
        /* "one hundred" -> "hundred" is the word we need */
        char *sp = strrchr(low, ' ');
        sx__add_word(sp ? sp + 1 : low, SX_LX_NUMWORD, 0);
    }
    /* ordinals 1..31 */
    UChar rs[] = {'%', 's', 'p', 'e', 'l', 'l', 'o', 'u', 't', '-', 'o', 'r', 'd', 'i', 'n', 'a', 'l', 0};
    e = U_ZERO_ERROR;
    unum_setTextAttribute(f, UNUM_DEFAULT_RULESET, rs, -1, &e);
    if (U_SUCCESS(e))
        for (int v = 1; v <= 31; v++) {
            UChar buf[64];
            char low[96];
            e = U_ZERO_ERROR;
            int32_t l = unum_formatInt64(f, v, buf, 64, NULL, &e);
            if (U_FAILURE(e)) continue;
            sx__lower_utf8(buf, l, low, sizeof low);
            sx__add_word(low, SX_LX_ORDWORD, v);
        }
    unum_close(f);
    /* Quantity words that are not numerals but count like them. */
    sx__add_word("a", SX_LX_NUMWORD, 0);
    sx__add_word("an", SX_LX_NUMWORD, 0);
    sx__add_word("half", SX_LX_NUMWORD, 0);
    sx__add_word("dozen", SX_LX_NUMWORD, 0);
    sx__add_word("couple", SX_LX_NUMWORD, 0);
    sx__add_word("several", SX_LX_NUMWORD, 0);
    sx__add_word("few", SX_LX_NUMWORD, 0);
}

static void sx__add_countries(void)
{
    const char *const *cc = uloc_getISOCountries();
    size_t n = 0;
    while (cc[n]) n++;
    L.pub.countries = calloc(n ? n : 1, sizeof *L.pub.countries);
    if (!L.pub.countries) return;
    for (size_t i = 0; i < n; i++) {
        char loc[16];
        snprintf(loc, sizeof loc, "_%s", cc[i]);
        const char *a3 = uloc_getISO3Country(loc);
        UChar name[128];
        char utf8[256];
        UErrorCode e = U_ZERO_ERROR;
        int32_t l = uloc_getDisplayCountry(loc, "en", name, 128, &e);
        int32_t ol = 0;
        if (U_SUCCESS(e)) u_strToUTF8(utf8, sizeof utf8, &ol, name, l, &e);
        if (U_FAILURE(e) || !a3 || !a3[0] || ol <= 0) continue;
        utf8[ol] = '\0';
        sx__country c = {sx__own(a3), sx__own(utf8)};
        if (!c.alpha3 || !c.name) continue;
        int32_t id = (int32_t)L.pub.n_countries;
        L.pub.countries[L.pub.n_countries++] = c;
        sx__add_phrase(utf8, SX_PH_COUNTRY, id);
    }
    cap_countries = n;
}

/* Copies every phrase chain into L.flat and L.ftok; 0 if out of memory. */
static int sx__flatten(void)
{
    size_t nt = 0;
    for (size_t j = 0; j < L.n_ph; j++) nt += (size_t)L.ph[j].ntok - 1;
    L.flat = malloc((L.n_ph ? L.n_ph : 1) * sizeof *L.flat);
    L.ftok = malloc((nt ? nt : 1) * sizeof *L.ftok);
    if (!L.flat || !L.ftok) return 0;
    int32_t nf = 0, ft = 0;
    for (size_t i = 0; i < L.tab_cap; i++) {
        if (!L.tag[i]) continue;
        L.tab[i].flat = nf;
        for (int32_t j = L.tab[i].phrases; j >= 0; j = L.ph[j].next) {
            const sx__phrase *p = &L.ph[j];
            L.flat[nf++] = (sx__flat){p->kind, p->ntok, p->id, ft};
            for (int k = 1; k < p->ntok; k++) { /* (a phrase's words are entries; -1 matches no token) */
                const sx__entry *te = sx__find(p->toks[k]);
                L.ftok[ft++] = te ? (int32_t)(te - L.tab) + 1 : -1;
            }
        }
        L.tab[i].nflat = nf - L.tab[i].flat;
    }
    return 1;
}

static void sx__lex_build(void)
{
    sx__add_date_symbols();
    sx__add_number_words();
    static const struct { const char *w; int unit; } units[] = {
        {"second", SX_U_SEC}, {"seconds", SX_U_SEC}, {"minute", SX_U_MIN}, {"minutes", SX_U_MIN},
        {"hour", SX_U_HOUR}, {"hours", SX_U_HOUR}, {"day", SX_U_DAY}, {"days", SX_U_DAY},
        {"week", SX_U_WEEK}, {"weeks", SX_U_WEEK}, {"fortnight", SX_U_FORTNIGHT},
        {"month", SX_U_MONTH}, {"months", SX_U_MONTH}, {"year", SX_U_YEAR}, {"years", SX_U_YEAR},
        {"decade", SX_U_DECADE}, {"decades", SX_U_DECADE}, {"century", SX_U_CENTURY},
        {"centuries", SX_U_CENTURY}, {"hrs", SX_U_HOUR}, {"mins", SX_U_MIN}, {"min", SX_U_MIN}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        sx__add_word(units[i].w, SX_LX_UNIT, units[i].unit);
    static const struct { const char *w; int v; } seasons[] = {
        {"spring", 1}, {"summer", 2}, {"fall", 3}, {"autumn", 3}, {"winter", 4}};
    for (size_t i = 0; i < sizeof seasons / sizeof seasons[0]; i++)
        sx__add_word(seasons[i].w, SX_LX_SEASON, seasons[i].v);
    static const struct { const char *w; int v; } parts[] = {
        {"morning", SX_PD_MORNING}, {"afternoon", SX_PD_AFTERNOON}, {"evening", SX_PD_EVENING},
        {"night", SX_PD_NIGHT}, {"overnight", SX_PD_NIGHT}, {"tonight", SX_PD_TONIGHT},
        {"midday", SX_PD_MIDDAY}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        sx__add_word(parts[i].w, SX_LX_PARTDAY, parts[i].v);

    for (const char *const *w = sx__tx_starts; *w; w++) sx__add_word(*w, SX_LX_TXSTART, 0);
    for (const char *const *w = sx__past_cues; *w; w++) sx__add_word(*w, SX_LX_PASTCUE, 0);
    for (const char *const *w = sx__future_cues; *w; w++) sx__add_word(*w, SX_LX_FUTCUE, 0);
    for (const char *const *w = sx__function_words; *w; w++) sx__add_word(*w, SX_LX_FUNCWORD, 0);
    for (const char *const *w = sx__tx_weak; *w; w++) sx__add_word(*w, SX_LX_TXWEAK, 0);
    for (const char *const *w = sx__tx_ends; *w; w++) sx__add_word(*w, SX_LX_TXEND, 0);
    for (const char *const *w = sx__actor_starts; *w; w++) sx__add_word(*w, SX_LX_ACTSTART, 0);
    static const struct { const char *const *words; uint32_t cls; } lists[] = {
        {sx__ev_adverbs, SX_LX_EVADVERB}, {sx__ev_negations, SX_LX_EVNEG}, {sx__ev_plans, SX_LX_EVPLAN},
        {sx__ev_denials, SX_LX_EVDENY}, {sx__ev_cancels, SX_LX_EVCANCEL}, {sx__ev_modals, SX_LX_EVMODAL},
        {sx__ev_controls, SX_LX_EVCONTROL}, {sx__ev_presence, SX_LX_EVPRESENT},
        {sx__abbrevs, SX_LX_ABBREV}, {sx__sentence_words, SX_LX_SENTWORD}, {sx__org_words, SX_LX_ORGWORD}};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        for (const char *const *w = lists[k].words; *w; w++) sx__add_word(*w, lists[k].cls, 0);
    sx__add_countries();
    sx__each_row(sx_data_country_terms, sx__row_country_term);
    sx__each_row(sx_data_people, sx__row_person);
    sx__each_row(sx_data_places, sx__row_place);
    sx__each_row(sx_data_orgs, sx__row_org);
    sx__each_row(sx_data_titles, sx__row_title);
    sx__each_row(sx_data_triggers, sx__row_trigger);
    sx__each_row(sx_data_gatherings, sx__row_gathering);
    L.ok = L.tab != NULL && L.pub.n_countries > 0 && sx__flatten();
}

const sx__lexicon *sx__lex(void)
{
    pthread_once(&sx__lex_once, sx__lex_build);
    return L.ok ? &L.pub : NULL;
}

size_t sx__name_rows(const char *low, int32_t *rows, size_t max)
{
    const sx__entry *e = sx__find(low);
    size_t n = 0;
    if (!e) return 0;
    for (int32_t j = e->phrases; j >= 0 && n < max; j = L.ph[j].next)
        if (L.ph[j].kind == SX_PH_NAMEWORD) rows[n++] = L.ph[j].id;
    return n;
}

uint32_t sx__lex_word(const char *low, int32_t *val)
{
    const sx__entry *e = sx__find(low);
    if (!e) {
        if (val) *val = 0;
        return 0;
    }
    if (val) *val = e->val;
    return e->cls;
}

int32_t sx__phrase_scan(const sx__work *w, size_t i, uint32_t kinds_mask, sx__match *out, int max,
                        int *n_out)
{
    if (w->toks[i].lexent <= 0) return 0;
    const sx__entry *e = &L.tab[w->toks[i].lexent - 1];
    if (!(e->kinds & kinds_mask)) return 0;
    int32_t best = 0, sent = w->toks[i].sent;
    for (const sx__flat *p = L.flat + e->flat, *end = p + e->nflat; p < end; p++) {
        if (!(kinds_mask & SX_PH_MASK(p->kind))) continue;
        if (i + (size_t)p->ntok > w->n_toks || p->ntok < best) continue;
        const int32_t *pt = L.ftok + p->tok;
        int ok = 1;
        for (int k = 1; k < p->ntok && ok; k++) {
            const sx__tok *t = &w->toks[i + (size_t)k];
            /* phrases never run across sentences; compare interned words */
            ok = t->sent == sent && t->lexent == pt[k - 1];
        }
        if (!ok) continue;
        if (p->ntok > best) {
            best = p->ntok;
            *n_out = 0;
        }
        if (*n_out < max) {
            /* insert sorted by kind */
            int at = *n_out;
            while (at > 0 && out[at - 1].kind > p->kind) {
                out[at] = out[at - 1];
                at--;
            }
            out[at].kind = p->kind;
            out[at].id = p->id;
            out[at].ntok = p->ntok;
            (*n_out)++;
        }
    }
    return best;
}

sx_status sx__lexicon_apply(sx__work *w)
{
    if (!sx__lex()) {
        if (w->err) snprintf(w->err, w->errlen, "%s: cannot build the lexicon (ICU data missing?)", w->path);
        return SX_EICU;
    }
    return SX_OK;
}

void sx__lex_tok(sx__tok *t, uint32_t h)
{
    const sx__entry *e = sx__find_tag(t->low, (size_t)t->low_len, h | 0x80000000u);
    if (e) {
        t->lex = e->cls;
        t->lexval = e->val;
        t->lexent = (int32_t)(e - L.tab) + 1;
    } else t->lexent = 0;
}
