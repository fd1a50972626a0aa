#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-screen-eval.py: generate the screening evaluation set in tests/data/screen/.

Listed persons come from real lists and real name data (../shared/data):
  - UN Security Council consolidated list (individuals: names, aliases, birth year/date),
  - OFAC SDN list (individuals: "SURNAME, Given", DOB from the remarks),
  - synthetic Chinese persons from the common surname/forename tables (Han + pinyin),
  - synthetic Russian persons from the common surname table (Cyrillic + Latin).
Positives are realistic variants of a listed name, one family per kind of variation;
hard negatives share a listed person's (common) surname but are someone else.
Output: list.csv (watchlist import format) and queries.jsonl, one query per line:
  {"name", "birth_date", "nationality", "expect" (entry id or null), "family"}.
Deterministic (seeded): run `python3 scripts/gen-screen-eval.py` from the repo root.
The variant rules here are written independently of src/screen/namevar.c (Chinese surname
variants come from the data file's own romanised rows, not from the C table)."""
import csv, gzip, json, os, random, re, sys, unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'tests', 'data', 'screen')
rnd = random.Random(20261129)

def strip_acc(s):
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn')

entries = []  # dict(id, name, aliases, birth, nat, family_hint, given, surname, script)

# --- UN consolidated list
un = ET.parse(os.path.join(DATA, 'watchlists/un_sc_consolidated/UN_consolidated_2026-02-27.xml')).getroot()
for ind in un.find('INDIVIDUALS'):
    parts = [(ind.findtext(t) or '').strip() for t in ('FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME')]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not all(re.fullmatch(r"[A-Za-z' .-]+", p) for p in parts):
        continue
    birth = ''
    d = ind.find('INDIVIDUAL_DATE_OF_BIRTH')
    if d is not None:
        if d.findtext('DATE'): birth = d.findtext('DATE')[:10]
        elif d.findtext('YEAR'): birth = d.findtext('YEAR')
    aliases = []
    for a in ind.findall('INDIVIDUAL_ALIAS'):
        n = (a.findtext('ALIAS_NAME') or '').strip()
        if n and a.findtext('QUALITY') == 'Good' and '|' not in n and len(aliases) < 4:
            aliases.append(n)
    entries.append(dict(id='UN-' + ind.findtext('DATAID'), name=' '.join(parts), aliases=aliases,
                        birth=birth, nat='', src='un'))

# --- OFAC SDN individuals
MONTHS = {m: i for i, m in enumerate(['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'], 1)}
with open(os.path.join(DATA, 'watchlists/ofac_sdn_2021-07/sdn.csv'), encoding='latin-1') as f:
    for row in csv.reader(f):
        if len(row) < 12 or row[2].strip() != 'individual': continue
        name = row[1].strip()
        if ',' not in name or not re.fullmatch(r"[A-Za-z' ,.-]+", name): continue
        m = re.search(r'DOB (\d{2}) (\w{3}) (\d{4})', row[11])
        birth = '%s-%02d-%s' % (m.group(3), MONTHS.get(m.group(2), 1), m.group(1)) if m and m.group(2) in MONTHS else ''
        if not birth:
            m = re.search(r'DOB (\d{4})', row[11])
            birth = m.group(1) if m else ''
        entries.append(dict(id='OFAC-' + row[0].strip(), name=name, aliases=[], birth=birth, nat='', src='ofac'))

rnd.shuffle(entries)
entries = entries[:900]

# --- synthetic Chinese and Russian persons from the name tables
cn_sur = {}  # rank -> list of (han, romanised)
with open(os.path.join(DATA, 'names/common-surnames-by-country.csv'), encoding='utf-8-sig') as f:
    rows = list(csv.DictReader(f))
for r in rows:
    if r['Country'] == 'CN': cn_sur.setdefault(r['Rank'], []).append((r['Localized Name'], strip_acc(r['Romanized Name'])))
ru_sur = [(r['Localized Name'], r['Romanized Name']) for r in rows if r['Country'] == 'RU' and r['Localized Name']]
with open(os.path.join(DATA, 'names/common-forenames-by-country.csv'), encoding='utf-8-sig') as f:
    frows = list(csv.DictReader(f))
cn_given = [(r['Localized Name'], strip_acc(r['Romanized Name'])) for r in frows if r['Country'] == 'CN' and r['Localized Name']]
ru_given = [r['Romanized Name'] for r in frows if r['Country'] == 'RU']

def rdate():
    return '%04d-%02d-%02d' % (rnd.randint(1950, 2000), rnd.randint(1, 12), rnd.randint(1, 28))

