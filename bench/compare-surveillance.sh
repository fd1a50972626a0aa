#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# compare-surveillance.sh: frontera's Farrington and Noufaily tests against the reference
# implementation, R's surveillance package (farringtonFlexible), on the same real monthly series.
#
#   bench/compare-surveillance.sh [build/frontera] [FLOWS_DIR]
#
# For each series (US Border Patrol encounters of CHN, MEX, IND, VEN, CUB; Ecuador's regular
# entries of CHN, VEN, USA, COL) and each method, both programs judge every month from the first
# with three whole years of history (b = 3, w = 1, alpha = 0.01; Farrington: reweighting above 1,
# 2/3-power bound; Noufaily: 4 seasonal periods, last 6 months left out, reweighting above 2.58,
# negative-binomial plug-in bound). Printed: months compared, months where the alarm (observed
# above the upper bound) differs, and the median and largest relative difference of the upper
# bound; first with frontera's own dispersion (Pearson's), then with --surveillance-compat (the
# dispersion surveillance 1.20 ends up using, docs/alerts.md). R is for this comparison only, never a run-time or test dependency: the script installs
# r-cran-surveillance with apt-get when it is missing (root needed).
set -euo pipefail
F=${1:-build/frontera}
HERE=$(cd "$(dirname "$0")/.." && pwd)
FLOWS=${2:-$HERE/../shared/data/flows}
if ! Rscript -e 'suppressMessages(library(surveillance))' >/dev/null 2>&1; then
  echo "compare-surveillance: installing r-cran-surveillance (comparison only)" >&2
  apt-get install -y r-cran-surveillance >/dev/null
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 "$HERE/scripts/series-from-shared.py" usbp "$FLOWS" > "$T/usbp.csv" 2>/dev/null
python3 "$HERE/scripts/series-from-shared.py" ecuador "$FLOWS" > "$T/ecu.csv"
Rscript -e 'cat("R", R.version$major, ".", R.version$minor, ", surveillance ", as.character(packageVersion("surveillance")), "\n", sep="")' 2>/dev/null
printf '%-5s %-4s %-11s %-8s %7s %9s %14s %13s %8s\n' series nat method dispersn months alarms≠ "median |Δup|" "max |Δup|" "R failed"
for mode in pearson compat; do
COMPAT=; [ "$mode" = compat ] && COMPAT=--surveillance-compat
for spec in usbp:CHN usbp:MEX usbp:IND usbp:VEN usbp:CUB ecu:CHN ecu:VEN ecu:USA ecu:COL; do
  src=${spec%%:*} nat=${spec#*:}
  for method in farrington noufaily; do
    "$F" report backtest --series "$T/$src.csv" --nationality "$nat" --trace "$method" $COMPAT > "$T/fr.csv"
    Rscript - "$T/fr.csv" "$method" > "$T/r.csv" 2>/dev/null <<'REOF'
suppressMessages(library(surveillance))
a <- commandArgs(TRUE)
d <- read.csv(a[1], stringsAsFactors = FALSE)
# frontera prints every month of the set; a month without a value is missing (NA), not zero
obs <- ifelse(d$observed < 0, NA, d$observed)
first <- which(!is.na(obs))[1]
obs <- obs[first:length(obs)]
d <- d[first:nrow(d), ]
s <- sts(observed = matrix(obs, ncol = 1), frequency = 12, start = c(2000, 1))
base <- list(b = 3, w = 1, alpha = 0.01, reweight = TRUE, trend = TRUE, pThresholdTrend = 0.05,
             limit54 = c(0, 4), powertrans = "2/3", populationOffset = FALSE, glmWarnings = FALSE)
ctl <- if (a[2] == "farrington") {
  c(base, list(noPeriods = 1, pastWeeksNotIncluded = 1, weightsThreshold = 1, thresholdMethod = "delta"))
} else {
  c(base, list(noPeriods = 4, pastWeeksNotIncluded = 6, weightsThreshold = 2.58, thresholdMethod = "nbPlugin"))
}
# month by month, so that a month surveillance cannot fit (e.g. an all-zero reference window:
# 'NAs are not allowed in subscripted assignments') is reported as NA, not the whole series lost
ks <- (12 * 3 + 1 + 1):length(obs)
up <- rep(NA_real_, length(ks)); al <- rep(NA_integer_, length(ks))
for (i in seq_along(ks)) {
  ctl$range <- ks[i]
  r <- tryCatch(suppressWarnings(farringtonFlexible(s, control = ctl)), error = function(e) NULL)
  if (!is.null(r)) { up[i] <- as.numeric(upperbound(r)); al[i] <- as.integer(alarms(r)) }
}
write.csv(data.frame(month = d$month[ks], r_upper = up, r_alarm = al), row.names = FALSE)
REOF
    python3 - "$T/fr.csv" "$T/r.csv" "$src" "$nat" "$method" "$mode" <<'PEOF'
import csv, statistics, sys
fr = {r["month"]: r for r in csv.DictReader(open(sys.argv[1]))}
diffs, differ, n, rfail = [], 0, 0, 0
for r in csv.DictReader(open(sys.argv[2])):
    f = fr.get(r["month"])
    if not f or float(f["observed"]) < 0:
        continue
    if r["r_upper"] in ("NA", ""):
        rfail += f["judged"] == "1"
        continue
    if f["judged"] != "1":
        continue
    n += 1
    up_r, up_f = float(r["r_upper"]), float(f["upper"])
    diffs.append(abs(up_f - up_r) / max(up_r, 1.0))
    alarm_f = 1 if float(f["observed"]) > up_f and float(f["observed"]) > 0 else 0
    differ += alarm_f != int(r["r_alarm"])
med = statistics.median(diffs) if diffs else float("nan")
mx = max(diffs) if diffs else float("nan")
print("%-5s %-4s %-11s %-8s %7d %9d %13.2g%% %12.2g%% %8d" % (sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], n, differ, 100 * med, 100 * mx, rfail))
PEOF
  done
done
done
