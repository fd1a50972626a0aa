/* SPDX-License-Identifier: MIT */
/* store_pg_purge.c: the retention purge on the PostgreSQL ledger
 * (fr_store_purge, docs/retention.md).
 *
 * One call is one window of traveller numbers (cursor, cursor + max] in one
 * transaction (or the caller's) holding the linking lock exclusively, as a
 * link correction does: one read brings every event of the window's
 * travellers in event-time order (an index range scan per partition, so a
 * whole run reads the events once), the rule decides each person in
 * memory, and the erasure of the window's due persons is a handful of
 * set-based statements over arrays: events de-identified in place (same id
 * and sequence; event id, document, officer, reasons and digest replaced,
 * nationality kept on the row) and their event_keys and event_seq rows
 * re-keyed, link reviews deleted, frequencies counted down (rows at 0
 * deleted), link-correction notes blanked, documents and travellers
 * deleted. The link generation is bumped so other processes drop their
 * document caches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/retention.h"
#include "ledger_rules.h"
#include "store_pg.h"

static int run(pg_store *s, const char *sql, int n, const char *const *p, PGresult **out,
               fr_error *err)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = fr__pg_error(s, r, err, "cannot purge");
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return FR_OK;
}

static int64_t count_of(PGresult *r)
{
    int64_t n = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return n;
}

/* The erasure of the due persons (tids) and their events (the rest). */
typedef struct due {
    pg_buf tids, ids, days, digs, nats, eids;
    size_t ntids, nev;
} due;

static void due_free(due *d)
{
    fr_free(d->tids.p);
    fr_free(d->ids.p);
    fr_free(d->days.p);
    fr_free(d->digs.p);
    fr_free(d->nats.p);
    fr_free(d->eids.p);
}

static int erase(pg_store *s, due *d, fr_purge_counts *c, fr_error *err)
{
    fr__pg_buf_end(&d->ids, d->nev == 0);
    fr__pg_buf_end(&d->days, d->nev == 0);
    fr__pg_buf_end(&d->digs, d->nev == 0);
    fr__pg_buf_end(&d->nats, d->nev == 0);
    fr__pg_buf_end(&d->eids, d->nev == 0);
    if (d->ids.oom || d->days.oom || d->digs.oom || d->nats.oom || d->eids.oom)
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory in the purge");
    const char *ev[4] = {d->ids.p, d->days.p, d->digs.p, d->nats.p};
    const char *keys[2] = {d->eids.p, d->digs.p};
    const char *seq[2] = {d->ids.p, d->digs.p};
    const char *t[1] = {d->tids.p};
    PGresult *r = NULL;
    int rc;
    if ((rc = run(s,
                  "UPDATE events e SET event_id = 'purged ' || e.id, document_id = 0,"
                  " nationality = u.nat, officer = '', reasons = NULL, digest = u.g"
                  " FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[])"
                  " AS u(id, d, g, nat) WHERE e.id = u.id AND e.local_date = u.d",
                  4, ev, NULL, err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE event_keys k SET event_id = 'purged ' || k.id, digest = u.g"
                  " FROM unnest($1::text[], $2::bigint[]) AS u(eid, g) WHERE k.event_id = u.eid",
                  2, keys, NULL, err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE event_seq q SET digest = u.g FROM unnest($1::bigint[], $2::bigint[])"
                  " AS u(id, g) WHERE q.id = u.id",
                  2, seq, NULL, err)) != FR_OK)
        return rc;
    if ((rc = fr__pg_freq_uncount(s, d->tids.p, err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE link_audit SET note = '' WHERE note <> ''"
                  " AND (from_traveller = ANY($1::bigint[]) OR to_traveller = ANY($1::bigint[]))",
                  1, t, NULL, err)) != FR_OK)
        return rc;
    if ((rc = run(s,
                  "DELETE FROM link_reviews WHERE traveller_id = ANY($1::bigint[])"
                  " OR candidate_id = ANY($1::bigint[])",
                  1, t, &r, err)) != FR_OK)
        return rc;
    c->reviews += strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    if ((rc = run(s, "DELETE FROM documents WHERE traveller_id = ANY($1::bigint[])", 1, t, &r,
                  err)) != FR_OK)
        return rc;
    c->documents += strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    if ((rc = run(s, "DELETE FROM travellers WHERE id = ANY($1::bigint[])", 1, t, NULL, err)) !=
        FR_OK)
        return rc;
    return fr__pg_exec(
        s, "UPDATE frontera_counters SET value = value + 1 WHERE name = 'link_generation'", err,
        "cannot purge");
}

static int dry_counts(pg_store *s, due *d, fr_purge_counts *c, fr_error *err)
{
    const char *t[1] = {d->tids.p};
    PGresult *r = NULL;
    int rc = run(s, "SELECT count(*) FROM documents WHERE traveller_id = ANY($1::bigint[])", 1, t,
                 &r, err);
    if (rc != FR_OK) return rc;
    c->documents += count_of(r);
    if ((rc = run(s,
                  "SELECT count(*) FROM link_reviews WHERE traveller_id = ANY($1::bigint[])"
                  " OR candidate_id = ANY($1::bigint[])",
                  1, t, &r, err)) != FR_OK)
        return rc;
    c->reviews += count_of(r);
    return FR_OK;
}

/* Decide the person of rows [from, to) of r (one traveller, event-time
 * order) and, when due, add them to d. */
