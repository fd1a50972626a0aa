#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-ecu-policy.py: write data/policy/ecu.policy, Ecuador's visitor policy.

The 2025 baseline comes from the public visa matrix
../shared/data/visa/passport-index-2025-01-12-iso3.csv (rows with
Destination ECU): every nationality it shows as needing a visa ("e-visa")
gets a dated visa_required rule; the others fall under the default rule
(visa-free, LOMH art. 56). The dates and legal sources of each change are
written by hand in HISTORY below, each marked VERIFIED (a dated official or
press source was found) or APPROXIMATE (no legal date found; the date is an
estimate and says so in the file). The script refuses to run when the matrix
shows a visa nationality that HISTORY does not date, or the reverse, so the
baseline and the history cannot drift apart.

Usage: scripts/gen-ecu-policy.py [MATRIX.csv] > data/policy/ecu.policy
"""
import csv
import io
import re
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "..", "..", "shared", "data", "visa", "passport-index-2025-01-12-iso3.csv")

LOMH = "2017-02-06"  # Ley Orgánica de Movilidad Humana, Registro Oficial Suplemento 938, 6 Feb 2017
ISO_TO_ICAO = {"DEU": "D", "XKX": "RKS"}

# (codes, date the visa requirement took effect, status, legal reference, note)
HISTORY = [
    ("AFG BGD PRK ERI ETH KEN NPL NGA PAK SOM SEN".split(), LOMH, "VERIFIED",
     "Visa requirement predating the LOMH; listed by the Foreign Ministry among the 12 visa nationalities "
     "(communiqué of 12 Aug 2019)",
     "required before 2017-02-06; this file starts with the LOMH, so the date is the LOMH's"),
    (["CUB"], LOMH, "VERIFIED",
     "Visa requirement for Cuban nationals since 1 Dec 2015 (Foreign Ministry announcement of 26 Nov 2015)",
     "in force since 2015-12-01; this file starts with the LOMH"),
    ("AGO CMR GMB GHA GIN IND IRQ LBY COD SYR LKA".split(), "2019-08-14", "VERIFIED",
     "Acuerdo Interministerial (Foreign Ministry and Interior) signed 12 Aug 2019, in force on publication "
     "in the Registro Oficial",
     "effective date 2019-08-14 as reported (BAL/Deloitte); signed 2019-08-12"),
    (["VEN"], "2019-08-26", "APPROXIMATE",
     "Decreto Ejecutivo 826 (2019): visa requirement for Venezuelan nationals",
     "date and decree number from memory (visa from 26 Aug 2019); no source was found here: verify"),
    ("EGY PHL IRN VNM YEM".split(), "2020-03-27", "VERIFIED",
     "Acuerdo Interministerial 05 of 17 Mar 2020, published in the Registro Oficial on 27 Mar 2020",
     "in force on publication (El Comercio, 28 Mar 2020)"),
    ("HTI COG MLI CIV MMR".split(), "2021-05-17", "VERIFIED",
     "Foreign Ministry communiqué of 15 May 2021: visa required from Monday 17 May 2021",
     "visa matrix snapshots show Haiti changing only around Aug 2023; the legal date is 2021-05-17"),
    ("UZB TJK ALB".split(), "2023-08-01", "APPROXIMATE",
     "Visa requirement added between May 2021 and Sep 2023 (Foreign Ministry lists; 44 visa nationalities "
     "by Sep 2023)",
     "matrix snapshots show the change around Aug 2023; no legal instrument or day found"),
    ("TCD GNB KGZ MRT SLE SDN SSD".split(), "2023-09-06", "APPROXIMATE",
     "Visa requirement for 7 nationalities reported as in force on 6 Sep 2023 (press, quoting the Foreign "
     "Ministry)",
     "in force no later than 2023-09-06 (press report of that day); exact legal date not found; "
     "matrix snapshots lag (around Aug 2024 for GNB, SLE, SSD)"),
    (["CHN"], "2024-07-01", "VERIFIED",
     "Foreign Ministry communiqué of 18 Jun 2024: temporary suspension of the ECU-CHN agreement on mutual "
     "visa exemption for ordinary passports from 1 Jul 2024",
     "visa-free under the agreement until 2024-06-30 inclusive"),
    (["TWN"], LOMH, "APPROXIMATE",
     "Shown as visa nationality only by the 2025-01-12 visa matrix snapshot",
     "not in the Foreign Ministry lists found; regime and date from the matrix only"),
]

TRANSIT_2025 = ("AFG AGO BGD CMR CUB EGY ERI ETH PHL GMB GHA GIN KEN IND IRQ IRN LBY NGA PAK NPL COD PRK SEN "
                "SYR LKA SOM VEN VNM YEM HTI COG MLI CIV MMR UZB TJK ALB TCD GNB KGZ MRT SLE SDN SSD CHN").split()



# The legal references in Spanish (ref_es=, docs/policy.md): the Spanish
# sentences of the booth cite these; a reference without one is cited as it is.
REF_ES = {
    "Visa requirement predating the LOMH; listed by the Foreign Ministry among the 12 visa nationalities (communiqué of 12 Aug 2019)":
        "Exigencia de visa anterior a la LOMH; la Cancillería la incluye entre las 12 nacionalidades con visa (comunicado del 12 de agosto de 2019)",
    "Acuerdo Interministerial (Foreign Ministry and Interior) signed 12 Aug 2019, in force on publication in the Registro Oficial":
        "Acuerdo Interministerial (Cancillería e Interior) firmado el 12 de agosto de 2019, vigente desde su publicación en el Registro Oficial",
    "Visa requirement for 7 nationalities reported as in force on 6 Sep 2023 (press, quoting the Foreign Ministry)":
        "Exigencia de visa para 7 nacionalidades, vigente el 6 de septiembre de 2023 según la prensa (que cita a la Cancillería)",
    "Foreign Ministry communiqué of 15 May 2021: visa required from Monday 17 May 2021":
        "Comunicado de la Cancillería del 15 de mayo de 2021: visa exigida desde el lunes 17 de mayo de 2021",
    "Acuerdo Interministerial 05 of 17 Mar 2020, published in the Registro Oficial on 27 Mar 2020":
        "Acuerdo Interministerial 05 del 17 de marzo de 2020, publicado en el Registro Oficial el 27 de marzo de 2020",
    "Visa requirement added between May 2021 and Sep 2023 (Foreign Ministry lists; 44 visa nationalities by Sep 2023)":
        "Exigencia de visa añadida entre mayo de 2021 y septiembre de 2023 (listas de la Cancillería; 44 nacionalidades con visa en septiembre de 2023)",
    "LOMH art. 56 (UNASUR visitors: 180 days within one year from the first entry)":
        "LOMH art. 56 (visitantes de la UNASUR: 180 días dentro de un año desde el primer ingreso)",
    "Visa requirement for Cuban nationals since 1 Dec 2015 (Foreign Ministry announcement of 26 Nov 2015)":
        "Exigencia de visa para nacionales cubanos desde el 1 de diciembre de 2015 (anuncio de la Cancillería del 26 de noviembre de 2015)",
    "Shown as visa nationality only by the 2025-01-12 visa matrix snapshot":
        "Figura como nacionalidad con visa solo en la matriz de visas del 2025-01-12",
    "LOMH art. 66 as reformed by the Ley Orgánica de Solidaridad Nacional; Foreign Ministry communiqué of 30 Aug 2025":
        "LOMH art. 66, reformado por la Ley Orgánica de Solidaridad Nacional; comunicado de la Cancillería del 30 de agosto de 2025",
    "LOMH art. 56: 90 days within one year counted from the first entry, extendable once by 90 days":
        "LOMH art. 56: 90 días dentro de un año contado desde el primer ingreso, prorrogables una vez por 90 días",
    "Foreign Ministry communiqué of 18 Jun 2024: temporary suspension of the ECU-CHN agreement on mutual visa exemption for ordinary passports from 1 Jul 2024":
        "Comunicado de la Cancillería del 18 de junio de 2024: suspensión temporal, desde el 1 de julio de 2024, del convenio Ecuador-China de exención mutua de visas para pasaportes ordinarios",
    "Ecuadorian nationals enter as of right (Constitución 2008; LOMH)":
        "Los ecuatorianos ingresan por derecho propio (Constitución de 2008; LOMH)",
    "Decreto Ejecutivo 826 (2019): visa requirement for Venezuelan nationals":
        "Decreto Ejecutivo 826 (2019): exigencia de visa para nacionales venezolanos",
    "Agreement between Ecuador and China on mutual visa exemption for ordinary passports (in force Aug 2016)":
        "Convenio entre Ecuador y China sobre exención mutua de visas para pasaportes ordinarios, en vigor desde agosto de 2016",
}


# The notes of the rules in Spanish (note_es=), by their English text.
NOTE_ES = {
    "6 months of passport validity is the published requirement; its article was not verified":
        "6 meses de validez del pasaporte es el requisito publicado; no se verificó su artículo",
    "UNASUR membership changed from 2018 and the LOMH was reformed in 2021; the 2025 matrix shows 180 days only for PER: verify":
        "la membresía de la UNASUR cambió desde 2018 y la LOMH se reformó en 2021; la matriz de 2025 muestra 180 días solo para PER: verifíquelo",
    "not a visitor rule: overrides the @andean group rule (a nationality rule wins)":
        "no es una regla de visitante: prevalece sobre la regla del grupo @andean (gana la regla de la nacionalidad)",
    "in force since August 2016 (day not verified); this file starts with the LOMH on 2017-02-06":
        "vigente desde agosto de 2016 (día no verificado); este archivo empieza con la LOMH el 2017-02-06",
    "transit visa for the 45 visa nationalities from 1 Sep 2025":
        "visa de tránsito para las 45 nacionalidades con visa desde el 1 de septiembre de 2025",
    "required before 2017-02-06; this file starts with the LOMH, so the date is the LOMH's":
        "exigida antes del 2017-02-06; este archivo empieza con la LOMH, así que la fecha es la de la LOMH",
    "in force since 2015-12-01; this file starts with the LOMH":
        "vigente desde el 2015-12-01; este archivo empieza con la LOMH",
    "effective date 2019-08-14 as reported (BAL/Deloitte); signed 2019-08-12":
        "fecha de vigencia 2019-08-14 según lo publicado (BAL/Deloitte); firmado el 2019-08-12",
    "date and decree number from memory (visa from 26 Aug 2019); no source was found here: verify":
        "fecha y número de decreto de memoria (visa desde el 26 de agosto de 2019); no se encontró aquí una fuente: verifíquelo",
    "in force on publication (El Comercio, 28 Mar 2020)":
        "vigente desde su publicación (El Comercio, 28 de marzo de 2020)",
    "visa matrix snapshots show Haiti changing only around Aug 2023; the legal date is 2021-05-17":
        "las instantáneas de la matriz de visas muestran el cambio de Haití solo hacia agosto de 2023; la fecha legal es el 2021-05-17",
    "matrix snapshots show the change around Aug 2023; no legal instrument or day found":
        "las instantáneas de la matriz muestran el cambio hacia agosto de 2023; no se encontró instrumento legal ni día",
    "in force no later than 2023-09-06 (press report of that day); exact legal date not found; matrix snapshots lag (around Aug 2024 for GNB, SLE, SSD)":
        "vigente a más tardar el 2023-09-06 (nota de prensa de ese día); no se encontró la fecha legal exacta; las instantáneas de la matriz van con retraso (hacia agosto de 2024 para GNB, SLE, SSD)",
    "visa-free under the agreement until 2024-06-30 inclusive":
        "sin visa por el convenio hasta el 2024-06-30 inclusive",
    "not in the Foreign Ministry lists found; regime and date from the matrix only":
        "no figura en las listas de la Cancillería encontradas; régimen y fecha tomados solo de la matriz",
}
STATUS_ES = {"VERIFIED": "VERIFICADO", "APPROXIMATE": "APROXIMADO"}


def note_es(note):
    """A rule's note in Spanish, its status word too; a note not in NOTE_ES stops the script."""
    status, sep, rest = note.partition(": ")
    if sep and status in STATUS_ES:
        return "%s: %s" % (STATUS_ES[status], NOTE_ES[rest])
    return NOTE_ES[note]


