#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gen-man.sh FRONTERA > docs/frontera.1: the man page, made from the
# program's own --help texts so the two cannot disagree. Run it after
# changing a subcommand's options; tests/cli/program.sh checks it is current.
set -euo pipefail
F=${1:?usage: gen-man.sh path/to/frontera}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }
subs=$("$F" --help | awk '/^Subcommands:/{on=1;next} /^$/{on=0} on{print $1}')
cat <<EOT
.TH FRONTERA 1 "" "frontera $("$F" --version | cut -d' ' -f2)" "User Commands"
.SH NAME
frontera \\- border entry/exit system: travel documents, visa policy, stays, crossings
.SH SYNOPSIS
.B frontera
[\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fISUBCOMMAND\\fR [\\fIOPTION\\fR]... [\\fIARG\\fR]...
.SH DESCRIPTION
frontera reads ICAO 9303 travel documents, decides admissions under a dated visa policy, records entries and
exits in a ledger (SQLite), reports flows and overstays, raises alerts, screens travellers against watchlists,
and serves all of it over HTTP with a booth and an analyst dashboard.
.SH GLOBAL OPTIONS
.nf
EOT
"$F" --help | awk '/^Global options:/{on=1;next} /^$/{on=0} on' | esc
echo ".fi"
for s in $subs; do
  echo ".SH SUBCOMMAND: $s"
  echo ".nf"
  "$F" help "$s" | esc
  echo ".fi"
done
cat <<EOT
.SH EXIT STATUS
0 ok; 1 a finding or a refusal (an invalid document, a refused traveller, a lint error); 2 a usage error;
3 a failure (input/output, the database).
.SH ENVIRONMENT
.TP
.B FRONTERA_DB
the database when \\fB\\-\\-db\\fR is not given (default ./frontera.db)
.TP
.B FRONTERA_POLICY
the visa policy file when \\fB\\-\\-policy\\fR is not given
.TP
.B FRONTERA_WATCHLISTS
the watchlist directory (default ./frontera-watchlists)
.SH SEE ALSO
The user guide README.md and docs/ in the source distribution.
EOT
