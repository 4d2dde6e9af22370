/*
 * fuzz_extract.c -- libFuzzer target: sx_extract on arbitrary bytes, with a
 * DCT taken from the input.  The input layout and the invariants checked are
 * described in fuzz_extract_check.h, which tests/test_regress.c shares to
 * replay saved crash inputs (tests/data/regress/).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_extract_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_extract_one(data, size);
    return 0;
}
