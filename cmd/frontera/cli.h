/* SPDX-License-Identifier: MIT */
/* cli.h: small helpers shared by the subcommands (reading input, printing
 * errors the same way everywhere). Program code: may print and exit. */
#ifndef FR_CMD_CLI_H
#define FR_CMD_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "frontera/admit.h"
#include "frontera/policy.h"
#include "frontera/screen.h"
#include "frontera/server.h"
#include "frontera/status.h"
#include "frontera/sync.h"

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

/* The usage error for an option getopt_long refused (it returned '?'; main
 * turned opterr off): names the option and whether it is unknown, needs a
 * value or takes none. Returns FR_EXIT_USAGE. */
int cli_bad_option(const char *sub, int argc, char **argv);

/* Print an fr_error as "frontera SUB: FILE:LINE:COLUMN: field: message". */
void cli_print_error(const char *sub, const char *file, const fr_error *err);
/* A file's rejected rows, said on standard error as a parser reports them
 * (a row callback): at most CLI_ROW_ERRORS_SHOWN messages, and a run of
 * rows with the same error (a wrong file: every row alike) said once with
 * its count and lines instead of once a row. cli_row_errors_end says what is
 * still pending. */
#define CLI_ROW_ERRORS_SHOWN 50
typedef struct cli_row_errors {
    const char *sub, *file;
    size_t shown, same, hidden; /* printed; repeats of the last one; beyond the limit */
    int same_from, same_to;     /* the repeats' lines */
    int code;
    char message[256];
} cli_row_errors;
void cli_row_error(void *ud, const fr_error *err);
void cli_row_errors_end(cli_row_errors *r);

/* Before a command that creates the ledger when there is none (serve, user
 * add): 1 when db is an SQLite file that does not exist yet, else 0. After
 * the command made it, cli_say_new_ledger says so on standard error, so that
 * a mistyped --db is seen at once instead of as an empty ledger later. */
int cli_ledger_missing(const char *db);
void cli_say_new_ledger(const char *sub, const char *db);

/* The policy file to use when none is named: $FRONTERA_POLICY, else
 * Ecuador's (data/policy/ecu.policy from the source tree or the installed
 * data directory). A string the caller frees with fr_free, or NULL. */
char *cli_default_policy_path(void);

/* Print s to standard output as a JSON string (quoted and escaped: the one
 * escaper of the program; JSON documents are built with jansson). */
void cli_json_string(const char *s);

/* Append one entry to the audit log of the database db, as the operating
 * system's user ("cli:NAME", origin "cli"): every read or export of personal
 * data through the command line is audited like one through the server.
 * Prints the error and returns non-zero when it could not be written: the
 * caller then shows nothing. */
/* The audit actor of the command line: "cli:" and the account the process
 * runs as. */
void cli_actor(char *actor, size_t cap);
int cli_audit(const char *sub, const char *db, const char *action, const char *object,
              const char *role, const char *detail);
/* The same, by another actor and channel (the server's own work: its
 * background sync is "server:sync", role "system", channel "server"). */
int cli_audit_by(const char *sub, const char *db, const char *actor, const char *channel,
                 const char *action, const char *object, const char *role, const char *detail);

/* ---- cli_words.c: the library's words in the user's language ---- */
/* fr_strerror(code) in the user's language. */
const char *cli_strerror(int code);
/* The sentence of err for the user: in English the library's own; in
 * another language a translation chosen by err's code and field for the
 * errors met at the booth (dates, local times, ports, no database), else the library's
 * English sentence. Static or err's storage: valid while err is. */
const char *cli_error_text(const fr_error *err);
/* 1 when the program speaks English (no catalogue, or LANG=C). */
int cli_english(void);
/* A policy rule's legal reference in the user's language: its ref_es= in
 * Spanish when the policy gives one, else its ref=. */
struct fr_policy_rule;
const char *cli_rule_ref(const struct fr_policy_rule *r);
/* Its note in the user's language (note_es= in Spanish, where given). */
const char *cli_rule_note(const struct fr_policy_rule *r);
/* A stay rule in words in the user's language (the code alone in English),
 * with the code in parentheses when with_code. Returns buf. */
struct fr_stay_rule;
const char *cli_stay_words(const struct fr_stay_rule *st, int with_code, char *buf, size_t cap);
/* A code name of the library (an event kind, a document link, an anomaly,
 * a regime, an admission class, a review's status, an alert's direction) in
 * the user's words: the
 * code itself in English (what scripts and the JSON read), a phrase in
 * another language; an unknown code as it is. */
const char *cli_code_word(const char *code);
/* A linking comparison (field and level of linkage.h) in the user's words,
 * English included; NULL for one this table does not know. */
const char *cli_evidence_word(const char *field, const char *level);
/* A screening result's explanation (fr_screen_explanation_words) in the
 * user's language, in buf; the English one when there is no translation. */
const char *cli_screen_explanation(const char *en, char *buf, size_t cap);
/* A review's evidence as stored (linkage.h, fr_linkage_explain) in the
 * user's words on standard output, each line after `indent`. */
