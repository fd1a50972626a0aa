/* SPDX-License-Identifier: MIT */
/* store_pg_prefetch.c: the look-ups of a batch's next chunk of events at
 * once (fr_store_prefetch), so that recording them costs no round trip each.
 *
 * Recording one event asks the server (frontera_lookup3) whether its id is
 * known, who holds its document, the traveller's last crossing (its row
 * locked first) and, for a new document, the linking evidence. Row by row
 * that is one round trip per event, which bounds an import or a post's
 * catch-up by the latency between two processes, not by work. Here the
 * same questions are asked for a whole chunk: first the frequency totals
 * and the chunk's nationalities (Q_TOTALS), which say which blocking dates
 * are worth reading (fr__slink_keys, as on SQLite), then one pipeline:
 *
 *   Q_GEN the link generation; Q_EVENTS the chunk's event ids; Q_LOCK the
 *   row locks of the travellers whose crossings will be paired (in id
 *   order); Q_DOCS the chunk's documents with their traveller's last
 *   crossing (a statement after the locks, so it sees whoever held them);
 *   Q_CANDS the blocking rows of every document the server does not hold
 *   (as frontera_lookup3's k 2, per document);
 *   Q_FREQ the counts of the chunk's names and birth dates (for candidates
 *   this transaction will create: lookup3's k 6);
 *
 * then the frequencies of the blocking rows that can reach review with the
 * best frequencies (most rows cannot: the linking driver refuses them
 * before it asks), and the latest document and last crossing of those that
 * can still reach review with theirs (store_pg_link.c's second query). A
 * row left uncounted that could reach review at the moment its document is
 * decided sends that document to the row-by-row look-up.
 * When a document is decided, the dates worth reading at that moment's
 * totals must be among those read, else it is looked up alone (the totals
 * grow by the chunk's own new travellers; a date that becomes worth reading
 * is rare, and reading it is exact).
 *
 * The answers are exactly those the row-by-row look-ups would get: a batch
 * holds the linking lock exclusively (store_pg.c), so no other writer can
 * create, link or move a traveller meanwhile; the transaction's own rows are
 * first sent (fr__pg_flush), and any later send makes the chunk's answers stale
 * (fr__pg_flush clears them; the rest of the chunk is then looked up row by row,
 * as before). What this transaction writes after the look-up is consulted
 * in memory, as it always was (store_pg_record.c, store_pg_link.c). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "store_pg.h"

void fr__pg_prefetch_clear(pg_store *s)
{
    s->pre_valid = 0;
    fr__pg_map_clear(&s->pre_ev);
    fr__pg_map_clear(&s->pre_doc);
    fr__pg_map_clear(&s->pre_freq);
    s->npre_cand = 0;
    s->pre_total = 0;
}

void fr__pg_prefetch_free(pg_store *s)
{
    fr__pg_map_free(&s->pre_ev);
    fr__pg_map_free(&s->pre_doc);
    fr__pg_map_free(&s->pre_freq);
    fr_free(s->pre_cand);
    s->pre_cand = NULL;
    s->npre_cand = s->cappre_cand = 0;
    s->pre_valid = 0;
}

/* Q_TOTALS runs first, alone: the dates of Q_CANDS depend on it */
enum { Q_GEN, Q_EVENTS, Q_LOCK, Q_DOCS, Q_CANDS, Q_FREQ, Q_TOTALS, Q_COUNT };

/* Every look-up goes by index, one key at a time (LATERAL ... LIMIT, a
 * scalar subquery): joined as sets, the planner hashes whole tables. */
