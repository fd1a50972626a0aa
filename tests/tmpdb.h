/* SPDX-License-Identifier: MIT */
/* tmpdb.h: a scratch directory with a database path in it, for the unit
 * tests that need a real SQLite file (store, auth, audit). Header-only: each
 * test is its own program. */
#ifndef FR_TESTS_TMPDB_H
#define FR_TESTS_TMPDB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "frontera/store.h"

typedef struct {
    char dir[64];
    char db[128]; /* dir/ledger.db */
} tmp;

/* A new scratch directory /tmp/<prefix>XXXXXX; with create, the ledger is
 * created in it (the auth and audit tables live in the ledger's file). NULL
 * on failure. */
static inline tmp *tmpdb_new(const char *prefix, int create)
{
    tmp *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    snprintf(t->dir, sizeof t->dir, "/tmp/%sXXXXXX", prefix);
    if (!mkdtemp(t->dir)) {
        free(t);
        return NULL;
    }
    snprintf(t->db, sizeof t->db, "%s/ledger.db", t->dir);
    fr_store *s = NULL;
    if (create && fr_store_open(t->db, FR_STORE_CREATE, &s, NULL) != FR_OK) {
        rmdir(t->dir);
        free(t);
        return NULL;
    }
    fr_store_close(s);
    return t;
}

/* Remove everything under dir (files, and directories a test made, such as
 * a post's list directory), then dir itself. */
static inline void tmpdb_rm_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[400];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
                continue;
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p) continue;
            if (unlink(p) != 0 && depth < 4) tmpdb_rm_tree(p, depth + 1); /* a directory */
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Remove every file the test left in the directory, the directory, and t. */
static inline void tmpdb_free(tmp *t)
{
    if (!t) return;
    tmpdb_rm_tree(t->dir, 0);
    free(t);
}

static inline int tmpdb_setup(void **st, const char *prefix, int create)
{
    return (*st = tmpdb_new(prefix, create)) ? 0 : -1;
}

static inline int tmpdb_teardown(void **st)
{
    tmpdb_free(*st);
    return 0;
}

#endif
