/* SPDX-License-Identifier: MIT */
/* arrivals_pg.c: the PostgreSQL backend of arrivals.h: the same two tables
 * as arrivals_sqlite.c in the ledger's database, versioned as module
 * "arrivals" in fr_module_schema (module_pg.h). A manifest and its persons
 * are written in one transaction; INSERT ... ON CONFLICT DO NOTHING on the
 * key makes two servers recording the same message store it once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrivals_impl.h"
#include "frontera/alloc.h"
#include "module_pg.h"

static const char ARRIVALS_PG_V1[] =
    "CREATE TABLE IF NOT EXISTS arrivals_manifests(id bigserial PRIMARY KEY,"
    "  sender text NOT NULL, ref text NOT NULL, control_ref text NOT NULL,"
    "  flight text NOT NULL, port text NOT NULL, arrival_date int NOT NULL,"
    "  arrival_minute int NOT NULL, persons int NOT NULL, digest bigint NOT NULL,"
    "  received_ms bigint NOT NULL, UNIQUE(sender, ref, flight, arrival_date));"
    "CREATE INDEX IF NOT EXISTS arrivals_manifests_when ON arrivals_manifests(arrival_date, port);"
    "CREATE TABLE IF NOT EXISTS arrivals_persons("
    "  manifest_id bigint NOT NULL REFERENCES arrivals_manifests(id), idx int NOT NULL,"
    "  role int NOT NULL, surname text NOT NULL, given_names text NOT NULL,"
    "  nationality text NOT NULL, birth_date int, doc_state text NOT NULL,"
    "  doc_number text NOT NULL, embarkation text NOT NULL, answer int NOT NULL,"
    "  PRIMARY KEY(manifest_id, idx))";
/* version 1 -> 2: the outcome a person past the manifest retention keeps
 * (fr_manifest_expected.stored; NULL while live) */
static const char ARRIVALS_PG_V2[] = "ALTER TABLE arrivals_persons ADD COLUMN outcome int";
static const char *const MIGRATIONS[] = {ARRIVALS_PG_V1, ARRIVALS_PG_V2};

typedef struct pgr {
    fr_arrivals base;
    PGconn *c;
} pgr;

static void pgr_close(fr_arrivals *base)
{
    pgr *s = (pgr *)base;
    PQfinish(s->c);
    fr_free(s);
}

static int pgr_person(pgr *s, const char *id, size_t idx, const fr_manifest_expected *p,
                      fr_error *err)
{
    char i[24], role[8], birth[16], answer[8];
    snprintf(i, sizeof i, "%zu", idx);
    snprintf(role, sizeof role, "%d", (int)p->role);
    snprintf(birth, sizeof birth, "%d", (int)p->birth_date);
    snprintf(answer, sizeof answer, "%d", (int)p->answer);
    const char *v[11] = {id,
                         i,
                         role,
                         p->surname,
                         p->given_names,
                         p->nationality,
                         p->birth_date == FR_DATE_NONE ? NULL : birth,
                         p->doc_state,
                         p->doc_number,
                         p->embarkation,
                         answer};
    return fr__modpg_exec(s->c,
                          "INSERT INTO arrivals_persons(manifest_id, idx, role, surname, "
                          "given_names, nationality, birth_date, doc_state, doc_number, "
                          "embarkation, answer) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                          "$11)",
                          11, v, NULL, err, "cannot store a person");
}

