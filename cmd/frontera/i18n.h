/* SPDX-License-Identifier: MIT */
/* i18n.h: the program's messages in the user's language (GNU gettext,
 * text domain "frontera", catalogues from po/). _() translates a message at
 * the point of use, N_() marks one kept in a table and translated where it
 * is printed. Machine output (JSON members, codes, CSV headings) is never
 * translated. The library stays English: it returns codes, and the program
 * chooses the words. */
#ifndef FR_CMD_I18N_H
#define FR_CMD_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) s

/* Choose the messages' language from LC_ALL / LC_MESSAGES / LANG and bind
 * the catalogues: $FRONTERA_LOCALEDIR, else the build tree's, else the
 * installed ones. Call once at the start of main. */
void cli_i18n_init(void);

#endif
