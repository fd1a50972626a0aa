/* SPDX-License-Identifier: MIT */
/* auth.c: the backend-neutral half of auth.h: role permissions, user name
 * rules, token creation (libsodium randomness, base64url text) and token
 * checking (hash, look up, constant-time compare). Storage goes through the
 * ops table of src/auth_impl.h (auth_sqlite.c). */
#include <string.h>

#include <sodium.h>

#include "auth_impl.h"
#include "frontera/event.h"
#include "frontera/store.h"

/* Domain separation for the token hash (see auth.h: not a secret). */
static const unsigned char TOKEN_KEY[crypto_generichash_KEYBYTES] = "frontera.auth.token.v1";

static const char *const ROLE_NAMES[] = {"",      "officer", "supervisor", "analyst",
                                         "admin", "carrier", "post"};

const char *fr_role_name(fr_role r)
{
    return (r >= FR_ROLE_OFFICER && r <= FR_ROLE_POST) ? ROLE_NAMES[r] : "";
}

fr_role fr_role_parse(const char *s, size_t len)
{
    for (int r = FR_ROLE_OFFICER; r <= FR_ROLE_POST; r++)
        if (strlen(ROLE_NAMES[r]) == len && memcmp(ROLE_NAMES[r], s, len) == 0) return (fr_role)r;
    return FR_ROLE_NONE;
}

#define P(x) (1u << (x))
static const unsigned ROLE_PERMS[] = {
    [FR_ROLE_NONE] = 0,
    [FR_ROLE_OFFICER] = P(FR_PERM_ADMIT) | P(FR_PERM_EVENTS) | P(FR_PERM_TRAVELLER) |
                        P(FR_PERM_POLICY_READ) | P(FR_PERM_SYNC_STATUS),
    [FR_ROLE_SUPERVISOR] = P(FR_PERM_ADMIT) | P(FR_PERM_EVENTS) | P(FR_PERM_TRAVELLER) |
                           P(FR_PERM_OVERRIDE) | P(FR_PERM_REPORTS) | P(FR_PERM_POLICY_READ) |
                           P(FR_PERM_MANIFEST) | P(FR_PERM_REVIEW) | P(FR_PERM_ENFORCEMENT) |
                           P(FR_PERM_SYNC_STATUS),
    [FR_ROLE_ANALYST] = P(FR_PERM_REPORTS) | P(FR_PERM_POLICY_READ),
    [FR_ROLE_ADMIN] = P(FR_PERM_TRAVELLER) | P(FR_PERM_REPORTS) | P(FR_PERM_POLICY_READ) |
                      P(FR_PERM_POLICY_WRITE) | P(FR_PERM_USERS) | P(FR_PERM_SYNC_STATUS),
    [FR_ROLE_CARRIER] = P(FR_PERM_MANIFEST),
    [FR_ROLE_POST] = P(FR_PERM_EVENTS) | P(FR_PERM_POLICY_READ) | P(FR_PERM_SYNC_PULL),
};
#undef P

int fr_role_may(fr_role r, fr_perm p)
{
    if (r < FR_ROLE_OFFICER || r > FR_ROLE_POST || p < FR_PERM_ADMIT || p > FR_PERM_LAST) return 0;
    return (ROLE_PERMS[r] >> p) & 1u;
}

int fr_auth_check_name(const char *name, fr_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > FR_USER_NAME_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "name", "a user name has 1 to %d characters",
                            FR_USER_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '@' || c == '-'))
            return fr_error_set(err, FR_EINVAL, 0, (int)i + 1, "name",
                                "a user name may hold letters, digits, '.', '_', '@' and '-' only "
                                "(character %zu is not one)",
                                i + 1);
    }
    return FR_OK;
}