static int pgr_insert(fr_arrivals *base, const fr_arrivals_row *row, const fr_manifest_expected *x,
                      size_t n, int64_t *id, int *existed, int64_t *stored_digest, fr_error *err)
{
    pgr *s = (pgr *)base;
    PGresult *r = NULL;
    char date[16], minute[16], persons[24], digest[24], received[24];
    snprintf(date, sizeof date, "%d", (int)row->arrival_date);
    snprintf(minute, sizeof minute, "%d", row->arrival_minute);
    snprintf(persons, sizeof persons, "%zu", n);
    snprintf(digest, sizeof digest, "%lld", (long long)row->digest);
    snprintf(received, sizeof received, "%lld", (long long)row->received_ms);
    const char *v[10] = {row->sender, row->ref, row->control_ref, row->flight, row->port,
                         date,        minute,   persons,          digest,      received};
    *existed = 0;
    int rc = fr__modpg_exec(s->c, "BEGIN", 0, NULL, NULL, err, "cannot record a manifest");
    if (rc != FR_OK) return rc;
    rc = fr__modpg_exec(s->c,
                        "INSERT INTO arrivals_manifests(sender, ref, control_ref, flight, port, "
                        "arrival_date, arrival_minute, persons, digest, received_ms) VALUES($1, "
                        "$2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id",
                        10, v, &r, err, "cannot record a manifest");
    if (rc != FR_OK) goto rollback;
    if (PQntuples(r) == 0) {
        PQclear(r);
        r = NULL;
        const char *k[4] = {row->sender, row->ref, row->flight, date};
        rc = fr__modpg_exec(s->c,
                            "SELECT id, digest FROM arrivals_manifests WHERE sender = $1 AND "
                            "ref = $2 AND flight = $3 AND arrival_date = $4",
                            4, k, &r, err, "cannot look up a manifest");
        if (rc != FR_OK) goto rollback;
        if (PQntuples(r) != 1) {
            rc = fr_error_set(err, FR_ESTORE, 0, 0, "db", "a manifest vanished while recorded");
            goto rollback;
        }
        *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        *stored_digest = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        *existed = 1;
        PQclear(r);
        return fr__modpg_exec(s->c, "COMMIT", 0, NULL, NULL, err, "cannot record a manifest");
    }
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%s", PQgetvalue(r, 0, 0));
    *id = strtoll(idtext, NULL, 10);
    *stored_digest = row->digest;
    PQclear(r);
    r = NULL;
    for (size_t i = 0; i < n; i++)
        if ((rc = pgr_person(s, idtext, i, &x[i], err)) != FR_OK) goto rollback;
    rc = fr__modpg_exec(s->c, "COMMIT", 0, NULL, NULL, err, "cannot commit a manifest");
    if (rc == FR_OK) return FR_OK;
rollback:
    PQclear(r);
    PQclear(PQexec(s->c, "ROLLBACK"));
    return rc;
}

static void copy(char *out, size_t cap, const char *in)
{
    snprintf(out, cap, "%s", in);
}

static int pgr_expected(fr_arrivals *base, fr_date from, fr_date to, const char *port,
                        const char *flight, fr_manifest_expected **out, size_t *n, fr_error *err)
{
    pgr *s = (pgr *)base;
    char f[16], t[16];
    snprintf(f, sizeof f, "%d", from == FR_DATE_NONE ? INT32_MIN + 1 : (int)from);
    snprintf(t, sizeof t, "%d", to == FR_DATE_NONE ? INT32_MAX : (int)to);
    const char *v[4] = {f, t, port, flight};
    PGresult *r = NULL;
    int rc = fr__modpg_exec(
        s->c,
        "SELECT m.id, m.flight, m.port, m.arrival_date, m.arrival_minute, p.role, p.surname, "
        "p.given_names, p.nationality, p.birth_date, p.doc_state, p.doc_number, p.embarkation, "
        "p.answer, p.idx, p.outcome FROM arrivals_manifests m "
        "JOIN arrivals_persons p ON p.manifest_id = m.id "
        "WHERE m.arrival_date BETWEEN $1::int AND $2::int AND ($3::text IS NULL OR m.port = $3) "
        "AND ($4::text IS NULL OR m.flight = $4) "
        "ORDER BY m.arrival_date, m.arrival_minute, m.flight COLLATE \"C\", m.id, p.idx",
        4, v, &r, err, "cannot read manifests");
    if (rc != FR_OK) return rc;
    size_t count = (size_t)PQntuples(r);
    fr_manifest_expected *x = fr_calloc(count ? count : 1, sizeof *x);
    if (!x) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading manifests");
    }
    for (size_t i = 0; i < count; i++) {
        int k = (int)i;
        fr_manifest_expected *p = &x[i];
        p->manifest_id = strtoll(PQgetvalue(r, k, 0), NULL, 10);
        copy(p->flight, sizeof p->flight, PQgetvalue(r, k, 1));
        copy(p->port, sizeof p->port, PQgetvalue(r, k, 2));
        p->arrival.date = (fr_date)atoi(PQgetvalue(r, k, 3));
        p->arrival.minute = atoi(PQgetvalue(r, k, 4));
        int role = atoi(PQgetvalue(r, k, 5));
        p->role =
            role >= FR_PAXLST_FL && role <= FR_PAXLST_DDT ? (fr_paxlst_role)role : FR_PAXLST_FL;
        copy(p->surname, sizeof p->surname, PQgetvalue(r, k, 6));
        copy(p->given_names, sizeof p->given_names, PQgetvalue(r, k, 7));
        copy(p->nationality, sizeof p->nationality, PQgetvalue(r, k, 8));
        p->birth_date = PQgetisnull(r, k, 9) ? FR_DATE_NONE : (fr_date)atoi(PQgetvalue(r, k, 9));
        copy(p->doc_state, sizeof p->doc_state, PQgetvalue(r, k, 10));
        copy(p->doc_number, sizeof p->doc_number, PQgetvalue(r, k, 11));
        copy(p->embarkation, sizeof p->embarkation, PQgetvalue(r, k, 12));
        int answer = atoi(PQgetvalue(r, k, 13));
        p->answer = answer >= FR_MANIFEST_BOARD && answer <= FR_MANIFEST_CHECK
                        ? (fr_manifest_answer)answer
                        : FR_MANIFEST_CHECK;
        p->idx = atoi(PQgetvalue(r, k, 14));
        p->stored = PQgetisnull(r, k, 15) ? FR_MANIFEST_LIVE : atoi(PQgetvalue(r, k, 15));
    }
    PQclear(r);
    *out = x;
    *n = count;
    return FR_OK;
}

