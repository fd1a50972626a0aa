// i18n.js: the pages' language. English and Spanish (Ecuador's formats);
// the words are in messages.js, one key per text, the same keys in both.
//
// The language is the user's choice when they made one (the switch in the
// page header, kept in localStorage as frontera.lang, so an officer's booth
// keeps it), else the browser's first preference that is Spanish or English,
// else English. Static text in the pages carries data-i18n="key" (its text),
// data-i18n-aria-label / -title / -placeholder (an attribute); scripts call
// t('key', {name: value}) with {name} placeholders in the text. Codes and
// JSON members from the server stay as they are; an admission reason is
// written from its code and params (reasonText); other text the server wrote
// in English (alert messages, a reason with no template) is shown marked
// lang="en".
import { MESSAGES } from './messages.js';

const LANG_KEY = 'frontera.lang';
export const LANGS = ['es', 'en'];

function browserLang() {
  for (const l of navigator.languages || [navigator.language || '']) {
    const base = String(l).toLowerCase().slice(0, 2);
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

let current = null;

export function lang() {
  if (current) return current;
  let chosen = null;
  try {
    chosen = localStorage.getItem(LANG_KEY);
  } catch {
    chosen = null;
  }
  current = LANGS.includes(chosen) ? chosen : browserLang();
  return current;
}

// Remember the choice and show the page again in that language.
export function setLang(l) {
  if (!LANGS.includes(l)) return;
  localStorage.setItem(LANG_KEY, l);
  current = l;
  location.reload();
}

// The locale for dates and numbers: Ecuador's for Spanish.
export const locale = () => (lang() === 'es' ? 'es-EC' : 'en-GB');

// The text for key, with {name} replaced by vars.name. A key missing from
// the language falls back to English and is reported on the console (the
// catalogue test, tests/web/messages.test.mjs, keeps both complete).
export function t(key, vars) {
  const table = MESSAGES[lang()] || MESSAGES.en;
  let s = table[key];
  if (s === undefined) {
    console.warn(`frontera: no ${lang()} text for '${key}'`);
    s = MESSAGES.en[key] !== undefined ? MESSAGES.en[key] : key;
  }
  if (!vars) return s;
  return s.replace(/\{([a-z_]+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

// The text for key when the catalogue has it, else `fallback` (a code the
// server sent that this page has no words for stays readable as it is).
export function tOr(key, fallback, vars) {
  return MESSAGES.en[key] === undefined ? fallback : t(key, vars);
}

// One or several: key.one / key.other.
export function tn(key, n, vars = {}) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n: fmtNum(n), ...vars });
}

export function fmtNum(n, opts) {
  return Number(n).toLocaleString(locale(), opts);
}

// "2024-09-28" -> "28/09/2024" (es-EC) or "28 Sept 2024" (en-GB); anything
// else is returned as given.
export function fmtDate(iso) {
  const t0 = Date.parse(`${iso}T00:00:00Z`);
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(t0)) return iso || '';
  const opts = lang() === 'es'
    ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
  return new Date(t0).toLocaleDateString(locale(), opts);
}

// A time at a post as the ledger gives it ("2024-09-07T08:27:26-05:00") ->
// its local day as fmtDate, the time to the minute and the post's offset:
// "07/09/2024 08:27 (UTC-05:00)"; anything else is returned as given.
export function fmtDateTime(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  return `${fmtDate(m[1])} ${m[2]} (UTC${m[3] === 'Z' ? '' : m[3]})`;
}

// "2024-09-28" -> "sábado, 28 de septiembre de 2024" / "Saturday 28 September 2024".
export function fmtLongDate(iso) {
  const t0 = Date.parse(`${iso}T00:00:00Z`);
  if (!iso || Number.isNaN(t0)) return iso || '';
  return new Date(t0).toLocaleDateString(locale(), {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  });
}

// Put the language's words into the static text of the page.
export function applyStatic(root = document) {
  document.documentElement.lang = lang() === 'es' ? 'es-EC' : 'en';
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const attr of ['aria-label', 'title', 'placeholder']) {
    const data = `data-i18n-${attr}`;
    for (const e of root.querySelectorAll(`[${data}]`)) e.setAttribute(attr, t(e.getAttribute(data)));
  }
  const sel = root.querySelector('#lang');
  if (sel) {
    sel.value = lang();
    sel.addEventListener('change', () => setLang(sel.value));
  }
}

// Server text that is English whatever the page's language: marked so a
// screen reader reads it in English (and the Spanish page test can tell it
// apart from a missing translation).
export function serverText(node) {
  if (lang() !== 'en') node.setAttribute('lang', 'en');
  return node;
}

// ---- the server's problem details (docs/server.md, "Problems") ----

// English format -> Spanish format, for the library's and the server's error
// formats (words.es.json, made from po/es.po at build time); fetched once,
// the first time a problem is to be said in Spanish.
let words = null;

export async function loadWords() {
  if (lang() === 'en' || words) return;
  try {
    const res = await fetch('/assets/words.es.json', { cache: 'force-cache' });
    if (res.ok) words = await res.json(); // else tried again at the next problem
  } catch {
    words = null;
  }
}

// A conversion as C reads one (src/core/status.c, conv_read), or a lone '%'
// (group 3), which makes the format unusable.
const CONVERSION = /%(?:([1-9]\d?)\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|ll|h|l|j|z|t|L)?([diouxXcsfFeEgGaAp%])|(%)/g;

// A printf format with its conversions replaced by values, in order or by
// number (%2$s), as the server printed them (flags and widths are not
// applied again); null when the format names a value not there, leaves one
// out, mixes numbered and plain conversions, or holds a stray '%' (so a
// sentence that says something else is never shown).
export function fillFormat(fmt, values) {
  if (typeof fmt !== 'string' || !Array.isArray(values) || values.some((v) => typeof v !== 'string')) return null;
  let next = 0;
  let numbered = 0;
  const used = new Set();
  let bad = false;
  const out = fmt.replace(CONVERSION, (m, pos, type, lone) => {
    if (lone) {
      bad = true;
      return '';
    }
    if (type === '%') return '%';
    if (pos) numbered++;
    const i = pos ? Number(pos) - 1 : next++;
    if (i < 0 || i >= values.length || (numbered && next)) {
      bad = true;
      return '';
    }
    used.add(i);
    return values[i];
  });
  return bad || used.size !== values.length ? null : out;
}

// A problem document's detail in the page's language, from its detail_parts
// (each {format, values}); null when the page is English, or when a part's
// format has no translation (then the server's English detail is shown).
export function problemText(p) {
  if (lang() === 'en' || !words || !p || !Array.isArray(p.detail_parts)) return null;
  let s = '';
  for (const part of p.detail_parts) {
    const tr = part && words[part.format];
    if (typeof tr !== 'string' || !Array.isArray(part.values)) return null;
    const filled = fillFormat(tr, part.values);
    if (filled === null) return null;
    s += filled;
  }
  return s || null;
}

// A problem document's title in the page's language; null when it has none.
export function problemTitle(p) {
  if (lang() === 'en' || !words || !p || typeof p.title !== 'string') return null;
  const tr = words[p.title];
  return typeof tr === 'string' ? tr : null;
}

// ---- admission reasons (docs/admission.md) ----

// The end of the placeholder opened at i ('{'), braces nested; -1 when unclosed.
function closing(s, i, end) {
  let depth = 0;
  for (; i < end; i++) {
    if (s[i] === '{') depth++;
    if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

// The next c at the top level of s[i, end), else end.
function topLevel(s, i, end, c) {
  let depth = 0;
  for (; i < end; i++) {
    if (s[i] === '{') depth++;
    if (s[i] === '}') depth--;
    if (s[i] === c && depth === 0) return i;
  }
  return end;
}

// A reason template with its params, by the library's rule
// (fr_admit_reason_format, admit.h): {name} is the value as show(name,
// value) writes it; {name|key=text|text} the text of the alternative whose
// key equals the value, else the bare one, else the value; a choice on a
// missing parameter reads it as empty; an unknown {name} stays as written.
// Returns the parts: strings, and whatever show returned for each value.
export function formatReasonParts(tmpl, params, show = (k, v) => v) {
  const has = (k) => Object.prototype.hasOwnProperty.call(params, k) && params[k] !== null && params[k] !== undefined;
  const out = [];
  const render = (from, end) => {
    let i = from;
    while (i < end) {
      const brace = tmpl.indexOf('{', i);
      if (brace < 0 || brace >= end) {
        out.push(tmpl.slice(i, end));
        return;
      }
      out.push(tmpl.slice(i, brace));
      const close = closing(tmpl, brace, end);
      const bar = close < 0 ? -1 : topLevel(tmpl, brace + 1, close, '|');
      const name = close < 0 ? '' : tmpl.slice(brace + 1, bar);
      if (close < 0 || (bar === close && !has(name))) {
        out.push('{');
        i = brace + 1;
        continue;
      }
      if (bar === close) {
        out.push(show(name, String(params[name])));
      } else {
        const value = has(name) ? String(params[name]) : '';
        let chosen = null;
        let dflt = null;
        for (let a = bar + 1; a <= close;) {
          const b = topLevel(tmpl, a, close, '|');
          const eq = topLevel(tmpl, a, b, '=');
          if (eq < b) {
            if (tmpl.slice(a, eq) === value) { chosen = [eq + 1, b]; break; }
          } else if (!dflt) {
            dflt = [a, b];
          }
          a = b + 1;
        }
        const alt = chosen || dflt;
        if (alt) render(alt[0], alt[1]);
        else out.push(show(name, value));
      }
      i = close + 1;
    }
  };
  render(0, tmpl.length);
  return out.filter((p) => p !== '');
}

// The same as one string.
export function formatReason(tmpl, params, show) {
  return formatReasonParts(tmpl, params, show).map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

// Params that are text from outside (a legal reference, a list entry's
// explanation, the linking evidence, what failed, a supervisor's reason, the
// MRZ reader's sentence): kept as written, in whatever language it is in.
const FREE_TEXT = new Set(['ref', 'explanation', 'evidence', 'failure', 'reason', 'detail']);

// A screening result's explanation in the page's language. The server's is
// English made of fixed phrases (src/screen/screen_score.c, PHRASES: the
// English texts of the scx keys) around upper-case names and figures; each
// phrase is said from its key, the longest first at each word start, the
// rest kept as it is (fr_screen_explanation_words does the same in C).
const LETTER = /[A-Za-z]/;
export function explanationText(en) {
  if (typeof en !== 'string' || lang() === 'en') return en;
  const phrases = Object.keys(MESSAGES.en)
    .filter((k) => k.startsWith('scx.'))
    .map((k) => [MESSAGES.en[k], k])
    .sort((a, b) => b[0].length - a[0].length);
  let out = '';
  for (let i = 0; i < en.length; ) {
    const start = i === 0 || !LETTER.test(en[i - 1]);
    const hit = start && phrases.find(([p]) => en.startsWith(p, i) && !LETTER.test(en[i + p.length] || ''));
    if (hit) {
      out += t(hit[1]);
      i += hit[0].length;
    } else {
      out += en[i++];
    }
  }
  return out;
}

// A parameter's value for the reader: dates in the page's format, a stay rule
// in plain words, an admission class and a score in the page's language;
// codes as they are; free text as {text, free: true}.
function showParam(name, value) {
  if (name === 'explanation' && lang() !== 'en') return explanationText(value);
  if (FREE_TEXT.has(name)) return { text: value, free: true };
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value);
  if (name === 'rule') return stayText(value);
  if (name === 'class' && MESSAGES.en[`class.${value}`] !== undefined) return t(`class.${value}`);
  if (name === 'score' && /^\d+(\.\d+)?$/.test(value)) {
    return fmtNum(Number(value), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return value;
}

// An admission reason ({code, message, params}) in the page's language as
// parts (strings, and {text, free: true} for text from outside, which the
// page shows as the server wrote it), or null when there is no template for
// its code (or it came without params): the caller then shows the server's
// English message, marked lang="en".
export function reasonText(r) {
  if (!r || !r.code || !r.params || typeof r.params !== 'object') return null;
  const key = `reason.${r.code}`;
  const table = MESSAGES[lang()] || MESSAGES.en;
  if (table[key] === undefined) return null;
  // a parameter the policy also gives in the page's language (ref_es=):
  // that one, where it is not empty, shown as the page's own words
  const params = { ...r.params };
  const own = new Set();
  for (const name of Object.keys(params)) {
    const v = r.params[`${name}_${lang()}`];
    if (typeof v === 'string' && v !== '') {
      params[name] = v;
      own.add(name);
    }
  }
  const show = (name, value) => (own.has(name) ? value : showParam(name, value));
  return formatReasonParts(table[key], params, show);
}

// ---- stay rules and regimes in plain words (docs/stay.md, docs/policy.md) ----

export function regimeText(regime) {
  const key = `regime.${regime}`;
  return MESSAGES.en[key] !== undefined ? t(key) : String(regime || '').replace(/_/g, ' ');
}

// "rolling:90/180" -> "90 days in any 180 days", "period:90/1y+90" -> "90
// days per year from the first entry, extendable once by 90 days"; unknown
// forms as given.
export function stayText(spec) {
  if (!spec) return '';
  let m = /^rolling:(\d+)\/(\d+)$/.exec(spec);
  if (m) return t('stay.rolling', { n: m[1], w: m[2] });
  m = /^period:(\d+)\/(\d+)y(?:\+(\d+))?$/.exec(spec);
  if (m) {
    const base = m[2] === '1' ? t('stay.period1', { n: m[1] }) : t('stay.period', { n: m[1], y: m[2] });
    return m[3] ? `${base}, ${t('stay.extension', { e: m[3] })}` : base;
  }
  m = /^calendar-year:(\d+)$/.exec(spec);
  if (m) return t('stay.calendar', { n: m[1] });
  m = /^per-admission:(\d+)(,doc-expiry)?$/.exec(spec);
  if (m) return t(m[2] ? 'stay.admission_doc' : 'stay.admission', { n: m[1] });
  m = /^until:(\d{4}-\d{2}-\d{2})$/.exec(spec);
  if (m) return t('stay.until', { d: fmtDate(m[1]) });
  if (spec === 'eta') return t('stay.eta');
  return spec;
}