int fr_auth_token_hash(const char *token, size_t len, unsigned char hash[FR_TOKEN_HASH_BYTES])
{
    const size_t plen = sizeof FR_TOKEN_PREFIX - 1;
    unsigned char raw[FR_TOKEN_BYTES];
    size_t rawlen = 0;
    if (!token || len != FR_TOKEN_TEXT_LEN || memcmp(token, FR_TOKEN_PREFIX, plen) != 0)
        return FR_EAUTH;
    if (sodium_base642bin(raw, sizeof raw, token + plen, len - plen, NULL, &rawlen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        rawlen != FR_TOKEN_BYTES)
        return FR_EAUTH;
    crypto_generichash(hash, FR_TOKEN_HASH_BYTES, raw, sizeof raw, TOKEN_KEY, sizeof TOKEN_KEY);
    sodium_memzero(raw, sizeof raw);
    return FR_OK;
}

/* A new token text and its hash. */
static int new_token(char token[FR_TOKEN_BUFSZ], unsigned char hash[FR_TOKEN_HASH_BYTES],
                     fr_error *err)
{
    unsigned char raw[FR_TOKEN_BYTES];
    if (sodium_init() < 0)
        return fr_error_set(err, FR_EIO, 0, 0, "", "libsodium cannot start: no randomness");
    randombytes_buf(raw, sizeof raw);
    memcpy(token, FR_TOKEN_PREFIX, sizeof FR_TOKEN_PREFIX - 1);
    sodium_bin2base64(token + sizeof FR_TOKEN_PREFIX - 1,
                      FR_TOKEN_BUFSZ - (sizeof FR_TOKEN_PREFIX - 1), raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return fr_auth_token_hash(token, strlen(token), hash) == FR_OK
               ? FR_OK
               : fr_error_set(err, FR_EIO, 0, 0, "", "a new token did not encode");
}

int fr_auth_open(const char *path, fr_auth **out, fr_error *err)
{
    if (!path || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "db", "no database named");
    if (strncmp(path, "sqlite:", 7) == 0) path += 7;
    if (fr_store_is_pg(path)) return fr__auth_pg_open(path, out, err);
    return fr__auth_sqlite_open(path, out, err);
}

void fr_auth_close(fr_auth *a)
{
    if (a) a->ops->close(a);
}

static int user_add(fr_auth *a, const char *name, fr_role role, const char *ports, int64_t now_ms,
                    char token[FR_TOKEN_BUFSZ], fr_error *err)
{
    unsigned char hash[FR_TOKEN_HASH_BYTES];
    int rc = fr_auth_check_name(name, err);
    if (rc != FR_OK) return rc;
    if ((rc = new_token(token, hash, err)) != FR_OK) return rc;
    rc = a->ops->insert(a, name, role, ports, hash, now_ms, err);
    if (rc != FR_OK) sodium_memzero(token, FR_TOKEN_BUFSZ);
    return rc;
}

int fr_auth_user_add(fr_auth *a, const char *name, fr_role role, int64_t now_ms,
                     char token[FR_TOKEN_BUFSZ], fr_error *err)
{
    if (role < FR_ROLE_OFFICER || role >= FR_ROLE_POST)
        return fr_error_set(
            err, FR_EINVAL, 0, 0, "role",
            role == FR_ROLE_POST
                ? "a post user needs its ports (fr_auth_user_add_post)"
                : "the role must be officer, supervisor, analyst, admin or carrier");
    return user_add(a, name, role, "", now_ms, token, err);
}

/* A comma-separated list of 1 to 16 valid ports, none twice. */
static int check_ports(const char *ports, fr_error *err)
{
    size_t n = ports ? strlen(ports) : 0, count = 0;
    if (n == 0 || n > FR_USER_PORTS_MAX || ports[n - 1] == ',')
        return fr_error_set(err, FR_EINVAL, 0, 0, "ports",
                            "a post has 1 to 16 ports (UN/LOCODEs separated by commas)");
    for (size_t i = 0; i < n; i += 6, count++) {
        char port[6];
        if (n - i < 5 || (n - i > 5 && ports[i + 5] != ','))
            return fr_error_set(err, FR_EINVAL, 0, (int)i + 1, "ports",
                                "ports are UN/LOCODEs of 5 characters separated by commas");
        memcpy(port, ports + i, 5);
        port[5] = 0;
        if (fr_event_check_port(port, NULL) != FR_OK)
            return fr_error_set(err, FR_EINVAL, 0, (int)i + 1, "ports",
                                "%s is not a UN/LOCODE of a known state", port);
        for (size_t j = 0; j < i; j += 6)
            if (memcmp(ports + j, port, 5) == 0)
                return fr_error_set(err, FR_EINVAL, 0, (int)i + 1, "ports",
                                    "port %s is listed twice", port);
    }
    return count <= 16 ? FR_OK
                       : fr_error_set(err, FR_EINVAL, 0, 0, "ports", "a post has at most 16 ports");
}

int fr_auth_user_add_post(fr_auth *a, const char *name, const char *ports, int64_t now_ms,
                          char token[FR_TOKEN_BUFSZ], fr_error *err)
{
    int rc = check_ports(ports, err);
    return rc != FR_OK ? rc : user_add(a, name, FR_ROLE_POST, ports, now_ms, token, err);
}

int fr_auth_port_allowed(const fr_user *u, const char *port)
{
    if (u->role != FR_ROLE_POST) return 1;
    size_t n = strlen(u->ports);
    if (strlen(port) != 5) return 0;
    for (size_t i = 0; i + 5 <= n; i += 6)
        if (memcmp(u->ports + i, port, 5) == 0) return 1;
    return 0;
}

int fr_auth_user_rotate(fr_auth *a, const char *name, int64_t now_ms, char token[FR_TOKEN_BUFSZ],
                        fr_error *err)
{
    unsigned char hash[FR_TOKEN_HASH_BYTES];
    (void)now_ms;
    int rc = fr_auth_check_name(name, err);
    if (rc != FR_OK) return rc;
    if ((rc = new_token(token, hash, err)) != FR_OK) return rc;
    rc = a->ops->set_hash(a, name, hash, err);
    if (rc != FR_OK) sodium_memzero(token, FR_TOKEN_BUFSZ);
    /* the backends only tell which: the words are the same for both */
    if (rc == FR_ECONFLICT)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, "name",
                            "user '%s' is revoked and stays so, and its name is never given again: "
                            "add a user under another name",
                            name);
    if (rc == FR_ENOTFOUND)
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "name", "there is no user named '%s'", name);
    return rc;
}

