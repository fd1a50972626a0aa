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

#include "frontera/admit.h"
#include "frontera/booth.h"
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

#ifdef __cplusplus
}
#endif
#endif
