/* SPDX-License-Identifier: MIT */
/* admit_mrz.c: a recorded document written back as the machine readable
 * zone the booth would have read (admit.h, fr_admit_document_mrz): the
 * inverse of fr_admit_document, for deciding a recorded crossing again
 * (the central's re-check of offline decisions, booth_offline.c; the
 * linking evaluation's replay, linkeval_harm.c). */
#include <stdio.h>
#include <string.h>

#include "frontera/admit.h"

static void mrz_date(fr_date d, fr_mrz_date *out)
{
    memset(out, 0, sizeof *out);
    out->date = FR_DATE_NONE;
    if (d == FR_DATE_NONE) {
        out->kind = FR_MRZ_DATE_UNKNOWN;
        return;
    }
    out->kind = FR_MRZ_DATE_FULL;
    out->date = d;
    fr_date_to_ymd(d, &out->year, &out->month, &out->day);
}

int fr_admit_document_mrz(const fr_document *doc, fr_date today, char text[FR_MRZ_TEXT_MAX],
                          fr_error *err)
{
    fr_mrz m;
    memset(&m, 0, sizeof m);
    m.format = doc->type[0] == 'P' || !doc->type[0] ? FR_MRZ_TD3 : FR_MRZ_TD1;
    snprintf(m.document_code, sizeof m.document_code, "%s", doc->type[0] ? doc->type : "P");
    snprintf(m.issuing_state, sizeof m.issuing_state, "%s", doc->state);
    snprintf(m.surname, sizeof m.surname, "%.*s", (int)sizeof m.surname - 1, doc->surname);
    snprintf(m.given_names, sizeof m.given_names, "%.*s", (int)sizeof m.given_names - 1,
             doc->given_names);
    snprintf(m.document_number, sizeof m.document_number, "%.*s", (int)sizeof m.document_number - 1,
             doc->number);
    snprintf(m.nationality, sizeof m.nationality, "%s", doc->nationality);
    mrz_date(doc->birth_date, &m.birth_date);
    mrz_date(doc->expiry, &m.expiry_date);
    m.sex = doc->sex ? doc->sex : '<';
    fr_mrz_options opt = fr_mrz_options_default(today);
    return fr_mrz_make(&m, today != FR_DATE_NONE ? &opt : NULL, text, err);
}
