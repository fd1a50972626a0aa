/* SPDX-License-Identifier: MIT */
/* cmd_mrz.c: `frontera mrz`: read ICAO 9303 machine readable zones into
 * JSON Lines, or (--make) write the MRZ lines for JSON fields.
 *
 * Reading: the input holds documents separated by blank lines; each is
 * handed to fr_mrz_parse and printed as one JSON object with the keys of
 * docs/mrz.md in a fixed order. Exit 0 when every document is valid, 1 when
 * any is not. Making: the input holds JSON objects with the same keys (the
 * reader's output is accepted as is); each becomes its MRZ lines, documents
 * separated by a blank line, so `frontera mrz F | frontera mrz --make` gives
 * back the zones. The program reads the clock only for the default --today. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "frontera/mrz.h"
#include "i18n.h"

#define MRZ_INPUT_MAX (64u << 20)

static void usage(void)
{
    printf(_("Usage: frontera mrz [--today YYYY-MM-DD] [--repair] [--specimen] [FILE]\n"
             "       frontera mrz --make [--today YYYY-MM-DD] [--specimen] [FILE]\n"
             "Read ICAO 9303 machine readable zones (TD1, TD2, TD3, MRV-A, MRV-B) from FILE\n"
             "(default: standard input), one document per block of lines separated by a blank\n"
             "line, and print one JSON object per document (JSON Lines) with the keys format,\n"
             "document_code, issuing_state, surname, given_names, document_number,\n"
             "nationality, birth_date, sex, expiry_date, optional_data, optional_data_2,\n"
             "valid and findings. Finding lines and columns count within the MRZ.\n\n"
             "  --today DATE  reference date for two-digit years (default: today)\n"
             "  --repair      correct O/0 I/1 B/8 S/5 Z/2 G/6 misreads where the format\n"
             "                requires digits or letters and the check digits then hold\n"
             "  --specimen    accept UTO, the fictitious state of the ICAO specimens\n"
             "  --make        read JSON objects with the keys above and print their MRZ\n"
             "                lines, with every check digit computed\n"
             "  --help        show this help and exit\n\n"
             "Exit status: 0 every document valid (or made), 1 a document has findings (or\n"
             "a field could not be written, or the input holds no MRZ), 2 usage error,\n"
             "3 failure. See docs/mrz.md.\n"));
}

static json_t *str_or_null(int present, const char *s)
{
    return present ? json_string(s) : json_null();
}

static json_t *date_json(int present, const fr_mrz_date *d)
{
    char buf[FR_MRZ_DATE_BUFSZ];
    if (!present || (d->kind != FR_MRZ_DATE_FULL && d->kind != FR_MRZ_DATE_PARTIAL))
        return json_null();
    return json_string(fr_mrz_date_format(d, buf));
}

static json_t *to_json(const fr_mrz *m)
{
    int p = m->format != FR_MRZ_NONE;
    char sex[2] = {m->sex, '\0'};
    json_t *o = json_object();
    json_object_set_new(o, "format", str_or_null(p, fr_mrz_format_name(m->format)));
    json_object_set_new(o, "document_code", str_or_null(p, m->document_code));
    json_object_set_new(o, "issuing_state", str_or_null(p, m->issuing_state));
    json_object_set_new(o, "surname", str_or_null(p, m->surname));
    json_object_set_new(o, "given_names", str_or_null(p, m->given_names));
    json_object_set_new(o, "document_number", str_or_null(p, m->document_number));
    json_object_set_new(o, "nationality", str_or_null(p, m->nationality));
    json_object_set_new(o, "birth_date", date_json(p, &m->birth_date));
    json_object_set_new(o, "sex", str_or_null(p && m->sex, sex));
    json_object_set_new(o, "expiry_date", date_json(p, &m->expiry_date));
    json_object_set_new(o, "optional_data", str_or_null(p, m->optional_data));
    json_object_set_new(o, "optional_data_2",
                        str_or_null(m->format == FR_MRZ_TD1, m->optional_data_2));
    json_object_set_new(o, "valid", json_boolean(m->valid));
    json_t *fs = json_array();
    for (int i = 0; i < m->nfindings; i++) {
        const fr_mrz_finding *f = &m->findings[i];
        json_t *jf = json_object();
        json_object_set_new(jf, "code", json_string(fr_mrz_code_name(f->code)));
        json_object_set_new(jf, "line", json_integer(f->line));
        json_object_set_new(jf, "column", json_integer(f->column));
        json_object_set_new(jf, "message", json_string(f->message));
        json_array_append_new(fs, jf);
    }
    if (m->findings_overflow) {
        json_t *jf = json_object();
        json_object_set_new(jf, "code", json_string("findings.overflow"));
        /* about the whole zone: at line 1, column 1 as the reader's own (mrz.h) */
        json_object_set_new(jf, "line", json_integer(1));
        json_object_set_new(jf, "column", json_integer(1));
        json_object_set_new(jf, "message",
                            json_string("More findings were found than are listed; fix these "
                                        "and read the document again."));
        json_array_append_new(fs, jf);
    }
    json_object_set_new(o, "findings", fs);
    return o;
}

