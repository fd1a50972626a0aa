// dashboard.js: the analysts' dashboard. Independent reads, each shown in
// its own section (one failing, a 403 for an officer say, leaves the others
// working), all for the period and report date chosen at the top:
//   GET /v1/reports/flows?by=nationality,month  -> the flows chart and table
//   GET /v1/alerts                               -> the alert list, the shaded
//                                                   episodes, one small chart each
//   GET /v1/reports/flows?by=port, then
//   GET /v1/reports/port-days?port=P             -> one port day by day (dash_ports.js)
//   GET /v1/reports/overstays?by=nationality     -> the overstay table
//   GET /v1/policy                               -> the policy timeline and the
//                                                   change marks on the charts
//   GET /v1/countries?lang=                      -> the nationalities' names
// The view (period, report date, measure, scale, nationalities, port) is
// kept in the address's query (?from=2024-01&to=2024-12&as_of=...&view=index),
// so a view can be reloaded, bookmarked and shared. The flows are shown as
// counts, as an index (each nationality's first month of the period = 100,
// so China's small series moves on the same chart as the USA's), or as small
// multiples, each on its own scale. Each chart can be downloaded as SVG or
// PNG (chartsvg.js); the page prints without its controls (app.css).
// The answers are arrays of rows, or objects holding one ("rows", "alerts",
// "items"): both are accepted.
import { $, el, apiGet, startPage, showError, table } from './common.js';
import { monthlyChart, PALETTE, monthSeconds, monthEndSeconds, daySeconds } from './charts.js';
import { downloadButtons } from './chartsvg.js';
import { loadPorts, loadPortDays } from './dash_ports.js';
import { parsePolicy, segments, describe } from './policy.js';
import { t, tn, fmtNum, fmtDate, serverText, lang } from './i18n.js';
import { MESSAGES } from './messages.js';

// A rule's legal reference in the page's language: ref_es= on a Spanish page
// when the policy gives one (then the page's own words), else ref= as the
// policy wrote it (marked English on a Spanish page).
const ruleRef = (r) => (lang() === 'es' && r.ref_es ? r.ref_es : r.ref);
function refNode(r) {
  const node = el('span', { class: 'aside', text: ` (${ruleRef(r)})` });
  return lang() === 'es' && r.ref_es ? node : serverText(node);
}

// Every nationality by name in the page's language, from the server's own
// tables (GET /v1/countries: the library's English names, the Spanish ones
// the program says too), not a copy kept here; the bare code until they come
// or when the read fails.
const countryNames = {};
async function loadCountryNames() {
  try {
    const d = await apiGet(`/v1/countries?lang=${lang()}`);
    Object.assign(countryNames, (d && d.names) || {});
  } catch (e) {
    console.warn('frontera: country names not read', e);
  }
}
const natName = (c) => (countryNames[c] ? `${countryNames[c]} (${c})` : c);
const metricName = (m) => (MESSAGES.en[`metric.${m}`] !== undefined ? t(`metric.${m}`) : m);
// Alert metrics -> the flows measure they are about.
const METRIC_TO_FLOW = { arrivals: 'entries', entries: 'entries', exits: 'exits', departures: 'exits', refusals: 'refusals', encounters: 'encounters' };

const state = { flows: null, alerts: [], policy: null, selected: new Set() };

// ---- the view, kept in the address ----

const VIEWS = ['absolute', 'index', 'multiples'];
const METRICS = ['entries', 'exits', 'refusals', 'encounters', 'net'];
const isMonth = (v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v || '');
const isDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v || '') && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const view = { from: '', to: '', asOf: '', view: 'absolute', metric: 'entries', nats: null, port: '' };

function readAddress() {
  const p = new URLSearchParams(location.search);
  view.from = isMonth(p.get('from')) ? p.get('from') : '';
  view.to = isMonth(p.get('to')) ? p.get('to') : '';
  view.asOf = isDay(p.get('as_of')) ? p.get('as_of') : '';
  view.view = VIEWS.includes(p.get('view')) ? p.get('view') : 'absolute';
  view.metric = METRICS.includes(p.get('metric')) ? p.get('metric') : 'entries';
  const nats = (p.get('nat') || '').split(',').filter((c) => /^[A-Z]{1,3}$/.test(c));
  view.nats = nats.length ? nats : null;
  view.port = /^[A-Z2-9]{5}$/.test(p.get('port') || '') ? p.get('port') : '';
}

