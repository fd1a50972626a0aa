#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-screen-script-negatives.py: false alarms of names written in Hebrew or Arabic
script, a set the evaluation (tests/data/screen_hard) does not have: its negatives
are all Latin.

For each script, from the Wikidata transliteration pairs (../shared/data/names/
transliteration, CC0): a list of 5,000 Latin names "SURNAME, Given" drawn at random
from the pairs' Latin side, and 3,000 queries written in the script, each two random
pairs' script forms whose Latin pair is not listed (nobody on the list). Two sets per
script: names alone, and with a random birth date on both sides (as at the booth).
bench_screen_eval reports the queries raised to possible or hit as "hard negatives".

Usage: python3 scripts/gen-screen-script-negatives.py OUTDIR
       build/bench/bench_screen_eval OUTDIR/hebrew   (and hebrew_dob, arabic, arabic_dob)"""
import gzip, json, os, random, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, '..', 'shared', 'data', 'names', 'transliteration')
out = sys.argv[1]
rnd = random.Random(7)

def date():
    return '%04d-%02d-%02d' % (rnd.randint(1940, 2000), rnd.randint(1, 12), rnd.randint(1, 28))

for fam, fn in (('hebrew', 'wd_hebrew_20.tsv.gz'), ('arabic', 'wd_arabic_20.tsv.gz')):
    pairs = []
    with gzip.open(os.path.join(DATA, fn), 'rt', encoding='utf-8') as f:
        for line in f:
            lat, scr, _ = line.rstrip('\n').split('\t')
            if re.fullmatch(r'[a-z]{3,}', lat): pairs.append((lat, scr.replace(' ', '')))
    listed, rows = set(), []
    for i in range(5000):
        a, b = rnd.choice(pairs), rnd.choice(pairs)
        listed |= {(a[0], b[0]), (b[0], a[0])}
        rows.append(('N%d' % i, '%s, %s' % (a[0].upper(), b[0].capitalize())))
    queries = []
    while len(queries) < 3000:
        a, b = rnd.choice(pairs), rnd.choice(pairs)
        if (a[0], b[0]) not in listed: queries.append(b[1] + ' ' + a[1])
    for dob in (False, True):
        d = os.path.join(out, fam + ('_dob' if dob else ''))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'list.csv'), 'w', encoding='utf-8') as f:
            f.write('id,list,name,aliases,birth_date,nationality,documents,reason\n')
            for eid, name in rows:
                f.write('%s,NEG,"%s",,%s,,,\n' % (eid, name, date() if dob else ''))
        with open(os.path.join(d, 'queries.jsonl'), 'w', encoding='utf-8') as f:
            for q in queries:
                f.write(json.dumps({'name': q, 'birth_date': date() if dob else '', 'nationality': '',
                                    'expect': None, 'family': 'script_negative',
                                    'held_out': False}) + '\n')
