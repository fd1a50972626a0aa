/* SPDX-License-Identifier: MIT */
/* views.h (internal to the http layer and the program): the JSON view of
 * each object that both the CLI and the server print, so the two cannot
 * drift apart (same members, same order). */
#ifndef FR_VIEWS_H
#define FR_VIEWS_H

#include <stdint.h>

#include <jansson.h>

#include "frontera/admit.h"
#include "frontera/analytics.h"
#include "frontera/history.h"
#include "frontera/arrivals.h"
#include "frontera/manifest.h"

/* The decision as the JSON object `frontera admit --json` prints and the
 * server answers: decision, reasons [{code, message, ground, level}],
 * authorised_until, traveller_id (0: null), event_id (NULL: null), and
 * days_used, days_remaining (not for a refusal), rule_ref and rule_ref_es
 * (the policy's ref_es=) when known, and the document read, in that order. A new
 * reference the caller owns (json_decref); NULL when out of memory. */
json_t *fr__admit_decision_json(const fr_admit_decision *d, int64_t traveller_id,
                                const char *event_id);
/* The document as read, for the officer to check against the person:
 * {issuing_state, document_number, nationality, surname, given_names} (the
 * decision's "document", when a number was read, and an exit's). */
json_t *fr__mrz_document_json(const fr_mrz *m);

/* A traveller's history as `frontera traveller --json` prints it and GET
 * /v1/travellers/{id} answers: traveller_id, in_country, open_entry,
 * authorised_until, anomalies, documents [{state, number, type, expiry,
 * surname, given_names, nationality, birth_date, sex, link}], events
 * [{event_id, kind, at, port, admission_class, authorised_until, decision,
 * paired_with, anomalies}], reviews [{id, document_row, traveller_id,
 * candidate_traveller_id, reason, comparisons,
 * weight, never_linked_without_review}]. A new reference; NULL when out of memory. */
json_t *fr__history_json(const fr_history *h);

/* A link review's evidence (fr_linkage_explain's text, kept in the ledger)
 * as data beside it on obj: "comparisons" [{field, level, bits}], "weight"
 * (their total as the text gives it, to a tenth of a bit) and
 * "never_linked_without_review" (a code of fr_linkage_no_link_code, or
 * null), all null when the text cannot be read back. 0, or -1 when out
 * of memory. */
int fr__evidence_add(json_t *obj, const char *reason);

/* The pre-arrival answers for one PAXLST message, as `frontera manifest
 * check` prints and POST /v1/manifests answers: file (omitted when NULL),
 * valid, findings [{code, severity, segment, line, column, message}],
 * flight, arrival, port, persons [{index, role, surname, given_names,
 * nationality, document, answer, reasons [{code, level, message}]}] (v may
 * be NULL: no persons checked), and problem when there is no port. A new
 * reference; NULL when out of memory. */
json_t *fr__manifest_json(const char *file, const fr_paxlst_message *m, const char *port,
                          const fr_manifest_verdict *v);

/* A recorded manifest, as `frontera manifest check --record` and
 * POST /v1/manifests with "record": true add to each message: {id, replay,
 * persons}. */
json_t *fr__arrivals_recorded_json(const fr_arrivals_recorded *rec);

/* The reconciliation report, one object per flight arriving in r's period
 * (of `flight` only when non-NULL), in arrival order: flight, port,
 * arrival, manifests [ids], counts {announced, entered, refused,
 * not_presented, transit_entered, transit_continued, unannounced}, persons
 * [{role, surname, given_names, nationality, document {state, number},
 * embarkation, answer, outcome, event_id}], unannounced [{event_id, at,
 * surname, given_names, nationality, document {state, number}}]. A new
 * array; NULL when out of memory. */
json_t *fr__reconciliation_json(const fr_arrivals_recon *r, const char *flight);

/* ---- the list to act on (GET /v1/overstayers, frontera overstayers) ---- */

#define FR_OVERSTAYER_NCOLS 11
#define FR_OVERSTAYER_VALUE_MAX 128
/* The columns, in order: traveller_id, surname, given_names, nationality,
 * document_state, document_number, birth_date, entered, entry_port,
 * authorised_until, days_over. */
extern const char *const fr__overstayer_columns[FR_OVERSTAYER_NCOLS];

/* One row's values as text in column order; the name and document are those
 * of the entry on o->entered in h (h may be NULL: a traveller purged since,
 * then they are ""). */
void fr__overstayer_values(const fr_overstayer *o, const fr_history *h,
                           char v[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX]);

/* The same row as a JSON object (traveller_id and days_over numbers, empty
 * values null). A new reference; NULL when out of memory. */
json_t *fr__overstayer_json(const fr_overstayer *o, const fr_history *h);

/* Write the list as an XLSX workbook at path (libxlsxwriter): one sheet,
 * the columns headed in bold in English or (spanish) Spanish words, a row
 * per person with dates as dates and numbers as numbers, the header frozen
 * and filtered. hist[i] as for fr__overstayer_values. FR_OK, or FR_EIO with
 * err when it cannot be written. */
int fr__overstayers_xlsx(const char *path, fr_date as_of, const fr_overstayer *rows,
                         fr_history *const *hist, size_t n, int spanish, fr_error *err);

/* Append one CSV line (RFC 4180 quoting, CRLF) of n fields separated by sep
 * to *buf (fr_malloc'd, grown as needed). FR_OK or FR_ENOMEM. */
int fr__csv_line_append(char **buf, size_t *len, size_t *cap, const char *const *fields, size_t n,
                        char sep);

#endif
