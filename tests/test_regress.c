/*
 * test_regress.c -- Criterion test: every input a fuzzer ever crashed on
 * (tests/data/regress/, read through env SUMMIT_TESTDATA) replayed in
 * process, one test per file.
 *
 * Each file goes, byte for byte as saved, through
 *   1. fz_extract_one (fuzz/fuzz_extract_check.h): the DCT taken from the
 *      input as fuzz_extract takes it, sx_extract, and every invariant the
 *      fuzzer checks (offsets in range, indices valid, strings terminated);
 *   2. the store: the whole file as an article with DCT 2017-07-07, and when
 *      the extractor accepts it, tl_ingest into a ":memory:" database and
 *      tl_export as CSV and as JSON Lines, each of which must succeed.
 * Run it in the -DSUMMIT_SANITIZE=ON build to get ASan and UBSan on both.
 * docs/fuzzing.md says how a crash input becomes a file here.  README.md and
 * dot files in the folder are not inputs.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "files.h"
#include "timeline.h"

/* The file being replayed, for the failure message. */
static const char *fz_current = "";
#define FZ_FAIL(what) cr_assert_fail("%s: invariant failed: %s", fz_current, what)
#include "../fuzz/fuzz_extract_check.h"

#define NAME_MAX_LEN 240

typedef struct regress_file {
    char name[NAME_MAX_LEN + 1]; /* "" when the folder holds no input */
} regress_file;

static int is_input(const char *name)
{
    return name[0] != '.' && strcmp(name, "README.md") != 0 && strlen(name) <= NAME_MAX_LEN;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const regress_file *)a)->name, ((const regress_file *)b)->name);
}

static void free_params(struct criterion_test_params *p)
{
    cr_free(p->params);
}

/* The files of tests/data/regress/, sorted; one empty entry when there are
 * none, so the test reports that instead of vanishing. */
ParameterizedTestParameters(regress, replay)
{
    const char *data = getenv("SUMMIT_TESTDATA");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/regress", data ? data : "tests/data");
    size_t n = 0, cap = 1;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            cap += is_input(e->d_name);
        rewinddir(d);
    }
    regress_file *files = cr_malloc(cap * sizeof *files);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n < cap)
            if (is_input(e->d_name)) /* is_input checked the length */
                memcpy(files[n++].name, e->d_name, strlen(e->d_name) + 1);
        closedir(d);
    }
    if (n == 0) files[n++].name[0] = '\0';
    qsort(files, n, sizeof *files, by_name);
    return cr_make_param_array(regress_file, files, n, free_params);
}

/* Exports db in fmt into memory; the export must succeed. */
static void export_ok(tl_db *db, tl_format fmt, const char *what)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f, "open_memstream: %s", strerror(errno));
    tl_status st = tl_export(db, fmt, f);
    cr_assert_eq(fclose(f), 0);
    cr_expect_eq(st, TL_OK, "%s: %s", what, tl_db_errmsg(db));
    free(buf);
}

ParameterizedTest(regress_file *file, regress, replay)
{
    if (!file->name[0]) cr_skip_test("tests/data/regress/ holds no crash inputs");
    const char *data = getenv("SUMMIT_TESTDATA");
    cr_assert(data && *data, "SUMMIT_TESTDATA is not set (run the tests through ctest)");
    char path[4096];
    snprintf(path, sizeof path, "%s/regress/%s", data, file->name);
    fz_current = file->name;
    size_t len = 0;
    char *bytes = slurp_or_fail(path, &len);

    /* 1. as fuzz_extract ran it */
    fz_extract_one((const uint8_t *)bytes, len);

    /* 2. the whole file as an article, through the store and the exports */
    static const sx_date dct = {2017, 7, 7, 0, 0, 0};
    sx_options opts = {&dct, 0};
    sx_doc doc;
    sx_doc_init(&doc);
    if (sx_extract(&doc, file->name, bytes, len, &opts) == SX_OK) {
        tl_db db;
        tl_db_init(&db);
        cr_assert_eq(tl_db_open(&db, ":memory:", TL_OPEN_CREATE), TL_OK, "%s", tl_db_errmsg(&db));
        tl_status st = tl_ingest(&db, &doc, NULL);
        cr_expect_eq(st, TL_OK, "%s: tl_ingest: %s", file->name, tl_db_errmsg(&db));
        if (st == TL_OK) {
            export_ok(&db, TL_FORMAT_CSV, file->name);
            export_ok(&db, TL_FORMAT_JSONL, file->name);
        }
        tl_db_close(&db);
    } else {
        cr_expect(sx_doc_errmsg(&doc)[0] != '\0', "%s: refused without a message", file->name);
    }
    sx_doc_free(&doc);
    free(bytes);
}
