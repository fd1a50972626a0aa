// traveller.js: one traveller's record for officers, from
// GET /v1/travellers/{id} (the object `frontera traveller --json` prints):
// stay status and days left, documents, crossings, link reviews, and the
// audit of who looked when the server includes it ("audit"). A supervisor
// (the server says may_review) resolves a link review here: same person
// (link: the records are merged and re-paired) or two people (distinct),
// with a note, through POST /v1/reviews/{id}/resolve; the server audits it
// and the record is read again. Others see the reviews only. The id comes
// from ?id= (the booth links here after recording) or the look-up form. A
// role that may not read personal records (analyst) gets the server's 403,
// shown as a plain refusal: nothing of the record reaches the page.
import { $, el, apiGet, apiPost, startPage, showError, table, todayIso, daysBetween, longDate } from './common.js';
import { t, tn, tOr, fmtDate, fmtDateTime, fmtNum } from './i18n.js';

const KINDS = ['entry', 'exit', 'refusal', 'encounter', 'extension'];

function statusBlock(rec) {
  const today = todayIso();
  const until = rec.authorised_until || null;
  const facts = el('dl', { class: 'facts' });
  const add = (term, value, id) => facts.append(el('div', { id }, el('dt', { text: term }), el('dd', {}, value)));
  let line;
  if (rec.in_country) {
    const left = until ? daysBetween(today, until) : null;
    if (left === null) line = el('p', { class: 'status-line status-in', text: t('trav.in_no_date') });
    else if (left >= 0) line = el('p', { class: 'status-line status-in', text: tn('trav.in_left', left + 1, { until: fmtDate(until) }) });
    else line = el('p', { class: 'status-line status-over', text: tn('trav.in_over', -left, { until: fmtDate(until) }) });
    add(t('trav.days_left_today'), left === null ? '—' : String(Math.max(0, left + 1)), 'days-left');
  } else {
    line = el('p', { class: 'status-line', text: t('trav.not_in') });
  }
  if (rec.days_remaining !== undefined && rec.days_remaining !== null) add(t('trav.days_left_rule'), String(rec.days_remaining), 'rule-days-left');
  if (until) add(t('fact.until'), `${fmtDate(until)} (${longDate(until)}; ${until})`, 'authorised-until');
  if (rec.open_entry) add(t('trav.open_entry'), el('code', { text: rec.open_entry }), 'open-entry');
  const anomalies = Array.isArray(rec.anomalies) ? rec.anomalies : [];
  add(t('trav.anomalies'), anomalies.length ? anomalyWords(anomalies) : t('trav.none'), 'anomalies');
  return [line, el('p', { class: 'help', text: t('trav.today', { today: fmtDate(today) }) }), facts];
}

// The codes of a record in the page's words; an unknown code as sent.
const anomalyWords = (v) => v.map((a) => tOr(`anom.${a}`, a)).join(', ');
const docType = (v) => (v ? `${tOr(`doctype.${v}`, v)} (${v})` : '—');
const dateOr = (v) => (v ? fmtDate(v) : '—');

function documentsTable(docs) {
  return table([
    { key: 'state', title: t('col.issued_by'), rowHeader: true },
    { key: 'number', title: t('col.number'), fmt: (v) => el('code', { text: v || '' }) },
    { key: 'type', title: t('col.type'), fmt: docType },
    { key: 'surname', title: t('col.surname') },
    { key: 'given_names', title: t('col.given_names') },
    { key: 'nationality', title: t('col.nationality') },
    { key: 'birth_date', title: t('col.born'), fmt: dateOr },
    { key: 'sex', title: t('col.sex') },
    { key: 'expiry', title: t('col.expires'), fmt: dateOr },
    { key: 'link', title: t('col.linked_by'), fmt: (v) => tOr(`link.${v}`, v || '—') },
  ], docs, { caption: t('trav.documents_n', { n: docs.length }) });
}

