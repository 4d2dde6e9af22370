/*
 * workers.h -- a pool of extraction threads for `summit ingest -j N`
 * (prefix wk_).
 *
 * N worker threads read files (sx_read_file) and extract them (sx_extract)
 * ahead of one consumer, the caller's thread, which takes the results
 * strictly in input order with wk_next(), writes them, and hands each back
 * with wk_done().  Results wait in a ring of 2N slots, so at most 2N
 * documents are read or extracted but not yet released, however many paths
 * there are.  With N = 0 there are no threads: wk_next() reads and extracts
 * the next file itself, in the caller's thread (what `-j 1` does).
 *
 *   wk_pool *p;
 *   if (wk_start(&p, &cfg) != 0) ... out of memory ...
 *   wk_item *it;
 *   while ((it = wk_next(p)) != NULL) {
 *       ... it->status == SX_OK ? use it->doc : report it->err ...
 *       wk_done(p, it);
 *   }
 *   wk_finish(p);         -- also to stop early, at any point
 *
 * Ownership: the pool borrows cfg->paths and *cfg->dct until wk_finish()
 * returns, and each path string until its item has been passed to
 * wk_done() (the caller may then free it), or until wk_finish() returns
 * for inputs not taken.  An item, its doc and its message are
 * owned by the pool; the caller may read them from wk_next() until it
 * passes the item to wk_done().  wk_finish() abandons what was not taken
 * (workers finish the document they are on, are joined, and every slot is
 * freed).  Workers never print; every message is in the item, so the
 * caller prints them in input order.
 *
 * Threads: one consumer only; wk_next, wk_done and wk_finish must be called
 * from the thread that called wk_start.  sx_extract is safe to run on many
 * threads at once (extractor.h).
 */
#ifndef SUMMIT_WORKERS_H
#define SUMMIT_WORKERS_H

#include <stddef.h>

#include "extractor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest number of worker threads wk_start accepts. */
#define WK_MAX_THREADS 64

typedef struct wk_config {
    const char *const *paths; /* the inputs, in order ("-" is standard input) */
    size_t n_paths;
    const sx_date *dct;       /* the date of every document, or NULL */
    size_t max_bytes;         /* per document, 0 for the default */
    int n_threads;            /* 0 (extract in wk_next) .. WK_MAX_THREADS */
} wk_config;

typedef struct wk_item {
    size_t index;       /* into cfg->paths */
    const char *path;   /* cfg->paths[index] */
    sx_status status;   /* SX_OK: doc holds the extraction; else err says why */
    sx_doc doc;         /* zeroed unless status is SX_OK */
    char err[512];      /* the message of a failure ("" on success) */
} wk_item;

typedef struct wk_pool wk_pool;

/* Starts the pool and its threads.  Returns 0, or -1 when out of memory or
 * cfg is invalid (n_threads out of range, paths NULL with n_paths > 0).
 * If fewer threads than asked can be created, the pool runs with those it
 * has, and with none it extracts in wk_next. */
int wk_start(wk_pool **out, const wk_config *cfg);

/* The next item in input order, waiting for it if a worker is still on it;
 * NULL when every path has been taken.  The previous item must have been
 * passed to wk_done first. */
wk_item *wk_next(wk_pool *p);

/* Frees the item's document and gives its slot back to the workers. */
void wk_done(wk_pool *p, wk_item *it);

/* Stops the workers (they finish the document they are on), joins them and
 * frees the pool and every result not taken.  NULL is allowed. */
void wk_finish(wk_pool *p);

/* The number of worker threads running (0 when extracting in wk_next). */
int wk_threads(const wk_pool *p);

#ifdef __cplusplus
}
#endif
#endif
