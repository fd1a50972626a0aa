/* SPDX-License-Identifier: MIT */
/* store_sqlite_link.c: which traveller a new document belongs to, in the
 * SQLite backend: candidate retrieval (blocking) and term frequencies; the
 * bounding, scoring (core/linkage.c) and decision are store_link.c's, shared
 * with the PostgreSQL backend.
 *
 * Blocking: travellers born on the document's birth date, its day/month
 * swap or the 1st of January of its year (fr_linkage_birth_keys), with the
 * same nationality or the same surname: one query on the covering index
 * travellers_birth. A date on which no one could reach the review
 * threshold is not read (fr__slink_keys: with millions of travellers, the
 * 1st of January mostly). The query visits every traveller born on the
 * dates read, so its cost grows with the ledger (about 130 a day at 2.6
 * million travellers); each row it gives is first bounded from its person
 * fields (fr_linkage_upper_bound, the name frequency taken as its best);
 * only those that can still reach the review threshold cost the look-ups
 * of their frequencies, latest document and last crossing.
 *
 * Frequencies: three small tables (per nationality, per nationality and
 * full name, per birth date) counting travellers as they are created, in
 * the same transaction (held in memory until its commit and written once a
 * key: store_sqlite_freq.c). Incremental rather than
 * computed at import, so that the booth, a single `record` and an import
 * see the same figures and nothing has to be rebuilt. A merge and the
 * retention purge count a deleted traveller row out (fr__sq_link_uncount; a
 * count at 0 deletes its row), a split counts its new traveller in: the
 * counts are those of the traveller rows. */
#include <string.h>

#include "frontera/alloc.h"
#include "store_sqlite.h"

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(out, t, n);
    out[n] = '\0';
}

/* One count from a statement whose parameters are bound: 0 when no row. */
static int count_of(sq_store *s, sqlite3_stmt *st, int64_t *out, fr_error *err)
{
    int rc = sqlite3_step(st);
    *out = 0;
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot read the name frequencies");
    return FR_OK;
}

static int freq_total(sq_store *s, int64_t *out, fr_error *err)
{
    if (s->link_total >= 0) {
        *out = s->link_total;
        return FR_OK;
    }
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_FREQ_TOTAL, &st, err);
    if (rc != FR_OK) return rc;
    if ((rc = count_of(s, st, out, err)) != FR_OK) return rc;
    *out += fr__sq_freq_total(s); /* this transaction's, not written yet */
    s->link_total = *out;
    return FR_OK;
}

static int freq_one(sq_store *s, int which, const char *a, const char *b, const char *c,
                    int64_t *out, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, which, &st, err);
    if (rc != FR_OK) return rc;
    bind_text(st, 1, a);
    if (b) bind_text(st, 2, b);
    if (c) bind_text(st, 3, c);
    if ((rc = count_of(s, st, out, err)) != FR_OK) return rc;
    *out +=
        fr__sq_freq_get(s, which == SQ_FREQ_NAT ? SQ_FREQ_NAT_KEY : SQ_FREQ_NAME_KEY, a, b, c, 0);
    return FR_OK;
}

static int freq_birth(sq_store *s, fr_date d, int64_t *out, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_FREQ_BIRTH, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, d);
    if ((rc = count_of(s, st, out, err)) != FR_OK) return rc;
    *out += fr__sq_freq_get(s, SQ_FREQ_BIRTH_KEY, NULL, NULL, NULL, d);
    return FR_OK;
}

int fr__sq_link_count(sq_store *s, const fr_document *d, fr_error *err)
{
    if (s->link_total >= 0) s->link_total++;
    if (fr__sq_freq_add(s, d) == FR_OK) return FR_OK; /* written at the commit */
    /* no memory to hold them: write them now */
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = fr__sq_stmt(s, SQ_FREQ_ADD_NAT, &st, err)) != FR_OK) return rc;
    bind_text(st, 1, d->nationality);
    sqlite3_bind_int(st, 2, 1);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot count the traveller");
    if ((rc = fr__sq_stmt(s, SQ_FREQ_ADD_NAME, &st, err)) != FR_OK) return rc;
    bind_text(st, 1, d->nationality);
    bind_text(st, 2, d->surname);
    bind_text(st, 3, d->given_names);
    sqlite3_bind_int(st, 4, 1);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot count the traveller's name");
    if (d->birth_date != FR_DATE_NONE) {
        if ((rc = fr__sq_stmt(s, SQ_FREQ_ADD_BIRTH, &st, err)) != FR_OK) return rc;
        sqlite3_bind_int64(st, 1, d->birth_date);
        sqlite3_bind_int(st, 2, 1);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            return fr__sq_error(s, rc, err, "cannot count the traveller's birth date");
    }
    return FR_OK;
}

