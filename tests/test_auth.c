/* SPDX-License-Identifier: MIT */
/* test_auth.c: users, roles and bearer tokens (auth.h) on a real SQLite
 * ledger file in a temporary directory: the role matrix (an analyst never
 * reads a personal record), token shape and hashing, add/list/revoke/rotate,
 * that only the hash is stored, that revocation and rotation take effect on
 * other handles at once, name rules, and that the tables refuse to appear in
 * a file that is not a ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/auth.h"
#include "frontera/store.h"
#include "tmpdb.h"

static int setup(void **st)
{
    return tmpdb_setup(st, "fr_auth_", 1);
}

static int teardown(void **st)
{
    return tmpdb_teardown(st);
}

static void role_matrix_keeps_analysts_from_personal_records(void **st)
{
    (void)st;
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_TRAVELLER), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_ADMIT), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_EVENTS), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_REPORTS), 1);
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_ADMIT), 1);
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_TRAVELLER), 1);
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_OVERRIDE), 0);
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_POLICY_WRITE), 0);
    assert_int_equal(fr_role_may(FR_ROLE_SUPERVISOR, FR_PERM_OVERRIDE), 1);
    assert_int_equal(fr_role_may(FR_ROLE_SUPERVISOR, FR_PERM_USERS), 0);
    /* link reviews and splits: supervisors only */
    assert_int_equal(fr_role_may(FR_ROLE_SUPERVISOR, FR_PERM_REVIEW), 1);
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_REVIEW), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ADMIN, FR_PERM_REVIEW), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_REVIEW), 0);
    assert_int_equal(fr_role_may(FR_ROLE_CARRIER, FR_PERM_REVIEW), 0);
    assert_int_equal(fr_role_may(FR_ROLE_ADMIN, FR_PERM_POLICY_WRITE), 1);
    assert_int_equal(fr_role_may(FR_ROLE_ADMIN, FR_PERM_USERS), 1);
    /* a post's sync status: the staff at the post, not an analyst or a machine */
    assert_int_equal(fr_role_may(FR_ROLE_OFFICER, FR_PERM_SYNC_STATUS), 1);
    assert_int_equal(fr_role_may(FR_ROLE_SUPERVISOR, FR_PERM_SYNC_STATUS), 1);
    assert_int_equal(fr_role_may(FR_ROLE_ADMIN, FR_PERM_SYNC_STATUS), 1);
    assert_int_equal(fr_role_may(FR_ROLE_ANALYST, FR_PERM_SYNC_STATUS), 0);
    assert_int_equal(fr_role_may(FR_ROLE_CARRIER, FR_PERM_SYNC_STATUS), 0);
    assert_int_equal(fr_role_may(FR_ROLE_POST, FR_PERM_SYNC_STATUS), 0);
    assert_int_equal(fr_role_may(FR_ROLE_NONE, FR_PERM_POLICY_READ), 0);
    assert_int_equal(fr_role_may((fr_role)99, FR_PERM_POLICY_READ), 0);
    assert_int_equal(fr_role_parse("analyst", 7), FR_ROLE_ANALYST);
    assert_int_equal(fr_role_parse("Analyst", 7), FR_ROLE_NONE);
    assert_int_equal(fr_role_parse("admi", 4), FR_ROLE_NONE);
    assert_string_equal(fr_role_name(FR_ROLE_SUPERVISOR), "supervisor");
}

static void token_is_shown_once_and_only_its_hash_is_stored(void **st)
{
    tmp *t = *st;
    fr_auth *a = NULL;
    fr_error err;
    char tok[FR_TOKEN_BUFSZ], tok2[FR_TOKEN_BUFSZ];
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "ana", FR_ROLE_OFFICER, 1000, tok, &err), FR_OK);
    assert_int_equal(strlen(tok), FR_TOKEN_TEXT_LEN);
    assert_memory_equal(tok, FR_TOKEN_PREFIX, 4);
    assert_int_equal(fr_auth_user_add(a, "bo", FR_ROLE_ANALYST, 1000, tok2, &err), FR_OK);
    assert_string_not_equal(tok, tok2); /* random */
    /* the database never holds the token text */
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT token_hash FROM auth_users WHERE name='ana'", -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    unsigned char h[FR_TOKEN_HASH_BYTES];
    assert_int_equal(fr_auth_token_hash(tok, strlen(tok), h), FR_OK);
    assert_int_equal(sqlite3_column_bytes(q, 0), FR_TOKEN_HASH_BYTES);
    assert_memory_equal(sqlite3_column_blob(q, 0), h, FR_TOKEN_HASH_BYTES);
    sqlite3_finalize(q);
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT count(*) FROM auth_users WHERE CAST(token_hash AS TEXT) LIKE '%' || ?1 || '%'",
            -1, &q, NULL),
        SQLITE_OK);
    sqlite3_bind_text(q, 1, tok + 4, 20, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    fr_user u;
    assert_int_equal(fr_auth_check(a, tok, strlen(tok), &u, &err), FR_OK);
    assert_string_equal(u.name, "ana");
    assert_int_equal(u.role, FR_ROLE_OFFICER);
    assert_int_equal(u.created_ms, 1000);
    fr_auth_close(a);
}

