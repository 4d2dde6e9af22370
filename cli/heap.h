/*
 * heap.h -- the summit command line's one tuning of the C library's heap.
 */
#ifndef SUMMIT_CLI_HEAP_H
#define SUMMIT_CLI_HEAP_H

/* Asks for the first megabytes of the heap in 2 MB pages; see heap.c.
 * Call first thing in main(); harmless where it cannot be done. */
void summit_heap_prefer_huge_pages(void);

#endif
