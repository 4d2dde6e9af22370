/*
 * workers.c -- the extraction thread pool of `summit ingest -j N` (prefix
 * wk_; the interface and the ownership rules are in workers.h).
 *
 * One mutex guards the ring.  Slot k % n_slots holds input k.  A worker
 * claims the next input when its slot is free -- every input n_slots or
 * more before it has been released by the consumer -- reads and extracts
 * it without the lock, and marks the slot ready.  The consumer waits for
 * the slot of the next input in order, uses it, and releases it, which
 * lets a worker claim one more.  So the workers run at most n_slots inputs
 * ahead of the consumer and the results come out in input order whatever
 * order the workers finish in.
 *
 * Standard input ("-") is never read by a worker: its slot is marked
 * deferred and the consumer reads it in wk_next at its turn, exactly when
 * the single-threaded loop would, so several "-" arguments and an early
 * stop behave as with -j 1 and a worker is never left blocked on a
 * terminal.
 */
#include "workers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WK_EMPTY, WK_READY, WK_DEFERRED };

/* The stack of each worker: what the main thread gets by default on Linux,
 * so a document that extracts on the main thread extracts on a worker. */
#define WK_STACK_BYTES ((size_t)8 * 1024 * 1024)

typedef struct wk_slot {
    wk_item item; /* first, so an item pointer is its slot's */
    int state;    /* WK_EMPTY, WK_READY, WK_DEFERRED; under mu */
} wk_slot;

struct wk_pool {
    wk_config cfg;
    sx_options so;
    wk_slot *slots;
    size_t n_slots;
    pthread_t *threads;
    int n_threads;
    int sync_ok;      /* mu and the condition variables were initialised */
    pthread_mutex_t mu;
    pthread_cond_t work_cv;  /* a slot was released, or stop */
    pthread_cond_t ready_cv; /* a slot became ready or deferred */
    /* under mu when n_threads > 0 */
    size_t next_claim; /* the next input a worker takes */
    size_t released;   /* inputs the consumer has passed to wk_done */
    size_t awaited;    /* 1 + the input wk_next sleeps for, or 0 */
    int stop;
    /* the consumer's own */
    size_t next_take;  /* the next input wk_next returns */
};

/* Reads and extracts it->path into *it. */
static void wk_load(const wk_pool *p, wk_item *it)
{
    char *buf = NULL;
    size_t len = 0;
    sx_doc_init(&it->doc);
    it->err[0] = '\0';
    it->status = sx_read_file(it->path, p->cfg.max_bytes, &buf, &len, it->err, sizeof it->err);
    if (it->status != SX_OK) return;
    it->status = sx_extract(&it->doc, it->path, buf, len, &p->so);
    free(buf);
    if (it->status != SX_OK) {
        snprintf(it->err, sizeof it->err, "%s", sx_doc_errmsg(&it->doc));
        sx_doc_free(&it->doc);
    }
}

static void *wk_thread(void *arg)
{
    wk_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next_claim < p->cfg.n_paths && p->next_claim >= p->released + p->n_slots)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (p->stop || p->next_claim >= p->cfg.n_paths) break;
        const size_t k = p->next_claim++;
        wk_slot *s = &p->slots[k % p->n_slots];
        s->item.index = k;
        s->item.path = p->cfg.paths[k];
        if (strcmp(s->item.path, "-") == 0) {
            s->state = WK_DEFERRED;
            if (p->awaited == k + 1) pthread_cond_signal(&p->ready_cv);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        wk_load(p, &s->item);
        pthread_mutex_lock(&p->mu);
        s->state = WK_READY;
        /* wake the consumer only for the input it waits for */
        if (p->awaited == k + 1) pthread_cond_signal(&p->ready_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void wk_free(wk_pool *p)
{
    if (p->slots)
        for (size_t i = 0; i < p->n_slots; i++) sx_doc_free(&p->slots[i].item.doc);
    if (p->sync_ok) {
        pthread_cond_destroy(&p->ready_cv);
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
    }
    free(p->threads);
    free(p->slots);
    free(p);
}

static int wk_sync_init(wk_pool *p)
{
    if (pthread_mutex_init(&p->mu, NULL) != 0) return -1;
    if (pthread_cond_init(&p->work_cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        return -1;
    }
    if (pthread_cond_init(&p->ready_cv, NULL) != 0) {
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
        return -1;
    }
    p->sync_ok = 1;
    return 0;
}

int wk_start(wk_pool **out, const wk_config *cfg)
{
    *out = NULL;
    if (!cfg || cfg->n_threads < 0 || cfg->n_threads > WK_MAX_THREADS || (!cfg->paths && cfg->n_paths))
        return -1;
    wk_pool *p = calloc(1, sizeof *p);
    if (!p) return -1;
    p->cfg = *cfg;
    p->so.dct = cfg->dct;
    p->so.max_bytes = cfg->max_bytes;
    /* no more threads than inputs */
    size_t want = (size_t)cfg->n_threads < cfg->n_paths ? (size_t)cfg->n_threads : cfg->n_paths;
    p->n_slots = want ? 2 * want : 1;
    p->slots = calloc(p->n_slots, sizeof *p->slots);
    if (!p->slots) {
        wk_free(p);
        return -1;
    }
    if (want) {
        p->threads = calloc(want, sizeof *p->threads);
        if (!p->threads || wk_sync_init(p) != 0) {
            wk_free(p);
            return -1;
        }
        pthread_attr_t attr;
        const int attr_ok = pthread_attr_init(&attr) == 0;
        if (attr_ok) (void)pthread_attr_setstacksize(&attr, WK_STACK_BYTES);
        for (size_t i = 0; i < want; i++) {
            if (pthread_create(&p->threads[i], attr_ok ? &attr : NULL, wk_thread, p) != 0) break;
            p->n_threads++;
        }
        if (attr_ok) pthread_attr_destroy(&attr);
        /* with no thread at all wk_next extracts itself: n_threads == 0 */
    }
    *out = p;
    return 0;
}

wk_item *wk_next(wk_pool *p)
{
    if (p->next_take >= p->cfg.n_paths) return NULL;
    wk_slot *s = &p->slots[p->next_take % p->n_slots];
    int load_here = 1;
    if (p->n_threads > 0) {
        pthread_mutex_lock(&p->mu);
        p->awaited = p->next_take + 1;
        while (s->state == WK_EMPTY) pthread_cond_wait(&p->ready_cv, &p->mu);
        p->awaited = 0;
        load_here = s->state == WK_DEFERRED;
        pthread_mutex_unlock(&p->mu);
    } else {
        s->item.index = p->next_take;
        s->item.path = p->cfg.paths[p->next_take];
    }
    if (load_here) wk_load(p, &s->item);
    p->next_take++;
    return &s->item;
}

void wk_done(wk_pool *p, wk_item *it)
{
    if (!it) return;
    sx_doc_free(&it->doc);
    it->err[0] = '\0';
    if (p->n_threads > 0) {
        wk_slot *s = (wk_slot *)it;
        pthread_mutex_lock(&p->mu);
        s->state = WK_EMPTY;
        p->released++;
        pthread_cond_signal(&p->work_cv);
        pthread_mutex_unlock(&p->mu);
    } else {
        p->released++;
    }
}

void wk_finish(wk_pool *p)
{
    if (!p) return;
    if (p->n_threads > 0) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->work_cv);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->n_threads; i++) pthread_join(p->threads[i], NULL);
    }
    wk_free(p);
}

int wk_threads(const wk_pool *p) { return p ? p->n_threads : 0; }