static void malformed_and_unknown_tokens_fail(void **st)
{
    tmp *t = *st;
    fr_auth *a = NULL;
    fr_error err;
    fr_user u;
    char tok[FR_TOKEN_BUFSZ];
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "ana", FR_ROLE_OFFICER, 1, tok, &err), FR_OK);
    assert_int_equal(fr_auth_check(a, "", 0, &u, &err), FR_EAUTH);
    assert_int_equal(fr_auth_check(a, tok, strlen(tok) - 1, &u, &err), FR_EAUTH);
    char bad[FR_TOKEN_BUFSZ];
    memcpy(bad, tok, sizeof bad);
    bad[10] = bad[10] == 'A' ? 'B' : 'A'; /* one character off: a different token */
    assert_int_equal(fr_auth_check(a, bad, strlen(bad), &u, &err), FR_EAUTH);
    assert_string_equal(err.message, "the bearer token is not known");
    memcpy(bad, tok, sizeof bad);
    bad[0] = 'x'; /* wrong prefix */
    assert_int_equal(fr_auth_check(a, bad, strlen(bad), &u, &err), FR_EAUTH);
    memcpy(bad, tok, sizeof bad);
    bad[20] = '*'; /* not base64url */
    assert_int_equal(fr_auth_check(a, bad, strlen(bad), &u, &err), FR_EAUTH);
    fr_auth_close(a);
}

static void revoke_and_rotate_take_effect_on_other_handles(void **st)
{
    tmp *t = *st;
    fr_auth *a = NULL, *b = NULL;
    fr_error err;
    fr_user u;
    char tok[FR_TOKEN_BUFSZ], tok2[FR_TOKEN_BUFSZ];
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    assert_int_equal(fr_auth_open(t->db, &b, &err), FR_OK); /* as a server thread would */
    assert_int_equal(fr_auth_user_add(a, "ana", FR_ROLE_SUPERVISOR, 1, tok, &err), FR_OK);
    assert_int_equal(fr_auth_check(b, tok, strlen(tok), &u, &err), FR_OK);
    assert_int_equal(fr_auth_user_revoke(a, "ana", 50, &err), FR_OK);
    assert_int_equal(fr_auth_check(b, tok, strlen(tok), &u, &err), FR_EAUTH);
    assert_string_equal(err.message, "the bearer token has been revoked");
    assert_int_equal(fr_auth_user_revoke(a, "ana", 60, &err), FR_OK); /* again: no-op */
    assert_int_equal(fr_auth_user_revoke(a, "nobody", 60, &err), FR_ENOTFOUND);
    fr_user *list = NULL;
    size_t n = 0;
    assert_int_equal(fr_auth_user_list(b, &list, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].revoked_ms, 50); /* the first revocation time is kept */
    fr_free(list);
    /* rotate does not bring a revoked user back (issue 19, item 8) */
    assert_int_equal(fr_auth_user_rotate(a, "ana", 70, tok2, &err), FR_ECONFLICT);
    assert_non_null(strstr(err.message, "revoked"));
    assert_int_equal(fr_auth_check(b, tok, strlen(tok), &u, &err), FR_EAUTH);
    /* an active user: a new token works, the old one stops working */
    assert_int_equal(fr_auth_user_add(a, "bea", FR_ROLE_OFFICER, 1, tok, &err), FR_OK);
    assert_int_equal(fr_auth_user_rotate(a, "bea", 70, tok2, &err), FR_OK);
    assert_int_equal(fr_auth_check(b, tok2, strlen(tok2), &u, &err), FR_OK);
    assert_int_equal(u.revoked_ms, 0);
    assert_int_equal(fr_auth_check(b, tok, strlen(tok), &u, &err), FR_EAUTH);
    assert_int_equal(fr_auth_user_rotate(a, "nobody", 70, tok2, &err), FR_ENOTFOUND);
    fr_auth_close(a);
    fr_auth_close(b);
}

