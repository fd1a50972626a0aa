/* SPDX-License-Identifier: MIT */
/* commands.h: the frontera program's subcommands, one X line each.
 * X(name, function, one-line summary). Each function lives in its own file
 * cmd/frontera/cmd_<name>.c with the signature
 *     int cmd_<name>(int argc, char **argv);   (argv[0] is the subcommand)
 * and returns the process exit code (0 ok, 1 finding/refusal, 2 usage). Each
 * must answer --help with its usage on stdout and exit 0. */
#ifndef FR_CMD_COMMANDS_H
#define FR_CMD_COMMANDS_H

#include "i18n.h" /* N_(): the summaries are translated where printed */

#define FR_COMMANDS(X)                                                                             \
    X(countries, cmd_countries, N_("list or look up ICAO 9303 country and organisation codes"))    \
    X(mrz, cmd_mrz, N_("read or build ICAO 9303 machine readable zones"))                          \
    X(paxlst, cmd_paxlst, N_("read UN/EDIFACT PAXLST airline passenger and crew manifests"))       \
    X(manifest, cmd_manifest,                                                                      \
      N_("check a PAXLST manifest before arrival: board, no-board or check"))                      \
    X(admit, cmd_admit, N_("decide admit, refer or refuse at the booth, and record it"))           \
    X(stay, cmd_stay, N_("compute stay days used, remaining and overstay under a stay rule"))      \
    X(policy, cmd_policy, N_("check, lint and compare visa policy files"))                         \
    X(synth, cmd_synth, N_("generate deterministic synthetic crossings as CSV"))                   \
    X(init, cmd_init, N_("create the crossings ledger or migrate it to the current schema"))       \
    X(record, cmd_record, N_("record one entry, exit, refusal, encounter or extension"))           \
    X(traveller, cmd_traveller, N_("show a traveller's documents, crossings and current stay"))    \
    X(import, cmd_import, N_("import crossings from CSV in batches (resumable)"))                  \
    X(export, cmd_export, N_("export crossings as CSV"))                                           \
    X(migrate, cmd_migrate,                                                                        \
      N_("copy a ledger between SQLite and PostgreSQL, verified by digests"))                      \
    X(serve, cmd_serve, N_("run the HTTP JSON API (libmicrohttpd) until SIGTERM"))                 \
    X(user, cmd_user, N_("add, list, revoke and rotate the server's users and tokens"))            \
    X(sync, cmd_sync,                                                                              \
      N_("send a border post's events to the central store; show the sync status"))                \
    X(audit, cmd_audit, N_("verify the hash-chained audit log, list it, print its head"))          \
    X(report, cmd_report, N_("flow, overstay, alert and what-if reports"))                         \
    X(overstayers, cmd_overstayers,                                                                \
      N_("list who is in the country past the authorised stay on a date"))                         \
    X(watchlist, cmd_watchlist, N_("import watchlists and show their statistics"))                 \
    X(screen, cmd_screen, N_("screen travellers against watchlists and lost/stolen documents"))    \
    X(documents, cmd_documents, N_("import the lost/stolen travel document list"))                 \
    X(purge, cmd_purge, N_("erase personal data past its retention period (counts kept)"))         \
    X(review, cmd_review,                                                                          \
      N_("list and resolve document-link reviews; split a wrongly merged traveller"))              \
    X(linkeval, cmd_linkeval, N_("measure document linking against a synthetic ground truth"))

#define FR_X_DECL(name, fn, summary) int fn(int argc, char **argv);
FR_COMMANDS(FR_X_DECL)
#undef FR_X_DECL

#endif