static int pgr_span(fr_arrivals *base, fr_date *first, fr_date *last, fr_error *err)
{
    pgr *s = (pgr *)base;
    PGresult *r = NULL;
    int rc =
        fr__modpg_exec(s->c, "SELECT min(arrival_date), max(arrival_date) FROM arrivals_manifests",
                       0, NULL, &r, err, "cannot read manifests");
    if (rc != FR_OK) return rc;
    if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        *first = (fr_date)atoi(PQgetvalue(r, 0, 0));
        *last = (fr_date)atoi(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return FR_OK;
}

static int pgr_freeze(fr_arrivals *base, const fr_arrivals_frozen *v, size_t n, fr_error *err)
{
    pgr *s = (pgr *)base;
    int rc = fr__modpg_exec(s->c, "BEGIN", 0, NULL, NULL, err, "cannot erase manifests");
    for (size_t i = 0; i < n && rc == FR_OK; i++) {
        char id[24], idx[16], st[16];
        snprintf(id, sizeof id, "%lld", (long long)v[i].manifest_id);
        snprintf(idx, sizeof idx, "%d", v[i].idx);
        snprintf(st, sizeof st, "%d", v[i].stored);
        const char *p[3] = {id, idx, st};
        rc = fr__modpg_exec(s->c,
                            "UPDATE arrivals_persons SET outcome = $3, surname = '', "
                            "given_names = '', birth_date = NULL, doc_number = '' "
                            "WHERE manifest_id = $1 AND idx = $2",
                            3, p, NULL, err, "cannot erase manifest persons");
    }
    if (rc == FR_OK)
        return fr__modpg_exec(s->c, "COMMIT", 0, NULL, NULL, err,
                              "cannot commit the erasure of manifests");
    PQclear(PQexec(s->c, "ROLLBACK"));
    return rc;
}

static int pgr_lost(fr_arrivals *base)
{
    return PQstatus(((pgr *)base)->c) == CONNECTION_BAD;
}

static const fr_arrivals_ops OPS = {pgr_close, pgr_insert, pgr_expected,
                                    pgr_span,  pgr_freeze, pgr_lost};

int fr__arrivals_pg_open(const char *conninfo, fr_arrivals **out, fr_error *err)
{
    pgr *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc = fr__modpg_open(conninfo, "arrivals", MIGRATIONS,
                            (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), &s->c, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
