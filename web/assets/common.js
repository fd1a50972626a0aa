// common.js: what every frontera page shares: the bearer token (kept in
// sessionStorage, so it dies with the tab), the API client (JSON in and out,
// RFC 9457 problem documents turned into ApiError with the server's
// sentence, said in the page's language from its detail_parts when it can be), the sign-in form, and small DOM and date helpers. The page's
// words come from i18n.js (applied to the static text by startPage).
//
// A page calls startPage({ onReady }) once: when a token is stored the page's
// content is shown and onReady() runs; otherwise the sign-in form is shown,
// and the token typed there (or given in the address as #token=frt_..., as
// `make run` prints it) is tried against GET /v1/policy (every role may read
// the policy) before it is kept. A 401 from any later call signs out.

import { t, applyStatic, fmtLongDate, loadWords, problemText, problemTitle } from './i18n.js';

const TOKEN_KEY = 'frontera.token';

export class ApiError extends Error {
  constructor(status, problem, fallback) {
    const p = problem && typeof problem === 'object' ? problem : {};
    const said = problemText(p); // the detail in the page's language, when it can be
    super(said || p.detail || p.title || fallback || `HTTP ${status}`);
    this.status = status;
    const title = problemTitle(p);
    this.title = title || p.title || '';
    this.detail = said || p.detail || '';
    // both said in the page's language (else the server's English is marked so)
    this.translated = Boolean(said) && (Boolean(title) || !p.title);
    this.field = p.field || '';
    this.problem = p;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// Call the API. Resolves to the parsed JSON body; rejects with ApiError
// (status 0 when the server could not be reached).
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  // not `t`: that is the page's words (i18n.js), used below for the errors
  const tok = opts.token !== undefined ? opts.token : token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, null, t('common.unreachable', { why: e.message }));
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.token) signOut(t('common.session_ended'));
    if (json && typeof json === 'object') await loadWords(); // its title and detail, said in the page's language
    throw new ApiError(res.status, json, `${res.status} ${res.statusText}`);
  }
  if (json === null) throw new ApiError(res.status, null, t('common.not_json', { method, path }));
  return json;
}

export const apiGet = (path) => api('GET', path);
export const apiPost = (path, body) => api('POST', path, body);

// el('p', {class: 'x', text: 'hi'}, child, ...): a small element builder.
// Text goes through textContent: nothing from the server becomes markup.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// A table from column specs [{key, title, num, fmt}] and row objects.
export function table(columns, rows, { caption, className } = {}) {
  const t = el('table', { class: className || 'data' });
  if (caption) t.append(el('caption', { text: caption }));
  t.append(el('thead', {}, el('tr', {}, columns.map((c) =>
    el('th', { scope: 'col', class: c.num ? 'num' : null, text: c.title })))));
  const tb = el('tbody');
  for (const r of rows) {
    tb.append(el('tr', {}, columns.map((c, i) => {
      const v = c.fmt ? c.fmt(r[c.key], r) : r[c.key];
      const node = v instanceof Node ? v : document.createTextNode(v === null || v === undefined ? '—' : String(v));
      return el(i === 0 && c.rowHeader ? 'th' : 'td', {
        class: c.num ? 'num' : null, scope: i === 0 && c.rowHeader ? 'row' : null,
      }, node);
    })));
  }
  t.append(tb);
  return t;
}

// Show an error in a container as an alert that a screen reader announces.
export function showError(container, err, what) {
  container.replaceChildren();
  const status = err && err.status ? ` (HTTP ${err.status})` : '';
  const box = el('div', { class: 'problem', role: 'alert' },
    el('p', { class: 'problem-title' },
      el('span', { class: 'icon', 'aria-hidden': 'true', text: '⚠' }),
      ` ${what}: ${err && err.title ? err.title : t('common.failed')}${status}`),
    el('p', { text: err && err.message ? err.message : String(err) }));
  // the server's title and sentence are English, unless said again in the
  // page's language from the problem's detail_parts
  if (document.documentElement.lang !== 'en' && !(err && err.translated)) box.setAttribute('lang', 'en');
  if (err && err.field) box.append(el('p', { text: t('common.field', { field: err.field }) }));
  container.append(box);
  return box;
}

// ---- dates ----

