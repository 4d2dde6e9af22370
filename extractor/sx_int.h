/*
 * sx_int.h -- internals shared by the extractor's files (prefix sx__).
 *
 * An article flows through these stages, one file each:
 *   text.c      bytes -> validated UTF-8 -> UTF-16 work buffer (NFC, artifacts
 *               blanked) with a map back to original code point offsets
 *   segment.c   ICU sentence and word segmentation -> sx__tok array
 *   lexicon.c   word classes (months, weekdays, units, triggers, titles...)
 *   numbers.c   spelled-out numbers via ICU RuleBasedNumberFormat
 *   timex.c     time expressions -> TIMEX3 values (uses dates.c for ucal math)
 *   actors.c    persons, countries, organisations (gazetteers in data/)
 *   events.c    event triggers, participants, time, place, duration, merging
 *   extract.c   runs the stages and fills the public sx_doc
 *
 * Ownership: an sx__work owns everything it points to and is released by
 * sx__work_free(); results are copied into the sx_doc before that.
 */
#ifndef SUMMIT_SX_INT_H
#define SUMMIT_SX_INT_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>

#include "extractor.h"

/* ---- small growable array ---- */
#define SX__GROW(arr, n, cap, ok)                                                        \
    do {                                                                                 \
        (ok) = 1;                                                                        \
        if ((n) >= (cap)) {                                                              \
            size_t nc_ = (cap) ? (cap) * 2 : 16;                                         \
            void *np_ = realloc((arr), nc_ * sizeof(*(arr)));                            \
            if (!np_) (ok) = 0;                                                          \
            else { (arr) = np_; (cap) = nc_; }                                           \
        }                                                                                \
    } while (0)

/* String equality, inline.  The extractor compares token words with
 * literals ("the", "said") millions of times per megabyte; a libc strcmp
 * call for each was a fifth of extraction time (bench/README.md).  Most
 * comparisons end at the first byte. */
static inline int sx__eq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* For the few tiny helpers called from hundreds of places in the rule
 * code (token access, word tests), where the call costs more than the
 * work and the compiler would not inline them on its own. */
#if defined(__GNUC__) || defined(__clang__)
#define SX__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define SX__ALWAYS_INLINE inline
#endif

char *sx__strdup(const char *s);
char *sx__strndup(const char *s, size_t n);
/* snprintf into a fixed buffer; truncation is silent but always terminated. */
void sx__copy(char *dst, size_t cap, const char *src);

/* ---- token flags ---- */
enum {
    SX_TF_WORD = 1u << 0,    /* letters (ICU word status LETTER/KANA/IDEO) */
    SX_TF_NUM = 1u << 1,     /* digits (ICU word status NUMBER) */
    SX_TF_PUNCT = 1u << 2,   /* anything else that is not space */
    SX_TF_CAP = 1u << 3,     /* first letter upper case */
    SX_TF_ALLCAP = 1u << 4,  /* every letter upper case, 2+ letters */
    SX_TF_SENT0 = 1u << 5,   /* first token of its sentence */
    SX_TF_SPACE = 1u << 6,   /* white space before the token */
    SX_TF_NL = 1u << 7,      /* a line break before the token */
    SX_TF_POSS = 1u << 8,    /* possessive 's stripped from low */
    SX_TF_INQUOTE = 1u << 9, /* inside a quotation */
    SX_TF_QOPEN = 1u << 10,  /* an opening quote mark */
    SX_TF_QCLOSE = 1u << 11, /* a closing quote mark */
    SX_TF_DOT = 1u << 12     /* a '.' follows with no space (abbreviation) */
};

typedef struct sx__tok {
    int32_t u_start, u_end;   /* UTF-16 offsets in the work buffer */
    int32_t cp_start, cp_end; /* original code point offsets */
    int32_t sent;
    uint32_t flags;
    uint64_t lex;             /* lexicon class bits (lexicon.c) */
    int32_t lexval;           /* class value: month 1..12, weekday 1..7 ... */
    int32_t lexent;           /* lexicon entry + 1 (0: not in the lexicon), set by lexicon.c */
    int64_t num;              /* value of a digit token, -1 if none/too big */
    const char *low;          /* case-folded UTF-8, possessive stripped */
    int32_t low_len;
    int32_t ndigits;          /* digit count for NUM tokens */
} sx__tok;

/* A recognized actor mention (actors.c). */
typedef struct sx__amention {
    int32_t tok_start, tok_end; /* token range [start, end) */
    int32_t actor;              /* index into work actors */
    int32_t group;              /* >0: "the two leaders"-style group; actors in group list */
    int32_t group_actors[4];
    int32_t n_group;
    int32_t pronoun;            /* 1 if a pronoun ("he", "she") */
    int32_t locative;           /* 1 if a place use ("in Moscow"), not an actor */
} sx__amention;

