/* SPDX-License-Identifier: MIT */
/* store_pg_seq.c: the event sequence of the PostgreSQL ledger (store.h,
 * "Events by sequence"): numbering at commit and the readers.
 *
 * The contract is that a reader who saw the last sequence N and later reads
 * (N, M] misses nothing: no event may become visible with a number at or
 * below N after N was seen. Event row ids cannot give that on PostgreSQL:
 * they come from a sequence (fetched ahead, 256 at a time in a batch), and
 * with several writers a transaction holding id 9 can commit after another
 * holding id 10 was seen. So events are numbered separately, in event_seq,
 * at the very end of each transaction: one statement takes the counter row
 * frontera_counters('event_seq') FOR UPDATE (UPDATE ... RETURNING), numbers
 * the transaction's events after it, and the COMMIT follows at once. The
 * row lock is held until that COMMIT, and PostgreSQL makes a transaction
 * visible before it releases its locks; so the next writer gets higher
 * numbers only once the previous ones are visible, numbers become visible
 * in order, and a reader's snapshot that contains N contains everything
 * below N. A rolled-back transaction leaves no number (the counter update
 * is rolled back with it), so the sequence has no gaps either. The cost is
 * that commits are serialised for the one round trip between numbering and
 * COMMIT, not for the transaction's work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "store_pg.h"

#define PG_SEQ_PAGE 5000
#define FR_PG_SEQ_PAGE_TEXT "5000" /* the same, in the FETCH */
#define PG_SEQ_FEW 200000          /* events read by index probes rather than a hash join */

int fr__pg_seq_note(pg_store *s, int64_t id, fr_date local_date, int64_t digest)
{
    if (s->ntxev == s->captxev) {
        size_t nc = s->captxev ? s->captxev * 2 : 64;
        pg_seq_row *p = fr_realloc(s->txev, nc * sizeof *p);
        if (!p) return FR_ENOMEM;
        s->txev = p;
        s->captxev = nc;
    }
    s->txev[s->ntxev++] = (pg_seq_row){id, digest, local_date};
    return FR_OK;
}

static const char SEQ_SQL[] =
    "WITH c AS (UPDATE frontera_counters SET value = value + $4::bigint"
    " WHERE name = 'event_seq' RETURNING value)"
    " INSERT INTO event_seq(seq, id, local_date, digest)"
    " SELECT c.value - $4::bigint + u.o, u.id, u.d, u.g FROM c,"
    " unnest($1::bigint[], $2::int[], $3::bigint[]) WITH ORDINALITY AS u(id, d, g, o)";

const char *fr__pg_seq_sql(void)
{
    return SEQ_SQL;
}

int fr__pg_seq_args(pg_store *s, pg_buf b[3], char count[24], fr_error *err)
{
    for (size_t i = 0; i < s->ntxev; i++) {
        char v[24];
        fr__pg_buf_elem(&b[0], fr__pg_i64(v, s->txev[i].id), i == 0);
        fr__pg_buf_elem(&b[1], fr__pg_i64(v, s->txev[i].local_date), i == 0);
        fr__pg_buf_elem(&b[2], fr__pg_i64(v, s->txev[i].digest), i == 0);
    }
    for (int k = 0; k < 3; k++)
        fr__pg_buf_end(&b[k], s->ntxev == 0);
    fr__pg_i64(count, (int64_t)s->ntxev);
    for (int k = 0; k < 3; k++)
        if (b[k].oom)
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory numbering the events");
    return FR_OK;
}

int fr__pg_seq_check(pg_store *s, PGresult *r, fr_error *err)
{
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fr__pg_error(s, r, err, "cannot number the events");
    if (strtoll(PQcmdTuples(r), NULL, 10) != (long long)s->ntxev)
        return fr_error_set(err, FR_ESTORE, 0, 0, "db", "the event sequence counter is missing");
    return FR_OK;
}

int fr__pg_last_sequence(fr_store *base, int64_t *seq, int64_t *fingerprint, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    PGresult *r = PQexec(s->conn, "SELECT seq, digest FROM event_seq ORDER BY seq DESC LIMIT 1");
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the last sequence");
    } else if (PQntuples(r) == 1) {
        *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        *fingerprint = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    }
    PQclear(r);
    return rc;
}

