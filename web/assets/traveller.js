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

const ROLE_NOTE = 'Personal records are open to officers, supervisors and administrators only; analysts see '
  + 'aggregate reports. Sign in with an officer token to open this record.';

function statusBlock(t) {
  const today = todayIso();
  const until = t.authorised_until || null;
  const facts = el('dl', { class: 'facts' });
  const add = (term, value, id) => facts.append(el('div', { id }, el('dt', { text: term }), el('dd', {}, value)));
  let line;
  if (t.in_country) {
    const left = until ? daysBetween(today, until) : null;
    if (left === null) line = el('p', { class: 'status-line status-in', text: 'In the country (no authorised-until date recorded).' });
    else if (left >= 0) line = el('p', { class: 'status-line status-in', text: `In the country: ${left + 1} day${left ? 's' : ''} left, through ${until}.` });
    else line = el('p', { class: 'status-line status-over', text: `In the country and overstaying: ${-left} day${left === -1 ? '' : 's'} past ${until}.` });
    add('Days left (as of today)', left === null ? '—' : String(Math.max(0, left + 1)), 'days-left');
  } else {
    line = el('p', { class: 'status-line', text: 'Not in the country (no open entry).' });
  }
  if (t.days_remaining !== undefined && t.days_remaining !== null) add('Days left under the stay rule', String(t.days_remaining), 'rule-days-left');
  if (until) add('Authorised until', `${until} (${longDate(until)})`, 'authorised-until');
  if (t.open_entry) add('Open entry', el('code', { text: t.open_entry }), 'open-entry');
  const anomalies = Array.isArray(t.anomalies) ? t.anomalies : [];
  add('Anomalies', anomalies.length ? anomalies.join(', ') : 'none', 'anomalies');
  return [line, el('p', { class: 'help', text: `Today is ${today}.` }), facts];
}

function documentsTable(docs) {
  return table([
    { key: 'state', title: 'Issued by', rowHeader: true },
    { key: 'number', title: 'Number', fmt: (v) => el('code', { text: v || '' }) },
    { key: 'type', title: 'Type' },
    { key: 'surname', title: 'Surname' },
    { key: 'given_names', title: 'Given names' },
    { key: 'nationality', title: 'Nationality' },
    { key: 'birth_date', title: 'Born' },
    { key: 'sex', title: 'Sex' },
    { key: 'expiry', title: 'Expires' },
    { key: 'link', title: 'Linked by' },
  ], docs, { caption: `Documents (${docs.length})` });
}

function eventsTable(events) {
  const sorted = [...events].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return table([
    { key: 'at', title: 'When', rowHeader: true },
    { key: 'kind', title: 'What' },
    { key: 'port', title: 'Port' },
    { key: 'admission_class', title: 'Class' },
    { key: 'authorised_until', title: 'Authorised until' },
    { key: 'paired_with', title: 'Paired with', fmt: (v) => (v ? el('code', { text: v }) : '—') },
    { key: 'anomalies', title: 'Anomalies', fmt: (v) => (Array.isArray(v) && v.length ? v.join(', ') : '—') },
    { key: 'event_id', title: 'Event', fmt: (v) => el('code', { text: v || '' }) },
  ], sorted, { caption: `Crossings and other events, newest first (${events.length})` });
}

function auditSection(t) {
  const sec = el('section', { class: 'card', 'aria-labelledby': 'audit-h' }, el('h2', { id: 'audit-h', text: 'Who looked at this record' }));
  const audit = Array.isArray(t.audit) ? t.audit : null;
  if (!audit) {
    sec.append(el('p', { id: 'audit-none', text: 'This server does not return the access log with the record. Every read, '
      + 'including this one, is written to the server\'s audit log (who, when, from where); an administrator reads it '
      + 'and checks its hash chain with frontera audit verify.' }));
    return sec;
  }
  const fmtAt = (v, r) => (v || (r.at_ms ? new Date(r.at_ms).toISOString() : '—'));
  sec.append(table([
    { key: 'at', title: 'When', rowHeader: true, fmt: fmtAt },
    { key: 'actor', title: 'Who' },
    { key: 'role', title: 'Role' },
    { key: 'action', title: 'What' },
    { key: 'origin', title: 'From' },
    { key: 'status', title: 'Answer', num: true },
  ], audit, { caption: `Access log entries (${audit.length})` }));
  return sec;
}