static const char *const SQL[Q_COUNT] = {
    "SELECT value FROM frontera_counters WHERE name = 'link_generation'",
    "SELECT u.eid, x.digest, x.traveller_id, x.id, x.anomalies FROM unnest($1::text[]) u(eid)"
    " CROSS JOIN LATERAL (SELECT ek.digest, ek.traveller_id, ek.id, e.anomalies"
    "  FROM event_keys ek JOIN events e ON e.id = ek.id AND e.local_date = ek.local_date"
    "  WHERE ek.event_id = u.eid LIMIT 1) x",
    "SELECT 1 FROM travellers WHERE id = ANY(ARRAY(SELECT x.traveller_id"
    " FROM unnest($1::text[], $2::text[]) u(st, nu) CROSS JOIN LATERAL (SELECT d.traveller_id"
    "  FROM documents d WHERE d.state = u.st AND d.number = u.nu LIMIT 1) x))"
    " ORDER BY id FOR UPDATE",
    "SELECT d.state, d.number, d.id, d.traveller_id, d.person_digest, lc.id, lc.at_utc, lc.kind"
    " FROM unnest($1::text[], $2::text[]) u(st, nu)"
    " CROSS JOIN LATERAL (SELECT * FROM documents y WHERE y.state = u.st AND y.number = u.nu"
    "  LIMIT 1) d"
    " LEFT JOIN LATERAL (SELECT z.id, z.at_utc, z.kind FROM events z"
    "  WHERE z.traveller_id = d.traveller_id AND z.kind IN (1, 2)"
    "  ORDER BY z.at_utc DESC, z.id DESC LIMIT 1) lc ON true",
    /* as frontera_lookup3's k 2, per document the server does not hold */
    "SELECT q.o, t.id, 0, 0, t.surname, t.given_names, t.nationality, t.sex, t.birth_date"
    " FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],"
    "  $7::int[], $8::int[]) q(o, st, nu, na, su, k1, k2, k3)"
    " CROSS JOIN LATERAL (SELECT * FROM travellers x"
    "  WHERE x.birth_date IN (q.k1, q.k2, q.k3) AND (x.nationality = q.na OR x.surname = q.su)"
    "  ORDER BY x.id LIMIT 512) t"
    " WHERE (SELECT d.id FROM documents d WHERE d.state = q.st AND d.number = q.nu) IS NULL"
    " ORDER BY q.o, t.id",
    "SELECT u.o, coalesce((SELECT n FROM link_name_freq f WHERE f.nationality = u.na"
    "  AND f.surname = u.su AND f.given_names = u.gi), 0)::bigint,"
    " coalesce((SELECT n FROM link_birth_freq f WHERE f.birth_date = u.bi), 0)::bigint"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY"
    "  AS u(na, su, gi, bi, o)",
    ("SELECT NULL::text, coalesce(sum(n), 0)::bigint FROM link_nat_freq UNION ALL"
     " SELECT nationality, n FROM link_nat_freq WHERE nationality = ANY($1::text[])"),
};

/* The arrays sent with the pipeline, as array literals. */
typedef struct chunk_args {
    pg_buf ids;                           /* Q1 */
    pg_buf lst, lnu;                      /* Q2: documents whose traveller's crossings are paired */
    pg_buf dst, dnu;                      /* Q3 */
    pg_buf co, cst, cnu, cna, csu, ck[3]; /* Q_CANDS */
    pg_buf nats;                          /* Q_TOTALS */
    pg_buf fna, fsu, fgi, fbi;            /* Q_FREQ */
    size_t nids, nlock, ndocs, ncand, nnat, nfreq;
    const fr_event **cev; /* the event of each Q_CANDS document (its keys come after the totals) */
} chunk_args;

static pg_buf *args_all(chunk_args *a, size_t *n)
{
    *n = offsetof(chunk_args, nids) / sizeof(pg_buf);
    return &a->ids;
}

static void args_free(chunk_args *a)
{
    size_t n;
    pg_buf *b = args_all(a, &n);
    for (size_t i = 0; i < n; i++)
        fr_free(b[i].p);
    fr_free(a->cev);
}

static void doc_key(char key[40], const fr_document *d)
{
    snprintf(key, 40, "%s:%s", d->state, d->number);
}

