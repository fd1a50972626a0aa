/* SPDX-License-Identifier: MIT */
/* arrivals_sqlite.c: the SQLite backend of arrivals.h, in the ledger's
 * database through the module helpers of store/sqlite/module_sqlite.h
 * (module "arrivals" in fr_module_schema; the ledger's schema is not
 * touched). A manifest is one row of arrivals_manifests, unique on its key,
 * and its persons rows of arrivals_persons; both are written in one
 * IMMEDIATE transaction, so a manifest is stored whole or not at all and
 * two processes recording the same message store it once. */
#include <stdio.h>
#include <string.h>

#include "arrivals_impl.h"
#include "frontera/alloc.h"
#include "module_sqlite.h"

/* version 0 -> 1 */
static const char ARRIVALS_V1[] =
    "CREATE TABLE IF NOT EXISTS arrivals_manifests("
    "  id INTEGER PRIMARY KEY, sender TEXT NOT NULL, ref TEXT NOT NULL,"
    "  control_ref TEXT NOT NULL, flight TEXT NOT NULL, port TEXT NOT NULL,"
    "  arrival_date INTEGER NOT NULL, arrival_minute INTEGER NOT NULL,"
    "  persons INTEGER NOT NULL, digest INTEGER NOT NULL, received_ms INTEGER NOT NULL,"
    "  UNIQUE(sender, ref, flight, arrival_date));"
    "CREATE INDEX IF NOT EXISTS arrivals_manifests_when ON arrivals_manifests(arrival_date, port);"
    "CREATE TABLE IF NOT EXISTS arrivals_persons("
    "  manifest_id INTEGER NOT NULL REFERENCES arrivals_manifests(id), idx INTEGER NOT NULL,"
    "  role INTEGER NOT NULL, surname TEXT NOT NULL, given_names TEXT NOT NULL,"
    "  nationality TEXT NOT NULL, birth_date INTEGER, doc_state TEXT NOT NULL,"
    "  doc_number TEXT NOT NULL, embarkation TEXT NOT NULL, answer INTEGER NOT NULL,"
    "  PRIMARY KEY(manifest_id, idx))";
/* version 1 -> 2: the outcome a person past the manifest retention keeps
 * (fr_manifest_expected.stored; NULL while live) */
static const char ARRIVALS_V2[] = "ALTER TABLE arrivals_persons ADD COLUMN outcome INTEGER";
static const char *const MIGRATIONS[] = {ARRIVALS_V1, ARRIVALS_V2};

enum { Q_FIND, Q_INSERT, Q_PERSON, Q_EXPECTED, Q_SPAN, Q_FREEZE, Q_COUNT };
static const char *const SQL[Q_COUNT] = {
    [Q_FIND] = "SELECT id, digest FROM arrivals_manifests WHERE sender = ?1 AND ref = ?2 AND "
               "flight = ?3 AND arrival_date = ?4",
    [Q_INSERT] = "INSERT INTO arrivals_manifests(sender, ref, control_ref, flight, port, "
                 "arrival_date, arrival_minute, persons, digest, received_ms) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_PERSON] = "INSERT INTO arrivals_persons(manifest_id, idx, role, surname, given_names, "
                 "nationality, birth_date, doc_state, doc_number, embarkation, answer) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_EXPECTED] =
        "SELECT m.id, m.flight, m.port, m.arrival_date, m.arrival_minute, p.role, p.surname, "
        "p.given_names, p.nationality, p.birth_date, p.doc_state, p.doc_number, p.embarkation, "
        "p.answer, p.idx, p.outcome FROM arrivals_manifests m "
        "JOIN arrivals_persons p ON p.manifest_id = m.id "
        "WHERE m.arrival_date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR m.port = ?3) AND "
        "(?4 IS NULL OR m.flight = ?4) "
        "ORDER BY m.arrival_date, m.arrival_minute, m.flight, m.id, p.idx",
    [Q_SPAN] = "SELECT min(arrival_date), max(arrival_date) FROM arrivals_manifests",
    [Q_FREEZE] = "UPDATE arrivals_persons SET outcome = ?3, surname = '', given_names = '', "
                 "birth_date = NULL, doc_number = '' WHERE manifest_id = ?1 AND idx = ?2",
};

typedef struct sqr {
    fr_arrivals base;
    fr_modsql_handle h;
} sqr;

static void sqr_close(fr_arrivals *base)
{
    sqr *s = (sqr *)base;
    fr__modsql_handle_close(&s->h);
    fr_free(s);
}

/* The stored manifest under row's key: FR_OK with *id, FR_ENOTFOUND. */
static int sqr_find(sqr *s, const fr_arrivals_row *row, int64_t *id, int64_t *digest, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_FIND, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, row->sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->flight, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, row->arrival_date);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *digest = sqlite3_column_int64(st, 1);
        rc = FR_OK;
    } else {
        rc = rc == SQLITE_DONE ? FR_ENOTFOUND
                               : fr__modsql_error(s->h.db, rc, err, "cannot look up a manifest");
    }
    sqlite3_reset(st);
    return rc;
}

