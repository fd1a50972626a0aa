/* cli.h: small helpers shared by the subcommands (reading input, printing
 * errors the same way everywhere). Program code: may print and exit. */
#ifndef FR_CMD_CLI_H
#define FR_CMD_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "frontera/policy.h"
#include "frontera/status.h"

/* Exit codes, documented in the man page and README. */
#define FR_EXIT_OK 0
#define FR_EXIT_FINDING 1
#define FR_EXIT_USAGE 2
#define FR_EXIT_FAILURE 3

/* Read all of path ("-" or NULL: stdin) into a NUL-terminated buffer the
 * caller frees; at most max bytes. Returns NULL and prints why on failure. */
char *cli_read_all(const char *path, size_t max, size_t *len_out);

/* "frontera SUB: message" on stderr, then a hint to --help. Returns FR_EXIT_USAGE. */
int cli_usage_error(const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print an fr_error as "frontera SUB: FILE:LINE:COLUMN: field: message". */
void cli_print_error(const char *sub, const char *file, const fr_error *err);

/* The policy file to use when none is named: $FRONTERA_POLICY, else
 * Ecuador's (data/policy/ecu.policy from the source tree or the installed
 * data directory). A string the caller frees with fr_free, or NULL. */
char *cli_default_policy_path(void);

/* Load and validate a policy file, printing every error found as
 * "frontera SUB: FILE:LINE:COL: ..."; NULL on failure. */
fr_policy *cli_load_policy(const char *sub, const char *path);

#endif