/* A document this transaction must ask the server about, once per chunk. */
static int want_doc(pg_store *s, pg_map *seen, const fr_event *ev, chunk_args *a)
{
    char key[40];
    doc_key(key, &ev->doc);
    int pairs = ev->kind == FR_EVENT_ENTRY || ev->kind == FR_EVENT_EXIT;
    pg_slot *dc = fr__pg_map_get(&s->docs, key);
    if (dc) { /* known: only its traveller's last crossing, when not known either */
        char tk[24];
        snprintf(tk, sizeof tk, "t%lld", (long long)dc->b);
        pg_slot *tc = fr__pg_map_get(&s->travs, tk);
        if (!pairs || (tc && tc->d >= 0)) return FR_OK;
    }
    pg_slot *x = fr__pg_map_get(seen, key);
    if (x) {
        if (pairs && !x->a) { /* a later event of the chunk pairs it */
            x->a = 1;
            fr__pg_buf_elem(&a->lst, ev->doc.state, a->nlock == 0);
            fr__pg_buf_elem(&a->lnu, ev->doc.number, a->nlock++ == 0);
        }
        return FR_OK;
    }
    if (!(x = fr__pg_map_put(seen, key))) return FR_ENOMEM;
    x->a = pairs;
    x->b = (int64_t)a->ndocs;
    int64_t pos = x->b; /* x moves when seen grows below */
    fr__pg_buf_elem(&a->dst, ev->doc.state, a->ndocs == 0);
    fr__pg_buf_elem(&a->dnu, ev->doc.number, a->ndocs == 0);
    a->ndocs++;
    if (pairs) {
        fr__pg_buf_elem(&a->lst, ev->doc.state, a->nlock == 0);
        fr__pg_buf_elem(&a->lnu, ev->doc.number, a->nlock++ == 0);
    }
    if (dc) return FR_OK;
    /* not in the cache: it may be new; its name and birth date may become a
     * candidate's (Q_FREQ), and when it can be linked its blocking rows (Q_CANDS) */
    const fr_document *d = &ev->doc;
    char v[24], fk[24];
    fr__pg_name_key(fk, d->nationality, d->surname, d->given_names);
    pg_slot *f = fr__pg_map_get(&s->pre_freq, fk);
    if (!f && !(f = fr__pg_map_put(&s->pre_freq, fk))) return FR_ENOMEM;
    if (!f->b) f->b = (int64_t)a->nfreq + 1, f->d = 'M';
    if (d->birth_date != FR_DATE_NONE) {
        snprintf(fk, sizeof fk, "B%ld", (long)d->birth_date);
        if (!(f = fr__pg_map_put(&s->pre_freq, fk))) return FR_ENOMEM;
        if (!f->b) f->b = (int64_t)a->nfreq + 1, f->d = 'B';
    }
    fr__pg_buf_elem(&a->fna, d->nationality, a->nfreq == 0);
    fr__pg_buf_elem(&a->fsu, d->surname, a->nfreq == 0);
    fr__pg_buf_elem(&a->fgi, d->given_names, a->nfreq == 0);
    fr__pg_buf_elem(&a->fbi, fr__pg_date(v, d->birth_date), a->nfreq++ == 0);
    char nk[8];
    snprintf(nk, sizeof nk, "N%s", d->nationality);
    if (!fr__pg_map_get(seen, nk)) {
        if (!fr__pg_map_put(seen, nk)) return FR_ENOMEM;
        fr__pg_buf_elem(&a->nats, d->nationality, a->nnat++ == 0);
    }
    if (!fr__slink_wanted(d)) return FR_OK;
    fr__pg_buf_elem(&a->co, fr__pg_i64(v, pos + 1), a->ncand == 0);
    fr__pg_buf_elem(&a->cst, d->state, a->ncand == 0);
    fr__pg_buf_elem(&a->cnu, d->number, a->ncand == 0);
    fr__pg_buf_elem(&a->cna, d->nationality, a->ncand == 0);
    fr__pg_buf_elem(&a->csu, d->surname, a->ncand == 0);
    a->cev[a->ncand++] = ev;
    return FR_OK;
}

static int build_args(pg_store *s, const fr_event *const *evs, size_t n, pg_map *seen,
                      chunk_args *a, fr_error *err)
{
    if (!(a->cev = fr_malloc((n ? n : 1) * sizeof *a->cev)))
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!evs[i]) continue;
        fr__pg_buf_elem(&a->ids, evs[i]->event_id, a->nids++ == 0);
        if (want_doc(s, seen, evs[i], a) != FR_OK)
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    }
    fr__pg_buf_end(&a->ids, a->nids == 0);
    fr__pg_buf_end(&a->lst, a->nlock == 0);
    fr__pg_buf_end(&a->lnu, a->nlock == 0);
    fr__pg_buf_end(&a->dst, a->ndocs == 0);
    fr__pg_buf_end(&a->dnu, a->ndocs == 0);
    fr__pg_buf_end(&a->co, a->ncand == 0);
    fr__pg_buf_end(&a->cst, a->ncand == 0);
    fr__pg_buf_end(&a->cnu, a->ncand == 0);
    fr__pg_buf_end(&a->cna, a->ncand == 0);
    fr__pg_buf_end(&a->csu, a->ncand == 0);
    fr__pg_buf_end(&a->nats, a->nnat == 0);
    fr__pg_buf_end(&a->fna, a->nfreq == 0);
    fr__pg_buf_end(&a->fsu, a->nfreq == 0);
    fr__pg_buf_end(&a->fgi, a->nfreq == 0);
    fr__pg_buf_end(&a->fbi, a->nfreq == 0);
    size_t nb;
    pg_buf *b = args_all(a, &nb);
    for (size_t i = 0; i < nb; i++)
        if (b[i].oom) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    return FR_OK;
}