def with_spanish_refs(text):
    """Each rule's line with a ref= gets a continuation line with its ref_es=, and
    one with a note= a line with its note_es=."""
    out = []
    for line in text.split("\n"):
        out.append(line)
        if line.lstrip().startswith(("group", "#")):
            continue
        m = re.search(r'ref="([^"]*)"', line)
        if m and m.group(1) in REF_ES:
            out.append('    ref_es="%s"' % REF_ES[m.group(1)])
        m = re.search(r'note="([^"]*)"', line)
        if m:
            out.append('    note_es="%s"' % note_es(m.group(1)))
    return "\n".join(out)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else MATRIX
    visa, days = set(), {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["Destination"] != "ECU" or row["Requirement"] == "-1":
                continue
            code = ISO_TO_ICAO.get(row["Passport"], row["Passport"])
            if row["Requirement"] in ("e-visa", "visa required"):
                visa.add(code)
            elif row["Requirement"].isdigit():
                days[code] = int(row["Requirement"])
    dated = {c for codes, *_ in HISTORY for c in codes}
    if visa != dated:
        sys.exit("gen-ecu-policy: matrix and HISTORY disagree: undated %s, not visa in matrix %s"
                 % (sorted(visa - dated), sorted(dated - visa)))
    out = io.StringIO()
    w = out.write
    w("""# ecu.policy: Ecuador's visa policy for visitors (and, from 2025-09-01, transit),
# as it is and was. GENERATED by scripts/gen-ecu-policy.py from the visa matrix
# ../shared/data/visa/passport-index-2025-01-12-iso3.csv (the 2025-01-12 baseline)
# and the dated changes written in that script: edit the script, not this file.
#
# Coverage: from 2017-02-06 (Ley Orgánica de Movilidad Humana, LOMH, Registro
# Oficial Suplemento 938). Lookups before that day find no rule.
# Dates: from= and to= are both inclusive.
# Status of each date: VERIFIED = an official text or a dated press report of
# the official communiqué was found; APPROXIMATE = no legal date was found, the
# date is an estimate (said so in note=). Decree numbers are given only when a
# source named them.
# Precedence: a nationality rule overrides a group rule, which overrides *.

jurisdiction ECU

# Andean Community (Acuerdo de Cartagena); Decisión 503 of the CAN: national
# identity documents accepted for tourist entry between member states.
group @andean BOL COL ECU PER  ref="CAN Decisión 503 (2001)"
# MERCOSUR states parties and associates whose national ID cards Ecuador accepts
# (MERCOSUR agreement on travel documents, Dec. CMC 18/08 as amended).
group @mercosur_id ARG BRA CHL PRY URY  note="Ecuador's adherence date not verified"
# Other UNASUR members (LOMH art. 56 gives UNASUR visitors 180 days).
group @unasur_other GUY SUR VEN
group @unasur @andean @mercosur_id @unasur_other
""")
    w("\n# --- default: every nationality not listed below ---\n")
    w('rule * visitor visa_free stay=period:90/1y+90 docs=passport validity=6m from=%s\n'
      '    ref="LOMH art. 56: 90 days within one year counted from the first entry, extendable once by 90 days"\n'
      '    note="6 months of passport validity is the published requirement; its article was not verified"\n' % LOMH)
    w("\n# --- South America (LOMH art. 56, UNASUR paragraph: 180 days in one year from first entry) ---\n")
    for g, docs in (("@andean", "passport,id_card"), ("@mercosur_id", "passport,id_card"), ("@unasur_other", "passport")):
        w('rule %s visitor visa_free stay=period:180/1y docs=%s from=%s\n'
          '    ref="LOMH art. 56 (UNASUR visitors: 180 days within one year from the first entry)"\n'
          '    note="UNASUR membership changed from 2018 and the LOMH was reformed in 2021; the 2025 matrix shows 180 days only for PER: verify"\n'
          % (g, docs, LOMH))
    w('rule ECU visitor free_movement docs=passport,id_card from=%s\n'
      '    ref="Ecuadorian nationals enter as of right (Constitución 2008; LOMH)" note="not a visitor rule: overrides the @andean group rule (a nationality rule wins)"\n' % LOMH)
    w("\n# --- China: bilateral agreement, then its suspension ---\n")
    w('rule CHN visitor visa_free stay=period:90/1y docs=passport validity=6m from=%s to=2024-06-30\n'
      '    ref="Agreement between Ecuador and China on mutual visa exemption for ordinary passports (in force Aug 2016)"\n'
      '    note="in force since August 2016 (day not verified); this file starts with the LOMH on 2017-02-06"\n' % LOMH)
    w("\n# --- visa nationalities (baseline: visa matrix 2025-01-12), dated ---\n")
    for codes, date, status, ref, note in HISTORY:
        w("# %s: %s\n" % (status, " ".join(codes)))
        for c in sorted(codes):
            w('rule %s visitor visa_required from=%s ref="%s"\n    note="%s: %s"\n' % (c, date, ref, status, note))
    w("\n# --- transit: visa de visitante temporal de transeúnte (VERIFIED) ---\n")
    w("group @transit_visa_2025 %s\n" % " ".join(TRANSIT_2025))
    w('rule @transit_visa_2025 transit visa_required from=2025-09-01\n'
      '    ref="LOMH art. 66 as reformed by the Ley Orgánica de Solidaridad Nacional; Foreign Ministry communiqué of 30 Aug 2025"\n'
      '    note="transit visa for the 45 visa nationalities from 1 Sep 2025"\n')
    extra = sorted(c for c, d in days.items() if d not in (90, 180))
    if extra:
        sys.exit("gen-ecu-policy: unexpected day counts for %s" % extra)
    sys.stdout.write(with_spanish_refs(out.getvalue()))


if __name__ == "__main__":
    main()
