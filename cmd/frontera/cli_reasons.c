/* SPDX-License-Identifier: MIT */
/* cli_reasons.c: the admission reasons of `frontera admit` in the user's
 * language. The library writes each reason's sentence in English and gives
 * its parameters (admit.h); here each reason code has an English template,
 * marked for translation, and the Spanish one is its msgstr in po/es.po.
 * A reason is written from the translated template and its parameters
 * (fr_admit_reason_format, the rule the library writes English with); when
 * the language is English, or the code or its translation is unknown, the
 * library's own sentence is printed as it is. The same templates for the
 * pages are in web/assets/messages.js (reason.<code>). */
#include "cli_reasons.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "frontera/stay.h"
#include "i18n.h"

static const struct {
    const char *code;
    const char *tmpl;
} REASONS[] = {
    {"mrz.format", N_("Line {line}, column {column}: the text is not a machine readable zone of a "
                      "known format; rescan the whole zone.")},
    {"mrz.length",
     N_("Line {line}, column {column}: {value|=a line has the wrong length|the line has {value} "
        "characters where its format has {expected}}: characters were dropped or added, so the "
        "fields after them may be shifted; rescan the document.")},
    {"mrz.charset",
     N_("Line {line}, column {column}: a character is not allowed in a machine readable zone.")},
    {"mrz.document_code", N_("Line {line}, column {column}: the document code is not valid.")},
    {"mrz.country.issuing_state",
     N_("Line {line}, column {column}: the issuing state {value|=is missing|{value} is not a known "
        "code}.")},
    {"mrz.country.nationality",
     N_("Line {line}, column {column}: the nationality {value|=is missing|{value} is not a known "
        "code}.")},
    {"mrz.name", N_("Line {line}, column {column}: the name field cannot be read.")},
    {"mrz.document_number",
     N_("Line {line}, column {column}: the document number cannot be read.")},
    {"mrz.check_digit.document_number",
     N_("Line {line}, column {column}: the check digit of the document number {expected|=does not "
        "match|is {found}, but {value} gives {expected}: the field or its check digit was misread "
        "or altered}.")},
    {"mrz.check_digit.birth_date",
     N_("Line {line}, column {column}: the check digit of the date of birth {expected|=does not "
        "match|is {found}, but {value} gives {expected}: the field or its check digit was misread "
        "or altered}.")},
    {"mrz.check_digit.expiry_date",
     N_("Line {line}, column {column}: the check digit of the expiry date {expected|=does not "
        "match|is {found}, but {value} gives {expected}: the field or its check digit was misread "
        "or altered}.")},
    {"mrz.check_digit.optional_data",
     N_("Line {line}, column {column}: the check digit of the optional data {expected|=does not "
        "match|is {found}, but {value} gives {expected}: the field or its check digit was misread "
        "or altered}.")},
    {"mrz.check_digit.composite",
     N_("Line {line}, column {column}: the composite check digit {expected|=does not match|is "
        "{found}, but the fields it covers give {expected}: a character of the document number, "
        "dates or optional data was misread or altered}.")},
    {"mrz.date.birth", N_("Line {line}, column {column}: the date of birth is not a valid date.")},
    {"mrz.date.expiry", N_("Line {line}, column {column}: the expiry date is not a valid date.")},
    {"mrz.sex", N_("Line {line}, column {column}: the sex field is not M, F or <.")},
    {"mrz.optional_data", N_("Line {line}, column {column}: the optional data cannot be read.")},
    {"mrz.name.truncated", N_("Line {line}, column {column}: the name fills its field and may be "
                              "truncated; compare it with the visual zone.")},
    {"mrz.repair.applied", N_("Line {line}, column {column}: a common OCR misread was repaired; "
                              "compare the document with what was read.")},
    {"mrz.more_findings",
     N_("The machine readable zone has {count} problems in all; examine the document by hand.")},
    {"document.is_visa",
     N_("This is the machine readable zone of a visa, not of a travel document: scan the passport, "
        "and enter the visa number as the visa reference.")},
    {"nationality.unknown",
     N_("The nationality could not be read from the document: the policy cannot be applied.")},
    {"policy.no_rule", N_("The policy has no rule for nationals of {nationality} entering as "
                          "{class} on this day: a supervisor decides.")},
    {"document.expiry_unknown",
     N_("The document's expiry date could not be read: check it by hand.")},
    {"document.expired",
     N_("The document expired on {expiry}; a valid travel document is required.")},
    {"document.validity", N_("The document expires on {expiry}; this nationality needs one valid "
                             "until at least {valid_until} ({ref}).")},
    {"document.not_accepted",
     N_("A document of type '{type}' is not accepted for this nationality: {accepted|passport=a "
        "passport is|a passport or ID card is} required ({ref}).")},
    {"visa.required",
     N_("Nationals of {nationality} need {regime|eta=a travel authorisation (ETA)|evisa=a visa or "
        "e-visa|a visa} to enter as {class} since {since} ({ref}); none was presented.")},
    {"visa.presented", N_("Visa reference {visa} presented: check it against the visa record.")},
    {"visa.stay_by_visa", N_("The stay is set by the visa, which frontera cannot read: a "
                             "supervisor enters the authorised stay.")},
    {"visa.on_arrival", N_("Nationals of {nationality} receive a visa on arrival ({ref}).")},
    {"regime.visa_free", N_("Nationals of {nationality} may enter as {class} without a visa "
                            "({ref}, in force since {since}).")},
    {"regime.free_movement", N_("Nationals of {nationality} enjoy free movement ({ref}).")},
    {"screening.not_configured",
     N_("No watchlist is loaded on this post: the traveller was not screened.")},
    {"screening.failed",
     N_("Screening could not be done ({failure|=unknown error}): a supervisor decides.")},
    {"document.lost_stolen", N_("Document {state} {number} is listed as lost or stolen: retain it "
                                "and follow the procedure.")},
    {"watchlist.hit",
     N_("Strong match with list {list} entry {id} (score {score}): {explanation}")},
    {"watchlist.possible",
     N_("Possible match with list {list} entry {id} (score {score}): {explanation}")},
    {"traveller.possible_namesake",
     N_("Possible earlier record of a namesake, verify: this new document may belong to traveller "
        "{candidate}, or to another person with the same or a similar name. That record is not "
        "counted. Evidence: {evidence|=not given}")},
    {"traveller.renewed_document",
     N_("{misread|1=The document number as read is not one of traveller {traveller}'s documents, "
        "and its check digit fails: most likely a known document misread. Rescan it before "
        "recording.|A new document of traveller {traveller}: the earlier documents' history "
        "counts.}")},
    {"history.overstay", N_("The traveller overstayed {overstays} time{overstays|1=|s} before, "
                            "{days} day{days|1=|s} in all.")},
    {"history.no_exit",
     N_("{entries} earlier entr{entries|1=y|ies} (last on {last_entry}) ha{entries|1=s|ve} no "
        "recorded exit: ask how and when the traveller left.")},
    {"stay.other_documents",
     N_("Days used on the traveller's other documents {until|=leave no day of this stay; on this "
        "document alone {alone_days} days are available, until {alone_until}. Verify that the "
        "documents belong to one person (photographs, earlier stamps) before refusing.|shorten "
        "this stay to {days} days, until {until}; on this document alone {alone_days} days, until "
        "{alone_until}. Verify that the documents belong to one person (photographs, earlier "
        "stamps) before applying the shorter stay.}")},
    {"stay.unavailable",
     N_("The stay could not be computed from the history: a supervisor decides the stay.")},
    {"stay.exhausted", N_("The traveller has already stayed {days_used} of the {max_days} days "
                          "allowed ({rule}, {ref}) in the period from {period_start}.")},
    {"stay.shortened",
     N_("The traveller asked for {intended_days} days; {days} are available, until {until}.")},
    {"stay.document_expiry", N_("The stay ends on {until}, when the document expires.")},
    {"stay.authorised", N_("{days_used} days used of {max_days} in the period from {period_start} "
                           "({rule}); authorised until {until} ({days} days).")},
    {"stay.unlimited", N_("The policy sets no limit on the stay for this nationality.")},
    {"override.supervisor", N_("Decided by supervisor {supervisor} (was {was}): {reason}")},
    {"post.offline", N_("Decided offline (central last reached: {since|=never}): crossings "
                        "recorded at other posts since then are not in this history.")},
};