static int decide(PGresult *r, int from, int to, const fr_retention *ret, fr_date as_of,
                  fr_retention_event *ev, due *d, fr_purge_counts *c)
{
    /* looked at only when the latest event is old enough, as on SQLite */
    int shortest = ret->exit_years < ret->overstay_years ? ret->exit_years : ret->overstay_years;
    int64_t old_utc = ((int64_t)fr_date_add_years(as_of, -shortest) + 2) * 86400;
    for (int i = from; i < to; i++)
        if (strtoll(PQgetvalue(r, i, 5), NULL, 10) >= old_utc) return FR_OK;
    size_t n = 0;
    for (int i = from; i < to; i++, n++) {
        ev[n].kind = (fr_event_kind)atoi(PQgetvalue(r, i, 3));
        ev[n].date = (fr_date)atoi(PQgetvalue(r, i, 2));
        ev[n].authorised_until =
            PQgetisnull(r, i, 4) ? FR_DATE_NONE : (fr_date)atoi(PQgetvalue(r, i, 4));
    }
    c->examined++;
    fr_retention_rule rule;
    if (!fr_retention_due(fr_retention_keep_until(ret, ev, n, &rule), as_of)) return FR_OK;
    c->travellers++;
    c->by_rule[rule]++;
    fr__pg_buf_elem(&d->tids, PQgetvalue(r, from, 0), d->ntids++ == 0);
    for (int i = from; i < to; i++) {
        fr_event_kind k = (fr_event_kind)atoi(PQgetvalue(r, i, 3));
        if (k > 0 && k < 6) c->events[k]++;
        int64_t row = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        char g[24];
        int64_t dig = fr__ledger_purged_digest(row, k, strtoll(PQgetvalue(r, i, 5), NULL, 10),
                                               PQgetvalue(r, i, 6), PQgetvalue(r, i, 7));
        int first = d->nev++ == 0;
        fr__pg_buf_elem(&d->ids, PQgetvalue(r, i, 1), first);
        fr__pg_buf_elem(&d->days, PQgetvalue(r, i, 2), first);
        fr__pg_buf_elem(&d->digs, fr__pg_i64(g, dig), first);
        fr__pg_buf_elem(&d->nats, PQgetvalue(r, i, 7), first);
        fr__pg_buf_elem(&d->eids, PQgetvalue(r, i, 8), first);
    }
    return FR_OK;
}

static int window(pg_store *s, const fr_retention *ret, fr_date as_of, int dry, int64_t *cursor,
                  size_t max, fr_purge_counts *c, int *done, fr_error *err)
{
    char a[24], b[24];
    int64_t hi = *cursor + (int64_t)max;
    const char *p[2] = {fr__pg_i64(a, *cursor), fr__pg_i64(b, hi)};
    PGresult *top = NULL, *r = NULL;
    int rc = run(s, "SELECT coalesce(max(id), 0) FROM travellers", 0, NULL, &top, err);
    if (rc != FR_OK) return rc;
    int64_t last = count_of(top);
    if ((rc = run(s,
                  "SELECT e.traveller_id, e.id, e.local_date, e.kind, e.authorised_until,"
                  " e.at_utc, e.port, coalesce(d.nationality, e.nationality, ''), e.event_id"
                  " FROM events e JOIN travellers t ON t.id = e.traveller_id"
                  " LEFT JOIN documents d ON d.id = e.document_id"
                  " WHERE e.traveller_id > $1 AND e.traveller_id <= $2"
                  " ORDER BY e.traveller_id, e.at_utc, e.id",
                  2, p, &r, err)) != FR_OK)
        return rc;
    int n = PQntuples(r);
    fr_retention_event *ev = fr_malloc((size_t)(n ? n : 1) * sizeof *ev);
    due d;
    memset(&d, 0, sizeof d);
    if (!ev) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory in the purge");
    }
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && strcmp(PQgetvalue(r, j, 0), PQgetvalue(r, i, 0)) == 0)
            j++;
        decide(r, i, j, ret, as_of, ev, &d, c);
        i = j;
    }
    PQclear(r);
    fr_free(ev);
    fr__pg_buf_end(&d.tids, d.ntids == 0);
    if (d.tids.oom) rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory in the purge");
    if (rc == FR_OK && d.ntids) rc = dry ? dry_counts(s, &d, c, err) : erase(s, &d, c, err);
    due_free(&d);
    if (rc == FR_OK) {
        *cursor = hi;
        *done = hi >= last;
    }
    return rc;
}

int fr__pg_purge(fr_store *base, const fr_retention *r, fr_date as_of, unsigned flags,
                 int64_t *cursor, size_t max, fr_purge_counts *counts, int *done, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int dry = (flags & FR_PURGE_DRY_RUN) != 0;
    int own = !s->in_tx;
    int rc = own ? fr__pg_tx_begin(s, err) : fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    if (!dry)
        rc = fr__pg_exec(s, "SELECT pg_advisory_xact_lock(1179799122, 0)", err,
                         "cannot take the linking lock");
    fr_purge_counts c = *counts;
    if (rc == FR_OK) rc = window(s, r, as_of, dry, cursor, max, &c, done, err);
    if (!dry) fr__pg_map_clear(&s->docs); /* documents are gone */
    if (own) {
        if (rc == FR_OK)
            rc = fr__pg_tx_commit(s, err);
        else
            fr__pg_tx_rollback(s);
    }
    if (rc == FR_OK) *counts = c;
    return rc;
}
