/* SPDX-License-Identifier: MIT */
/* store_pg_link.c: the look-up of one event and the linking of a new
 * document in the PostgreSQL backend.
 *
 * One round trip (frontera_lookup3, store_pg.c) answers, by row kind k:
 * 5 the link generation (a review or a split bumps it, and the document
 * cache is then dropped: another process may have moved documents); 0 the
 * event id's digest, traveller, row and anomalies; 1 the document's id,
 * traveller and person digest; 3 the traveller's last entry/exit, its row
 * locked first; and for a new document, after the linking locks: 4 the
 * frequency totals, 2 each blocking row (born on one of the birth keys,
 * same nationality or surname) with its name and birth-date frequencies,
 * 6 the frequencies of the candidates this transaction created and has not
 * sent. The latest document and last crossing of the server's candidates
 * that can still reach review are read in a second query, only for them.
 *
 * The decision is store_link.c's, as on SQLite. What the server does not
 * know yet comes from memory: travellers created in this transaction and
 * not sent (candidates of their own), their counts in the frequency deltas
 * (s->freq), documents of this transaction (a candidate's latest) and its
 * crossings (s->travs).
 *
 * Locks, so that linking is right with several writers: a record of a new
 * document takes the linking lock shared and an advisory lock on each of
 * its birth keys modulo 2048 (in order). A candidate is born on one of those
 * keys, and whoever creates or links a traveller born on a date locks that
 * date, so two writers cannot both miss each other's new traveller. A batch
 * holds the linking lock exclusively (store_pg.c), a review or a split too.
 * The frequencies are read as committed: a concurrent writer's new
 * travellers may or may not be counted yet, which moves a weight by a
 * fraction of a bit at most (docs/ledger.md, "PostgreSQL"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "store_pg.h"

#define PG_PENDING_MAX 64 /* unsent candidates considered per document */

void fr__pg_lookup_free(pg_lookup *l)
{
    fr_free(l->c);
    l->c = NULL;
    l->nc = l->cap = l->nserver = 0;
}

static pg_cand *cand_add(pg_lookup *l)
{
    if (l->nc == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        pg_cand *p = fr_realloc(l->c, nc * sizeof *p);
        if (!p) return NULL;
        l->c = p;
        l->cap = nc;
    }
    pg_cand *c = &l->c[l->nc++];
    memset(c, 0, sizeof *c);
    c->expiry = FR_DATE_NONE;
    return c;
}

static int64_t i64(const PGresult *r, int i, int col)
{
    return strtoll(PQgetvalue(r, i, col), NULL, 10);
}

int fr__pg_lookup_read(PGresult *r, pg_lookup *l, fr_error *err)
{
    int wide = PQnfields(r) >= 14;
    for (int i = 0; i < PQntuples(r); i++) {
        int k = atoi(PQgetvalue(r, i, 0));
        int64_t a = i64(r, i, 1), b = i64(r, i, 2), c = i64(r, i, 3);
        int dv = atoi(PQgetvalue(r, i, 4));
        if (k == 0) {
            l->have_event = 1;
            l->ev_digest = a, l->ev_tid = b, l->ev_row = c, l->ev_anom = (unsigned)dv;
        } else if (k == 1) {
            l->have_doc = 1;
            l->doc_id = a, l->tid = b, l->pdig = c;
        } else if (k == 3) {
            l->have_last = 1;
            l->last_row = a, l->last_utc = b, l->last_kind = dv;
        } else if (k == 5) {
            l->gen = a;
        } else if (k == 4) {
            l->total = a, l->nat = b;
        } else if (k == 2 && wide) {
            /* server rows come before the unsent ones (added after the call) */
            pg_cand *x = cand_add(l);
            if (!x) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
            x->row.id = a;
            x->name_n = b, x->birth_n = c;
            snprintf(x->row.surname, sizeof x->row.surname, "%s", PQgetvalue(r, i, 5));
            snprintf(x->row.given_names, sizeof x->row.given_names, "%s", PQgetvalue(r, i, 6));
            snprintf(x->row.nationality, sizeof x->row.nationality, "%s", PQgetvalue(r, i, 7));
            x->row.sex = PQgetvalue(r, i, 8)[0];
            x->row.birth_date = (fr_date)i64(r, i, 9);
            snprintf(x->state, sizeof x->state, "%s", PQgetvalue(r, i, 10));
            if (!PQgetisnull(r, i, 11)) x->expiry = (fr_date)i64(r, i, 11);
            if (!PQgetisnull(r, i, 12)) {
                x->has_last = 1;
                x->last_utc = i64(r, i, 12);
                x->last_kind = atoi(PQgetvalue(r, i, 13));
            }
            l->nserver++;
        }
    }
    return FR_OK;
}

