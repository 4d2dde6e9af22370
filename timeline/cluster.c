/*
 * cluster.c -- the cross-document timeline layer: clusters the per-document
 * events that report the same happening into timeline_events, with their
 * sources, merged participants and the fields the sources disagree on.
 *
 * Exports (timeline_int.h): tl__day_number, tl__dirty_add, tl__dirty_add_doc,
 * tl__dirty_free, tl__timeline_refresh, tl__evcache_check, tl__evcache_clear,
 * tl__evcache_free, tl__evcache_limit, tl__comp_limit, tl__comp_hits,
 * tl__comp_keeps, tl__gather_apart, tl__evcache_sizes, tl__load_counts.
 *
 * The rule.  Two events of different documents are the same happening when
 *   - they have the same type;
 *   - their core participants (roles other than target, audience and
 *     attendee; an actor is its name and kind) overlap: one event's are
 *     all among the other's, or they share at least two ({Fukuda} and
 *     {Bush, Fukuda} match, {Bush, Fukuda} and {Bush, Medvedev} do not);
 *   - their dates are compatible: equal, or one interval contains the other
 *     ("2017-07" and "2017-07-07"), or -- the one-day rule -- both are single
 *     days one day apart, the type is not a statement, denial or accusation
 *     (people speak every day), and either one of them is softly dated (planned, so
 *     a preview; or dated from the narrative or the document date rather
 *     than by a time expression in its own sentence) or both name the same
 *     two or more core participants.  A day apart is how time zones, previews
 *     and late reports disagree ("Sunday, July 6" in a Washington preview,
 *     "Monday" in a report from Japan); two events that each state their own
 *     day in their own sentence and share only part of their participants
 *     stay apart, as talks on two days of a summit should.
 * Undated events and dates that cannot be placed on the calendar
 * ("XXXX-WXX-5") are never merged.  A cluster holds at most one event per
 * document (the extractor already merged each document's mentions), and an
 * event joins a cluster only when its date is compatible with every member's.
 *
 * How.  The clusters are those of a greedy pass over each component of
 * the "could merge" graph: events of one type linked when their dates
 * overlap or touch and they share a core participant, transitively.  (An
 * event without core participants is never clustered -- it would be a subset
 * of every set -- and gets a cluster of its own, as undated ones do.)  No
 * cluster spans two components, so a change (ingest, remove) rebuilds only
 * the components its added or deleted events touch, and the result is the
 * same as rebuilding everything.  Within a component events are taken in
 * order (sort_begin, coarser first, class signature, document sha256, event
 * number) and each joins the best compatible cluster: equal dates before
 * containment before a day apart, then the most shared participants, then
 * the oldest cluster.  Order depends on content only, so the clusters do not
 * depend on the order documents were ingested in.
 *
 * Classes.  Events with the same type, date interval, softness and set of
 * core participants (a class: typically one wire story's copies) relate
 * alike to every other event, so a cluster is checked against one member
 * per class, not every member, and the signature in the order keeps a
 * class's events together.  Gathering a component asks each distinct
 * (participant, type, interval) once, as one range of event_keys' primary
 * key (type, participant, sort_begin; schema/migrate_4.sql): the events of
 * the type with that participant starting at most TL__REACH (400) days
 * before the interval -- not every event of the actor, nor every event of
 * the type in the window, so the cost does not grow with the database.
 * After clustering, a cluster whose members are exactly one stored
 * cluster's sources is left as stored (its row is a function of its
 * members); only the others are deleted and written.  Clusters left without
 * sources and events left without a cluster are looked for among the
 * changed documents' events and the deleted clusters' members only.
 *
 * Cost of one document: the events of its components plus the rows that
 * change.  Events are read once and then kept in a bounded cache on the
 * connection (tl__evcache: stored events never change, and the cluster
 * writes keep where each is clustered up to date).  A cluster that only
 * gained events is updated in place (tl__update_cluster): a new report of
 * a happening with n sources writes its own source row, with a sort key
 * between its neighbours' (tl__ord_keys), and the participant counts --
 * not n rows deleted and n written again, which made ingest quadratic in
 * the size of a well-reported happening, nor the n/2 sources it ranks
 * before moved down one.  The greedy pass is O(events x live clusters x
 * classes per cluster), in memory.  The components a new document touches
 * are gathered and clustered one at a time (tl__rebuild_apart), so a
 * refresh holds the largest of them, not their union.  A large component
 * is kept on the connection after it is clustered (tl__comp, "kept
 * components" below), so a new copy of its story is clustered without
 * gathering, loading or sorting it again.
 *
 * Bounded fallback: the gather does not see an event that starts more than
 * TL__REACH days before the interval asked about (a decade, "the 2010s").
 * Such an event is still clustered when it is itself the change (its own
 * gather sees everything inside it), but a later finer event does not
 * reach it, so with such dates the result can depend on ingest order.  So
 * it can with times of day: the gather compares sort strings
 * ("2017-07-07T15:32"), the clustering days, so two timed reports of one
 * day, or one a day before a dated one, may be linked only through a third
 * document, and clustered apart until it comes.
 *
 * A cluster's members are ranked: finest date first, then dated by their own
 * sentence, then by the narrative, then by the document date; then occurred,
 * cancelled, planned, negated; then timed before untimed.  The first is the
 * lead: its date, time, summary, cameo and key (first 16 hex digits of its
 * document's sha256, "-e", its number) stand for the cluster.  The status is
 * occurred if any source says so, else cancelled, planned, negated.  The
 * place is the most specific one the sources agree on ("Hokkaido, Japan"
 * over "Japan"); durations come from the best-ranked source giving one.
 * Disagreements are recorded in timeline_conflicts, never dropped: dates a
 * day apart, different times of day, places neither containing the other,
 * different durations, occurred against cancelled or negated.
 *
 * Limits: the caller holds the write transaction.  See "Cost" above.
 */
#include "timeline_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- days ---------------------------------------------------------------- */

int tl__day_number(const char *s, int32_t *out)
{
    if (!s)
        return 0;
    for (int i = 0; i < 10; i++) {
        const int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    if (s[10] != '\0' && s[10] != 'T')
        return 0;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const long m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    /* days from civil (H. Hinnant), 1970-01-01 = 0 */
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (int32_t)(era * 146097 + doe - 719468);
    return 1;
}

/* [b, e) in days from an ISO interval; e is at least b + 1. */
static int tl__interval(const char *begin, const char *end, int32_t *b, int32_t *e)
{
    if (!tl__day_number(begin, b))
        return 0;
    if (!end || !tl__day_number(end, e) || *e <= *b)
        *e = *b + 1;
    return 1;
}

/* ---- seeds ---------------------------------------------------------------- */

/* Appends v to a growable array of ids; -1 when out of memory. */
static int tl__ids_push(int64_t **v, size_t *n, size_t *cap, int64_t id)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        int64_t *p = realloc(*v, c * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = id;
    return 0;
}

/* A seed is an event that was added or deleted: its type, date interval and
 * core participants ("name\0kind\0" pairs), kept in d->pool.  The document
 * and the clusters of its events are noted too: the refresh looks for
 * clusters left without sources and events left without a cluster there,
 * and nowhere else. */
int tl__dirty_add_doc(tl_db *db, int64_t doc_id, tl__dirty *d)
{
    if (tl__ids_push(&d->docs, &d->n_docs, &d->cap_docs, doc_id))
        return SQLITE_NOMEM;
    {
        sqlite3_stmt *ts = NULL;
        int rc = tl__prepare(db, "SELECT DISTINCT timeline_event_id FROM timeline_sources WHERE doc_id = ?1", &ts);
        if (rc != SQLITE_OK)
            return rc;
        sqlite3_bind_int64(ts, 1, doc_id);
        while ((rc = sqlite3_step(ts)) == SQLITE_ROW)
            if (tl__ids_push(&d->tes, &d->n_tes, &d->cap_tes, sqlite3_column_int64(ts, 0))) {
                rc = SQLITE_NOMEM;
                break;
            }
        tl__release(db, ts);
        if (rc != SQLITE_DONE)
            return rc;
    }
    static const char sql[] =
        "SELECT e.id, e.type, e.sort_begin, e.sort_end, a.name, a.kind FROM events e"
        " LEFT JOIN event_participants p ON p.event_id = e.id AND tl_role_is_core(p.role)"
        " LEFT JOIN actors a ON a.id = p.actor_id"
        " WHERE e.doc_id = ?1 AND e.sort_begin IS NOT NULL ORDER BY e.id";
    sqlite3_stmt *st = NULL;
    int rc = tl__prepare(db, sql, &st);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, doc_id);
    int64_t last = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const int64_t id = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 4), *kind = (const char *)sqlite3_column_text(st, 5);
        if (!name || !kind)
            continue; /* no core participant: never clustered */
        if (id != last || d->n == 0) {
            if (d->n == d->cap) {
                size_t cap = d->cap ? d->cap * 2 : 16;
                tl__seed *v = realloc(d->v, cap * sizeof *v);
                if (!v) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                d->v = v;
                d->cap = cap;
            }
            tl__seed *sd = &d->v[d->n++];
            sd->event_id = id;
            sd->type = d->pool.len;
            int bad = tl__buf_add(&d->pool, (const char *)sqlite3_column_text(st, 1),
                                  (size_t)sqlite3_column_bytes(st, 1) + 1);
            sd->begin = d->pool.len;
            bad |= tl__buf_add(&d->pool, (const char *)sqlite3_column_text(st, 2),
                               (size_t)sqlite3_column_bytes(st, 2) + 1);
            sd->end = d->pool.len;
            const char *end = (const char *)sqlite3_column_text(st, 3);
            bad |= tl__buf_add(&d->pool, end ? end : "", end ? (size_t)sqlite3_column_bytes(st, 3) + 1 : 1);
            sd->names = d->pool.len;
            sd->n_names = 0;
            if (bad) {
                rc = SQLITE_NOMEM;
                break;
            }
            last = id;
        }
        if (tl__buf_add(&d->pool, name, strlen(name) + 1) || tl__buf_add(&d->pool, kind, strlen(kind) + 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        d->v[d->n - 1].n_names++;
    }
    tl__release(db, st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void tl__dirty_free(tl__dirty *d)
{
    tl__buf_free(&d->pool);
    free(d->v);
    free(d->docs);
    free(d->tes);
    memset(d, 0, sizeof *d);
}


/* ---- strings kept once ------------------------------------------------------ */

/* An offset into a pool of strings (a work's or a cache generation's):
 * 32 bits, half a size_t, in the largest arrays of an ingest (events and
 * participants); tl__intern keeps pools under 4 GB. */
typedef uint32_t tl__off;
#define TL__NONE ((tl__off)-1) /* (no string: NULL) */

/* The strings of a pool, each kept once: open addressing over offset + 1
 * (0 = free).  The working set and each cache generation keep their strings
 * so: events share most of theirs (types, roles, names, a class's dates),
 * and two strings of one pool are equal exactly when their offsets are. */
typedef struct tl__strset {
    uint32_t *slot;
    size_t cap, n;
} tl__strset;

/* Eight bytes at a time: the strings hashed most are the events'
 * 64-character sha256s, one new string an event loaded, and hashing them
 * a byte at a time (FNV-1a) was 3% of an ingest late in a 200 MB run. */
static uint32_t tl__str_hash(const char *s)
{
    const size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, v;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    v = 0;
    memcpy(&v, s + i, n - i);
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
    return (uint32_t)(h ^ (h >> 32));
}

/* The offset of str in pool, added if it is not there yet; -1 when out of
 * memory. */
static int tl__intern(tl__buf *pool, tl__strset *set, const char *str, tl__off *off)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 4096;
        uint32_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slot[i])
                continue;
            size_t h = tl__str_hash(pool->s + set->slot[i] - 1) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = set->slot[i];
        }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t h = tl__str_hash(str) & (set->cap - 1);
    for (; set->slot[h]; h = (h + 1) & (set->cap - 1))
        if (strcmp(pool->s + set->slot[h] - 1, str) == 0) {
            *off = set->slot[h] - 1;
            return 0;
        }
    if (pool->len >= TL__NONE - 1)
        return -1;
    *off = (tl__off)pool->len;
    if (tl__buf_add(pool, str, strlen(str) + 1))
        return -1;
    set->slot[h] = *off + 1;
    set->n++;
    return 0;
}

/* ---- the working set of one component -------------------------------------- */

typedef struct tl__part {
    tl__off name, kind, country, role; /* offsets into the pool, TL__NONE = NULL */
    int core;
} tl__part;

typedef struct tl__ev {
    int64_t id, doc_id;
    int32_t idx, b, e;
    tl__off sha, type, status, date, time, sort_begin, sort_end, date_source, location, duration,
        duration_mod, planned; /* (cameo and summary are the lead's only: read as the row is written) */
    tl__off sig;    /* the class signature: type, softness, sorted core participants */
    uint32_t p0, np; /* participants [p0, p0 + np) */
    int cluster, cls;
    int rank_src, rank_status;
    /* where it is clustered: the cluster (0 when none), that cluster's
     * n_sources and n_conflicts, its ord and date_relation (one of tl__rels
     * or NULL) among the sources */
    int64_t old_te, old_n, old_nconf, old_ord;
    const char *old_rel;
    uint64_t sha8; /* sha's first 8 characters, big-endian: tl__ev_cmp orders by them first */
    /* its record in the event cache: generation epoch + 1 (0: none), index */
    uint64_t c_epoch;
    uint32_t c_at;
} tl__ev;

/* A participant of a cluster as timeline_participants holds it: merged
 * over the members in rank order (tl__merge_parts). */
typedef struct tl__mpart {
    tl__off name, kind, role, country;
    int core, ord;
    int64_t n;
    int stored; /* the stored row says the same */
} tl__mpart;

typedef struct tl__work {
    tl__buf pool;
    tl__strset strs; /* pool's strings, each kept once: equal strings, equal offsets */
    tl__ev *ev;
    size_t n_ev, cap_ev;
    tl__part *part;
    size_t n_part, cap_part;
    int *cl_first, *cl_next, *active; /* see tl__cluster_component */
    int *cl_last, *cl_rep, *rep_next, *same_doc;
    int32_t *cl_end;
    size_t cap_cl;
    int64_t *lost; /* events of the stored clusters deleted by a rebuild */
    size_t n_lost, cap_lost;
    tl__mpart *mp; /* one cluster's merged participants (tl__update_cluster) */
    size_t n_mp, cap_mp;
    int64_t *key; /* one cluster's sort keys (tl__ord_keys) */
    size_t cap_key;
    struct tl__evcache *cache; /* kept up to date with what is written, or NULL */
} tl__work;

static const char *tl__s(const tl__work *w, tl__off off)
{
    return off == TL__NONE ? NULL : w->pool.s + off;
}

/* Keeps s in w's pool (once: see tl__strset). */
static int tl__pool_add(tl__work *w, const unsigned char *s, tl__off *off)
{
    if (!s) {
        *off = TL__NONE;
        return 0;
    }
    return tl__intern(&w->pool, &w->strs, (const char *)s, off);
}

static int tl__streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ASCII case-insensitive comparison of n bytes. */
static int tl__ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* Is every ", "-separated part of small also a part of big? */
static int tl__place_within(const char *small, const char *big)
{
    for (const char *p = small; *p;) {
        const char *c = strstr(p, ", ");
        size_t n = c ? (size_t)(c - p) : strlen(p);
        int found = 0;
        for (const char *q = big; *q && !found;) {
            const char *cq = strstr(q, ", ");
            size_t m = cq ? (size_t)(cq - q) : strlen(q);
            found = m == n && tl__ascii_ieq(p, q, n);
            q = cq ? cq + 2 : q + m;
        }
        if (!found)
            return 0;
        p = c ? c + 2 : p + n;
    }
    return 1;
}

static int tl__rank_of(const char *s, const char *const *list, int n)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return i;
    return n;
}

/* ---- date relations ------------------------------------------------------------ */

enum { REL_SAME, REL_CONTAINS, REL_DAY_APART, REL_NONE };

static int tl__soft(const tl__work *w, const tl__ev *x)
{
    const char *src = tl__s(w, x->date_source);
    return tl__streq(tl__s(w, x->status), "planned") || !tl__streq(src, "text");
}

static size_t tl__core_shared(const tl__work *w, const tl__ev *a, const tl__ev *b, size_t *na, size_t *nb)
{
    size_t shared = 0;
    *na = *nb = 0;
    for (size_t i = 0; i < a->np; i++) {
        const tl__part *p = &w->part[a->p0 + i];
        if (!p->core)
            continue;
        ++*na;
        for (size_t k = 0; k < b->np; k++) {
            const tl__part *q = &w->part[b->p0 + k];
            if (q->core && p->name == q->name && p->kind == q->kind) {
                shared++;
                break;
            }
        }
    }
    for (size_t k = 0; k < b->np; k++)
        *nb += w->part[b->p0 + k].core != 0;
    return shared;
}

