/* SPDX-License-Identifier: MIT */
/* sync_histories.c: fr_sync_pull_histories (sync.h): a post takes from the
 * central the recent crossings of the travellers it is likely to see, so
 * that its booth counts stay periods and finds an entry without exit across
 * every post, not only its own.
 *
 * The events are recorded in the post's ledger like any other
 * (fr_store_record links their documents to travellers and pairs exits
 * with entries by event time), in batches of one transaction each; in the
 * same transaction, on the ledger's own connection, each new event's id
 * and sequence go to sync_pulled. The push (sync.c) passes those without
 * sending them, so the central never receives its own events back as the
 * post's, and a crash leaves either both the event and its note or
 * neither. An event the post already holds (pulled before, or its own
 * event that came back) is a duplicate and changes nothing; an id the post
 * holds with other content is a conflict and is not applied. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "event_json.h"
#include "frontera/alloc.h"
#include "frontera/store.h"
#include "store_impl.h"
#include "sync_internal.h"

/* Events per write transaction. Small: the post's server pulls from a thread
 * of low priority (cli_sync.c, nice 10), and while it holds the ledger's
 * write lock the booth's group commit waits for it; under a saturated CPU
 * that thread runs slowly, so it must not hold the lock for long. */
#define PULL_BATCH 100

static int note_pulled(sqlite3 *db, sqlite3_stmt *st, const char *id, int64_t seq, fr_error *err)
{
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, seq);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? FR_OK
                               : fr_error_set(err, FR_ESTORE, 0, 0, "",
                                              "cannot note a pulled "
                                              "event: %s",
                                              sqlite3_errmsg(db));
}

/* Record the events of arr in the post's ledger (see above). */
static int record_all(fr_store *store, json_t *arr, fr_sync_history_report *rep, fr_error *err)
{
    sqlite3 *db = store->ops->connection && strcmp(store->ops->name, "sqlite") == 0
                      ? store->ops->connection(store)
                      : NULL;
    sqlite3_stmt *st = NULL;
    int rc = FR_OK, in_batch = 0;
    if (!db) return fr_error_set(err, FR_EINVAL, 0, 0, "db", "a post's ledger is an SQLite file");
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO sync_pulled(event_id, seq) VALUES(?1, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot note pulled events: %s",
                            sqlite3_errmsg(db));
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        if (!in_batch) {
            if ((rc = fr_store_batch_begin(store, err)) != FR_OK) goto done;
            in_batch = 1;
        }
        json_t *o = json_array_get(arr, i);
        char officer[FR_OFFICER_MAX + 1] = "";
        json_t *off = json_is_object(o) ? json_object_get(o, "officer") : NULL;
        if (json_is_string(off) && json_string_length(off) <= FR_OFFICER_MAX)
            memcpy(officer, json_string_value(off), json_string_length(off) + 1);
        if (off) json_object_del(o, "officer");
        fr_event ev;
        char *reasons = NULL;
        fr_record_result res;
        fr_error e;
        fr_error_clear(&e);
        int r = fr__event_from_json(o, officer, &ev, &reasons, &e);
        if (r == FR_OK) r = fr_store_record(store, &ev, &res, &e);
        fr_free(reasons);
        if (r == FR_OK && !res.duplicate) {
            if ((rc = note_pulled(db, st, ev.event_id, res.event_row, err)) != FR_OK) goto done;
            rep->recorded++;
        } else if (r == FR_OK) {
            rep->known++;
        } else if (r == FR_ECONFLICT) {
            rep->conflicts++;
        } else if (r == FR_EINVAL) {
            rep->refused++;
        } else if (r == FR_ENOMEM) {
            rc = fr_error_set(err, r, 0, 0, "", "out of memory");
            goto done;
        } else {
            *err = e;
            rc = r;
            goto done;
        }
        if ((i + 1) % PULL_BATCH == 0 || i + 1 == n) {
            if ((rc = fr_store_batch_commit(store, err)) != FR_OK) goto done;
            in_batch = 0;
        }
    }
