#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""series-from-shared.py: turn the published flow statistics in shared/data/flows into
frontera's plain monthly series CSV (period,nationality,metric,count; docs/alerts.md).

  scripts/series-from-shared.py ecuador  [DATA_DIR] > ecu-entries.csv
      americas_monthly/regin.csv (columns t,geo,nat,n), rows with geo=ECU:
      Ecuador's regular entries by nationality, metric "arrivals".
  scripts/series-from-shared.py usbp     [DATA_DIR] > usbp-encounters.csv
      us_border_patrol/04_Monthly_Citizenship.csv (Fiscal Year,Month,Citizenship,Quantity):
      US Border Patrol encounters by citizenship, metric "encounters". The fiscal year
      starts in October: FY2023 "01 October" is 2022-10. Citizenship names are mapped to
      ICAO 9303 codes through americas_monthly/countrynames.csv plus the overrides below;
      names with no code ("Unknown", "Other", former states) are left out and listed on stderr.

ISO 3166 alpha-3 codes are ICAO codes except Germany (D) and Kosovo (RKS).
"""
import csv
import os
import sys

ICAO = {"DEU": "D", "XKX": "RKS"}
US_NAMES = {
    "China, People's Republic": "CHN", "Korea, South": "KOR", "Korea, North": "PRK",
    "Burma": "MMR", "Congo, Democratic Republic": "COD", "Congo, Republic": "COG",
    "Cote d'Ivoire": "CIV", "Russia": "RUS", "Turkey": "TUR", "Vietnam": "VNM", "Laos": "LAO",
    "Taiwan": "TWN", "Kosovo": "RKS", "Czechia": "CZE", "Syria": "SYR", "Moldova": "MDA",
    "Tanzania": "TZA", "Iran": "IRN", "Venezuela": "VEN", "Bolivia": "BOL",
    "United Kingdom": "GBR", "Germany": "D", "Macedonia": "MKD", "North Macedonia": "MKD",
    "Cape Verde": "CPV", "Cabo Verde": "CPV", "Micronesia": "FSM", "Eswatini": "SWZ",
    "Swaziland": "SWZ", "Gambia": "GMB", "Bahamas": "BHS", "Brunei": "BRN",
    "East Timor": "TLS", "Timor-Leste": "TLS", "Palestine": "PSE", "Vatican City": "VAT",
    "Saint Kitts and Nevis": "KNA", "Saint Lucia": "LCA",
    "Saint Vincent and the Grenadines": "VCT", "Sao Tome and Principe": "STP",
    "Netherlands": "NLD", "Netherlands Antilles": "ANT", "Hong Kong": "HKG", "Macau": "MAC",
}
MONTHS = {"October": 10, "November": 11, "December": 12, "January": 1, "February": 2,
          "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8, "September": 9}


def data_dir():
    if len(sys.argv) > 2:
        return sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "shared", "data", "flows")


def ecuador(base):
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["period", "nationality", "metric", "count"])
    with open(os.path.join(base, "americas_monthly", "regin.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["geo"] != "ECU" or row["n"] in ("", "NA"):
                continue
            out.writerow([row["t"], ICAO.get(row["nat"], row["nat"]), "arrivals", int(float(row["n"]))])


def usbp(base):
    names = {}
    with open(os.path.join(base, "americas_monthly", "countrynames.csv"), newline="") as f:
        for row in csv.DictReader(f):
            for col in ("name", "name_sort", "name_text"):
                names[row[col]] = ICAO.get(row["iso3"], row["iso3"])
    names.update(US_NAMES)
    totals, dropped = {}, {}
    with open(os.path.join(base, "us_border_patrol", "04_Monthly_Citizenship.csv"), newline="") as f:
        for row in csv.DictReader(f):
            fy = int(row["Fiscal Year"])
            month = MONTHS[row["Month"].split(" ", 1)[1]]
            year = fy - 1 if month >= 10 else fy
            code = names.get(row["Citizenship"])
            if code == "OOO":  # "Unknown" in countrynames.csv
                code = None
            n = int(row["Quantity"])
            if not code:
                dropped[row["Citizenship"]] = dropped.get(row["Citizenship"], 0) + n
                continue
            key = ("%04d-%02d" % (year, month), code)
            totals[key] = totals.get(key, 0) + n
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["period", "nationality", "metric", "count"])
    for (period, code), n in sorted(totals.items()):
        out.writerow([period, code, "encounters", n])
    for name, n in sorted(dropped.items()):
        print("series-from-shared: left out '%s' (%d encounters): no ICAO code" % (name, n),
              file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("ecuador", "usbp"):
        sys.exit("usage: series-from-shared.py ecuador|usbp [FLOWS_DIR] > FILE.csv")
    (ecuador if sys.argv[1] == "ecuador" else usbp)(data_dir())
