/*
 * walbuf.c -- a SQLite VFS shim that writes each commit's WAL frames with
 * one system call instead of two per page.
 *
 * Exports (timeline_int.h): tl__walbuf_vfs, tl__walbuf_buffered (for tests).
 *
 * Why.  SQLite's WAL writer puts every frame in the log with two calls to
 * the VFS (its 24-byte header, then the page), and the unix VFS makes each a
 * pwrite(2): about 100 system calls a document at ingest, which profiles put
 * at 16-18% of ingest time (bench/README.md, session 7).  SQLite has no
 * setting that batches them, and the VFS layer is where SQLite expects such
 * a change to be made.
 *
 * What.  The VFS registered here, "summit-walbuf", forwards everything to
 * the default VFS, except that writes to a WAL file ("-wal", opened with
 * SQLITE_OPEN_WAL) that extend one contiguous run are gathered in a buffer
 * of TL__WALBUF_CAP bytes, and the run is written with one call of the
 * default VFS when:
 *   - the page of a commit frame has been written (the WAL file format: a
 *     frame header, 24 bytes, whose bytes 4-7, the database size after the
 *     commit, are not zero; its page is the next write, at the next byte),
 *     so the transaction is in the file before xWrite returns, and so
 *     before SQLite makes it visible to readers; a failed write fails the
 *     commit with the default VFS's code, and SQLite rolls back;
 *   - the buffer is full, or a write does not extend the run (a commit
 *     frame's header that starts no run is written at once);
 *   - SQLite reads what the buffer holds, or syncs, truncates, sizes or
 *     closes the WAL;
 *   - and, as a backstop that the rule above leaves nothing to, when SQLite
 *     publishes a new WAL index header (xShmBarrier on the database file,
 *     which the shim wraps for this and for the next point).
 * The bytes of the file are those SQLite writes, in its order; only the
 * number of calls changes.
 *
 * Failures.  A run that cannot be written is dropped, and SQLite believed
 * it written: so until the transaction ends (SQLite releases the WAL write
 * lock, xShmLock on the database file) every read of the dropped bytes
 * fails, every further write fails with the same code, and a read that
 * flushed and failed says SQLITE_IOERR_WRITE -- an I/O error, after which
 * SQLite rolls back the whole transaction, never only the statement.  When
 * the write lock is released, whatever is still gathered belongs to a
 * transaction that was rolled back (commits are flushed at their last
 * page) and is dropped: another connection may write that part of the log
 * next.  With locking_mode=EXCLUSIVE SQLite takes no such lock, so after a
 * failed write the connection stays failed until it is closed.
 *
 * A log whose device lacks power-safe overwrite (psow=0), where SQLite pads
 * synchronous commits to a sector boundary after their commit frame, is
 * written straight through, as is one whose database handle is not this
 * VFS's.  Other files (rollback journals, temporary files) are opened by the
 * default VFS into the same memory and never pass through this code.
 *
 * Ownership: the buffer belongs to its WAL file handle and is freed with it.
 * A database file handle knows its open WAL handle (both belong to one
 * connection, so to one thread at a time); each clears the other's link
 * when it closes.
 */
#include "timeline_int.h"

#include <pthread.h>
#include <string.h>

/* 124 KiB: the unix VFS writes at most 128 KiB - 1 bytes a call (it masks
 * the length with 0x1ffff), so a larger run would need several calls
 * anyway.  30 frames of 4 KiB; a document's commit is about 50. */
enum { TL__WALBUF_CAP = 124 * 1024 };

typedef struct tl__wfile tl__wfile;
struct tl__wfile {
    sqlite3_file base;  /* pMethods: one of tl__wal_methods or tl__db_methods */
    sqlite3_file *real; /* the default VFS's handle, in the memory right after this struct */
    tl__wfile *wal;     /* database file: its open WAL handle, if any */
    tl__wfile *db;      /* WAL file: its database's handle, if wrapped */
    unsigned char *buf; /* WAL file: the gathered run, TL__WALBUF_CAP bytes (allocated at first use) */
    size_t len;         /* bytes in buf */
    sqlite3_int64 off;  /* file offset of buf[0] */
    sqlite3_int64 commit_page; /* where the page of the commit frame just begun goes, or -1 */
    int passthrough;           /* WAL file: written straight through, nothing gathered (see tl__vfs_open) */
    int failed;                /* a run was dropped: the code of its write, until the transaction ends */
    sqlite3_int64 lost_begin, lost_end; /* the dropped bytes, which reads must not see */
};