static int sqr_person(sqr *s, int64_t id, size_t idx, const fr_manifest_expected *p, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_PERSON, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    sqlite3_bind_int(st, 3, (int)p->role);
    sqlite3_bind_text(st, 4, p->surname, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->given_names, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, p->nationality, -1, SQLITE_STATIC);
    if (p->birth_date != FR_DATE_NONE) sqlite3_bind_int(st, 7, p->birth_date);
    sqlite3_bind_text(st, 8, p->doc_state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, p->doc_number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, p->embarkation, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, (int)p->answer);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FR_OK : fr__modsql_error(s->h.db, rc, err, "cannot store a person");
}

static int sqr_insert(fr_arrivals *base, const fr_arrivals_row *row, const fr_manifest_expected *x,
                      size_t n, int64_t *id, int *existed, int64_t *stored_digest, fr_error *err)
{
    sqr *s = (sqr *)base;
    sqlite3_stmt *st = NULL;
    *existed = 0;
    int rc = sqlite3_exec(s->h.db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return fr__modsql_error(s->h.db, rc, err, "cannot record a manifest");
    rc = sqr_find(s, row, id, stored_digest, err);
    if (rc == FR_OK) {
        *existed = 1;
        goto done;
    }
    if (rc != FR_ENOTFOUND) goto done;
    if ((rc = fr__modsql_handle_stmt(&s->h, Q_INSERT, &st, err)) != FR_OK) goto done;
    sqlite3_bind_text(st, 1, row->sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->control_ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->flight, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->port, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, row->arrival_date);
    sqlite3_bind_int(st, 7, row->arrival_minute);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)n);
    sqlite3_bind_int64(st, 9, row->digest);
    sqlite3_bind_int64(st, 10, row->received_ms);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        rc = fr__modsql_error(s->h.db, step, err, "cannot record a manifest");
        goto done;
    }
    *id = sqlite3_last_insert_rowid(s->h.db);
    *stored_digest = row->digest;
    for (size_t i = 0; i < n; i++)
        if ((rc = sqr_person(s, *id, i, &x[i], err)) != FR_OK) goto done;
    rc = sqlite3_exec(s->h.db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) rc = fr__modsql_error(s->h.db, rc, err, "cannot commit a manifest");