/* How x's date relates to y's, with the one-day rule applied. */
static int tl__relation(const tl__work *w, const tl__ev *x, const tl__ev *y)
{
    if (x->b == y->b && x->e == y->e)
        return REL_SAME;
    if ((x->b <= y->b && y->e <= x->e) || (y->b <= x->b && x->e <= y->e))
        return REL_CONTAINS;
    static const char *const talk[] = {"statement", "denial", "accusation"};
    if (x->e - x->b == 1 && y->e - y->b == 1 && (x->b - y->b == 1 || y->b - x->b == 1) &&
        tl__rank_of(tl__s(w, x->type), talk, 3) == 3) {
        size_t na, nb;
        size_t shared = tl__core_shared(w, x, y, &na, &nb);
        if (tl__soft(w, x) || tl__soft(w, y) || (shared >= 2 && shared == na && shared == nb))
            return REL_DAY_APART;
    }
    return REL_NONE;
}

/* ---- classes --------------------------------------------------------------------- */

/* Sets x->sig: "type\x1f" + soft flag + "\x1f" + its distinct core
 * participants ("kind\x1fname\x1e"), sorted.  Two events with the same date
 * interval and signature relate alike to every other event (tl__relation and
 * tl__core_shared read nothing else): they form a class. */
static int tl__signature(tl__work *w, tl__ev *x)
{
    size_t idx[64], n = 0;
    int many = 0;
    for (size_t i = 0; i < x->np; i++)
        if (w->part[x->p0 + i].core) {
            if (n < 64)
                idx[n++] = x->p0 + i;
            else
                many = 1;
        }
    /* insertion sort by (kind, name) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            const tl__part *a = &w->part[idx[j - 1]], *b = &w->part[idx[j]];
            int c = strcmp(tl__s(w, a->kind), tl__s(w, b->kind));
            if (!c)
                c = strcmp(tl__s(w, a->name), tl__s(w, b->name));
            if (c <= 0)
                break;
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    tl__buf sig = {0};
    const char *type = tl__s(w, x->type);
    int bad = tl__buf_adds(&sig, type ? type : "") || tl__buf_adds(&sig, tl__soft(w, x) ? "\x1f" "1\x1f" : "\x1f" "0\x1f");
    for (size_t i = 0; i < n && !bad; i++) {
        const tl__part *p = &w->part[idx[i]];
        if (i && p->kind == w->part[idx[i - 1]].kind && p->name == w->part[idx[i - 1]].name)
            continue; /* one actor in two core roles */
        bad = tl__buf_adds(&sig, tl__s(w, p->kind)) || tl__buf_adds(&sig, "\x1f") ||
              tl__buf_adds(&sig, tl__s(w, p->name)) || tl__buf_adds(&sig, "\x1e");
    }
    if (!bad && many) { /* too many to sort here: a class of its own */
        char own[32];
        snprintf(own, sizeof own, "\x1d%lld", (long long)x->id);
        bad = tl__buf_adds(&sig, own);
    }
    if (!bad)
        bad = tl__pool_add(w, (const unsigned char *)sig.s, &x->sig);
    tl__buf_free(&sig);
    return bad;
}

/* ---- loading ------------------------------------------------------------------- */

static const char tl__ev_sql[] =
    "SELECT e.id, e.doc_id, e.idx, d.sha256, e.type, e.status, e.date, e.time, e.sort_begin,"
    " e.sort_end, e.date_source, e.location, e.duration, e.duration_mod, e.planned_duration,"
    " s.timeline_event_id, te.n_sources, te.n_conflicts, s.ord, s.date_relation"
    " FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN timeline_sources s ON s.event_id = e.id"
    " LEFT JOIN timeline_events te ON te.id = s.timeline_event_id WHERE e.id = ?1";
static const char tl__part_sql[] =
    "SELECT a.name, a.kind, a.country, p.role FROM event_participants p JOIN actors a ON a.id = p.actor_id"
    " WHERE p.event_id = ?1 ORDER BY a.idx, p.role";

/* How a source dates the happening against the lead
 * (timeline_sources.date_relation). */
static const char *const tl__rels[] = {"lead", "same", "coarser", "day_apart", "undated"};

static const char *tl__rel_of(const unsigned char *s)
{
    for (size_t i = 0; s && i < sizeof tl__rels / sizeof tl__rels[0]; i++)
        if (strcmp((const char *)s, tl__rels[i]) == 0)
            return tl__rels[i];
    return NULL;
}

/* ---- the event cache ---------------------------------------------------------- */

/* Events as tl__load_event read them.  A document that reports a
 * happening with n sources loads all n of them (its component), so without
 * the cache each such ingest read n events and their participants again.
 * Stored events never change; where one is clustered does, and only
 * tl__write_cluster and tl__update_cluster change it, so they keep the
 * cache up to date (tl__evcache_where).
 *
 * Bounded, in two generations: events go into the young one; when it holds
 * TL__CACHE_EVENTS events, 4 x TL__CACHE_EVENTS participants or
 * TL__CACHE_BYTES in its strings, shapes and participants (tl__evgen_bytes),
 * the old one is dropped and the young one becomes old.  An event found in
 * the old one is copied into the young one, so what the recent documents
 * used survives (a single table emptied when full read the large clusters
 * back from SQLite after every emptying: at 50 MB, 600,000 reads of
 * 104,000 events).
 * An event takes about 110 bytes in the benchmark (its tl__cev, its slot
 * in the table of ids, its share of the strings and shapes, which each
 * generation keeps once), so the cache takes about 12 MB; the benchmark's
 * 200 MB corpus, with happenings reported 600 times (and one 6,000 times),
 * needs about this many to keep the large clusters' events.  Whatever the
 * text, a generation holds at most 3 MB of events, 1.5 MB of id slots and
 * TL__CACHE_BYTES of strings, shapes and participants (and one event past
 * it): about 15 MB in all.  That bounds what it holds; the arrays of
 * strings, shapes and participants grow by doubling and are kept when it is
 * emptied, so they can take up to twice what they hold.  Text whose events
 * share no shape (each one its own place, duration or participants) turns
 * a generation over at 25,000-31,000 events, not 49,152: memory stays
 * bounded, and more events are read again (bench/README.md, session 11). */
#define TL__CACHE_EVENTS 49152
#define TL__CACHE_BYTES (3u << 20)

/* An event as the cache keeps it: tl__ev in a quarter of the space.
 * Strings are offsets + 1 into the generation's pool, 0 for NULL; old_rel
 * indexes tl__rels, -1 for NULL.  What the reports of one happening share
 * -- every string but sha, and the participants -- is kept once, as a
 * shape: the benchmark's 49,152 latest events have 6,286 shapes, and each
 * event kept its own took 120 bytes and 1.3 participants of 20. */
enum { TL__N_EV_STRINGS = 13, TL__N_SHAPE_STRINGS = TL__N_EV_STRINGS - 1 };
typedef struct tl__cev {
    int64_t id, doc_id, old_te, old_ord;
    int32_t idx, b, e, old_n, old_nconf;
    uint32_t sha, shape; /* shape: index into the generation's shapes */
    int8_t rank_src, rank_status, old_rel;
} tl__cev;
typedef struct tl__cpart {
    uint32_t name, kind, country, role; /* as sha above */
    int32_t core;
} tl__cpart;
typedef struct tl__cshape {
    uint32_t str[TL__N_SHAPE_STRINGS]; /* type ... sig, in TL__EV_STRINGS order after sha */
    uint32_t p0, hash;                  /* participants [p0, p0 + np) of part */
    uint16_t np;
} tl__cshape;

typedef struct tl__evgen {
    uint64_t epoch; /* changes when the generation is emptied (tl__memo) */
    int64_t *key; /* open addressing over ids (0 = free), value in at */
    uint32_t *at;
    size_t cap;
    tl__cev *ev;
    size_t n_ev, cap_ev;
    tl__cpart *part;
    size_t n_part, cap_part;
    tl__cshape *shape;
    size_t n_shape, cap_shape;
    uint32_t *shape_slot; /* open addressing over shape index + 1 (0 = free) */
    size_t shape_slots;
    tl__buf pool;
    tl__strset strs; /* the pool's strings, each kept once: events share most */
} tl__evgen;

/* A string of a generation already copied into the working set by this
 * refresh (run): an event's strings are mostly ones loaded before (a
 * class's dates and signature, types, names), so each is hashed once, not
 * once per event (tl__wstr). */
#define TL__MEMO 1024
typedef struct tl__memo {
    uint64_t run, epoch;
    uint32_t str;
    tl__off off;
} tl__memo;

/* The same the other way: a string of the working set already kept in a
 * generation by this refresh, so tl__cstr hashes each once, not once per
 * event it puts. */
typedef struct tl__cmemo {
    uint64_t run, epoch;
    uint32_t off1; /* the work's offset + 1: 0 in an entry never set */
    uint32_t str;
} tl__cmemo;

struct tl__comp;
/* A question of a kept component, by hash (tl__comps_index). */
typedef struct tl__qslot {
    int64_t hash; /* 0: free */
    struct tl__comp *comp;
    size_t q;
} tl__qslot;
struct tl__evcache {
    tl__evgen gen[2];
    tl__memo memo[TL__MEMO];
    tl__cmemo cmemo[TL__MEMO];
    uint64_t run; /* refreshes begun: tl__memo entries of older ones are void */
    int young; /* gen[young] takes new events */
    size_t max_events, max_bytes; /* of a generation; 0: TL__CACHE_EVENTS, TL__CACHE_BYTES */
    int64_t data_version;
    /* the components kept (tl__comp), their events in all, the limits
     * (0: TL__COMP_MIN, TL__COMP_EVENTS), uses and hits */
    struct tl__comp **comp;
    size_t n_comp, cap_comp, comp_events, comp_min, comp_max;
    uint64_t comp_tick, comp_hits, comp_keeps, refreshes;
    uint64_t loads[2]; /* events loaded from the cache, from SQLite (tl__load_counts) */
    int64_t ord_gap; /* 0: TL__ORD_GAP (tl__comp_limit) */
    int whole;       /* gather a document's components at once (tl__gather_apart) */
    tl__qslot *qmap; /* every kept component's questions (stale: rebuilt when next needed) */
    size_t qcap;
    int qstale;
};

/* Frees what a work needs only while it is clustered (tl__rebuild_loaded
 * makes it again). */
static void tl__work_scratch_free(tl__work *w)
{
    int **v[] = {&w->cl_first, &w->cl_next, &w->active, &w->cl_last, &w->cl_rep, &w->rep_next, &w->same_doc};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        free(*v[i]);
        *v[i] = NULL;
    }
    free(w->cl_end);
    free(w->lost);
    free(w->mp);
    free(w->key);
    w->cl_end = NULL;
    w->lost = NULL;
    w->mp = NULL;
    w->key = NULL;
    w->cap_cl = w->n_lost = w->cap_lost = w->n_mp = w->cap_mp = w->cap_key = 0;
}

/* The same for a kept work, and its arrays' room beyond 1/8 more than they
 * hold. */
static void tl__work_trim(tl__work *w)
{
    tl__work_scratch_free(w);
    const size_t ne = w->n_ev + w->n_ev / 8 + 1, np = w->n_part + w->n_part / 8 + 1;
    tl__ev *e = ne < w->cap_ev ? realloc(w->ev, ne * sizeof *e) : NULL;
    if (e) {
        w->ev = e;
        w->cap_ev = ne;
    }
    tl__part *p = np < w->cap_part ? realloc(w->part, np * sizeof *p) : NULL;
    if (p) {
        w->part = p;
        w->cap_part = np;
    }
}

static void tl__comps_drop(tl__evcache *c, size_t i);

static tl__evcache *tl__evcache_of(tl_db *db)
{
    if (!db->evcache && (db->evcache = calloc(1, sizeof *db->evcache)) != NULL)
        db->evcache->gen[1].epoch = 1;
    return db->evcache;
}

int tl__evcache_limit(tl_db *db, size_t events, size_t bytes)
{
    tl__evcache_free(db); /* the tables are sized by the limit */
    tl__evcache *c = tl__evcache_of(db);
    if (!c)
        return SQLITE_NOMEM;
    c->max_events = events;
    c->max_bytes = bytes;
    return SQLITE_OK;
}

static void tl__evgen_clear(tl__evgen *g)
{
    g->epoch += 2; /* (gen[1]'s are odd: an epoch names one generation's contents) */
    if (g->key)
        memset(g->key, 0, g->cap * sizeof *g->key);
    if (g->strs.slot)
        memset(g->strs.slot, 0, g->strs.cap * sizeof *g->strs.slot);
    if (g->shape_slot)
        memset(g->shape_slot, 0, g->shape_slots * sizeof *g->shape_slot);
    g->strs.n = 0;
    g->n_ev = g->n_part = g->n_shape = 0;
    g->pool.len = 0;
}

void tl__evcache_clear(tl_db *db)
{
    tl__evcache *c = db ? db->evcache : NULL;
    if (!c)
        return;
    tl__evgen_clear(&c->gen[0]);
    tl__evgen_clear(&c->gen[1]);
    while (c->n_comp)
        tl__comps_drop(c, c->n_comp - 1);
}

void tl__evcache_free(tl_db *db)
{
    tl__evcache *c = db ? db->evcache : NULL;
    if (!c)
        return;
    for (int i = 0; i < 2; i++) {
        tl__evgen *g = &c->gen[i];
        free(g->key);
        free(g->at);
        free(g->ev);
        free(g->part);
        free(g->shape);
        free(g->shape_slot);
        free(g->strs.slot);
        tl__buf_free(&g->pool);
    }
    while (c->n_comp)
        tl__comps_drop(c, c->n_comp - 1);
    free(c->comp);
    free(c->qmap);
    free(c);
    db->evcache = NULL;
}

int tl__evcache_check(tl_db *db)
{
    sqlite3_stmt *st = NULL;
    int rc = tl__prepare(db, "PRAGMA data_version", &st);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const int64_t v = sqlite3_column_int64(st, 0);
        tl__evcache *c = tl__evcache_of(db); /* (made here, it learns the version before it holds anything:
                                                 made by the refresh, it took 0 and was emptied at the next write) */
        if (c && c->data_version != v) {
            tl__evcache_clear(db);
            c->data_version = v;
        }
        rc = SQLITE_OK;
    }
    tl__release(db, st);
    return rc;
}

/* Event id in generation g, or NULL. */
static tl__cev *tl__evgen_find(const tl__evgen *g, int64_t id)
{
    if (!g->key)
        return NULL;
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (g->cap - 1);
    for (; g->key[h]; h = (h + 1) & (g->cap - 1))
        if (g->key[h] == id)
            return &g->ev[g->at[h]];
    return NULL;
}

/* Array v (capacity *cap) with room for need elements of size bytes,
 * doubling from first, but growing no further than max when need fits in
 * it; NULL when out of memory (v is then unchanged). */
static void *tl__reserve_max(void *v, size_t *cap, size_t need, size_t size, size_t first, size_t max)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    if (c > max && need <= max)
        c = max;
    void *p = realloc(v, c * size);
    if (p)
        *cap = c;
    return p;
}

/* The same with no bound. */
static void *tl__reserve(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
    return tl__reserve_max(v, cap, need, size, first, SIZE_MAX);
}

/* The string fields of an event: sha, then its shape's (tl__cshape.str). */
#define TL__EV_STRINGS(x)                                                                                  \
    {&(x)->sha,        &(x)->type,     &(x)->status,      &(x)->date,     &(x)->time,     &(x)->sort_begin, \
     &(x)->sort_end,   &(x)->date_source, &(x)->location, &(x)->duration, &(x)->duration_mod,             \
     &(x)->planned,    &(x)->sig}

/* String off of src (the pool of the work c's run loads into) kept in g's
 * pool: *out = its offset + 1 (0 for NULL). */
static int tl__cstr(tl__evcache *c, tl__evgen *g, const tl__buf *src, tl__off off, uint32_t *out)
{
    tl__off at = 0;
    if (off == TL__NONE) {
        *out = 0;
        return 0;
    }
    tl__cmemo *m = &c->cmemo[(off ^ (uint32_t)g->epoch) & (TL__MEMO - 1)];
    if (m->run == c->run && m->epoch == g->epoch && m->off1 == off + 1) {
        *out = m->str;
        return 0;
    }
    if (tl__intern(&g->pool, &g->strs, src->s + off, &at))
        return -1;
    *out = at + 1;
    *m = (tl__cmemo){c->run, g->epoch, off + 1, *out};
    return 0;
}