// The browser's UTC offset on a given local date-time, as "+HH:MM".
export function offsetFor(date) {
  const m = -date.getTimezoneOffset();
  const sign = m < 0 ? '-' : '+';
  const a = Math.abs(m);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// "YYYY-MM-DDTHH:MM" of a Date in the browser's local time.
export function localMinute(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

export function todayIso() {
  return localMinute(new Date()).slice(0, 10);
}

// Whole days from ISO date a to ISO date b (b - a), or null.
export function daysBetween(a, b) {
  if (!a || !b) return null;
  const ta = Date.parse(`${a}T00:00:00Z`), tb = Date.parse(`${b}T00:00:00Z`);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return null;
  return Math.round((tb - ta) / 86400000);
}

// "2024-09-28" -> "Saturday 28 September 2024" in the page's language (the
// ISO date stays beside it in the page).
export const longDate = fmtLongDate;

// ---- the page frame: navigation, session, sign-in ----

// Who is signed in (GET /v1/me: name, role and the operations the role may
// use), asked once per page; null when the server cannot say (an older one).
let mePromise = null;
export function whoAmI() {
  if (!mePromise) mePromise = api('GET', '/v1/me').catch(() => null);
  return mePromise;
}

function renderSession(me) {
  const box = $('#session');
  if (!box) return;
  box.replaceChildren();
  const tok = token();
  if (!tok) {
    box.append(el('span', { text: t('session.none') }));
    return;
  }
  const who = me && me.name
    ? t('session.signed_in_as', { name: me.name, role: t(`role.${me.role}`) })
    : t('session.signed_in', { end: tok.slice(-4) });
  box.append(el('span', { text: who }), ' ',
    el('button', { type: 'button', class: 'linklike', id: 'signout', onclick: () => { setToken(''); location.reload(); } }, t('session.sign_out')));
}

let pageState = null;

export function signOut(message) {
  setToken('');
  if (!pageState) return;
  renderSession();
  showSignIn(message || '');
}

function showSignIn(message) {
  const { signin, content } = pageState;
  content.hidden = true;
  signin.hidden = false;
  const msg = $('#signin-message');
  msg.textContent = message || '';
  const input = $('#token');
  input.value = '';
  input.focus();
}

async function trySignIn(ev) {
  ev.preventDefault();
  const input = $('#token');
  const msg = $('#signin-message');
  const tok = input.value.trim();
  if (!tok) {
    msg.textContent = t('signin.empty');
    input.focus();
    return;
  }
  msg.textContent = t('signin.checking');
  try {
    await api('GET', '/v1/policy', undefined, { token: tok });
  } catch (e) {
    msg.textContent = e.status === 401
      ? t('signin.refused', { why: e.message })
      : t('signin.failed', { why: e.message });
    input.focus();
    return;
  }
  setToken(tok);
  msg.textContent = '';
  // A page that already ran (a session that ended mid-way) starts afresh.
  if (pageState.started) location.reload();
  else enter();
}

// The role's pages only: a link ([data-api]: the operation its page needs)
// the role may not use is hidden; on such a page, a note says so (the
// server refuses its actions anyway: this only spares a wasted trip).
async function applyRole() {
  const me = await whoAmI();
  if (!me || !Array.isArray(me.may)) return;
  renderSession(me);
  const may = new Set(me.may);
  for (const a of document.querySelectorAll('[data-api]')) {
    const ok = may.has(a.dataset.api);
    (a.closest('li') || a).hidden = !ok;
    if (!ok && a.getAttribute('aria-current') === 'page' && !$('#role-note')) {
      pageState.content.prepend(el('p', { class: 'role-note', id: 'role-note', role: 'note',
        text: t('nav.not_for_role', { role: t(`role.${me.role}`) }) }));
    }
  }
}

function enter() {
  const { signin, content, onReady } = pageState;
  pageState.started = true;
  signin.hidden = true;
  content.hidden = false;
  renderSession();
  applyRole();
  const h = content.querySelector('h1, h2');
  if (h) {
    h.setAttribute('tabindex', '-1');
    h.focus();
  }
  onReady();
}

// Wire the page: #signin (the form), #content (the page), #session (status).
export function startPage({ onReady }) {
  applyStatic();
  pageState = { signin: $('#signin'), content: $('#content'), onReady };
  const here = location.pathname.replace(/\.html$/, '') || '/';
  for (const a of document.querySelectorAll('nav.pages a')) {
    if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  }
  $('#signin-form').addEventListener('submit', trySignIn);
  // `make run` prints a link with the demo token in the fragment (#token=frt_...):
  // the fragment never reaches the server; take it and clear it from the address.
  const m = /^#token=(frt_[A-Za-z0-9_-]+)$/.exec(location.hash);
  if (m) {
    history.replaceState(null, '', location.pathname + location.search);
    renderSession();
    showSignIn('');
    $('#token').value = m[1];
    $('#signin-form').requestSubmit();
    return;
  }
  if (token()) enter();
  else {
    renderSession();
    showSignIn('');
  }
}
