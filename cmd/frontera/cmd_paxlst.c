/* SPDX-License-Identifier: MIT */
/* cmd_paxlst.c: `frontera paxlst`: read UN/EDIFACT PAXLST manifests and
 * print one JSON object per message (JSON Lines) with the keys of
 * docs/paxlst.md, in a fixed order. Exit 0 when every message of every file
 * is valid, 1 when one has an error finding, 2 usage, 3 failure (a file that
 * cannot be read, out of memory). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/paxlst.h"
#include "i18n.h"

#define PAXLST_INPUT_MAX (64u << 20)

static void usage(void)
{
    printf(_("Usage: frontera paxlst [--lenient] FILE...\n"
             "Read UN/EDIFACT PAXLST passenger and crew manifests (D02B, D05B, D12B and the\n"
             "legacy US form; any separators given by UNA; CR, LF, CRLF or no line ends; a\n"
             "Type-B envelope before UNA/UNB is skipped) and print one JSON object per\n"
             "message (JSON Lines) with the keys file, valid, findings (code, severity,\n"
             "segment, line, column, message), message (ref, type, version, agency),\n"
             "interchange (sender, recipient, prepared, control_ref), legs (flight,\n"
             "carrier, from, to, departure, arrival) and persons (role, surname,\n"
             "given_names, sex, birth_date, nationality, residence_country,\n"
             "embarkation_port, debarkation_port, documents: type, number, expiry,\n"
             "issuing_country). FILE - reads standard input.\n\n"
             "  --lenient  also list the persons and legs of messages with errors (a\n"
             "             lenient.extracted warning says so); by default they are withheld\n"
             "  --help     show this help and exit\n\n"
             "Exit status: 0 every message valid (warnings allowed), 1 a message has an\n"
             "error finding, 2 usage error, 3 failure. See docs/paxlst.md.\n"));
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *date_json(fr_date d)
{
    char buf[FR_DATE_BUFSZ];
    return d == FR_DATE_NONE ? json_null() : json_string(fr_date_format(d, buf));
}

static json_t *time_json(const fr_paxlst_time *t)
{
    char buf[FR_PAXLST_TIME_BUFSZ];
    return t->date == FR_DATE_NONE ? json_null() : json_string(fr_paxlst_time_format(t, buf));
}

static json_t *person_json(const fr_paxlst_person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "role", json_string(fr_paxlst_role_name(p->role)));
    json_object_set_new(o, "surname", str_or_null(p->surname));
    json_object_set_new(o, "given_names", str_or_null(p->given_names));
    json_object_set_new(o, "sex", str_or_null(p->sex));
    json_object_set_new(o, "birth_date", date_json(p->birth_date));
    json_object_set_new(o, "nationality", str_or_null(p->nationality));
    json_object_set_new(o, "residence_country", str_or_null(p->residence_country));
    json_object_set_new(o, "embarkation_port", str_or_null(p->embarkation_port));
    json_object_set_new(o, "debarkation_port", str_or_null(p->debarkation_port));
    json_t *docs = json_array();
    for (int i = 0; i < p->ndocs; i++) {
        const fr_paxlst_document *d = &p->docs[i];
        json_t *jd = json_object();
        json_object_set_new(jd, "type", str_or_null(d->type));
        json_object_set_new(jd, "number", str_or_null(d->number));
        json_object_set_new(jd, "expiry", date_json(d->expiry));
        json_object_set_new(jd, "issuing_country", str_or_null(d->issuing_country));
        json_array_append_new(docs, jd);
    }
    json_object_set_new(o, "documents", docs);
    json_object_set_new(o, "segment", json_integer(p->segment));
    return o;
}

static json_t *message_json(const char *file, const fr_paxlst_message *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "valid", json_boolean(m->valid));
    json_t *fs = json_array();
    for (size_t i = 0; i < m->nfindings; i++) {
        const fr_paxlst_finding *f = &m->findings[i];
        json_t *jf = json_object();
        json_object_set_new(jf, "code", json_string(f->code));
        json_object_set_new(jf, "severity", json_string(fr_paxlst_severity_name(f->severity)));
        json_object_set_new(jf, "segment", json_integer(f->segment));
        json_object_set_new(jf, "line", json_integer(f->line));
        json_object_set_new(jf, "column", json_integer(f->column));
        json_object_set_new(jf, "message", json_string(f->message));
        json_array_append_new(fs, jf);
    }
    if (m->findings_overflow) {
        json_t *jf = json_object();
        json_object_set_new(jf, "code", json_string("findings.overflow"));
        json_object_set_new(jf, "severity", json_string("warning"));
        json_object_set_new(jf, "segment", json_integer(0));
        json_object_set_new(jf, "line", json_integer(0));
        json_object_set_new(jf, "column", json_integer(0));
        json_object_set_new(jf, "message",
                            json_string("More findings were found than are listed; fix these "
                                        "and read the message again."));
        json_array_append_new(fs, jf);
    }
    json_object_set_new(o, "findings", fs);
    if (m->has_header) {
        json_t *h = json_object();
        json_object_set_new(h, "ref", str_or_null(m->ref));
        json_object_set_new(h, "type", str_or_null(m->type));
        json_object_set_new(h, "version", str_or_null(m->version));
        json_object_set_new(h, "agency", str_or_null(m->agency));
        json_object_set_new(h, "document", str_or_null(m->document));
        json_object_set_new(o, "message", h);
    } else {
        json_object_set_new(o, "message", json_null());
    }
    json_t *ic = json_object();
    json_object_set_new(ic, "syntax", str_or_null(m->syntax));
    json_object_set_new(ic, "sender", str_or_null(m->sender));
    json_object_set_new(ic, "recipient", str_or_null(m->recipient));
    json_object_set_new(ic, "prepared", time_json(&m->prepared));
    json_object_set_new(ic, "control_ref", str_or_null(m->control_ref));
    json_object_set_new(o, "interchange", ic);
    json_t *legs = json_array();
    for (size_t i = 0; i < m->nlegs; i++) {
        const fr_paxlst_leg *l = &m->legs[i];
        json_t *jl = json_object();
        json_object_set_new(jl, "flight", str_or_null(l->flight));
        json_object_set_new(jl, "carrier", str_or_null(l->carrier));
        json_object_set_new(jl, "from", str_or_null(l->from));
        json_object_set_new(jl, "to", str_or_null(l->to));
        json_object_set_new(jl, "departure", time_json(&l->departure));
        json_object_set_new(jl, "arrival", time_json(&l->arrival));
        json_array_append_new(legs, jl);
    }
    json_object_set_new(o, "legs", legs);
    json_t *ps = json_array();
    for (size_t i = 0; i < m->npersons; i++)
        json_array_append_new(ps, person_json(&m->persons[i]));
    json_object_set_new(o, "persons", ps);
    return o;
}

/* Print every message of one file; -1 on failure, else 1 if any is invalid. */
static int one_file(const char *path, const fr_paxlst_options *opt)
{
    size_t len;
    char *buf = cli_read_all(path, PAXLST_INPUT_MAX, &len);
    if (!buf) return -1;
    fr_paxlst *p = NULL;
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_paxlst_read(buf, len, opt, &p, &err);
    free(buf);
    if (rc != FR_OK) {
        cli_print_error("paxlst", path, &err);
        return -1;
    }
    int invalid = 0;
    for (size_t i = 0; i < p->nmessages; i++) {
        json_t *o = message_json(path, &p->messages[i]);
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (!s) {
            fprintf(stderr, _("frontera paxlst: %s: out of memory writing JSON\n"), path);
            fr_paxlst_free(p);
            return -1;
        }
        puts(s);
        free(s);
        if (!p->messages[i].valid) invalid = 1;
    }
    fr_paxlst_free(p);
    return invalid;
}

int cmd_paxlst(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lenient", no_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    fr_paxlst_options opt;
    memset(&opt, 0, sizeof opt);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            opt.lenient = 1;
            break;
        case 'h':
            usage();
            return FR_EXIT_OK;
        default:
            return cli_bad_option("paxlst", argc, argv);
        }
    }
    if (optind >= argc) return cli_usage_error("paxlst", "name at least one FILE (- for stdin)");
    int any_invalid = 0, failed = 0;
    for (int i = optind; i < argc; i++) {
        int rc = one_file(argv[i], &opt);
        if (rc < 0) failed = 1;
        if (rc > 0) any_invalid = 1;
    }
    if (fflush(stdout) != 0) failed = 1;
    if (failed) return FR_EXIT_FAILURE;
    return any_invalid ? FR_EXIT_FINDING : FR_EXIT_OK;
}