function writeAddress() {
  const p = new URLSearchParams();
  if (view.from) p.set('from', view.from);
  if (view.to) p.set('to', view.to);
  if (view.asOf) p.set('as_of', view.asOf);
  if (view.view !== 'absolute') p.set('view', view.view);
  if (view.metric !== 'entries') p.set('metric', view.metric);
  if (state.flows) view.nats = [...state.selected];
  if (view.nats && view.nats.length) p.set('nat', view.nats.join(','));
  if (view.port) p.set('port', view.port);
  const q = p.toString().replace(/%2C/g, ',');
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}

// "&from=2024-01&to=2024-12" (with as_of when asked and chosen).
function periodQuery(withAsOf) {
  const p = new URLSearchParams();
  if (view.from) p.set('from', view.from);
  if (view.to) p.set('to', view.to);
  if (withAsOf && view.asOf) p.set('as_of', view.asOf);
  const q = p.toString();
  return q ? `&${q}` : '';
}

// A file name for a download: what, the measure, the period.
const fileName = (what) => ['frontera', what, view.from || 'start', view.to || 'end'].join('-');

const rowsOf = (j, ...keys) => {
  if (Array.isArray(j)) return j;
  for (const k of [...keys, 'rows', 'items', 'data']) if (j && Array.isArray(j[k])) return j[k];
  return [];
};
const num = (v) => (typeof v === 'number' ? v : Number(v) || 0);

// ---- flows ----

function indexFlows(rows) {
  const months = [...new Set(rows.map((r) => r.month).filter(Boolean))].sort();
  const nats = new Map();
  for (const r of rows) {
    if (!r.nationality || !r.month) continue;
    let n = nats.get(r.nationality);
    if (!n) nats.set(r.nationality, (n = { code: r.nationality, total: 0, byMonth: new Map() }));
    n.byMonth.set(r.month, r);
    n.total += num(r.entries);
  }
  const list = [...nats.values()].sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
  list.forEach((n, i) => { n.color = PALETTE[i % PALETTE.length]; });
  return { months, nats: list };
}

function value(row, metric) {
  if (!row) return 0;
  if (metric === 'net') return row.net !== undefined ? num(row.net) : num(row.entries) - num(row.exits);
  return num(row[metric]);
}

// Each value as a share of the first month of the period with a value above
// zero, times 100 (null throughout when there is none, as for a net balance
// that never rises above zero).
function indexed(values) {
  const base = values.find((v) => v > 0);
  return values.map((v) => (base ? (v / base) * 100 : null));
}

function alertBands(codes, metric) {
  return state.alerts.filter((a) => codes.includes(a.nationality)
      && (METRIC_TO_FLOW[a.metric] ? METRIC_TO_FLOW[a.metric] === metric : true))
    .map((a) => ({
      from: monthSeconds(a.since || a.period),
      to: monthEndSeconds(a.until || a.period),
      label: `${a.nationality} ${metricName(a.metric)}${a.ongoing ? ` (${t('dash.ongoing')})` : ''}`,
    }));
}

function policyMarks(codes) {
  if (!state.policy || !state.flows) return [];
  const { months } = state.flows;
  const from = `${months[0]}-01`, to = `${months[months.length - 1]}-28`;
  const marks = [];
  for (const c of codes) {
    const segs = segments(state.policy, c, 'visitor', from, to);
    for (const s of segs.slice(1)) marks.push({ at: daySeconds(s.from), label: `${c}: ${describe(s.rule)}` });
  }
  return marks;
}

