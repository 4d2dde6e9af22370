/*
 * text.c -- from input bytes to the work buffer the other stages read.
 *
 * Exports sx__text_load (sx_int.h) and sx_read_file (extractor.h).
 *
 *  1. Validates strict UTF-8 (no overlong forms, surrogates, values above
 *     U+10FFFF, truncated sequences or NUL bytes) and reports the byte offset
 *     of the first bad byte.  A UTF-8 BOM is allowed (it counts as code point
 *     0, as any UTF-8 decoder that keeps it would count it); a UTF-16 BOM is
 *     refused with a hint.
 *  2. Decodes to UTF-16 and keeps two maps: cp_of_u (work unit -> original
 *     code point offset) and byte_of_cp (code point -> byte offset), so every
 *     offset the extractor reports is an original code point offset.
 *  3. Blanks artifacts in place with spaces, which moves nothing: ad markers
 *     such as "{mosads}", and copyright footer lines ("Copyright 2024 ... All
 *     rights reserved.").  Control characters other than TAB/LF/CR become
 *     spaces.
 *  4. Normalizes to NFC with ICU.  Text that is already NFC (nearly all) is
 *     left alone; otherwise each normalization segment is normalized on its
 *     own and every unit it yields maps to the segment's first code point.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/ustring.h>

#include "sx_int.h"

/* Decodes one strict UTF-8 sequence at s[i..n); returns its length and sets
 * *cp, or 0 with *why set. */
static int sx__utf8_next(const unsigned char *s, size_t i, size_t n, uint32_t *cp, const char **why)
{
    unsigned c = s[i];
    int len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07, min = 0x10000;
    else {
        *why = (c == 0xC0 || c == 0xC1) ? "overlong encoding"
               : (c >= 0x80 && c <= 0xBF) ? "unexpected continuation byte"
                                          : "byte never valid in UTF-8";
        return 0;
    }
    if (i + (size_t)len > n) {
        *why = "truncated sequence at end of input";
        return 0;
    }
    for (int k = 1; k < len; k++) {
        unsigned cc = s[i + (size_t)k];
        if ((cc & 0xC0) != 0x80) {
            *why = "truncated sequence";
            return 0;
        }
        v = (v << 6) | (cc & 0x3F);
    }
    if (v < min) *why = "overlong encoding";
    else if (v >= 0xD800 && v <= 0xDFFF) *why = "encoded surrogate";
    else if (v > 0x10FFFF) *why = "code point above U+10FFFF";
    else {
        *cp = v;
        return len;
    }
    return 0;
}

static int sx__is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0xFEFF ||
           c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}

/* Whether every byte of x is printable ASCII or a space (0x20..0x7E), and
 * whether one is c: the word-at-a-time tests of "Bit Twiddling Hacks"
 * (hasless, hasmore, haszero), exact as yes/no answers. */
#define SX__ONES8 0x0101010101010101ull
#define SX__HIGH8 0x8080808080808080ull
static int sx__printable8(uint64_t x)
{
    return !((((x - SX__ONES8 * 0x20) & ~x) | ((x + SX__ONES8) | x)) & SX__HIGH8);
}

static int sx__has_byte8(uint64_t x, unsigned char c)
{
    uint64_t v = x ^ (SX__ONES8 * c);
    return ((v - SX__ONES8) & ~v & SX__HIGH8) != 0;
}

static int sx__fail(sx__work *w, sx_status st, const char *fmt_what, size_t at, const char *why)
{
    if (w->err && w->errlen) {
        if (why) snprintf(w->err, w->errlen, "%s: %s at byte %zu (%s)", w->path, fmt_what, at, why);
        else snprintf(w->err, w->errlen, "%s: %s", w->path, fmt_what);
    }
    return st;
}

/* ASCII-only, case-insensitive prefix test on UTF-16 units. */
static int sx__cp_prefix(const UChar *cps, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t c = cps[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        if (c != (uint32_t)word[i]) return 0;
    }
    return 1;
}

static int sx__cp_contains(const UChar *cps, size_t n, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= n; i++)
        if (sx__cp_prefix(cps + i, n - i, word)) return 1;
    return 0;
}

/* Blanks "{mosads}"-style markers and copyright footer lines, in the UTF-16
 * text (a character outside the BMP in a footer becomes two spaces, both
 * mapped to its code point, so no offset moves). */
