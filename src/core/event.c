/* SPDX-License-Identifier: MIT */
/* ledger_event.c: event kinds, defaults and the one validation every path
 * into the ledger goes through (program options, CSV rows, the admission
 * decision). UN/LOCODE country parts are checked by mapping ISO alpha-2 to
 * alpha-3 (ledger_locode.inc, generated) and looking that up in the ICAO
 * table of country.h. Reasons must be well-formed JSON (jansson). */
#include "frontera/event.h"

#include <string.h>

#include "frontera/country.h"
#include "frontera/text.h"

static const char *const KIND_NAMES[] = {"", "entry", "exit", "refusal", "encounter", "extension"};

const char *fr_event_kind_name(fr_event_kind kind)
{
    if (kind < FR_EVENT_ENTRY || kind > FR_EVENT_EXTENSION) return "";
    return KIND_NAMES[kind];
}

fr_event_kind fr_event_kind_parse(const char *s, size_t len)
{
    for (int k = FR_EVENT_ENTRY; k <= FR_EVENT_EXTENSION; k++)
        if (strlen(KIND_NAMES[k]) == len && memcmp(KIND_NAMES[k], s, len) == 0)
            return (fr_event_kind)k;
    return FR_EVENT_NONE;
}

const char *fr_anomaly_name(unsigned flag)
{
    switch (flag) {
    case FR_ANOMALY_EXIT_WITHOUT_ENTRY:
        return "exit_without_entry";
    case FR_ANOMALY_ENTRY_WITHOUT_EXIT:
        return "entry_without_exit";
    case FR_ANOMALY_DOCUMENT_MISMATCH:
        return "document_mismatch";
    }
    return "";
}

void fr_event_init(fr_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->at.date = FR_DATE_NONE;
    ev->doc.expiry = FR_DATE_NONE;
    ev->doc.birth_date = FR_DATE_NONE;
    ev->authorised_until = FR_DATE_NONE;
}

typedef struct {
    const char *a2, *a3;
} locode_row;

static const locode_row LOCODE[] = {
#include "ledger_locode.inc"
};