/* A place mention (actors.c): "in Hamburg, Germany", "at the Istana". */
typedef struct sx__pmention {
    int32_t tok_start, tok_end;
    int32_t prep;     /* token index of the locative preposition before it, or -1 */
    int32_t country;  /* country index, or -1 */
    int32_t is_country; /* the place is a whole country */
    char name[96];    /* "Hamburg, Germany" */
} sx__pmention;

typedef struct sx__work {
    const char *path;
    /* text */
    const char *bytes;
    size_t len;
    UChar *u;           /* normalized UTF-16 text */
    int32_t ulen;
    int32_t *cp_of_u;   /* ulen+1 entries: original code point offset */
    int32_t *byte_of_cp;/* n_cp+1 entries: byte offset of each code point in bytes */
    int32_t n_cp;
    /* tokens */
    sx__tok *toks;
    size_t n_toks, cap_toks;
    char *arena;        /* folded strings */
    size_t arena_len, arena_cap;
    sx_sentence *sents;
    size_t n_sents, cap_sents;
    int32_t *sent_tok0; /* first token index of each sentence (n_sents+1) */
    /* results under construction */
    sx_timex *timexes;
    size_t n_timexes, cap_timexes;
    int32_t *timex_tok; /* per timex: [tok_start, tok_end) pairs */
    uint8_t *timex_header; /* per timex: 1 if part of a headline/dateline block */
    sx_actor *actors;
    size_t n_actors, cap_actors;
    const char **actor_cls;  /* per actor: office class ("head_of_state", "@diplomat"...) or NULL */
    size_t cap_actor_cls;
    sx__amention *ams;
    size_t n_ams, cap_ams;
    sx__pmention *pms;
    size_t n_pms, cap_pms;
    uint8_t *in_timex;       /* per token: 1 inside a time expression */
    sx_event *events;
    size_t n_events, cap_events;
    char **warnings;
    size_t n_warnings, cap_warnings;
    /* reference date */
    const sx_date *dct;
    char *err;
    size_t errlen;
} sx__work;

void sx__work_free(sx__work *w);
sx_status sx__warn(sx__work *w, const char *msg);
/* UTF-8 of the original text for code points [cp_start, cp_end). */
char *sx__cp_substr(const sx__work *w, int32_t cp_start, int32_t cp_end);


/* ---- lexicon.c: word classes, gazetteers and the phrase index ---------- */
enum {
    SX_LX_MONTH = 1u << 0,     /* lexval 1..12 (full name) */
    SX_LX_MONTHABBR = 1u << 1, /* lexval 1..12 ("jul", "sept") */
    SX_LX_WEEKDAY = 1u << 2,   /* lexval 1..7, Monday = 1 */
    SX_LX_WDABBR = 1u << 3,
    SX_LX_UNIT = 1u << 4,      /* lexval sx__unit */
    SX_LX_NUMWORD = 1u << 5,   /* a word of a spelled-out number (ICU spellout) */
    SX_LX_ORDWORD = 1u << 6,   /* lexval 1..31 ("first", "twenty-first") */
    SX_LX_SEASON = 1u << 7,    /* lexval 1..4 spring, summer, fall/autumn, winter */
    SX_LX_PARTDAY = 1u << 8,   /* lexval sx__partday */
    SX_LX_PHRASE = 1u << 9,    /* first token of a gazetteer/trigger phrase */
    SX_LX_TXSTART = 1u << 10,  /* a word a time expression rule may start at */
    SX_LX_PASTCUE = 1u << 11,  /* a word marking a clause as past ("said", "was") */
    SX_LX_FUTCUE = 1u << 12,   /* a word marking a clause as future ("will") */
    SX_LX_FUNCWORD = 1u << 13, /* a word that never starts a person's name (actors.c) */
    SX_LX_TXWEAK = 1u << 14,   /* a function word that starts a time expression only before a time word */
    SX_LX_TXEND = 1u << 15,    /* the last word of a fixed time phrase ("so far", "to date") */
    SX_LX_ACTSTART = 1u << 16, /* a lower-case word an actor mention may start at (actors.c) */
    /* events.c's word lists, one bit each (see there) */
    SX_LX_EVADVERB = 1u << 17, SX_LX_EVNEG = 1u << 18, SX_LX_EVPLAN = 1u << 19, SX_LX_EVDENY = 1u << 20,
    SX_LX_EVCANCEL = 1u << 21, SX_LX_EVMODAL = 1u << 22, SX_LX_EVCONTROL = 1u << 23,
    SX_LX_EVPRESENT = 1u << 24,
    /* segment.c's lists: abbreviations, words that open a sentence */
    SX_LX_ABBREV = 1u << 25, SX_LX_SENTWORD = 1u << 26,
    SX_LX_ORGWORD = 1u << 27   /* a word of an institution's name, never a person's (actors.c) */
};
/* timex.c's word lists, entered into the lexicon with the bits above */
extern const char *const sx__tx_starts[], *const sx__past_cues[], *const sx__future_cues[], *const sx__tx_weak[],
    *const sx__tx_ends[];