static void sx__blank_artifacts(UChar *cps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cps[i] == '{') {
            size_t j = i + 1;
            while (j < n && j - i <= 32 && ((cps[j] >= 'a' && cps[j] <= 'z') || (cps[j] >= 'A' && cps[j] <= 'Z') || cps[j] == '_'))
                j++;
            if (j < n && cps[j] == '}' && j > i + 1) {
                for (size_t k = i; k <= j; k++) cps[k] = ' ';
                i = j;
            }
        }
    }
    /* footer lines */
    size_t ls = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || cps[i] == '\n') {
            size_t s = ls;
            while (s < i && sx__is_space_cp(cps[s])) s++;
            size_t len = i - s;
            if ((sx__cp_prefix(cps + s, len, "copyright") || (len && cps[s] == 0xA9)) &&
                (sx__cp_contains(cps + s, len, "all rights reserved") ||
                 sx__cp_contains(cps + s, len, "may not be published")))
                for (size_t k = s; k < i; k++) cps[k] = ' ';
            ls = i + 1;
        }
    }
}

sx_status sx__text_load(sx__work *w)
{
    const unsigned char *s = (const unsigned char *)w->bytes;
    size_t n = w->len;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return sx__fail(w, SX_EUTF8, "looks like UTF-16 (byte order mark); convert it to UTF-8", 0, NULL);
    if (n > (size_t)INT32_MAX / 4) return sx__fail(w, SX_ETOOBIG, "input too large", 0, NULL);

    /* One pass: strict UTF-8 -> UTF-16 with both maps.  A UTF-8 sequence
     * never yields more UTF-16 units than it has bytes. */
    UChar *u = malloc((n + 1) * sizeof *u);
    int32_t *map = malloc((n + 2) * sizeof *map);
    w->byte_of_cp = malloc((n + 1) * sizeof *w->byte_of_cp);
    if (!u || !map || !w->byte_of_cp) {
        free(u), free(map);
        return SX_ENOMEM;
    }
    size_t ncp = 0, i = 0;
    int32_t ul = 0;
    int any_text = 0;
    uint32_t max_cp = 0; /* largest code point, for the NFC shortcut below */
    /* whether sx__blank_artifacts can find anything: a '{', or a line
     * whose first character that is not a space starts "copyright" (any
     * case; blanking a marker never changes that), is U+00A9 or is a '{'
     * (blanking the marker may make "Copyright" come first) */
    int brace = 0, footer = 0, line_start = 1;
    while (i < n) {
        if (s[i] > 0x20 && s[i] < 0x7F) { /* printable ASCII, not a space: most bytes */
            if (line_start) {
                UChar head[9];
                size_t hn = 0;
                while (hn < 9 && i + hn < n && s[i + hn] < 0x80) head[hn] = s[i + hn], hn++;
                footer |= s[i] == '{' || sx__cp_prefix(head, hn, "copyright");
                line_start = 0;
            } else if (i + 8 <= n) {
                /* eight bytes of printable ASCII or spaces at once; they map
                 * as the byte-by-byte path does (a space takes the general
                 * path below to the same result) */
                uint64_t x;
                memcpy(&x, s + i, 8);
                if (sx__printable8(x)) {
                    brace |= sx__has_byte8(x, '{');
                    for (int k = 0; k < 8; k++) {
                        w->byte_of_cp[ncp + (size_t)k] = (int32_t)(i + (size_t)k);
                        u[ul + k] = s[i + (size_t)k];
                        map[ul + k] = (int32_t)ncp + k;
                    }
                    i += 8, ul += 8, ncp += 8;
                    any_text = 1;
                    continue;
                }
            }
            brace |= s[i] == '{';
            w->byte_of_cp[ncp] = (int32_t)i;
            u[ul] = s[i++];
            map[ul++] = (int32_t)ncp++;
            any_text = 1;
            continue;
        }
        uint32_t cp;
        const char *why = NULL;
        if (s[i] == 0) {
            free(u), free(map);
            return sx__fail(w, SX_EUTF8, "contains a NUL byte (binary file?)", i, "NUL");
        }
        int k = sx__utf8_next(s, i, n, &cp, &why);
        if (!k) {
            free(u), free(map);
            return sx__fail(w, SX_EUTF8, "invalid UTF-8", i, why);
        }
        w->byte_of_cp[ncp] = (int32_t)i;
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') cp = ' ';
        if (cp == 0x7F) cp = ' ';
        if (!sx__is_space_cp(cp)) {
            any_text = 1;
            if (line_start) footer |= cp == 0xA9;
            line_start = 0;
        }
        if (cp == '\n') line_start = 1;
        if (cp > max_cp) max_cp = cp;
        if (cp >= 0x10000) {
            u[ul] = (UChar)(0xD7C0 + (cp >> 10));
            map[ul++] = (int32_t)ncp;
            u[ul] = (UChar)(0xDC00 | (cp & 0x3FF));
        } else u[ul] = (UChar)cp;
        map[ul++] = (int32_t)ncp++;
        i += (size_t)k;
    }
    w->byte_of_cp[ncp] = (int32_t)n;
    w->n_cp = (int32_t)ncp;
    map[ul] = (int32_t)ncp;
    if (!any_text) {
        free(u), free(map);
        return sx__fail(w, SX_EEMPTY, n ? "has no text (only white space)" : "is empty", 0, NULL);
    }
    if (ul && u[0] == 0xFEFF) u[0] = ' ';
    if (brace || footer) sx__blank_artifacts(u, (size_t)ul);

    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e)) {
        free(u), free(map);
        return sx__fail(w, SX_EICU, "cannot load ICU NFC data", 0, NULL);
    }
    /* Every code point below U+0300 (the first combining mark) is NFC
     * quick-check Yes, so text made only of those needs no scan. */
    int32_t ok_end = max_cp < 0x300 ? ul : unorm2_spanQuickCheckYes(nfc, u, ul, &e);
    if (U_SUCCESS(e) && ok_end < ul) {
        /* Slow path: normalize segment by segment from the first unit that
         * may change, each segment running up to the next boundary. */
        UChar *nu = malloc((size_t)(ul * 3 + 1) * sizeof *nu);
        int32_t *nmap = malloc((size_t)(ul * 3 + 2) * sizeof *nmap);
        if (!nu || !nmap) {
            free(u), free(map), free(nu), free(nmap);
            return SX_ENOMEM;
        }
        /* back up to a boundary */
        int32_t p = ok_end;
        while (p > 0 && (U16_IS_TRAIL(u[p]) || !unorm2_hasBoundaryBefore(nfc, u[p]))) p--;
        memcpy(nu, u, (size_t)p * sizeof *u);
        memcpy(nmap, map, (size_t)p * sizeof *map);
        int32_t nl = p;
        while (p < ul) {
            int32_t q = p + 1;
            while (q < ul && (U16_IS_TRAIL(u[q]) || !unorm2_hasBoundaryBefore(nfc, u[q]))) q++;
            UErrorCode e2 = U_ZERO_ERROR;
            int32_t got = unorm2_normalize(nfc, u + p, q - p, nu + nl, ul * 3 - nl, &e2);
            if (U_FAILURE(e2)) {
                free(u), free(map), free(nu), free(nmap);
                return sx__fail(w, SX_EICU, "NFC normalization failed", 0, NULL);
            }
            for (int32_t k = 0; k < got; k++) nmap[nl + k] = map[p];
            nl += got;
            p = q;
        }
        nmap[nl] = map[ul];
        free(u), free(map);
        u = nu, map = nmap, ul = nl;
    }
    w->u = u;
    w->cp_of_u = map;
    w->ulen = ul;
    return SX_OK;
}

