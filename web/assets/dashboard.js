// dashboard.js: the analysts' dashboard. Four independent reads, each shown
// in its own section (one failing, a 403 for an officer say, leaves the
// others working):
//   GET /v1/reports/flows?by=nationality,month  -> the flows chart and table
//   GET /v1/alerts                               -> the alert list, the shaded
//                                                   episodes, one small chart each
//   GET /v1/reports/overstays?by=nationality     -> the overstay table
//   GET /v1/policy                               -> the policy timeline and the
//                                                   change marks on the charts
// The answers are arrays of rows, or objects holding one ("rows", "alerts",
// "items"): both are accepted.
import { $, el, apiGet, startPage, showError, table } from './common.js';
import { monthlyChart, PALETTE, monthSeconds, monthEndSeconds, daySeconds } from './charts.js';
import { parsePolicy, segments, describe } from './policy.js';

const NAMES = {
  USA: 'United States', COL: 'Colombia', PER: 'Peru', ESP: 'Spain', VEN: 'Venezuela', CHN: 'China',
  CAN: 'Canada', D: 'Germany', MEX: 'Mexico', CHL: 'Chile', GBR: 'United Kingdom', ARG: 'Argentina',
  ITA: 'Italy', FRA: 'France', CUB: 'Cuba', HTI: 'Haiti', ECU: 'Ecuador', BRA: 'Brazil', BOL: 'Bolivia',
};
const natName = (c) => (NAMES[c] ? `${NAMES[c]} (${c})` : c);
// Alert metrics -> the flows measure they are about.
const METRIC_TO_FLOW = { arrivals: 'entries', entries: 'entries', exits: 'exits', departures: 'exits', refusals: 'refusals', encounters: 'encounters' };

const state = { flows: null, alerts: [], policy: null, selected: new Set() };

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