static sqlite3_vfs tl__vfs;
static int tl__vfs_ok;
static pthread_once_t tl__vfs_once = PTHREAD_ONCE_INIT;

#define TL__BASE ((sqlite3_vfs *)tl__vfs.pAppData)

/* Writes the gathered run.  On failure the run is dropped and remembered
 * (see "Failures" above). */
static int tl__wal_flush(tl__wfile *f)
{
    if (f->len == 0)
        return SQLITE_OK;
    const int rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->off);
    if (rc != SQLITE_OK) {
        if (!f->failed) {
            f->failed = rc;
            f->lost_begin = f->off;
            f->lost_end = f->off + (sqlite3_int64)f->len;
        } else {
            if (f->off < f->lost_begin)
                f->lost_begin = f->off;
            if (f->off + (sqlite3_int64)f->len > f->lost_end)
                f->lost_end = f->off + (sqlite3_int64)f->len;
        }
    }
    f->len = 0;
    return rc;
}

/* The end of a write transaction (the WAL write lock released): what is
 * still gathered was rolled back, and a failure is over. */
static void tl__wal_txn_end(tl__wfile *f)
{
    f->len = 0;
    f->commit_page = -1;
    f->failed = 0;
    f->lost_begin = f->lost_end = 0;
}

/* ---- the WAL file --------------------------------------------------------- */

static int tl__wal_close(sqlite3_file *p)
{
    tl__wfile *f = (tl__wfile *)p;
    if (!f->failed && tl__wal_flush(f) != SQLITE_OK)
        sqlite3_log(f->failed, "summit-walbuf: the log's last bytes could not be written at close");
    if (f->db && f->db->wal == f)
        f->db->wal = NULL;
    f->db = NULL;
    sqlite3_free(f->buf);
    f->buf = NULL;
    return f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
}

static int tl__overlaps(sqlite3_int64 a, sqlite3_int64 a_end, sqlite3_int64 b, sqlite3_int64 b_end)
{
    return a < b_end && b < a_end;
}

static int tl__wal_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    tl__wfile *f = (tl__wfile *)p;
    if (f->failed && tl__overlaps(off, off + n, f->lost_begin, f->lost_end))
        return SQLITE_IOERR_READ;
    if (f->len && tl__overlaps(off, off + n, f->off, f->off + (sqlite3_int64)f->len) &&
        tl__wal_flush(f) != SQLITE_OK)
        return SQLITE_IOERR_WRITE; /* an I/O error: SQLite rolls the transaction back */
    return f->real->pMethods->xRead(f->real, out, n, off);
}

/* The WAL file format: a frame header is 24 bytes; bytes 4-7 are the
 * database size in pages after a commit, zero in other frames. */
static int tl__is_commit_header(const void *data, int n)
{
    const unsigned char *h = data;
    return n == 24 && (h[4] | h[5] | h[6] | h[7]) != 0;
}

static int tl__wal_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    tl__wfile *f = (tl__wfile *)p;
    if (f->passthrough)
        return f->real->pMethods->xWrite(f->real, data, n, off);
    if (f->failed)
        return f->failed;
    const int last_page = off == f->commit_page; /* the commit frame's page: the transaction is whole */
    const int commit = tl__is_commit_header(data, n);
    f->commit_page = -1;
    int rc;
    const int extends = f->len && off == f->off + (sqlite3_int64)f->len;
    if (!extends || f->len + (size_t)n > TL__WALBUF_CAP) {
        /* not the next bytes of the run (the first frame of a transaction,
         * a header rewritten in place, the log restarted), or no room: the
         * run goes out first */
        if ((rc = tl__wal_flush(f)) != SQLITE_OK)
            return rc;
        if (!f->buf)
            f->buf = sqlite3_malloc(TL__WALBUF_CAP);
        if (!f->buf || commit || (size_t)n > TL__WALBUF_CAP / 2) {
            /* a commit frame's header that starts no run (a transaction of
             * one frame, the checksum repair's last header) is written at
             * once, as is a page too large to gather */
            rc = f->real->pMethods->xWrite(f->real, data, n, off);
            if (rc == SQLITE_OK && commit)
                f->commit_page = off + n;
            return rc;
        }
        f->off = off;
    }
    memcpy(f->buf + f->len, data, (size_t)n);
    f->len += (size_t)n;
    if (last_page)
        return tl__wal_flush(f);
    if (commit)
        f->commit_page = off + n;
    return SQLITE_OK;
}