sx_status sx_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, char *err,
                       size_t errlen)
{
    *out = NULL;
    *out_len = 0;
    if (max_bytes == 0) max_bytes = SX_DEFAULT_MAX_BYTES;
    FILE *f;
    int is_stdin = strcmp(path, "-") == 0;
    if (is_stdin) f = stdin;
    else {
        struct stat st;
        if (stat(path, &st) != 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return SX_EIO;
        }
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: is a directory, not a file", path);
            return SX_EIO;
        }
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
            snprintf(err, errlen, "%s: %lld bytes is over the document size limit of %zu bytes",
                     path, (long long)st.st_size, max_bytes);
            return SX_ETOOBIG;
        }
        f = fopen(path, "rb");
        if (!f) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return SX_EIO;
        }
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    sx_status st = SX_OK;
    if (!buf) st = SX_ENOMEM;
    while (st == SX_OK) {
        if (len == cap) {
            size_t nc = cap * 2;
            char *nb = realloc(buf, nc + 1);
            if (!nb) {
                st = SX_ENOMEM;
                break;
            }
            buf = nb, cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > max_bytes) {
            snprintf(err, errlen, "%s: over the document size limit of %zu bytes", path, max_bytes);
            st = SX_ETOOBIG;
        } else if (got == 0) {
            if (ferror(f)) {
                snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
                st = SX_EIO;
            }
            break;
        }
    }
    if (!is_stdin) fclose(f);
    if (st != SX_OK) {
        if (st == SX_ENOMEM) snprintf(err, errlen, "%s: out of memory", path);
        free(buf);
        return st;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return SX_OK;
}