for i in range(150):
    rank = rnd.choice(sorted(cn_sur))
    han, pin = cn_sur[rank][0]
    gh, gp = rnd.choice(cn_given)
    if not han: continue
    entries.append(dict(id='SYN-CN-%d' % i, name='%s, %s' % (pin.upper(), gp), aliases=[han + gh], birth=rdate(),
                        nat='CHN', src='cn', rank=rank, given=gp, surname=pin, han=(han, gh)))
for i in range(100):
    cyr, lat = rnd.choice(ru_sur)
    g = rnd.choice(ru_given)
    entries.append(dict(id='SYN-RU-%d' % i, name='%s, %s' % (lat.upper(), g), aliases=[], birth=rdate(),
                        nat='RUS', src='ru', given=g, surname=lat, cyr=cyr))

# --- variants (one family per kind)
ARABIC = [('MUHAMMAD', ['MOHAMMED', 'MOHAMED', 'MOHAMMAD']), ('MOHAMMED', ['MUHAMMAD', 'MOHAMED']),
          ('MOHAMMAD', ['MUHAMMAD', 'MOHAMED']), ('MOHAMED', ['MUHAMMAD', 'MOHAMMED']),
          ('AHMED', ['AHMAD']), ('AHMAD', ['AHMED']), ('ABDUL ', ['ABD AL-', 'ABDEL ']), ('ABD AL-', ['ABDUL ']),
          ('ABDEL ', ['ABDUL ']), ('BIN ', ['IBN ']), ('IBN ', ['BIN ']), ('HUSSEIN', ['HUSAYN', 'HUSSAIN']),
          ('HUSAYN', ['HUSSEIN']), ('YUSUF', ['YOUSSEF']), ('OMAR', ['UMAR']), ('UMAR', ['OMAR']),
          ('HASAN', ['HASSAN']), ('HASSAN', ['HASAN']), ('KHALID', ['KHALED']), ('MUSTAFA', ['MOSTAFA'])]
SLAVIC_END = [(r'OV\b', 'OFF'), (r'EV\b', 'YEV'), (r'EV\b', 'IEV'), (r'SKIY\b', 'SKY'), (r'SKII\b', 'SKIY'),
              (r'\bYU', 'IU'), (r'\bALEKSANDR\b', 'ALEXANDER'), (r'\bALEXANDER\b', 'ALEKSANDR'),
              (r'\bSERGEY\b', 'SERGEI'), (r'\bDMITRIY\b', 'DMITRY'), (r'\bYURIY\b', 'YURI'), (r'\bANDREY\b', 'ANDREI')]
CYR = [('shch', 'щ'), ('zh', 'ж'), ('kh', 'х'), ('ts', 'ц'), ('ch', 'ч'), ('sh', 'ш'), ('yu', 'ю'), ('ya', 'я'),
       ('yo', 'ё'), ('ye', 'е'), ('iy', 'ий'), ('yy', 'ый'), ('a', 'а'), ('b', 'б'), ('v', 'в'), ('g', 'г'),
       ('d', 'д'), ('e', 'е'), ('z', 'з'), ('i', 'и'), ('y', 'й'), ('k', 'к'), ('l', 'л'), ('m', 'м'),
       ('n', 'н'), ('o', 'о'), ('p', 'п'), ('r', 'р'), ('s', 'с'), ('t', 'т'), ('u', 'у'), ('f', 'ф')]
PARTICLES = ['AL-', 'AL ', 'EL ', 'DE ', 'DA ', 'VAN ', 'VON ', 'DEL ', 'DOS ']

def to_cyr(s):
    out, s = '', s.lower()
    i = 0
    while i < len(s):
        for a, b in CYR:
            if s.startswith(a, i):
                out += b; i += len(a); break
        else:
            out += s[i]; i += 1
    return out

def tokens(name):
    return re.sub(r'[^A-Z ]', ' ', name.upper().replace("'", '')).split()

def typo(name, edits):
    toks = name.split(' ')
    cand = [i for i, t in enumerate(toks) if len(re.sub('[^A-Za-z]', '', t)) >= (9 if edits == 2 else 5)]
    if not cand: return None
    i = rnd.choice(cand)
    t = toks[i]
    for _ in range(edits):
        p = rnd.randrange(1, len(t) - 1)
        op = rnd.choice(['sub', 'del', 'swap'])
        if op == 'sub': t = t[:p] + rnd.choice('AEIOURNST') + t[p + 1:]
        elif op == 'del': t = t[:p] + t[p + 1:]
        else: t = t[:p - 1] + t[p] + t[p - 1] + t[p + 1:]
    toks[i] = t
    v = ' '.join(toks)
    return v if v.upper() != name.upper() else None