/* k 6 rows name the unsent candidates by position (1-based) after the
 * server's: fill their counts. */
static void read_pending_counts(PGresult *r, pg_lookup *l)
{
    for (int i = 0; i < PQntuples(r); i++) {
        if (atoi(PQgetvalue(r, i, 0)) != 6) continue;
        size_t at = l->nserver + (size_t)i64(r, i, 1) - 1;
        if (at < l->nc) l->c[at].name_n = i64(r, i, 2), l->c[at].birth_n = i64(r, i, 3);
    }
}

static void birth_key(char key[24], fr_date d)
{
    snprintf(key, 24, "b%ld", (long)d);
}

/* This transaction's unsent travellers born on a key of d with its
 * nationality or surname: as candidates (after the server's), oldest
 * first. Their ids are above every id the server returned. */
static int pending_candidates(pg_store *s, const fr_document *d, const fr_date *keys, size_t nk,
                              pg_lookup *l, fr_error *err)
{
    size_t idx[PG_PENDING_MAX], n = 0;
    for (size_t k = 0; k < nk; k++) {
        char key[24];
        birth_key(key, keys[k]);
        pg_slot *b = fr__pg_map_get(&s->births, key);
        if (!b) continue;
        for (int64_t i = b->c - 1; i >= 0 && n < PG_PENDING_MAX; i = s->ptrav[i].next_same_birth) {
            if ((size_t)i < s->flushed_trav) break; /* sent: the server answered for those */
            const pg_trav_row *t = &s->ptrav[i];
            if (strcmp(t->nationality, d->nationality) == 0 || strcmp(t->surname, d->surname) == 0)
                idx[n++] = (size_t)i;
        }
    }
    for (size_t j = 0; j < n; j++) {
        const pg_trav_row *t = &s->ptrav[idx[j]];
        pg_cand *x = cand_add(l);
        if (!x) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
        x->row.id = t->id;
        memcpy(x->row.surname, t->surname, sizeof x->row.surname);
        memcpy(x->row.given_names, t->given_names, sizeof x->row.given_names);
        memcpy(x->row.nationality, t->nationality, sizeof x->row.nationality);
        x->row.sex = t->sex;
        x->row.birth_date = t->birth_date;
    }
    return FR_OK;
}

int fr__pg_lookup_run(pg_store *s, const char *event_id, const fr_document *doc, int with_doc,
                      int pairs, int link_lock, pg_lookup *l, fr_error *err)
{
    l->gen = -1;
    fr_date keys[3];
    size_t nk =
        with_doc && fr__slink_wanted(doc) ? fr_linkage_birth_keys(doc->birth_date, keys) : 0;
    int rc = FR_OK;
    pg_buf kb = {0}, pn = {0}, ps = {0}, pgn = {0}, pb = {0};
    for (size_t k = 0; k < nk; k++) {
        char v[24];
        fr__pg_buf_elem(&kb, fr__pg_i64(v, keys[k]), k == 0);
    }
    fr__pg_buf_end(&kb, nk == 0);
    size_t before = l->nc;
    if (nk && (rc = pending_candidates(s, doc, keys, nk, l, err)) != FR_OK) goto done;
    for (size_t j = before; j < l->nc; j++) {
        char v[24];
        fr__pg_buf_elem(&pn, l->c[j].row.nationality, j == before);
        fr__pg_buf_elem(&ps, l->c[j].row.surname, j == before);
        fr__pg_buf_elem(&pgn, l->c[j].row.given_names, j == before);
        fr__pg_buf_elem(&pb, fr__pg_i64(v, l->c[j].row.birth_date), j == before);
    }
    fr__pg_buf_end(&pn, l->nc == before);
    fr__pg_buf_end(&ps, l->nc == before);
    fr__pg_buf_end(&pgn, l->nc == before);
    fr__pg_buf_end(&pb, l->nc == before);
    if (kb.oom || pn.oom || ps.oom || pgn.oom || pb.oom) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory looking the event up");
        goto done;
    }
    /* the unsent candidates are read back after the server's rows */
    pg_cand *pend = NULL;
    size_t npend = l->nc - before;
    if (npend) {
        pend = fr_malloc(npend * sizeof *pend);
        if (!pend) {
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory looking the event up");
            goto done;
        }
        memcpy(pend, &l->c[before], npend * sizeof *pend);
        l->nc = before;
    }
    const char *p[12] = {event_id,
                         doc->state,
                         doc->number,
                         nk ? kb.p : NULL,
                         doc->nationality,
                         doc->surname,
                         pairs ? "t" : "f",
                         link_lock ? "t" : "f",
                         pn.p,
                         ps.p,
                         pgn.p,
                         pb.p};
    PGresult *r = PQexecParams(s->conn,
                               "SELECT * FROM frontera_lookup3($1, $2, $3, $4, $5, $6, $7, $8,"
                               " $9, $10, $11, $12)",
                               12, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot look the event up");
    } else if ((rc = fr__pg_lookup_read(r, l, err)) == FR_OK) {
        for (size_t j = 0; j < npend && rc == FR_OK; j++) {
            pg_cand *x = cand_add(l);
            if (!x)
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
            else
                *x = pend[j];
        }
        if (rc == FR_OK) read_pending_counts(r, l);
    }
    PQclear(r);
    fr_free(pend);