function drawMultiples(chosen, metric) {
  const { months } = state.flows;
  const box = $('#flows-multiples');
  box.replaceChildren();
  for (const n of chosen) {
    const id = `multiple-${n.code}`;
    const chart = el('div', { id, class: 'chart' });
    const title = () => t('dash.multiple_caption', { who: natName(n.code), metric: metricName(metric) });
    box.append(el('figure', { 'data-nationality': n.code },
      el('figcaption', { text: title() }), chart,
      downloadButtons(chart, () => fileName(`${metric}-${n.code}`), title)));
    monthlyChart(chart, {
      months, height: 180, yLabel: metricName(metric),
      series: [{ label: n.code, color: n.color, values: months.map((m) => value(n.byMonth.get(m), metric)) }],
      bands: alertBands([n.code], metric), marks: policyMarks([n.code]),
      label: t('dash.chart_label', { metric: metricName(metric), codes: n.code }),
    });
  }
}

function drawFlows() {
  const { months, nats } = state.flows;
  const metric = $('#metric').value;
  const mode = view.view;
  const chosen = nats.filter((n) => state.selected.has(n.code));
  const box = $('#flows-chart');
  box.hidden = mode === 'multiples';
  $('#flows-multiples').hidden = mode !== 'multiples';
  $('#flows-box-downloads').hidden = mode === 'multiples';
  $('#flows-h').closest('section').dataset.view = mode;
  if (!chosen.length) {
    box.hidden = false;
    $('#flows-multiples').replaceChildren();
    box.replaceChildren(el('p', { class: 'help', text: t('dash.choose') }));
    box.dataset.series = '0';
    return;
  }
  const counts = (n) => months.map((m) => value(n.byMonth.get(m), metric));
  const shown = (n) => (mode === 'index' ? indexed(counts(n)) : counts(n));
  const codes = chosen.map((n) => n.code);
  if (mode === 'multiples') drawMultiples(chosen, metric);
  else {
    $('#flows-multiples').replaceChildren();
    monthlyChart(box, {
      months,
      series: chosen.map((n) => ({ label: n.code, color: n.color, values: shown(n) })),
      bands: alertBands(codes, metric), marks: policyMarks(codes), height: 360,
      yLabel: mode === 'index' ? t('dash.index_axis', { metric: metricName(metric) }) : metricName(metric),
      digits: mode === 'index' ? 1 : 0,
      label: t(mode === 'index' ? 'dash.chart_label_index' : 'dash.chart_label', { metric: metricName(metric), codes: codes.join(', ') }),
    });
  }
  const top = chosen.map((n) => {
    const vals = counts(n);
    const peak = Math.max(...vals);
    return t('dash.peak', { who: natName(n.code), peak: fmtNum(peak), month: months[vals.indexOf(peak)] });
  });
  const how = { absolute: '', index: ` ${t('dash.index_note', { month: months[0] })}`, multiples: ` ${t('dash.multiples_note')}` }[mode];
  $('#flows-desc').textContent = `${tn('dash.desc', chosen.length, { metric: metricName(metric), from: months[0], to: months[months.length - 1] })}${how} ${top.slice(0, 4).join('; ')}.`;
  const digits = mode === 'index' ? { maximumFractionDigits: 1, minimumFractionDigits: 1 } : undefined;
  const cols = [{ key: 'month', title: t('col.month'), rowHeader: true },
    ...chosen.map((n) => ({ key: n.code, title: n.code, num: true, fmt: (v) => (v === null ? '—' : fmtNum(v, digits)) }))];
  const series = chosen.map((n) => shown(n));
  const rows = months.map((m, i) => Object.fromEntries([['month', m], ...chosen.map((n, k) => [n.code, series[k][i]])]));
  $('#flows-table').replaceChildren(table(cols, rows, {
    caption: t(mode === 'index' ? 'dash.table_caption_index' : 'dash.table_caption', { metric: metricName(metric), month: months[0] }),
  }));
}

function buildPicker() {
  const box = $('#nat-picker');
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const n of state.flows.nats) {
    const id = `nat-${n.code}`;
    const cb = el('input', { type: 'checkbox', id, value: n.code, checked: state.selected.has(n.code) });
    cb.addEventListener('change', () => {
      if (cb.checked) state.selected.add(n.code); else state.selected.delete(n.code);
      writeAddress();
      drawFlows();
    });
    box.append(el('label', { for: id, class: 'check' }, cb,
      el('span', { class: 'legend-key', style: null, 'data-color': n.color, 'aria-hidden': 'true' }), n.code));
  }
  // The swatch colour is set through the CSSOM (no inline style attribute).
  box.querySelectorAll('.legend-key').forEach((s) => { s.style.background = s.dataset.color; });
}

