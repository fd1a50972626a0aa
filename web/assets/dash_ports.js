// dash_ports.js: the dashboard's port and day view. The ports of the period
// (GET /v1/reports/flows?by=port, busiest first) fill the picker; the port
// chosen is drawn day by day from GET /v1/reports/port-days (entries, exits
// and refusals, the quiet days as zeros), with its figures as a table, the
// busiest day in words, and the SVG and PNG downloads. Each read of a port's
// days is audited by the server (report.port_days).
import { $, el, apiGet, showError, table } from './common.js';
import { monthlyChart } from './charts.js';
import { downloadButtons } from './chartsvg.js';
import { t, fmtNum, fmtDate } from './i18n.js';

const rowsOf = (j) => (j && Array.isArray(j.rows) ? j.rows : []);
const COLORS = { entries: '#1f77b4', exits: '#2ca02c', refusals: '#d62728' };

// Fill the picker with the ports of the period (q: "&from=..&to=..");
// returns the port to show: want when it is there, else the busiest.
export async function loadPorts(q, want) {
  const status = $('#port-status');
  const sel = $('#port');
  try {
    const ports = rowsOf(await apiGet(`/v1/reports/flows?by=port${q}`))
      .filter((r) => r.port).sort((a, b) => b.entries + b.exits - a.entries - a.exits);
    sel.replaceChildren(...ports.map((r) => el('option', { value: r.port },
      t('dash.port_option', { port: r.port, n: fmtNum(r.entries + r.exits) }))));
    if (!ports.length) {
      status.textContent = t('dash.no_ports');
      $('#port-chart').replaceChildren();
      $('#port-table').replaceChildren();
      $('#port-desc').textContent = '';
      return '';
    }
    const port = ports.some((r) => r.port === want) ? want : ports[0].port;
    sel.value = port;
    return port;
  } catch (e) {
    showError(status, e, t('dash.port_failed'));
    return '';
  }
}

// Draw one port's days. fileName(what) names the downloads.
export async function loadPortDays(port, q, fileName) {
  const status = $('#port-status');
  const box = $('#port-chart');
  status.textContent = t('dash.loading_port', { port });
  try {
    const j = await apiGet(`/v1/reports/port-days?port=${encodeURIComponent(port)}${q}`);
    const rows = rowsOf(j);
    const days = rows.map((r) => r.day);
    const keys = ['entries', 'exits', 'refusals'];
    const name = { entries: t('metric.entries'), exits: t('metric.exits'), refusals: t('metric.refusals') };
    const title = () => t('dash.port_chart', { port, from: fmtDate(j.from), to: fmtDate(j.to) });
    monthlyChart(box, {
      days, height: 300, yLabel: t('dash.per_day'), label: title(),
      series: keys.map((k) => ({ label: name[k], color: COLORS[k], width: k === 'refusals' ? 1.5 : 2, values: rows.map((r) => r[k]) })),
    });
    box.dataset.port = port;
    box.dataset.days = String(rows.length);
    if (!box.nextElementSibling || !box.nextElementSibling.classList.contains('downloads')) {
      box.after(downloadButtons(box, () => fileName(`port-${box.dataset.port}`), () => box._spec && box._spec.label));
    }
    const busiest = rows.reduce((b, r) => (r.entries + r.exits > b.entries + b.exits ? r : b), rows[0] || { entries: 0, exits: 0 });
    const quiet = rows.filter((r) => !r.entries && !r.exits).length;
    $('#port-desc').textContent = rows.length
      ? t('dash.port_desc', {
        port, entries: fmtNum(j.total.entries), exits: fmtNum(j.total.exits), refusals: fmtNum(j.total.refusals),
        days: fmtNum(rows.length), busiest: fmtDate(busiest.day), n: fmtNum(busiest.entries + busiest.exits), quiet: fmtNum(quiet),
      })
      : '';
    const cols = [{ key: 'day', title: t('col.day'), rowHeader: true, fmt: fmtDate },
      ...keys.map((k) => ({ key: k, title: name[k], num: true, fmt: (v) => fmtNum(v) }))];
    $('#port-table').replaceChildren(table(cols, rows, { caption: title() }));
    status.textContent = '';
  } catch (e) {
    box.replaceChildren();
    showError(status, e, t('dash.port_failed'));
  }
}