int fr__sq_link_uncount(sq_store *s, int64_t tid, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    /* the counts held first: a decrement must meet the row they make */
    int rc = fr__sq_freq_flush(s, err);
    if (rc == FR_OK) rc = fr__sq_stmt(s, SQ_TRAV_PERSON, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    char nat[4] = "", sur[FR_NAME_MAX + 1] = "", giv[FR_NAME_MAX + 1] = "";
    int has_birth = 0;
    int64_t birth = 0;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        col_text(st, 0, nat, sizeof nat);
        col_text(st, 1, sur, sizeof sur);
        col_text(st, 2, giv, sizeof giv);
        has_birth = sqlite3_column_type(st, 3) != SQLITE_NULL;
        birth = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return FR_OK;
    if (rc != SQLITE_ROW) return fr__sq_error(s, rc, err, "cannot read the traveller");
    static const int STEPS[6] = {SQ_FREQ_SUB_NAT,   SQ_FREQ_DROP_NAT,  SQ_FREQ_SUB_NAME,
                                 SQ_FREQ_DROP_NAME, SQ_FREQ_SUB_BIRTH, SQ_FREQ_DROP_BIRTH};
    for (int i = 0; i < (has_birth ? 6 : 4); i++) {
        if ((rc = fr__sq_stmt(s, STEPS[i], &st, err)) != FR_OK) return rc;
        if (i < 4) {
            bind_text(st, 1, nat);
            if (i >= 2) {
                bind_text(st, 2, sur);
                bind_text(st, 3, giv);
            }
        } else {
            sqlite3_bind_int64(st, 1, birth);
        }
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return fr__sq_error(s, rc, err, "cannot update the frequencies");
    }
    s->link_total = -1; /* read again */
    return FR_OK;
}

/* The candidate's latest document of the new one's kind (passport or
 * identity card; its latest of any kind when it has none) and last crossing. */
static int candidate_travel(sq_store *s, const fr_document *d, fr_linkage_candidate *c,
                            char state[4], char type[3], fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_TRAV_LAST_DOC, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, c->traveller_id);
    sqlite3_bind_int(st, 2, d->type[0] == 'P');
    state[0] = type[0] = '\0';
    c->doc_expiry = FR_DATE_NONE;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        col_text(st, 0, state, 4);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            c->doc_expiry = (fr_date)sqlite3_column_int64(st, 1);
        col_text(st, 2, type, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot read the candidate's documents");
    c->doc_state = state;
    c->doc_type = type;
    sq_trav_slot ps;
    if ((rc = fr__sq_pairing_state(s, c->traveller_id, &ps, err)) != FR_OK) return rc;
    c->last_seen = FR_DATE_NONE;
    c->in_country = 0;
    if (ps.last_row) {
        int64_t days = ps.last_utc / 86400 - (ps.last_utc % 86400 < 0);
        c->last_seen = (fr_date)days;
        c->in_country = ps.last_kind == FR_EVENT_ENTRY;
    }
    return FR_OK;
}

/* The driver's look-ups (store_link.h). */
static int name_birth(void *ud, const fr_slink_row *x, fr_linkage_freq *f, fr_error *err)
{
    sq_store *s = ud;
    int rc = freq_one(s, SQ_FREQ_NAME, x->nationality, x->surname, x->given_names, &f->name, err);
    return rc == FR_OK ? freq_birth(s, x->birth_date, &f->birth, err) : rc;
}

static int travel(void *ud, const fr_document *doc, fr_linkage_candidate *c, char state[4],
                  char type[3], fr_error *err)
{
    return candidate_travel(ud, doc, c, state, type, err);
}

int fr__sq_link_candidates(sq_store *s, const fr_document *d, fr_date day, int entering,
                           sq_link_result *r, fr_error *err)
{
    memset(r, 0, sizeof *r);
    r->outcome = FR_LINKAGE_NEW;
    fr_date keys[3];
    if (d->birth_date == FR_DATE_NONE || !fr__slink_wanted(d)) return FR_OK;
    fr_linkage_freq f = {0, 0, 0, 0};
    int rc = freq_total(s, &f.travellers, err);
    if (rc == FR_OK) rc = freq_one(s, SQ_FREQ_NAT, d->nationality, NULL, NULL, &f.nationality, err);
    if (rc != FR_OK) return rc;
    if (f.travellers == 0) return FR_OK;
    fr_linkage_query q = {d, day, entering};
    size_t nk = fr__slink_keys(&s->link_params, &q, &f, keys);
    if (nk == 0) return FR_OK; /* no one born on those dates could reach review */
    /* read the block first: the look-ups of the driver reuse statements */
    fr_slink_row *rows = NULL;
    size_t nrows = 0;
    rc = fr__sq_block_rows(s, keys, nk, d, &q, &f, &rows, &nrows, err);
    if (rc < 0) return rc;
    if (rc == 1) goto decide;
    sqlite3_stmt *st = NULL;
    if ((rc = fr__sq_stmt(s, SQ_LINK_BLOCK, &st, err)) != FR_OK) return rc;
    for (size_t i = 0; i < 3; i++)
        sqlite3_bind_int64(st, (int)i + 1, keys[i < nk ? i : 0]);
    bind_text(st, 4, d->nationality);
    bind_text(st, 5, d->surname);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fr_slink_row x;
        x.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, x.surname, sizeof x.surname);
        col_text(st, 2, x.given_names, sizeof x.given_names);
        col_text(st, 3, x.nationality, sizeof x.nationality);
        char sex[2];
        col_text(st, 4, sex, sizeof sex);
        x.sex = sex[0];
        x.birth_date = (fr_date)sqlite3_column_int64(st, 5);
        if ((rc = fr__slink_keep_row(&s->link_params, &q, &f, &x, &rows, &nrows, err)) != FR_OK) {
            sqlite3_reset(st);
            fr_free(rows);
            return rc;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        fr_free(rows);
        return fr__sq_error(s, step, err, "cannot look for the traveller");
    }
decide:;
    fr_slink_source src = {name_birth, travel, s};
    rc = fr__slink_decide(&s->link_params, &q, &f, rows, nrows, &src, r, err);
    fr_free(rows);
    return rc;
}