typedef struct keep_ctx {
    pg_store *s;
    PGresult **res;
    size_t n;
} keep_ctx;

static int keep_result(void *ud, int at, PGresult *r, int *keep, fr_error *err)
{
    keep_ctx *k = ud;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fr__pg_error(k->s, r, err, "cannot look the events up");
    if ((size_t)at < k->n && !k->res[at]) {
        k->res[at] = r;
        *keep = 1;
    }
    return FR_OK;
}

/* Send the queries in one pipeline and keep each one's result. */
static int pipeline(pg_store *s, size_t n, const char *const *sql, const int *np,
                    const char *const *const *params, PGresult **res, fr_error *err)
{
    if (PQenterPipelineMode(s->conn) != 1)
        return fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot use pipeline mode: %s",
                            PQerrorMessage(s->conn));
    int rc = FR_OK;
    for (size_t q = 0; q < n && rc == FR_OK; q++)
        if (PQsendQueryParams(s->conn, sql[q], np[q], NULL, params[q], NULL, NULL, 0) != 1)
            rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot send a look-up: %s",
                              PQerrorMessage(s->conn));
    if (PQpipelineSync(s->conn) != 1 && rc == FR_OK)
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "cannot send: %s", PQerrorMessage(s->conn));
    keep_ctx k = {s, res, n};
    int rr = fr__pg_pipe_read(s, keep_result, &k, err);
    if (rc == FR_OK) rc = rr;
    for (size_t i = 0; i < n && rc == FR_OK; i++)
        if (!res[i]) rc = fr_error_set(err, FR_ESTORE, 0, 0, "", "a look-up gave no answer");
    return rc;
}

static int64_t num(const PGresult *r, int i, int col)
{
    return strtoll(PQgetvalue(r, i, col), NULL, 10);
}

/* The event ids: those the server holds, and the rest marked absent. */
static int read_events(pg_store *s, const PGresult *r, const fr_event *const *evs, size_t n)
{
    for (int i = 0; i < PQntuples(r); i++) {
        pg_slot *x = fr__pg_map_put(&s->pre_ev, PQgetvalue(r, i, 0));
        if (!x) return FR_ENOMEM;
        x->a = num(r, i, 1), x->b = num(r, i, 2), x->c = num(r, i, 3);
        x->d = (int)num(r, i, 4);
    }
    for (size_t i = 0; i < n; i++) {
        if (!evs[i] || fr__pg_map_get(&s->pre_ev, evs[i]->event_id)) continue;
        pg_slot *x = fr__pg_map_put(&s->pre_ev, evs[i]->event_id);
        if (!x) return FR_ENOMEM;
        x->d = -1;
    }
    return FR_OK;
}

/* The documents the server holds, into the document cache; the last
 * crossing of the travellers whose rows were locked, into this
 * transaction's view (s->travs), unless it knows better. */
