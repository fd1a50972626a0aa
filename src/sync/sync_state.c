/* SPDX-License-Identifier: MIT */
/* sync_state.c: the post's side of the sync, kept in the post's own ledger
 * file beside the ledger tables (which it never touches) through the module
 * helpers of module_sqlite.h, as the auth and audit tables are:
 * - sync_state: per central, the durable mark "acknowledged up to
 *   sequence N", the last success and attempt, the last error and the
 *   measured clock skew;
 * - sync_issues: the events the central refused (conflict, rejected), for
 *   a supervisor; an event is kept once (central, sequence).
 * - sync_lists, sync_pulled (v2): what the post pulled from the central;
 *   sync_refused (v3): a list the central offered that the post refused.
 * The mark only moves forward (MAX), in the same transaction as the
 * issues of the batch that moved it; synchronous=FULL makes it durable. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/store.h"
#include "sync_internal.h"

static const char SYNC_V1[] =
    "CREATE TABLE IF NOT EXISTS sync_state("
    "  central TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL DEFAULT 0,"
    "  last_ok_ms INTEGER NOT NULL DEFAULT 0, last_try_ms INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '', skew_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS sync_issues("
    "  central TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL,"
    "  status TEXT NOT NULL, field TEXT NOT NULL, detail TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL, PRIMARY KEY(central, seq))";
/* v2: what the post pulled (docs/sync.md): per central and list (policy,
 * watchlist, lost-stolen) the version and digest it holds, when it was
 * last replaced and last checked; and the ids of the events that came
 * from the central's histories, which the push never sends back. */
static const char SYNC_V2[] =
    "CREATE TABLE IF NOT EXISTS sync_lists("
    "  central TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,"
    "  digest TEXT NOT NULL, pulled_ms INTEGER NOT NULL, checked_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(central, name));"
    "CREATE TABLE IF NOT EXISTS sync_pulled(event_id TEXT PRIMARY KEY, seq INTEGER)";
/* v3: what the central offered that the post refused (a text that did not
 * match its digest, or did not load whole), per central and list, until a
 * pull takes the central's list: the post then knows it holds an older one
 * than the central's (fr_sync_list_state.refused_*). */
static const char SYNC_V3[] =
    "CREATE TABLE IF NOT EXISTS sync_refused("
    "  central TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,"
    "  digest TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY(central, name))";
static const char *const MIGRATIONS[] = {SYNC_V1, SYNC_V2, SYNC_V3};

enum {
    Q_ENSURE,
    Q_MARK,
    Q_ACK,
    Q_SKEW,
    Q_FAIL,
    Q_ISSUE,
    Q_STATUS,
    Q_NISSUES,
    Q_ISSUES,
    Q_LIST_NOTE,
    Q_LISTS,
    Q_PULLED,
    Q_NPULLED,
    Q_LIST_GET,
    Q_REFUSE,
    Q_UNREFUSE,
    Q_REFUSED,
    Q_COUNT
};
static const char *const SQL[Q_COUNT] = {
    [Q_ENSURE] = "INSERT OR IGNORE INTO sync_state(central) VALUES(?1)",
    [Q_MARK] = "SELECT acked_seq FROM sync_state WHERE central = ?1",
    [Q_ACK] = "UPDATE sync_state SET acked_seq = MAX(acked_seq, ?2), last_ok_ms = ?3,"
              " last_try_ms = ?3, last_error = '' WHERE central = ?1",
    [Q_SKEW] = "UPDATE sync_state SET skew_ms = ?2 WHERE central = ?1",
    [Q_FAIL] = "UPDATE sync_state SET last_try_ms = ?2, last_error = ?3 WHERE central = ?1",
    [Q_ISSUE] = "INSERT OR IGNORE INTO sync_issues(central, seq, event_id, status, field, detail,"
                " at_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_STATUS] = "SELECT central, acked_seq, last_ok_ms, last_try_ms, last_error, skew_ms"
                 " FROM sync_state WHERE ?1 IS NULL OR central = ?1 ORDER BY central",
    [Q_NISSUES] = "SELECT COUNT(*) FROM sync_issues WHERE central = ?1",
    [Q_ISSUES] = "SELECT central, seq, event_id, status, field, detail, at_ms FROM sync_issues"
                 " ORDER BY central, seq",
    [Q_LIST_NOTE] = "INSERT INTO sync_lists(central, name, version, digest, pulled_ms, checked_ms)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(central, name) DO UPDATE SET"
                    " version = ?3, digest = ?4, checked_ms = ?5,"
                    " pulled_ms = CASE WHEN ?6 OR digest <> ?4 THEN ?5 ELSE pulled_ms END",
    [Q_LISTS] = "SELECT name, version, digest, pulled_ms, checked_ms FROM sync_lists"
                " WHERE central = ?1",
    [Q_PULLED] = "SELECT 1 FROM sync_pulled WHERE event_id = ?1",
    [Q_NPULLED] = "SELECT COUNT(*) FROM sync_pulled WHERE seq > ?1",
    [Q_LIST_GET] = "SELECT version, digest FROM sync_lists WHERE central = ?1 AND name = ?2",
    [Q_REFUSE] = "INSERT OR REPLACE INTO sync_refused(central, name, version, digest, at_ms)"
                 " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_UNREFUSE] = "DELETE FROM sync_refused WHERE central = ?1 AND name = ?2",
    [Q_REFUSED] = "SELECT name, version, digest, at_ms FROM sync_refused WHERE central = ?1",
};