int fr_locode_country_ok(const char *cc2)
{
    int lo = 0, hi = (int)(sizeof LOCODE / sizeof LOCODE[0]) - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strncmp(LOCODE[mid].a2, cc2, 2);
        if (c == 0) return fr_country_find_cstr(LOCODE[mid].a3) >= 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

static int is_upper_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int validate_doc(const fr_document *d, fr_error *err)
{
    if (!d->state[0] || fr_country_find_cstr(d->state) < 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document_state",
                            "issuing state '%s' is not an ICAO 9303 code", d->state);
    if (!d->number[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "document_number",
                            "the document number is empty");
    for (const char *p = d->number; *p; p++)
        if (!is_upper_alnum(*p) && *p != '<')
            return fr_error_set(err, FR_EINVAL, 0, 0, "document_number",
                                "document number '%s' may hold only A-Z, 0-9 and '<'", d->number);
    for (const char *p = d->type; *p; p++)
        if (!is_upper_alnum(*p) && *p != '<')
            return fr_error_set(err, FR_EINVAL, 0, 0, "document_type",
                                "document type '%s' may hold only A-Z, 0-9 and '<'", d->type);
    if (d->nationality[0] && fr_country_find_cstr(d->nationality) < 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "nationality",
                            "nationality '%s' is not an ICAO 9303 code", d->nationality);
    if (d->sex && d->sex != 'M' && d->sex != 'F' && d->sex != 'X')
        return fr_error_set(err, FR_EINVAL, 0, 0, "sex", "sex must be M, F or X");
    return FR_OK;
}

static int text_field(const char *s, const char *field, fr_error *err)
{
    size_t at;
    if (fr_text_ok(s, strlen(s), &at)) return FR_OK;
    return fr_error_set(err, FR_EINVAL, 0, (int)at + 1, field,
                        "%s is not well-formed UTF-8 text (byte %zu is a control byte or not "
                        "valid UTF-8)",
                        field, at + 1);
}

int fr_event_check_port(const char *port, fr_error *err)
{
    if (strlen(port) != 5 || !is_upper_alnum(port[2]) || !is_upper_alnum(port[3]) ||
        !is_upper_alnum(port[4]))
        return fr_error_set(err, FR_EINVAL, 0, 0, "port",
                            "port '%.40s' is not a UN/LOCODE (country and 3 letters: ECUIO)", port);
    if (!fr_locode_country_ok(port))
        return fr_error_set(err, FR_EINVAL, 0, 0, "port",
                            "port '%s' does not start with an ISO 3166 country code", port);
    return FR_OK;
}

int fr_event_validate(const fr_event *ev, fr_error *err)
{
    size_t idlen = strlen(ev->event_id);
    if (idlen == 0) return fr_error_set(err, FR_EINVAL, 0, 0, "event_id", "the event id is empty");
    for (size_t i = 0; i < idlen; i++)
        if ((unsigned char)ev->event_id[i] <= ' ' || (unsigned char)ev->event_id[i] >= 0x7f)
            return fr_error_set(err, FR_EINVAL, 0, 0, "event_id",
                                "the event id may hold only printable ASCII without spaces");
    if (!fr_event_kind_name(ev->kind)[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "kind",
                            "kind must be entry, exit, refusal, encounter or extension");
    if (ev->at.date == FR_DATE_NONE || !ev->at.has_offset)
        return fr_error_set(err, FR_EINVAL, 0, 0, "at",
                            "the time must be a local date-time with its UTC offset "
                            "(2024-07-01T10:15-05:00)");
    if (ev->at.date < FR_EVENT_DATE_MIN || ev->at.date > FR_EVENT_DATE_MAX) {
        char b[FR_DATE_BUFSZ];
        return fr_error_set(err, FR_EINVAL, 0, 0, "at",
                            "the event date %s is outside the plausible range 2000-01-01 to "
                            "2099-12-31",
                            fr_date_format(ev->at.date, b));
    }
    int rc = fr_event_check_port(ev->port, err);
    if (rc != FR_OK) return rc;
    rc = validate_doc(&ev->doc, err);
    if (rc != FR_OK) return rc;
    if ((rc = text_field(ev->doc.surname, "surname", err)) != FR_OK ||
        (rc = text_field(ev->doc.given_names, "given_names", err)) != FR_OK ||
        (rc = text_field(ev->officer, "officer", err)) != FR_OK ||
        (rc = text_field(ev->admission_class, "admission_class", err)) != FR_OK)
        return rc;
    if (ev->authorised_until != FR_DATE_NONE) {
        if (ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_EXTENSION)
            return fr_error_set(err, FR_EINVAL, 0, 0, "authorised_until",
                                "only an entry or an extension carries an authorised-until date");
        if (ev->authorised_until < ev->at.date)
            return fr_error_set(err, FR_EINVAL, 0, 0, "authorised_until",
                                "the authorised-until date is before the event date");
        if (ev->authorised_until - ev->at.date > FR_EVENT_STAY_MAX_DAYS)
            return fr_error_set(err, FR_EINVAL, 0, 0, "authorised_until",
                                "the authorised-until date is more than 50 years after the "
                                "event date");
    }
    if (ev->decision[0] && strcmp(ev->decision, "admit") != 0 &&
        strcmp(ev->decision, "refer") != 0 && strcmp(ev->decision, "refuse") != 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "decision",
                            "decision must be admit, refer or refuse");
    return FR_OK;
}

int fr_event_check_clock(const fr_event *ev, int64_t now_utc, fr_error *err)
{
    if (ev->at.date == FR_DATE_NONE) return FR_OK; /* fr_event_validate says why */
    int64_t ahead = fr_datetime_utc(&ev->at) - now_utc;
    if (ahead <= FR_EVENT_CLOCK_SLACK_S) return FR_OK;
    /* the reason, then how far ahead in the unit a person reads at a glance:
     * a wrong offset is hours, a mistyped year hundreds of days (not 96
     * million minutes) */
    fr_error_set(err, FR_EINVAL, 0, 0, "at",
                 "an event cannot be recorded before it happens (check the date, the time zone "
                 "offset and the clock)");
    if (ahead < 2 * 3600)
        fr_error_prefix(err, "the event time is %lld minutes after this post's clock: ",
                        (long long)(ahead / 60));
    else if (ahead < 2 * 86400)
        fr_error_prefix(err, "the event time is %lld hours after this post's clock: ",
                        (long long)(ahead / 3600));
    else
        fr_error_prefix(err, "the event time is %lld days after this post's clock: ",
                        (long long)(ahead / 86400));
    return FR_EINVAL;
}
