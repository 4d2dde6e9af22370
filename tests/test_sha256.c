/*
 * test_sha256.c -- Criterion tests of the document content key
 * (extractor/sha256.c): the FIPS 180-4 / NIST example vectors, and the
 * portable rounds and the SHA-extension rounds (when the processor has
 * them) giving the same digest for every length from 0 to 1,000 bytes,
 * across the one- and two-block padding cases.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "sx_int.h"

typedef struct vec {
    const char *msg; /* NULL: a million 'a' */
    const char *hex;
} vec;

static const vec vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
     "nopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

static void check(int hw)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const char *m = vectors[i].msg;
        char *million = NULL;
        size_t len;
        if (m) len = strlen(m);
        else {
            len = 1000000;
            million = malloc(len);
            cr_assert(million);
            memset(million, 'a', len);
            m = million;
        }
        char out[65];
        sx__sha256_hex_with(m, len, out, hw);
        cr_expect_str_eq(out, vectors[i].hex, "vector %zu (%zu bytes, %s rounds)", i, len, hw ? "SHA-extension" : "portable");
        free(million);
    }
}

Test(sha256, portable_rounds_match_the_fips_vectors) { check(0); }

Test(sha256, processor_rounds_match_the_fips_vectors)
{
    if (!sx__sha256_hw()) cr_skip_test("this processor has no SHA extensions");
    check(1);
}

Test(sha256, both_rounds_agree_at_every_length)
{
    if (!sx__sha256_hw()) cr_skip_test("this processor has no SHA extensions");
    unsigned char buf[1000];
    unsigned x = 7;
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    for (size_t len = 0; len <= sizeof buf; len++) {
        char a[65], b[65];
        sx__sha256_hex_with(buf, len, a, 0);
        sx__sha256_hex_with(buf, len, b, 1);
        cr_assert_str_eq(a, b, "length %zu", len);
    }
}

Test(sha256, the_extractor_uses_the_same_key)
{
    char a[65], b[65];
    sx__sha256_hex("abc", 3, a);
    sx__sha256_hex_with("abc", 3, b, 0);
    cr_assert_str_eq(a, b);
}