int fr__sync_db_open(fr_modsql_handle *h, const char *db, fr_error *err)
{
    /* the ledger comes first in the file (and says when there is none) */
    fr_store *s = NULL;
    int rc = fr_store_open(db, 0, &s, err);
    fr_store_close(s);
    if (rc != FR_OK) return rc;
    return fr__modsql_handle_open(h, db, "sync", MIGRATIONS,
                                  (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), SQL, Q_COUNT, err);
}

static int step_done(fr_modsql_handle *h, sqlite3_stmt *st, fr_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FR_OK : fr__modsql_error(h->db, rc, err, what);
}

int fr__sync_db_mark(fr_modsql_handle *h, const char *central, int64_t *acked, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(h, Q_ENSURE, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    if ((rc = step_done(h, st, err, "cannot keep the sync mark")) != FR_OK) return rc;
    if ((rc = fr__modsql_handle_stmt(h, Q_MARK, &st, err)) != FR_OK) return rc;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *acked = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return step == SQLITE_ROW ? FR_OK
                              : fr__modsql_error(h->db, step, err, "cannot read the sync mark");
}

int fr__sync_db_ack(fr_modsql_handle *h, const char *central, int64_t upto,
                    const fr__sync_issue_row *issues, size_t nissues, int64_t now_ms, int have_skew,
                    int64_t skew_ms, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return fr__modsql_error(h->db, rc, err, "cannot start the sync mark");
    for (size_t i = 0; i < nissues; i++) {
        const fr__sync_issue_row *x = &issues[i];
        if ((rc = fr__modsql_handle_stmt(h, Q_ISSUE, &st, err)) != FR_OK) goto fail;
        sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, x->seq);
        sqlite3_bind_text(st, 3, x->event_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, x->status, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, x->field, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, x->detail, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, now_ms);
        if ((rc = step_done(h, st, err, "cannot keep a refused event")) != FR_OK) goto fail;
    }
    if ((rc = fr__modsql_handle_stmt(h, Q_ACK, &st, err)) != FR_OK) goto fail;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, upto);
    sqlite3_bind_int64(st, 3, now_ms);
    if ((rc = step_done(h, st, err, "cannot move the sync mark")) != FR_OK) goto fail;
    if (have_skew) {
        if ((rc = fr__modsql_handle_stmt(h, Q_SKEW, &st, err)) != FR_OK) goto fail;
        sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, skew_ms);
        if ((rc = step_done(h, st, err, "cannot keep the clock skew")) != FR_OK) goto fail;
    }
    rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) return FR_OK;
    rc = fr__modsql_error(h->db, rc, err, "cannot commit the sync mark");
fail:
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void fr__sync_db_fail(fr_modsql_handle *h, const char *central, int64_t now_ms, const char *msg)
{
    sqlite3_stmt *st = NULL;
    fr_error err;
    if (fr__modsql_handle_stmt(h, Q_FAIL, &st, &err) != FR_OK) return;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    sqlite3_bind_text(st, 3, msg, -1, SQLITE_STATIC);
    (void)step_done(h, st, &err, "cannot note the failed sync");
}

