/* SPDX-License-Identifier: MIT */
/* server_countries.c: GET /v1/countries?lang=en|es: the name of every code
 * of the ICAO 9303 table (country.h) in the page's language, so the pages
 * name any nationality an answer holds from the server's own tables (the
 * library's English names, fr__country_name_es for Spanish: ICU's region
 * names and the hand table of the codes that are no region) instead of a
 * second copy of them in the page's catalogue. Reference data, no personal
 * record: any signed-in user may read it and it is not audited. */
#include <string.h>

#include "country_words.h"
#include "frontera/country.h"
#include "server_internal.h"

enum MHD_Result fr__srv_countries(srv_req *r)
{
    static const char *const ALLOWED[] = {"lang", NULL};
    const char *bad = fr__srv_unknown_arg(r, ALLOWED);
    if (bad) return fr__srv_unknown_arg_problem(r, bad);
    const char *lang = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
    if (!lang || !*lang) lang = "en";
    if (strcmp(lang, "en") != 0 && strcmp(lang, "es") != 0)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "lang", NULL,
                               "lang must be en or es");
    int spanish = strcmp(lang, "es") == 0;
    json_t *names = json_object();
    for (int i = 0, n = fr_country_count(); names && i < n; i++) {
        char buf[160];
        const char *name = spanish ? fr__country_name_es(i, buf, sizeof buf) : NULL;
        if (!name) name = fr_country_name(i); /* no Spanish name known: the English one */
        if (name && json_object_set_new(names, fr_country_code(i), json_string(name)) != 0) {
            json_decref(names);
            names = NULL;
        }
    }
    if (!names)
        return fr__srv_problem(r, 500, "internal", "Internal error", NULL, NULL, "out of memory");
    return fr__srv_send_json(r, 200, json_pack("{s:s, s:o}", "lang", lang, "names", names));
}
