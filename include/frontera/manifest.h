/* SPDX-License-Identifier: MIT */
/* manifest.h: pre-arrival checks of a PAXLST manifest (iAPI-style answers).
 *
 * For each person of a PAXLST message (paxlst.h), fr_manifest_check asks the
 * booth (booth.h) for the decision it would take on arrival: the visa policy
 * on the arrival date, document validity, stay rules and history, watchlists
 * and lost/stolen documents. The person's travel document (the first DOC
 * that is not a visa) becomes an MRZ (fr_mrz_make: passports TD3, other
 * documents TD1; nationality and issuing state normalised to ICAO codes,
 * so DEU is D); a DOC of type V is the visa presented. Passengers are
 * visitors, crew members crew, persons in transit (DDU, DDT) transit. The
 * arrival is the last leg's arrival time (local, no offset) at `port`.
 *
 * The answer is board (the booth would admit, or refer only for what is
 * settled at the booth on arrival: the stay a visa sets, visa.stay_by_visa),
 * no-board (it would refuse) or check (it would refer to a supervisor for
 * another reason, or the manifest lacks what the decision needs: then
 * `problem` says what). Threads: as
 * the booth environment passed in. */
#ifndef FRONTERA_MANIFEST_H
#define FRONTERA_MANIFEST_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/admit.h"
#include "frontera/booth.h"
#include "frontera/event.h"
#include "frontera/paxlst.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_manifest_answer {
    FR_MANIFEST_BOARD = 0,
    FR_MANIFEST_NO_BOARD = 1,
    FR_MANIFEST_CHECK = 2
} fr_manifest_answer;
/* "board", "no-board", "check". */
FR_API const char *fr_manifest_answer_name(fr_manifest_answer a);

typedef struct fr_manifest_verdict {
    size_t person; /* index in the message's persons */
    fr_manifest_answer answer;
    int decided;                         /* decision below is filled (else see problem) */
    fr_admit_decision decision;          /* the booth's decision */
    char problem[FR_REASON_MESSAGE_MAX]; /* !decided: why no decision could be taken */
} fr_manifest_verdict;

/* Check every person of m (a message read by fr_paxlst_read) arriving at
 * port (a UN/LOCODE such as ECUIO). On FR_OK *out holds m->npersons
 * verdicts in the order of the persons (free with fr_free). Returns
 * FR_EINVAL (no port, no policy in env), FR_ENOMEM, or a store error from
 * the booth (no verdicts then). */
FR_API int fr_manifest_check(const fr_booth_env *env, const fr_paxlst_message *m, const char *port,
                             fr_manifest_verdict **out, fr_error *err);

/* The UN/LOCODE for an IATA airport code of the message, given the
 * receiving country's two-letter UN/LOCODE prefix ("EC" + "UIO" ->
 * "ECUIO"): out gets at most 5 letters and a NUL. 0, or -1 when the
 * airport code is not three letters. */
FR_API int fr_manifest_port(const char *country2, const char *airport, char out[6]);

/* ---- Expected arrivals and their reconciliation with the booth ----
 *
 * A recorded manifest (arrivals.h stores them) is a list of announced
 * persons. fr_manifest_reconcile matches the booth's entries and refusals
 * to them: an event matches a person when it is at the person's arrival
 * post, its local time lies from FR_MANIFEST_MATCH_BEFORE_MIN before to
 * FR_MANIFEST_MATCH_AFTER_MIN after the flight's scheduled arrival, and it
 * carries the same travel document (issuing state and number); failing
 * that, the same nationality, birth date and surname (a passenger who
 * showed another passport than the one the airline sent). Booth events do
 * not name a flight, so an entry matched to nobody is attributed to the
 * flight whose scheduled arrival at that post is nearest to it within
 * FR_MANIFEST_ATTRIBUTE_BEFORE_MIN before and FR_MANIFEST_ATTRIBUTE_AFTER_MIN
 * after it (passengers reach the booth after landing). docs/paxlst.md. */