function eventsTable(events) {
  const sorted = [...events].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return table([
    { key: 'at', title: t('col.when'), rowHeader: true, fmt: (v) => el('time', { datetime: v || '', text: fmtDateTime(v) }) },
    { key: 'kind', title: t('col.what'), fmt: (v) => (KINDS.includes(v) ? t(`kind.${v}`) : v) },
    { key: 'port', title: t('col.port') },
    { key: 'admission_class', title: t('col.class'), fmt: (v) => (v ? tOr(`class.${v}`, v) : '—') },
    { key: 'authorised_until', title: t('fact.until'), fmt: dateOr },
    { key: 'paired_with', title: t('col.paired_with'), fmt: (v) => (v ? el('code', { text: v }) : '—') },
    { key: 'anomalies', title: t('trav.anomalies'), fmt: (v) => (Array.isArray(v) && v.length ? anomalyWords(v) : '—') },
    { key: 'event_id', title: t('col.event'), fmt: (v) => el('code', { text: v || '' }) },
  ], sorted, { caption: t('trav.events_n', { n: events.length }) });
}

function auditSection(rec) {
  const sec = el('section', { class: 'card', 'aria-labelledby': 'audit-h' }, el('h2', { id: 'audit-h', text: t('trav.who_looked') }));
  const audit = Array.isArray(rec.audit) ? rec.audit : null;
  if (!audit) {
    sec.append(el('p', { id: 'audit-none', text: t('trav.audit_none') }));
    return sec;
  }
  // the audit's time is UTC: the day as the page writes dates, the second, "UTC"
  const fmtAt = (v, r) => {
    const iso = v || (r.at_ms ? new Date(r.at_ms).toISOString() : '');
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
    return m ? el('time', { datetime: iso, text: `${fmtDate(m[1])} ${m[2]} UTC` }) : iso || '—';
  };
  sec.append(table([
    { key: 'at', title: t('col.when'), rowHeader: true, fmt: fmtAt },
    { key: 'actor', title: t('col.who') },
    { key: 'role', title: t('col.role'), fmt: (v) => tOr(`role.${v}`, v || '—') },
    { key: 'action', title: t('col.what'), fmt: (v) => el('code', { text: v || '' }) },
    { key: 'origin', title: t('col.from') },
    { key: 'status', title: t('col.answer'), num: true },
  ], audit, { caption: t('trav.audit_n', { n: audit.length }) }));
  return sec;
}

// A review's evidence in the page's language: the weight, why it is never
// linked without a review, and each comparison with its bits (the server
// reads them from the stored text: comparisons, never_linked_without_review);
// the stored English text when it could not.
function evidence(r) {
  if (!Array.isArray(r.comparisons)) return el('p', { class: 'evidence', lang: 'en', text: r.reason });
  const bits = (b) => fmtNum(b, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'always' });
  const head = el('p', { class: 'evidence' },
    t('ev.weight', { bits: fmtNum(r.weight, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }),
    r.never_linked_without_review ? ` ${t(`nolink.${r.never_linked_without_review}`)}` : '');
  const list = el('ul', { class: 'evidence-items', 'aria-label': t('ev.caption') },
    r.comparisons.map((c) => el('li', {},
      el('span', { class: c.bits < 0 ? 'ev-bits ev-against' : 'ev-bits', text: bits(c.bits) }), ' ',
      t(`ev.${c.field}.${c.level}`))));
  return el('div', { class: 'evidence-block' }, head, list);
}

// One open review: the evidence, and for a supervisor the two decisions.
function reviewItem(rec, r) {
  const other = r.traveller_id === rec.traveller_id ? r.candidate_traveller_id : r.traveller_id;
  const li = el('li', { class: 'review', id: `review-${r.id}` },
    el('p', {}, el('strong', { text: t('rev.title', { id: r.id }) }), ' ',
      el('a', { href: `/traveller?id=${encodeURIComponent(other)}`, text: t('rev.same_as', { id: other }) })),
    evidence(r));
  if (!rec.may_review || r.id === undefined) return li;
  const note = el('input', { id: `note-${r.id}`, type: 'text', maxlength: '400', required: '', 'aria-label': t('rev.note_for', { id: r.id }) });
  const msg = el('p', { class: 'help', role: 'status' });
  const decide = async (decision) => {
    if (note.value.trim().length < 3) { // either answer says why (the server refuses it too)
      msg.textContent = t('rev.need_note');
      note.focus();
      return;
    }
    msg.textContent = t('rev.saving');
    try {
      await apiPost(`/v1/reviews/${r.id}/resolve`, { decision, note: note.value.trim() });
      open(String(decision === 'link' ? r.candidate_traveller_id : rec.traveller_id));
    } catch (e) {
      msg.textContent = '';
      showError(li, e, t('rev.not_saved'));
    }
  };
  const link = el('button', { type: 'button', class: 'primary review-link', text: t('rev.link') });
  const distinct = el('button', { type: 'button', class: 'secondary review-distinct', text: t('rev.distinct') });
  link.addEventListener('click', () => decide('link'));
  distinct.addEventListener('click', () => decide('distinct'));
  li.append(el('label', { for: `note-${r.id}`, text: t('rev.why') }), note,
    el('div', { class: 'actions' }, link, distinct), msg);
  return li;
}

