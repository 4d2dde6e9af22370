/*
 * extractor.h -- public interface of the summit extractor (prefix sx_).
 *
 * The extractor turns one news article (UTF-8 bytes) into an sx_doc:
 * sentences, time expressions (TimeML TIMEX3 values), actors and events.
 * It never touches a database, the wall clock, the machine's time zone or
 * its locale: "now" is the document creation time (DCT) handed in, or none.
 *
 *   sx_doc doc;
 *   sx_doc_init(&doc);                       -- cannot fail
 *   if (sx_extract(&doc, path, bytes, len, &opts) != SX_OK)
 *       fprintf(stderr, "%s\n", sx_doc_errmsg(&doc));
 *   ... read doc.timexes, doc.events ...
 *   sx_doc_free(&doc);                       -- safe on a zeroed doc
 *
 * Ownership, once for the whole API: every pointer inside an sx_doc is owned
 * by that sx_doc and lives until sx_doc_free().  Strings are NUL-terminated
 * UTF-8.  Inputs (path, bytes, opts) are borrowed for the length of the call
 * only.  The library keeps no global mutable state; a process-wide lexicon is
 * built once, thread-safely, on first use.
 *
 * Offsets: every start/end is a 0-based Unicode code point offset into the
 * original input bytes, end exclusive.  Cleaning and normalization never
 * shift them.
 */
#ifndef SUMMIT_EXTRACTOR_H
#define SUMMIT_EXTRACTOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SX_VERSION "0.1.0"

/* Status codes; sx_status_str() gives a fixed message for each. */
#define SX_STATUS_TABLE(X)                                                   \
    X(SX_OK, "ok")                                                           \
    X(SX_ENOMEM, "out of memory")                                            \
    X(SX_EIO, "cannot read input")                                           \
    X(SX_EUTF8, "input is not valid UTF-8")                                  \
    X(SX_EEMPTY, "input has no text")                                        \
    X(SX_ETOOBIG, "input is larger than the document size limit")            \
    X(SX_EDATE, "not an ISO 8601 date")                                      \
    X(SX_EICU, "ICU error")                                                  \
    X(SX_EINVAL, "invalid argument")

typedef enum {
#define SX_ENUM_(name, msg) name,
    SX_STATUS_TABLE(SX_ENUM_)
#undef SX_ENUM_
        SX_STATUS_COUNT
} sx_status;

const char *sx_status_str(sx_status st);

/* ---- Dates --------------------------------------------------------------
 * A calendar date with optional clock time, as given by --dct.  Partial
 * dates stay partial: has_time says whether hour/minute are meaningful. */
typedef struct sx_date {
    int year, month, day; /* month 1..12, day 1..31 */
    int hour, minute;     /* valid when has_time */
    int has_time;
} sx_date;

/* Parses "YYYY-MM-DD" or "YYYY-MM-DDThh:mm" (optionally ":ss", ignored; a
 * space may stand for the "T", as ISO 8601 allows by agreement),
 * checking the calendar (2017-02-29 is refused).  On failure returns
 * SX_EDATE and writes a reason into err (if errlen > 0). */
sx_status sx_date_parse(const char *s, sx_date *out, char *err, size_t errlen);

/* Writes "YYYY-MM-DD" or "YYYY-MM-DDThh:mm" into buf (>= 17 bytes). */
void sx_date_format(const sx_date *d, char *buf, size_t buflen);

/* ---- Extraction results ------------------------------------------------ */

typedef enum { SX_TIMEX_DATE, SX_TIMEX_TIME, SX_TIMEX_DURATION, SX_TIMEX_SET } sx_timex_type;
const char *sx_timex_type_str(sx_timex_type t); /* "DATE", "TIME", ... */

/* Value strings are TIMEX3 values: "2017-07-07", "2017-W26", "PT2H16M",
 * "P1Y", "PRESENT_REF", "XXXX-WXX-5" (underspecified, no DCT). */
#define SX_VALUE_MAX 40

typedef struct sx_timex {
    int32_t start, end;       /* code point offsets */
    int32_t sentence;         /* index into doc->sentences */
    sx_timex_type type;
    char value[SX_VALUE_MAX];
    char mod[16];             /* TIMEX3 mod ("MORE_THAN", "END", ...) or "" */
    char begin[24], end_iso[24]; /* [begin, end) ISO interval for sorting, or "" */
    char quant[16], freq[16]; /* for SETs, or "" */
    char tz[16];              /* a stated zone as a UTC offset ("-04:00", "Z"), or "";
                                 kept beside the value, which stays local time */
    int32_t anchor;           /* index of the timex this one was resolved against, or -1 */
    char *text;               /* surface text */
} sx_timex;

