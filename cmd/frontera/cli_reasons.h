/* SPDX-License-Identifier: MIT */
/* cli_reasons.h: the admission reasons in the user's language (cli_reasons.c). */
#ifndef FR_CMD_CLI_REASONS_H
#define FR_CMD_CLI_REASONS_H

#include <stddef.h>

#include "frontera/admit.h"

/* The English template of a reason code (marked for translation), or NULL. */
const char *cli_reason_template(const char *code);

/* The reason's sentence in the messages' language: written into buf (cap
 * bytes) from the translated template, or the library's English message
 * (r->message) when there is no translation. Returns the one to print. */
const char *cli_reason_text(const fr_admit_reason *r, char *buf, size_t cap);

#endif