static int read_docs(pg_store *s, const PGresult *r, pg_map *seen)
{
    for (int i = 0; i < PQntuples(r); i++) {
        char key[40];
        snprintf(key, sizeof key, "%s:%s", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
        pg_slot *dc = fr__pg_map_put(&s->docs, key);
        if (!dc) return FR_ENOMEM;
        dc->a = num(r, i, 2), dc->b = num(r, i, 3), dc->c = num(r, i, 4);
        pg_slot *w = fr__pg_map_get(seen, key);
        if (!w || !w->a) continue; /* no crossing of it is paired: not locked */
        char tk[24];
        snprintf(tk, sizeof tk, "t%lld", (long long)dc->b);
        pg_slot *tc = fr__pg_map_get(&s->travs, tk);
        if (tc && tc->d >= 0) continue;
        if (!tc && !(tc = fr__pg_map_put(&s->travs, tk))) return FR_ENOMEM;
        int has = !PQgetisnull(r, i, 5);
        tc->a = has ? num(r, i, 5) : 0;
        tc->b = has ? num(r, i, 6) : 0;
        tc->d = has ? (int)num(r, i, 7) : 0;
    }
    return FR_OK;
}

static void read_totals(pg_store *s, const PGresult *totals, pg_map *seen)
{
    for (int i = 0; i < PQntuples(totals); i++) {
        if (PQgetisnull(totals, i, 0)) {
            s->pre_total = num(totals, i, 1);
            continue;
        }
        char nk[8];
        snprintf(nk, sizeof nk, "N%s", PQgetvalue(totals, i, 0));
        pg_slot *x = fr__pg_map_get(seen, nk);
        if (x) x->c = num(totals, i, 1);
    }
}

static int read_freq(pg_store *s, const PGresult *freq)
{
    int n = PQntuples(freq);
    for (size_t j = 0; j < s->pre_freq.cap; j++) {
        pg_slot *x = &s->pre_freq.slots[j];
        if (!x->key[0] || x->b < 1 || x->b > n) continue;
        x->a = num(freq, (int)x->b - 1, x->d == 'M' ? 1 : 2);
    }
    return FR_OK;
}

static int cand_push(pg_store *s, pg_cand **out)
{
    if (s->npre_cand == s->cappre_cand) {
        size_t nc = s->cappre_cand ? s->cappre_cand * 2 : 256;
        pg_cand *p = fr_realloc(s->pre_cand, nc * sizeof *p);
        if (!p) return FR_ENOMEM;
        s->pre_cand = p;
        s->cappre_cand = nc;
    }
    *out = &s->pre_cand[s->npre_cand++];
    memset(*out, 0, sizeof **out);
    (*out)->expiry = FR_DATE_NONE;
    return FR_OK;
}

/* Each document of the chunk the server does not hold, with its blocking
 * rows (Q_CANDS, ordered by document then traveller id). */
static int read_cands(pg_store *s, const PGresult *r, const fr_event *const *evs, size_t n,
                      pg_map *seen)
{
    int rows = PQntuples(r), at = 0;
    for (size_t i = 0; i < n; i++) {
        if (!evs[i]) continue;
        char key[40];
        doc_key(key, &evs[i]->doc);
        if (fr__pg_map_get(&s->docs, key) || fr__pg_map_get(&s->pre_doc, key)) continue;
        pg_slot *w = fr__pg_map_get(seen, key);
        if (!w) continue; /* not asked (cannot happen) */
        pg_slot *d = fr__pg_map_put(&s->pre_doc, key);
        if (!d) return FR_ENOMEM;
        char nk[8];
        snprintf(nk, sizeof nk, "N%s", evs[i]->doc.nationality);
        pg_slot *nat = fr__pg_map_get(seen, nk);
        d->a = (int64_t)s->npre_cand, d->b = 0, d->c = nat ? nat->c : 0;
        int64_t o = w->b + 1;
        while (at < rows && num(r, at, 0) < o)
            at++;
        for (; at < rows && num(r, at, 0) == o; at++) {
            pg_cand *x;
            if (cand_push(s, &x) != FR_OK) return FR_ENOMEM;
            x->row.id = num(r, at, 1);
            snprintf(x->row.surname, sizeof x->row.surname, "%s", PQgetvalue(r, at, 4));
            snprintf(x->row.given_names, sizeof x->row.given_names, "%s", PQgetvalue(r, at, 5));
            snprintf(x->row.nationality, sizeof x->row.nationality, "%s", PQgetvalue(r, at, 6));
            x->row.sex = PQgetvalue(r, at, 7)[0];
            x->row.birth_date = (fr_date)num(r, at, 8);
            d->b++;
        }
    }
    return FR_OK;
}

/* The name and birth-date counts of the blocking rows that can reach review
 * with the best counts (the linking driver asks for no other row's), in one
 * query. */
static int count_cands(pg_store *s, const fr_event *const *evs, size_t n, fr_error *err)
{
    pg_buf ix = {0}, na = {0}, su = {0}, gi = {0}, bi = {0};
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!evs[i] || !fr__slink_wanted(&evs[i]->doc)) continue;
        char key[40];
        doc_key(key, &evs[i]->doc);
        pg_slot *d = fr__pg_map_get(&s->pre_doc, key);
        if (!d || d->d) continue; /* not new, or seen earlier in the chunk */
        d->d = 1;
        fr_linkage_query q = {&evs[i]->doc, evs[i]->at.date, evs[i]->kind == FR_EVENT_ENTRY};
        fr_linkage_freq best = {s->pre_total, d->c, 0, 0};
        for (int64_t j = d->a; j < d->a + d->b; j++) {
            pg_cand *x = &s->pre_cand[j];
            if (!fr__slink_may_review(&s->link_params, &q, &x->row, &best)) continue;
            char v[24];
            fr__pg_buf_elem(&ix, fr__pg_i64(v, j), m == 0);
            fr__pg_buf_elem(&na, x->row.nationality, m == 0);
            fr__pg_buf_elem(&su, x->row.surname, m == 0);
            fr__pg_buf_elem(&gi, x->row.given_names, m == 0);
            fr__pg_buf_elem(&bi, fr__pg_i64(v, x->row.birth_date), m++ == 0);
        }
    }
    int rc = FR_OK;
    PGresult *r = NULL;
    if (m == 0) goto done;
    pg_buf *all[5] = {&ix, &na, &su, &gi, &bi};
    for (int k = 0; k < 5; k++) {
        fr__pg_buf_end(all[k], 0);
        if (all[k]->oom) rc = FR_ENOMEM;
    }
    if (rc != FR_OK) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    const char *p[5] = {ix.p, na.p, su.p, gi.p, bi.p};
    r = PQexecParams(s->conn,
                     "SELECT u.i, coalesce((SELECT n FROM link_name_freq f"
                     "  WHERE f.nationality = u.na AND f.surname = u.su AND f.given_names = u.gi),"
                     "  0)::bigint,"
                     " coalesce((SELECT n FROM link_birth_freq f WHERE f.birth_date = u.bi),"
                     "  0)::bigint"
                     " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[])"
                     "  AS u(i, na, su, gi, bi)",
                     5, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the candidates' counts");
        goto done;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t j = num(r, i, 0);
        if (j < 0 || (size_t)j >= s->npre_cand) continue;
        pg_cand *x = &s->pre_cand[j];
        x->name_n = num(r, i, 1), x->birth_n = num(r, i, 2);
        x->counted = 1;
    }