done:
    fr_free(kb.p);
    fr_free(pn.p);
    fr_free(ps.p);
    fr_free(pgn.p);
    fr_free(pb.p);
    return rc;
}

static int64_t delta(pg_store *s, const char *key)
{
    pg_slot *x = fr__pg_map_get(&s->freq, key);
    return x ? x->a : 0;
}

int fr__pg_lookup_prefetched(pg_store *s, const fr_document *doc, fr_date day, int entering,
                             pg_lookup *l, fr_error *err)
{
    char key[40];
    snprintf(key, sizeof key, "%s:%s", doc->state, doc->number);
    pg_slot *d = s->pre_valid ? fr__pg_map_get(&s->pre_doc, key) : NULL;
    if (!d) return 0;
    l->gen = -1;
    if (!fr__slink_wanted(doc)) return 1; /* a new traveller without a look-up */
    /* the dates worth reading now must have been read */
    fr_date then[3], now[3];
    size_t nthen = fr__pg_prefetch_keys(s, doc, day, entering, s->pre_total, d->c, then);
    snprintf(key, sizeof key, "N%s", doc->nationality);
    size_t nnow = fr__pg_prefetch_keys(s, doc, day, entering, s->pre_total + delta(s, "T"),
                                       d->c + delta(s, key), now);
    for (size_t i = 0; i < nnow; i++) {
        size_t j = 0;
        while (j < nthen && then[j] != now[i])
            j++;
        if (j == nthen) return 0;
    }
    /* a row not counted must be one the driver refuses with the best counts */
    fr_linkage_query q = {doc, day, entering};
    fr_linkage_freq best = {s->pre_total + delta(s, "T"), d->c + delta(s, key), 0, 0};
    for (int64_t i = 0; i < d->b; i++) {
        const pg_cand *x = &s->pre_cand[d->a + i];
        if (!x->counted && fr__slink_may_review(&s->link_params, &q, &x->row, &best)) return 0;
    }
    l->total = s->pre_total, l->nat = d->c;
    for (int64_t i = 0; i < d->b; i++) {
        pg_cand *x = cand_add(l);
        if (!x) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
        *x = s->pre_cand[d->a + i];
        l->nserver++;
    }
    fr_date keys[3];
    size_t nk = fr_linkage_birth_keys(doc->birth_date, keys), before = l->nc;
    int rc = pending_candidates(s, doc, keys, nk, l, err);
    if (rc != FR_OK) return rc;
    for (size_t j = before; j < l->nc; j++) { /* the server's counts of this chunk's names */
        char k[24];
        const fr_slink_row *x = &l->c[j].row;
        fr__pg_name_key(k, x->nationality, x->surname, x->given_names);
        pg_slot *nf = fr__pg_map_get(&s->pre_freq, k);
        snprintf(k, sizeof k, "B%ld", (long)x->birth_date);
        pg_slot *bf = fr__pg_map_get(&s->pre_freq, k);
        if (!nf || !bf) { /* not in the chunk's look-up: ask the server */
            fr__pg_lookup_free(l);
            memset(l, 0, sizeof *l);
            return 0;
        }
        l->c[j].name_n = nf->a, l->c[j].birth_n = bf->a;
    }
    return 1;
}