static uint32_t tl__shape_hash(const tl__cshape *sh, const tl__cpart *part)
{
    uint64_t h = sh->np;
    for (int i = 0; i < TL__N_SHAPE_STRINGS; i++)
        h = (h ^ sh->str[i]) * 0x9E3779B97F4A7C15ULL;
    for (size_t k = 0; k < sh->np; k++) {
        const tl__cpart *p = &part[k];
        const uint32_t v[] = {p->name, p->kind, p->country, p->role, (uint32_t)p->core};
        for (int i = 0; i < 5; i++)
            h = (h ^ v[i]) * 0x9E3779B97F4A7C15ULL;
    }
    return (uint32_t)(h >> 32);
}

/* The index of shape sh (participants at g->part + sh->p0, just past the
 * kept ones) in g, added with them if g has no such shape yet; -1 when
 * out of memory.  Equal shapes have equal offsets: the pool keeps each
 * string once. */
static int64_t tl__shape_put(tl__evgen *g, tl__cshape *sh, size_t max_events)
{
    sh->hash = tl__shape_hash(sh, &g->part[sh->p0]);
    if ((g->n_shape + 1) * 2 > g->shape_slots) {
        const size_t cap = g->shape_slots ? g->shape_slots * 2 : 1024;
        uint32_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < g->n_shape; i++) {
            size_t h = g->shape[i].hash & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = (uint32_t)i + 1;
        }
        free(g->shape_slot);
        g->shape_slot = slot;
        g->shape_slots = cap;
    }
    size_t h = sh->hash & (g->shape_slots - 1);
    for (; g->shape_slot[h]; h = (h + 1) & (g->shape_slots - 1)) {
        const tl__cshape *o = &g->shape[g->shape_slot[h] - 1];
        if (o->hash == sh->hash && o->np == sh->np && !memcmp(o->str, sh->str, sizeof o->str) &&
            (!sh->np || !memcmp(&g->part[o->p0], &g->part[sh->p0], sh->np * sizeof *g->part)))
            return g->shape_slot[h] - 1;
    }
    tl__cshape *v = tl__reserve_max(g->shape, &g->cap_shape, g->n_shape + 1, sizeof *v, 256, max_events);
    if (!v)
        return -1;
    g->shape = v;
    g->shape[g->n_shape] = *sh;
    g->shape_slot[h] = (uint32_t)g->n_shape + 1;
    g->n_part += sh->np;
    return (int64_t)g->n_shape++;
}

/* Appends event x (participants xpart, strings in src) to g, which holds
 * fewer than max_events events and room for x's participants within
 * 4 x max_events (tl__evcache_put turns it over first); -1 when out of
 * memory (g is then in an unknown state: empty it).  The events' array is
 * made whole at once and the others grow up to their bound, not past it:
 * the generations are the largest arrays of an ingest, and doubling them
 * left megabytes of heap that a full generation never uses (fresh memory
 * is touched only as events come). */
static int tl__cev_put(tl__evcache *c, tl__evgen *g, const tl__ev *x, const tl__part *xpart, const tl__buf *src,
                       size_t max_events)
{
    if (x->np > UINT16_MAX || g->n_part + x->np > UINT32_MAX)
        return -1;
    tl__cev *ve = tl__reserve(g->ev, &g->cap_ev, g->n_ev + 1, sizeof *g->ev, max_events);
    if (!ve)
        return -1;
    g->ev = ve;
    /* (made at the first event, even one without participants: a shape's
     * participants are hashed and compared at g->part + p0) */
    const size_t need = g->n_part + x->np ? g->n_part + x->np : 1;
    tl__cpart *vp = tl__reserve_max(g->part, &g->cap_part, need, sizeof *vp, 128, 4 * max_events);
    if (!vp)
        return -1;
    g->part = vp;
    tl__cev *y = &g->ev[g->n_ev];
    y->id = x->id;
    y->doc_id = x->doc_id;
    y->old_te = x->old_te;
    y->idx = x->idx;
    y->b = x->b;
    y->e = x->e;
    y->old_n = (int32_t)x->old_n;
    y->old_nconf = (int32_t)x->old_nconf;
    y->old_ord = x->old_ord;
    y->rank_src = (int8_t)x->rank_src;
    y->rank_status = (int8_t)x->rank_status;
    y->old_rel = -1;
    for (int i = 0; x->old_rel && i < (int)(sizeof tl__rels / sizeof tl__rels[0]); i++)
        if (x->old_rel == tl__rels[i])
            y->old_rel = (int8_t)i;
    tl__ev tmp = *x; /* (TL__EV_STRINGS takes addresses) */
    const tl__off *offs[TL__N_EV_STRINGS] = TL__EV_STRINGS(&tmp);
    tl__cshape sh = {.p0 = (uint32_t)g->n_part, .np = (uint16_t)x->np};
    int bad = tl__cstr(c, g, src, *offs[0], &y->sha);
    for (int i = 1; i < TL__N_EV_STRINGS; i++)
        bad |= tl__cstr(c, g, src, *offs[i], &sh.str[i - 1]);
    for (size_t k = 0; k < x->np; k++) { /* past the kept ones: tl__shape_put keeps them, or not */
        tl__cpart *p = &g->part[g->n_part + k];
        const tl__part *q = &xpart[k];
        bad |= tl__cstr(c, g, src, q->name, &p->name) | tl__cstr(c, g, src, q->kind, &p->kind) |
               tl__cstr(c, g, src, q->country, &p->country) | tl__cstr(c, g, src, q->role, &p->role);
        p->core = q->core;
    }
    const int64_t shape = bad ? -1 : tl__shape_put(g, &sh, max_events);
    if (shape < 0)
        return -1;
    y->shape = (uint32_t)shape;
    g->n_ev++;
    return 0;
}

/* String str (offset + 1 into g's pool, 0 for NULL) added to w's pool. */
static int tl__wstr(tl__work *w, const tl__evgen *g, uint32_t str, tl__off *off)
{
    if (!str) {
        *off = TL__NONE;
        return 0;
    }
    tl__memo *m = &w->cache->memo[(str ^ (uint32_t)g->epoch) & (TL__MEMO - 1)];
    if (m->run == w->cache->run && m->epoch == g->epoch && m->str == str) {
        *off = m->off;
        return 0;
    }
    if (tl__pool_add(w, (const unsigned char *)g->pool.s + str - 1, off))
        return -1;
    *m = (tl__memo){w->cache->run, g->epoch, str, *off};
    return 0;
}

/* Appends cached event y of g to w; an SQLite code. */
static int tl__cev_get(tl__work *w, const tl__evgen *g, const tl__cev *y)
{
    tl__ev *ve = tl__reserve(w->ev, &w->cap_ev, w->n_ev + 1, sizeof *w->ev, 64);
    if (!ve)
        return SQLITE_NOMEM;
    w->ev = ve;
    const size_t need = w->n_part + g->shape[y->shape].np; /* (w->part is made even for none: NULL is no room) */
    tl__part *vp = tl__reserve(w->part, &w->cap_part, need ? need : 1, sizeof *w->part, 128);
    if (!vp)
        return SQLITE_NOMEM;
    w->part = vp;
    tl__ev *x = &w->ev[w->n_ev];
    memset(x, 0, sizeof *x);
    x->id = y->id;
    x->doc_id = y->doc_id;
    x->old_te = y->old_te;
    x->idx = y->idx;
    x->b = y->b;
    x->e = y->e;
    x->old_n = y->old_n;
    x->old_nconf = y->old_nconf;
    x->old_ord = y->old_ord;
    x->old_rel = y->old_rel >= 0 ? tl__rels[y->old_rel] : NULL;
    x->rank_src = y->rank_src;
    x->rank_status = y->rank_status;
    x->cluster = -1;
    const tl__cshape *sh = &g->shape[y->shape];
    tl__off *offs[TL__N_EV_STRINGS] = TL__EV_STRINGS(x);
    int bad = tl__wstr(w, g, y->sha, offs[0]);
    for (int i = 1; i < TL__N_EV_STRINGS; i++)
        bad |= tl__wstr(w, g, sh->str[i - 1], offs[i]);
    x->p0 = w->n_part;
    x->np = sh->np;
    for (size_t k = 0; k < sh->np; k++) {
        const tl__cpart *q = &g->part[sh->p0 + k];
        tl__part *p = &w->part[w->n_part + k];
        bad |= tl__wstr(w, g, q->name, &p->name) | tl__wstr(w, g, q->kind, &p->kind) |
               tl__wstr(w, g, q->country, &p->country) | tl__wstr(w, g, q->role, &p->role);
        p->core = q->core;
    }
    if (bad)
        return SQLITE_NOMEM;
    w->n_part += sh->np;
    w->n_ev++;
    return SQLITE_OK;
}

/* What g's strings, shapes and participants take: the part of a
 * generation that depends on how much its events share (tl__evcache_put
 * bounds it by TL__CACHE_BYTES).  Their tables of slots are at most half
 * full and count two slots an entry: by what is in them, not by their
 * size, which an emptied generation keeps. */
static size_t tl__evgen_bytes(const tl__evgen *g)
{
    return g->pool.len + g->strs.n * 2 * sizeof *g->strs.slot +
           g->n_shape * (sizeof *g->shape + 2 * sizeof *g->shape_slot) + g->n_part * sizeof *g->part;
}

/* Adds event x (participants xpart, strings in src) to the young
 * generation, turning it old first when it is full; a failure only leaves
 * the event out. */
static void tl__evcache_put(tl__evcache *c, tl__ev *x, const tl__part *xpart, const tl__buf *src)
{
    if (!c)
        return;
    const size_t max_events = c->max_events ? c->max_events : TL__CACHE_EVENTS;
    if (x->np > max_events)
        return; /* (a list of thousands of participants is read again when needed) */
    tl__evgen *g = &c->gen[c->young];
    /* full: events, bytes, or participants (1.7 an event in the fixtures) */
    if (g->n_ev >= max_events || tl__evgen_bytes(g) >= (c->max_bytes ? c->max_bytes : TL__CACHE_BYTES) ||
        g->n_part + x->np > 4 * max_events) {
        c->young ^= 1;
        g = &c->gen[c->young];
        tl__evgen_clear(g);
    }
    if (!g->key) {
        for (g->cap = 16; g->cap < 2 * max_events;) /* a power of two, at most half full */
            g->cap *= 2;
        g->key = calloc(g->cap, sizeof *g->key);
        g->at = malloc(g->cap * sizeof *g->at);
        if (!g->key || !g->at) {
            free(g->key);
            free(g->at);
            g->key = NULL;
            g->at = NULL;
            return;
        }
    }
    size_t h = (size_t)((uint64_t)x->id * 0x9E3779B97F4A7C15ULL) & (g->cap - 1);
    for (; g->key[h]; h = (h + 1) & (g->cap - 1))
        if (g->key[h] == x->id) {
            x->c_epoch = g->epoch + 1;
            x->c_at = g->at[h];
            return;
        }
    const size_t n_ev = g->n_ev;
    if (tl__cev_put(c, g, x, xpart, src, max_events)) {
        tl__evgen_clear(g);
        return;
    }
    g->key[h] = x->id;
    g->at[h] = (uint32_t)n_ev;
    x->c_epoch = g->epoch + 1;
    x->c_at = (uint32_t)n_ev;
}

/* Records in cache record x where its event is clustered now (te 0:
 * nowhere). */
static void tl__cev_where(tl__cev *x, int64_t te, int64_t n, int64_t nconf, int64_t ord, const char *rel)
{
    int8_t r = -1;
    for (int i = 0; rel && i < (int)(sizeof tl__rels / sizeof tl__rels[0]); i++)
        if (rel == tl__rels[i])
            r = (int8_t)i;
    x->old_te = te;
    x->old_n = te ? (int32_t)n : 0;
    x->old_nconf = te ? (int32_t)nconf : 0;
    x->old_ord = te ? ord : 0;
    x->old_rel = te ? r : -1;
}

/* The same for cached event id, in both generations. */
static void tl__evcache_where(tl__evcache *c, int64_t id, int64_t te, int64_t n, int64_t nconf, int64_t ord,
                              const char *rel)
{
    for (int i = 0; c && i < 2; i++) {
        tl__cev *x = tl__evgen_find(&c->gen[i], id);
        if (x)
            tl__cev_where(x, te, n, nconf, ord, rel);
    }
}

/* The same for loaded event x, in the record it was loaded from or put
 * in, without a lookup.  That record is the one read next: an event
 * loaded from the old generation was copied into the young one, and an
 * old generation's copy is never read while the young one holds the
 * event (lookups try the young one first, and a turn drops the old).  An
 * event of a kept component (tl__comp) may have been loaded refreshes
 * ago; its record is still the only one: another is made only by a
 * refresh that loads the event, which drops the component. */
static void tl__evcache_set(tl__evcache *c, const tl__ev *x, int64_t te, int64_t n, int64_t nconf, int64_t ord,
                            const char *rel)
{
    for (int i = 0; c && x->c_epoch && i < 2; i++) {
        tl__evgen *g = &c->gen[i];
        if (g->epoch + 1 == x->c_epoch && x->c_at < g->n_ev && g->ev[x->c_at].id == x->id)
            tl__cev_where(&g->ev[x->c_at], te, n, nconf, ord, rel);
    }
}

/* What a loader reads with: the statements and the cache (may be NULL). */
typedef struct tl__loader {
    sqlite3_stmt *es, *ps;
    tl__evcache *cache;
} tl__loader;

/* Appends event id from the cache (from the old generation, it is also
 * copied into the young one); 1 when it was not there, else an SQLite
 * code. */
static int tl__load_cached(tl__work *w, const tl__loader *ld, int64_t id)
{
    tl__evcache *c = ld->cache;
    if (!c)
        return 1;
    tl__evgen *g = &c->gen[c->young];
    const tl__cev *x = tl__evgen_find(g, id);
    if (!x) {
        g = &c->gen[c->young ^ 1];
        x = tl__evgen_find(g, id);
    }
    if (!x)
        return 1;
    int rc = tl__cev_get(w, g, x);
    if (rc != SQLITE_OK)
        return rc;
    tl__ev *y = &w->ev[w->n_ev - 1];
    y->c_epoch = g->epoch + 1;
    y->c_at = (uint32_t)(x - g->ev);
    if (g != &c->gen[c->young]) /* (from the copy in w: the old generation may be dropped meanwhile) */
        tl__evcache_put(c, y, &w->part[y->p0], &w->pool);
    return SQLITE_OK;
}

/* Appends event id with its participants to w. */
static int tl__load_event(tl__work *w, const tl__loader *ld, int64_t id)
{
    int crc = tl__load_cached(w, ld, id);
    if (crc == SQLITE_OK)
        ld->cache->loads[0]++;
    if (crc != 1)
        return crc;
    sqlite3_stmt *es = ld->es, *ps = ld->ps;
    tl__ev *ve = tl__reserve(w->ev, &w->cap_ev, w->n_ev + 1, sizeof *w->ev, 64);
    if (!ve)
        return SQLITE_NOMEM;
    w->ev = ve;
    sqlite3_bind_int64(es, 1, id);
    int rc = sqlite3_step(es);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(es);
        return rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
    }
    tl__ev *x = &w->ev[w->n_ev];
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(es, 0);
    x->doc_id = sqlite3_column_int64(es, 1);
    x->idx = sqlite3_column_int(es, 2);
    tl__off *offs[] = {&x->sha,      &x->type,         &x->status,      &x->date,     &x->time,
                      &x->sort_begin, &x->sort_end,  &x->date_source, &x->location, &x->duration,
                      &x->duration_mod, &x->planned};
    int bad = 0;
    for (int i = 0; i < 12; i++)
        bad |= tl__pool_add(w, sqlite3_column_text(es, 3 + i), offs[i]);
    x->old_te = sqlite3_column_int64(es, 15);
    x->old_n = sqlite3_column_int64(es, 16);
    x->old_nconf = sqlite3_column_int64(es, 17);
    x->old_ord = sqlite3_column_int64(es, 18);
    x->old_rel = tl__rel_of(sqlite3_column_text(es, 19));
    sqlite3_reset(es);
    if (bad)
        return SQLITE_NOMEM;
    if (!tl__interval(tl__s(w, x->sort_begin), tl__s(w, x->sort_end), &x->b, &x->e))
        x->b = x->e = 0;
    static const char *const srcs[] = {"text", "narrative", "dct"};
    static const char *const stats[] = {"occurred", "cancelled", "planned", "negated"};
    x->rank_src = tl__rank_of(tl__s(w, x->date_source), srcs, 3);
    x->rank_status = tl__rank_of(tl__s(w, x->status), stats, 4);
    x->cluster = -1;

    x->p0 = w->n_part;
    sqlite3_bind_int64(ps, 1, id);
    while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
        tl__part *vp = tl__reserve(w->part, &w->cap_part, w->n_part + 1, sizeof *w->part, 128);
        if (!vp) {
            sqlite3_reset(ps);
            return SQLITE_NOMEM;
        }
        w->part = vp;
        tl__part *p = &w->part[w->n_part];
        bad = tl__pool_add(w, sqlite3_column_text(ps, 0), &p->name) |
              tl__pool_add(w, sqlite3_column_text(ps, 1), &p->kind) |
              tl__pool_add(w, sqlite3_column_text(ps, 2), &p->country) |
              tl__pool_add(w, sqlite3_column_text(ps, 3), &p->role);
        if (bad || p->name == TL__NONE || p->kind == TL__NONE || p->role == TL__NONE) {
            sqlite3_reset(ps);
            return bad ? SQLITE_NOMEM : SQLITE_CORRUPT;
        }
        p->core = sx_role_is_core(tl__s(w, p->role));
        w->n_part++;
    }
    sqlite3_reset(ps);
    if (rc != SQLITE_DONE)
        return rc;
    x->np = w->n_part - x->p0;
    if (tl__signature(w, x))
        return SQLITE_NOMEM;
    w->n_ev++;
    tl__evcache_put(ld->cache, x, &w->part[x->p0], &w->pool);
    if (ld->cache)
        ld->cache->loads[1]++;
    return SQLITE_OK;
}

