/* SPDX-License-Identifier: MIT */
/* cli_words.c: the library's error messages in the user's language.
 *
 * The library has no locale: its errors (fr_error.message) are English
 * sentences, and it must stay free of gettext. It also keeps, as data, the
 * format each message was made with and the values printed in it
 * (fr_error.fmt, args; status.h): the catalogue's translation of that
 * format, filled with those values, says the whole message in the user's
 * language (po/es.po holds the library's formats beside the program's). The
 * library's sentence is never parsed. A message the catalogue cannot say
 * (cli.i18n keeps every library format translated, so: one changed after
 * it was made) keeps the library's English words. Under LANG=C every function returns the library's
 * own text, so English output is unchanged. (Admission reasons are rebuilt from their code and
 * parameters in cli_reasons.c.) */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "frontera/alerts.h"
#include "frontera/country.h"
#include "frontera/date.h"
#include "frontera/linkage.h"
#include "frontera/screen.h"
#include "frontera/policy.h"
#include "frontera/stay.h"
#include "i18n.h"

/* 1 when the messages are in English: the library's sentence is then the
 * best one (it holds every detail), and nothing is rebuilt. */
int cli_english(void)
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

/* err's message from the catalogue's translation of the format the library
 * made it with (fr_error.fmt, and the prefix's), filled with the values the
 * message shows; NULL when the catalogue has none, or when the formats no
 * longer give the message (changed after fr_error_set): a sentence that says
 * something else is worse than English. */
static const char *translated(const fr_error *err)
{
    static _Thread_local char buf[2][sizeof err->message * 2];
    static _Thread_local unsigned turn; /* two in one printf stay apart */
    if (!err->fmt || !err->fmt[0] || (err->prefix_fmt && !err->prefix_fmt[0])) return NULL;
    const char *tr = _(err->fmt);
    const char *pre = err->prefix_fmt ? _(err->prefix_fmt) : NULL;
    /* nothing translated (gettext gives a copy when "%s" is "%s") */
    if (strcmp(tr, err->fmt) == 0 && (!pre || strcmp(pre, err->prefix_fmt) == 0)) return NULL;
    char *out = buf[turn++ % 2];
    /* the English again, cut where the message was cut, so a long message
     * is still recognised (and said whole in the translation) */
    char again[sizeof err->message];
    if (fr_error_format(err, NULL, err->fmt, again, sizeof again) != FR_OK ||
        strcmp(again, err->message) != 0)
        return NULL;
    if (fr_error_format(err, pre, tr, out, sizeof buf[0]) != FR_OK) return NULL;
    return out;
}

const char *cli_error_text(const fr_error *err)
{
    if (!err->message[0]) return cli_strerror(err->code);
    if (cli_english()) return err->message;
    /* the store's open: the path is printed before the message (a SQLite
     * file that is not there, or a PostgreSQL database without the schema) */
    if (strcmp(err->field, "db") == 0 && err->code == FR_ENOTFOUND)
        return _("there is no frontera ledger here (frontera init creates one)");
    const char *t = translated(err);
    if (t) return t;
    return err->message;
}

/* The library's code names (fr_event_kind_name, fr_link_kind_name,
 * fr_anomaly_name, fr_regime_name, fr_admission_class_name, a review's
 * status, a screening band, an alert's direction as the CSV and JSON say it) and what they say in
 * another language. The codes are distinct across the kinds, so one table serves them all. */
static const struct {
    const char *code, *words;
} CODE_WORDS[] = {
    {"entry", N_("entry (event)")},
    {"exit", N_("exit (event)")},
    {"refusal", N_("refusal (event)")},
    {"encounter", N_("encounter (event)")},
    {"extension", N_("extension (event)")},
    {"document", N_("a known document")},
    {"new", N_("a new traveller")},
    {"renewal", N_("a new document of a known traveller")},
    {"review", N_("a new traveller, a possible match kept for review")},
    {"exit_without_entry", N_("an exit with no open entry before it")},
    {"entry_without_exit", N_("an entry while an earlier entry was still open")},
    {"document_mismatch", N_("the document's person differs from the one first recorded with it")},
    {"visa_free", N_("no visa needed (regime)")},
    {"visa_required", N_("visa required (regime)")},
    {"visa_on_arrival", N_("visa on arrival (regime)")},
    {"evisa", N_("electronic visa required (regime)")},
    {"eta", N_("travel authorisation required (regime)")},
    {"free_movement", N_("free movement (regime)")},
    {"visitor", N_("visitor (class)")},
    {"transit", N_("transit (class)")},
    {"crew", N_("crew (class)")},
    {"official", N_("official (class)")},
    {"open", N_("open (review)")},
    {"linked", N_("linked (review)")},
    {"distinct", N_("distinct (review)")},
    {"hit", N_("hit (screening)")},
    {"possible", N_("possible (screening)")},
    {"clear", N_("clear (screening)")},
    {"rise", N_("rise (alert)")},
    {"fall", N_("fall (alert)")},
};

