/* SPDX-License-Identifier: MIT */
/* policy_groups.c: named groups of nationalities (@andean, @schengen ...).
 *
 * Groups are defined in the policy file itself, so they are versioned with
 * the rules that use them; there are no built-in groups. A group is a bit
 * set over the country table; a member may be another group defined
 * earlier (its members are copied in). */
#include <string.h>

#include "frontera/alloc.h"
#include "policy_internal.h"

int fr__policy_group_find(const fr_policy *p, const char *name, size_t len)
{
    for (size_t i = 0; i < p->ngroups; i++)
        if (strlen(p->groups[i].name) == len && memcmp(p->groups[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int fr__policy_group_add(fr_policy *p, const char *name, size_t len, const fr_cset *members,
                         int line)
{
    if (p->ngroups >= FR_POLICY_MAX_GROUPS) return FR_ELIMIT;
    if (!p->groups) {
        p->groups = fr_calloc(FR_POLICY_MAX_GROUPS, sizeof *p->groups);
        if (!p->groups) return FR_ENOMEM;
    }
    fr_pgroup *g = &p->groups[p->ngroups];
    g->name = fr_strndup(name, len);
    if (!g->name) return FR_ENOMEM;
    g->members = *members;
    g->line = line;
    p->ngroups++;
    return FR_OK;
}

size_t fr_policy_group_count(const fr_policy *p)
{
    return p ? p->ngroups : 0;
}

const char *fr_policy_group_name(const fr_policy *p, size_t i)
{
    return p && i < p->ngroups ? p->groups[i].name : NULL;
}

int fr_policy_group_has(const fr_policy *p, size_t i, int country)
{
    if (!p || i >= p->ngroups || country < 0 || country >= p->ncountries) return 0;
    return fr__cset_has(&p->groups[i].members, country);
}
