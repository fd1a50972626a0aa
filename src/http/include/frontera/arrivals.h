/* SPDX-License-Identifier: MIT */
/* arrivals.h: recorded manifests - the expected arrivals a PAXLST message
 * announces - kept durably beside the ledger, for reconciliation with the
 * booth (manifest.h, fr_manifest_reconcile) and flows by route.
 *
 * A manifest is recorded once per message: its key is the interchange
 * sender, the UNH message reference, the flight and the scheduled arrival
 * date (message references are unique only per sender, and carriers reuse
 * them from day to day). Recording the same message again changes nothing
 * and says so (replay); a different message under the same key is
 * FR_ECONFLICT. Each record is one transaction, durable when FR_OK returns.
 *
 * Storage: tables arrivals_manifests and arrivals_persons in the ledger's
 * database (SQLite file or PostgreSQL), versioned as module "arrivals" in
 * fr_module_schema; the ledger's own schema is untouched. One handle per
 * thread. The library reads no clock: callers pass the time. */
#ifndef FRONTERA_ARRIVALS_H
#define FRONTERA_ARRIVALS_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/analytics.h"
#include "frontera/manifest.h"
#include "frontera/paxlst.h"
#include "frontera/status.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_arrivals fr_arrivals;

/* Open the arrivals tables in the ledger at `where` (a SQLite path,
 * "sqlite:PATH", or a PostgreSQL conninfo), creating or migrating them.
 * FR_ENOTFOUND when there is no ledger there (frontera init), FR_EVERSION
 * when the tables are newer than this frontera, FR_ESTORE, FR_ENOMEM. */
int fr_arrivals_open(const char *where, fr_arrivals **out, fr_error *err);
void fr_arrivals_close(fr_arrivals *a); /* NULL is a no-op */

/* 1 when a's connection to its database is gone: close it and open it
 * again. 0 otherwise, always for SQLite. */
int fr_arrivals_lost(fr_arrivals *a);

typedef struct fr_arrivals_recorded {
    int64_t id;     /* the stored manifest */
    int replay;     /* 1: the same message was already recorded, nothing changed */
    size_t persons; /* persons stored with it */
} fr_arrivals_recorded;

/* Record message m arriving at port (UN/LOCODE) with the pre-arrival
 * verdicts v (m->npersons of them, or NULL). The message needs a flight and
 * an arrival date (FR_EINVAL, field "flight" or "arrival", otherwise).
 * FR_ECONFLICT when another message was recorded under the same key. */
int fr_arrivals_record(fr_arrivals *a, const fr_paxlst_message *m, const char *port,
                       const fr_manifest_verdict *v, int64_t now_ms, fr_arrivals_recorded *out,
                       fr_error *err);

/* The persons announced by recorded manifests whose scheduled arrival date
 * is in [from, to] (FR_DATE_NONE: open), only at `port` and of `flight`
 * when these are non-NULL, ordered by arrival, flight, manifest and
 * person. *out is the caller's (fr_free); *n may be 0. */
int fr_arrivals_expected(fr_arrivals *a, fr_date from, fr_date to, const char *port,
                         const char *flight, fr_manifest_expected **out, size_t *n, fr_error *err);

/* The first and last scheduled arrival dates of the recorded manifests;
 * both FR_DATE_NONE when none is recorded. */
int fr_arrivals_span(fr_arrivals *a, fr_date *first, fr_date *last, fr_error *err);

/* A reconciliation of recorded manifests with the ledger: the persons
 * announced for flights arriving in a period, the booth's entries and
 * refusals around them, and the matching (manifest.h). Owned by the caller:
 * fr_arrivals_recon_free. */
typedef struct fr_arrivals_recon {
    fr_date from, to;                  /* the flights' arrival dates asked for */
    size_t npersons;                   /* persons of flights arriving in [from - 1, to + 1] */
    fr_manifest_expected *persons;     /* (the neighbouring days are needed for the matching) */
    fr_manifest_match *match;          /* per person */
    size_t nevents;                    /* entries and refusals at the flights' posts */
    fr_event *events;                  /* reasons_json is NULL */
    long *event_person, *event_flight; /* per event, as fr_manifest_reconcile */
} fr_arrivals_recon;

/* Reconcile the manifests recorded for flights arriving in [from, to]
 * (both required), at `port` only when non-NULL, with the ledger's entries
 * and refusals from the day before `from` to two days after `to`. FR_OK,
 * FR_EINVAL (no period, from after to, a period over 31 days), store
 * errors, FR_ENOMEM. */
int fr_arrivals_reconcile(fr_arrivals *a, fr_store *s, fr_date from, fr_date to, const char *port,
                          fr_arrivals_recon **out, fr_error *err);
void fr_arrivals_recon_free(fr_arrivals_recon *r); /* NULL is a no-op */

/* Is person i in the reconciliation's period (and not a repeat of a person
 * announced twice for one flight)? Reports count these. */
int fr_arrivals_recon_counts(const fr_arrivals_recon *r, size_t i);

/* Flows by route (analytics.h, fr_report_routes) over the recorded
 * manifests of flights arriving in q's period (an open end: the first or
 * last arrival recorded),
 * reconciled with the ledger a month at a time; one port in q->ports also
 * narrows what is read. *out: fr_report_free. Errors as
 * fr_arrivals_reconcile and fr_report_routes. */
int fr_arrivals_routes(fr_arrivals *a, fr_store *s, const fr_report_query *q, fr_report **out,
                       fr_error *err);

/* The manifest retention: every person announced on a flight arriving
 * before `before` loses the name, birth date and document number, and
 * keeps the outcome the reconciliation with the ledger s gives now
 * (entered, refused, not presented, transit...), so that flows by
 * embarkation and the reconciliation's counts do not change when the
 * personal data goes (docs/retention.md). Persons already erased are left
 * as they are; a manifest sent again keeps one outcome. One transaction per
 * month of arrivals. With dry_run nothing changes. *persons: the persons
 * erased (or that would be). */
int fr_arrivals_purge(fr_arrivals *a, fr_store *s, fr_date before, int dry_run, uint64_t *persons,
                      fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