function alertBands(codes, metric) {
  return state.alerts.filter((a) => codes.includes(a.nationality)
      && (METRIC_TO_FLOW[a.metric] ? METRIC_TO_FLOW[a.metric] === metric : true))
    .map((a) => ({
      from: monthSeconds(a.since || a.period),
      to: monthEndSeconds(a.until || a.period),
      label: `${a.nationality} ${a.metric}${a.ongoing ? ' (ongoing)' : ''}`,
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

function drawFlows() {
  const { months, nats } = state.flows;
  const metric = $('#metric').value;
  const chosen = nats.filter((n) => state.selected.has(n.code));
  const box = $('#flows-chart');
  if (!chosen.length) {
    box.replaceChildren(el('p', { class: 'help', text: 'Choose at least one nationality.' }));
    box.dataset.series = '0';
    return;
  }
  const series = chosen.map((n) => ({
    label: n.code, color: n.color, values: months.map((m) => value(n.byMonth.get(m), metric)),
  }));
  const codes = chosen.map((n) => n.code);
  monthlyChart(box, {
    months, series, bands: alertBands(codes, metric), marks: policyMarks(codes), height: 360, yLabel: metric,
    label: `Monthly ${metric} by nationality: ${codes.join(', ')}; the table below gives the figures`,
  });
  const top = chosen.map((n) => {
    const vals = months.map((m) => value(n.byMonth.get(m), metric));
    const peak = Math.max(...vals);
    return `${natName(n.code)} peaks at ${peak.toLocaleString('en')} in ${months[vals.indexOf(peak)]}`;
  });
  $('#flows-desc').textContent = `Monthly ${metric} from ${months[0]} to ${months[months.length - 1]} for ${chosen.length} `
    + `nationalit${chosen.length > 1 ? 'ies' : 'y'}. ${top.slice(0, 4).join('; ')}.`;
  const cols = [{ key: 'month', title: 'Month', rowHeader: true },
    ...chosen.map((n) => ({ key: n.code, title: n.code, num: true }))];
  const rows = months.map((m) => Object.fromEntries([['month', m], ...chosen.map((n) => [n.code, value(n.byMonth.get(m), metric)])]));
  $('#flows-table').replaceChildren(table(cols, rows, { caption: `Monthly ${metric} by nationality` }));
}

function buildPicker() {
  const box = $('#nat-picker');
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const n of state.flows.nats) {
    const id = `nat-${n.code}`;
    const cb = el('input', { type: 'checkbox', id, value: n.code, checked: state.selected.has(n.code) });
    cb.addEventListener('change', () => {
      if (cb.checked) state.selected.add(n.code); else state.selected.delete(n.code);
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
  status.textContent = 'Loading flows…';
  try {
    const j = await apiGet('/v1/reports/flows?by=nationality,month');
    state.flows = indexFlows(rowsOf(j));
    if (!state.flows.months.length) {
      status.textContent = 'No crossings in the ledger yet: import some (frontera import) to see flows.';
      return;
    }
    status.textContent = '';
    const alerted = new Set(state.alerts.map((a) => a.nationality));
    state.flows.nats.forEach((n, i) => { if (i < 6 || alerted.has(n.code)) state.selected.add(n.code); });
    buildPicker();
    drawFlows();
  } catch (e) {
    showError(status, e, 'The flows could not be read');
    state.flows = null;
  }
}

// ---- alerts ----

function alertItem(a) {
  const fig = [];
  const rate = /rate/.test(a.metric || '');
  const show = (v, digits) => (rate ? `${(num(v) * 100).toFixed(1)}%` : num(v).toLocaleString('en', { maximumFractionDigits: digits }));
  if (a.observed !== undefined) fig.push(`observed ${show(a.observed, 0)}`);
  if (a.expected !== undefined) fig.push(`expected ${show(a.expected, 1)}`);
  if (a.factor !== undefined) fig.push(`${num(a.factor).toFixed(1)}×`);
  if (a.z !== undefined) fig.push(`z ${num(a.z).toFixed(1)}`);
  if (a.peak !== undefined && a.peak_period) fig.push(`peak ${show(a.peak, 0)} in ${a.peak_period}`);
  const span = a.since ? `${a.since} to ${a.until || '…'}` : '';
  return el('li', { class: 'alert-item', 'data-nationality': a.nationality, 'data-metric': a.metric },
    el('h3', {}, `${natName(a.nationality)}: ${a.metric} in ${a.period}`, a.ongoing ? el('span', { class: 'tag', text: 'ongoing' }) : null),
    el('p', { class: 'alert-message', text: a.message || '' }),
    el('p', { class: 'figures' }, [fig.join(' · '), span ? ` · episode ${span}` : ''].join('')),
    el('button', {
      type: 'button', class: 'secondary',
      onclick: () => {
        if (!state.flows) return;
        state.selected.add(a.nationality);
        const flowMetric = METRIC_TO_FLOW[a.metric];
        if (flowMetric) $('#metric').value = flowMetric;
        buildPicker();
        drawFlows();
        $('#flows-h').scrollIntoView({ behavior: 'smooth' });
      },
    }, `Show ${a.nationality} on the flows chart`));
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
    const fig = el('figure', { 'data-nationality': code },
      el('figcaption', { id: `${id}-cap`, text: `${natName(code)}: entries, exits, refusals, encounters` }),
      el('div', { id, class: 'chart' }));
    box.append(fig);
    const series = [
      { label: 'entries', color: '#1f77b4', values: months.map((m) => value(n.byMonth.get(m), 'entries')) },
      { label: 'exits', color: '#2ca02c', values: months.map((m) => value(n.byMonth.get(m), 'exits')) },
      { label: 'refusals', color: '#d62728', values: months.map((m) => value(n.byMonth.get(m), 'refusals')) },
      { label: 'encounters', color: '#9467bd', values: months.map((m) => value(n.byMonth.get(m), 'encounters')) },
    ];
    const bands = state.alerts.filter((a) => a.nationality === code).map((a) => ({
      from: monthSeconds(a.since || a.period), to: monthEndSeconds(a.until || a.period), label: a.metric,
    }));
    monthlyChart($(`#${id}`), {
      months, series, bands, marks: policyMarks([code]), height: 220,
      label: `${natName(code)}: monthly entries, exits, refusals and encounters, alert episodes shaded`,
    });
  }
}

async function loadAlerts() {
  const status = $('#alerts-status');
  status.textContent = 'Loading alerts…';
  try {
    const j = await apiGet('/v1/alerts');
    state.alerts = rowsOf(j, 'alerts').filter((a) => a && a.nationality);
    const list = $('#alerts');
    list.replaceChildren(...state.alerts.map(alertItem));
    status.textContent = state.alerts.length
      ? `${state.alerts.length} alert${state.alerts.length > 1 ? 's' : ''}: the episodes are shaded on the charts.`
      : 'No alerts: no monthly flow stands out from its seasonal baseline.';
  } catch (e) {
    state.alerts = [];
    showError(status, e, 'The alerts could not be read');
  }
}

// ---- overstays ----

async function loadOverstays() {
  const status = $('#overstays-status');
  status.textContent = 'Loading overstays…';
  try {
    const j = await apiGet('/v1/reports/overstays?by=nationality');
    const rows = rowsOf(j).filter((r) => r.nationality)
      .sort((a, b) => num(b.in_country_overstays) - num(a.in_country_overstays));
    const pct = (v) => (v === undefined || v === null ? '—' : `${(num(v) * 100).toFixed(1)}%`);
    const cols = [
      { key: 'nationality', title: 'Nationality', rowHeader: true, fmt: natName },
      { key: 'expected_departures', title: 'Expected departures', num: true },
      { key: 'in_time', title: 'Left in time', num: true },
      { key: 'out_of_country_overstays', title: 'Left late', num: true },
      { key: 'in_country_overstays', title: 'Not left', num: true },
      { key: 'overstay_rate', title: 'Overstay rate', num: true, fmt: pct },
      { key: 'crude_rate', title: 'Crude rate', num: true, fmt: pct },
    ];
    const t = table(cols, rows, { caption: 'Overstays by nationality (most not left first)' });
    t.id = 'overstay-table';
    const alerted = new Set(state.alerts.map((a) => a.nationality));
    [...t.tBodies[0].rows].forEach((tr, i) => { if (alerted.has(rows[i].nationality)) tr.classList.add('hot'); });
    $('#overstays').replaceChildren(t);
    status.textContent = rows.length ? '' : 'No admissions whose stay has ended yet.';
  } catch (e) {
    showError(status, e, 'The overstays could not be read');
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
  const list = el('ul', { class: 'timeline', 'aria-label': `Visitor rules from ${from} to ${to}` });
  for (const c of codes) {
    const segs = segments(p, c, 'visitor', from, to);
    const track = el('div', { class: 'tl-track' });
    for (const s of segs) {
      const a = (daySeconds(s.from) - t0) / (t1 - t0), b = (daySeconds(s.to) + 86400 - t0) / (t1 - t0);
      const text = `${describe(s.rule)} from ${s.from} to ${s.to}`;
      const seg = el('span', { class: `tl-seg reg-${s.rule ? s.rule.regime : 'none'}`, title: s.rule && s.rule.ref ? `${text}: ${s.rule.ref}` : text },
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
        el('strong', { text: `${s.from} ${natName(c)}: ` }),
        `${describe(prev.rule)} → ${describe(s.rule)}`,
        s.rule && s.rule.ref ? el('span', { class: 'aside', text: ` (${s.rule.ref})` }) : null));
    }
  }
  tl.append(list, el('div', { class: 'tl-axis', 'aria-hidden': 'true' }, el('span', { text: from }), el('span', { text: to })));
  if (!changes.children.length) changes.append(el('li', { text: 'No change for these nationalities in the period.' }));
}

async function loadPolicy() {
  const status = $('#policy-status');
  status.textContent = 'Loading the policy…';
  try {
    const j = await apiGet('/v1/policy');
    state.policy = parsePolicy(j.text || '');
    status.textContent = `Policy version ${j.version ?? '?'}${j.jurisdiction ? ` for ${j.jurisdiction}` : ''}: `
      + `${j.rules ?? state.policy.rules.length} rules. Visitors' regime by nationality over the period of the flows.`;
  } catch (e) {
    state.policy = null;
    showError(status, e, 'The policy could not be read');
  }
}

async function ready() {
  $('#metric').addEventListener('change', () => { if (state.flows) drawFlows(); });
  // Alerts and the policy first: the flows chart shades and marks them.
  await Promise.all([loadAlerts(), loadPolicy()]);
  await loadFlows();
  drawAlertCharts();
  drawPolicy();
  await loadOverstays();
  document.body.dataset.loaded = 'true';
}

startPage({ onReady: ready });