async function loadFlows() {
  const status = $('#flows-status');
  status.textContent = t('dash.loading_flows');
  try {
    const j = await apiGet(`/v1/reports/flows?by=nationality,month${periodQuery(false)}`);
    state.flows = indexFlows(rowsOf(j));
    if (!state.flows.months.length) {
      status.textContent = t(view.from || view.to ? 'dash.no_flows_period' : 'dash.no_flows');
      state.flows = null;
      $('#flows-chart').replaceChildren();
      $('#flows-multiples').replaceChildren();
      $('#flows-table').replaceChildren();
      $('#flows-desc').textContent = '';
      return;
    }
    status.textContent = '';
    const alerted = new Set(state.alerts.map((a) => a.nationality));
    const known = new Set(state.flows.nats.map((n) => n.code));
    state.selected = new Set((view.nats || []).filter((c) => known.has(c)));
    if (!state.selected.size) state.flows.nats.forEach((n, i) => { if (i < 6 || alerted.has(n.code)) state.selected.add(n.code); });
    buildPicker();
    drawFlows();
  } catch (e) {
    showError(status, e, t('dash.flows_failed'));
    state.flows = null;
  }
}

// ---- alerts ----

// The facts of the library's sentence (a.message, English) in the reader's
// language, as the command line writes them (cmd/frontera/cli_words.c).
function alertSentence(a) {
  const share = a.share; /* 0..1, said in percent */
  const v = (x) => (share ? `${fmtNum(num(x) * 100, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%` : fmtNum(num(x), { maximumFractionDigits: 0 }));
  const rise = a.direction !== 'fall';
  const digits = rise ? 1 : 2;
  const vars = {
    code: a.nationality, metric: metricName(a.metric), observed: v(a.observed), period: a.period,
    expected: v(a.expected), lower: v(a.lower), upper: v(a.upper),
    factor: fmtNum(num(a.factor), { maximumFractionDigits: digits, minimumFractionDigits: digits }),
    since: a.since, tests: (a.tests || []).join(', '), peak: v(a.peak), peak_period: a.peak_period, until: a.until,
  };
  let s = t(rise ? 'alert.rose' : 'alert.fell', vars);
  if (a.ongoing) s += t(rise ? 'alert.still_high' : 'alert.still_low');
  else if (a.learnt === 1) s += t('alert.learnt', vars);
  else if (a.learnt === 2 && rise) s += t('alert.further', vars);
  else s += t('alert.back', vars);
  return s;
}

function alertItem(a) {
  const fig = [];
  const rate = a.share;
  const show = (v, digits) => (rate ? `${fmtNum(num(v) * 100, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%` : fmtNum(num(v), { maximumFractionDigits: digits }));
  if (a.observed !== undefined) fig.push(t('alert.observed', { v: show(a.observed, 0) }));
  if (a.expected !== undefined) fig.push(t('alert.expected', { v: show(a.expected, 1) }));
  if (a.factor !== undefined) fig.push(`${fmtNum(num(a.factor), { maximumFractionDigits: 1, minimumFractionDigits: 1 })}×`);
  if (a.z !== undefined) fig.push(`z ${fmtNum(num(a.z), { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`);
  // the episode's extreme: its highest month for a rise, its lowest for a fall
  if (a.peak !== undefined && a.peak_period) fig.push(t(a.direction === 'fall' ? 'alert.low' : 'alert.peak', { v: show(a.peak, 0), period: a.peak_period }));
  const span = a.since ? t('alert.span', { from: a.since, to: a.until || '…' }) : '';
  return el('li', { class: 'alert-item', 'data-nationality': a.nationality, 'data-metric': a.metric },
    el('h3', {}, t('alert.title', { who: natName(a.nationality), metric: metricName(a.metric), period: a.period }), a.ongoing ? el('span', { class: 'tag', text: t('dash.ongoing') }) : null),
    el('p', { class: 'alert-message', text: alertSentence(a) }),
    el('p', { class: 'figures' }, [fig.join(' · '), span ? ` · ${span}` : ''].join('')),
    el('button', {
      type: 'button', class: 'secondary',
      onclick: () => {
        if (!state.flows) return;
        state.selected.add(a.nationality);
        const flowMetric = METRIC_TO_FLOW[a.metric];
        if (flowMetric) $('#metric').value = view.metric = flowMetric;
        writeAddress();
        buildPicker();
        drawFlows();
        $('#flows-h').scrollIntoView({ behavior: 'smooth' });
      },
    }, t('alert.show', { code: a.nationality })));
}

