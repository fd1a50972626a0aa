/* SPDX-License-Identifier: MIT */
/* store_link.c: the linking decision for a new document, shared by the
 * backends (store_link.h). For each blocking row: a bound from the person
 * fields with the best frequencies (no look-up), the name and birth-date
 * frequencies, the bound again, then the candidate's document and travel
 * and the full score of core/linkage.c. The candidates at or above review
 * are kept best first; ties go to the lower traveller id, so the order in
 * which a backend returns its rows does not matter. */
#include "store_link.h"

#include <string.h>

#include "frontera/alloc.h"

int fr__slink_wanted(const fr_document *d)
{
    return d->birth_date != FR_DATE_NONE && d->surname[0] && d->nationality[0];
}

static fr_linkage_candidate candidate_of(const fr_slink_row *x)
{
    fr_linkage_candidate c = {x->id,  x->surname, x->given_names, x->nationality, x->birth_date,
                              x->sex, "",         FR_DATE_NONE,   FR_DATE_NONE,   0,
                              ""};
    return c;
}

int fr__slink_may_review(const fr_linkage_params *p, const fr_linkage_query *q,
                         const fr_slink_row *x, const fr_linkage_freq *f)
{
    fr_linkage_candidate c = candidate_of(x);
    return fr_linkage_upper_bound(p, q, &c, f) >= p->review_bits;
}

int fr__slink_may_review_at(const fr_linkage_params *p, const fr_linkage_query *q, int64_t id,
                            const char *surname, const char *given_names, const char *nationality,
                            fr_date birth, char sex, const fr_linkage_freq *f)
{
    fr_linkage_candidate c = {id, surname,      given_names,  nationality, birth, sex,
                              "", FR_DATE_NONE, FR_DATE_NONE, 0,           ""};
    return fr_linkage_upper_bound(p, q, &c, f) >= p->review_bits;
}

int fr__slink_keep_row(const fr_linkage_params *p, const fr_linkage_query *q,
                       const fr_linkage_freq *f, const fr_slink_row *x, fr_slink_row **rows,
                       size_t *n, fr_error *err)
{
    if (!fr__slink_may_review(p, q, x, f)) return FR_OK; /* whatever the documents say */
    if (*n % 8 == 0) {
        fr_slink_row *nr = fr_realloc(*rows, (*n + 8) * sizeof *nr);
        if (!nr) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking a document");
        *rows = nr;
    }
    (*rows)[(*n)++] = *x;
    return FR_OK;
}

size_t fr__slink_keys(const fr_linkage_params *p, const fr_linkage_query *q,
                      const fr_linkage_freq *f, fr_date out[3])
{
    fr_date all[3];
    size_t n = fr_linkage_birth_keys(q->doc->birth_date, all), kept = 0;
    fr_linkage_freq base = *f;
    base.name = base.birth = 0;
    for (size_t i = 0; i < n; i++)
        if (fr_linkage_key_bound(p, q, all[i], &base) >= p->review_bits) out[kept++] = all[i];
    return kept;
}

static int better(const fr_linkage_score *a, int64_t ida, const fr_linkage_score *b, int64_t idb)
{
    return a->bits > b->bits || (a->bits == b->bits && ida < idb);
}

static void keep(fr_slink_result *r, int64_t id, const fr_linkage_score *sc)
{
    size_t i;
    if (r->n < FR_SLINK_MAX)
        i = r->n++;
    else if (!better(sc, id, &r->score[FR_SLINK_MAX - 1], r->ids[FR_SLINK_MAX - 1]))
        return;
    else
        i = FR_SLINK_MAX - 1;
    while (i > 0 && better(sc, id, &r->score[i - 1], r->ids[i - 1])) {
        r->ids[i] = r->ids[i - 1];
        r->score[i] = r->score[i - 1];
        i--;
    }
    r->ids[i] = id;
    r->score[i] = *sc;
}

int fr__slink_decide(const fr_linkage_params *p, const fr_linkage_query *q,
                     const fr_linkage_freq *f, const fr_slink_row *rows, size_t n,
                     const fr_slink_source *src, fr_slink_result *r, fr_error *err)
{
    memset(r, 0, sizeof *r);
    r->outcome = FR_LINKAGE_NEW;
    if (!fr__slink_wanted(q->doc) || f->travellers == 0) return FR_OK;
    for (size_t i = 0; i < n; i++) {
        const fr_slink_row *x = &rows[i];
        fr_linkage_freq base = *f;
        base.name = base.birth = 0;
        if (!fr__slink_may_review(p, q, x, &base)) continue;
        fr_linkage_freq cf = base;
        int rc = src->name_birth(src->ud, x, &cf, err);
        if (rc != FR_OK) return rc;
        fr_linkage_candidate c = candidate_of(x);
        if (fr_linkage_upper_bound(p, q, &c, &cf) < p->review_bits) continue;
        char state[4] = "", type[3] = "";
        if ((rc = src->travel(src->ud, q->doc, &c, state, type, err)) != FR_OK) return rc;
        fr_linkage_score sc;
        fr_linkage_compare(p, q, &c, &cf, &sc);
        if (fr_linkage_decide(p, &sc) != FR_LINKAGE_NEW) keep(r, x->id, &sc);
    }
    if (r->n == 0) return FR_OK;
    /* the best decides; a second candidate at review or above means the
     * document cannot be given to the best one without asking */
    r->outcome = fr_linkage_decide(p, &r->score[0]);
    if (r->outcome == FR_LINKAGE_LINK && r->n > 1) r->outcome = FR_LINKAGE_REVIEW;
    return FR_OK;
}

fr_link_kind fr__slink_kind(fr_linkage_outcome o, int recording)
{
    if (o == FR_LINKAGE_LINK) return FR_LINK_RENEWAL;
    if (o == FR_LINKAGE_REVIEW) return FR_LINK_REVIEW;
    return recording ? FR_LINK_NEW : FR_LINK_NONE;
}