/* actors.c's lists, entered with SX_LX_FUNCWORD, SX_LX_ACTSTART and SX_LX_ORGWORD */
extern const char *const sx__function_words[], *const sx__actor_starts[], *const sx__org_words[];
/* segment.c's lists, entered with SX_LX_ABBREV and SX_LX_SENTWORD */
extern const char *const sx__abbrevs[], *const sx__sentence_words[];
/* events.c's lists, entered with the SX_LX_EV* bits */
extern const char *const sx__ev_adverbs[], *const sx__ev_negations[], *const sx__ev_plans[],
    *const sx__ev_denials[], *const sx__ev_cancels[], *const sx__ev_modals[], *const sx__ev_controls[],
    *const sx__ev_presence[];
typedef enum { SX_U_NONE, SX_U_SEC, SX_U_MIN, SX_U_HOUR, SX_U_DAY, SX_U_WEEK, SX_U_FORTNIGHT,
               SX_U_MONTH, SX_U_YEAR, SX_U_DECADE, SX_U_CENTURY } sx__unit;
typedef enum { SX_PD_NONE, SX_PD_MORNING, SX_PD_AFTERNOON, SX_PD_EVENING, SX_PD_NIGHT,
               SX_PD_TONIGHT, SX_PD_MIDDAY } sx__partday;

/* Phrase kinds; lower numbers win ties of equal length. */
enum { SX_PH_PERSON = 1, SX_PH_ORG, SX_PH_COUNTRY, SX_PH_METONYM, SX_PH_DEMONYM, SX_PH_PLACE,
       SX_PH_TITLE, SX_PH_TRIGGER, SX_PH_NAMEWORD, SX_PH_KINDS };
#define SX_PH_MASK(k) (1u << (k))

typedef struct sx__person { const char *name, *surname, *country, *role; int32_t start, end; } sx__person;
typedef struct sx__place { const char *name, *country, *kind; } sx__place;
typedef struct sx__country { const char *alpha3, *name; } sx__country;
typedef struct sx__org { const char *name, *shortname, *kind; } sx__org;
typedef struct sx__title { const char *cls, *display; } sx__title;
typedef struct sx__trigger { const char *type, *cameo, *form; } sx__trigger;
typedef struct sx__gathering {
    const char *series, *name, *city, *country;
    int32_t start, end; /* YYYYMMDD, inclusive */
} sx__gathering;

typedef struct sx__lexicon {
    sx__person *people; size_t n_people;
    sx__place *places; size_t n_places;
    sx__country *countries; size_t n_countries;
    sx__org *orgs; size_t n_orgs;
    sx__title *titles; size_t n_titles;
    sx__trigger *triggers; size_t n_triggers;
    sx__gathering *gatherings; size_t n_gatherings;
} sx__lexicon;

/* The lexicon's word hash (FNV-1a over the folded UTF-8), a byte at a
 * time, so that segment.c can hash a word while it folds it. */
#define SX__FNV0 2166136261u
static inline uint32_t sx__fnv(uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }
static inline uint32_t sx__fnv_str(const char *s, size_t n)
{
    uint32_t h = SX__FNV0;
    for (size_t i = 0; i < n; i++) h = sx__fnv(h, (unsigned char)s[i]);
    return h;
}
/* Sets lex, lexval and lexent of a token from its folded word, whose
 * sx__fnv hash is h; the lexicon must be built (sx__lex). */
void sx__lex_tok(sx__tok *t, uint32_t h);
/* The process-wide lexicon, built once on first use; NULL if that failed. */
const sx__lexicon *sx__lex(void);
/* Class bits of a folded word (0 if unknown), value in *val. */
uint32_t sx__lex_word(const char *low, int32_t *val);

typedef struct sx__match { int kind; int32_t id; int32_t ntok; } sx__match;
/* sx__phrase_match at a token i < n_toks that starts a phrase (SX_LX_PHRASE). */
int32_t sx__phrase_scan(const sx__work *w, size_t i, uint32_t kinds_mask, sx__match *out, int max,
                        int *n_out);
/* Longest phrase of a kind in kinds_mask starting at token i; returns its
 * token count (0 = none).  Up to max matches of that length go to out,
 * best kind first; *n_out gets their count.  Inline, since most calls ask
 * at a token that starts no phrase at all. */
