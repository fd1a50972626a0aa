# gen.awk: N synthetic crossings as ledger CSV (docs/ledger.md), for the
# crash test (tests/cli/import_crash.sh) and the import benchmark: N/4
# travellers (about 20,000 distinct birth dates, as in a real population),
# each with an entry (January), an exit (February), a second
# entry (March) and a second exit (April), interleaved across travellers.
# Usage: awk -v n=200000 -f gen.awk > crossings.csv
BEGIN {
    split("ECU COL PER VEN CHN USA ARG D FRA ESP", nat, " ")
    split("ECUIO ECGYE ECTUL ECMEC", port, " ")
    print "event_id,kind,at,port,document_type,document_state,document_number,document_expiry," \
          "surname,given_names,nationality,birth_date,sex,admission_class,authorised_until," \
          "officer,decision,reasons"
    t = int(n / 4)
    for (j = 0; j < 4; j++) {
        entry = (j % 2 == 0)
        for (i = 0; i < t; i++) {
            c = nat[1 + i % 10]
            printf "C%d-%d,%s,2024-%02d-%02dT%02d:%02d:00-05:00,%s,P,%s,N%08d,2031-01-01," \
                   "SURNAME%d,GIVEN NAME,%s,19%02d-%02d-%02d,%s,%s,%s,OF-%d,,\n",
                j, i, entry ? "entry" : "exit", j + 1, 1 + i % 28, 6 + i % 12, i % 60,
                port[1 + i % 4], c, i, i, c, 40 + i % 60, 1 + int(i / 60) % 12, 1 + int(i / 720) % 28,
                i % 2 ? "M" : "F", entry ? "tourist" : "", entry ? sprintf("2024-%02d-28", j + 2) : "",
                i % 90
        }
    }
}
