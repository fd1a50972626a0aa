// syncpanel.js: the state of a border post's sync with the central, on the
// booth page (docs/sync.md, "Status a post officer sees"). It asks the
// post's own server GET /v1/sync/status when the page opens, every 30
// seconds and on "Check now", and shows in the page's language whether all
// is well (and when the post last reached the central) or each warning the
// server found: the rules and their limits are the server's
// (src/sync/sync_status.c), so the page and `frontera sync status` never
// disagree. Folded below: events waiting and since when, refused events,
// the clock skew, the lists pulled and the server's background sync. A
// server that syncs with no central ({"configured": false}) or a role that
// may not read it shows no panel. The last error is shown as the server
// wrote it, marked English. A screen reader hears the state when it
// changes, not at every refresh.
import { $, el, api } from './common.js';
import { t, tn, fmtNum, locale, serverText } from './i18n.js';

const REFRESH_MS = 30000;
const LISTS = [
  ['policy', 'sync.list_policy'],
  ['watchlist', 'sync.list_watchlist'],
  ['lost-stolen', 'sync.list_lost'],
  ['histories', 'sync.list_histories'],
];

let timer = null;
let announced = '';

// A duration in its largest whole unit, in words: "45 seconds", "12 minutes", "3 hours", "2 days".
function dur(s) {
  const n = Math.max(0, Number(s) || 0);
  const [v, unit] = n < 120 ? [n, 'second'] : n < 7200 ? [Math.floor(n / 60), 'minute']
    : n < 172800 ? [Math.floor(n / 3600), 'hour'] : [Math.floor(n / 86400), 'day'];
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'long' }).format(v);
}

// An instant from the server (ISO 8601 UTC) in the page's language, local time.
function when(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

// The warnings of one central as sentences (strings or nodes).
function warnings(c, lim) {
  const w = new Set(c.warnings || []);
  const out = [];
  if (w.has('stale')) {
    out.push(c.last_success ? t('sync.w_stale', { ago: dur(c.last_success_age_s), limit: dur(lim.stale_s) })
      : t('sync.w_never'));
  }
  if (w.has('offline')) {
    out.push([t('sync.w_offline'), ...(c.last_error
      ? [' ', serverText(el('span', { class: 'sync-error', text: c.last_error }))] : [])]);
  }
  if (w.has('waiting')) {
    out.push(tn('sync.w_waiting', c.waiting, { age: dur(c.oldest_waiting_age_s), limit: dur(lim.waiting_s) }));
  }
  if (w.has('issues')) out.push(tn('sync.w_issues', c.issues));
  if (w.has('skew')) {
    const d = dur(Math.round(Math.abs(c.skew_ms) / 1000));
    // the skew is the central's clock minus the post's: below zero, the post is ahead
    out.push(t(c.skew_ms < 0 ? 'sync.w_ahead' : 'sync.w_behind', { d, limit: dur(lim.skew_s) }));
  }
  for (const [name, key] of LISTS) {
    const l = (c.lists || {})[name];
    if (!l) continue;
    if (l.warnings.includes('behind')) out.push(t('sync.w_list_behind', { list: t(key), version: l.refused.version }));
    if (l.warnings.includes('unconfirmed')) out.push(t('sync.w_list_unconfirmed', { list: t(key), ago: dur(l.checked_age_s) }));
  }
  return out;
}

function listText(name, l) {
  if (!l || l.version === null) return t('sync.not_pulled');
  const held = name === 'histories'
    ? t('sync.histories_state', { seq: fmtNum(l.version), when: when(l.checked) })
    : t('sync.list_state', { version: l.version, digest: `${l.digest.slice(0, 12)}…`, when: when(l.pulled) });
  return l.refused ? `${held} ${t('sync.list_refused', { version: l.refused.version })}` : held;
}

// A list of figures: [term, value, id] each.
function figures(rows) {
  return el('dl', { class: 'facts' }, rows.map(([term, value, id]) => el('div', { id }, el('dt', { text: term }), el('dd', {}, value))));
}

function facts(c) {
  return figures([
    [t('sync.f_central'), el('code', { text: c.central }), 'sync-central'],
    [t('sync.f_last'), c.last_success ? `${when(c.last_success)} (${t('sync.ago', { d: dur(c.last_success_age_s) })})`
      : t('sync.never'), 'sync-last'],
    [t('sync.f_waiting'), c.waiting && c.oldest_waiting
      ? t('sync.waiting_since', { n: fmtNum(c.waiting), since: when(c.oldest_waiting) }) : fmtNum(c.waiting), 'sync-waiting'],
    [t('sync.f_refused'), fmtNum(c.issues), 'sync-refused'],
    [t('sync.f_clock'), c.skew_ms === null ? t('sync.skew_unknown')
      : t('sync.skew', { s: fmtNum(c.skew_ms / 1000, { signDisplay: 'always', maximumFractionDigits: 1 }) }), 'sync-clock'],
    ...LISTS.map(([name, key]) => [t(key), listText(name, (c.lists || {})[name]), `sync-list-${name}`]),
  ]);
}

function render(s) {
  const panel = $('#sync');
  const centrals = s.centrals || [];
  const lim = s.limits || {};
  const many = centrals.length > 1;
  const body = [];
  for (const c of centrals) {
    const items = warnings(c, lim);
    let summary = t('sync.not_yet');
    if (items.length) summary = t('sync.attention');
    else if (c.last_success) summary = t('sync.ok', { ago: dur(c.last_success_age_s) });
    body.push(el('p', { class: 'sync-summary' }, ...(many ? [el('code', { text: c.central }), ': '] : []), summary));
    if (items.length) body.push(el('ul', { class: 'sync-warnings' }, items.map((x) => el('li', {}, x))));
  }
  if (!centrals.length) body.push(el('p', { class: 'sync-summary' }, t('sync.not_yet')));
  panel.dataset.state = centrals.some((c) => (c.warnings || []).length) ? 'warn' : 'ok';
  $('#sync-body').replaceChildren(...body);
  const bg = s.background;
  $('#sync-facts').replaceChildren(...centrals.map(facts), figures([[t('sync.f_background'), !bg ? t('sync.bg_none')
    : bg.running ? t('sync.bg_every', { every: dur(bg.every_s) }) : t('sync.bg_stopped'), 'sync-background']]));
  $('#sync-updated').textContent = t('sync.updated', { time: new Date().toLocaleTimeString(locale()), every: dur(REFRESH_MS / 1000) });
  // a screen reader hears the state when it changes (a warning comes or goes), not at every refresh
  const state = centrals.map((c) => `${c.central} ${(c.warnings || []).join(',')}`).join(' ') || 'none';
  if (state !== announced) {
    announced = state;
    $('#sync-announce').textContent = $('#sync-body').textContent;
  }
  panel.hidden = false;
}

async function refresh() {
  const panel = $('#sync');
  try {
    const s = await api('GET', '/v1/sync/status');
    if (!s.configured) {
      panel.hidden = true;
      return;
    }
    render(s);
  } catch (e) {
    if (e.status === 403 || e.status === 404) { // not this role's, or a server without the route
      panel.hidden = true;
      return;
    }
    panel.dataset.state = 'warn';
    $('#sync-body').replaceChildren(el('p', { class: 'sync-summary' }, t('sync.unreadable'), ' ',
      serverText(el('span', { class: 'sync-error', text: e.message }))));
    panel.hidden = false;
  }
}

// Show the panel and keep it current while the page is open.
export function startSyncPanel() {
  $('#sync-refresh').addEventListener('click', refresh);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  refresh();
  if (!timer) timer = setInterval(refresh, REFRESH_MS);
}
