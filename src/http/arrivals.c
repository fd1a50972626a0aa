/* SPDX-License-Identifier: MIT */
/* arrivals.c: the backend-neutral half of arrivals.h. A message becomes a
 * manifest row and one fr_manifest_expected per person (manifest.h does the
 * conversion, so stored persons and reconciled persons are the same thing);
 * a 64-bit FNV-1a digest of the row and the persons tells a message sent
 * again (replay: nothing written) from a different one under the same key
 * (FR_ECONFLICT). Storage goes through the ops of arrivals_impl.h. */
#include <stdio.h>
#include <string.h>

#include "arrivals_impl.h"
#include "frontera/alloc.h"
#include "frontera/store.h"

int fr_arrivals_open(const char *where, fr_arrivals **out, fr_error *err)
{
    if (!where || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "db", "no database named");
    if (strncmp(where, "sqlite:", 7) == 0) where += 7;
    if (fr_store_is_pg(where)) return fr__arrivals_pg_open(where, out, err);
    return fr__arrivals_sqlite_open(where, out, err);
}

void fr_arrivals_close(fr_arrivals *a)
{
    if (a) a->ops->close(a);
}

int fr__arrivals_push(fr_manifest_expected **v, size_t *n, size_t *cap, fr_error *err)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        fr_manifest_expected *nv = fr_realloc(*v, ncap * sizeof *nv);
        if (!nv) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading manifests");
        *v = nv;
        *cap = ncap;
    }
    memset(&(*v)[*n], 0, sizeof **v);
    (*n)++;
    return FR_OK;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Strings with their NUL, so no two field sequences hash alike. */
static uint64_t fnv_s(uint64_t h, const char *s)
{
    return fnv(h, s, strlen(s) + 1);
}

static uint64_t fnv_i(uint64_t h, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    return fnv(h, b, 8);
}

static int64_t digest_of(const fr_arrivals_row *r, const fr_manifest_expected *x, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv_s(fnv_s(fnv_s(fnv_s(h, r->sender), r->ref), r->flight), r->port);
    h = fnv_i(fnv_i(h, r->arrival_date), r->arrival_minute);
    for (size_t i = 0; i < n; i++) {
        const fr_manifest_expected *p = &x[i];
        h = fnv_i(h, p->role);
        h = fnv_s(fnv_s(fnv_s(h, p->surname), p->given_names), p->nationality);
        h = fnv_i(h, p->birth_date);
        h = fnv_s(fnv_s(fnv_s(h, p->doc_state), p->doc_number), p->embarkation);
        h = fnv_i(h, p->answer);
    }
    return (int64_t)h;
}

int fr_arrivals_record(fr_arrivals *a, const fr_paxlst_message *m, const char *port,
                       const fr_manifest_verdict *v, int64_t now_ms, fr_arrivals_recorded *out,
                       fr_error *err)
{
    if (!a || !m || !out || !port)
        return fr_error_set(err, FR_EINVAL, 0, 0, "",
                            "a manifest store, a message and a port "
                            "are needed");
    memset(out, 0, sizeof *out);
    if (fr_event_check_port(port, err) != FR_OK) return FR_EINVAL;
    const fr_paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
    if (!last || !last->flight[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "flight",
                            "the manifest names no flight (TDT), so it cannot be recorded");
    fr_manifest_expected *x = fr_calloc(m->npersons ? m->npersons : 1, sizeof *x);
    if (!x) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory recording a manifest");
    for (size_t i = 0; i < m->npersons; i++)
        fr_manifest_expected_from(m, i, port, v ? &v[i] : NULL, &x[i]);
    fr_paxlst_time at = {FR_DATE_NONE, -1};
    for (size_t k = m->nlegs; k-- > 0 && at.date == FR_DATE_NONE;)
        at = m->legs[k].arrival;
    int rc = FR_OK;
    if (at.date == FR_DATE_NONE) {
        rc = fr_error_set(err, FR_EINVAL, 0, 0, "arrival",
                          "the manifest gives no arrival date (DTM+232), so it cannot be "
                          "recorded");
        goto done;
    }
    fr_arrivals_row row = {m->sender, m->ref, m->control_ref, last->flight, port, at.date,
                           at.minute, 0,      now_ms};
    row.digest = digest_of(&row, x, m->npersons);
    int64_t id = 0, stored = 0;
    int existed = 0;
    rc = a->ops->insert(a, &row, x, m->npersons, &id, &existed, &stored, err);
    if (rc != FR_OK) goto done;
    if (existed && stored != row.digest) {
        rc = fr_error_set(err, FR_ECONFLICT, 0, 0, "ref",
                          "another manifest from %s with message reference %s for flight %s "
                          "on that date is already recorded (manifest %lld)",
                          m->sender, m->ref, last->flight, (long long)id);
        goto done;
    }
    out->id = id;
    out->replay = existed;
    out->persons = m->npersons;
done:
    fr_free(x);
    return rc;
}

int fr_arrivals_expected(fr_arrivals *a, fr_date from, fr_date to, const char *port,
                         const char *flight, fr_manifest_expected **out, size_t *n, fr_error *err)
{
    if (!a || !out || !n) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no manifest store");
    *out = NULL;
    *n = 0;
    return a->ops->expected(a, from, to, port, flight, out, n, err);
}

int fr_arrivals_span(fr_arrivals *a, fr_date *first, fr_date *last, fr_error *err)
{
    if (!a || !first || !last) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no manifest store");
    *first = *last = FR_DATE_NONE;
    return a->ops->span(a, first, last, err);
}

int fr_arrivals_lost(fr_arrivals *a)
{
    return a && a->ops->lost && a->ops->lost(a);
}