static void names_roles_and_duplicates_are_checked(void **st)
{
    tmp *t = *st;
    fr_auth *a = NULL;
    fr_error err;
    char tok[FR_TOKEN_BUFSZ];
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "", FR_ROLE_ADMIN, 1, tok, &err), FR_EINVAL);
    assert_int_equal(fr_auth_user_add(a, "a b", FR_ROLE_ADMIN, 1, tok, &err), FR_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(err.column, 2);
    assert_int_equal(
        fr_auth_user_add(a, "x'; DROP TABLE auth_users;--", FR_ROLE_ADMIN, 1, tok, &err),
        FR_EINVAL);
    char longname[FR_USER_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(fr_auth_user_add(a, longname, FR_ROLE_ADMIN, 1, tok, &err), FR_EINVAL);
    assert_int_equal(fr_auth_user_add(a, "ana", FR_ROLE_NONE, 1, tok, &err), FR_EINVAL);
    assert_string_equal(err.field, "role");
    assert_int_equal(fr_auth_user_add(a, "ana.p@post-1_x", FR_ROLE_ADMIN, 1, tok, &err), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "ana.p@post-1_x", FR_ROLE_OFFICER, 2, tok, &err),
                     FR_EEXIST);
    fr_user *list = NULL;
    size_t n = 0;
    assert_int_equal(fr_auth_user_list(a, &list, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].role, FR_ROLE_ADMIN); /* the failed add changed nothing */
    fr_free(list);
    fr_auth_close(a);
}

static void tables_need_a_ledger_first(void **st)
{
    tmp *t = *st;
    fr_auth *a = NULL;
    fr_error err;
    char p[160];
    snprintf(p, sizeof p, "%s/missing.db", t->dir);
    assert_int_equal(fr_auth_open(p, &a, &err), FR_ENOTFOUND);
    snprintf(p, sizeof p, "%s/plain.db", t->dir);
    FILE *f = fopen(p, "w"); /* an empty file: not a ledger yet */
    assert_non_null(f);
    fclose(f);
    assert_int_equal(fr_auth_open(p, &a, &err), FR_ENOTFOUND);
    assert_null(a);
    /* module version recorded in fr_module_schema; reopening migrates nothing */
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    fr_auth_close(a);
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_OK);
    fr_auth_close(a);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT version FROM fr_module_schema WHERE module='auth'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2); /* 2: a post's ports */
    sqlite3_finalize(q);
    /* a newer version is refused */
    assert_int_equal(sqlite3_exec(db, "UPDATE fr_module_schema SET version = 9 WHERE module='auth'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fr_auth_open(t->db, &a, &err), FR_EVERSION);
    /* and the ledger itself still opens: our tables do not disturb it */
    fr_store *s = NULL;
    assert_int_equal(fr_store_open(t->db, 0, &s, &err), FR_OK);
    fr_store_close(s);
}

/* Opening the users' tables while another connection holds the write lock
 * (a server's group commit, most of the time under load) only reads their
 * version: it must not wait for the lock (it waited for the busy timeout and
 * failed before, and a server's new worker stalled for seconds). */
static void open_beside_a_writer_takes_no_lock(void **st)
{
    tmp *t = *st;
    fr_auth *first = NULL, *a = NULL;
    fr_error err;
    assert_int_equal(fr_auth_open(t->db, &first, &err), FR_OK); /* creates the tables */
    fr_auth_close(first);
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(t->db, &w), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    int rc = fr_auth_open(t->db, &a, &err);
    if (rc != FR_OK) fail_msg("open beside a writer: %s", err.message);
    sqlite3_exec(w, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(w);
    fr_auth_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(role_matrix_keeps_analysts_from_personal_records),
        cmocka_unit_test_setup_teardown(token_is_shown_once_and_only_its_hash_is_stored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(malformed_and_unknown_tokens_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(revoke_and_rotate_take_effect_on_other_handles, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(names_roles_and_duplicates_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_need_a_ledger_first, setup, teardown),
        cmocka_unit_test_setup_teardown(open_beside_a_writer_takes_no_lock, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