static int tl__wal_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    tl__wfile *f = (tl__wfile *)p;
    const int rc = f->failed ? f->failed : tl__wal_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int tl__wal_sync(sqlite3_file *p, int flags)
{
    tl__wfile *f = (tl__wfile *)p;
    const int rc = f->failed ? f->failed : tl__wal_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int tl__wal_size(sqlite3_file *p, sqlite3_int64 *size)
{
    tl__wfile *f = (tl__wfile *)p;
    const int rc = f->failed ? f->failed : tl__wal_flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

/* (size hints and the like need no flush) */
static int tl__wal_fcntl(sqlite3_file *p, int op, void *arg)
{
    tl__wfile *f = (tl__wfile *)p;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

size_t tl__walbuf_buffered(sqlite3_file *wal)
{
    if (!wal || !wal->pMethods || wal->pMethods->xWrite != tl__wal_write)
        return (size_t)-1;
    return ((tl__wfile *)wal)->len;
}

/* ---- forwarded as they are (both kinds of handle) ------------------------- */

#define TL__REAL(p) (((tl__wfile *)(p))->real)

static int tl__f_lock(sqlite3_file *p, int l) { return TL__REAL(p)->pMethods->xLock(TL__REAL(p), l); }
static int tl__f_unlock(sqlite3_file *p, int l) { return TL__REAL(p)->pMethods->xUnlock(TL__REAL(p), l); }
static int tl__f_reserved(sqlite3_file *p, int *out)
{
    return TL__REAL(p)->pMethods->xCheckReservedLock(TL__REAL(p), out);
}
static int tl__f_sector(sqlite3_file *p) { return TL__REAL(p)->pMethods->xSectorSize(TL__REAL(p)); }
static int tl__f_devchar(sqlite3_file *p) { return TL__REAL(p)->pMethods->xDeviceCharacteristics(TL__REAL(p)); }
static int tl__f_shmmap(sqlite3_file *p, int pg, int sz, int extend, void volatile **out)
{
    return TL__REAL(p)->pMethods->xShmMap(TL__REAL(p), pg, sz, extend, out);
}
static int tl__f_shmlock(sqlite3_file *p, int ofst, int n, int flags)
{
    return TL__REAL(p)->pMethods->xShmLock(TL__REAL(p), ofst, n, flags);
}
static void tl__f_shmbarrier(sqlite3_file *p) { TL__REAL(p)->pMethods->xShmBarrier(TL__REAL(p)); }
static int tl__f_shmunmap(sqlite3_file *p, int del) { return TL__REAL(p)->pMethods->xShmUnmap(TL__REAL(p), del); }
static int tl__f_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **out)
{
    return TL__REAL(p)->pMethods->xFetch(TL__REAL(p), off, n, out);
}
static int tl__f_unfetch(sqlite3_file *p, sqlite3_int64 off, void *ptr)
{
    return TL__REAL(p)->pMethods->xUnfetch(TL__REAL(p), off, ptr);
}

/* ---- the database file ---------------------------------------------------- */

static int tl__db_close(sqlite3_file *p)
{
    tl__wfile *f = (tl__wfile *)p;
    if (f->wal && f->wal->db == f)
        f->wal->db = NULL;
    f->wal = NULL;
    return f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
}
static int tl__db_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    return TL__REAL(p)->pMethods->xRead(TL__REAL(p), out, n, off);
}
static int tl__db_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    return TL__REAL(p)->pMethods->xWrite(TL__REAL(p), data, n, off);
}
static int tl__db_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    return TL__REAL(p)->pMethods->xTruncate(TL__REAL(p), size);
}
static int tl__db_sync(sqlite3_file *p, int flags) { return TL__REAL(p)->pMethods->xSync(TL__REAL(p), flags); }
static int tl__db_size(sqlite3_file *p, sqlite3_int64 *size)
{
    return TL__REAL(p)->pMethods->xFileSize(TL__REAL(p), size);
}
static int tl__db_fcntl(sqlite3_file *p, int op, void *arg)
{
    return TL__REAL(p)->pMethods->xFileControl(TL__REAL(p), op, arg);
}
/* SQLite's WAL write lock is lock 0 of the shared memory (WAL_WRITE_LOCK in
 * its wal.c); it is released when a write transaction ends. */