/* ---- clustering ------------------------------------------------------------------- */

/* Member lists are singly linked through cl_next (by event index), heads in
 * cl_first and latest member ends in cl_end (by cluster). */
static int tl__grow_clusters(tl__work *w, size_t n)
{
    if (n <= w->cap_cl)
        return 0;
    int *f = realloc(w->cl_first, n * sizeof *f);
    if (!f)
        return -1;
    w->cl_first = f;
    int *nx = realloc(w->cl_next, n * sizeof *nx);
    if (!nx)
        return -1;
    w->cl_next = nx;
    int32_t *ce = realloc(w->cl_end, n * sizeof *ce);
    if (!ce)
        return -1;
    w->cl_end = ce;
    int *ac = realloc(w->active, n * sizeof *ac);
    if (!ac)
        return -1;
    w->active = ac;
    int **more[] = {&w->cl_last, &w->cl_rep, &w->rep_next, &w->same_doc};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        int *v = realloc(*more[i], n * sizeof *v);
        if (!v)
            return -1;
        *more[i] = v;
    }
    w->cap_cl = n;
    return 0;
}

/* Assigns ev[i].cluster for the loaded events, which are in component
 * order (tl__ev_cmp) with their classes set; returns the number of
 * clusters.  A cluster stays a candidate while the latest end among its
 * members reaches the next event's start.  A candidate is checked against
 * one member per class (cl_rep, rep_next: the members of one class relate
 * alike to x), and is barred when it holds an event of x's document
 * (same_doc links each event to the previous one of its document).  A class
 * is contiguous in the order, so a member repeats a class already in its
 * cluster exactly when it repeats the class of the cluster's last member. */
static int tl__cluster_component(tl__work *w)
{
    int n_cl = 0;
    size_t n_active = 0;
    for (size_t i = 0; i < w->n_ev; i++) {
        tl__ev *x = &w->ev[i];
        int best = -1, best_rel = REL_NONE;
        size_t best_shared = 0, keep = 0;
        for (size_t k = 0; k < n_active; k++) {
            const int c = w->active[k];
            if (w->cl_end[c] < x->b)
                continue; /* ended before x starts: never again a candidate */
            w->active[keep++] = c;
            int worst = REL_SAME, ok = 1;
            size_t shared = 0;
            for (int j = w->same_doc[i]; j >= 0 && ok; j = w->same_doc[j])
                if (w->ev[j].cluster == c)
                    ok = 0; /* at most one event per document */
            for (int m = w->cl_rep[c]; m >= 0 && ok; m = w->rep_next[m]) {
                const tl__ev *y = &w->ev[m];
                if (y->type != x->type) {
                    ok = 0;
                    break;
                }
                int rel = tl__relation(w, x, y);
                if (rel == REL_NONE)
                    ok = 0;
                else if (rel > worst)
                    worst = rel;
                size_t na, nb;
                size_t sh = tl__core_shared(w, x, y, &na, &nb);
                /* one's core participants within the other's, or two shared */
                if (sh == 0 || (sh < na && sh < nb && sh < 2))
                    ok = 0;
                if (sh > shared)
                    shared = sh;
            }
            if (!ok)
                continue;
            if (best < 0 || worst < best_rel || (worst == best_rel && shared > best_shared)) {
                best = c;
                best_rel = worst;
                best_shared = shared;
            }
        }
        n_active = keep;
        w->cl_next[i] = -1;
        w->rep_next[i] = -1;
        if (best < 0) {
            best = n_cl++;
            w->cl_first[best] = w->cl_last[best] = w->cl_rep[best] = (int)i;
            w->cl_end[best] = x->e;
            w->active[n_active++] = best;
        } else { /* append, keeping members in order */
            const int last = w->cl_last[best];
            w->cl_next[last] = (int)i;
            w->cl_last[best] = (int)i;
            if (w->ev[last].cls != x->cls) { /* a new class in this cluster */
                int m = w->cl_rep[best];
                while (w->rep_next[m] >= 0)
                    m = w->rep_next[m];
                w->rep_next[m] = (int)i;
            }
            if (x->e > w->cl_end[best])
                w->cl_end[best] = x->e;
        }
        x->cluster = best;
    }
    return n_cl;
}