const char *cli_code_word(const char *code)
{
    if (!code || cli_english()) return code;
    for (size_t i = 0; i < sizeof CODE_WORDS / sizeof *CODE_WORDS; i++)
        if (strcmp(CODE_WORDS[i].code, code) == 0) return _(CODE_WORDS[i].words);
    return code;
}

/* A linking comparison (linkage.h: field and level, as
 * fr_linkage_explain_parse gives them) in the user's words. */
static const struct {
    const char *field, *level, *words;
} EVIDENCE_WORDS[] = {
    {"prior", "renewal_rate", N_("odds before the evidence (share of renewals)")},
    {"name", "exact", N_("same name")},
    {"name", "words_reordered", N_("the same names in another order")},
    {"name", "given_names_extended", N_("one more given name")},
    {"name", "one_or_two_letters_apart", N_("names one or two letters apart")},
    {"name", "surname_changed", N_("another surname, same given names")},
    {"name", "different", N_("different names")},
    {"nationality", "same", N_("same nationality")},
    {"nationality", "different", N_("another nationality")},
    {"birth_date", "exact", N_("same birth date")},
    {"birth_date", "day_month_swapped", N_("birth day and month swapped")},
    {"birth_date", "same_year_one_unknown_day", N_("same birth year, one day and month unknown")},
    {"sex", "same", N_("same sex")},
    {"sex", "different", N_("different sex")},
    {"issuing_state", "same", N_("same issuing state")},
    {"issuing_state", "different", N_("another issuing state")},
    {"documents", "other_kind_held_side_by_side",
     N_("a document of another kind, held at the same time")},
    {"documents", "same_expiry", N_("both documents expire the same day")},
    {"documents", "renewal_due_and_issued_after_last_use",
     N_("the old document was due for renewal; the new one was issued after its last use")},
    {"documents", "issued_after_last_use_old_still_valid",
     N_("the new document was issued after the old one's last use, while it was still valid")},
    {"documents", "old_due_new_issued_before_last_use",
     N_("the new document was issued before the old one's last use")},
    {"documents", "new_issued_while_old_in_use",
     N_("the new document was issued while the old one was in use")},
    {"travel", "entry_while_still_in_country",
     N_("an entry while the other is still in the country")},
    {"travel", "consistent", N_("travel consistent with one person")},
};

const char *cli_evidence_word(const char *field, const char *level)
{
    for (size_t i = 0; i < sizeof EVIDENCE_WORDS / sizeof *EVIDENCE_WORDS; i++)
        if (strcmp(EVIDENCE_WORDS[i].field, field) == 0 &&
            strcmp(EVIDENCE_WORDS[i].level, level) == 0)
            return _(EVIDENCE_WORDS[i].words);
    return NULL;
}

static const char *phrase_word(void *ud, const char *phrase)
{
    (void)ud;
    return gettext(phrase); /* the library's phrases are msgids of po/es.po */
}

const char *cli_screen_explanation(const char *en, char *buf, size_t cap)
{
    if (!en) return "";
    /* cut short, the English one whole is better than half a sentence */
    return fr_screen_explanation_words(en, phrase_word, NULL, buf, cap) == FR_OK ? buf : en;
}

/* The evidence of a review (fr_linkage_explain's text, as the ledger keeps
 * it) in the user's words: the weight and the reason it is never linked
 * without review on one line, then each comparison with its weight, one a
 * line. Text this version cannot read back is printed as stored. */
void cli_print_evidence(const char *ev, const char *indent)
{
    fr_linkage_score s;
    if (fr_linkage_explain_parse(ev, &s, NULL) != FR_OK) {
        printf("%s%s\n", indent, ev);
        return;
    }
    static const char *const why[] = {N_("another nationality"), N_("the names differ"),
                                      N_("an entry while the candidate is still in the country")};
    printf("%s", indent);
    printf(_("weight %.1f bits:"), s.bits);
    for (size_t i = 0; s.no_link && i < sizeof why / sizeof *why; i++)
        if (strcmp(s.no_link, why[i]) == 0)
            printf(_(" (never linked without review: %s)"), _(why[i]));
    putchar('\n');
    for (size_t i = 0; i < s.n; i++) {
        const char *w = cli_evidence_word(s.items[i].field, s.items[i].level);
        printf("%s  %+5.1f  %s\n", indent, s.items[i].bits, w ? w : s.items[i].level);
    }
}