def variants(e):
    name = e['name']
    up = name.upper()
    toks = tokens(name)
    sur, giv = (name.split(',', 1) + [''])[:2] if ',' in name else (None, None)
    out = [('exact', name)]
    if sur and giv.strip():
        out.append(('order_swap', '%s %s' % (giv.strip(), sur.strip())))
        out.append(('mrz_format', '%s<<%s' % (sur.strip().upper().replace(' ', '<').replace('-', '<'),
                                              giv.strip().upper().replace(' ', '<').replace('-', '<'))))
        mrz = out[-1][1]
        if len(mrz) > 22 and len(giv.strip()) > 4:
            cut = max(len(sur) + 2 + 3, min(len(mrz) - 2, 30))
            if cut < len(mrz) and mrz[cut - 1] != '<' and mrz[cut] != '<':
                out.append(('mrz_truncation', mrz[:cut]))
    if len(toks) >= 3:
        # missing middle name: drop one given name that is neither first nor last
        k = rnd.randrange(1, len(toks) - 1)
        out.append(('missing_middle', ' '.join(toks[:k] + toks[k + 1:])))
    if len(toks) >= 3:
        k = rnd.randrange(0, len(toks) - 1)
        if len(toks[k]) + len(toks[k + 1]) < 20 and toks[k] not in ('AL', 'EL', 'BIN'):
            out.append(('joined_split', ' '.join(toks[:k] + [toks[k] + toks[k + 1]] + toks[k + 2:])))
    for a, bs in ARABIC:
        if re.search(r'\b' + a.strip(), up):
            out.append(('arabic', re.sub(r'\b' + re.escape(a), rnd.choice(bs), up, count=1)))
            break
    for pat, rep in SLAVIC_END:
        if re.search(pat, up):
            out.append(('slavic', re.sub(pat, rep, up, count=1)))
            break
    for p in PARTICLES:
        if re.search(r'\b' + re.escape(p), up):
            choice = rnd.choice(['drop', 'join'])
            v = re.sub(r'\b' + re.escape(p), '' if choice == 'drop' else p.strip(' -'), up, count=1)
            out.append(('particles', v))
            break
    t1 = typo(name, 1)
    if t1: out.append(('typo1', t1))
    t2 = typo(name, 2)
    if t2: out.append(('typo2', t2))
    if e['src'] == 'cn':
        alts = [r for h, r in cn_sur[e['rank']][1:] if r]
        if alts:
            out.append(('chinese_romanisation', '%s %s' % (rnd.choice(alts).upper(), e['given'])))
        out.append(('han_script', e['han'][0] + e['han'][1]))
        syl = re.findall(r'[^aeiou]*[aeiou]+(?:ng|n|r)?(?![aeiou])', e['given'].lower())
        if len(syl) == 2:
            out.append(('joined_split', '%s, %s %s' % (e['surname'].upper(), syl[0], syl[1])))
    if e['src'] == 'ru':
        out.append(('cyrillic_script', '%s %s' % (e['cyr'], to_cyr(e['given']))))
    accented = up.replace('E', 'É', 1).replace('A', 'Á', 1).lower()
    out.append(('case_diacritics', accented))
    return out

queries = []
for e in entries:
    for fam, v in variants(e):
        with_dob = rnd.random() < 0.5 and e['birth']
        q = dict(name=v, birth_date=e['birth'] if with_dob else '', nationality=e['nat'] if rnd.random() < 0.5 else '',
                 expect=e['id'], family=fam)
        queries.append(q)

# --- hard negatives: a listed person's surname, someone else's given names and birth date
all_given = [r['Romanized Name'] for r in frows if r['Romanization'] == 'N' and re.fullmatch(r'[A-Za-z]+', r['Romanized Name'])]
for e in entries:
    toks = tokens(e['name'])
    if ',' in e['name']:
        sur = e['name'].split(',')[0].strip()
    else:
        sur = toks[-1]
    g1, g2 = rnd.choice(all_given), rnd.choice(all_given)
    if g1.upper() in toks or g2.upper() in toks: continue
    queries.append(dict(name='%s, %s %s' % (sur, g1, g2), birth_date=rdate(), nationality='', expect=None,
                        family='hard_negative'))

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, 'list.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['id', 'list', 'name', 'aliases', 'birth_date', 'nationality', 'documents', 'reason'])
    for e in entries:
        w.writerow([e['id'], 'EVAL', e['name'], '|'.join(e['aliases']), e['birth'], e['nat'], '', e['src']])
with open(os.path.join(OUT, 'queries.jsonl'), 'w', encoding='utf-8') as f:
    for q in queries:
        f.write(json.dumps(q, ensure_ascii=False) + '\n')
fams = {}
for q in queries: fams[q['family']] = fams.get(q['family'], 0) + 1
print('entries %d, queries %d: %s' % (len(entries), len(queries), ', '.join('%s %d' % kv for kv in sorted(fams.items()))))