/* Rank order of two members (see the module comment). */
static int tl__rank_cmp(const tl__work *w, size_t i, size_t j)
{
    const tl__ev *a = &w->ev[i], *b = &w->ev[j];
    if ((a->e - a->b) != (b->e - b->b))
        return (a->e - a->b) < (b->e - b->b) ? -1 : 1;
    if (a->rank_src != b->rank_src)
        return a->rank_src < b->rank_src ? -1 : 1;
    if (a->rank_status != b->rank_status)
        return a->rank_status < b->rank_status ? -1 : 1;
    const int ta = a->time != TL__NONE, tb = b->time != TL__NONE;
    if (ta != tb)
        return ta ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* ---- writing one cluster ------------------------------------------------------------ */

enum {
    W_EVENT, W_SOURCE, W_PART, W_CONFLICT, W_DELETE, W_MEMBERS, W_ORPHAN, W_DOC_EVENTS, W_UNCLUSTERED,
    W_EVENT_SET, W_EVENT_COUNTS, W_SOURCE_SET, W_PARTS_OF, W_PART_SET, W_CONFLICT_ANY, W_CONFLICT_DROP, W_COUNT
};

static const char *const tl__write_sql[W_COUNT] = {
    /* the cameo code and summary are the lead's (?16).  (Not INSERT ...
     * SELECT: a statement that may write several rows gets a statement
     * journal, which made this insert 15 times slower.) */
    [W_EVENT] = "INSERT INTO timeline_events (key, type, cameo, status, date, time, sort_begin, sort_end,"
                " location, duration, duration_mod, planned_duration, summary, n_sources, n_conflicts,"
                " lead_event_id) VALUES (?1, ?2, (SELECT cameo FROM events WHERE id = ?16), ?4, ?5, ?6, ?7, ?8,"
                " ?9, ?10, ?11, ?12, (SELECT summary FROM events WHERE id = ?16), ?14, ?15, ?16)",
    [W_SOURCE] = "INSERT INTO timeline_sources (timeline_event_id, event_id, doc_id, ord, date_relation)"
                 " VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_PART] = "INSERT INTO timeline_participants (timeline_event_id, ord, name, kind, country, role, core,"
               " n_sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)"
               " ON CONFLICT DO UPDATE SET n_sources = n_sources + 1",
    [W_CONFLICT] = "INSERT OR IGNORE INTO timeline_conflicts (timeline_event_id, field, event_id, value)"
                   " VALUES (?1, ?2, ?3, ?4)",
    [W_DELETE] = "DELETE FROM timeline_events WHERE id = ?1",
    [W_MEMBERS] = "SELECT event_id FROM timeline_sources WHERE timeline_event_id = ?1",
    [W_ORPHAN] = "DELETE FROM timeline_events WHERE id = ?1 AND NOT EXISTS"
                 " (SELECT 1 FROM timeline_sources s WHERE s.timeline_event_id = ?1)",
    [W_DOC_EVENTS] = "SELECT e.id FROM events e WHERE e.doc_id = ?1 AND NOT EXISTS"
                     " (SELECT 1 FROM timeline_sources s WHERE s.event_id = e.id) ORDER BY e.idx",
    [W_UNCLUSTERED] = "SELECT 1 FROM events e WHERE e.id = ?1 AND NOT EXISTS"
                      " (SELECT 1 FROM timeline_sources s WHERE s.event_id = e.id)",
    /* a grown cluster, updated in place (tl__update_cluster); parameters as in W_EVENT, ?17 the id */
    [W_EVENT_SET] = "UPDATE timeline_events SET key = ?1, type = ?2,"
                    " cameo = (SELECT cameo FROM events WHERE id = ?16), status = ?4, date = ?5,"
                    " time = ?6, sort_begin = ?7, sort_end = ?8, location = ?9, duration = ?10,"
                    " duration_mod = ?11, planned_duration = ?12,"
                    " summary = (SELECT summary FROM events WHERE id = ?16), n_sources = ?14,"
                    " n_conflicts = ?15, lead_event_id = ?16 WHERE id = ?17",
    /* the same lead: no indexed column changes */
    [W_EVENT_COUNTS] = "UPDATE timeline_events SET status = ?4, time = ?6, location = ?9, duration = ?10,"
                       " duration_mod = ?11, planned_duration = ?12, n_sources = ?14, n_conflicts = ?15"
                       " WHERE id = ?17",
    [W_SOURCE_SET] = "UPDATE timeline_sources SET ord = ?3, date_relation = ?4"
                     " WHERE timeline_event_id = ?1 AND event_id = ?2",
    [W_PARTS_OF] = "SELECT name, kind, role, ord, country, core, n_sources FROM timeline_participants"
                   " WHERE timeline_event_id = ?1",
    [W_PART_SET] = "INSERT INTO timeline_participants (timeline_event_id, ord, name, kind, country, role, core,"
                   " n_sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                   " ON CONFLICT DO UPDATE SET ord = excluded.ord, country = excluded.country,"
                   " core = excluded.core, n_sources = excluded.n_sources",
    [W_CONFLICT_ANY] = "SELECT 1 FROM timeline_conflicts WHERE timeline_event_id = ?1 AND field = ?2 LIMIT 1",
    [W_CONFLICT_DROP] = "DELETE FROM timeline_conflicts WHERE timeline_event_id = ?1 AND field = ?2",
};

static int tl__step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int tl__bind_pool(sqlite3_stmt *st, int i, const tl__work *w, size_t off)
{
    return tl__bind_opt(st, i, tl__s(w, off));
}

/* Records field for every member in order with a value (or every member
 * when all is set), except those already in cluster skip_te (0: none). */
static int tl__put_conflict(sqlite3_stmt *st, const tl__work *w, int64_t te, const char *field,
                            const size_t *ord, size_t n, size_t field_off, int all, int64_t skip_te)
{
    for (size_t k = 0; k < n; k++) {
        const tl__ev *x = &w->ev[ord[k]];
        const tl__off v = *(const tl__off *)((const char *)x + field_off);
        if ((v == TL__NONE && !all) || (skip_te && x->old_te == skip_te))
            continue;
        int rc = sqlite3_bind_int64(st, 1, te);
        rc |= sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
        rc |= sqlite3_bind_int64(st, 3, x->id);
        rc |= tl__bind_pool(st, 4, w, v);
        if (rc != SQLITE_OK)
            return rc;
        if ((rc = tl__step_done(st)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* The time part of a time value ("2008-07-01T15:32" -> "15:32"). */
static const char *tl__tod(const char *t)
{
    const char *p = t ? strchr(t, 'T') : NULL;
    return p ? p + 1 : t;
}

/* What a cluster's row says, read off its ranked members. */
typedef struct tl__sum {
    const tl__ev *lead;
    const char *status;
    tl__off time, place, dur, dmod, planned;
    int conflict[6]; /* by tl__conflict_fields */
    int n_conf;
    char key[40];
} tl__sum;

static const struct {
    const char *field;
    size_t off;
    int all; /* a row for every member, not only those giving a value */
} tl__conflict_fields[6] = {
    {"date", offsetof(tl__ev, date), 1},         {"time", offsetof(tl__ev, time), 0},
    {"location", offsetof(tl__ev, location), 0}, {"duration", offsetof(tl__ev, duration), 0},
    {"planned_duration", offsetof(tl__ev, planned), 0}, {"status", offsetof(tl__ev, status), 1},
};

/* Ranks ord[0..n) (insertion sort: clusters are small, and mostly in
 * order already) and fills m. */
static void tl__summarize(const tl__work *w, size_t *ord, size_t n, tl__sum *m)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && tl__rank_cmp(w, ord[j], ord[j - 1]) < 0; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    const tl__ev *lead = &w->ev[ord[0]];

    /* status, place, durations, time and what disagrees */
    int best_status = 4, has_occurred = 0, has_against = 0;
    tl__off place = TL__NONE, dur = TL__NONE, dmod = TL__NONE, planned = TL__NONE, time = lead->time;
    int c_date = 0, c_time = 0, c_place = 0, c_dur = 0, c_planned = 0;
    for (size_t k = 0; k < n; k++) {
        const tl__ev *x = &w->ev[ord[k]];
        if (x->rank_status < best_status)
            best_status = x->rank_status;
        has_occurred |= x->rank_status == 0;
        has_against |= x->rank_status == 1 || x->rank_status == 3;
        if (k && x->b != lead->b && x->e - x->b == 1 && lead->e - lead->b == 1)
            c_date = 1;
        if (x->time != TL__NONE) {
            if (time == TL__NONE)
                time = x->time;
            else if (strcmp(tl__tod(tl__s(w, x->time)), tl__tod(tl__s(w, time))) != 0)
                c_time = 1;
        }
        if (x->location != TL__NONE) {
            const char *loc = tl__s(w, x->location);
            if (place == TL__NONE)
                place = x->location;
            else if (tl__place_within(tl__s(w, place), loc))
                place = x->location; /* more specific */
            else if (!tl__place_within(loc, tl__s(w, place)))
                c_place = 1;
        }
        if (x->duration != TL__NONE) {
            if (dur == TL__NONE) {
                dur = x->duration;
                dmod = x->duration_mod;
            } else if (strcmp(tl__s(w, dur), tl__s(w, x->duration)) != 0)
                c_dur = 1;
        }
        if (x->planned != TL__NONE) {
            if (planned == TL__NONE)
                planned = x->planned;
            else if (strcmp(tl__s(w, planned), tl__s(w, x->planned)) != 0)
                c_planned = 1;
        }
    }
    static const char *const stats[] = {"occurred", "cancelled", "planned", "negated"};
    m->lead = lead;
    m->status = best_status < 4 ? stats[best_status] : tl__s(w, lead->status);
    m->time = time;
    m->place = place;
    m->dur = dur;
    m->dmod = dmod;
    m->planned = planned;
    const int c[6] = {c_date, c_time, c_place, c_dur, c_planned, has_occurred && has_against};
    m->n_conf = 0;
    for (int i = 0; i < 6; i++)
        m->n_conf += m->conflict[i] = c[i];
    snprintf(m->key, sizeof m->key, "%.16s-e%ld", tl__s(w, lead->sha), (long)lead->idx + 1);
}

/* Binds ?1..?16 of W_EVENT (but ?3 and ?13: the lead's cameo and summary
 * are read in SQL), and the same numbers of W_EVENT_SET and
 * W_EVENT_COUNTS. */
static int tl__bind_sum(sqlite3_stmt *q, const tl__work *w, const tl__sum *m, size_t n)
{
    const tl__ev *lead = m->lead;
    int rc = sqlite3_bind_text(q, 1, m->key, -1, SQLITE_TRANSIENT);
    rc |= tl__bind_pool(q, 2, w, lead->type);
    rc |= tl__bind_req(q, 4, m->status);
    rc |= tl__bind_pool(q, 5, w, lead->date);
    rc |= tl__bind_pool(q, 6, w, m->time);
    rc |= tl__bind_pool(q, 7, w, lead->sort_begin);
    rc |= tl__bind_pool(q, 8, w, lead->sort_end);
    rc |= tl__bind_pool(q, 9, w, m->place);
    rc |= tl__bind_pool(q, 10, w, m->dur);
    rc |= tl__bind_pool(q, 11, w, m->dmod);
    rc |= tl__bind_pool(q, 12, w, m->planned);
    rc |= sqlite3_bind_int64(q, 14, (int64_t)n);
    rc |= sqlite3_bind_int(q, 15, m->n_conf);
    rc |= sqlite3_bind_int64(q, 16, lead->id);
    return rc;
}

/* How member x (rank k) dates the happening against the lead. */
static const char *tl__date_rel(const tl__ev *lead, const tl__ev *x, size_t k)
{
    if (!k)
        return tl__rels[0];
    if (x->e - x->b == 0)
        return tl__rels[4];
    if (x->b == lead->b && x->e == lead->e)
        return tl__rels[1];
    if (x->b <= lead->b && lead->e <= x->e)
        return tl__rels[2];
    return tl__rels[3];
}

/* Inserts member x of cluster te as a source with sort key ord. */
static int tl__insert_source(sqlite3_stmt *q, int64_t te, const tl__ev *x, int64_t ord, const char *rel)
{
    int rc = sqlite3_bind_int64(q, 1, te);
    rc |= sqlite3_bind_int64(q, 2, x->id);
    rc |= sqlite3_bind_int64(q, 3, x->doc_id);
    rc |= sqlite3_bind_int64(q, 4, ord);
    rc |= sqlite3_bind_text(q, 5, rel, -1, SQLITE_STATIC);
    return rc != SQLITE_OK ? rc : tl__step_done(q);
}

/* The step between sort keys (timeline_sources.ord) of a cluster written
 * whole: room for 20 halvings (tl__ord_keys); tests make it smaller
 * (tl__comp_limit). */
#define TL__ORD_GAP ((int64_t)1 << 20)
static int64_t tl__gap(const tl__work *w)
{
    return w->cache && w->cache->ord_gap ? w->cache->ord_gap : TL__ORD_GAP;
}

/* Records in w where members ord[0..n) of cluster te are now, as just
 * written with sort keys key[] (NULL: k x TL__ORD_GAP), for the next
 * refresh of a kept component (tl__comp). */
static void tl__placed(tl__work *w, const size_t *ord, size_t n, int64_t te, int nconf, const int64_t *key)
{
    const tl__ev *lead = &w->ev[ord[0]];
    for (size_t k = 0; k < n; k++) {
        tl__ev *x = &w->ev[ord[k]];
        x->old_rel = tl__date_rel(lead, x, k);
        x->old_te = te;
        x->old_n = (int64_t)n;
        x->old_nconf = nconf;
        x->old_ord = key ? key[k] : (int64_t)k * tl__gap(w);
    }
}

/* Writes a new cluster of members ord[0..n). */
static int tl__write_cluster(sqlite3_stmt *const *s, tl__work *w, size_t *ord, size_t n)
{
    tl__sum m;
    tl__summarize(w, ord, n, &m);
    sqlite3_stmt *q = s[W_EVENT];
    int rc = tl__bind_sum(q, w, &m, n);
    if (rc != SQLITE_OK || (rc = tl__step_done(q)) != SQLITE_OK)
        return rc;
    const int64_t te = sqlite3_last_insert_rowid(sqlite3_db_handle(q));

    int ord_p = 0;
    for (size_t k = 0; k < n; k++) {
        const tl__ev *x = &w->ev[ord[k]];
        const char *rel = tl__date_rel(m.lead, x, k);
        if ((rc = tl__insert_source(s[W_SOURCE], te, x, (int64_t)k * tl__gap(w), rel)) != SQLITE_OK)
            return rc;
        tl__evcache_set(w->cache, x, te, (int64_t)n, m.n_conf, (int64_t)k * tl__gap(w), rel);
        q = s[W_PART];
        for (size_t i = 0; i < x->np; i++) {
            const tl__part *p = &w->part[x->p0 + i];
            rc = sqlite3_bind_int64(q, 1, te);
            rc |= sqlite3_bind_int(q, 2, ord_p++);
            rc |= tl__bind_pool(q, 3, w, p->name);
            rc |= tl__bind_pool(q, 4, w, p->kind);
            rc |= tl__bind_pool(q, 5, w, p->country);
            rc |= tl__bind_pool(q, 6, w, p->role);
            rc |= sqlite3_bind_int(q, 7, p->core);
            if (rc != SQLITE_OK || (rc = tl__step_done(q)) != SQLITE_OK)
                return rc;
        }
    }
    rc = SQLITE_OK;
    for (int f = 0; f < 6 && rc == SQLITE_OK; f++)
        if (m.conflict[f])
            rc = tl__put_conflict(s[W_CONFLICT], w, te, tl__conflict_fields[f].field, ord, n,
                                  tl__conflict_fields[f].off, tl__conflict_fields[f].all, 0);
    if (rc == SQLITE_OK)
        tl__placed(w, ord, n, te, m.n_conf, NULL);
    return rc;
}

/* ---- updating a grown cluster ------------------------------------------------------ */

/* The merged participants of members ord[0..n) into w->mp, as
 * tl__write_cluster's inserts leave them: one per (name, kind, role), ord
 * its place among all the members' participants in rank order, country
 * and core from that first one, n the times it appears. */
static int tl__merge_parts(tl__work *w, const size_t *ord, size_t n)
{
    w->n_mp = 0;
    int ord_p = 0;
    for (size_t k = 0; k < n; k++) {
        const tl__ev *x = &w->ev[ord[k]];
        for (size_t i = 0; i < x->np; i++, ord_p++) {
            const tl__part *p = &w->part[x->p0 + i];
            size_t j = 0;
            while (j < w->n_mp && !(w->mp[j].name == p->name && w->mp[j].kind == p->kind &&
                                    w->mp[j].role == p->role))
                j++;
            if (j < w->n_mp) {
                w->mp[j].n++;
                continue;
            }
            tl__mpart *v = tl__reserve(w->mp, &w->cap_mp, w->n_mp + 1, sizeof *w->mp, 16);
            if (!v)
                return SQLITE_NOMEM;
            w->mp = v;
            w->mp[w->n_mp++] = (tl__mpart){p->name, p->kind, p->role, p->country, p->core, ord_p, 1, 0};
        }
    }
    return SQLITE_OK;
}

/* Marks the merged participants the stored rows of cluster te already say
 * (every stored one is among them: the members only grew). */
static int tl__mark_stored_parts(sqlite3_stmt *const *s, tl__work *w, int64_t te)
{
    sqlite3_stmt *q = s[W_PARTS_OF];
    sqlite3_bind_int64(q, 1, te);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0), *kind = (const char *)sqlite3_column_text(q, 1),
                   *role = (const char *)sqlite3_column_text(q, 2), *country = (const char *)sqlite3_column_text(q, 4);
        for (size_t j = 0; j < w->n_mp; j++) {
            tl__mpart *mp = &w->mp[j];
            if (!tl__streq(tl__s(w, mp->name), name) || !tl__streq(tl__s(w, mp->kind), kind) ||
                !tl__streq(tl__s(w, mp->role), role))
                continue;
            const char *c = tl__s(w, mp->country);
            mp->stored = sqlite3_column_int64(q, 3) == mp->ord && sqlite3_column_int(q, 5) == mp->core &&
                         sqlite3_column_int64(q, 6) == mp->n && (c ? tl__streq(c, country) : !country);
            break;
        }
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The sort keys (timeline_sources.ord) of members ord[0..n) of cluster te,
 * in rank order, into key[]: 0 for the lead, then increasing, not
 * consecutive.  A stored member keeps its key while it still sorts after
 * the one before (the others' rank order never changes: rank reads nothing
 * but the member), so it is not written again; the members without one (new,
 * or the old lead) share the gap their neighbours leave; when that is too
 * small, all are numbered again, TL__ORD_GAP apart.  A new report of a
 * happening with n sources so writes its own row, not the n/2 it ranks
 * before. */
static void tl__ord_keys(const tl__work *w, const size_t *ord, size_t n, int64_t te, int64_t *key)
{
    key[0] = 0;
    for (size_t k = 1; k < n;) {
        const tl__ev *x = &w->ev[ord[k]];
        if (x->old_te == te && x->old_ord > key[k - 1]) {
            key[k] = x->old_ord;
            k++;
            continue;
        }
        size_t j = k + 1; /* [k, j): without a key, before the next that keeps its own */
        while (j < n && !(w->ev[ord[j]].old_te == te && w->ev[ord[j]].old_ord > key[k - 1]))
            j++;
        const int64_t lo = key[k - 1], span = (int64_t)(j - k + 1);
        const int64_t hi = j < n ? w->ev[ord[j]].old_ord : lo + span * tl__gap(w);
        if ((hi - lo) / span < 1) { /* no room: all again */
            for (size_t i = 0; i < n; i++)
                key[i] = (int64_t)i * tl__gap(w);
            return;
        }
        for (size_t i = k; i < j; i++)
            key[i] = lo + (int64_t)(i - k + 1) * ((hi - lo) / span);
        k = j;
    }
}

/* Rewrites stored cluster te, whose sources are all among members
 * ord[0..n) (the others are new to it), as tl__write_cluster would write
 * it but for the sort keys, keeping its id and changing only the rows that
 * differ: an event joining a happening with n sources costs a few row
 * writes, not n deletions and n inserts. */
static int tl__update_cluster(sqlite3_stmt *const *s, tl__work *w, size_t *ord, size_t n, int64_t te)
{
    tl__sum m;
    tl__summarize(w, ord, n, &m);
    const int same_lead = m.lead->old_te == te && m.lead->old_ord == 0;
    sqlite3_stmt *q = s[same_lead ? W_EVENT_COUNTS : W_EVENT_SET];
    int rc = tl__bind_sum(q, w, &m, n);
    rc |= sqlite3_bind_int64(q, 17, te);
    if (rc != SQLITE_OK || (rc = tl__step_done(q)) != SQLITE_OK)
        return rc;

    int64_t *key = tl__reserve(w->key, &w->cap_key, n, sizeof *key, 64);
    if (!key)
        return SQLITE_NOMEM;
    w->key = key;
    tl__ord_keys(w, ord, n, te, key);
    int64_t old_nconf = 0;
    for (size_t k = 0; k < n && rc == SQLITE_OK; k++) {
        const tl__ev *x = &w->ev[ord[k]];
        const char *rel = tl__date_rel(m.lead, x, k);
        tl__evcache_set(w->cache, x, te, (int64_t)n, m.n_conf, key[k], rel);
        if (x->old_te == te) {
            old_nconf = x->old_nconf; /* the stored row's n_conflicts */
            if (x->old_ord == key[k] && x->old_rel == rel)
                continue;
            q = s[W_SOURCE_SET];
            rc = sqlite3_bind_int64(q, 1, te);
            rc |= sqlite3_bind_int64(q, 2, x->id);
            rc |= sqlite3_bind_int64(q, 3, key[k]);
            rc |= sqlite3_bind_text(q, 4, rel, -1, SQLITE_STATIC);
            if (rc == SQLITE_OK)
                rc = tl__step_done(q);
        } else
            rc = tl__insert_source(s[W_SOURCE], te, x, key[k], rel);
    }
    if (rc != SQLITE_OK)
        return rc;

    if ((rc = tl__merge_parts(w, ord, n)) != SQLITE_OK || (rc = tl__mark_stored_parts(s, w, te)) != SQLITE_OK)
        return rc;
    q = s[W_PART_SET];
    for (size_t j = 0; j < w->n_mp; j++) {
        const tl__mpart *p = &w->mp[j];
        if (p->stored)
            continue;
        rc = sqlite3_bind_int64(q, 1, te);
        rc |= sqlite3_bind_int(q, 2, p->ord);
        rc |= tl__bind_pool(q, 3, w, p->name);
        rc |= tl__bind_pool(q, 4, w, p->kind);
        rc |= tl__bind_pool(q, 5, w, p->country);
        rc |= tl__bind_pool(q, 6, w, p->role);
        rc |= sqlite3_bind_int(q, 7, p->core);
        rc |= sqlite3_bind_int64(q, 8, p->n);
        if (rc != SQLITE_OK || (rc = tl__step_done(q)) != SQLITE_OK)
            return rc;
    }

    /* conflicts: a field's rows are its members' values, which never
     * change, so a field that stays in conflict only gains the new members' */
    for (int f = 0; f < 6 && !old_nconf; f++) /* none stored */
        if (m.conflict[f] && (rc = tl__put_conflict(s[W_CONFLICT], w, te, tl__conflict_fields[f].field, ord, n,
                                                    tl__conflict_fields[f].off, tl__conflict_fields[f].all, 0)))
            return rc;
    for (int f = 0; f < 6 && old_nconf; f++) {
        const char *field = tl__conflict_fields[f].field;
        q = s[m.conflict[f] ? W_CONFLICT_ANY : W_CONFLICT_DROP];
        rc = sqlite3_bind_int64(q, 1, te);
        rc |= sqlite3_bind_text(q, 2, field, -1, SQLITE_STATIC);
        if (rc != SQLITE_OK)
            return rc;
        rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return rc;
        if (m.conflict[f])
            rc = tl__put_conflict(s[W_CONFLICT], w, te, field, ord, n, tl__conflict_fields[f].off,
                                  tl__conflict_fields[f].all, rc == SQLITE_ROW ? te : 0);
        else
            rc = SQLITE_OK;
        if (rc != SQLITE_OK)
            return rc;
    }
    tl__placed(w, ord, n, te, m.n_conf, key);
    return SQLITE_OK;
}

/* Component order: date start, coarser first, class signature, document
 * sha256, event number. */
static int tl__ev_cmp(const tl__work *w, const tl__ev *a, const tl__ev *b)
{
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->e != b->e)
        return a->e > b->e ? -1 : 1;
    /* (strings of w are kept once: equal offsets, equal strings) */
    int c = a->sig == b->sig ? 0 : strcmp(tl__s(w, a->sig), tl__s(w, b->sig));
    if (c)
        return c;
    if (a->sha8 != b->sha8)
        return a->sha8 < b->sha8 ? -1 : 1;
    c = a->sha == b->sha ? 0 : strcmp(tl__s(w, a->sha), tl__s(w, b->sha));
    if (c)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorts w->ev by tl__ev_cmp: a bottom-up merge sort of indices (qsort has
 * no context argument, and no state may be global; moving tl__ev, 200
 * bytes, at every step cost more than the comparisons), then one
 * permutation. */
static void tl__set_sha8(const tl__work *w, tl__ev *x)
{
    const char *sha = tl__s(w, x->sha);
    uint64_t k = 0;
    for (int j = 0, end = !sha; j < 8; j++) { /* (shorter: NUL-padded, as strcmp orders it) */
        end = end || !sha[j];
        k = k << 8 | (end ? 0u : (unsigned char)sha[j]);
    }
    x->sha8 = k;
}

static int tl__sort_events(tl__work *w)
{
    const size_t n = w->n_ev;
    if (n < 2)
        return 0;
    int sorted = 1; /* (a kept component comes in order: tl__comp_extend) */
    for (size_t i = 0; i < n; i++) {
        if (!w->ev[i].sha8) /* (0 only until set, or for an empty sha256) */
            tl__set_sha8(w, &w->ev[i]);
        sorted = sorted && (!i || tl__ev_cmp(w, &w->ev[i - 1], &w->ev[i]) <= 0);
    }
    if (sorted)
        return 0;
    size_t *idx = malloc(2 * n * sizeof *idx);
    tl__ev *out = malloc(n * sizeof *out);
    if (!idx || !out) {
        free(idx);
        free(out);
        return -1;
    }
    size_t *src = idx, *dst = idx + n;
    for (size_t i = 0; i < n; i++)
        src[i] = i;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = tl__ev_cmp(w, &w->ev[src[j]], &w->ev[src[i]]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = w->ev[src[i]];
    memcpy(w->ev, out, n * sizeof *out);
    free(idx);
    free(out);
    return 0;
}

/* Sets each event's class and its link to the previous event of its
 * document (w->same_doc), for events in component order. */
static int tl__link_events(tl__work *w)
{
    const size_t n = w->n_ev;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    int64_t *key = calloc(cap, sizeof *key);
    int *val = malloc(cap * sizeof *val);
    if (!key || !val) {
        free(key);
        free(val);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        tl__ev *x = &w->ev[i];
        const tl__ev *p = i ? &w->ev[i - 1] : NULL;
        x->cls = p && p->b == x->b && p->e == x->e && p->sig == x->sig ? p->cls
                                                                                                    : (int)i;
        /* document ids are positive: 0 marks a free slot */
        size_t h = (size_t)((uint64_t)x->doc_id * 0x9E3779B97F4A7C15ULL) & (cap - 1);
        while (key[h] && key[h] != x->doc_id)
            h = (h + 1) & (cap - 1);
        w->same_doc[i] = key[h] ? val[h] : -1;
        key[h] = x->doc_id;
        val[h] = (int)i;
    }
    free(key);
    free(val);
    return 0;
}

/* Clusters the loaded events and writes the clusters that changed.  A new
 * cluster whose members are exactly the sources of one stored cluster (all
 * were in it, and it had that many) is the stored one, since a cluster's
 * row is a function of its members: it is left alone.  One that holds all
 * the sources of one stored cluster and otherwise only events that had no
 * cluster has grown: it is updated in place (tl__update_cluster).  Every
 * other cluster's members leave their stored clusters (deleted whole: none
 * of them is kept, as a kept one has no other sources) and the new one is
 * written. */
static int tl__rebuild_loaded(sqlite3_stmt *const *s, tl__work *w)
{
    int rc;
    /* the placed events, in order; the others wait for the singleton pass */
    size_t n = 0;
    for (size_t i = 0; i < w->n_ev; i++)
        if (w->ev[i].e > w->ev[i].b)
            w->ev[n++] = w->ev[i];
    w->n_ev = n;
    if (tl__sort_events(w) || tl__grow_clusters(w, w->n_ev + 1) || tl__link_events(w))
        return SQLITE_NOMEM;
    const int n_cl = tl__cluster_component(w);
    size_t *ord = malloc((w->n_ev + 1) * sizeof *ord);
    unsigned char *changed = calloc((size_t)n_cl + 1, 1);
    int64_t *grown = calloc((size_t)n_cl + 1, sizeof *grown); /* the stored cluster a cluster grew from */
    if (!ord || !changed || !grown) {
        free(ord);
        free(changed);
        free(grown);
        return SQLITE_NOMEM;
    }
    rc = SQLITE_OK;
    for (int c = 0; c < n_cl; c++) {
        int64_t te = 0, n_old = 0, k = 0, old_n = 0;
        int one = 1; /* at most one stored cluster among the members */
        for (int m = w->cl_first[c]; m >= 0; m = w->cl_next[m], k++) {
            const tl__ev *x = &w->ev[m];
            if (!x->old_te)
                continue;
            if (te && x->old_te != te)
                one = 0;
            te = x->old_te;
            old_n = x->old_n;
            n_old++;
        }
        changed[c] = !one || n_old != k || k != old_n;
        if (changed[c] && one && te && n_old == old_n)
            grown[c] = te;
    }
    for (int c = 0; c < n_cl && rc == SQLITE_OK; c++)
        for (int m = w->cl_first[c]; m >= 0 && changed[c] && !grown[c] && rc == SQLITE_OK; m = w->cl_next[m]) {
            const int64_t te = w->ev[m].old_te;
            if (!te)
                continue;
            /* its members not loaded here (none, normally) get a cluster of their own later */
            sqlite3_stmt *q = s[W_MEMBERS];
            sqlite3_bind_int64(q, 1, te);
            while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
                const int64_t id = sqlite3_column_int64(q, 0);
                tl__evcache_where(w->cache, id, 0, 0, 0, 0, NULL); /* until it is written again */
                if (tl__ids_push(&w->lost, &w->n_lost, &w->cap_lost, id)) {
                    rc = SQLITE_NOMEM;
                    break;
                }
            }
            sqlite3_reset(q);
            if (rc != SQLITE_DONE)
                break;
            for (int k = m; k >= 0; k = w->cl_next[k])
                if (w->ev[k].old_te == te)
                    w->ev[k].old_te = 0; /* deleted once */
            sqlite3_bind_int64(s[W_DELETE], 1, te);
            rc = tl__step_done(s[W_DELETE]);
        }
    for (int c = 0; c < n_cl && rc == SQLITE_OK; c++) {
        if (!changed[c])
            continue;
        size_t k = 0;
        for (int m = w->cl_first[c]; m >= 0; m = w->cl_next[m])
            ord[k++] = (size_t)m;
        rc = grown[c] ? tl__update_cluster(s, w, ord, k, grown[c]) : tl__write_cluster(s, w, ord, k);
    }
    free(ord);
    free(changed);
    free(grown);
    return rc;
}

/* ---- refresh ------------------------------------------------------------------------- */

/* A set of event ids (open addressing) with the insertion order kept. */
typedef struct tl__idset {
    int64_t *slot, *order;
    size_t cap, n;
} tl__idset;

/* Adds id; 1 when new, 0 when present, -1 when out of memory. */
static int tl__idset_add(tl__idset *s, int64_t id)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        int64_t *slot = calloc(cap, sizeof *slot), *order = realloc(s->order, cap * sizeof *order);
        if (!slot || !order) {
            free(slot);
            if (order)
                s->order = order;
            return -1;
        }
        s->order = order;
        for (size_t i = 0; i < s->n; i++) {
            size_t h = (size_t)((uint64_t)s->order[i] * 0x9E3779B97F4A7C15ULL) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = s->order[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
    while (s->slot[h]) {
        if (s->slot[h] == id)
            return 0;
        h = (h + 1) & (s->cap - 1);
    }
    s->slot[h] = id;
    s->order[s->n++] = id;
    return 1;
}

/* Is id in s? */
static int tl__idset_has(const tl__idset *s, int64_t id)
{
    if (!s->cap)
        return 0;
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
    for (; s->slot[h]; h = (h + 1) & (s->cap - 1))
        if (s->slot[h] == id)
            return 1;
    return 0;
}

/* The placed events of a type near [begin, end] with a core participant
 * named name of kind: neighbours in the clustering graph.  One range of
 * event_keys' primary key (schema/migrate_4.sql): the events of the type
 * with that participant starting at most TL__REACH days before begin (?6)
 * and ending at or after it. */
#define TL__REACH 400
static const char tl__near_sql[] =
    "SELECT event_id FROM event_keys" /* (not DISTINCT: the key holds each event once, and DISTINCT sorts) */
    " WHERE type = ?3 AND name = ?1 AND kind = ?2 AND sort_begin >= ?6 AND sort_begin <= ?5 AND sort_end >= ?4";

/* A 64-bit FNV-1a hash of the expansion arguments (never 0). */
static int64_t tl__expand_hash(const char *const *v, int n)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) {
        for (const unsigned char *p = (const unsigned char *)(v[i] ? v[i] : ""); *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return (int64_t)(h ? h : 1);
}

static int tl__expand(sqlite3_stmt *near, tl__idset *set, tl__idset *done, const char *name, const char *kind,
                      const char *type, const char *begin, const char *end)
{
    if (!end || !*end)
        end = begin;
    const char *args[] = {name, kind, type, begin, end};
    const int fresh = tl__idset_add(done, tl__expand_hash(args, 5));
    if (fresh <= 0) /* asked before (a class repeats its members' questions) */
        return fresh < 0 ? SQLITE_NOMEM : SQLITE_OK;
    int32_t day;
    char from[16] = "0000-00-00";
    if (tl__day_number(begin, &day))
        tl__day_string(day - TL__REACH, from, sizeof from);
    sqlite3_bind_text(near, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(near, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(near, 3, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(near, 4, begin, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(near, 5, end, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(near, 6, from, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(near)) == SQLITE_ROW)
        if (tl__idset_add(set, sqlite3_column_int64(near, 0)) < 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    sqlite3_reset(near);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* A set of (class signature, sort_begin, sort_end) triples of pool offsets:
 * the events whose neighbours were asked for.  Events of one class with one
 * interval have the same core participants, type and dates, so they ask
 * the same questions: the first asks, the rest are skipped without hashing
 * their strings (a happening reported 1,500 times is 1,500 copies of a few
 * classes).  Open addressing; 0 when present, 1 when added, -1 when out of
 * memory. */
typedef struct tl__asked {
    size_t (*slot)[3];
    size_t cap, n;
} tl__asked;

static size_t tl__asked_hash(size_t sig, size_t begin, size_t end)
{
    return (size_t)((uint64_t)sig * 0x9E3779B97F4A7C15ULL ^ (uint64_t)begin * 0xC2B2AE3D27D4EB4FULL ^ end);
}

static int tl__asked_add(tl__asked *s, size_t sig, size_t begin, size_t end)
{
    if ((s->n + 1) * 2 > s->cap) {
        const size_t cap = s->cap ? s->cap * 2 : 64;
        size_t(*slot)[3] = malloc(cap * sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < cap; i++)
            slot[i][0] = TL__NONE; /* (a signature is never NULL) */
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slot[i][0] == TL__NONE)
                continue;
            size_t h = tl__asked_hash(s->slot[i][0], s->slot[i][1], s->slot[i][2]) & (cap - 1);
            while (slot[h][0] != TL__NONE)
                h = (h + 1) & (cap - 1);
            memcpy(slot[h], s->slot[i], sizeof slot[h]);
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t h = tl__asked_hash(sig, begin, end) & (s->cap - 1);
    for (; s->slot[h][0] != TL__NONE; h = (h + 1) & (s->cap - 1))
        if (s->slot[h][0] == sig && s->slot[h][1] == begin && s->slot[h][2] == end)
            return 0;
    s->slot[h][0] = sig;
    s->slot[h][1] = begin;
    s->slot[h][2] = end;
    s->n++;
    return 1;
}

/* Every event connected to a seed: same type, touching dates, a core
 * participant in common, transitively.  Loads them into w. */
static int tl__gather(const tl__dirty *d, sqlite3_stmt *near, const tl__loader *ld, tl__work *w)
{
    tl__idset set = {0}, done = {0};
    tl__asked asked = {0};
    int rc = SQLITE_OK;
    for (size_t i = 0; i < d->n && rc == SQLITE_OK; i++) {
        const tl__seed *sd = &d->v[i];
        const char *names = d->pool.s + sd->names;
        for (int k = 0; k < sd->n_names && rc == SQLITE_OK; k++) {
            const char *kind = names + strlen(names) + 1;
            rc = tl__expand(near, &set, &done, names, kind, d->pool.s + sd->type, d->pool.s + sd->begin,
                            d->pool.s + sd->end);
            names = kind + strlen(kind) + 1;
        }
    }
    for (size_t i = 0; i < set.n && rc == SQLITE_OK; i++) {
        if ((rc = tl__load_event(w, ld, set.order[i])) != SQLITE_OK)
            break;
        const tl__ev *x = &w->ev[w->n_ev - 1];
        const int fresh = tl__asked_add(&asked, x->sig, x->sort_begin, x->sort_end);
        if (fresh <= 0) {
            rc = fresh < 0 ? SQLITE_NOMEM : SQLITE_OK;
            continue;
        }
        /* (the pool does not move until the next load: expand only reads) */
        const char *t = tl__s(w, x->type), *b = tl__s(w, x->sort_begin), *e = tl__s(w, x->sort_end);
        for (size_t k = 0; k < x->np && rc == SQLITE_OK && b && *b; k++) {
            const tl__part *p = &w->part[x->p0 + k];
            if (p->core)
                rc = tl__expand(near, &set, &done, tl__s(w, p->name), tl__s(w, p->kind), t, b, e ? e : "");
        }
    }
    free(set.slot);
    free(set.order);
    free(done.slot);
    free(done.order);
    free(asked.slot);
    return rc;
}

/* ---- kept components ---------------------------------------------------------------- */

/* The hot story of a news feed -- a summit reported 1,500 times -- is one
 * component, and each new report of it gathered, loaded and sorted all of
 * its events again: half the time of a late ingest at 50 MB, and the part
 * of the ingest that grew with the database.  So the refresh that gathers
 * and clusters events keeps the parts of them that no question links
 * (tl__split) of at least TL__COMP_MIN placed events on the connection (in
 * the event cache, and emptied with it): the events in component order,
 * each with where it is clustered as written.  A later document each of
 * whose seeds asks only questions one kept part has asked (tl__expand; a
 * question is a type, a core participant, sort_begin and sort_end: a new
 * copy of a known story) is clustered by adding its events that answer one
 * of them to those parts and clustering each again in memory: no range
 * read, and no event loaded but the document's own.  Its other seeds are
 * gathered after, as before (tl__timeline_refresh says when the document
 * is gathered whole instead).
 *
 * Why that is what a gather would cluster.  Between events whose sort
 * strings are days ("2017-07-07", not "2017-07-07T15:32") and whose
 * sort_end is at most TL__REACH days after sort_begin, answering is
 * symmetric -- x answers a question of y exactly when y answers one of x:
 * both say the intervals touch, and the reach bound holds by itself -- and
 * it is what clustering needs: two events that could share a cluster (same
 * type, a core participant in common, days equal, nested or touching)
 * answer each other.  Only parts all of whose events are such are kept.
 * (Others can make the gather one-way, or leave two compatible events
 * unlinked -- a time of day is compared by the minute, clustering by the
 * day -- and its result depend on ingest order: see "Bounded fallback"
 * above; those are left to it.)  Then a kept part X is
 *   - closed: every event of the database answering one of X's questions
 *     is in X -- when kept, as the gather took all answers, and after: a
 *     later refresh whose gather finds an event of X drops X
 *     (tl__comps_settle), and a refresh that did not find one added no
 *     event answering X's questions (symmetry: X's event would answer the
 *     new event's own question, which the gather asks);
 *   - exact: each event's old_te .. old_rel say where SQLite clusters it:
 *     written clusters update their members (tl__placed), a refresh that
 *     did not find an event of X wrote none of X's clusters (they never
 *     span parts), an event given a cluster of its own drops the parts
 *     holding it (tl__comps_forget), and a failed write is rolled back and
 *     empties the cache.
 * The gather from the new document's seeds asks only the questions of the
 * parts they belong to (the seeds' own, and those of what they find: the
 * parts' events, or the document's with the same questions), so it loads
 * whole components of those parts and the new events that answer -- the
 * events tl__comp_extend adds.  Clustering each part whole instead changes
 * nothing: clusters never span components, and the other components come
 * out as stored.  tests/test_timeline.c compares a connection that keeps
 * parts with one that keeps none after every document, through each case
 * above.
 *
 * Removals and replacements empty the cache (tl__evcache_clear), as do
 * another connection's writes (tl__evcache_check).  Bounded: at most
 * TL__COMP_EVENTS events in all (about 400 bytes each); a part takes the
 * place of ones less than half its size, or of any unused for a while
 * (tl__comp_may_go), so a feed with more hot stories than fit keeps the
 * largest ones it reports, and parts of one size do not take turns. */
#define TL__COMP_MIN 64
#define TL__COMP_EVENTS 16384

/* A question of a kept component: the events of type with core
 * participant (name, kind) near [begin, end] (offsets into the
 * component's pool; end "" for none, as the seeds keep it), with a hash of
 * all five and one of type, name and kind. */
typedef struct tl__q {
    tl__off name, kind, type, begin, end;
    int64_t hash, triple;
} tl__q;

typedef struct tl__comp {
    tl__work w; /* its placed events in component order, clustered as stored */
    tl__q *q;
    size_t nq, cap_q;
    tl__idset ids; /* the events of w */
    size_t counted; /* its events in the cache's comp_events */
    uint64_t used; /* the cache's comp_tick when last used */
    uint64_t seen; /* the cache's refreshes then */
} tl__comp;

static int64_t tl__q_hash(const char *name, const char *kind, const char *type, const char *begin, const char *end)
{
    const char *v[] = {name, kind, type, begin, end ? end : ""};
    return tl__expand_hash(v, 5);
}

static int64_t tl__triple_hash(const char *name, const char *kind, const char *type)
{
    const char *v[] = {name, kind, type};
    return tl__expand_hash(v, 3);
}

/* Does an event of type with core participant (name, kind) and sort
 * strings begin, end ("" for none) answer q of comp x?  As tl__near_sql
 * (and tl__expand's window) decides. */
static int tl__answers(const tl__comp *x, const tl__q *q, const char *type, const char *name, const char *kind,
                       const char *begin, const char *end)
{
    const tl__work *w = &x->w;
    if (strcmp(type, tl__s(w, q->type)) != 0 || strcmp(name, tl__s(w, q->name)) != 0 ||
        strcmp(kind, tl__s(w, q->kind)) != 0)
        return 0;
    const char *qb = tl__s(w, q->begin), *qe = tl__s(w, q->end);
    if (!*qe)
        qe = qb;
    int32_t day;
    char from[16] = "0000-00-00";
    if (tl__day_number(qb, &day))
        tl__day_string(day - TL__REACH, from, sizeof from);
    return strcmp(begin, from) >= 0 && strcmp(begin, qe) <= 0 && *end && strcmp(end, qb) >= 0;
}

/* Does seed sd (strings in pool) answer a question of x? */
static int tl__seed_answers(const tl__comp *x, const tl__seed *sd, const char *pool)
{
    const char *type = pool + sd->type, *names = pool + sd->names;
    for (int k = 0; k < sd->n_names; k++) {
        const char *kind = names + strlen(names) + 1;
        const int64_t t = tl__triple_hash(names, kind, type);
        for (size_t i = 0; i < x->nq; i++)
            if (x->q[i].triple == t && tl__answers(x, &x->q[i], type, names, kind, pool + sd->begin, pool + sd->end))
                return 1;
        names = kind + strlen(kind) + 1;
    }
    return 0;
}

/* Indexes the kept components' questions by hash, when they changed
 * (questions are never shared: two components asking one would share the
 * event that answers it, the one that asked).  -1 when out of memory. */
static int tl__comps_index(tl__evcache *c)
{
    if (!c->qstale)
        return 0;
    size_t total = 0, cap = 16;
    for (size_t i = 0; i < c->n_comp; i++)
        total += c->comp[i]->nq;
    while (cap < 2 * total)
        cap *= 2;
    if (cap != c->qcap) {
        tl__qslot *v = realloc(c->qmap, cap * sizeof *v);
        if (!v)
            return -1;
        c->qmap = v;
        c->qcap = cap;
    }
    memset(c->qmap, 0, cap * sizeof *c->qmap);
    for (size_t i = 0; i < c->n_comp; i++)
        for (size_t k = 0; k < c->comp[i]->nq; k++) {
            const int64_t h = c->comp[i]->q[k].hash;
            size_t at = (size_t)((uint64_t)h * 0x9E3779B97F4A7C15ULL) & (cap - 1);
            while (c->qmap[at].hash)
                at = (at + 1) & (cap - 1);
            c->qmap[at] = (tl__qslot){h, c->comp[i], k};
        }
    c->qstale = 0;
    return 0;
}

/* The kept component that has asked every question of seed sd (strings in
 * pool), or NULL. */
static tl__comp *tl__seed_comp(const tl__evcache *c, const tl__seed *sd, const char *pool)
{
    const char *type = pool + sd->type, *b = pool + sd->begin, *e = pool + sd->end, *names = pool + sd->names;
    tl__comp *x = NULL;
    for (int k = 0; k < sd->n_names; k++) {
        const char *kind = names + strlen(names) + 1;
        const int64_t h = tl__q_hash(names, kind, type, b, e);
        const tl__qslot *slot = NULL;
        for (size_t at = (size_t)((uint64_t)h * 0x9E3779B97F4A7C15ULL) & (c->qcap - 1); !slot && c->qmap[at].hash;
             at = (at + 1) & (c->qcap - 1))
            if (c->qmap[at].hash == h)
                slot = &c->qmap[at];
        if (!slot || (x && slot->comp != x))
            return NULL;
        x = slot->comp;
        const tl__q *q = &x->q[slot->q];
        const tl__work *w = &x->w;
        if (strcmp(names, tl__s(w, q->name)) != 0 || strcmp(kind, tl__s(w, q->kind)) != 0 ||
            strcmp(type, tl__s(w, q->type)) != 0 || strcmp(b, tl__s(w, q->begin)) != 0 ||
            strcmp(e, tl__s(w, q->end)) != 0)
            return NULL;
        names = kind + strlen(kind) + 1;
    }
    return x;
}

static void tl__work_free(tl__work *w)
{
    tl__work_scratch_free(w);
    tl__buf_free(&w->pool);
    free(w->strs.slot);
    free(w->ev);
    free(w->part);
    memset(w, 0, sizeof *w);
}

static void tl__comps_drop(tl__evcache *c, size_t i)
{
    tl__comp *x = c->comp[i];
    c->comp_events -= x->counted;
    tl__work_free(&x->w);
    free(x->q);
    free(x->ids.slot);
    free(x->ids.order);
    free(x);
    c->comp[i] = c->comp[--c->n_comp];
    c->qstale = 1;
}

static int tl__comp_has(const tl__comp *x, int64_t id)
{
    return tl__idset_has(&x->ids, id);
}

/* For each of d's seeds, the kept component that has asked every question
 * of it, into use[0..d->n) (NULL for none: the seed is left to the
 * gather); 1 when any has one.  Only for documents added: d names no
 * clusters. */
static int tl__comp_find(tl__evcache *c, const tl__dirty *d, tl__comp **use)
{
    if (!c || !c->n_comp || d->all || d->n_tes || tl__comps_index(c))
        return 0;
    int any = 0;
    for (size_t k = 0; k < d->n; k++)
        any |= (use[k] = tl__seed_comp(c, &d->v[k], d->pool.s)) != NULL;
    return any;
}

/* Are event x's sort strings days ("2017-07-07", not "2017-07-07T15:32")? */
static int tl__ev_days(const tl__work *w, const tl__ev *x)
{
    const char *b = tl__s(w, x->sort_begin), *e = tl__s(w, x->sort_end);
    int32_t day;
    return b && e && strlen(b) == 10 && strlen(e) == 10 && tl__day_number(b, &day) && tl__day_number(e, &day);
}

/* Does event x answer alike both ways: are its sort strings days, with
 * sort_end at or after sort_begin and less than TL__REACH days after it?
 * (See "symmetric" under "kept components".) */
static int tl__ev_symmetric(const tl__work *w, const tl__ev *x)
{
    return tl__ev_days(w, x) && x->e - x->b < TL__REACH &&
           strcmp(tl__s(w, x->sort_end), tl__s(w, x->sort_begin)) >= 0;
}

/* Are all of w's events' sort strings days? */
static int tl__days_only(const tl__work *w)
{
    for (size_t i = 0; i < w->n_ev; i++)
        if (!tl__ev_days(w, &w->ev[i]))
            return 0;
    return 1;
}

/* Adds to x the events of its seeds (use[k] == x) that answer one of its
 * questions, each where component order puts it (the rest stays in order:
 * tl__sort_events then has nothing to do).  (A seed answers no other kept
 * component's question: that component's event would answer the seed's
 * own question, which x has asked, and be in x.) */
static int tl__comp_extend(tl__comp *x, const tl__dirty *d, tl__comp *const *use, const tl__loader *ld)
{
    tl__work *w = &x->w;
    w->n_lost = 0;
    w->cache = ld->cache;
    /* (room for the document's events, growing by an eighth, not doubling) */
    const size_t ne = w->n_ev + d->n, np = w->n_part + 8 * d->n;
    tl__ev *e = ne > w->cap_ev ? realloc(w->ev, (ne + ne / 8) * sizeof *e) : NULL;
    if (e)
        w->ev = e, w->cap_ev = ne + ne / 8;
    tl__part *p = np > w->cap_part ? realloc(w->part, (np + np / 8) * sizeof *p) : NULL;
    if (p)
        w->part = p, w->cap_part = np + np / 8;
    for (size_t k = 0; k < d->n; k++) {
        const tl__seed *sd = &d->v[k];
        if (use[k] != x || tl__comp_has(x, sd->event_id) || !tl__seed_answers(x, sd, d->pool.s))
            continue;
        int rc = tl__load_event(w, ld, sd->event_id);
        if (rc != SQLITE_OK)
            return rc;
        if (tl__idset_add(&x->ids, sd->event_id) < 0)
            return SQLITE_NOMEM;
        tl__ev y = w->ev[w->n_ev - 1];
        tl__set_sha8(w, &y);
        size_t lo = 0, hi = w->n_ev - 1; /* the first of [0, n_ev - 1) ordered after y */
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (tl__ev_cmp(w, &w->ev[mid], &y) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(&w->ev[lo + 1], &w->ev[lo], (w->n_ev - 1 - lo) * sizeof *w->ev);
        w->ev[lo] = y;
    }
    return SQLITE_OK;
}

/* May kept component x go to make room for a part of keep events?  When
 * it has served no refresh for TL__COMP_STALE refreshes, or is smaller
 * than half of keep.  (Parts of about one size do not replace each other:
 * keeping a part copies it, and the six parts of the benchmark's hot story,
 * 5,800 events each at 200 MB, took each other's place at every copy of
 * it -- 2.4 million events copied in 5,000 documents.) */
#define TL__COMP_STALE 2048
static int tl__comp_stale(const tl__evcache *c, const tl__comp *x)
{
    return c->refreshes - x->seen > TL__COMP_STALE;
}

static int tl__comp_may_go(const tl__evcache *c, const tl__comp *x, size_t keep)
{
    return tl__comp_stale(c, x) || x->w.n_ev < keep / 2;
}

/* Drops kept components that may go (tl__comp_may_go: the stale ones
 * first, least recently used first; then the smallest, the least recently
 * used of equal ones) until those left hold at most max - room events; 0
 * when that cannot be done -- room is more than max, or what may go is not
 * enough -- and then nothing is dropped. */
static int tl__comps_fit(tl__evcache *c, size_t room, size_t keep)
{
    const size_t max = c->comp_max ? c->comp_max : TL__COMP_EVENTS;
    if (room > max)
        return 0;
    size_t may = 0;
    for (size_t i = 0; i < c->n_comp; i++)
        if (tl__comp_may_go(c, c->comp[i], keep))
            may += c->comp[i]->counted;
    if (c->comp_events - may + room > max)
        return 0;
    while (c->n_comp && c->comp_events + room > max) {
        size_t s = c->n_comp;
        int s_stale = 0;
        for (size_t i = 0; i < c->n_comp; i++) {
            const tl__comp *x = c->comp[i];
            const int stale = tl__comp_stale(c, x);
            if (!tl__comp_may_go(c, x, keep))
                continue;
            if (s == c->n_comp || stale > s_stale ||
                (stale == s_stale && (stale ? x->used < c->comp[s]->used
                                            : x->w.n_ev < c->comp[s]->w.n_ev ||
                                                  (x->w.n_ev == c->comp[s]->w.n_ev && x->used < c->comp[s]->used))))
                s = i, s_stale = stale;
        }
        if (s == c->n_comp)
            return 0; /* (not reached: what may go was counted above) */
        tl__comps_drop(c, s);
    }
    return 1;
}

/* Appends event x of src, with its participants, to dst. */
static int tl__work_take(tl__work *dst, const tl__work *src, const tl__ev *x)
{
    tl__ev *ve = tl__reserve(dst->ev, &dst->cap_ev, dst->n_ev + 1, sizeof *dst->ev, 64);
    if (!ve)
        return -1;
    dst->ev = ve;
    tl__part *vp = tl__reserve(dst->part, &dst->cap_part, dst->n_part + x->np, sizeof *dst->part, 128);
    if (!vp)
        return -1;
    dst->part = vp;
    tl__ev *y = &dst->ev[dst->n_ev];
    *y = *x;
    tl__off *offs[TL__N_EV_STRINGS] = TL__EV_STRINGS(y);
    int bad = 0;
    for (int i = 0; i < TL__N_EV_STRINGS; i++)
        bad |= tl__pool_add(dst, (const unsigned char *)tl__s(src, *offs[i]), offs[i]);
    y->p0 = dst->n_part;
    for (size_t k = 0; k < x->np; k++) {
        const tl__part *q = &src->part[x->p0 + k];
        tl__part *p = &dst->part[dst->n_part + k];
        p->core = q->core;
        bad |= tl__pool_add(dst, (const unsigned char *)tl__s(src, q->name), &p->name) |
               tl__pool_add(dst, (const unsigned char *)tl__s(src, q->kind), &p->kind) |
               tl__pool_add(dst, (const unsigned char *)tl__s(src, q->country), &p->country) |
               tl__pool_add(dst, (const unsigned char *)tl__s(src, q->role), &p->role);
    }
    if (bad)
        return -1;
    dst->n_part += x->np;
    dst->n_ev++;
    return 0;
}

/* A core participant of an event, for tl__split. */
typedef struct tl__key {
    size_t type, name, kind; /* pool offsets: equal strings, equal offsets */
    int32_t b, e;
    int ev;
} tl__key;

static int tl__key_cmp(const void *pa, const void *pb)
{
    const tl__key *a = pa, *b = pb;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->name != b->name)
        return a->name < b->name ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->ev < b->ev ? -1 : a->ev > b->ev;
}

static int tl__find(int *up, int i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* The parts of w's events no question links (two events are linked when
 * they share the type and a core participant and their days touch, which
 * every answer needs): up[i] is the first event of i's part.  -1 when out
 * of memory. */
static int tl__split(const tl__work *w, int *up)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n_ev; i++) {
        up[i] = (int)i;
        for (size_t k = 0; k < w->ev[i].np; k++)
            n += w->part[w->ev[i].p0 + k].core != 0;
    }
    tl__key *key = malloc((n ? n : 1) * sizeof *key);
    if (!key)
        return -1;
    n = 0;
    for (size_t i = 0; i < w->n_ev; i++) {
        const tl__ev *x = &w->ev[i];
        for (size_t k = 0; k < x->np; k++) {
            const tl__part *p = &w->part[x->p0 + k];
            if (p->core)
                key[n++] = (tl__key){x->type, p->name, p->kind, x->b, x->e, (int)i};
        }
    }
    qsort(key, n, sizeof *key, tl__key_cmp);
    for (size_t i = 0, run = 0; i < n; i++) {
        const tl__key *a = &key[run], *k = &key[i];
        if (i > run && k->type == a->type && k->name == a->name && k->kind == a->kind && k->b <= key[run].e) {
            int r1 = tl__find(up, k->ev), r2 = tl__find(up, a->ev);
            if (r1 != r2)
                up[r1 > r2 ? r1 : r2] = r1 < r2 ? r1 : r2;
            if (k->e > key[run].e)
                key[run].e = k->e; /* (the run's latest end) */
        } else
            run = i;
    }
    free(key);
    for (size_t i = 0; i < w->n_ev; i++)
        up[i] = tl__find(up, (int)i);
    return 0;
}

/* x's questions: each of its events', once. */
static int tl__comp_questions(tl__comp *x)
{
    tl__work *w = &x->w;
    tl__off none = TL__NONE;
    if (tl__pool_add(w, (const unsigned char *)"", &none))
        return SQLITE_NOMEM;
    tl__idset seen = {0};
    int rc = SQLITE_OK;
    for (size_t i = 0; i < w->n_ev && rc == SQLITE_OK; i++) {
        const tl__ev *e = &w->ev[i];
        const tl__off end_off = e->sort_end == TL__NONE ? none : e->sort_end;
        const char *type = tl__s(w, e->type), *b = tl__s(w, e->sort_begin), *end = tl__s(w, end_off);
        for (size_t k = 0; k < e->np && rc == SQLITE_OK; k++) {
            const tl__part *p = &w->part[e->p0 + k];
            if (!p->core)
                continue;
            const char *name = tl__s(w, p->name), *kind = tl__s(w, p->kind);
            const int64_t h = tl__q_hash(name, kind, type, b, end);
            const int fresh = tl__idset_add(&seen, h);
            tl__q *q = fresh > 0 ? tl__reserve(x->q, &x->cap_q, x->nq + 1, sizeof *x->q, 16) : NULL;
            if (fresh < 0 || (fresh > 0 && !q))
                rc = SQLITE_NOMEM;
            else if (fresh) {
                x->q = q;
                x->q[x->nq++] = (tl__q){p->name, p->kind, e->type, e->sort_begin, end_off, h,
                                        tl__triple_hash(name, kind, type)};
            }
        }
    }
    free(seen.slot);
    free(seen.order);
    return rc;
}

/* Keeps the part of w whose events have up[i] == root as a component. */
static int tl__comp_keep(tl__evcache *c, const tl__work *w, const int *up, int root)
{
    tl__comp *x = calloc(1, sizeof *x);
    tl__comp **v = tl__reserve(c->comp, &c->cap_comp, c->n_comp + 1, sizeof *c->comp, 8);
    if (!x || !v) {
        free(x);
        return SQLITE_NOMEM;
    }
    c->comp = v;
    int rc = SQLITE_OK;
    for (size_t i = (size_t)root; i < w->n_ev && rc == SQLITE_OK; i++)
        if (up[i] == root && tl__work_take(&x->w, w, &w->ev[i]))
            rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        rc = tl__comp_questions(x);
    tl__work_trim(&x->w);
    for (size_t i = 0; i < x->w.n_ev && rc == SQLITE_OK; i++)
        if (tl__idset_add(&x->ids, x->w.ev[i].id) < 0)
            rc = SQLITE_NOMEM;
    c->comp[c->n_comp++] = x; /* (dropped whole on failure) */
    c->qstale = 1;
    c->comp_events += x->counted = x->w.n_ev;
    x->used = ++c->comp_tick;
    x->seen = c->refreshes;
    c->comp_keeps++;
    if (rc != SQLITE_OK)
        tl__comps_drop(c, c->n_comp - 1);
    return rc;
}

/* After a refresh that gathered w (its placed events, clustered and
 * written, in component order): drops the kept components that share an
 * event with w, then keeps each part of w (tl__split) that is large
 * enough and whose events answer alike both ways (sort_end a day less
 * than TL__REACH days after sort_begin), taking the place of much
 * smaller or stale components (tl__comps_fit).  An SQLite code. */
static int tl__comps_settle(tl__evcache *c, const tl__work *w)
{
    if (!c)
        return SQLITE_OK;
    for (size_t i = c->n_comp; i-- > 0;) {
        int drop = 0;
        for (size_t k = 0; k < w->n_ev && !drop; k++)
            drop = tl__comp_has(c->comp[i], w->ev[k].id);
        if (drop)
            tl__comps_drop(c, i);
    }
    const size_t min = c->comp_min ? c->comp_min : TL__COMP_MIN;
    if (w->n_ev < min)
        return SQLITE_OK;
    int *up = malloc(w->n_ev * sizeof *up), *size = calloc(w->n_ev, sizeof *size);
    if (!up || !size || tl__split(w, up)) {
        free(up);
        free(size);
        return SQLITE_NOMEM;
    }
    for (size_t i = 0; i < w->n_ev; i++) {
        const tl__ev *e = &w->ev[i];
        if (size[up[i]] >= 0)
            size[up[i]]++;
        if (!tl__ev_symmetric(w, e))
            size[up[i]] = -1; /* answering may be one-way or by the minute (see "symmetric" above) */
    }
    int rc = SQLITE_OK;
    for (size_t i = 0; i < w->n_ev && rc == SQLITE_OK; i++)
        if (up[i] == (int)i && size[i] >= (int)min && tl__comps_fit(c, (size_t)size[i], (size_t)size[i]))
            rc = tl__comp_keep(c, w, up, (int)i);
    free(up);
    free(size);
    return rc;
}

/* Gathers, clusters and settles the component of each seed of d in turn
 * (a seed found in an earlier one's is skipped), so that a refresh holds
 * one component in memory, not all it touches: a copy of the hot story
 * touches six of thousands of events each, and their union was the
 * largest allocation of an ingest (50,000 events, about 25 MB, at 200 MB
 * of the benchmark's documents as files).  The result is the single
 * gather's when every event gathered answers alike both ways
 * (tl__ev_symmetric): the components are then disjoint, and no event of
 * one could join a cluster of another, since two events that could share
 * a cluster answer each other's questions.  When a component holds an
 * event that may not (a time of day, a decade), or one an earlier
 * component holds, *apart is 0 on return and the caller gathers all of d
 * at once, as before: clustering the union writes again what was written
 * meanwhile, as it would from the start.  Only for documents added (d
 * names no clusters): a seed is skipped by its event's id, and the seed of
 * a deleted event may have an id a new event has taken since (ids are
 * reused), so that its own questions would never be asked.  The deleted
 * clusters' members are appended to lost.  An SQLite code. */
static int tl__rebuild_apart(sqlite3_stmt *const *s, const tl__dirty *d, sqlite3_stmt *near, const tl__loader *ld,
                             tl__work *w, int64_t **lost, size_t *n_lost, size_t *cap_lost, int *apart)
{
    tl__idset seen = {0}; /* the events of the components done */
    tl__dirty one = *d;
    int rc = SQLITE_OK;
    *apart = 1;
    for (size_t k = 0; k < d->n && rc == SQLITE_OK && *apart; k++) {
        if (tl__idset_has(&seen, d->v[k].event_id))
            continue;
        one.v = &d->v[k];
        one.n = 1;
        ld->cache->run++; /* (w's pool is new: the memo's offsets are void) */
        rc = tl__gather(&one, near, ld, w);
        for (size_t i = 0; i < w->n_ev && rc == SQLITE_OK && *apart; i++) {
            const int fresh = tl__ev_symmetric(w, &w->ev[i]) ? tl__idset_add(&seen, w->ev[i].id) : 0;
            if (fresh < 0)
                rc = SQLITE_NOMEM;
            else if (!fresh)
                *apart = 0;
        }
        if (rc == SQLITE_OK && *apart)
            rc = tl__rebuild_loaded(s, w);
        for (size_t i = 0; i < w->n_lost && rc == SQLITE_OK; i++)
            if (tl__ids_push(lost, n_lost, cap_lost, w->lost[i]))
                rc = SQLITE_NOMEM;
        if (rc == SQLITE_OK && *apart)
            rc = tl__comps_settle(ld->cache, w);
        tl__work_free(w);
        w->cache = ld->cache;
    }
    free(seen.slot);
    free(seen.order);
    return rc;
}

/* Drops the kept components holding event id (one a refresh gives a
 * cluster of its own). */
static void tl__comps_forget(tl__evcache *c, int64_t id)
{
    for (size_t i = c ? c->n_comp : 0; i-- > 0;)
        if (tl__comp_has(c->comp[i], id))
            tl__comps_drop(c, i);
}

int tl__comp_limit(tl_db *db, size_t min_events, size_t max_events, int64_t ord_gap)
{
    tl__evcache *c = tl__evcache_of(db);
    if (!c)
        return SQLITE_NOMEM;
    tl__evcache_clear(db);
    c->comp_min = min_events;
    c->comp_max = max_events;
    c->ord_gap = ord_gap;
    c->whole = 0;
    return SQLITE_OK;
}

int tl__gather_apart(tl_db *db, int apart)
{
    tl__evcache *c = tl__evcache_of(db);
    if (!c)
        return SQLITE_NOMEM;
    c->whole = !apart;
    return SQLITE_OK;
}

uint64_t tl__comp_hits(tl_db *db)
{
    return db && db->evcache ? db->evcache->comp_hits : 0;
}

uint64_t tl__comp_keeps(tl_db *db)
{
    return db && db->evcache ? db->evcache->comp_keeps : 0;
}

void tl__load_counts(tl_db *db, uint64_t *cached, uint64_t *stored)
{
    const tl__evcache *c = db ? db->evcache : NULL;
    *cached = c ? c->loads[0] : 0;
    *stored = c ? c->loads[1] : 0;
}

void tl__evcache_sizes(tl_db *db, size_t *events, size_t *shapes, size_t *bytes)
{
    *events = *shapes = *bytes = 0;
    for (int i = 0; db && db->evcache && i < 2; i++) {
        *events += db->evcache->gen[i].n_ev;
        *shapes += db->evcache->gen[i].n_shape;
        *bytes += tl__evgen_bytes(&db->evcache->gen[i]);
    }
}

/* Deletes the clusters left without sources: any (for a full rebuild), or
 * those the named documents' events were in. */
static int tl__drop_orphans(tl_db *db, const tl__dirty *d, sqlite3_stmt *one, const char *all_sql)
{
    if (d->all)
        return tl__exec(db, all_sql);
    int rc = SQLITE_OK;
    for (size_t i = 0; i < d->n_tes && rc == SQLITE_OK; i++) {
        sqlite3_bind_int64(one, 1, d->tes[i]);
        rc = tl__step_done(one);
    }
    return rc;
}

int tl__timeline_refresh(tl_db *db, const tl__dirty *d)
{
    static const char all_sql[] =
        "SELECT e.id FROM events e WHERE e.sort_begin IS NOT NULL ORDER BY e.type, e.id";
    static const char loose_sql[] =
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.doc_id"
        " WHERE NOT EXISTS (SELECT 1 FROM timeline_sources s WHERE s.event_id = e.id)"
        " ORDER BY d.sha256, e.idx";
    static const char orphans_sql[] =
        "DELETE FROM timeline_events WHERE NOT EXISTS"
        " (SELECT 1 FROM timeline_sources s WHERE s.timeline_event_id = timeline_events.id)";
    sqlite3_stmt *s[W_COUNT] = {0}, *near = NULL, *es = NULL, *ps = NULL, *all = NULL, *loose = NULL;
    tl__work w;
    memset(&w, 0, sizeof w);
    int64_t *lost = NULL; /* the deleted clusters' members */
    size_t n_lost = 0, cap_lost = 0;
    int rc = SQLITE_OK, gathered = 0;
    tl__comp **use = NULL; /* the kept component of each seed */
    for (int i = 0; i < W_COUNT && rc == SQLITE_OK; i++)
        rc = tl__prepare(db, tl__write_sql[i], &s[i]);
    if (rc == SQLITE_OK && !d->all) /* (a full rebuild, as in migration 2, runs before event_keys exists) */
        rc = tl__prepare(db, tl__near_sql, &near);
    if (rc == SQLITE_OK)
        rc = tl__prepare(db, tl__ev_sql, &es);
    if (rc == SQLITE_OK)
        rc = tl__prepare(db, tl__part_sql, &ps);
    if (d->all) /* (which reads each event once: no cache) */
        tl__evcache_clear(db);
    else if (rc == SQLITE_OK && !tl__evcache_of(db))
        rc = SQLITE_NOMEM;
    const tl__loader ld = {es, ps, d->all ? NULL : db->evcache};
    w.cache = ld.cache;
    if (w.cache) {
        w.cache->run++; /* (w's pool is new: the memo's offsets are void) */
        w.cache->refreshes++;
    }
    if (rc == SQLITE_OK && d->all)
        rc = tl__prepare(db, loose_sql, &loose);
    if (rc == SQLITE_OK && d->all)
        rc = tl__prepare(db, all_sql, &all);
    /* clusters whose every source was deleted go first, so their keys are free */
    if (rc == SQLITE_OK)
        rc = tl__drop_orphans(db, d, s[W_ORPHAN], orphans_sql);
    if (rc != SQLITE_OK)
        goto done;

    if (d->all) {
        /* everything, one type at a time */
        rc = tl__exec(db, "DELETE FROM timeline_events");
        char type[64] = "";
        while (rc == SQLITE_OK && (rc = sqlite3_step(all)) == SQLITE_ROW) {
            const int64_t id = sqlite3_column_int64(all, 0);
            if ((rc = tl__load_event(&w, &ld, id)) != SQLITE_OK)
                break;
            const char *t = tl__s(&w, w.ev[w.n_ev - 1].type);
            if (w.n_ev > 1 && strcmp(t, type) != 0) {
                /* a new type starts: cluster the ones before it */
                tl__ev last = w.ev[--w.n_ev];
                rc = tl__rebuild_loaded(s, &w);
                w.n_ev = 0;
                w.ev[w.n_ev++] = last; /* its strings and participants stay in the pools */
            }
            snprintf(type, sizeof type, "%s", t);
        }
        if (rc == SQLITE_DONE)
            rc = tl__rebuild_loaded(s, &w);
    } else if (d->n) {
        /* a seed of a kept part is clustered with it in memory (a new copy
         * of its story); the others are gathered, after.  The gather
         * clusters again all of a part it meets (a copy that also tells
         * something new), and drops it; but when it loads an event whose
         * sort strings are not days, which may be compatible with a kept
         * event no question links (a time of day a day before a kept
         * date), the document is gathered whole, so that one pass sees
         * both, as without kept parts. */
        use = calloc(d->n, sizeof *use);
        tl__dirty rest = *d;
        rest.v = malloc(d->n * sizeof *rest.v);
        rest.n = 0;
        if (!use || !rest.v)
            rc = SQLITE_NOMEM;
        else if (tl__comp_find(ld.cache, d, use)) {
            for (size_t k = 0; k < d->n; k++)
                if (!use[k])
                    rest.v[rest.n++] = d->v[k];
            for (size_t k = 0; k < d->n && rc == SQLITE_OK; k++) {
                tl__comp *x = use[k];
                if (!x)
                    continue; /* (done with an earlier seed's) */
                ld.cache->run++; /* (x's pool is not the last work's: the memo's offsets are void) */
                rc = tl__comp_extend(x, d, use, &ld);
                ld.cache->comp_events += x->w.n_ev - x->counted;
                x->counted = x->w.n_ev;
                x->used = ++ld.cache->comp_tick;
                x->seen = ld.cache->refreshes;
                if (rc == SQLITE_OK)
                    rc = tl__rebuild_loaded(s, &x->w);
                for (size_t i = 0; i < x->w.n_lost && rc == SQLITE_OK; i++)
                    if (tl__ids_push(&lost, &n_lost, &cap_lost, x->w.lost[i]))
                        rc = SQLITE_NOMEM;
                tl__work_trim(&x->w);
                for (size_t j = k; j < d->n; j++)
                    if (use[j] == x)
                        use[j] = NULL;
            }
            ld.cache->comp_hits++;
            tl__comps_fit(ld.cache, 0, (size_t)-1);
        } else
            rest.n = d->n, memcpy(rest.v, d->v, d->n * sizeof *rest.v);
        int apart = 0;
        if (rc == SQLITE_OK && rest.n && !ld.cache->whole && !d->n_tes)
            rc = tl__rebuild_apart(s, &rest, near, &ld, &w, &lost, &n_lost, &cap_lost, &apart);
        if (rc == SQLITE_OK && rest.n && !apart) {
            gathered = 1;
            ld.cache->run++; /* (w's pool is new) */
            rc = tl__gather(&rest, near, &ld, &w);
            if (rc == SQLITE_OK && rest.n < d->n && !tl__days_only(&w)) {
                tl__work_free(&w);
                w.cache = ld.cache;
                ld.cache->run++;
                rc = tl__gather(d, near, &ld, &w);
            }
            if (rc == SQLITE_OK)
                rc = tl__rebuild_loaded(s, &w);
        }
        free(rest.v);
    }
    for (size_t i = 0; i < w.n_lost && rc == SQLITE_OK; i++)
        if (tl__ids_push(&lost, &n_lost, &cap_lost, w.lost[i]))
            rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK && gathered) /* (w may be kept: it is emptied then) */
        rc = tl__comps_settle(ld.cache, &w);
    if (rc != SQLITE_OK)
        goto done;
    /* the singles pass loads into a work of its own (the memo's offsets were w's) */
    tl__work_free(&w);
    w.cache = ld.cache;
    if (w.cache)
        w.cache->run++;

    /* events left without a cluster (undated, unplaced, no core participant,
     * or in a deleted cluster and not loaded): one each.  Only the named
     * documents' events and the deleted clusters' members can be. */
    tl__idset singles = {0};
    if (d->all) {
        while ((rc = sqlite3_step(loose)) == SQLITE_ROW)
            if (tl__idset_add(&singles, sqlite3_column_int64(loose, 0)) < 0) {
                rc = SQLITE_NOMEM;
                break;
            }
        sqlite3_reset(loose);
    } else {
        rc = SQLITE_DONE;
        for (size_t i = 0; i < d->n_docs && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(s[W_DOC_EVENTS], 1, d->docs[i]);
            while ((rc = sqlite3_step(s[W_DOC_EVENTS])) == SQLITE_ROW)
                if (tl__idset_add(&singles, sqlite3_column_int64(s[W_DOC_EVENTS], 0)) < 0) {
                    rc = SQLITE_NOMEM;
                    break;
                }
            sqlite3_reset(s[W_DOC_EVENTS]);
        }
        for (size_t i = 0; i < n_lost && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(s[W_UNCLUSTERED], 1, lost[i]);
            rc = sqlite3_step(s[W_UNCLUSTERED]);
            if (rc == SQLITE_ROW)
                rc = tl__idset_add(&singles, lost[i]) < 0 ? SQLITE_NOMEM : SQLITE_DONE;
            sqlite3_reset(s[W_UNCLUSTERED]);
        }
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    for (size_t i = 0; i < singles.n; i++)
        tl__comps_forget(ld.cache, singles.order[i]);
    for (size_t i = 0; i < singles.n && rc == SQLITE_OK; i++) {
        w.n_ev = w.n_part = 0; /* (the pool keeps its strings: they are kept once) */
        if ((rc = tl__load_event(&w, &ld, singles.order[i])) != SQLITE_OK)
            break;
        size_t one = 0;
        rc = tl__write_cluster(s, &w, &one, 1);
    }
    free(singles.slot);
    free(singles.order);
    if (rc == SQLITE_OK)
        rc = tl__drop_orphans(db, d, s[W_ORPHAN], orphans_sql);
done:
    for (int i = 0; i < W_COUNT; i++)
        tl__release(db, s[i]);
    tl__release(db, near);
    tl__release(db, es);
    tl__release(db, ps);
    tl__release(db, all);
    tl__release(db, loose);
    tl__work_free(&w);
    free(lost);
    free(use);
    if (rc != SQLITE_OK && ld.cache) /* a kept work may be half changed */
        while (ld.cache->n_comp)
            tl__comps_drop(ld.cache, ld.cache->n_comp - 1);
    return rc;
}

void tl__day_string(int32_t day, char *buf, size_t buflen)
{
    /* civil from days (H. Hinnant) */
    long z = (long)day + 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp + (mp < 10 ? 3 : -9);
    const long y = yoe + era * 400 + (m <= 2);
    snprintf(buf, buflen, "%04ld-%02ld-%02ld", y, m, d);
}
