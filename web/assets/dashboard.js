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
import { t, tn, fmtNum, fmtDate, serverText } from './i18n.js';
import { MESSAGES } from './messages.js';

// The nationalities the demo shows most, by name in the page's language.
const natName = (c) => (MESSAGES.en[`country.${c}`] !== undefined ? `${t(`country.${c}`)} (${c})` : c);
const metricName = (m) => (MESSAGES.en[`metric.${m}`] !== undefined ? t(`metric.${m}`) : m);
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

function drawFlows() {
  const { months, nats } = state.flows;
  const metric = $('#metric').value;
  const chosen = nats.filter((n) => state.selected.has(n.code));
  const box = $('#flows-chart');
  if (!chosen.length) {
    box.replaceChildren(el('p', { class: 'help', text: t('dash.choose') }));
    box.dataset.series = '0';
    return;
  }
  const series = chosen.map((n) => ({
    label: n.code, color: n.color, values: months.map((m) => value(n.byMonth.get(m), metric)),
  }));
  const codes = chosen.map((n) => n.code);
  monthlyChart(box, {
    months, series, bands: alertBands(codes, metric), marks: policyMarks(codes), height: 360, yLabel: metricName(metric),
    label: t('dash.chart_label', { metric: metricName(metric), codes: codes.join(', ') }),
  });
  const top = chosen.map((n) => {
    const vals = months.map((m) => value(n.byMonth.get(m), metric));
    const peak = Math.max(...vals);
    return t('dash.peak', { who: natName(n.code), peak: fmtNum(peak), month: months[vals.indexOf(peak)] });
  });
  $('#flows-desc').textContent = `${tn('dash.desc', chosen.length, { metric: metricName(metric), from: months[0], to: months[months.length - 1] })} ${top.slice(0, 4).join('; ')}.`;
  const cols = [{ key: 'month', title: t('col.month'), rowHeader: true },
    ...chosen.map((n) => ({ key: n.code, title: n.code, num: true }))];
  const rows = months.map((m) => Object.fromEntries([['month', m], ...chosen.map((n) => [n.code, value(n.byMonth.get(m), metric)])]));
  $('#flows-table').replaceChildren(table(cols, rows, { caption: t('dash.table_caption', { metric: metricName(metric) }) }));
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
  status.textContent = t('dash.loading_flows');
  try {
    const j = await apiGet('/v1/reports/flows?by=nationality,month');
    state.flows = indexFlows(rowsOf(j));
    if (!state.flows.months.length) {
      status.textContent = t('dash.no_flows');
      return;
    }
    status.textContent = '';
    const alerted = new Set(state.alerts.map((a) => a.nationality));
    state.flows.nats.forEach((n, i) => { if (i < 6 || alerted.has(n.code)) state.selected.add(n.code); });
    buildPicker();
    drawFlows();
  } catch (e) {
    showError(status, e, t('dash.flows_failed'));
    state.flows = null;
  }
}

// ---- alerts ----

function alertItem(a) {
  const fig = [];
  const rate = /rate/.test(a.metric || '');
  const show = (v, digits) => (rate ? `${fmtNum(num(v) * 100, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%` : fmtNum(num(v), { maximumFractionDigits: digits }));
  if (a.observed !== undefined) fig.push(t('alert.observed', { v: show(a.observed, 0) }));
  if (a.expected !== undefined) fig.push(t('alert.expected', { v: show(a.expected, 1) }));
  if (a.factor !== undefined) fig.push(`${fmtNum(num(a.factor), { maximumFractionDigits: 1, minimumFractionDigits: 1 })}×`);
  if (a.z !== undefined) fig.push(`z ${fmtNum(num(a.z), { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`);
  if (a.peak !== undefined && a.peak_period) fig.push(t('alert.peak', { v: show(a.peak, 0), period: a.peak_period }));
  const span = a.since ? t('alert.span', { from: a.since, to: a.until || '…' }) : '';
  return el('li', { class: 'alert-item', 'data-nationality': a.nationality, 'data-metric': a.metric },
    el('h3', {}, t('alert.title', { who: natName(a.nationality), metric: metricName(a.metric), period: a.period }), a.ongoing ? el('span', { class: 'tag', text: t('dash.ongoing') }) : null),
    serverText(el('p', { class: 'alert-message', text: a.message || '' })),
    el('p', { class: 'figures' }, [fig.join(' · '), span ? ` · ${span}` : ''].join('')),
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
    const fig = el('figure', { 'data-nationality': code },
      el('figcaption', { id: `${id}-cap`, text: t('alert.caption', { who: natName(code) }) }),
      el('div', { id, class: 'chart' }));
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
    const j = await apiGet('/v1/alerts');
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
    const j = await apiGet('/v1/reports/overstays?by=nationality');
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
    status.textContent = rows.length ? '' : t('ov.none');
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
        el('strong', { text: `${fmtDate(s.from)} ${natName(c)}: ` }),
        `${describe(prev.rule)} → ${describe(s.rule)}`,
        s.rule && s.rule.ref ? serverText(el('span', { class: 'aside', text: ` (${s.rule.ref})` })) : null));
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
