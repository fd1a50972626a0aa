// messages.test.mjs: the pages' words are complete in both languages
// (ctest cli.web_messages, through tests/cli/web_messages.sh; node's test
// runner, no browser). It fails when:
//   - a key is in one language and not the other, or its text is empty;
//   - the two texts of a key do not have the same {placeholders};
//   - a page uses a key (data-i18n="...", t('...'), tn('...'), a key in a
//     table of keys) that is not in the catalogue, or a count key lacks its
//     .one / .other forms;
//   - a page's HTML holds visible text that is not under data-i18n (an
//     English sentence added to a page without a translation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = process.env.FR_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(SRC, 'web');
const { MESSAGES } = await import(path.join(WEB, 'assets', 'messages.js'));
const LANGS = Object.keys(MESSAGES);

const read = (p) => fs.readFileSync(p, 'utf8');
const pages = fs.readdirSync(WEB).filter((f) => f.endsWith('.html')).map((f) => path.join(WEB, f))
  .concat(fs.readdirSync(path.join(WEB, 'partials')).map((f) => path.join(WEB, 'partials', f)));
const scripts = fs.readdirSync(path.join(WEB, 'assets')).filter((f) => f.endsWith('.js') && f !== 'messages.js')
  .map((f) => path.join(WEB, 'assets', f));
const NAMESPACES = new Set(Object.keys(MESSAGES.en).map((k) => k.split('.')[0]));
// {name}, and {name|key=text|text} (a choice by the value: the admission reasons' templates)
const placeholders = (s) => [...new Set([...s.matchAll(/\{([a-z_]+)[}|]/g)].map((m) => m[1]))].sort().join(',');

test('both languages are here, with the same keys and nothing empty', () => {
  assert.deepEqual(LANGS.sort(), ['en', 'es']);
  for (const a of LANGS) {
    for (const b of LANGS) {
      if (a === b) continue;
      const missing = Object.keys(MESSAGES[a]).filter((k) => !(k in MESSAGES[b]));
      assert.deepEqual(missing, [], `keys in ${a} without a ${b} text`);
    }
    const empty = Object.entries(MESSAGES[a]).filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k);
    assert.deepEqual(empty, [], `empty ${a} texts`);
  }
});

test('a key has the same placeholders in both languages', () => {
  const bad = Object.keys(MESSAGES.en).filter((k) => k in MESSAGES.es && placeholders(MESSAGES.en[k]) !== placeholders(MESSAGES.es[k]));
  assert.deepEqual(bad, [], 'keys whose {placeholders} differ between en and es');
});

test('Spanish is Spanish: a text identical to the English one is a proper name or a code', () => {
  // Texts that are the same word in both languages.
  const SAME = new Set(['country.COL', 'country.VEN', 'country.CHN', 'country.CHL', 'country.ARG', 'country.CUB',
    'country.ECU', 'country.BOL', 'trav.not_signed_in', 'doctype.V', 'role.supervisor', 'scx.alias']);
  const same = Object.keys(MESSAGES.en).filter((k) => MESSAGES.en[k] === MESSAGES.es[k] && !SAME.has(k));
  assert.deepEqual(same, [], 'keys whose Spanish text is the English one (translate them, or list a proper name here)');
});

// Every comparison the linking scores, as field.level, from its table in
// src/core/linkage.c (what GET /v1/travellers/{id} can send as comparisons).
function linkageLevels() {
  const src = read(path.join(SRC, 'src/core/linkage.c'));
  const table = src.slice(src.indexOf('LEVELS[][2] = {'), src.indexOf('};', src.indexOf('LEVELS[][2] = {')));
  const out = [...table.matchAll(/\{"([a-z_]+)", "([a-z_]+)"\}/g)].map((m) => `${m[1]}.${m[2]}`);
  assert.ok(out.length >= 20, `found only ${out.length} linking comparisons in linkage.c`);
  return out;
}