static inline int32_t sx__phrase_match(const sx__work *w, size_t i, uint32_t kinds_mask, sx__match *out,
                                       int max, int *n_out)
{
    *n_out = 0;
    if (i >= w->n_toks || !(w->toks[i].lex & SX_LX_PHRASE)) return 0;
    return sx__phrase_scan(w, i, kinds_mask, out, max, n_out);
}
/* People rows whose first or last name word (folded) is low; returns the
 * number written to rows (at most max). */
size_t sx__name_rows(const char *low, int32_t *rows, size_t max);
/* Index of the country with this alpha-3 code, or -1. */
int32_t sx__country_by_code(const char *alpha3);
/* Tokenizes a phrase as the text is tokenized (segment.c). */
int sx__phrase_tokens(const char *utf8, char out[][48], int max);

/* text.c */
sx_status sx__text_load(sx__work *w);
/* segment.c */
sx_status sx__segment(sx__work *w);
/* Word segments of u[0..n) as the extractor splits them (a fast path for
 * plain lines, ICU's word iterator otherwise; icu_only: ICU for every line):
 * the end offset and ICU rule status of each, at most max; returns the
 * count, or -1 if ICU fails.  For the tests that hold the two equal. */
int32_t sx__word_split(const UChar *u, int32_t n, int icu_only, int32_t *ends, int32_t *status, int32_t max);
/* lexicon.c: fails if the lexicon cannot be built (sx__segment has
 * already looked every token up, with sx__lex_tok) */
sx_status sx__lexicon_apply(sx__work *w);
/* numbers.c: value of the spelled-out number in the UTF-16 span, or -1.
 * Accepts "two", "forty-five", "twenty one", "a hundred". */
double sx__spellout_parse(const UChar *s, int32_t len);
/* timex.c */
sx_status sx__timex_run(sx__work *w);
/* Tense of the clause around tokens [i0, i1): -1 past or present, +1
 * future or scheduled, 0 no cue. */
int sx__tense(const sx__work *w, size_t i0, size_t i1);
/* dct.c: the document date from the text (header, dateline, gazetteer,
 * body); 1 if found, with its source, confidence and a note. */
int sx__dct_infer(sx__work *w, sx_date *out, const char **source, double *conf, char *note, size_t notecap);
/* actors.c */
sx_status sx__actors_run(sx__work *w);
/* The actor for a country (by index in the lexicon), added if new; -1 on OOM. */
int32_t sx__country_actor(sx__work *w, int32_t country, int32_t cp0, int32_t cp1);
/* events.c */
sx_status sx__events_run(sx__work *w);
/* sha256.c: the SHA-256 of data as 64 hex digits; _with chooses the
 * portable rounds (hw 0) or the SHA extensions (hw 1, only if
 * sx__sha256_hw() says the processor has them), for the tests. */
void sx__sha256_hex(const void *data, size_t len, char out[65]);
void sx__sha256_hex_with(const void *data, size_t len, char out[65], int hw);
int sx__sha256_hw(void);

/* ---- dates.c: calendar arithmetic on ICU's Gregorian calendar ----------
 * All in UTC with an explicit zone; never the machine's. */
typedef enum { SX_GRAN_NONE, SX_GRAN_YEAR, SX_GRAN_MONTH, SX_GRAN_WEEK, SX_GRAN_DAY } sx__gran;
/* day of week, 1 = Monday .. 7 = Sunday */
int sx__weekday(int y, int m, int d);
int sx__days_in_month(int y, int m);
/* Adds n units (UCAL_DATE, UCAL_MONTH, UCAL_YEAR, UCAL_WEEK_OF_YEAR) to y/m/d. */
int sx__date_add(int *y, int *m, int *d, int field, int n);
/* ISO 8601 week-numbering year and week of y/m/d. */
int sx__iso_week(int y, int m, int d, int *wyear, int *week);
/* Monday of ISO week (wyear, week). */
int sx__iso_week_monday(int wyear, int week, int *y, int *m, int *d);
/* The UTC offset ("+03:00", "Z") of an IANA zone at a local date and time,
 * from ICU's zone data; 0 if the zone is unknown. */
int sx__zone_offset(const char *zone_id, int y, int m, int d, int hh, int mi, char *buf, size_t cap);
/* "YYYY-MM-DD" into buf, as snprintf's "%04d-%02d-%02d" writes it. */
void sx__fmt_day(char *buf, size_t cap, int y, int m, int d);
/* Fills begin/end ("YYYY-MM-DD") of the interval a TIMEX3 DATE value covers,
 * or leaves them "" for values with no interval. */
void sx__value_interval(const char *value, char *begin, size_t bcap, char *end, size_t ecap);

#endif