function reviewsSection(rec, reviews) {
  return el('section', { class: 'card', 'aria-labelledby': 'rev-h', id: 'reviews' },
    el('h2', { id: 'rev-h', text: t('trav.reviews') }),
    el('p', { class: 'help', text: rec.may_review ? t('rev.help_supervisor') : t('rev.help_officer') }),
    el('ul', {}, reviews.map((r) => reviewItem(rec, r))));
}

function showTraveller(rec) {
  const out = $('#traveller');
  const docs = Array.isArray(rec.documents) ? rec.documents : [];
  const events = Array.isArray(rec.events) ? rec.events : [];
  const reviews = Array.isArray(rec.reviews) ? rec.reviews : [];
  // one convention everywhere (the MRZ's order, as `frontera admit` and `traveller` print it)
  const name = docs.length
    ? [docs[0].surname, docs[0].given_names].filter(Boolean).join(', ')
    : '';
  const sections = [
    el('section', { class: 'card', 'aria-labelledby': 'stay-h', id: 'stay' },
      el('h2', { id: 'stay-h', text: `${t('trav.traveller', { id: rec.traveller_id })}${name ? `: ${name}` : ''}` }),
      ...statusBlock(rec)),
    el('section', { class: 'card', 'aria-labelledby': 'docs-h' }, el('h2', { id: 'docs-h', text: t('trav.documents') }),
      el('div', { class: 'table-wrap' }, docs.length ? documentsTable(docs) : el('p', { text: t('trav.no_document') }))),
    el('section', { class: 'card', 'aria-labelledby': 'hist-h' }, el('h2', { id: 'hist-h', text: t('trav.history') }),
      el('div', { class: 'table-wrap' }, events.length ? eventsTable(events) : el('p', { text: t('trav.no_event') }))),
    reviews.length ? reviewsSection(rec, reviews) : null,
    auditSection(rec)];
  out.replaceChildren(...sections.filter(Boolean));
}

function showDenied(e) {
  const out = $('#traveller');
  out.replaceChildren();
  const box = showError(out, e, e.status === 403 ? t('trav.denied') : t('trav.not_signed_in'));
  box.classList.add('big');
  box.id = 'denied';
  box.append(el('p', { lang: document.documentElement.lang, text: e.status === 403 ? t('trav.role_note') : t('trav.sign_in_again') }));
}

async function open(id) {
  const out = $('#traveller');
  out.replaceChildren(el('p', { class: 'help', text: t('trav.opening') }));
  try {
    const rec = await apiGet(`/v1/travellers/${encodeURIComponent(id)}`);
    showTraveller(rec);
    document.title = `${t('trav.traveller', { id: rec.traveller_id })} · frontera`;
  } catch (e) {
    if (e.status === 403 || e.status === 401) showDenied(e);
    else if (e.status === 404) showError(out, e, t('trav.no_traveller', { id }));
    else showError(out, e, t('trav.read_failed'));
  }
}

function ready() {
  const id = new URLSearchParams(location.search).get('id');
  if (id) {
    $('#tid').value = id;
    open(id);
  } else {
    $('#tid').focus();
  }
}

$('#lookup').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const id = $('#tid').value.trim();
  if (!id) return;
  history.replaceState(null, '', `/traveller?id=${encodeURIComponent(id)}`);
  open(id);
});
startPage({ onReady: ready });