/* ---- frequency deltas of unsent travellers -------------------------------- */

void fr__pg_name_key(char key[24], const char *nat, const char *sur, const char *giv)
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[3] = {nat, sur, giv};
    for (int i = 0; i < 3; i++) {
        for (const char *c = parts[i]; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        h = (h ^ 0xffu) * 1099511628211ULL; /* separator */
    }
    snprintf(key, 24, "M%016llx", (unsigned long long)h);
}

static int bump(pg_store *s, const char *key)
{
    pg_slot *x = fr__pg_map_put(&s->freq, key);
    if (!x) return FR_ENOMEM;
    x->a++;
    return FR_OK;
}

int fr__pg_freq_count(pg_store *s, const fr_document *d, fr_error *err)
{
    char k[24];
    int rc = bump(s, "T");
    snprintf(k, sizeof k, "N%s", d->nationality);
    if (rc == FR_OK) rc = bump(s, k);
    fr__pg_name_key(k, d->nationality, d->surname, d->given_names);
    if (rc == FR_OK) rc = bump(s, k);
    if (rc == FR_OK && d->birth_date != FR_DATE_NONE) {
        snprintf(k, sizeof k, "B%ld", (long)d->birth_date);
        rc = bump(s, k);
    }
    return rc == FR_OK ? FR_OK : fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
}

/* The three upserts of the counts in one statement (one round trip), keys
 * in order so that writers lock rows alike. */
static const char FREQ_SQL[] =
    "WITH u AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])"
    "  AS u(na, su, gi, bi)),"
    " n AS (INSERT INTO link_nat_freq(nationality, n) SELECT na, count(*) FROM u"
    "  GROUP BY na ORDER BY na ON CONFLICT (nationality) DO UPDATE"
    "  SET n = link_nat_freq.n + excluded.n RETURNING 1),"
    " m AS (INSERT INTO link_name_freq(nationality, surname, given_names, n)"
    "  SELECT na, su, gi, count(*) FROM u GROUP BY na, su, gi ORDER BY na, su, gi"
    "  ON CONFLICT (nationality, surname, given_names) DO UPDATE"
    "  SET n = link_name_freq.n + excluded.n RETURNING 1),"
    " b AS (INSERT INTO link_birth_freq(birth_date, n) SELECT bi, count(*) FROM u"
    "  WHERE bi IS NOT NULL GROUP BY bi ORDER BY bi ON CONFLICT (birth_date) DO UPDATE"
    "  SET n = link_birth_freq.n + excluded.n RETURNING 1)"
    " SELECT (SELECT count(*) FROM n), (SELECT count(*) FROM m), (SELECT count(*) FROM b)";

const char *fr__pg_freq_sql(void)
{
    return FREQ_SQL;
}

int fr__pg_freq_args(pg_store *s, size_t from, size_t to, pg_buf b[4], fr_error *err)
{
    for (size_t i = from; i < to; i++) {
        const pg_trav_row *t = &s->ptrav[i];
        char v[24];
        fr__pg_buf_elem(&b[0], t->nationality, i == from);
        fr__pg_buf_elem(&b[1], t->surname, i == from);
        fr__pg_buf_elem(&b[2], t->given_names, i == from);
        fr__pg_buf_elem(&b[3], fr__pg_date(v, t->birth_date), i == from);
    }
    for (int k = 0; k < 4; k++)
        fr__pg_buf_end(&b[k], from >= to);
    for (int k = 0; k < 4; k++)
        if (b[k].oom)
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory counting travellers");
    return FR_OK;
}

