/* SPDX-License-Identifier: MIT */
/* policy_store.c: policy_store.h's calls, to the backend of the ledger's
 * kind (a PostgreSQL URI or a SQLite file). */
#include "policy_store.h"

#include "frontera/store.h"

int fr__pstore_open(const char *path, fr__pstore **out, fr_error *err)
{
    *out = NULL;
    if (fr_store_is_pg(path)) return fr__pstore_pg_open(path, out, err);
    return fr__pstore_sqlite_open(path, out, err);
}

void fr__pstore_close(fr__pstore *p)
{
    if (p) p->ops->close(p);
}

int fr__pstore_latest(fr__pstore *p, int with_text, fr__pstore_version *v, fr_error *err)
{
    return p->ops->latest(p, with_text, v, err);
}

int fr__pstore_add(fr__pstore *p, const fr__pstore_version *v, fr_error *err)
{
    return p->ops->add(p, v, err);
}

int fr__pstore_list(fr__pstore *p, fr__pstore_version **out, size_t *n, fr_error *err)
{
    return p->ops->list(p, out, n, err);
}

int fr__pstore_get(fr__pstore *p, int64_t version, fr__pstore_version *v, fr_error *err)
{
    return p->ops->get(p, version, v, err);
}

int fr__pstore_lost(fr__pstore *p)
{
    return p && p->ops->lost ? p->ops->lost(p) : 0;
}
