/*
 * heap.c -- the first megabytes of the heap in transparent huge pages, so
 * that start-up does not pay a page fault for every 4 KB it touches.
 *
 * Why: `summit extract` on a 5 KB article touches about 4.5 MB of heap
 * (the lexicon, ICU's rule sets, SQLite's schema and page cache) and
 * took 1,413 page faults to do it, of which 1,070 were in the heap or in
 * malloc's mmap blocks (`perf record -e page-faults -d`).  On the virtual
 * machines this runs on a fault costs 10-40 us, so faults were most of
 * the 45-55 ms that start-up took in session 6's measurements.  A 2 MB
 * page is one fault.
 *
 * How: with glibc, make malloc keep blocks of up to 16 MB in the heap rather
 * than in separate mappings, grow the heap by one 8 MB block and free it
 * again (kept, not trimmed), and madvise(MADV_HUGEPAGE) the whole 2 MB
 * pages inside it.  The kernel then backs them with huge pages where
 * transparent huge pages are "madvise" or "always".  Elsewhere (another C
 * library, a sanitizer's or valgrind's malloc, THP "never") nothing
 * changes and summit runs as before.  Memory: the 8 MB block's huge pages
 * become resident as soon as they are touched, and up to 16 MB of freed
 * heap is kept for reuse rather than given back (the trim threshold), so
 * peak RSS can be a few megabytes higher than with 4 KB pages.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE, mallopt */

#include "heap.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#endif

void summit_heap_prefer_huge_pages(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    const size_t huge = (size_t)2 << 20, block = (size_t)8 << 20;
    if (!mallopt(M_MMAP_THRESHOLD, (int)(2 * block)) || !mallopt(M_TRIM_THRESHOLD, (int)(2 * block)))
        return;
    char *p = malloc(block);
    if (!p)
        return;
    const uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
    const uintptr_t hi = ((uintptr_t)p + block) & ~(uintptr_t)(huge - 1);
    if (lo < hi)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice only: a failure changes nothing */
    free(p);
#endif
}
