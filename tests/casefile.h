/*
 * casefile.h -- reading the plain-text case tables in tests/data/ (TSV, one
 * case a line, "#" comments), shared by the table-driven tests.
 */
#ifndef SUMMIT_TESTS_CASEFILE_H
#define SUMMIT_TESTS_CASEFILE_H

#include <stdio.h>
#include <string.h>

/* Splits line at tabs into at most max fields, in place; returns the count. */
static inline int case_split(char *line, char **f, int max)
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

/* Turns each "\n" (backslash, n) of a table cell into a line break. */
static inline void case_unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            *o++ = '\n';
            p++;
        } else *o++ = *p;
    }
    *o = '\0';
}

/* Reads the next case line (skipping blank lines and comments) into line,
 * without its line end; returns 0 at the end of the file.  *lineno counts
 * every line read. */
static inline int case_next(FILE *f, char *line, size_t cap, int *lineno)
{
    while (fgets(line, (int)cap, f)) {
        (*lineno)++;
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = '\0';
        if (l && line[0] != '#') return 1;
    }
    return 0;
}

#endif