done:
    if (in_batch && rc != FR_OK) fr_store_batch_rollback(store);
    sqlite3_finalize(st);
    return rc;
}

int fr_sync_pull_histories(const fr_sync_config *cfg, int days, int full,
                           fr_sync_history_report *rep, fr_error *err)
{
    char central[FR_SYNC_URL_MAX + 1], path[128], held[65], stamp[65];
    int64_t since = 0;
    fr__sync_http *http = NULL;
    fr_modsql_handle h;
    fr_store *store = NULL;
    char *answer = NULL;
    json_t *j = NULL;
    long status = 0;
    int64_t date_ms = 0;
    int have_db = 0;
    memset(rep, 0, sizeof *rep);
    if (!cfg || !cfg->db || !cfg->token || !cfg->clock_ms || days < 0 || days > 730)
        return fr_error_set(err, FR_EINVAL, 0, 0, "",
                            "a history pull needs a ledger, a token, a clock and 0 to 730 days");
    if (!days) days = 180;
    int rc = fr__sync_central(cfg->central, central, err);
    if (rc != FR_OK || (rc = fr__sync_db_open(&h, cfg->db, err)) != FR_OK) return rc;
    have_db = 1; /* the sync tables (sync_pulled) exist from here on */
    /* since the last pull: its sequence, and "FINGERPRINT/DAYS" */
    long long fp = 0;
    int held_days = 0;
    if ((rc = fr__sync_db_list_get(&h, central, "histories", &since, held, err)) != FR_OK)
        goto done;
    if (full || sscanf(held, "%lld/%d", &fp, &held_days) != 2 || held_days != days) since = 0;
    if (since > 0)
        snprintf(path, sizeof path, "/v1/sync/histories?days=%d&since=%lld&fingerprint=%lld", days,
                 (long long)since, fp);
    else
        snprintf(path, sizeof path, "/v1/sync/histories?days=%d", days);
    if ((rc = fr_store_open(cfg->db, 0, &store, err)) != FR_OK ||
        (rc = fr__sync_http_open(cfg, central, &http, err)) != FR_OK)
        goto done;
    fr__sync_http_lists(http, NULL);
    rc = fr__sync_http_get(http, path, cfg->clock_ms(cfg->clock_ud), &status, &answer, &date_ms,
                           err);
    if (rc != FR_OK) goto done;
    if (fr__sync_auth_error(err, status, "GET /v1/sync/histories", answer)) {
        rc = FR_EAUTH;
        goto done;
    }
    if (status != 200) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "central",
                          "the central answered %ld to GET /v1/sync/histories", status);
        goto done;
    }
    j = json_loads(answer, 0, NULL);
    fr_free(answer);
    answer = NULL;
    json_t *arr = j ? json_object_get(j, "events") : NULL;
    json_t *nt = j ? json_object_get(j, "travellers") : NULL;
    json_t *seq = j ? json_object_get(j, "seq") : NULL;
    json_t *fpj = j ? json_object_get(j, "fingerprint") : NULL;
    if (!json_is_array(arr) || !json_is_integer(nt) || !json_is_integer(seq) ||
        !json_is_integer(fpj)) {
        rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                          "the answer is not the central's histories");
        goto done;
    }
    rep->travellers = (size_t)json_integer_value(nt);
    rep->events = json_array_size(arr);
    rep->incremental = json_is_true(json_object_get(j, "incremental"));
    rep->seq = (int64_t)json_integer_value(seq);
    if ((rc = record_all(store, arr, rep, err)) != FR_OK) goto done;
    /* every event is recorded: the next pull starts from here */
    snprintf(stamp, sizeof stamp, "%lld/%d", (long long)json_integer_value(fpj), days);
    rc = fr__sync_db_list_note(&h, central, "histories", rep->seq, stamp, rep->recorded > 0,
                               cfg->clock_ms(cfg->clock_ud), err);
done:
    json_decref(j);
    fr_free(answer);
    fr__sync_http_close(http);
    fr_store_close(store);
    if (have_db) fr__modsql_handle_close(&h);
    return rc;
}