int fr__pg_freq_flush(pg_store *s, size_t from, size_t to, fr_error *err)
{
    if (from >= to) {
        fr__pg_map_clear(&s->freq);
        return FR_OK;
    }
    pg_buf b[4] = {{0}};
    int rc = fr__pg_freq_args(s, from, to, b, err);
    if (rc == FR_OK) {
        const char *p[4] = {b[0].p, b[1].p, b[2].p, b[3].p};
        PGresult *r = PQexecParams(s->conn, FREQ_SQL, 4, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = fr__pg_error(s, r, err, "cannot count the travellers' names");
        PQclear(r);
    }
    for (int k = 0; k < 4; k++)
        fr_free(b[k].p);
    if (rc == FR_OK) fr__pg_map_clear(&s->freq);
    return rc;
}

/* ---- the decision ---------------------------------------------------------- */

/* Document kinds as the linking rule sees them (linkage.h): passport or not. */
static char doc_kind(const char *type)
{
    return type[0] == 'P' ? 'P' : 'I';
}

int fr__pg_latest_doc(pg_store *s, int64_t tid, size_t i)
{
    char key[24];
    snprintf(key, sizeof key, "L%lld", (long long)tid); /* of any kind */
    pg_slot *x = fr__pg_map_put(&s->travs, key);
    if (!x) return FR_ENOMEM;
    x->a = (int64_t)i;
    snprintf(key, sizeof key, "L%c%lld", doc_kind(s->pdoc[i].doc.type), (long long)tid);
    if (!(x = fr__pg_map_put(&s->travs, key))) return FR_ENOMEM;
    x->a = (int64_t)i;
    return FR_OK;
}

/* The latest of this transaction's documents of traveller tid: of kind
 * `kind` ('P', 'I') or of any kind (0); NULL when it has none. */
static const fr_document *pending_doc(pg_store *s, int64_t tid, char kind)
{
    char key[24];
    if (kind)
        snprintf(key, sizeof key, "L%c%lld", kind, (long long)tid);
    else
        snprintf(key, sizeof key, "L%lld", (long long)tid);
    pg_slot *x = fr__pg_map_get(&s->travs, key);
    return x && (size_t)x->a < s->npdoc ? &s->pdoc[x->a].doc : NULL;
}

typedef struct {
    pg_store *s;
    pg_lookup *l;
    const fr_slink_row *rows;
} decide_ctx;

static int name_birth(void *ud, const fr_slink_row *x, fr_linkage_freq *f, fr_error *err)
{
    decide_ctx *c = ud;
    const pg_cand *pc = &c->l->c[x - c->rows];
    char k[24];
    fr__pg_name_key(k, x->nationality, x->surname, x->given_names);
    f->name = pc->name_n + delta(c->s, k);
    snprintf(k, sizeof k, "B%ld", (long)x->birth_date);
    f->birth = pc->birth_n + delta(c->s, k);
    (void)err;
    return FR_OK;
}

/* The candidate's latest document of the new one's kind (else its latest of
 * any kind), as the SQLite store reads it (SQ_TRAV_LAST_DOC): this
 * transaction's documents are newer than the server's. */
static int travel(void *ud, const fr_document *doc, fr_linkage_candidate *cand, char state[4],
                  char type[3], fr_error *err)
{
    decide_ctx *c = ud;
    pg_store *s = c->s;
    const pg_cand *pc = NULL;
    for (size_t i = 0; i < c->l->nc && !pc; i++)
        if (c->l->c[i].row.id == cand->traveller_id) pc = &c->l->c[i];
    (void)err;
    char want = doc_kind(doc->type);
    const fr_document *d = pending_doc(s, cand->traveller_id, want);
    int server_same = pc && pc->type[0] && doc_kind(pc->type) == want;
    if (!d && !server_same) d = pending_doc(s, cand->traveller_id, 0);
    state[0] = type[0] = '\0';
    cand->doc_expiry = FR_DATE_NONE;
    if (d) {
        snprintf(state, 4, "%s", d->state);
        snprintf(type, 3, "%s", d->type);
        cand->doc_expiry = d->expiry;
    } else if (pc) {
        snprintf(state, 4, "%s", pc->state);
        snprintf(type, 3, "%s", pc->type);
        cand->doc_expiry = pc->expiry;
    }
    cand->doc_type = type;
    char key[24];
    cand->doc_state = state;
    cand->last_seen = FR_DATE_NONE;
    cand->in_country = 0;
    snprintf(key, sizeof key, "t%lld", (long long)cand->traveller_id);
    pg_slot *tc = fr__pg_map_get(&s->travs, key);
    int64_t utc = 0;
    int kind = 0, have = 0;
    if (tc && tc->d >= 0) { /* this transaction's crossings: a 0 = none */
        have = tc->a != 0, utc = tc->b, kind = tc->d;
    } else if (pc && pc->has_last) {
        have = 1, utc = pc->last_utc, kind = pc->last_kind;
    }
    if (have) {
        cand->last_seen = (fr_date)(utc / 86400 - (utc % 86400 < 0));
        cand->in_country = kind == FR_EVENT_ENTRY;
    }
    return FR_OK;
}

void fr__pg_details_arg(pg_buf *ix, pg_buf *ids, pg_buf *pp, int first, int64_t at, int64_t id,
                        const fr_document *doc)
{
    char v[24];
    fr__pg_buf_elem(ix, fr__pg_i64(v, at), first);
    fr__pg_buf_elem(ids, fr__pg_i64(v, id), first);
    fr__pg_buf_elem(pp, doc->type[0] == 'P' ? "t" : "f", first);
}

int fr__pg_details_run(pg_store *s, pg_buf *ix, pg_buf *ids, pg_buf *pp, pg_cand *c, size_t nc,
                       fr_error *err)
{
    fr__pg_buf_end(ix, 0);
    fr__pg_buf_end(ids, 0);
    fr__pg_buf_end(pp, 0);
    int rc = FR_OK;
    PGresult *r = NULL;
    if (ix->oom || ids->oom || pp->oom) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
        goto done;
    }
    const char *p[3] = {ix->p, ids->p, pp->p};
    r = PQexecParams(s->conn,
                     "SELECT u.i, ld.state, ld.expiry, lc.at_utc, lc.kind, ld.type"
                     " FROM unnest($1::bigint[], $2::bigint[], $3::boolean[]) u(i, id, p)"
                     " LEFT JOIN LATERAL (SELECT y.state, y.expiry, y.type FROM documents y"
                     "  WHERE y.traveller_id = u.id ORDER BY (left(y.type, 1) = 'P') = u.p DESC,"
                     "  y.id DESC LIMIT 1) ld ON true"
                     " LEFT JOIN LATERAL (SELECT z.at_utc, z.kind FROM events z"
                     "  WHERE z.traveller_id = u.id AND z.kind IN (1, 2)"
                     "  ORDER BY z.at_utc DESC, z.id DESC LIMIT 1) lc ON true",
                     3, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the candidates' documents");
        goto done;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t at = i64(r, i, 0);
        if (at < 0 || (size_t)at >= nc) continue;
        pg_cand *x = &c[at];
        x->detailed = 1;
        snprintf(x->state, sizeof x->state, "%s", PQgetvalue(r, i, 1));
        snprintf(x->type, sizeof x->type, "%s", PQgetvalue(r, i, 5));
        if (!PQgetisnull(r, i, 2)) x->expiry = (fr_date)i64(r, i, 2);
        if (!PQgetisnull(r, i, 3)) {
            x->has_last = 1;
            x->last_utc = i64(r, i, 3);
            x->last_kind = atoi(PQgetvalue(r, i, 4));
        }
    }
done:
    PQclear(r);
    fr_free(ix->p);
    fr_free(ids->p);
    fr_free(pp->p);
    return rc;
}

