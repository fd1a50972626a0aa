#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-name-variants.py: write src/screen/namevar_gen.inc, the romanisation tables
of the screening's variant keys, from data rather than hand lists.

Sources (Debian packages, read at generation time only; the output is committed):
  - Unihan (unicode-data: /usr/share/unicode/Unihan_Readings.txt.bz2, Unicode
    licence): kMandarin (Pinyin), kCantonese (Jyutping), kHangul (the Korean
    reading) and kDefinition (which characters are surnames).
Tables written:
  1. Chinese surname groups: for every Han character Unihan calls a surname, its
     Pinyin (canonical), Wade-Giles and Yale (both derived from the Pinyin by the
     systems' published correspondence tables, encoded below), the Hong Kong
     government Cantonese romanisation (derived from the Jyutping by the HK
     conventions encoded below) and the Jyutping itself.
  2. Korean surname groups: the same characters' Hangul readings in Revised
     Romanisation (canonical), McCune-Reischauer (ASCII, breves dropped), and the
     popular spellings of the most common surnames (KIM, LEE, PARK, CHOI, JUNG ...,
     written from general knowledge: no permissively licensed survey is available
     offline).
  3. Syllable classes for tokens that join several syllables (Jinping, Chin-p'ing
     written CHINPING, Jeongeun / Chongun): every Pinyin, Wade-Giles and Yale
     syllable to its Wade-Giles form, every Revised and McCune-Reischauer syllable
     of the Hangul readings to its McCune-Reischauer form.
The spelling rules of namevar.c are applied by the C code when the tables load, so
the table holds spellings as people write them. Run from the repo root:
  python3 scripts/gen-name-variants.py"""
import bz2, os, re, unicodedata
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNIHAN = '/usr/share/unicode/Unihan_Readings.txt.bz2'

def strip(s):
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn')

read = defaultdict(dict)
with bz2.open(UNIHAN, 'rt', encoding='utf-8') as f:
    for line in f:
        if line.startswith('#') or not line.strip(): continue
        cp, key, val = line.rstrip('\n').split('\t')
        if key in ('kMandarin', 'kCantonese', 'kHangul', 'kDefinition', 'kVietnamese'):
            read[chr(int(cp[2:], 16))][key] = val

def pinyin_plain(p):
    p = p.replace('ü', 'v').replace('Ü', 'v')
    return strip(p).lower()

# ---- Pinyin -> Wade-Giles (apostrophes dropped: frontera's tokens have none)
WG_SPECIAL = {'zhi': 'chih', 'chi': 'chih', 'shi': 'shih', 'ri': 'jih', 'zi': 'tzu', 'ci': 'tzu',
              'si': 'ssu', 'er': 'erh', 'you': 'yu', 'yan': 'yen', 'ye': 'yeh', 'yong': 'yung',
              'yu': 'yu', 'yue': 'yueh', 'yuan': 'yuan', 'yun': 'yun', 'e': 'o', 'ge': 'ko',
              'ke': 'ko', 'he': 'ho', 'lve': 'lueh', 'nve': 'nueh', 'lv': 'lu', 'nv': 'nu'}
WG_INIT = [('zh', 'ch'), ('ch', 'ch'), ('sh', 'sh'), ('b', 'p'), ('p', 'p'), ('m', 'm'), ('f', 'f'),
           ('d', 't'), ('t', 't'), ('n', 'n'), ('l', 'l'), ('g', 'k'), ('k', 'k'), ('h', 'h'),
           ('j', 'ch'), ('q', 'ch'), ('x', 'hs'), ('r', 'j'), ('z', 'ts'), ('c', 'ts'), ('s', 's'),
           ('y', 'y'), ('w', 'w'), ('', '')]

def split_init(p):
    for i, _ in WG_INIT:
        if i and p.startswith(i): return i, p[len(i):]
    return '', p

def to_wg(p):
    if p in WG_SPECIAL: return WG_SPECIAL[p]
    i, f = split_init(p)
    wi = dict(WG_INIT)[i]
    if i in ('j', 'q', 'x'):
        f = {'u': 'u', 'ue': 'ueh', 'un': 'un', 'uan': 'uan'}.get(f, f)
    if f == 'uo' and i not in ('g', 'k', 'h', 'sh'): f = 'o'
    f = re.sub(r'iong$', 'iung', f)
    f = re.sub(r'ong$', 'ung', f)
    f = re.sub(r'ian$', 'ien', f)
    f = re.sub(r'ie$', 'ieh', f)
    if f == 'ui': f = 'uei' if i not in ('h',) else 'ui'
    if f == 'e' and i in ('g', 'k', 'h'): f = 'o'
    f = f.replace('v', 'u')
    return wi + f

# ---- Pinyin -> Yale (Mandarin)
YALE_SPECIAL = {'zhi': 'jr', 'chi': 'chr', 'shi': 'shr', 'ri': 'r', 'zi': 'dz', 'ci': 'tsz', 'si': 'sz',
                'er': 'er', 'you': 'you', 'yan': 'yan', 'ye': 'ye', 'yong': 'yung', 'yu': 'yu',
                'yue': 'ywe', 'yuan': 'ywan', 'yun': 'yun'}
YALE_INIT = {'zh': 'j', 'ch': 'ch', 'sh': 'sh', 'j': 'j', 'q': 'ch', 'x': 'sy', 'z': 'dz', 'c': 'ts',
             'r': 'r'}

def to_yale(p):
    if p in YALE_SPECIAL: return YALE_SPECIAL[p]
    i, f = split_init(p)
    yi = YALE_INIT.get(i, i)
    if i in ('j', 'q', 'x') and f.startswith('u'): f = 'yu' + f[1:]  # u is u-umlaut there
    f = {'iu': 'you', 'ui': 'wei', 'uo': 'wo', 'un': 'wun', 'ao': 'au', 'iao': 'yau',
         'iong': 'yung'}.get(f, f)
    f = re.sub(r'^i(?=[aeo])', 'y', f)
    f = re.sub(r'^u(?=[aeo])', 'w', f)
    f = re.sub(r'ong$', 'ung', f)
    f = f.replace('v', 'yu')
    return yi + f

# ---- Jyutping -> Hong Kong government romanisation
HK_INIT = {'b': 'p', 'p': 'p', 'm': 'm', 'f': 'f', 'd': 't', 't': 't', 'n': 'n', 'l': 'l', 'g': 'k',
           'k': 'k', 'ng': 'ng', 'h': 'h', 'gw': 'kw', 'kw': 'kw', 'w': 'w', 'z': 'ch', 'c': 'ch',
           's': 's', 'j': 'y', '': ''}
HK_FINAL = {'aa': 'a', 'aai': 'ai', 'aau': 'au', 'aam': 'am', 'aan': 'an', 'aang': 'ang', 'aap': 'ap',
            'aat': 'at', 'aak': 'ak', 'ai': 'ai', 'au': 'au', 'am': 'am', 'an': 'an', 'ang': 'ang',
            'ap': 'ap', 'at': 'at', 'ak': 'ak', 'e': 'e', 'ei': 'ei', 'eu': 'eu', 'em': 'em',
            'eng': 'eng', 'ep': 'ep', 'ek': 'ek', 'i': 'i', 'iu': 'iu', 'im': 'im', 'in': 'in',
            'ing': 'ing', 'ip': 'ip', 'it': 'it', 'ik': 'ik', 'o': 'o', 'oi': 'oi', 'ou': 'o',
            'on': 'on', 'ong': 'ong', 'ot': 'ot', 'ok': 'ok', 'u': 'oo', 'ui': 'ui', 'un': 'oon',
            'ung': 'ung', 'ut': 'ut', 'uk': 'uk', 'oe': 'oe', 'oeng': 'eung', 'oek': 'euk',
            'eoi': 'ui', 'eon': 'un', 'eot': 'ut', 'yu': 'u', 'yun': 'uen', 'yut': 'uet', 'm': 'm',
            'ng': 'ng'}

def to_hk(j):
    j = re.sub(r'\d$', '', j)
    if j in ('m', 'ng'): return [j]
    init = ''
    for i in sorted(HK_INIT, key=len, reverse=True):
        if i and j.startswith(i) and j[len(i):] in HK_FINAL:
            init = i
            break
    f = j[len(init):]
    if f not in HK_FINAL: return []
    hi, hf = HK_INIT[init], HK_FINAL[f]
    out = []
    if init == 'j' and f.startswith('yu'): hi = 'y'
    if f == 'i' and init in ('z', 'c', 's'):
        out += [{'z': 'tsz', 'c': 'tsz', 's': 'sze'}[init], hi + 'i']
    elif f == 'ei' and init == 'l':
        out += ['lee', 'li']
    elif f == 'au' and init in ('z', 'c'):
        out += ['chow', 'chau']
    elif f == 'ou' and init in ('g', 'h', 'd', 't', 'l', 'n', 'm', 's', 'z', 'c'):
        out += [hi + 'o', hi + 'oh']
    else:
        out.append(hi + hf)
    if init in ('z', 'c') and f != 'i':
        out.append('ts' + hf)
    if init == 'j' and f == 'i': out = ['yee', 'yi']
    return out

# ---- Jyutping -> Macau government romanisation (Portuguese-based: W as V, J as I,
# -AU as -AO, -IU as -IO, -UNG as -ONG, -OENG as -EONG, -EOI as -OI, -ENG as -EANG,
# GW as KU: 黃 VONG, 楊 IEONG, 劉 LAO, 趙 CHIO, 馮 FONG, 梁 LEONG, 許 HOI, 鄭 CHEANG,
# 郭 KUOK). Spellings of one letter are left out (余 U): a lone letter is an initial.
MO_INIT = {'b': 'p', 'p': 'p', 'm': 'm', 'f': 'f', 'd': 't', 't': 't', 'n': 'n', 'l': 'l', 'g': 'k',
           'k': 'k', 'ng': 'ng', 'h': 'h', 'gw': 'ku', 'kw': 'ku', 'w': 'v', 'z': 'ch', 'c': 'ch',
           's': 's', 'j': 'i', '': ''}
MO_FINAL = {'aa': 'a', 'aai': 'ai', 'aau': 'ao', 'aam': 'am', 'aan': 'an', 'aang': 'ang', 'aap': 'ap',
            'aat': 'at', 'aak': 'ak', 'ai': 'ai', 'au': 'ao', 'am': 'am', 'an': 'an', 'ang': 'ang',
            'ap': 'ap', 'at': 'at', 'ak': 'ak', 'e': 'e', 'ei': 'ei', 'eu': 'eu', 'em': 'em',
            'eng': 'eang', 'ep': 'ep', 'ek': 'eak', 'i': 'i', 'iu': 'io', 'im': 'im', 'in': 'in',
            'ing': 'eng', 'ip': 'ip', 'it': 'it', 'ik': 'ek', 'o': 'o', 'oi': 'oi', 'ou': 'ou',
            'on': 'on', 'ong': 'ong', 'ot': 'ot', 'ok': 'ok', 'u': 'u', 'ui': 'ui', 'un': 'un',
            'ung': 'ong', 'ut': 'ut', 'uk': 'ok', 'oe': 'oe', 'oeng': 'eong', 'oek': 'eok',
            'eoi': 'oi', 'eon': 'on', 'eot': 'ot', 'yu': 'u', 'yun': 'un', 'yut': 'ut'}

def to_macau(j):
    j = re.sub(r'\d$', '', j)
    for i in sorted(MO_INIT, key=len, reverse=True):
        if j.startswith(i) and j[len(i):] in MO_FINAL:
            mi, mf = MO_INIT[i], MO_FINAL[j[len(i):]]
            if i == 'j' and mf[0] in 'iu': mi = ''  # 葉 IP, 姚 IO, 余 U
            if i == 'w' and mf[0] == 'u': mi = ''   # 胡 U
            s = mi + mf
            return [s] if len(s) > 1 else []
    return []

# ---- Hangul -> Revised Romanisation and McCune-Reischauer (syllable by syllable)
L_RR = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h']
L_MR = ['k', 'kk', 'n', 't', 'tt', 'r', 'm', 'p', 'pp', 's', 'ss', '', 'ch', 'tch', 'ch', 'k', 't', 'p', 'h']
V_RR = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we',
        'wi', 'yu', 'eu', 'ui', 'i']
V_MR = ['a', 'ae', 'ya', 'yae', 'o', 'e', 'yo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we',
        'wi', 'yu', 'u', 'ui', 'i']
T_RR = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p',
        't', 't', 'ng', 't', 't', 'k', 't', 'p', 't']
T_MR = T_RR

def hangul(s, L, V, T):
    out = ''
    for ch in s:
        c = ord(ch) - 0xAC00
        if not 0 <= c < 11172: return None
        l, v, t = c // 588, (c % 588) // 28, c % 28
        out += L[l] + V[v] + T[t]
    return out

def korean_surname(h):
    rr = hangul(h, L_RR, V_RR, T_RR)
    mr = hangul(h, L_MR, V_MR, T_MR)
    # a surname is written as if it began a word: initial r -> (n)/(), MR initial r -> r/n
    if rr and rr.startswith('r'): rr = rr[1:] if rr[1:2] in ('i', 'y') else 'n' + rr[1:]
    return rr, mr

POPULAR_KR = {  # RR: popular spellings (general knowledge; see the docstring)
    'gim': 'kim ghim', 'i': 'lee yi rhee ri li', 'bak': 'park pak bark', 'choe': 'choi choy',
    'jeong': 'jung chung chong joung', 'gang': 'kang', 'jo': 'cho joe', 'yun': 'yoon youn',
    'jang': 'chang', 'im': 'lim yim rim', 'han': 'hahn', 'o': 'oh', 'seo': 'suh so', 'sin': 'shin',
    'gwon': 'kwon', 'hwang': 'whang', 'an': 'ahn', 'song': 'soong', 'yu': 'yoo ryu you',
    'jeon': 'jun chun chon', 'hong': 'hong', 'go': 'ko koh', 'mun': 'moon', 'yang': 'ryang',
    'son': 'sohn', 'bae': 'pae', 'baek': 'paik paek back', 'heo': 'huh hur', 'nam': 'nahm',
    'no': 'noh roh ro', 'ha': 'hah', 'gwak': 'kwak', 'seong': 'sung', 'cha': 'char',
    'ju': 'joo chu choo', 'u': 'woo', 'gu': 'koo ku', 'min': 'min', 'na': 'ra', 'jin': 'chin',
    'ji': 'chi jee', 'eom': 'um uhm', 'chae': 'chai', 'won': 'weon', 'cheon': 'chun',
    'bang': 'pang', 'gong': 'kong', 'hyeon': 'hyun', 'byeon': 'byun pyun', 'yeom': 'yum',
    'yeo': 'yoh', 'chu': 'choo', 'do': 'doh', 'seok': 'suk', 'seon': 'sun', 'seol': 'sul',
    'gil': 'kil', 'yeon': 'yun', 'myeong': 'myung', 'gi': 'ki kee', 'ban': 'pan', 'geum': 'keum kum',
    'ryu': 'yoo yu lyu', 'ra': 'na'}

# ---- the tables
# name particles of namevar.c (DO, LE are also Vietnamese surnames, 杜 and 黎, but a
# particle weighs little and would tie DE, LA ... to Chinese names)
PARTICLES = set('AL AS AD AR ASH AZ EL UL DE DA DI DO DU DOS DAS DEL DELLA DER DEN LA LE VAN VON '
                'TER TEN Y E BIN IBN BEN BINT BENT'.split())
groups = []
kr_groups = {}
# Unihan's kDefinition calls few of the most common Chinese surnames' characters a
# surname either (張 is "stretch, extend", 高 "high"): the 100 most frequent
# surnames of the People's Republic (Ministry of Public Security household
# register ranking, 2020), in their traditional characters, are read directly.
CN_COMMON = ('王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘于蔣蔡余'
             '杜葉程蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋傅方白鄒孟熊秦邱江尹薛閻段雷侯龍史'
             '陶黎賀顧毛郝龔邵萬錢嚴覃武戴莫孔向湯')
surname_chars = [c for c, r in read.items() if 'surname' in r.get('kDefinition', '') and 'kMandarin' in r]
# the common surnames first, by rank: a spelling in more groups than a token has
# keys (CHIO: 趙, 潮, 喬) keeps those of the more frequent surnames
cn_chars = [c for c in CN_COMMON if 'kMandarin' in read[c]]
cn_chars += sorted(set(surname_chars) - set(cn_chars))
for c in cn_chars:
    r = read[c]
    py = pinyin_plain(r['kMandarin'].split()[0])
    spell = [py, to_wg(py), to_yale(py)]
    for j in r.get('kCantonese', '').split():
        spell += to_hk(j) + [re.sub(r'\d$', '', j)]  # the HK form and Jyutping itself
        spell += to_macau(j)
    for v in r.get('kVietnamese', '').split():  # Vietnamese (Sino-Vietnamese) reading
        v = strip(v.replace('đ', 'd').replace('Đ', 'D'))
        if len(v) > 1 and v.upper() not in PARTICLES: spell.append(v)
    seen = []
    for s in spell:
        s = s.upper()
        if s and s not in seen: seen.append(s)
    if len(seen) > 1: groups.append(' '.join(seen))
for c in sorted(surname_chars):
    r = read[c]
    for hg in r.get('kHangul', '').split():
        h = hg.split(':')[0]
        rr, mr = korean_surname(h)
        if not rr: continue
        g = kr_groups.setdefault(rr, [rr])
        for s in [mr] + POPULAR_KR.get(rr, '').split():
            if s and s not in g: g.append(s)
# Unihan's kDefinition calls few of the most common Korean surnames' characters a
# surname (金 is "gold", 徐 "slowly"): the Hangul of the surnames with popular
# spellings above (Statistics Korea's most frequent surnames, 2015 census) are read
# directly, so SEO/SUH, GWON/KWON, AN/AHN, MUN/MOON ... are grouped too.
KR_COMMON = ('김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 유 전 홍 고 문 양 손 배 백 허 '
             '남 노 하 곽 성 차 주 우 구 민 나 진 지 엄 채 원 천 방 공 현 변 염 여 추 도 석 선 설 '
             '길 연 명 기 반 금 류 라').split()
# Beside RR and MR, Koreans write a surname's sounds with the letters of either
# system and of English: a plain initial as voiced or voiceless (G/K, D/T, B/P,
# J/CH), and some vowels in the English way (ㅓ U, ㅜ OO, ㅡ U, ㅐ AI, ㅣ EE,
# ㅕ YU, ㅚ OI). Every combination of these, syllable by syllable, for the
# common surnames' Hangul.
KR_L_ALT = {'g': ['g', 'k'], 'd': ['d', 't'], 'b': ['b', 'p'], 'j': ['j', 'ch']}
KR_V_ALT = {'eo': ['eo', 'u', 'o'], 'u': ['u', 'oo'], 'eu': ['eu', 'u'], 'ae': ['ae', 'ai'],
            'i': ['i', 'ee'], 'yeo': ['yeo', 'yu', 'yo'], 'oe': ['oe', 'oi'], 'wo': ['wo', 'uo']}

def korean_spellings(h):
    c = ord(h) - 0xAC00
    if len(h) != 1 or not 0 <= c < 11172: return []
    l, v, t = c // 588, (c % 588) // 28, c % 28
    out = []
    for a in KR_L_ALT.get(L_RR[l], [L_RR[l]]):
        for b in KR_V_ALT.get(V_RR[v], [V_RR[v]]):
            out.append(a + b + T_RR[t])
    return out

for h in KR_COMMON:
    rr, mr = korean_surname(h)
    if h == '류': rr = 'ryu'  # written Ryu or Yu in the South
    if h == '라': rr = 'ra'
    g = kr_groups.setdefault(rr, [rr])
    for s in [mr] + POPULAR_KR.get(rr, '').split() + korean_spellings(h):
        if s and s not in g: g.append(s)
kr_out = [' '.join(s.upper() for s in g) for rr, g in sorted(kr_groups.items()) if len(g) > 1]

# syllable -> class: Pinyin, Wade-Giles and Yale syllables to the Wade-Giles form
# (aspiration marks dropped, so one ASCII class per sound); Revised and
# McCune-Reischauer syllables of Korean readings to the McCune-Reischauer form.
syll = {}
pinyin_sylls = set()
for c, r in read.items():
    for p in r.get('kMandarin', '').split():
        pinyin_sylls.add(pinyin_plain(p))
for p in sorted(pinyin_sylls):
    wg = to_wg(p).upper()
    for v in (p, to_wg(p), to_yale(p)):
        cl = syll.setdefault(v.upper(), [])
        if wg not in cl: cl.append(wg)
hangul_sylls = set()
for c, r in read.items():
    for hg in r.get('kHangul', '').split():
        hangul_sylls.add(hg.split(':')[0])
for h in sorted(hangul_sylls):
    rr, mr = hangul(h, L_RR, V_RR, T_RR), hangul(h, L_MR, V_MR, T_MR)
    if rr and mr:
        for v in (rr, mr):
            cl = syll.setdefault(v.upper(), [])
            if mr.upper() not in cl: cl.append(mr.upper())

def cstr_lines(items, indent='    '):
    return '\n'.join('%s"%s",' % (indent, s) for s in items)

out = ['/* SPDX-License-Identifier: MIT */',
       '/* namevar_gen.inc: romanisation tables generated by scripts/gen-name-variants.py',
       ' * from Unihan (kMandarin, kCantonese, kHangul, kDefinition); do not edit. See the',
       ' * script for the systems and sources. Included by namevar.c. */', '',
       '/* %d Chinese surname groups: Pinyin first, then its variants; the most frequent' % len(groups),
       ' * surnames first, by rank (a token in more groups than it has keys keeps the first). */',
       'static const char *const NV_GEN_GROUPS[] = {', cstr_lines(groups), '};', '',
       '/* %d Korean surname groups: Revised Romanisation first, then McCune-Reischauer and the' % len(kr_out),
       ' * popular spellings. Apart from the Chinese groups so a token in both (KO: Chinese GAO,',
       ' * Korean GO) keeps its Korean key whatever the Chinese groups claim. */',
       'static const char *const NV_GEN_KR_GROUPS[] = {', cstr_lines(kr_out), '};', '',
       '/* %d syllables, sorted: "SPELLING CLASS [CLASS2]". Pinyin, Wade-Giles and Yale syllables' % len(syll),
       ' * have their Wade-Giles form as class, Korean Revised and McCune-Reischauer',
       ' * syllables their McCune-Reischauer form (a spelling in both: two classes): a token that joins several syllables',
       ' * (JINPING, CHINPING; JEONGEUN, CHONGUN) gets the classes joined as a key. */',
       'static const char *const NV_GEN_SYLLABLES[] = {',
       cstr_lines('%s %s' % (k, ' '.join(v[:2])) for k, v in sorted(syll.items())), '};', '']
open(os.path.join(ROOT, 'src', 'screen', 'namevar_gen.inc'), 'w').write('\n'.join(out))
print('groups %d, Korean groups %d, syllables %d' % (len(groups), len(kr_out), len(syll)))