done:
    PQclear(r);
    fr_free(ix.p);
    fr_free(na.p);
    fr_free(su.p);
    fr_free(gi.p);
    fr_free(bi.p);
    return rc;
}

/* The latest document (of the new one's kind first) and last crossing of
 * the blocking rows that can reach review at the chunk's frequencies: the
 * query store_pg_link.c's server_details would run for each document. A
 * row that can only reach review later (the chunk's own travellers moved
 * the counts) is read then, by that query. */
static int read_details(pg_store *s, const fr_event *const *evs, size_t n, fr_error *err)
{
    pg_buf ix = {0}, ids = {0}, pp = {0};
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!evs[i] || !fr__slink_wanted(&evs[i]->doc)) continue;
        char key[40];
        doc_key(key, &evs[i]->doc);
        pg_slot *d = fr__pg_map_get(&s->pre_doc, key);
        if (!d || d->d != 1) continue; /* not new, or seen earlier in the chunk */
        d->d = 2;
        fr_linkage_query q = {&evs[i]->doc, evs[i]->at.date, evs[i]->kind == FR_EVENT_ENTRY};
        for (int64_t j = d->a; j < d->a + d->b; j++) {
            pg_cand *x = &s->pre_cand[j];
            if (!x->counted) continue; /* refused with the best counts */
            fr_linkage_freq f = {s->pre_total, d->c, x->name_n, x->birth_n};
            if (fr__slink_may_review(&s->link_params, &q, &x->row, &f))
                fr__pg_details_arg(&ix, &ids, &pp, m++ == 0, j, x->row.id, &evs[i]->doc);
        }
    }
    if (m == 0) return FR_OK;
    return fr__pg_details_run(s, &ix, &ids, &pp, s->pre_cand, s->npre_cand, err);
}

/* The blocking dates worth reading for a new document at the chunk's
 * totals (fr__slink_keys, as the SQLite backend: with millions of
 * travellers the 1st of January of a common nationality's birth year is
 * skipped). */
size_t fr__pg_prefetch_keys(pg_store *s, const fr_document *d, fr_date day, int entering,
                            int64_t travellers, int64_t nationality, fr_date out[3])
{
    fr_linkage_query q = {d, day, entering};
    fr_linkage_freq f = {travellers, nationality, 0, 0};
    return f.travellers ? fr__slink_keys(&s->link_params, &q, &f, out) : 0;
}

