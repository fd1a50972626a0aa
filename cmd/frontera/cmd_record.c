/* SPDX-License-Identifier: MIT */
/* cmd_record.c: `frontera record KIND --event-id ID --at TIME --port LOCODE
 * --document STATE:NUMBER [person fields] [--json]`: record one crossing in
 * the ledger (store.h). A retry with the same event id and content succeeds
 * without change; the same id with other content exits 1. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "frontera/store.h"
#include "i18n.h"

static void usage(void)
{
    printf(
        _("Usage: frontera [--db PATH] record entry|exit|refusal|encounter|extension\n"
          "         --event-id ID --at YYYY-MM-DDTHH:MM[:SS]+HH:MM --port LOCODE\n"
          "         --document STATE:NUMBER [OPTION]... [--json]\n"
          "Record one event in the crossings ledger.\n\n"
          "  --event-id ID            the sender's id; a retry with the same content is a no-op\n"
          "  --at TIME                local date-time with its UTC offset\n"
          "  --port LOCODE            UN/LOCODE of the port (ECUIO, ECGYE, ...)\n"
          "  --document STATE:NUMBER  issuing state (ICAO code) and document number\n"
          "  --document-type T        P, PA, I, ID ...\n"
          "  --document-expiry DATE   --surname S  --given-names G  --nationality CODE\n"
          "  --birth-date DATE        --sex M|F|X\n"
          "  --class C                admission class (visitor, transit, crew, official)\n"
          "  --authorised-until DATE  entries and extensions; omitted: the admission/policy\n"
          "                           module computes it (stored empty until then)\n"
          "  --officer ID  --decision admit|refer|refuse  --reasons JSON\n"
          "  --json                   print the result as one JSON object\n"
          "Exit status: 0 recorded (or already recorded), 1 the event id exists with other\n"
          "content, 2 a bad option or value, 3 a storage failure.\n"));
}

static int set_text(char *dst, size_t cap, const char *src, const char *opt)
{
    if (strlen(src) >= cap)
        return cli_usage_error("record", "%s is longer than %zu characters", opt, cap - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

static int set_date(fr_date *d, const char *s, const char *opt)
{
    fr_error err;
    if (fr_date_parse_cstr(s, d, &err) != FR_OK)
        return cli_usage_error("record", "%s: %s", opt, cli_error_text(&err));
    return 0;
}

static int parse_document(fr_event *ev, const char *arg)
{
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof ev->doc.state)
        return cli_usage_error("record", "--document must be STATE:NUMBER (ECU:A1234567)");
    memcpy(ev->doc.state, arg, (size_t)(colon - arg));
    ev->doc.state[colon - arg] = '\0';
    return set_text(ev->doc.number, sizeof ev->doc.number, colon + 1, _("the document number"));
}

static void print_result(const fr_event *ev, const fr_record_result *r, int json)
{
    if (json) {
        json_t *o = json_object(), *an = json_array();
        for (unsigned b = 1; b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
            if (r->anomalies & b) json_array_append_new(an, json_string(fr_anomaly_name(b)));
        json_object_set_new(o, "event_id", json_string(ev->event_id));
        json_object_set_new(o, "kind", json_string(fr_event_kind_name(ev->kind)));
        json_object_set_new(o, "duplicate", json_boolean(r->duplicate));
        json_object_set_new(o, "traveller_id", json_integer(r->traveller_id));
        json_object_set_new(o, "link", json_string(fr_link_kind_name(r->link)));
        json_object_set_new(o, "anomalies", an);
        char *txt = json_dumps(o, JSON_COMPACT);
        if (txt) puts(txt);
        free(txt);
        json_decref(o);
        return;
    }
    if (r->duplicate)
        printf(_("%s: already recorded with the same content (traveller %lld)\n"), ev->event_id,
               (long long)r->traveller_id);
    else
        printf(_("%s: recorded %s, traveller %lld (link: %s)\n"), ev->event_id,
               cli_code_word(fr_event_kind_name(ev->kind)), (long long)r->traveller_id,
               cli_code_word(fr_link_kind_name(r->link)));
    for (unsigned b = 1; b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
        if (r->anomalies & b) printf(_("  anomaly: %s\n"), cli_code_word(fr_anomaly_name(b)));
}

int cmd_record(int argc, char **argv)
{
    enum {
        O_ID = 256,
        O_AT,
        O_PORT,
        O_DOC,
        O_TYPE,
        O_EXP,
        O_SUR,
        O_GIV,
        O_NAT,
        O_BIRTH,
        O_SEX,
        O_CLASS,
        O_UNTIL,
        O_OFFICER,
        O_DECISION,
        O_REASONS,
        O_JSON
    };
    static const struct option opts[] = {{"event-id", required_argument, NULL, O_ID},
                                         {"at", required_argument, NULL, O_AT},
                                         {"port", required_argument, NULL, O_PORT},
                                         {"document", required_argument, NULL, O_DOC},
                                         {"document-type", required_argument, NULL, O_TYPE},
                                         {"document-expiry", required_argument, NULL, O_EXP},
                                         {"surname", required_argument, NULL, O_SUR},
                                         {"given-names", required_argument, NULL, O_GIV},
                                         {"nationality", required_argument, NULL, O_NAT},
                                         {"birth-date", required_argument, NULL, O_BIRTH},
                                         {"sex", required_argument, NULL, O_SEX},
                                         {"class", required_argument, NULL, O_CLASS},
                                         {"authorised-until", required_argument, NULL, O_UNTIL},
                                         {"officer", required_argument, NULL, O_OFFICER},
                                         {"decision", required_argument, NULL, O_DECISION},
                                         {"reasons", required_argument, NULL, O_REASONS},
                                         {"json", no_argument, NULL, O_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    fr_event ev;
    fr_event_init(&ev);
    int json = 0, c, bad = 0;
    fr_error err;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1 && !bad) {
        switch (c) {
        case 'h':
            usage();
            return FR_EXIT_OK;
        case O_ID:
            bad = set_text(ev.event_id, sizeof ev.event_id, optarg, "--event-id");
            break;
        case O_AT:
            if (fr_datetime_parse_cstr(optarg, &ev.at, &err) != FR_OK)
                bad = cli_usage_error("record", "--at: %s", cli_error_text(&err));
            else if (!ev.at.has_offset) /* a day alone, or no offset: when, where? */
                bad = cli_usage_error("record",
                                      "--at: '%s' needs a time and its UTC offset "
                                      "(2024-07-01T10:15-05:00)",
                                      optarg);
            break;
        case O_PORT:
            bad = set_text(ev.port, sizeof ev.port, optarg, "--port");
            break;
        case O_DOC:
            bad = parse_document(&ev, optarg);
            break;
        case O_TYPE:
            bad = set_text(ev.doc.type, sizeof ev.doc.type, optarg, "--document-type");
            break;
        case O_EXP:
            bad = set_date(&ev.doc.expiry, optarg, "--document-expiry");
            break;
        case O_SUR:
            bad = set_text(ev.doc.surname, sizeof ev.doc.surname, optarg, "--surname");
            break;
        case O_GIV:
            bad = set_text(ev.doc.given_names, sizeof ev.doc.given_names, optarg, "--given-names");
            break;
        case O_NAT:
            bad = set_text(ev.doc.nationality, sizeof ev.doc.nationality, optarg, "--nationality");
            break;
        case O_BIRTH:
            bad = set_date(&ev.doc.birth_date, optarg, "--birth-date");
            break;
        case O_SEX:
            if (strlen(optarg) != 1) bad = cli_usage_error("record", "--sex must be M, F or X");
            ev.doc.sex = optarg[0];
            break;
        case O_CLASS:
            bad = set_text(ev.admission_class, sizeof ev.admission_class, optarg, "--class");
            break;
        case O_UNTIL:
            bad = set_date(&ev.authorised_until, optarg, "--authorised-until");
            break;
        case O_OFFICER:
            bad = set_text(ev.officer, sizeof ev.officer, optarg, "--officer");
            break;
        case O_DECISION:
            bad = set_text(ev.decision, sizeof ev.decision, optarg, "--decision");
            break;
        case O_REASONS:
            ev.reasons_json = optarg;
            break;
        case O_JSON:
            json = 1;
            break;
        default:
            return cli_bad_option("record", argc, argv);
        }
    }
    if (bad) return FR_EXIT_USAGE;
    if (optind + 1 != argc)
        return cli_usage_error("record", "give exactly one KIND (entry, exit, ...)");
    ev.kind = fr_event_kind_parse(argv[optind], strlen(argv[optind]));
    if (ev.kind == FR_EVENT_NONE)
        return cli_usage_error("record", "'%s' is not entry, exit, refusal, encounter or extension",
                               argv[optind]);
    if (!ev.event_id[0] || ev.at.date == FR_DATE_NONE || !ev.port[0] || !ev.doc.number[0])
        return cli_usage_error("record", "--event-id, --at, --port and --document are required");
    if (fr_event_check_clock(&ev, (int64_t)time(NULL), &err) != FR_OK) {
        cli_print_error("record", NULL, &err);
        return FR_EXIT_USAGE;
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("record", db, &err);
        return FR_EXIT_FAILURE;
    }
    fr_record_result r;
    int rc = fr_store_record(s, &ev, &r, &err);
    fr_store_close(s);
    if (rc == FR_EINVAL) {
        cli_print_error("record", NULL, &err);
        return FR_EXIT_USAGE;
    }
    if (rc != FR_OK) {
        cli_print_error("record", NULL, &err);
        return rc == FR_ECONFLICT ? FR_EXIT_FINDING : FR_EXIT_FAILURE;
    }
    print_result(&ev, &r, json);
    return FR_EXIT_OK;
}