function drawAlertCharts() {
  const box = $('#alert-charts');
  box.replaceChildren();
  if (!state.flows) return;
  const { months } = state.flows;
  const byNat = new Map();
  for (const a of state.alerts) if (!byNat.has(a.nationality)) byNat.set(a.nationality, []);
  for (const [code] of byNat) {
    const n = state.flows.nats.find((x) => x.code === code);
    if (!n) continue;
    const id = `alert-chart-${code}`;
    const chart = el('div', { id, class: 'chart' });
    const title = t('alert.caption', { who: natName(code) });
    const fig = el('figure', { 'data-nationality': code },
      el('figcaption', { id: `${id}-cap`, text: title }), chart,
      downloadButtons(chart, () => fileName(`alert-${code}`), title));
    box.append(fig);
    const series = [
      { label: metricName('entries'), color: '#1f77b4', values: months.map((m) => value(n.byMonth.get(m), 'entries')) },
      { label: metricName('exits'), color: '#2ca02c', values: months.map((m) => value(n.byMonth.get(m), 'exits')) },
      { label: metricName('refusals'), color: '#d62728', values: months.map((m) => value(n.byMonth.get(m), 'refusals')) },
      { label: metricName('encounters'), color: '#9467bd', values: months.map((m) => value(n.byMonth.get(m), 'encounters')) },
    ];
    const bands = state.alerts.filter((a) => a.nationality === code).map((a) => ({
      from: monthSeconds(a.since || a.period), to: monthEndSeconds(a.until || a.period), label: metricName(a.metric),
    }));
    monthlyChart($(`#${id}`), {
      months, series, bands, marks: policyMarks([code]), height: 220,
      label: t('alert.chart_label', { who: natName(code) }),
    });
  }
}

async function loadAlerts() {
  const status = $('#alerts-status');
  status.textContent = t('dash.loading_alerts');
  try {
    const q = periodQuery(true);
    const j = await apiGet(`/v1/alerts${q ? `?${q.slice(1)}` : ''}`);
    state.alerts = rowsOf(j, 'alerts').filter((a) => a && a.nationality);
    const list = $('#alerts');
    list.replaceChildren(...state.alerts.map(alertItem));
    status.textContent = state.alerts.length ? tn('dash.alerts_n', state.alerts.length) : t('dash.no_alerts');
  } catch (e) {
    state.alerts = [];
    showError(status, e, t('dash.alerts_failed'));
  }
}

// ---- overstays ----

async function loadOverstays() {
  const status = $('#overstays-status');
  status.textContent = t('dash.loading_overstays');
  try {
    const j = await apiGet(`/v1/reports/overstays?by=nationality${periodQuery(true)}`);
    const rows = rowsOf(j).filter((r) => r.nationality)
      .sort((a, b) => num(b.in_country_overstays) - num(a.in_country_overstays));
    const pct = (v) => (v === undefined || v === null ? '—' : `${fmtNum(num(v) * 100, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`);
    const n = (v) => (v === undefined || v === null ? '—' : fmtNum(num(v)));
    const cols = [
      { key: 'nationality', title: t('col.nationality'), rowHeader: true, fmt: natName },
      { key: 'expected_departures', title: t('ov.expected'), num: true, fmt: n },
      { key: 'in_time', title: t('ov.in_time'), num: true, fmt: n },
      { key: 'out_of_country_overstays', title: t('ov.late'), num: true, fmt: n },
      { key: 'in_country_overstays', title: t('ov.not_left'), num: true, fmt: n },
      { key: 'overstay_rate', title: t('ov.rate'), num: true, fmt: pct },
      { key: 'crude_rate', title: t('ov.crude'), num: true, fmt: pct },
    ];
    const tb = table(cols, rows, { caption: t('ov.caption') });
    tb.id = 'overstay-table';
    const alerted = new Set(state.alerts.map((a) => a.nationality));
    [...tb.tBodies[0].rows].forEach((tr, i) => { if (alerted.has(rows[i].nationality)) tr.classList.add('hot'); });
    $('#overstays').replaceChildren(tb);
    const asOf = j && j.as_of ? t('ov.as_of', { d: fmtDate(j.as_of) }) : '';
    status.textContent = rows.length ? asOf : `${t('ov.none')} ${asOf}`.trim();
  } catch (e) {
    showError(status, e, t('ov.failed'));
  }
}

