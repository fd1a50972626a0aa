/* SPDX-License-Identifier: MIT */
/* pgdb.h: a fresh PostgreSQL database per test, on the throw-away cluster
 * that ctest starts (tests/pg-cluster.sh, fixture "pg"; its directory is in
 * $FR_TEST_PG_DIR). pgdb_available() says whether there is one; a test
 * program that finds none exits 77 (ctest: skipped) unless $CI is set, in
 * which case it fails. Header-only: each test is its own program. */
#ifndef FR_TESTS_PGDB_H
#define FR_TESTS_PGDB_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char admin[256]; /* URI of the cluster's "frontera" database */
    char name[64];   /* this test's database */
    char uri[320];
} pgdb;

/* The admin URI of the cluster, or "" when none was started. */
static inline int pgdb_admin_uri(char *out, size_t cap)
{
    const char *dir = getenv("FR_TEST_PG_DIR");
    out[0] = '\0';
    if (!dir) return 0;
    char path[512];
    snprintf(path, sizeof path, "%s/uri", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    if (!fgets(out, (int)cap, f)) out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return out[0] != '\0';
}

/* Exit 77 (skip) or 1 (CI) when no cluster runs. */
static inline void pgdb_require(void)
{
    char u[256];
    if (pgdb_admin_uri(u, sizeof u)) return;
    if (getenv("CI")) {
        fprintf(stderr, "no PostgreSQL test cluster, and CI is set: it must run\n");
        exit(1);
    }
    printf("SKIP: no PostgreSQL test cluster (PostgreSQL 15 is not installed)\n");
    exit(77);
}

static inline int pgdb_sql(const char *uri, const char *sql)
{
    PGconn *c = PQconnectdb(uri);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        if (!ok) fprintf(stderr, "pgdb: %s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

/* A new empty database; NULL on failure. */
static inline pgdb *pgdb_new(void)
{
    static int counter;
    pgdb *p = calloc(1, sizeof *p);
    if (!p || !pgdb_admin_uri(p->admin, sizeof p->admin)) {
        free(p);
        return NULL;
    }
    snprintf(p->name, sizeof p->name, "t_%ld_%d", (long)getpid(), counter++);
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", p->name);
    pgdb_sql(p->admin, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", p->name);
    if (pgdb_sql(p->admin, sql) != 0) {
        free(p);
        return NULL;
    }
    /* same server, other database: replace the path of the admin URI */
    const char *slash = strrchr(p->admin, '/');
    snprintf(p->uri, sizeof p->uri, "%.*s/%s", (int)(slash - p->admin), p->admin, p->name);
    return p;
}

static inline void pgdb_free(pgdb *p)
{
    if (!p) return;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", p->name);
    pgdb_sql(p->admin, sql);
    free(p);
}

#endif