static int tl__db_shmlock(sqlite3_file *p, int ofst, int n, int flags)
{
    tl__wfile *f = (tl__wfile *)p;
    if (f->wal && ofst == 0 && (flags & SQLITE_SHM_UNLOCK) && (flags & SQLITE_SHM_EXCLUSIVE))
        tl__wal_txn_end(f->wal);
    return f->real->pMethods->xShmLock(f->real, ofst, n, flags);
}
static void tl__db_shmbarrier(sqlite3_file *p)
{
    tl__wfile *f = (tl__wfile *)p;
    if (f->wal && f->wal->len && !f->wal->failed && tl__wal_flush(f->wal) != SQLITE_OK)
        sqlite3_log(f->wal->failed, "summit-walbuf: the log could not be written before its index moved");
    f->real->pMethods->xShmBarrier(f->real);
}

/* ---- the VFS -------------------------------------------------------------- */

/* Method tables of each version 1-3: a wrapped handle has its real
 * handle's version, so SQLite sees the same capabilities (shared memory,
 * memory mapping) and never calls a method the real handle lacks. */
#define TL__WAL_METHODS(v)                                                                                     \
    {                                                                                                          \
        v, tl__wal_close, tl__wal_read, tl__wal_write, tl__wal_truncate, tl__wal_sync, tl__wal_size,           \
            tl__f_lock, tl__f_unlock, tl__f_reserved, tl__wal_fcntl, tl__f_sector, tl__f_devchar, tl__f_shmmap, \
            tl__f_shmlock, tl__f_shmbarrier, tl__f_shmunmap, tl__f_fetch, tl__f_unfetch                      \
    }
#define TL__DB_METHODS(v)                                                                                      \
    {                                                                                                          \
        v, tl__db_close, tl__db_read, tl__db_write, tl__db_truncate, tl__db_sync, tl__db_size, tl__f_lock,     \
            tl__f_unlock, tl__f_reserved, tl__db_fcntl, tl__f_sector, tl__f_devchar, tl__f_shmmap,              \
            tl__db_shmlock, tl__db_shmbarrier, tl__f_shmunmap, tl__f_fetch, tl__f_unfetch                      \
    }
static const sqlite3_io_methods tl__wal_methods[3] = {TL__WAL_METHODS(1), TL__WAL_METHODS(2),
                                                      TL__WAL_METHODS(3)};
static const sqlite3_io_methods tl__db_methods[3] = {TL__DB_METHODS(1), TL__DB_METHODS(2), TL__DB_METHODS(3)};

static int tl__is_db_handle(const sqlite3_file *p)
{
    return p->pMethods >= &tl__db_methods[0] && p->pMethods <= &tl__db_methods[2];
}

