/*
 * files.h -- reading a whole file in the tests, the one way every test file
 * does it.  Everything is static inline; a test file uses what it needs.
 */
#ifndef SUMMIT_TESTS_FILES_H
#define SUMMIT_TESTS_FILES_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole file as a NUL-terminated malloc'd buffer (caller frees), its
 * length in *len if len is not NULL; NULL when it cannot be opened. */
static inline char *slurp_if_any(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    cr_assert(buf);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            cr_assert(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    cr_assert(!ferror(f), "read error on %s", path);
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* The same, and the test fails if the file cannot be read. */
static inline char *slurp_or_fail(const char *path, size_t *len)
{
    char *buf = slurp_if_any(path, len);
    cr_assert(buf, "cannot open %s: %s", path, strerror(errno));
    return buf;
}

#endif