/* The latest document and last crossing of the server's rows that can
 * still reach review with their frequencies (those the driver will ask
 * about), in one query. */
static int server_details(pg_store *s, const fr_linkage_query *q, const fr_linkage_freq *f,
                          pg_lookup *l, fr_error *err)
{
    pg_buf ix = {0}, ids = {0}, pp = {0};
    size_t n = 0;
    for (size_t i = 0; i < l->nserver; i++) {
        const fr_slink_row *x = &l->c[i].row;
        fr_linkage_freq cf = *f;
        char k[24];
        fr__pg_name_key(k, x->nationality, x->surname, x->given_names);
        cf.name = l->c[i].name_n + delta(s, k);
        snprintf(k, sizeof k, "B%ld", (long)x->birth_date);
        cf.birth = l->c[i].birth_n + delta(s, k);
        if (l->c[i].detailed || !fr__slink_may_review(&s->link_params, q, x, &cf)) continue;
        fr__pg_details_arg(&ix, &ids, &pp, n++ == 0, (int64_t)i, x->id, q->doc);
    }
    if (n == 0) return FR_OK;
    int rc = fr__pg_details_run(s, &ix, &ids, &pp, l->c, l->nserver, err);
    return rc;
}

int fr__pg_link_decide(pg_store *s, const fr_document *doc, fr_date day, int entering, pg_lookup *l,
                       fr_slink_result *r, fr_error *err)
{
    memset(r, 0, sizeof *r);
    r->outcome = FR_LINKAGE_NEW;
    if (!fr__slink_wanted(doc)) return FR_OK;
    char k[24];
    snprintf(k, sizeof k, "N%s", doc->nationality);
    fr_linkage_freq f = {l->total + delta(s, "T"), l->nat + delta(s, k), 0, 0};
    fr_linkage_query q = {doc, day, entering};
    if (f.travellers == 0) return FR_OK;
    int rc = server_details(s, &q, &f, l, err);
    if (rc != FR_OK) return rc;
    fr_slink_row *rows = fr_malloc((l->nc ? l->nc : 1) * sizeof *rows);
    if (!rows) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking");
    for (size_t i = 0; i < l->nc; i++)
        rows[i] = l->c[i].row;
    decide_ctx ctx = {s, l, rows};
    fr_slink_source src = {name_birth, travel, &ctx};
    rc = fr__slink_decide(&s->link_params, &q, &f, rows, l->nc, &src, r, err);
    fr_free(rows);
    return rc;
}

