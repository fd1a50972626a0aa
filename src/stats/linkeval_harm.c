/* SPDX-License-Identifier: MIT */
/* linkeval_harm.c: what a wrong link would have done at the booth
 * (linkeval.h, "harm").
 *
 * How it works: for a traveller of the ledger that holds crossings of more
 * than one true person, each entry that comes after a crossing of another
 * person is decided twice by the booth's own rule (fr_admit_decide, the
 * policy given, the document's MRZ rebuilt with fr_mrz_make): once on the
 * traveller's history as the ledger holds it - what the booth would have
 * read, the document's link counted as certain - and once on the crossings
 * of that person alone. Harm is a worse answer caused by the other
 * person's record: a refusal that would not have been, an authorised stay
 * that ends earlier, or a referral of someone who would have been admitted.
 * Only such travellers are read, so the pass costs a few history reads. */
#include <stdio.h>
#include <string.h>

#include "frontera/admit.h"
#include "frontera/alloc.h"
#include "frontera/mrz.h"
#include "linkeval_internal.h"

static const fr_history_document *doc_of(const fr_history *h, int64_t row)
{
    for (size_t i = 0; i < h->ndocuments; i++)
        if (h->documents[i].row == row) return &h->documents[i];
    return NULL;
}

/* The booth's decision on entry `it` of document `hd` with history h
 * (NULL: none). */
static int decide(const fr_policy *policy, const fr_history *h, const fr_history_document *hd,
                  const fr_history_item *it, fr_admit_decision *d, fr_error *err)
{
    fr_document doc = hd->doc; /* no nationality recorded: the issuing state's */
    if (!doc.nationality[0]) snprintf(doc.nationality, sizeof doc.nationality, "%s", doc.state);
    char text[FR_MRZ_TEXT_MAX];
    int rc = fr_admit_document_mrz(&doc, FR_DATE_NONE, text, err);
    if (rc != FR_OK) return rc;
    int cls = fr_admission_class_parse(it->admission_class, strlen(it->admission_class));
    fr_admit_request req = {text,
                            strlen(text),
                            0,
                            it->port,
                            it->at,
                            NULL,
                            cls < 0 ? FR_CLASS_VISITOR : (fr_admission_class)cls,
                            0};
    fr_mrz read;
    fr_admit_read(&req, &read);
    fr_admit_facts f;
    memset(&f, 0, sizeof f);
    f.history = h;
    f.traveller_id = h ? h->traveller_id : 0;
    f.link = h ? FR_LINK_RENEWAL : FR_LINK_NEW;
    f.screening.state = FR_SCREENING_DONE; /* nothing found: only the history differs */
    return fr_admit_decide(policy, &req, &read, &f, d, err);
}

/* own := the items of h whose person is p, entries and exits re-paired by
 * index; own->items is the caller's (fr_free). */
static int own_history(const fr_history *h, const uint32_t *pers, uint32_t p, fr_history *own)
{
    *own = *h;
    own->reviews = NULL;
    own->nreviews = 0;
    own->items = fr_malloc((h->count ? h->count : 1) * sizeof *own->items);
    ptrdiff_t *map = fr_malloc((h->count ? h->count : 1) * sizeof *map);
    if (!own->items || !map) {
        fr_free(own->items);
        fr_free(map);
        own->items = NULL;
        return FR_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++) {
        map[i] = -1;
        if (pers[i] != p) continue;
        map[i] = (ptrdiff_t)n;
        own->items[n++] = h->items[i];
    }
    for (size_t i = 0; i < n; i++) {
        ptrdiff_t q = own->items[i].paired;
        own->items[i].paired = (q >= 0 && (size_t)q < h->count) ? map[q] : -1;
    }
    own->count = n;
    fr_free(map);
    return FR_OK;
}

int fr__lk_harm_traveller(fr_store *s, const fr_policy *policy, int64_t tid, lk_person_fn person,
                          void *ud, fr_linkeval_harm *hm, fr_error *err)
{
    fr_history *h = NULL, own = {0};
    uint32_t *pers = NULL;
    fr_admit_decision *d = fr_malloc(2 * sizeof *d);
    int rc = d ? fr_store_history(s, tid, &h, err)
               : fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    if (rc != FR_OK) goto done;
    pers = fr_malloc((h->count ? h->count : 1) * sizeof *pers);
    if (!pers) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_document *hd = doc_of(h, h->items[i].document_row);
        pers[i] = hd ? person(ud, hd->doc.state, hd->doc.number) : UINT32_MAX;
    }
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        const fr_history_document *hd = doc_of(h, it->document_row);
        if (it->kind != FR_EVENT_ENTRY || !hd || pers[i] == UINT32_MAX) continue;
        int other = 0;
        for (size_t j = 0; j < h->count && !other; j++)
            other = pers[j] != pers[i] && h->items[j].at_utc < it->at_utc;
        if (!other) continue;
        hm->entries++;
        if ((rc = own_history(h, pers, pers[i], &own)) != FR_OK) {
            rc = fr_error_set(err, rc, 0, 0, "", "out of memory");
            goto done;
        }
        if ((rc = decide(policy, h, hd, it, &d[0], err)) != FR_OK ||
            (rc = decide(policy, &own, hd, it, &d[1], err)) != FR_OK)
            goto done;
        fr_free(own.items);
        own.items = NULL;
        const fr_admit_decision *seen = &d[0], *fair = &d[1];
        if (seen->outcome == FR_REFUSE && fair->outcome != FR_REFUSE) {
            hm->refused++;
        } else if (seen->outcome != FR_REFER && seen->have_stay && fair->have_stay &&
                   (seen->stay.authorised_until == FR_DATE_NONE
                        ? fair->stay.authorised_until != FR_DATE_NONE
                        : fair->stay.authorised_until != FR_DATE_NONE &&
                              seen->stay.authorised_until < fair->stay.authorised_until)) {
            hm->shortened++;
            if (seen->stay.authorised_until != FR_DATE_NONE)
                hm->shortened_days +=
                    (uint64_t)(fair->stay.authorised_until - seen->stay.authorised_until);
        } else if (seen->outcome == FR_REFER && fair->outcome == FR_ADMIT) {
            hm->referred++;
        }
    }
done:
    fr_free(own.items);
    fr_free(pers);
    fr_free(d);
    fr_history_free(h);
    return rc;
}

int fr__lk_renewal_traveller(fr_store *s, const fr_policy *policy, int64_t tid,
                             fr_linkeval_harm *hm, fr_error *err)
{
    fr_history *h = NULL;
    fr_admit_decision *d = fr_malloc(sizeof *d);
    int rc = d ? fr_store_history(s, tid, &h, err)
               : fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t i = 0; rc == FR_OK && i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        const fr_history_document *hd = doc_of(h, it->document_row);
        if (it->kind != FR_EVENT_ENTRY || !hd) continue;
        int other = 0;
        for (size_t j = 0; j < h->count && !other; j++)
            other = h->items[j].document_row != it->document_row && h->items[j].at_utc < it->at_utc;
        if (!other) continue;
        hm->renewal_entries++;
        if ((rc = decide(policy, h, hd, it, d, err)) != FR_OK) break;
        for (size_t k = 0; k < d->nreasons; k++)
            if (strcmp(d->reasons[k].code, "stay.other_documents") == 0) {
                hm->renewal_referred++;
                break;
            }
    }
    fr_free(d);
    fr_history_free(h);
    return rc;
}