function usedKeys() {
  const used = new Map(); // key -> where
  const counted = new Set();
  const prefixes = new Map();
  for (const p of pages) {
    const html = read(p);
    for (const m of html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"{]+)"/g)) used.set(m[1], path.basename(p));
    for (const m of html.matchAll(/<!--#include signin\.html heading="([^"]+)"/g)) used.set(m[1], path.basename(p));
  }
  for (const p of scripts) {
    const js = read(p);
    for (const m of js.matchAll(/'([a-z]+(?:\.[A-Za-z0-9_]+)+)'/g)) {
      if (NAMESPACES.has(m[1].split('.')[0]) && !/\.(js|css|svg|html)$/.test(m[1])) used.set(m[1], path.basename(p));
    }
    for (const m of js.matchAll(/\btn\('([a-z_.]+)'/g)) counted.add(m[1]);
    for (const m of js.matchAll(/`([a-z]+)\.\$\{/g)) prefixes.set(m[1], path.basename(p));
  }
  return { used, counted, prefixes };
}

test('every key a page uses is in the catalogue', () => {
  const { used, counted, prefixes } = usedKeys();
  assert.ok(used.size > 150, `found only ${used.size} keys in the pages: is the scan still right?`);
  const missing = [...used].filter(([k]) => !(k in MESSAGES.en) && !counted.has(k)).map(([k, f]) => `${k} (${f})`);
  assert.deepEqual(missing, [], 'keys used by the pages but not in messages.js');
  const forms = [...counted].flatMap((k) => [`${k}.one`, `${k}.other`]).filter((k) => !(k in MESSAGES.en));
  assert.deepEqual(forms, [], 'count keys without their .one/.other forms');
  // Keys built at run time (`level.${x}`): each family holds what the server can send.
  const FAMILIES = {
    level: ['refuse', 'refer', 'warning', 'info'],
    ground: [...'ABCDEFGHI'],
    anomaly: ['exit_without_entry', 'document_mismatch'],
    kind: ['entry', 'exit', 'refusal', 'encounter', 'extension'],
    country: [], metric: ['entries', 'exits', 'refusals', 'encounters'], regime: ['visa_free', 'visa_required', 'free_movement', 'visa_on_arrival', 'evisa', 'eta'],
    class: ['visitor', 'transit', 'crew', 'official'],
    anom: ['exit_without_entry', 'entry_without_exit', 'document_mismatch'],
    doctype: ['P', 'I', 'A', 'C', 'V'],
    role: ['officer', 'supervisor', 'analyst', 'admin', 'carrier', 'post'],
    link: ['document', 'new', 'renewal', 'review'],
    nolink: ['other_nationality', 'names_differ', 'entry_while_in_country'],
    // the linking comparisons (src/core/linkage.c, LEVELS)
    ev: linkageLevels(),
    reason: reasonCodes().map(([code]) => code),
  };
  for (const [prefix, where] of prefixes) {
    assert.ok(prefix in FAMILIES, `${where} builds keys '${prefix}.\${...}': list the family's members in this test`);
    const lacking = FAMILIES[prefix].map((m) => `${prefix}.${m}`).filter((k) => !(k in MESSAGES.en));
    assert.deepEqual(lacking, [], `the ${prefix} family is incomplete`);
  }
});

test('no visible text in the pages outside data-i18n', () => {
  const ALLOWED = new Set(['frontera', '·', 'Español', 'English', '.']);
  for (const p of pages) {
    let html = read(p)
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style|code)\b[^>]*>[\s\S]*?<\/\1>/g, ' ');
    // the content of an element with data-i18n is replaced by the script
    for (let i = 0; i < 5; i++) html = html.replace(/<([a-z0-9]+)\b[^>]*\sdata-i18n="[^"]*"[^>]*>[^<]*<\/\1>/g, ' ');
    const text = html.replace(/<[^>]*>/g, ' ').replace(/\{\{[a-z]+\}\}/g, ' ').split(/\s+/).filter(Boolean);
    const stray = text.filter((w) => !ALLOWED.has(w));
    assert.deepEqual(stray, [], `${path.basename(p)}: text without data-i18n`);
  }
});

// The reason codes and their params, from the table in docs/admission.md
// ("Each reason's parameters"): [[code, Set(params)], ...].
function reasonCodes() {
  const md = read(path.join(SRC, 'docs', 'admission.md'));
  const part = md.split("## Each reason's parameters")[1].split('\n## ')[0];
  const rows = [];
  for (const line of part.split('\n')) {
    const cells = line.split('|');
    if (cells.length < 4 || !cells[1].includes('`')) continue;
    const codes = [...cells[1].matchAll(/`([a-z_]+(?:\.[a-z_]+)+)`/g)].map((m) => m[1]);
    const params = new Set([...cells[2].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
    for (const c of codes) rows.push([c, params]);
  }
  return rows;
}

test('every admission reason code has a template in both languages, with its own params', () => {
  const rows = reasonCodes();
  assert.ok(rows.length >= 45, `found only ${rows.length} reason codes in docs/admission.md: is the table still there?`);
  // the codes of the decision table above it are all in the params table
  const md = read(path.join(SRC, 'docs', 'admission.md'));
  const decided = md.split('## What is checked, in order')[1].split('\n## ')[0];
  const listed = new Set(rows.map(([c]) => c));
  const unlisted = [...decided.matchAll(/`([a-z_]+(?:\.[a-z_]+)+)`/g)].map((m) => m[1]).filter((c) => !listed.has(c));
  assert.deepEqual(unlisted, [], 'reason codes of "What is checked" missing from the params table');
  for (const l of LANGS) {
    const missing = rows.map(([c]) => `reason.${c}`).filter((k) => !(k in MESSAGES[l]));
    assert.deepEqual(missing, [], `reason codes without a ${l} template`);
  }
  for (const [code, params] of rows) {
    const en = MESSAGES.en[`reason.${code}`];
    const es = MESSAGES.es[`reason.${code}`];
    assert.equal(placeholders(es), placeholders(en), `reason.${code}: the placeholders differ between en and es`);
    const unknown = placeholders(en).split(',').filter((p) => p && !params.has(p));
    assert.deepEqual(unknown, [], `reason.${code} uses params docs/admission.md does not list`);
    for (const s of [en, es]) {
      let depth = 0;
      for (const ch of s) {
        depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
        assert.ok(depth >= 0, `reason.${code}: a '}' without its '{'`);
      }
      assert.equal(depth, 0, `reason.${code}: a '{' left open`);
    }
  }
});

test('a reason template is written as the library writes it (fr_admit_reason_format)', async () => {
  // i18n.js reads the browser's language on use only: a stand-in navigator is enough here
  globalThis.navigator ??= { languages: ['en'] };
  const { formatReason } = await import(path.join(WEB, 'assets', 'i18n.js'));
  const en = (code, params) => formatReason(MESSAGES.en[`reason.${code}`], params);
  // the library's English sentences (tests/test_admit.c holds the same ones)
  assert.equal(en('history.no_exit', { entries: '1', last_entry: '2024-05-01' }),
    '1 earlier entry (last on 2024-05-01) has no recorded exit: ask how and when the traveller left.');
  assert.equal(en('history.no_exit', { entries: '3', last_entry: '2024-05-01' }),
    '3 earlier entries (last on 2024-05-01) have no recorded exit: ask how and when the traveller left.');
  assert.equal(en('screening.failed', { failure: '' }), 'Screening could not be done (unknown error): a supervisor decides.');
  assert.equal(en('stay.other_documents', { alone_days: '30', alone_until: '2024-08-01' }).slice(0, 79),
    "Days used on the traveller's other documents leave no day of this stay; on this");
  assert.equal(en('visa.required', { nationality: 'CHN', regime: 'eta', class: 'visitor', since: '2020-01-01', ref: 'L{x}' }),
    'Nationals of CHN need a travel authorisation (ETA) to enter as visitor since 2020-01-01 (L{x}); none was presented.');
  // free text is never read as a template; an unknown name stays as written
  assert.equal(formatReason('A {x} and {y|1=one|many}, {z}', { x: '{y}', y: '1' }), 'A {y} and one, {z}');
  const es = (code, params) => formatReason(MESSAGES.es[`reason.${code}`], params);
  assert.equal(es('history.overstay', { overstays: '1', days: '4' }), 'El viajero excedió su estancia 1 vez antes, 4 días en total.');
});

test('the program\'s reason templates (cmd/frontera/cli_reasons.c) are the pages\' English ones, for the same codes', () => {
  const c = read(path.join(SRC, 'cmd', 'frontera', 'cli_reasons.c'));
  const cli = new Map();
  for (const m of c.matchAll(/\{"([a-z_.]+)",\s*N_\(((?:\s*"(?:[^"\\]|\\.)*")+)\)\}/g)) {
    cli.set(m[1], [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => JSON.parse(`"${s[1]}"`)).join(''));
  }
  const codes = reasonCodes().map(([code]) => code);
  assert.deepEqual([...cli.keys()].sort(), [...new Set(Object.keys(MESSAGES.en).filter((k) => k.startsWith('reason.')).map((k) => k.slice(7)))].sort(),
    'codes with a template in the program and not on the pages, or the reverse');
  for (const code of codes) assert.equal(cli.get(code), MESSAGES.en[`reason.${code}`], `reason.${code}: the program's template differs`);
});

test('a server problem is said again from a translated format and its values, never wrongly', async () => {
  const { fillFormat } = await import(path.join(WEB, 'assets', 'i18n.js'));
  assert.equal(fillFormat('el día %02d no existe en %04d-%02d', ['30', '2024', '02']), 'el día 30 no existe en 2024-02');
  assert.equal(fillFormat('«%.40s» no es %s', ['x', 'y']), '«x» no es y');
  assert.equal(fillFormat('%2$s-%1$s, 100%%', ['a', 'b']), 'b-a, 100%');
  assert.equal(fillFormat('%s y %s', ['a']), null, 'a value the format names is not there');
  assert.equal(fillFormat('solo %s', ['a', 'b']), null, 'a value is left out');
  assert.equal(fillFormat('%zu filas, %lld eventos', ['3', '4']), '3 filas, 4 eventos');
  assert.equal(fillFormat('%0$s', ['a']), null, 'there is no value 0');
  assert.equal(fillFormat('100% de %s', ['a']), null, 'a stray percent sign');
  assert.equal(fillFormat('%1$s y %s', ['a', 'b']), null, 'numbered beside plain');
  assert.equal(fillFormat('%s', [null]), null, 'a value that is not a string');
});

// The phrases of a screening explanation, from their table in
// src/screen/screen_score.c (PHRASES): the English texts of the scx keys
// must be exactly these, so that the pages find each phrase the server writes.
function screenPhrases() {
  const src = read(path.join(SRC, 'src/screen/screen_score.c'));
  const start = src.indexOf('PHRASES[PH_COUNT] = {');
  const table = src.slice(start, src.indexOf('};', start));
  const out = [...table.matchAll(/FR_PHRASE\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.ok(out.length >= 20, `found only ${out.length} screening phrases in screen_score.c`);
  return out;
}

test('a screening explanation is said in Spanish phrase by phrase', async () => {
  const scx = Object.keys(MESSAGES.en).filter((k) => k.startsWith('scx.'));
  assert.deepEqual(scx.map((k) => MESSAGES.en[k]).sort(), screenPhrases().sort(),
    'the scx keys are not the phrases of src/screen/screen_score.c');
  for (const k of scx) assert.ok(typeof MESSAGES.es[k] === 'string' && MESSAGES.es[k] !== '', `${k} has no Spanish`);
  globalThis.localStorage = { getItem: () => 'es', setItem: () => {} };
  const { explanationText } = await import(path.join(WEB, 'assets', 'i18n.js'));
  assert.equal(
    explanationText('name 0.92 (weak alias): WEI=WEI exact; ZANG+LI=ZHANGLI phonetic joined; not given:MING; ' +
      'birth date differs by years; nationality matches; document number E123 matches the listed one'),
    'nombre 0.92 (alias débil): WEI=WEI exacto; ZANG+LI=ZHANGLI fonético unido; no indicado:MING; ' +
      'fecha de nacimiento difiere en años; nacionalidad coincide; número de documento E123 coincide con el de la lista');
  // a name that holds a phrase's letters is not a phrase: upper case, and whole words only
  assert.equal(explanationText('name 1.00 (alias): NAME=NAME exact; nameless'), 'nombre 1.00 (alias): NAME=NAME exacto; nameless');
});