int fr__pg_link(fr_store *base, const fr_document *doc, fr_date day, int entering,
                fr_store_link *out, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    memset(out, 0, sizeof *out);
    char key[40];
    snprintf(key, sizeof key, "%s:%s", doc->state, doc->number);
    pg_slot *dc = s->in_tx ? fr__pg_map_get(&s->docs, key) : NULL; /* this transaction's own */
    if (dc) {
        out->how = FR_LINK_DOCUMENT;
        out->traveller_id = dc->b;
        return FR_OK;
    }
    pg_lookup l;
    memset(&l, 0, sizeof l);
    int rc = fr__pg_lookup_run(s, "", doc, 1, 0, 0, &l, err);
    if (rc == FR_OK && l.have_doc) {
        out->how = FR_LINK_DOCUMENT;
        out->traveller_id = l.tid;
    } else if (rc == FR_OK) {
        fr_slink_result c;
        if ((rc = fr__pg_link_decide(s, doc, day, entering, &l, &c, err)) == FR_OK) {
            out->how = fr__slink_kind(c.outcome, 0);
            if (c.n) {
                out->bits = c.score[0].bits;
                out->candidate_id = c.ids[0];
                fr_linkage_explain(&c.score[0], out->evidence, sizeof out->evidence);
            }
            if (out->how == FR_LINK_RENEWAL) out->traveller_id = c.ids[0];
        }
    }
    fr__pg_lookup_free(&l);
    return rc;
}

int fr__pg_freq_uncount(pg_store *s, const char *tids, fr_error *err)
{
    static const char *const SQL[] = {
        "UPDATE link_nat_freq f SET n = f.n - c.k FROM (SELECT nationality, count(*) AS k"
        " FROM travellers WHERE id = ANY($1::bigint[]) GROUP BY 1) c"
        " WHERE f.nationality = c.nationality",
        "DELETE FROM link_nat_freq f USING (SELECT DISTINCT nationality FROM travellers"
        " WHERE id = ANY($1::bigint[])) c WHERE f.nationality = c.nationality AND f.n <= 0",
        "UPDATE link_name_freq f SET n = f.n - c.k FROM (SELECT nationality, surname,"
        " given_names, count(*) AS k FROM travellers WHERE id = ANY($1::bigint[])"
        " GROUP BY 1, 2, 3) c WHERE f.nationality = c.nationality AND f.surname = c.surname"
        " AND f.given_names = c.given_names",
        "DELETE FROM link_name_freq f USING (SELECT DISTINCT nationality, surname, given_names"
        " FROM travellers WHERE id = ANY($1::bigint[])) c WHERE f.nationality = c.nationality"
        " AND f.surname = c.surname AND f.given_names = c.given_names AND f.n <= 0",
        "UPDATE link_birth_freq f SET n = f.n - c.k FROM (SELECT birth_date, count(*) AS k"
        " FROM travellers WHERE id = ANY($1::bigint[]) AND birth_date IS NOT NULL GROUP BY 1) c"
        " WHERE f.birth_date = c.birth_date",
        "DELETE FROM link_birth_freq f USING (SELECT DISTINCT birth_date FROM travellers"
        " WHERE id = ANY($1::bigint[])) c WHERE f.birth_date = c.birth_date AND f.n <= 0",
    };
    const char *p[1] = {tids};
    for (size_t i = 0; i < sizeof SQL / sizeof *SQL; i++) {
        PGresult *r = PQexecParams(s->conn, SQL[i], 1, NULL, p, NULL, NULL, 0);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK
                     ? FR_OK
                     : fr__pg_error(s, r, err, "cannot update the frequencies");
        PQclear(r);
        if (rc != FR_OK) return rc;
    }
    return FR_OK;
}
