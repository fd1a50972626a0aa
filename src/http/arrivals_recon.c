/* SPDX-License-Identifier: MIT */
/* arrivals_recon.c: recorded manifests against the ledger (arrivals.h,
 * fr_arrivals_reconcile). The persons of flights arriving from the day
 * before the period to the day after are read (a flight just outside the
 * period may be the one an entry inside it belongs to), then the ledger's
 * entries and refusals at their posts from a day before to two days after
 * (a passenger reaches the booth after the plane lands, delays included),
 * and fr_manifest_reconcile matches the two. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/arrivals.h"

#define RECON_MAX_DAYS 31 /* the entries of the period are held in memory */

#define RECON_MAX_PORTS 64

typedef struct collect {
    fr_arrivals_recon *r;
    size_t cap;
    const char *port; /* NULL: any post of the persons */
    char ports[RECON_MAX_PORTS][6];
    size_t nports; /* the persons' posts; RECON_MAX_PORTS + 1: too many, keep every event */
    int nomem;
} collect;

static void note_ports(collect *c)
{
    const fr_arrivals_recon *r = c->r;
    for (size_t i = 0; i < r->npersons && c->nports <= RECON_MAX_PORTS; i++) {
        size_t k = 0;
        while (k < c->nports && strcmp(c->ports[k], r->persons[i].port) != 0)
            k++;
        if (k < c->nports) continue;
        if (c->nports == RECON_MAX_PORTS) {
            c->nports++;
            break;
        }
        memcpy(c->ports[c->nports++], r->persons[i].port, 6);
    }
}

static int port_known(const collect *c, const char *port)
{
    if (c->nports > RECON_MAX_PORTS) return 1;
    for (size_t k = 0; k < c->nports; k++)
        if (strcmp(c->ports[k], port) == 0) return 1;
    return 0;
}

static int on_event(void *ud, const fr_event *ev)
{
    collect *c = ud;
    fr_arrivals_recon *r = c->r;
    if (ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_REFUSAL) return 0;
    if (c->port ? strcmp(ev->port, c->port) != 0 : !port_known(c, ev->port)) return 0;
    if (r->nevents == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        fr_event *nv = fr_realloc(r->events, ncap * sizeof *nv);
        if (!nv) {
            c->nomem = 1;
            return 1;
        }
        r->events = nv;
        c->cap = ncap;
    }
    r->events[r->nevents] = *ev;
    r->events[r->nevents].reasons_json = NULL;
    r->nevents++;
    return 0;
}

void fr_arrivals_recon_free(fr_arrivals_recon *r)
{
    if (!r) return;
    fr_free(r->persons);
    fr_free(r->match);
    fr_free(r->events);
    fr_free(r->event_person);
    fr_free(r->event_flight);
    fr_free(r);
}

int fr_arrivals_recon_counts(const fr_arrivals_recon *r, size_t i)
{
    const fr_manifest_expected *p = &r->persons[i];
    return r->match[i].same_as < 0 && p->arrival.date >= r->from && p->arrival.date <= r->to;
}

int fr_arrivals_reconcile(fr_arrivals *a, fr_store *s, fr_date from, fr_date to, const char *port,
                          fr_arrivals_recon **out, fr_error *err)
{
    if (!a || !s || !out || from == FR_DATE_NONE || to == FR_DATE_NONE || from > to)
        return fr_error_set(err, FR_EINVAL, 0, 0, "from", "a period (from, to) is needed");
    if (to - from >= RECON_MAX_DAYS)
        return fr_error_set(err, FR_EINVAL, 0, 0, "to", "reconcile at most %d days at a time",
                            RECON_MAX_DAYS);
    *out = NULL;
    fr_arrivals_recon *r = fr_calloc(1, sizeof *r);
    if (!r) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reconciling");
    r->from = from;
    r->to = to;
    int rc = fr_arrivals_expected(a, from - 1, to + 1, port, NULL, &r->persons, &r->npersons, err);
    if (rc != FR_OK) goto fail;
    collect c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.port = port;
    note_ports(&c);
    if (r->npersons) {
        rc = fr_store_export(s, from - 1, to + 2, on_event, &c, err);
        if (c.nomem) rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reconciling");
        if (rc != FR_OK) goto fail;
    }
    size_t np = r->npersons ? r->npersons : 1, ne = r->nevents ? r->nevents : 1;
    r->match = fr_calloc(np, sizeof *r->match);
    r->event_person = fr_calloc(ne, sizeof *r->event_person);
    r->event_flight = fr_calloc(ne, sizeof *r->event_flight);
    if (!r->match || !r->event_person || !r->event_flight) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reconciling");
        goto fail;
    }
    rc = fr_manifest_reconcile(r->persons, r->npersons, r->events, r->nevents, r->match,
                               r->event_person, r->event_flight, err);
    if (rc != FR_OK) goto fail;
    *out = r;
    return FR_OK;
fail:
    fr_arrivals_recon_free(r);
    return rc;
}