#define FR_MANIFEST_MATCH_BEFORE_MIN 360    /* an entry up to 6 h before the schedule */
#define FR_MANIFEST_MATCH_AFTER_MIN 1440    /* ... up to 24 h after it (delays) */
#define FR_MANIFEST_ATTRIBUTE_BEFORE_MIN 60 /* unannounced: up to 1 h before ... */
#define FR_MANIFEST_ATTRIBUTE_AFTER_MIN 360 /* ... to 6 h after a flight's arrival */

/* One person announced on a recorded manifest. Codes are ICAO 9303
 * (fr_manifest_expected_from normalises ISO alpha-3: DEU is D); names are
 * upper case, letters and single spaces. */
typedef struct fr_manifest_expected {
    int64_t manifest_id;    /* the stored manifest (arrivals.h); 0 when not stored */
    char flight[24];        /* "TK1801" */
    char port[6];           /* arrival post, UN/LOCODE */
    fr_paxlst_time arrival; /* the last leg's scheduled arrival, local */
    fr_paxlst_role role;
    char surname[96];
    char given_names[128];
    char nationality[4];       /* "" unknown */
    fr_date birth_date;        /* FR_DATE_NONE unknown */
    char doc_state[4];         /* the travel document's issuing state, "" unknown */
    char doc_number[40];       /* "" when the manifest gives none */
    char embarkation[8];       /* LOC+178 as sent, else the first leg's departure airport */
    fr_manifest_answer answer; /* the pre-arrival answer given */
    int idx;                   /* the person's place in its stored manifest */
    /* a person past the manifest retention (arrivals.h, fr_arrivals_purge):
     * the outcome the reconciliation gave when the names and document were
     * erased (an fr_manifest_outcome), FR_MANIFEST_FOLDED for a copy announced
     * twice, FR_MANIFEST_LIVE (0) while the person is matched afresh */
    int stored;
} fr_manifest_expected;
#define FR_MANIFEST_LIVE 0
#define FR_MANIFEST_FOLDED (-1)
#define FR_MANIFEST_STORED(outcome) ((int)(outcome) + 1)

/* Upper-case letters with single spaces between words; other characters
 * dropped: the form names are stored and compared in. */
FR_API void fr_manifest_name_key(const char *in, char *out, size_t cap);

/* Person i of m, arriving at port, with its verdict (NULL: answer check)
 * as an expected arrival. Pure; never fails. */
FR_API void fr_manifest_expected_from(const fr_paxlst_message *m, size_t i, const char *port,
                                      const fr_manifest_verdict *v, fr_manifest_expected *out);

typedef enum fr_manifest_outcome {
    FR_RECON_ENTERED = 0,          /* announced, entered */
    FR_RECON_REFUSED = 1,          /* announced, presented and refused entry */
    FR_RECON_NOT_PRESENTED = 2,    /* announced (FL, FM), never presented at the booth */
    FR_RECON_TRANSIT_ENTERED = 3,  /* in transit (DDU, DDT) but entered instead of continuing */
    FR_RECON_TRANSIT_CONTINUED = 4 /* in transit, not presented: continued as announced */
} fr_manifest_outcome;
#define FR_RECON_NOUTCOMES 5
/* "entered", "refused", "not_presented", "transit_entered", "transit_continued". */
FR_API const char *fr_manifest_outcome_name(fr_manifest_outcome o);

typedef struct fr_manifest_match {
    fr_manifest_outcome outcome;
    long event;   /* the matched entry (else refusal) in the events, -1 none */
    long same_as; /* a person announced twice for one flight (a manifest sent again
                     or updated): the first one's index, which holds the outcome; -1 */
} fr_manifest_match;

/* Reconcile nx expected persons with nev booth events (entries and
 * refusals count, other kinds are ignored). persons[nx] receives each
 * person's outcome; event_person[nev] the person an event matched (-1
 * none); event_flight[nev], for an entry that matched no one, a person of
 * the flight it is attributed to (-1: none, or not an unmatched entry).
 * Pure. FR_OK, FR_ENOMEM. */
FR_API int fr_manifest_reconcile(const fr_manifest_expected *x, size_t nx, const fr_event *ev,
                                 size_t nev, fr_manifest_match *persons, long *event_person,
                                 long *event_flight, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