// ---- policy ----

function drawPolicy() {
  const p = state.policy;
  const tl = $('#policy-timeline');
  const changes = $('#policy-changes');
  tl.replaceChildren();
  changes.replaceChildren();
  if (!p) return;
  const months = state.flows && state.flows.months.length ? state.flows.months : null;
  const from = months ? `${months[0]}-01` : `${new Date().getUTCFullYear() - 2}-01-01`;
  const to = months ? new Date(monthEndSeconds(months[months.length - 1]) * 1000 - 86400000).toISOString().slice(0, 10)
    : new Date().toISOString().slice(0, 10);
  // The nationalities of the flows; without them, those whose rules change in the period.
  const codes = state.flows ? state.flows.nats.map((n) => n.code)
    : [...new Set(p.rules.filter((r) => /^[A-Z]{1,3}$/.test(r.who) && ((r.from > from && r.from <= to) || (r.to && r.to >= from && r.to < to)))
      .map((r) => r.who))];
  const t0 = daySeconds(from), t1 = daySeconds(to) + 86400;
  const list = el('ul', { class: 'timeline', 'aria-label': t('policy.timeline_label', { from: fmtDate(from), to: fmtDate(to) }) });
  for (const c of codes) {
    const segs = segments(p, c, 'visitor', from, to);
    const track = el('div', { class: 'tl-track' });
    for (const s of segs) {
      const a = (daySeconds(s.from) - t0) / (t1 - t0), b = (daySeconds(s.to) + 86400 - t0) / (t1 - t0);
      const text = t('policy.segment', { rule: describe(s.rule), from: fmtDate(s.from), to: fmtDate(s.to) });
      const seg = el('span', { class: `tl-seg reg-${s.rule ? s.rule.regime : 'none'}`, title: s.rule && s.rule.ref ? `${text}: ${ruleRef(s.rule)}` : text },
        el('span', { class: 'tl-label' }, describe(s.rule)));
      seg.style.left = `${(a * 100).toFixed(3)}%`;
      seg.style.width = `${((b - a) * 100).toFixed(3)}%`;
      seg.setAttribute('aria-label', text);
      track.append(seg);
    }
    list.append(el('li', { class: 'tl-row', 'data-nationality': c }, el('span', { class: 'tl-who', text: c }), track));
    for (const s of segs.slice(1)) {
      const prev = segs[segs.indexOf(s) - 1];
      changes.append(el('li', { 'data-nationality': c },
        el('strong', { text: `${fmtDate(s.from)} ${natName(c)}: ` }),
        `${describe(prev.rule)} → ${describe(s.rule)}`,
        s.rule && s.rule.ref ? refNode(s.rule) : null));
    }
  }
  tl.append(list, el('div', { class: 'tl-axis', 'aria-hidden': 'true' }, el('span', { text: fmtDate(from) }), el('span', { text: fmtDate(to) })));
  if (!changes.children.length) changes.append(el('li', { text: t('policy.no_change') }));
}