static int tl__vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *p, int flags, int *out_flags)
{
    (void)vfs;
    const int is_wal = (flags & SQLITE_OPEN_WAL) != 0;
    if (!is_wal && !(flags & SQLITE_OPEN_MAIN_DB)) /* journals, temporary files: not wrapped */
        return TL__BASE->xOpen(TL__BASE, name, p, flags, out_flags);
    tl__wfile *f = (tl__wfile *)p;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)&f[1];
    const int rc = TL__BASE->xOpen(TL__BASE, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        if (f->real->pMethods) /* (a failed xOpen may leave a handle to close) */
            f->real->pMethods->xClose(f->real);
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN; /* base.pMethods stays NULL: SQLite calls no xClose */
    }
    int v = f->real->pMethods->iVersion;
    v = v < 1 ? 1 : v > 3 ? 3 : v;
    f->base.pMethods = is_wal ? &tl__wal_methods[v - 1] : &tl__db_methods[v - 1];
    f->commit_page = -1;
    if (is_wal) {
        sqlite3_file *db = sqlite3_database_file_object(name);
        if (db && tl__is_db_handle(db)) {
            f->db = (tl__wfile *)db;
            f->db->wal = f;
        }
        /* Gathering needs the database handle (its write lock ends a
         * transaction) and a device with power-safe overwrite: without it
         * (psow=0) SQLite pads a synchronous commit to a sector boundary
         * after its commit frame, with writes that the commit rule would
         * leave gathered; such a log is written as SQLite writes it. */
        f->passthrough = !f->db || !(f->db->real->pMethods->xDeviceCharacteristics(f->db->real) &
                                     SQLITE_IOCAP_POWERSAFE_OVERWRITE);
    }
    return SQLITE_OK;
}
static int tl__vfs_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return TL__BASE->xDelete(TL__BASE, name, sync);
}
static int tl__vfs_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return TL__BASE->xAccess(TL__BASE, name, flags, out);
}
static int tl__vfs_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return TL__BASE->xFullPathname(TL__BASE, name, n, out);
}
static void *tl__vfs_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return TL__BASE->xDlOpen(TL__BASE, name);
}
static void tl__vfs_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    TL__BASE->xDlError(TL__BASE, n, out);
}
static void (*tl__vfs_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return TL__BASE->xDlSym(TL__BASE, h, sym);
}
static void tl__vfs_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    TL__BASE->xDlClose(TL__BASE, h);
}
static int tl__vfs_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return TL__BASE->xRandomness(TL__BASE, n, out);
}
static int tl__vfs_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return TL__BASE->xSleep(TL__BASE, us);
}
static int tl__vfs_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return TL__BASE->xCurrentTime(TL__BASE, out);
}
static int tl__vfs_lasterror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return TL__BASE->xGetLastError ? TL__BASE->xGetLastError(TL__BASE, n, out) : 0;
}
static int tl__vfs_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return TL__BASE->xCurrentTimeInt64(TL__BASE, out);
}

static void tl__vfs_init(void)
{
    sqlite3_vfs *base = sqlite3_vfs_find(NULL);
    if (!base || base->iVersion < 2 || !base->xCurrentTimeInt64)
        return;
    tl__vfs.iVersion = 2;
    tl__vfs.szOsFile = (int)sizeof(tl__wfile) + base->szOsFile;
    tl__vfs.mxPathname = base->mxPathname;
    tl__vfs.zName = "summit-walbuf";
    tl__vfs.pAppData = base;
    tl__vfs.xOpen = tl__vfs_open;
    tl__vfs.xDelete = tl__vfs_delete;
    tl__vfs.xAccess = tl__vfs_access;
    tl__vfs.xFullPathname = tl__vfs_fullpath;
    tl__vfs.xDlOpen = base->xDlOpen ? tl__vfs_dlopen : NULL; /* (NULL without extension loading) */
    tl__vfs.xDlError = base->xDlError ? tl__vfs_dlerror : NULL;
    tl__vfs.xDlSym = base->xDlSym ? tl__vfs_dlsym : NULL;
    tl__vfs.xDlClose = base->xDlClose ? tl__vfs_dlclose : NULL;
    tl__vfs.xRandomness = tl__vfs_random;
    tl__vfs.xSleep = tl__vfs_sleep;
    tl__vfs.xCurrentTime = tl__vfs_time;
    tl__vfs.xGetLastError = tl__vfs_lasterror;
    tl__vfs.xCurrentTimeInt64 = tl__vfs_time64;
    tl__vfs_ok = sqlite3_vfs_register(&tl__vfs, 0) == SQLITE_OK;
}

const char *tl__walbuf_vfs(void)
{
    pthread_once(&tl__vfs_once, tl__vfs_init);
    return tl__vfs_ok ? tl__vfs.zName : NULL;
}
