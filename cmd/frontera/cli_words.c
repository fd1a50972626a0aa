/* SPDX-License-Identifier: MIT */
/* cli_words.c: the library's words in the user's language.
 *
 * The library has no locale: its errors (fr_error.message) and the reasons
 * of an admission (fr_admit_reason.message) are English sentences, and it
 * must stay free of gettext. What an officer meets most at the booth is
 * said again here, in the user's language, from what the library also
 * returns as data: the status code and the field of an error (a date, a
 * local time, a port, a missing database), the stable code of a reason together with the
 * decision it belongs to (the document as read, the rule in force, the stay
 * evaluated). The library's sentence is never parsed. Whatever has no
 * entry here keeps the library's English words; under LANG=C every
 * function returns the library's own text, so English output is unchanged. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "frontera/date.h"
#include "i18n.h"

/* 1 when the messages are in English: the library's sentence is then the
 * best one (it holds every detail), and nothing is rebuilt. */
static int english(void)
{
    /* the catalogue translates this message in every language but English */
    static const char *const probe = N_("standard input");
    return strcmp(_(probe), probe) == 0;
}

const char *cli_strerror(int code)
{
    switch (code) {
    case FR_OK:
        return _("success");
    case FR_EINVAL:
        return _("invalid argument");
    case FR_ENOMEM:
        return _("out of memory");
    case FR_EPARSE:
        return _("malformed input");
    case FR_ENOTFOUND:
        return _("not found");
    case FR_EIO:
        return _("input/output error");
    case FR_ERANGE:
        return _("value out of range");
    case FR_ECONFLICT:
        return _("conflicting data");
    case FR_ELIMIT:
        return _("size limit exceeded");
    case FR_ESTORE:
        return _("storage error");
    case FR_EVERSION:
        return _("unsupported version");
    case FR_EEXIST:
        return _("already exists");
    case FR_EPERM:
        return _("permission denied");
    case FR_EAUTH:
        return _("authentication required");
    case FR_EBUSY:
        return _("resource busy");
    }
    return fr_strerror(code);
}

const char *cli_error_text(const fr_error *err)
{
    if (!err->message[0]) return cli_strerror(err->code);
    if (english()) return err->message;
    /* fr_date_parse and fr_datetime_parse (date.h), fr_event_check_port */
    if (strcmp(err->field, "date") == 0) {
        if (err->code == FR_EPARSE) return _("not a date: write it as YYYY-MM-DD");
        if (err->code == FR_ERANGE) return _("that day does not exist in the calendar");
    } else if (strcmp(err->field, "at") == 0) {
        if (err->code == FR_EPARSE)
            return _("not a local date and time: write it as YYYY-MM-DDTHH:MM with the UTC "
                     "offset, such as 2024-07-01T10:15-05:00");
        if (err->code == FR_ERANGE) return _("that time of day does not exist");
    } else if (strcmp(err->field, "db") == 0 && err->code == FR_ENOTFOUND) {
        /* the store's open: the path is printed before the message */
        return _("there is no database here (frontera init creates one)");
    } else if (strcmp(err->field, "port") == 0 && err->code == FR_EINVAL) {
        return _("not a UN/LOCODE: the country's two letters and the place's three, such as "
                 "ECUIO");
    }
    return err->message;
}

/* The MRZ finding a reason "mrz.CODE" was made from. */
static const fr_mrz_finding *finding_of(const fr_mrz *m, const char *reason_code)
{
    if (strncmp(reason_code, "mrz.", 4) != 0) return NULL;
    for (int i = 0; i < m->nfindings; i++)
        if (strcmp(fr_mrz_code_name(m->findings[i].code), reason_code + 4) == 0)
            return &m->findings[i];
    return NULL;
}

static const char *check_digit_field(fr_mrz_code c)
{
    switch (c) {
    case FR_MRZ_F_CD_DOCUMENT_NUMBER:
        return _("the check digit of the document number");
    case FR_MRZ_F_CD_BIRTH_DATE:
        return _("the check digit of the date of birth");
    case FR_MRZ_F_CD_EXPIRY_DATE:
        return _("the check digit of the date of expiry");
    case FR_MRZ_F_CD_OPTIONAL_DATA:
        return _("the check digit of the personal number");
    case FR_MRZ_F_CD_COMPOSITE:
        return _("the composite check digit of the whole zone");
    default:
        return NULL;
    }
}

static const char *what_visa(fr_regime regime)
{
    return regime == FR_REGIME_ETA     ? _("a travel authorisation (ETA)")
           : regime == FR_REGIME_EVISA ? _("a visa or e-visa")
                                       : _("a visa");
}