int fr_auth_user_revoke(fr_auth *a, const char *name, int64_t now_ms, fr_error *err)
{
    int rc = fr_auth_check_name(name, err);
    return rc != FR_OK ? rc : a->ops->revoke(a, name, now_ms, err);
}

int fr_auth_user_list(fr_auth *a, fr_user **out, size_t *n, fr_error *err)
{
    return a->ops->list(a, out, n, err);
}

int fr_auth_check(fr_auth *a, const char *token, size_t len, fr_user *user, fr_error *err)
{
    unsigned char hash[FR_TOKEN_HASH_BYTES], stored[FR_TOKEN_HASH_BYTES];
    if (fr_auth_token_hash(token, len, hash) != FR_OK)
        return fr_error_set(err, FR_EAUTH, 0, 0, "token",
                            "the bearer token is not a frontera token (frt_ and 43 characters)");
    int rc = a->ops->find(a, hash, user, stored, err);
    if (rc == FR_ENOTFOUND || (rc == FR_OK && sodium_memcmp(hash, stored, sizeof hash) != 0))
        return fr_error_set(err, FR_EAUTH, 0, 0, "token", "the bearer token is not known");
    if (rc != FR_OK) return rc;
    if (user->revoked_ms != 0)
        return fr_error_set(err, FR_EAUTH, 0, 0, "token", "the bearer token has been revoked");
    return FR_OK;
}

int fr_auth_lost(fr_auth *a)
{
    return a && a->ops->lost && a->ops->lost(a);
}
