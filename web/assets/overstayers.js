// overstayers.js: the list to act on. The form's date and filters become
// GET /v1/overstayers?...; the rows are shown as a table (most days over
// first; the first 500), and "Download CSV" fetches the same list as CSV with the chosen
// separator (or as an XLSX workbook) and saves it (the token goes in the header, never in a link).
// A role that may not see the list (officer, analyst) gets the server's 403.
import { $, el, api, apiGet, token, startPage, showError, table, todayIso } from './common.js';
import { t, tn, fmtDate, fmtNum, lang } from './i18n.js';

const SEP_KEY = 'frontera.csv_sep';
const SHOWN = 500;

function query(format) {
  const p = new URLSearchParams();
  p.set('as_of', $('#as-of').value || todayIso());
  const nat = $('#nationality').value.trim(); // the server reads a code or a name
  if (nat) p.set('nationality', nat);
  const port = $('#ovl-port').value.trim().toUpperCase();
  if (port) p.set('port', port);
  const min = $('#min-days').value.trim();
  if (min) p.set('min_days_over', min);
  if (format === 'csv') {
    p.set('format', 'csv');
    p.set('sep', $('#sep').value);
  } else if (format === 'xlsx') {
    p.set('format', 'xlsx');
    p.set('lang', lang()); // its headings are read by a person
  } else {
    p.set('limit', String(SHOWN)); // the page shows the first ones; the CSV has everyone
  }
  return `/v1/overstayers?${p}`;
}

async function show(ev) {
  if (ev) ev.preventDefault();
  const status = $('#ovl-status');
  status.textContent = t('ovl.loading');
  $('#ovl-table').replaceChildren();
  try {
    const j = await apiGet(query('json'));
    const rows = Array.isArray(j.rows) ? j.rows : [];
    status.textContent = rows.length
      ? `${tn('ovl.count', j.total, { date: fmtDate(j.as_of) })}${j.total > rows.length ? ` ${t('ovl.cut', { n: fmtNum(rows.length) })}` : ''}`
      : t('ovl.none', { date: fmtDate(j.as_of) });
    if (!rows.length) return;
    const tb = table([
      { key: 'surname', title: t('col.surname'), rowHeader: true },
      { key: 'given_names', title: t('col.given_names') },
      { key: 'nationality', title: t('col.nationality') },
      { key: 'document_number', title: t('ovl.document'), fmt: (v, r) => el('code', { text: `${r.document_state || ''}:${v || ''}` }) },
      { key: 'birth_date', title: t('col.born'), fmt: (v) => (v ? fmtDate(v) : '—') },
      { key: 'entered', title: t('ovl.entered'), fmt: (v) => fmtDate(v) },
      { key: 'entry_port', title: t('col.port') },
      { key: 'authorised_until', title: t('fact.until'), fmt: (v) => fmtDate(v) },
      { key: 'days_over', title: t('ovl.days_over'), num: true, fmt: (v) => fmtNum(v) },
      { key: 'traveller_id', title: t('ovl.record'), fmt: (v) => el('a', { href: `/traveller?id=${encodeURIComponent(v)}`, text: String(v) }) },
    ], rows, { caption: t('ovl.caption', { date: fmtDate(j.as_of) }) });
    tb.id = 'ovl-list';
    $('#ovl-table').replaceChildren(tb);
  } catch (e) {
    showError(status, e, t('ovl.failed'));
  }
}

async function download(format) {
  localStorage.setItem(SEP_KEY, $('#sep').value);
  const status = $('#ovl-status');
  try {
    const res = await fetch(query(format), { headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' });
    if (!res.ok) {
      // the problem document, through the same client as the rest
      await api('GET', query('json'));
      return;
    }
    const blob = await res.blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: `overstayers-${$('#as-of').value || todayIso()}.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
    status.textContent = t('ovl.downloaded');
  } catch (e) {
    showError(status, e, t('ovl.failed'));
  }
}

function ready() {
  const q = new URLSearchParams(location.search);
  $('#as-of').value = q.get('as_of') || todayIso();
  $('#sep').value = localStorage.getItem(SEP_KEY) || 'semicolon';
  show();
}

$('#ovl-form').addEventListener('submit', show);
$('#download').addEventListener('click', () => download('csv'));
$('#download-xlsx').addEventListener('click', () => download('xlsx'));
startPage({ onReady: ready });