// One open review: the evidence, and for a supervisor the two decisions.
function reviewItem(t, r) {
  const other = r.traveller_id === t.traveller_id ? r.candidate_traveller_id : r.traveller_id;
  const li = el('li', { class: 'review', id: `review-${r.id}` },
    el('p', {}, el('strong', { text: `Review ${r.id}: ` }),
      'may be the same person as ',
      el('a', { href: `/traveller?id=${encodeURIComponent(other)}`, text: `traveller ${other}` })),
    el('p', { class: 'evidence', text: r.reason }));
  if (!t.may_review || r.id === undefined) return li;
  const note = el('input', { id: `note-${r.id}`, type: 'text', maxlength: '400', 'aria-label': `Note for review ${r.id}` });
  const msg = el('p', { class: 'help', role: 'status' });
  const decide = async (decision) => {
    msg.textContent = 'Saving…';
    try {
      await apiPost(`/v1/reviews/${r.id}/resolve`, { decision, note: note.value.trim() });
      open(String(decision === 'link' ? r.candidate_traveller_id : t.traveller_id));
    } catch (e) {
      msg.textContent = '';
      showError(li, e, 'The decision was not saved');
    }
  };
  const link = el('button', { type: 'button', class: 'primary review-link', text: 'Same person: link' });
  const distinct = el('button', { type: 'button', class: 'secondary review-distinct', text: 'Two people: keep apart' });
  link.addEventListener('click', () => decide('link'));
  distinct.addEventListener('click', () => decide('distinct'));
  li.append(el('label', { for: `note-${r.id}`, text: 'Why (kept in the audit log)' }), note,
    el('div', { class: 'actions' }, link, distinct), msg);
  return li;
}

function reviewsSection(t, reviews) {
  return el('section', { class: 'card', 'aria-labelledby': 'rev-h', id: 'reviews' },
    el('h2', { id: 'rev-h', text: 'Link reviews' }),
    el('p', { class: 'help', text: t.may_review
      ? 'Compare the documents and crossings of both records before deciding. Linking merges them and re-pairs the crossings; a wrong link can be split off again.'
      : 'A supervisor decides these. Until then the other record is never counted at the booth: the decision refers.' }),
    el('ul', {}, reviews.map((r) => reviewItem(t, r))));
}

function showTraveller(t) {
  const out = $('#traveller');
  const docs = Array.isArray(t.documents) ? t.documents : [];
  const events = Array.isArray(t.events) ? t.events : [];
  const reviews = Array.isArray(t.reviews) ? t.reviews : [];
  // one convention everywhere (the MRZ's order, as `frontera admit` and `traveller` print it)
  const name = docs.length
    ? [docs[0].surname, docs[0].given_names].filter(Boolean).join(', ')
    : '';
  const sections = [
    el('section', { class: 'card', 'aria-labelledby': 'stay-h', id: 'stay' },
      el('h2', { id: 'stay-h', text: `Traveller ${t.traveller_id}${name ? `: ${name}` : ''}` }),
      ...statusBlock(t)),
    el('section', { class: 'card', 'aria-labelledby': 'docs-h' }, el('h2', { id: 'docs-h', text: 'Documents' }),
      el('div', { class: 'table-wrap' }, docs.length ? documentsTable(docs) : el('p', { text: 'No document.' }))),
    el('section', { class: 'card', 'aria-labelledby': 'hist-h' }, el('h2', { id: 'hist-h', text: 'History' }),
      el('div', { class: 'table-wrap' }, events.length ? eventsTable(events) : el('p', { text: 'No event recorded.' }))),
    reviews.length ? reviewsSection(t, reviews) : null,
    auditSection(t)];
  out.replaceChildren(...sections.filter(Boolean));
}

function showDenied(e) {
  const out = $('#traveller');
  out.replaceChildren();
  const box = showError(out, e, e.status === 403 ? 'Access denied' : 'Not signed in');
  box.classList.add('big');
  box.id = 'denied';
  box.append(el('p', { text: e.status === 403 ? ROLE_NOTE : 'Sign in again with a valid token.' }));
}

async function open(id) {
  const out = $('#traveller');
  out.replaceChildren(el('p', { class: 'help', text: 'Opening…' }));
  try {
    const t = await apiGet(`/v1/travellers/${encodeURIComponent(id)}`);
    showTraveller(t);
    document.title = `Traveller ${t.traveller_id} · frontera`;
  } catch (e) {
    if (e.status === 403 || e.status === 401) showDenied(e);
    else if (e.status === 404) showError(out, e, `No traveller ${id}`);
    else showError(out, e, 'The record could not be read');
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