void cli_print_evidence(const char *ev, const char *indent);
/* The sentence of alert a for the user: in English the library's own
 * (fr_alert.message); in another language the same facts from a's fields
 * in buf. */
struct fr_alert;
const char *cli_alert_text(const struct fr_alert *a, char *buf, size_t cap);
/* A series' metric in the user's words ("arrivals", "llegadas"); a metric of
 * the user's own as it is named. */
const char *cli_metric_word(const char *metric);

/* fr_country_normalize (ICAO or ISO alpha-3 code, English name), else a
 * country's name in Spanish in any case, with or without accents
 * ("Alemania" -> D, "peru" -> PER): the table index, or -1. */
int cli_country(const char *text, size_t len);
/* The name of the code at idx in the user's language: the table's English
 * name, or in Spanish fr__country_name_es's (ICU's name of its ISO region in
 * buf, cap bytes, or the generated Spanish name of XXA, EUE, UNO ...). */
const char *cli_country_name(int idx, char *buf, size_t cap);

/* Load and validate a policy file, printing every error found as
 * "frontera SUB: FILE:LINE:COL: ..."; NULL on failure. */
fr_policy *cli_load_policy(const char *sub, const char *path);

/* The watchlist directory: the one given, else $FRONTERA_WATCHLISTS, else
 * ./frontera-watchlists. */
const char *cli_watchlist_dir(const char *given);
int cli_watchlist_dir_exists(const char *dir);

/* Everything screening needs, loaded from a watchlist directory. */
typedef struct cli_screening {
    fr_watchlist *wl;
    fr_docindex *docs;
    fr_screen_index *idx;
    fr_screen_ctx *ctx;
} cli_screening;

/* Load the lists of dir (a missing directory is an empty set) and the
 * lost/stolen documents, build the index and a context. Prints what went
 * wrong as "frontera SUB: ..." and returns -1; 0 on success. */
int cli_screening_open(const char *sub, const char *dir, cli_screening *s);
void cli_screening_close(cli_screening *s); /* zeroed or opened; idempotent */

/* ---- cli_sync.c: a post's push to the central ---- */
/* A token from the first line of a file (trimmed) into out: 0; -2 when the
 * file cannot be read (the cause is already said on standard error); -1
 * when it holds no single-line token that fits. */
int cli_read_token(const char *path, char *out, size_t cap);
/* One push (fr_sync_push), audited first when events are waiting: by the
 * command line's user, or (by_server) as the server's own background work. */
int cli_sync_once(const fr_sync_config *cfg, int by_server, fr_sync_report *rep, fr_error *err);
/* A thread that pushes every every_s seconds until cli_syncer_stop (which
 * waits for a push in progress); cfg's strings are copied. log (may be NULL)
 * gets one line per push that sent something or failed. Paced when
 * cfg->max_events is set: a push sends at most that many events and, while
 * more wait, the next follows one second later (a catch-up at most
 * max_events per second, so that it leaves the booth its share of the
 * post's machine). */
typedef struct cli_syncer cli_syncer;
int cli_syncer_start(const fr_sync_config *cfg, unsigned every_s, void (*log)(const char *line),
                     cli_syncer **out);
/* Stop the thread (waiting for a push in progress); the syncer stays for
 * the status until cli_syncer_free (which stops it first). NULL: no-op. */
void cli_syncer_stop(cli_syncer *s);
void cli_syncer_free(cli_syncer *s);
/* What the syncer also pulls from the central, every pull_every_s seconds
 * (at its next push): the policy into policy_path (NULL: not), the lists
 * into lists_dir (NULL: not), the histories of `days` days (0: not). Once a
 * server is attached (cli_syncer_attach), a policy or lists that changed
 * are put in force in it without a restart (fr_server_set_policy,
 * fr_server_swap_lists). Call before the first pull can run: right after
 * cli_syncer_start, from the same thread. */
void cli_syncer_pulls(cli_syncer *s, const char *policy_path, const char *lists_dir, int days,
                      unsigned pull_every_s);
void cli_syncer_attach(cli_syncer *s, fr_server *srv);
/* What a post's server answers to GET /v1/sync/status
 * (fr_server_config.sync_status with ud a cli_sync_view): the status of
 * every central the ledger db synchronises with (fr_sync_status_json), with
 * the server's own background sync when it has one; then "late" means
 * about three of its rounds missed when they are longer than the defaults. */
typedef struct cli_sync_view {
    const char *db;
    cli_syncer *syncer; /* NULL: this server does not push by itself */
} cli_sync_view;
int cli_sync_status_answer(void *ud, int64_t now_ms, char **json, size_t *len, fr_error *err);
/* fr_server_config.offline for a post's server: 1 while the last push
 * failed, *since_ms the last success (ud: the cli_syncer). */
int cli_syncer_offline(void *ud, int64_t *since_ms);
/* cli_sync_recheck.c: `sync recheck-offline` on the central (all: list
 * every offline decision, not only those decided differently). Returns the
 * exit code. */
int cli_sync_recheck(const char *db, const char *policy_path, int all, int json);

#endif
