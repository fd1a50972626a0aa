// i18n.js: the pages' language. English and Spanish (Ecuador's formats);
// the words are in messages.js, one key per text, the same keys in both.
//
// The language is the user's choice when they made one (the switch in the
// page header, kept in localStorage as frontera.lang, so an officer's booth
// keeps it), else the browser's first preference that is Spanish or English,
// else English. Static text in the pages carries data-i18n="key" (its text),
// data-i18n-aria-label / -title / -placeholder (an attribute); scripts call
// t('key', {name: value}) with {name} placeholders in the text. Codes and
// JSON members from the server stay as they are; text the server wrote in
// English (reason sentences, alert messages) is shown marked lang="en".
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
