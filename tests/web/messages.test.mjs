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
const placeholders = (s) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort().join(',');

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
    'country.ECU', 'country.BOL', 'trav.not_signed_in']);
  const same = Object.keys(MESSAGES.en).filter((k) => MESSAGES.en[k] === MESSAGES.es[k] && !SAME.has(k));
  assert.deepEqual(same, [], 'keys whose Spanish text is the English one (translate them, or list a proper name here)');
});

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
