/* SPDX-License-Identifier: MIT */
/* arrivals_purge.c: the manifest retention (arrivals.h, fr_arrivals_purge).
 *
 * A month of arrivals at a time: reconciled with the ledger as it stands
 * (fr_arrivals_reconcile), then each live person of it is erased by the
 * backend with the outcome just found (fr_manifest_expected.stored), in one
 * transaction. The reconciliation reads stored outcomes as they are and
 * never matches an erased person again, so a later flows-by-embarkation
 * report counts the same. The retention of manifests must be shorter than
 * the ledger's (the entries still carry their documents when a manifest is
 * erased): `frontera purge` checks it. */
#include <stdio.h>

#include "arrivals_impl.h"
#include "frontera/alloc.h"

#define PURGE_STEP_DAYS 31

int fr_arrivals_purge(fr_arrivals *a, fr_store *s, fr_date before, int dry_run, uint64_t *persons,
                      fr_error *err)
{
    if (!a || !s || !persons || before == FR_DATE_NONE)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "no manifest store, ledger or date");
    *persons = 0;
    fr_date first, last;
    int rc = fr_arrivals_span(a, &first, &last, err);
    if (rc != FR_OK || first == FR_DATE_NONE) return rc;
    if (last > before - 1) last = before - 1;
    for (fr_date d = first; d <= last && rc == FR_OK; d += PURGE_STEP_DAYS) {
        fr_date end = d + PURGE_STEP_DAYS - 1 < last ? d + PURGE_STEP_DAYS - 1 : last;
        fr_arrivals_recon *r = NULL;
        fr_arrivals_frozen *v = NULL;
        size_t n = 0;
        rc = fr_arrivals_reconcile(a, s, d, end, NULL, &r, err);
        if (rc == FR_OK && r->npersons && !(v = fr_malloc(r->npersons * sizeof *v)))
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory erasing manifests");
        for (size_t i = 0; rc == FR_OK && i < r->npersons; i++) {
            const fr_manifest_expected *p = &r->persons[i];
            if (p->stored != FR_MANIFEST_LIVE || p->arrival.date < d || p->arrival.date > end)
                continue;
            v[n].manifest_id = p->manifest_id;
            v[n].idx = p->idx;
            v[n].stored = r->match[i].same_as >= 0 ? FR_MANIFEST_FOLDED
                                                   : FR_MANIFEST_STORED(r->match[i].outcome);
            n++;
        }
        if (rc == FR_OK && n && !dry_run) rc = a->ops->freeze(a, v, n, err);
        if (rc == FR_OK) *persons += n;
        fr_free(v);
        fr_arrivals_recon_free(r);
    }
    return rc;
}