static int count_issues(fr_modsql_handle *h, const char *central, int64_t *n, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(h, Q_NISSUES, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *n = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return step == SQLITE_ROW ? FR_OK : fr__modsql_error(h->db, step, err, "cannot count issues");
}

/* The rows of Q_LISTS (what the post holds) or of Q_REFUSED (what it
 * refused) into x's lists, by name. */
static int read_list_rows(fr_modsql_handle *h, fr_sync_status *x, int refused, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(h, refused ? Q_REFUSED : Q_LISTS, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, x->central, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; name && i < FR_SYNC_LISTS; i++) {
            fr_sync_list_state *l = &x->lists[i];
            if (strcmp(name, l->name) != 0) continue;
            if (refused) {
                l->refused_version = sqlite3_column_int64(st, 1);
                fr__modsql_col_text(st, 2, l->refused_digest, sizeof l->refused_digest);
                l->refused_ms = sqlite3_column_int64(st, 3);
            } else {
                l->version = sqlite3_column_int64(st, 1);
                fr__modsql_col_text(st, 2, l->digest, sizeof l->digest);
                l->pulled_ms = sqlite3_column_int64(st, 3);
                l->checked_ms = sqlite3_column_int64(st, 4);
            }
        }
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? FR_OK
                               : fr__modsql_error(h->db, step, err,
                                                  refused ? "cannot read the refused lists"
                                                          : "cannot read the lists");
}

/* The lists x->central's pulls left (and what it refused), and the pulled
 * events not yet passed by the mark (they wait for nothing: the push
 * passes them unsent). */
static int read_lists(fr_modsql_handle *h, fr_sync_status *x, fr_error *err)
{
    static const char *const NAMES[FR_SYNC_LISTS] = {"policy", "watchlist", "lost-stolen",
                                                     "histories"};
    sqlite3_stmt *st = NULL;
    for (int i = 0; i < FR_SYNC_LISTS; i++)
        snprintf(x->lists[i].name, sizeof x->lists[i].name, "%s", NAMES[i]);
    int rc, step;
    if ((rc = read_list_rows(h, x, 0, err)) != FR_OK ||
        (rc = read_list_rows(h, x, 1, err)) != FR_OK)
        return rc;
    if ((rc = fr__modsql_handle_stmt(h, Q_NPULLED, &st, err)) != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, x->acked_seq);
    step = sqlite3_step(st);
    int64_t pulled = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW) return fr__modsql_error(h->db, step, err, "cannot count pulled events");
    x->waiting = x->waiting > pulled ? x->waiting - pulled : 0;
    return FR_OK;
}

/* The first own event after the mark: its time is when it began to wait.
 * The events the post pulled from the central are passed (never sent). */
typedef struct first_own {
    fr_modsql_handle *h;
    int64_t at_ms;
    int rc;
} first_own;

static int on_waiting(void *ud, int64_t seq, const fr_event *ev)
{
    first_own *f = ud;
    int pulled = 0;
    fr_error perr;
    (void)seq;
    if ((f->rc = fr__sync_db_is_pulled(f->h, ev->event_id, &pulled, &perr)) != FR_OK) return f->rc;
    if (pulled) return 0;
    f->at_ms = fr_datetime_utc(&ev->at) * 1000;
    return 1; /* found: stop the walk */
}

static int oldest_waiting(fr_modsql_handle *h, fr_store *store, fr_sync_status *x, fr_error *err)
{
    first_own f = {h, 0, FR_OK};
    x->oldest_waiting_ms = 0;
    if (x->waiting <= 0) return FR_OK;
    int rc = fr_store_events_since(store, x->acked_seq, 0, on_waiting, &f, err);
    if (f.rc != FR_OK)
        return fr_error_set(err, f.rc, 0, 0, "db", "cannot read which events were pulled");
    if (rc < 0) return rc;
    x->oldest_waiting_ms = f.at_ms;
    return FR_OK;
}

int fr_sync_status_get(const char *db, const char *central, fr_sync_status **out, size_t *n,
                       fr_error *err)
{
    fr_modsql_handle h;
    fr_store *store = NULL;
    fr_sync_status *v = NULL;
    size_t count = 0, cap = 0;
    int64_t last = 0, fp = 0, dummy = 0;
    char key[FR_SYNC_URL_MAX + 1];
    *out = NULL;
    *n = 0;
    int rc = central ? fr__sync_central(central, key, err) : FR_OK;
    if (rc != FR_OK) return rc;
    if ((rc = fr__sync_db_open(&h, db, err)) != FR_OK) return rc;
    if (central && (rc = fr__sync_db_mark(&h, key, &dummy, err)) != FR_OK) goto done;
    if ((rc = fr_store_open(db, 0, &store, err)) != FR_OK ||
        (rc = fr_store_last_sequence(store, &last, &fp, err)) != FR_OK)
        goto done;
    sqlite3_stmt *st = NULL;
    if ((rc = fr__modsql_handle_stmt(&h, Q_STATUS, &st, err)) != FR_OK) goto done;
    if (central) sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? 2 * cap : 4;
            fr_sync_status *nv = fr_realloc(v, ncap * sizeof *nv);
            if (!nv) {
                sqlite3_reset(st);
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
                goto done;
            }
            v = nv;
            cap = ncap;
        }
        fr_sync_status *x = &v[count++];
        memset(x, 0, sizeof *x);
        fr__modsql_col_text(st, 0, x->central, sizeof x->central);
        x->acked_seq = sqlite3_column_int64(st, 1);
        x->last_ok_ms = sqlite3_column_int64(st, 2);
        x->last_try_ms = sqlite3_column_int64(st, 3);
        fr__modsql_col_text(st, 4, x->last_error, sizeof x->last_error);
        x->have_skew = sqlite3_column_type(st, 5) != SQLITE_NULL;
        x->skew_ms = sqlite3_column_int64(st, 5);
        x->last_seq = last;
        x->waiting = last > x->acked_seq ? last - x->acked_seq : 0;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        rc = fr__modsql_error(h.db, step, err, "cannot read the sync status");
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        if ((rc = count_issues(&h, v[i].central, &v[i].issues, err)) != FR_OK ||
            (rc = read_lists(&h, &v[i], err)) != FR_OK ||
            (rc = oldest_waiting(&h, store, &v[i], err)) != FR_OK)
            goto done;
    *out = v;
    *n = count;
    v = NULL;