int fr__pg_sequence_fingerprint(fr_store *base, int64_t seq, int64_t *fingerprint, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    char v[24];
    const char *p[1] = {fr__pg_i64(v, seq)};
    PGresult *r = PQexecParams(s->conn, "SELECT digest FROM event_seq WHERE seq = $1", 1, NULL, p,
                               NULL, NULL, 0);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = fr__pg_error(s, r, err, "cannot read an event's fingerprint");
    else if (PQntuples(r) == 0)
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "", "the ledger has no event %lld",
                          (long long)seq);
    else
        *fingerprint = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return rc;
}

/* The rows of one FETCH from the cursor of fr__pg_crossings_since, given
 * to fn: the number of rows (*rows), or fn's non-zero return. */
static int page(pg_store *s, fr_store_crossing_fn fn, void *ud, int *rows, fr_error *err)
{
    PGresult *r = PQexec(s->conn, "FETCH " FR_PG_SEQ_PAGE_TEXT " FROM fr_crossings");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fr__pg_error(s, r, err, "cannot read events");
        PQclear(r);
        return rc;
    }
    int n = PQntuples(r), rc = FR_OK;
    for (int i = 0; i < n && rc == FR_OK; i++) {
        fr_store_crossing c = {.seq = strtoll(PQgetvalue(r, i, 0), NULL, 10),
                               .traveller_id = strtoll(PQgetvalue(r, i, 1), NULL, 10),
                               .kind = (fr_event_kind)atoi(PQgetvalue(r, i, 2)),
                               .date = (fr_date)atol(PQgetvalue(r, i, 3)),
                               .at_utc = strtoll(PQgetvalue(r, i, 4), NULL, 10),
                               .port = PQgetvalue(r, i, 5),
                               .nationality = PQgetvalue(r, i, 6),
                               .admission_class = PQgetvalue(r, i, 7),
                               .authorised_until = PQgetisnull(r, i, 8)
                                                       ? FR_DATE_NONE
                                                       : (fr_date)atol(PQgetvalue(r, i, 8))};
        rc = fn(ud, &c);
    }
    *rows = n;
    PQclear(r);
    return rc;
}

/* One query over (after, upto] read through a cursor, a page at a time:
 * pages of LIMIT each joined every event again (a hash join over the whole
 * table per page: 146 s for 665,000 events, bench/RESULTS.md issue 14). In
 * our own read transaction the planner is told that every row will be read
 * (cursor_tuple_fraction 1: a hash join for a rebuild, the sequence index
 * for a few events since the last read) and may sort in memory. */
int fr__pg_crossings_since(fr_store *base, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                           void *ud, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int own = !s->in_tx;
    int rc = own ? fr__pg_exec(s,
                               "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
                               " SET LOCAL cursor_tuple_fraction = 1; SET LOCAL work_mem = '64MB'",
                               err, "cannot start a read")
                 : fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    if (upto <= 0) upto = INT64_MAX;
    /* a few events since the last read (a refresh): the sequence index and
     * one probe per event; the planner would hash every event to join them
     * (at scale 0.1, 10,912 events: 140 ms against 495 ms) */
    if (own && upto != INT64_MAX && upto - after <= PG_SEQ_FEW &&
        (rc = fr__pg_exec(s, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off",
                          err, "cannot start a read")) != FR_OK)
        goto done;
    char sql[640];
    snprintf(sql, sizeof sql,
             "DECLARE fr_crossings NO SCROLL CURSOR FOR"
             " SELECT q.seq, coalesce(d.traveller_id, e.traveller_id), e.kind, e.local_date,"
             " e.at_utc, e.port, coalesce(d.nationality, e.nationality), e.admission_class,"
             " e.authorised_until"
             " FROM event_seq q JOIN events e ON e.id = q.id AND e.local_date = q.local_date"
             " LEFT JOIN documents d ON d.id = e.document_id"
             " WHERE q.seq > %lld AND q.seq <= %lld ORDER BY q.seq",
             (long long)after, (long long)upto);
    if ((rc = fr__pg_exec(s, sql, err, "cannot read events")) != FR_OK) goto done;
    for (;;) {
        int rows = 0;
        if ((rc = page(s, fn, ud, &rows, err)) != FR_OK) break;
        if (rows < PG_SEQ_PAGE) break;
    }
    if (!own) { /* the caller's transaction goes on: the cursor goes now */
        fr_error e2;
        int rc2 = fr__pg_exec(s, "CLOSE fr_crossings", &e2, "cannot close a read");
        if (rc == FR_OK && rc2 != FR_OK) {
            *err = e2;
            rc = rc2;
        }
    }
done:
    if (own) PQclear(PQexec(s->conn, rc == FR_OK ? "COMMIT" : "ROLLBACK"));
    return rc;
}