done:
    if (!sqlite3_get_autocommit(s->h.db)) sqlite3_exec(s->h.db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int sqr_expected(fr_arrivals *base, fr_date from, fr_date to, const char *port,
                        const char *flight, fr_manifest_expected **out, size_t *n, fr_error *err)
{
    sqr *s = (sqr *)base;
    sqlite3_stmt *st = NULL;
    fr_manifest_expected *v = NULL;
    size_t count = 0, cap = 0;
    int rc = fr__modsql_handle_stmt(&s->h, Q_EXPECTED, &st, err), step;
    if (rc != FR_OK) return rc;
    sqlite3_bind_int(st, 1, from == FR_DATE_NONE ? INT32_MIN + 1 : from);
    sqlite3_bind_int(st, 2, to == FR_DATE_NONE ? INT32_MAX : to);
    if (port) sqlite3_bind_text(st, 3, port, -1, SQLITE_STATIC);
    if (flight) sqlite3_bind_text(st, 4, flight, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = fr__arrivals_push(&v, &count, &cap, err)) != FR_OK) goto done;
        fr_manifest_expected *p = &v[count - 1];
        p->manifest_id = sqlite3_column_int64(st, 0);
        fr__modsql_col_text(st, 1, p->flight, sizeof p->flight);
        fr__modsql_col_text(st, 2, p->port, sizeof p->port);
        p->arrival.date = sqlite3_column_int(st, 3);
        p->arrival.minute = sqlite3_column_int(st, 4);
        int role = sqlite3_column_int(st, 5);
        p->role =
            role >= FR_PAXLST_FL && role <= FR_PAXLST_DDT ? (fr_paxlst_role)role : FR_PAXLST_FL;
        fr__modsql_col_text(st, 6, p->surname, sizeof p->surname);
        fr__modsql_col_text(st, 7, p->given_names, sizeof p->given_names);
        fr__modsql_col_text(st, 8, p->nationality, sizeof p->nationality);
        p->birth_date =
            sqlite3_column_type(st, 9) == SQLITE_NULL ? FR_DATE_NONE : sqlite3_column_int(st, 9);
        fr__modsql_col_text(st, 10, p->doc_state, sizeof p->doc_state);
        fr__modsql_col_text(st, 11, p->doc_number, sizeof p->doc_number);
        fr__modsql_col_text(st, 12, p->embarkation, sizeof p->embarkation);
        int answer = sqlite3_column_int(st, 13);
        p->answer = answer >= FR_MANIFEST_BOARD && answer <= FR_MANIFEST_CHECK
                        ? (fr_manifest_answer)answer
                        : FR_MANIFEST_CHECK;
        p->idx = sqlite3_column_int(st, 14);
        p->stored = sqlite3_column_type(st, 15) == SQLITE_NULL ? FR_MANIFEST_LIVE
                                                               : sqlite3_column_int(st, 15);
    }
    if (step != SQLITE_DONE) rc = fr__modsql_error(s->h.db, step, err, "cannot read manifests");
done:
    sqlite3_reset(st);
    if (rc != FR_OK) {
        fr_free(v);
        return rc;
    }
    *out = v;
    *n = count;
    return FR_OK;
}

static int sqr_span(fr_arrivals *base, fr_date *first, fr_date *last, fr_error *err)
{
    sqr *s = (sqr *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_SPAN, &st, err);
    if (rc != FR_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first = sqlite3_column_int(st, 0);
        *last = sqlite3_column_int(st, 1);
    }
    rc = rc == SQLITE_ROW ? FR_OK : fr__modsql_error(s->h.db, rc, err, "cannot read manifests");
    sqlite3_reset(st);
    return rc;
}

/* Erase the names, birth dates and document numbers of n persons, keeping
 * the outcome each had: one transaction. */
static int sqr_freeze(fr_arrivals *base, const fr_arrivals_frozen *v, size_t n, fr_error *err)
{
    sqr *s = (sqr *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_FREEZE, &st, err), step = SQLITE_DONE;
    if (rc != FR_OK) return rc;
    if ((step = sqlite3_exec(s->h.db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
        return fr__modsql_error(s->h.db, step, err, "cannot start erasing manifests");
    step = SQLITE_DONE;
    for (size_t i = 0; i < n && step == SQLITE_DONE; i++) {
        sqlite3_bind_int64(st, 1, v[i].manifest_id);
        sqlite3_bind_int(st, 2, v[i].idx);
        sqlite3_bind_int(st, 3, v[i].stored);
        step = sqlite3_step(st);
        sqlite3_reset(st);
    }
    if (step != SQLITE_DONE) {
        rc = fr__modsql_error(s->h.db, step, err, "cannot erase manifest persons");
        sqlite3_exec(s->h.db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if ((step = sqlite3_exec(s->h.db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = fr__modsql_error(s->h.db, step, err, "cannot commit the erasure of manifests");
        sqlite3_exec(s->h.db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

static const fr_arrivals_ops OPS = {sqr_close, sqr_insert, sqr_expected,
                                    sqr_span,  sqr_freeze, NULL};

int fr__arrivals_sqlite_open(const char *path, fr_arrivals **out, fr_error *err)
{
    sqr *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc =
        fr__modsql_handle_open(&s->h, path, "arrivals", MIGRATIONS,
                               (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), SQL, Q_COUNT, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