done:
    fr_free(v);
    fr_store_close(store);
    fr__modsql_handle_close(&h);
    return rc;
}

int fr_sync_issues(const char *db, fr_sync_issue_fn fn, void *ud, fr_error *err)
{
    fr_modsql_handle h;
    int rc = fr__sync_db_open(&h, db, err);
    if (rc != FR_OK) return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = fr__modsql_handle_stmt(&h, Q_ISSUES, &st, err)) != FR_OK) goto done;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fr_sync_issue x = {(const char *)sqlite3_column_text(st, 0),
                           sqlite3_column_int64(st, 1),
                           (const char *)sqlite3_column_text(st, 2),
                           (const char *)sqlite3_column_text(st, 3),
                           (const char *)sqlite3_column_text(st, 4),
                           (const char *)sqlite3_column_text(st, 5),
                           sqlite3_column_int64(st, 6)};
        if ((rc = fn(ud, &x)) != 0) break;
    }
    if (rc == FR_OK && step != SQLITE_DONE)
        rc = fr__modsql_error(h.db, step, err, "cannot read the refused events");
    sqlite3_reset(st);
done:
    fr__modsql_handle_close(&h);
    return rc;
}

/* Q_LIST_NOTE or Q_REFUSE with their first five parameters bound. */
static int list_stmt(fr_modsql_handle *h, int which, const char *central, const char *name,
                     int64_t version, const char *digest, int64_t now_ms, sqlite3_stmt **st,
                     fr_error *err)
{
    int rc = fr__modsql_handle_stmt(h, which, st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(*st, 1, central, -1, SQLITE_STATIC);
    sqlite3_bind_text(*st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(*st, 3, version);
    sqlite3_bind_text(*st, 4, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(*st, 5, now_ms);
    return FR_OK;
}

int fr__sync_db_list_note(fr_modsql_handle *h, const char *central, const char *name,
                          int64_t version, const char *digest, int changed, int64_t now_ms,
                          fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = list_stmt(h, Q_LIST_NOTE, central, name, version, digest, now_ms, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int(st, 6, changed);
    if ((rc = step_done(h, st, err, "cannot keep the list's version")) != FR_OK) return rc;
    /* the post holds the central's list now: nothing refused is pending */
    if ((rc = fr__modsql_handle_stmt(h, Q_UNREFUSE, &st, err)) != FR_OK) return rc;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    return step_done(h, st, err, "cannot keep the list's version");
}

int fr__sync_db_list_refused(fr_modsql_handle *h, const char *central, const char *name,
                             int64_t version, const char *digest, int64_t now_ms, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = list_stmt(h, Q_REFUSE, central, name, version, digest, now_ms, &st, err);
    return rc != FR_OK ? rc : step_done(h, st, err, "cannot keep the refused list's version");
}

int fr__sync_db_is_pulled(fr_modsql_handle *h, const char *event_id, int *pulled, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(h, Q_PULLED, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *pulled = step == SQLITE_ROW;
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE
               ? FR_OK
               : fr__modsql_error(h->db, step, err, "cannot read the pulled events");
}

int fr__sync_db_list_get(fr_modsql_handle *h, const char *central, const char *name,
                         int64_t *version, char digest[65], fr_error *err)
{
    sqlite3_stmt *st = NULL;
    *version = 0;
    digest[0] = 0;
    int rc = fr__modsql_handle_stmt(h, Q_LIST_GET, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, central, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        fr__modsql_col_text(st, 1, digest, 65);
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE
               ? FR_OK
               : fr__modsql_error(h->db, step, err, "cannot read the list's version");
}
