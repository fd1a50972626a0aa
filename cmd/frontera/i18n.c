/* SPDX-License-Identifier: MIT */
/* i18n.c: choosing the language of the program's messages.
 *
 * Only the messages and the character set follow the environment
 * (LC_MESSAGES, LC_CTYPE): numbers in JSON and CSV keep their '.' whatever
 * the language, so LC_NUMERIC stays "C". setlocale takes the language from
 * LC_ALL / LC_MESSAGES / LANG. A border
 * post's machine may be set to es_EC.UTF-8 without that locale generated
 * (localedef): glibc then refuses the locale and gettext would print
 * English. In that case the language named in the environment is still
 * honoured for messages: the character set becomes C.UTF-8 and gettext's
 * LANGUAGE is set to the language part (es_EC.UTF-8 -> es_EC), which it
 * reads only outside the "C" locale. Dates and numbers in the program's
 * output are ISO 8601 and plain digits whatever the language. */
#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *env_language(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return v;
    }
    return NULL;
}

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void cli_i18n_init(void)
{
    const char *ok = setlocale(LC_MESSAGES, "");
    setlocale(LC_CTYPE, "");
    if (!ok) {
        const char *lang = env_language();
        char code[16];
        size_t n = 0;
        /* "es_EC.UTF-8" -> "es_EC": letters, digits and '_' only */
        while (lang && n + 1 < sizeof code &&
               ((lang[n] >= 'a' && lang[n] <= 'z') || (lang[n] >= 'A' && lang[n] <= 'Z') ||
                lang[n] == '_'))
            n++;
        if (n >= 2 && setlocale(LC_MESSAGES, "C.UTF-8")) {
            setlocale(LC_CTYPE, "C.UTF-8");
            memcpy(code, lang, n);
            code[n] = 0;
            const char *have = getenv("LANGUAGE");
            if (!have || !*have) setenv("LANGUAGE", code, 1);
        }
    }
    const char *dir = getenv("FRONTERA_LOCALEDIR");
    if (!is_dir(dir)) dir = is_dir(FR_BUILD_LOCALEDIR) ? FR_BUILD_LOCALEDIR : FR_LOCALEDIR;
    bindtextdomain("frontera", dir);
    bind_textdomain_codeset("frontera", "UTF-8");
    textdomain("frontera");
}