async function loadPolicy() {
  const status = $('#policy-status');
  status.textContent = t('policy.loading');
  try {
    const j = await apiGet('/v1/policy');
    state.policy = parsePolicy(j.text || '');
    status.textContent = t('policy.status', { version: j.version ?? '?', where: j.jurisdiction || '?', n: fmtNum(j.rules ?? state.policy.rules.length) });
  } catch (e) {
    state.policy = null;
    showError(status, e, t('policy.failed'));
  }
}

// The period's words for print and for the file names' readers.
function describePeriod() {
  const from = view.from || (state.flows ? state.flows.months[0] : '…');
  const to = view.to || (state.flows ? state.flows.months[state.flows.months.length - 1] : '…');
  $('#period-print').textContent = t('dash.period_print', { from, to, as_of: view.asOf ? fmtDate(view.asOf) : t('dash.as_of_latest') });
}

// Read everything for the period chosen; a later call supersedes one running.
let generation = 0;
async function loadAll() {
  const mine = ++generation;
  document.body.dataset.loaded = 'false';
  state.flows = null;
  // Alerts and the policy first: the flows chart shades and marks them.
  await Promise.all([loadAlerts(), state.policy ? null : loadPolicy()]);
  if (mine !== generation) return;
  await loadFlows();
  if (mine !== generation) return;
  writeAddress();
  drawAlertCharts();
  drawPolicy();
  describePeriod();
  await Promise.all([loadOverstays(), loadPortView(mine)]);
  if (mine !== generation) return;
  document.body.dataset.loaded = 'true';
}

async function loadPortView(mine) {
  const port = await loadPorts(periodQuery(false), view.port);
  if (mine !== generation) return;
  if (port && port !== view.port) {
    view.port = port;
    writeAddress();
  }
  if (port) await loadPortDays(port, periodQuery(false), fileName);
}

// The pickers: checked, put in the address, and everything read again.
function periodChanged() {
  const from = $('#from').value, to = $('#to').value, asOf = $('#as-of').value;
  const help = $('#period-help');
  if (from && to && from > to) {
    help.textContent = t('dash.period_backwards');
    help.classList.add('error');
    return;
  }
  help.textContent = t('dash.period_help');
  help.classList.remove('error');
  view.from = isMonth(from) ? from : '';
  view.to = isMonth(to) ? to : '';
  view.asOf = isDay(asOf) ? asOf : '';
  writeAddress();
  loadAll();
}

async function ready() {
  readAddress();
  $('#from').value = view.from;
  $('#to').value = view.to;
  $('#as-of').value = view.asOf;
  $('#metric').value = view.metric;
  $(`#view-${view.view}`).checked = true;
  for (const id of ['#from', '#to', '#as-of']) $(id).addEventListener('change', periodChanged);
  $('#period').addEventListener('submit', (e) => { e.preventDefault(); periodChanged(); });
  $('#period-all').addEventListener('click', () => {
    $('#from').value = '';
    $('#to').value = '';
    $('#as-of').value = '';
    periodChanged();
  });
  $('#print').addEventListener('click', () => window.print());
  // The printout carries the figures: the closed tables open for it, and close after.
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('#content details:not([open])')];
    opened.forEach((d) => { d.open = true; });
  });
  window.addEventListener('afterprint', () => opened.forEach((d) => { d.open = false; }));
  $('#metric').addEventListener('change', () => {
    view.metric = $('#metric').value;
    writeAddress();
    if (state.flows) drawFlows();
  });
  for (const r of document.querySelectorAll('input[name=view]')) {
    r.addEventListener('change', () => {
      if (!r.checked) return;
      view.view = r.value;
      writeAddress();
      if (state.flows) drawFlows();
    });
  }
  $('#port').addEventListener('change', async () => {
    view.port = $('#port').value;
    writeAddress();
    document.body.dataset.loaded = 'false';
    await loadPortDays(view.port, periodQuery(false), fileName);
    document.body.dataset.loaded = 'true';
  });
  const chart = $('#flows-chart');
  const buttons = downloadButtons(chart, () => fileName(`${view.metric}${view.view === 'index' ? '-index' : ''}`),
    () => chart._spec && chart._spec.label);
  buttons.id = 'flows-box-downloads';
  chart.after(buttons);
  await loadCountryNames();
  await loadAll();
}

startPage({ onReady: ready });