static int print_doc(const char *text, size_t len, const fr_mrz_options *opt, int *all_valid)
{
    fr_mrz m;
    if (fr_mrz_parse(text, len, opt, &m) == FR_EINVAL) return -1;
    json_t *o = to_json(&m);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!s) {
        fprintf(stderr, _("frontera mrz: out of memory writing JSON\n"));
        return -1;
    }
    puts(s);
    free(s);
    if (!m.valid) *all_valid = 0;
    return 0;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

static int read_mode(const char *buf, size_t len, const fr_mrz_options *opt)
{
    int all_valid = 1, docs = 0;
    size_t i = 0, start = 0;
    int in_block = 0;
    while (i <= len) {
        size_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        int blank = is_blank(buf + i, e - i);
        if (blank && in_block) {
            if (print_doc(buf + start, i - start, opt, &all_valid)) return FR_EXIT_FAILURE;
            in_block = 0;
        } else if (!blank && !in_block) {
            start = i;
            in_block = 1;
            docs++;
        }
        i = e + 1;
    }
    if (in_block && print_doc(buf + start, len - start, opt, &all_valid)) return FR_EXIT_FAILURE;
    if (fflush(stdout) != 0) return FR_EXIT_FAILURE;
    if (docs == 0) { /* nothing read is not "every document valid" */
        fprintf(stderr, _("frontera mrz: the input holds no MRZ (it is empty or blank)\n"));
        return FR_EXIT_FINDING;
    }
    return all_valid ? FR_EXIT_OK : FR_EXIT_FINDING;
}

/* Copy a JSON string (or null: "") into a field; 0 on success. */
static int get_str(json_t *v, char *dst, size_t cap, const char *key, fr_error *err)
{
    if (!v || json_is_null(v)) {
        dst[0] = '\0';
        return 0;
    }
    if (!json_is_string(v))
        return fr_error_set(err, FR_EINVAL, 0, 0, key, _("must be a string or null"));
    if (json_string_length(v) >= cap)
        return fr_error_set(err, FR_EINVAL, 0, 0, key,
                            _("'%s' is too long (at most %zu characters)"), json_string_value(v),
                            cap - 1);
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

static int get_date(json_t *v, fr_mrz_date *d, const char *key, fr_error *err)
{
    if (!v || json_is_null(v)) {
        *d = (fr_mrz_date){FR_MRZ_DATE_UNKNOWN, 0, 0, 0, FR_DATE_NONE};
        return 0;
    }
    if (!json_is_string(v) ||
        fr_mrz_date_parse(json_string_value(v), json_string_length(v), d) != FR_OK)
        return fr_error_set(err, FR_EINVAL, 0, 0, key,
                            _("must be a date YYYY-MM-DD (or YYYY-MM, YYYY when partly unknown)"));
    return 0;
}

static const char *const KEYS[] = {
    "format",          "document_code",   "issuing_state", "surname", "given_names",
    "document_number", "nationality",     "birth_date",    "sex",     "expiry_date",
    "optional_data",   "optional_data_2", "valid",         "findings"};

static int fields_from_json(json_t *o, fr_mrz *m, fr_error *err)
{
    memset(m, 0, sizeof *m);
    if (!json_is_object(o))
        return fr_error_set(err, FR_EINVAL, 0, 0, "", _("expected a JSON object"));
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        size_t k = 0;
        while (k < sizeof KEYS / sizeof KEYS[0] && strcmp(KEYS[k], key) != 0)
            k++;
        if (k == sizeof KEYS / sizeof KEYS[0])
            return fr_error_set(err, FR_EINVAL, 0, 0, key, _("is not an MRZ field"));
    }
    json_t *f = json_object_get(o, "format");
    m->format = json_is_string(f) ? fr_mrz_format_from_name(json_string_value(f)) : FR_MRZ_NONE;
    if (m->format == FR_MRZ_NONE)
        return fr_error_set(err, FR_EINVAL, 0, 0, "format",
                            _("must be TD1, TD2, TD3, MRVA or MRVB"));
    char sex[4];
    if (get_str(json_object_get(o, "document_code"), m->document_code, sizeof m->document_code,
                "document_code", err) ||
        get_str(json_object_get(o, "issuing_state"), m->issuing_state, sizeof m->issuing_state,
                "issuing_state", err) ||
        get_str(json_object_get(o, "surname"), m->surname, sizeof m->surname, "surname", err) ||
        get_str(json_object_get(o, "given_names"), m->given_names, sizeof m->given_names,
                "given_names", err) ||
        get_str(json_object_get(o, "document_number"), m->document_number,
                sizeof m->document_number, "document_number", err) ||
        get_str(json_object_get(o, "nationality"), m->nationality, sizeof m->nationality,
                "nationality", err) ||
        get_date(json_object_get(o, "birth_date"), &m->birth_date, "birth_date", err) ||
        get_str(json_object_get(o, "sex"), sex, 2, "sex", err) ||
        get_date(json_object_get(o, "expiry_date"), &m->expiry_date, "expiry_date", err) ||
        get_str(json_object_get(o, "optional_data"), m->optional_data, sizeof m->optional_data,
                "optional_data", err) ||
        get_str(json_object_get(o, "optional_data_2"), m->optional_data_2,
                sizeof m->optional_data_2, "optional_data_2", err))
        return FR_EINVAL;
    m->sex = sex[0];
    return 0;
}