/* Q_CANDS's dates, once the totals are known (read first, alone). */
static int cand_keys(pg_store *s, chunk_args *a, pg_map *seen, fr_error *err)
{
    PGresult *r = NULL;
    const char *p[1] = {a->nats.p};
    r = PQexecParams(s->conn, SQL[Q_TOTALS], 1, NULL, p, NULL, NULL, 0);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the frequency totals");
        PQclear(r);
        return rc;
    }
    read_totals(s, r, seen);
    PQclear(r);
    for (size_t i = 0; i < a->ncand; i++) {
        const fr_event *ev = a->cev[i];
        char nk[8];
        snprintf(nk, sizeof nk, "N%s", ev->doc.nationality);
        pg_slot *nat = fr__pg_map_get(seen, nk);
        fr_date keys[3];
        size_t nkeys = fr__pg_prefetch_keys(s, &ev->doc, ev->at.date, ev->kind == FR_EVENT_ENTRY,
                                            s->pre_total, nat ? nat->c : 0, keys);
        for (size_t k = 0; k < 3; k++) {
            char v[24];
            fr__pg_buf_elem(&a->ck[k], k < nkeys ? fr__pg_i64(v, keys[k]) : NULL, i == 0);
        }
    }
    for (int k = 0; k < 3; k++) {
        fr__pg_buf_end(&a->ck[k], a->ncand == 0);
        if (a->ck[k].oom) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    }
    return FR_OK;
}

int fr__pg_prefetch(fr_store *base, const fr_event *const *evs, size_t n, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    fr__pg_prefetch_clear(s);
    if (!s->in_tx || !s->batch || n == 0) return FR_OK; /* single records: no exclusive lock */
    int rc = fr__pg_flush(s, err); /* the server answers for everything this transaction wrote */
    if (rc != FR_OK) return rc;
    chunk_args a;
    memset(&a, 0, sizeof a);
    pg_map seen = {0};
    PGresult *res[Q_COUNT] = {0};
    if ((rc = build_args(s, evs, n, &seen, &a, err)) != FR_OK) goto done;
    if ((rc = cand_keys(s, &a, &seen, err)) != FR_OK) goto done;
    const char *p1[1] = {a.ids.p}, *p2[2] = {a.lst.p, a.lnu.p}, *p3[2] = {a.dst.p, a.dnu.p};
    const char *p4[8] = {a.co.p,  a.cst.p,   a.cnu.p,   a.cna.p,
                         a.csu.p, a.ck[0].p, a.ck[1].p, a.ck[2].p};
    const char *p6[4] = {a.fna.p, a.fsu.p, a.fgi.p, a.fbi.p};
    const char *const *ps[Q_TOTALS] = {NULL, p1, p2, p3, p4, p6};
    const int np[Q_TOTALS] = {0, 1, 2, 2, 8, 4};
    if ((rc = pipeline(s, Q_TOTALS, SQL, np, ps, res, err)) != FR_OK) goto done;
    if (PQntuples(res[Q_GEN]) == 1) {
        int64_t gen = num(res[Q_GEN], 0, 0);
        if (gen != s->link_gen) {
            /* links were corrected since the cache was filled: the documents
             * taken from it were not asked about, so they are left out of
             * the chunk (looked up one by one) */
            fr__pg_map_clear(&s->docs);
            s->link_gen = gen;
        }
    }
    if (read_events(s, res[Q_EVENTS], evs, n) != FR_OK || read_docs(s, res[Q_DOCS], &seen) ||
        read_freq(s, res[Q_FREQ]) || read_cands(s, res[Q_CANDS], evs, n, &seen) != FR_OK) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    if ((rc = count_cands(s, evs, n, err)) != FR_OK) goto done;
    if ((rc = read_details(s, evs, n, err)) != FR_OK) goto done;
    s->pre_valid = 1;
    size_t fresh = 0;
    for (size_t i = 0; i < s->pre_ev.cap; i++)
        fresh += s->pre_ev.slots[i].key[0] && s->pre_ev.slots[i].d < 0;
    fr__pg_ids_hint(s, s->pre_doc.used, s->pre_doc.used, fresh);
done:
    for (int q = 0; q < Q_COUNT; q++)
        PQclear(res[q]);
    args_free(&a);
    fr__pg_map_free(&seen);
    if (rc != FR_OK) fr__pg_prefetch_clear(s);
    return rc;
}