const char *cli_reason_template(const char *code)
{
    for (size_t i = 0; code && i < sizeof REASONS / sizeof REASONS[0]; i++)
        if (strcmp(REASONS[i].code, code) == 0) return REASONS[i].tmpl;
    return NULL;
}

const char *cli_reason_text(const fr_admit_reason *r, char *buf, size_t cap)
{
    const char *tmpl = cli_reason_template(r->code);
    if (!tmpl) return r->message;
    const char *tr = gettext(tmpl);
    if (tr == tmpl || strcmp(tr, tmpl) == 0) return r->message; /* English: the library's */
    /* the policy's legal reference in Spanish (ref_es=) where it gives one
     * (Spanish is the one other language of the catalogue), the stay rule
     * and a screening explanation in words */
    fr_admit_reason local = *r;
    const char *es = fr_admit_reason_param(r, "ref_es");
    for (size_t i = 0; i < local.nparams && i < FR_REASON_MAX_PARAMS; i++) {
        fr_reason_param *p = &local.params[i];
        fr_stay_rule st;
        if (strcmp(p->name, "ref") == 0 && es && es[0])
            snprintf(p->value, sizeof p->value, "%s", es);
        else if (strcmp(p->name, "explanation") == 0) {
            char words[sizeof p->value];
            snprintf(p->value, sizeof p->value, "%s",
                     cli_screen_explanation(r->params[i].value, words, sizeof words));
        } else if (strcmp(p->name, "rule") == 0 &&
                   fr_stay_rule_parse(p->value, strlen(p->value), &st, NULL) == FR_OK) {
            char words[256];
            snprintf(p->value, sizeof p->value, "%s", cli_stay_words(&st, 0, words, sizeof words));
        }
    }
    if (fr_admit_reason_format(&local, tr, buf, cap) != FR_OK) return r->message;
    return buf;
}