static int line_of(const char *buf, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos; i++)
        if (buf[i] == '\n') line++;
    return line;
}

static int make_mode(const char *buf, size_t len, const char *name, const fr_mrz_options *opt)
{
    int rc = FR_EXIT_OK, docs = 0;
    size_t pos = 0;
    for (;;) {
        while (pos < len && strchr(" \t\r\n", buf[pos]))
            pos++;
        if (pos >= len) break;
        json_error_t jerr;
        json_t *o = json_loadb(buf + pos, len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
        fr_error err;
        fr_error_clear(&err);
        if (!o) {
            fr_error_set(&err, FR_EPARSE, line_of(buf, pos) + jerr.line - 1, 0, "", "%s",
                         jerr.text);
            cli_print_error("mrz", name, &err);
            return FR_EXIT_FINDING;
        }
        int at_line = line_of(buf, pos);
        pos += jerr.position;
        fr_mrz m;
        char out[FR_MRZ_TEXT_MAX];
        if (fields_from_json(o, &m, &err) == 0 && fr_mrz_make(&m, opt, out, &err) == FR_OK) {
            printf("%s%s", docs++ ? "\n" : "", out);
        } else {
            err.line = at_line;
            cli_print_error("mrz", name, &err);
            rc = FR_EXIT_FINDING;
        }
        json_decref(o);
    }
    if (fflush(stdout) != 0) return FR_EXIT_FAILURE;
    return rc;
}

static fr_date local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    fr_date d = FR_DATE_NONE;
    if (localtime_r(&now, &tm) &&
        fr_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d) != FR_OK)
        d = FR_DATE_NONE;
    return d;
}

int cmd_mrz(int argc, char **argv)
{
    static const struct option opts[] = {
        {"today", required_argument, NULL, 't'}, {"repair", no_argument, NULL, 'r'},
        {"specimen", no_argument, NULL, 's'},    {"make", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},        {0, 0, 0, 0}};
    fr_mrz_options opt = fr_mrz_options_default(FR_DATE_NONE);
    int make = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't': {
            fr_error err;
            if (fr_date_parse_cstr(optarg, &opt.today, &err) != FR_OK)
                return cli_usage_error("mrz", "--today '%s': %s", optarg, cli_error_text(&err));
            break;
        }
        case 'r':
            opt.repair = 1;
            break;
        case 's':
            opt.specimen = 1;
            break;
        case 'm':
            make = 1;
            break;
        case 'h':
            usage();
            return FR_EXIT_OK;
        default:
            return cli_bad_option("mrz", argc, argv);
        }
    }
    if (argc - optind > 1) return cli_usage_error("mrz", "at most one FILE");
    if (make && opt.repair)
        return cli_usage_error("mrz", "--repair applies to reading, not --make");
    if (opt.today == FR_DATE_NONE && (opt.today = local_today()) == FR_DATE_NONE) {
        fprintf(stderr, _("frontera mrz: cannot read today's date; give --today\n"));
        return FR_EXIT_FAILURE;
    }
    static fr_mrz_codes codes; /* program storage: the fast state-code table */
    fr_mrz_codes_init(&codes);
    opt.codes = &codes;
    const char *path = optind < argc ? argv[optind] : NULL;
    size_t len;
    char *buf = cli_read_all(path, MRZ_INPUT_MAX, &len);
    if (!buf) return FR_EXIT_FAILURE;
    const char *name = path && strcmp(path, "-") != 0 ? path : "stdin";
    int rc = make ? make_mode(buf, len, name, &opt) : read_mode(buf, len, &opt);
    free(buf);
    return rc;
}