const char *cli_reason_text(const fr_admit_decision *d, const fr_admit_reason *r, char *buf,
                            size_t cap)
{
    if (english()) return r->message;
    const fr_mrz *m = &d->mrz;
    const fr_policy_rule *rule = d->rule;
    const fr_stay_result *e = &d->stay.eval;
    char a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ], rb[FR_STAY_RULE_BUFSZ];
    const fr_mrz_finding *f = finding_of(m, r->code);
    const char *what = f ? check_digit_field(f->code) : NULL;
    if (what && f->level == FR_MRZ_ERROR) {
        snprintf(buf, cap,
                 _("Line %d, column %d: %s does not match: the document "
                   "may be misread or altered; read it again or check it by hand."),
                 f->line, f->column, what);
    } else if (strcmp(r->code, "document.expiry_unknown") == 0) {
        snprintf(buf, cap, "%s",
                 _("The document's expiry date could not be read: check it by hand."));
    } else if (strcmp(r->code, "document.expired") == 0 &&
               m->expiry_date.kind == FR_MRZ_DATE_FULL) {
        snprintf(buf, cap, _("The document expired on %s; a valid travel document is required."),
                 fr_date_format(m->expiry_date.date, a));
    } else if (strcmp(r->code, "document.lost_stolen") == 0) {
        snprintf(buf, cap,
                 _("Document %s %s is listed as lost or stolen: retain it and follow the "
                   "procedure."),
                 m->issuing_state, m->document_number);
    } else if (strcmp(r->code, "nationality.unknown") == 0) {
        snprintf(buf, cap, "%s",
                 _("The nationality could not be read from the document: the policy cannot be "
                   "applied."));
    } else if (strcmp(r->code, "screening.not_configured") == 0) {
        snprintf(buf, cap, "%s",
                 _("No watchlist is loaded on this post: the traveller was not screened."));
    } else if (rule && strcmp(r->code, "visa.required") == 0) {
        snprintf(buf, cap,
                 _("Nationals of %s need %s to enter as %s since %s (%s); none was presented."),
                 m->nationality, what_visa(rule->regime), fr_admission_class_name(rule->cls),
                 fr_date_format(rule->from, a), rule->ref);
    } else if (rule && strcmp(r->code, "regime.visa_free") == 0) {
        snprintf(buf, cap,
                 _("Nationals of %s may enter as %s without a visa (%s, in force since %s)."),
                 m->nationality, fr_admission_class_name(rule->cls), rule->ref,
                 fr_date_format(rule->from, a));
    } else if (rule && strcmp(r->code, "visa.on_arrival") == 0) {
        snprintf(buf, cap, _("Nationals of %s receive a visa on arrival (%s)."), m->nationality,
                 rule->ref);
    } else if (rule && strcmp(r->code, "regime.free_movement") == 0) {
        snprintf(buf, cap, _("Nationals of %s enjoy free movement (%s)."), m->nationality,
                 rule->ref);
    } else if (rule && d->have_stay && strcmp(r->code, "stay.exhausted") == 0) {
        fr_stay_rule_format(&rule->stay, rb);
        snprintf(buf, cap,
                 _("The traveller has already stayed %d of the %d days allowed (%s, %s) in the "
                   "period from %s."),
                 (int)e->days_used, (int)e->max_days, rb, rule->ref,
                 fr_date_format(e->window_start, a));
    } else if (rule && d->have_stay && strcmp(r->code, "stay.authorised") == 0) {
        fr_stay_rule_format(&rule->stay, rb);
        snprintf(buf, cap,
                 ngettext("%d days used of %d in the period from %s (%s); authorised until %s "
                          "(%d day).",
                          "%d days used of %d in the period from %s (%s); authorised until %s "
                          "(%d days).",
                          (unsigned long)d->stay.authorised_days),
                 (int)e->days_used, (int)e->max_days, fr_date_format(e->window_start, a), rb,
                 fr_date_format(d->stay.authorised_until, b), (int)d->stay.authorised_days);
    } else if (d->have_stay && strcmp(r->code, "stay.document_expiry") == 0) {
        snprintf(buf, cap, _("The stay ends on %s, when the document expires."),
                 fr_date_format(d->stay.authorised_until, a));
    } else if (strcmp(r->code, "stay.unlimited") == 0) {
        snprintf(buf, cap, "%s", _("The policy sets no limit on the stay for this nationality."));
    } else {
        return r->message;
    }
    return buf;
}