/* The series' name in the user's words: the ones frontera builds from the
 * ledger; a series of the user's own keeps the name it was given. */
const char *cli_metric_word(const char *m)
{
    if (strcmp(m, "arrivals") == 0) return _("arrivals");
    if (strcmp(m, "encounters") == 0) return _("encounters");
    if (strcmp(m, "nonexit_rate") == 0) return _("non-exit rate");
    if (strcmp(m, "encounter_ratio") == 0) return _("encounters per arrival");
    return m;
}

const char *cli_alert_text(const fr_alert *a, char *buf, size_t cap)
{
    if (cli_english()) return a->message;
    char per[FR_MONTH_BUFSZ], since[FR_MONTH_BUFSZ], until[FR_MONTH_BUFSZ], peak[FR_MONTH_BUFSZ];
    fr_month_format(a->period, per);
    fr_month_format(a->since, since);
    fr_month_format(a->until, until);
    fr_month_format(a->peak_period, peak);
    char tests[64];
    fr_alert_tests_format(a->tests, ", ", tests, sizeof tests);
    int rate = a->is_rate;     /* in percent, as the library's own sentence */
    double k = rate ? 100 : 1; /* rates in percent, as the library writes them */
    int d = rate ? 1 : 0;
    const char *u = rate ? "%" : "";
    /* the same facts as fr_alert.message, in the user's language */
    int n = snprintf(
        buf, cap,
        a->direction >= 0
            ? _("%s %s rose: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.1f "
                "times; rising since %s [%s]; peak %.*f%s in %s")
            : _("%s %s fell: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.2f "
                "times; falling since %s [%s]; lowest %.*f%s in %s"),
        fr_country_code(a->nationality), cli_metric_word(a->metric), d, k * a->observed, u, per, d,
        k * a->expected, u, d, k * a->lower, u, d, k * a->upper, u, a->factor, since, tests, d,
        k * a->peak, u, peak);
    if (n < 0 || (size_t)n >= cap) return a->message;
    char *t = buf + n;
    size_t left = cap - (size_t)n;
    if (a->ongoing && a->direction >= 0)
        snprintf(t, left, "%s", _("; still high at the end of the data"));
    else if (a->ongoing)
        snprintf(t, left, "%s", _("; still low at the end of the data"));
    else if (a->learnt == 1)
        snprintf(t, left, _("; taken as the new normal level after %s"), until);
    else if (a->learnt == 2 && a->direction >= 0)
        snprintf(t, left, _("; rose further after %s (a new alert)"), until);
    else
        snprintf(t, left, _("; back to normal after %s"), until);
    return buf;
}

const char *cli_rule_ref(const fr_policy_rule *r)
{
    return !cli_english() && r->ref_es && r->ref_es[0] ? r->ref_es : r->ref;
}

const char *cli_rule_note(const fr_policy_rule *r)
{
    return !cli_english() && r->note_es && r->note_es[0] ? r->note_es : r->note;
}

/* A stay rule in words: "90 days per year from the first entry, extendable
 * once by 90 days", and its code in parentheses when with_code; in English
 * the code alone, as the policy writes it. */
const char *cli_stay_words(const fr_stay_rule *st, int with_code, char *buf, size_t cap)
{
    char code[FR_STAY_RULE_BUFSZ], ext[128] = "", tail[FR_STAY_RULE_BUFSZ + 4] = "";
    fr_stay_rule_format(st, code);
    if (cli_english() || (st->kind != FR_STAY_ROLLING && st->kind != FR_STAY_PERIOD)) {
        snprintf(buf, cap, "%s", code);
        return buf;
    }
    if (with_code) snprintf(tail, sizeof tail, " (%s)", code);
    if (st->kind == FR_STAY_PERIOD && st->extension_days > 0)
        snprintf(ext, sizeof ext, _(", extendable once by %d days"), (int)st->extension_days);
    if (st->kind == FR_STAY_ROLLING)
        snprintf(buf, cap, _("%d days in any %d days%s"), (int)st->max_days, (int)st->window_days,
                 tail);
    else if (st->period_years == 1)
        snprintf(buf, cap, _("%d days per year from the first entry%s%s"), (int)st->max_days, ext,
                 tail);
    else
        snprintf(buf, cap, _("%d days per %d years from the first entry%s%s"), (int)st->max_days,
                 (int)st->period_years, ext, tail);
    return buf;
}