typedef struct sx_sentence {
    int32_t start, end; /* code point offsets */
} sx_sentence;

typedef enum { SX_ACTOR_PERSON, SX_ACTOR_COUNTRY, SX_ACTOR_ORG } sx_actor_kind;
const char *sx_actor_kind_str(sx_actor_kind k); /* "person", "country", "org" */

/* A distinct actor of the document (several mentions share one). */
typedef struct sx_actor {
    sx_actor_kind kind;
    char *name;    /* canonical name: "Donald Trump", "Russia", "NATO" */
    char *country; /* ISO 3166 alpha-3 code or NULL ("USA", "RUS") */
    char *title;   /* "President", "Secretary of State", or NULL */
    int32_t first_start, first_end; /* first mention */
    int32_t mentions;               /* number of mentions */
} sx_actor;

typedef struct sx_participant {
    int32_t actor;    /* index into doc->actors */
    const char *role; /* static string: participant, host, visitor, speaker,
                         audience, signatory, target, source, attendee */
} sx_participant;

typedef struct sx_mention {
    int32_t start, end; /* trigger offsets */
    int32_t sentence;
} sx_mention;

typedef struct sx_event {
    const char *type;   /* static: meeting, statement, agreement, denial,
                           discussion, accusation, call, visit, ceasefire */
    const char *cameo;  /* static CAMEO code, e.g. "040" */
    const char *status; /* static: occurred, planned, cancelled, negated */
    char date[SX_VALUE_MAX];            /* TIMEX3 value or "" when undated */
    char begin[24], end_iso[24];        /* ISO interval of date for sorting, or "" */
    int32_t date_timex;                 /* timex the date came from, or -1 */
    const char *date_source;            /* static: "text" (a time expression of its own
                                           sentence), "narrative" (the last date named
                                           before it), "dct" (present tense report), or
                                           NULL when undated */
    char time[SX_VALUE_MAX];            /* time of day value, or "" */
    char duration[SX_VALUE_MAX];        /* actual duration value or "" */
    char duration_mod[16];
    char planned_duration[SX_VALUE_MAX];
    char *location;                     /* "Hamburg, Germany" or NULL */
    char *summary;                      /* one line */
    sx_participant *participants;
    size_t n_participants;
    sx_mention *mentions;
    size_t n_mentions;
} sx_event;

typedef struct sx_doc {
    char *path;         /* as given, or "-" */
    char *text;         /* the original input, UTF-8, NUL-terminated */
    size_t text_len;    /* bytes */
    int32_t n_codepoints;
    char sha256[65];    /* hex digest of the input bytes (content key) */
    sx_date dct;
    int has_dct;
    const char *dct_source; /* static: flag, header, dateline, gazetteer, body, none */
    double dct_confidence;  /* 1 for a given --dct, less for an inferred one, 0 for none */
    char dct_note[160];     /* how the date was found ("inferred: G20 Hamburg summit
                               2017-07-07..08, 'friday'"), or "" */

    sx_sentence *sentences;
    size_t n_sentences;
    sx_timex *timexes;
    size_t n_timexes;
    sx_actor *actors;
    size_t n_actors;
    sx_event *events;
    size_t n_events;

    char **warnings;
    size_t n_warnings;

    char errmsg[512]; /* detail of the last failure, "" if none */
} sx_doc;

typedef struct sx_options {
    const sx_date *dct;   /* document date, or NULL */
    size_t max_bytes;     /* 0 = default limit (64 MiB) */
} sx_options;

#define SX_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* Zeroes doc.  Cannot fail. */
void sx_doc_init(sx_doc *doc);
/* Releases everything doc owns and zeroes it.  Safe on a zeroed doc. */
void sx_doc_free(sx_doc *doc);
/* The message of the last failure on doc (never NULL). */
const char *sx_doc_errmsg(const sx_doc *doc);

/* Extracts one article.  bytes need not be NUL-terminated.  path is used in
 * messages and kept in doc->path.  On failure doc holds no results and
 * doc->errmsg names the file and, for bad bytes, the byte offset. */
sx_status sx_extract(sx_doc *doc, const char *path, const char *bytes, size_t len,
                     const sx_options *opts);

/* Reads a whole file ("-" = stdin) into a malloc'd buffer (caller frees).
 * Refuses directories and files over max_bytes with a message in err. */
sx_status sx_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len,
                       char *err, size_t errlen);

/* Participants whose role counts for event identity (not target, audience,
 * attendee). */
int sx_role_is_core(const char *role);

#ifdef __cplusplus
}
#endif
#endif
