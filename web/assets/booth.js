// booth.js: the booth page. Reads the MRZ lines from the text area (pasted,
// or typed by a scanner line by line), the port, the local time with its UTC
// offset and the optional class, visa and intended stay; "Decide" posts them
// to /v1/admissions and shows the answer (docs/admission.md): the outcome in
// words, colour and icon, every reason with its sentence and, for refusals,
// the letter of the EU standard refusal form; the days used and left and the
// authorised-until date. "Record" posts the same admission with record:true.
// Changing any field after a decision withdraws it, so what is recorded is
// always what was shown.
import {
  $, el, apiPost, startPage, showError, offsetFor, localMinute, longDate, daysBetween,
} from './common.js';

// Regulation (EU) 2016/399, Annex V Part B: the reasons on the standard form.
const GROUNDS = {
  A: 'has no valid travel document(s)',
  B: 'has a false, counterfeit or forged travel document',
  C: 'has no valid visa or residence permit',
  D: 'has a false, counterfeit or forged visa or residence permit',
  E: 'has no appropriate documentation justifying the purpose and conditions of stay',
  F: 'has already stayed for the maximum period allowed (90 days in any 180-day period in the Schengen area)',
  G: 'does not have sufficient means of subsistence',
  H: 'is a person for whom an alert has been issued for the purposes of refusing entry',
  I: 'is considered to be a threat to public policy, internal security, public health or international relations',
};

const OUTCOMES = {
  admit: { word: 'ADMIT', icon: '✓', note: 'Admit the traveller.' },
  refer: { word: 'REFER', icon: '!', note: 'Refer to a supervisor: do not admit yet.' },
  refuse: { word: 'REFUSE', icon: '✕', note: 'Refuse entry: give the traveller the refusal form.' },
};
const LEVELS = { refuse: 'Refusal', refer: 'Referral', warning: 'Warning', info: 'Note' };

const MRZ_FORMATS = [
  { lines: 2, len: 44, name: 'passport (TD3)' },
  { lines: 3, len: 30, name: 'ID card (TD1)' },
  { lines: 2, len: 36, name: 'document (TD2)' },
  { lines: 2, len: 44, name: 'visa (MRV-A)' },
];

let lastBody = null; // the admission the decision on screen answers

function mrzLines() {
  return $('#mrz').value.split(/\r?\n/).map((l) => l.trim().toUpperCase().replace(/\s+/g, ''))
    .filter((l) => l.length > 0);
}

function mrzStatus() {
  const lines = mrzLines();
  const out = $('#mrz-status');
  out.classList.remove('ok', 'warn');
  if (lines.length === 0) {
    out.textContent = '';
    return;
  }
  const lens = lines.map((l) => l.length);
  const fmt = MRZ_FORMATS.find((f) => f.lines === lines.length && lens.every((n) => n === f.len));
  if (fmt) {
    out.textContent = `Read ${lines.length} lines of ${fmt.len} characters: ${fmt.name}.`;
    out.classList.add('ok');
    return;
  }
  const bad = /[^A-Z0-9<]/.test(lines.join(''));
  out.textContent = `${lines.length} line${lines.length > 1 ? 's' : ''} of ${lens.join(', ')} characters`
    + (bad ? '; only A-Z, 0-9 and < belong in an MRZ' : '; an MRZ has 2 lines of 44 or 36, or 3 of 30')
    + ' (the server will say what is wrong).';
  out.classList.add('warn');
}

let offsetByHand = false; // the officer corrected the offset: keep it

function setNow() {
  const now = new Date();
  $('#at').value = localMinute(now);
  $('#offset').value = offsetFor(now);
  offsetByHand = false;
}

// A date typed in the other half of the year may have another offset (summer time).
function atChanged() {
  const d = new Date($('#at').value);
  if (!offsetByHand && !Number.isNaN(d.getTime())) $('#offset').value = offsetFor(d);
}

// The request body from the form, or a sentence saying what to fix.
function readForm() {
  const lines = mrzLines();
  if (lines.length < 2) return { error: 'Read the document first: the MRZ needs at least two lines.', field: '#mrz' };
  const port = $('#port').value.trim().toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(port)) return { error: 'The port is a five-character UN/LOCODE, such as ECUIO.', field: '#port' };
  const at = $('#at').value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at)) return { error: 'Give the date and time of entry.', field: '#at' };
  const off = $('#offset').value.trim();
  if (!/^[+-]\d{2}:\d{2}$/.test(off)) return { error: 'The UTC offset looks like -05:00 or +01:00.', field: '#offset' };
  const body = { mrz: lines, port, at: `${at.slice(0, 16)}${off}`, admission_class: $('#class').value };
  const visa = $('#visa').value.trim();
  if (visa) body.visa = visa;
  const days = $('#intended').value.trim();
  if (days) {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1) return { error: 'The intended stay is a whole number of days, at least 1.', field: '#intended' };
    body.intended_stay_days = n;
  }
  return { body };
}

function reasonItem(r) {
  const level = r.level || 'info';
  const item = el('li', { class: `reason level-${level}` },
    el('span', { class: 'badge', text: LEVELS[level] || level }),
    el('span', { class: 'reason-text', text: r.message || r.code }));
  const meta = el('span', { class: 'reason-meta' }, el('code', { text: r.code }));
  if (r.ground) {
    const g = String(r.ground).toUpperCase();
    meta.append(' · ', el('span', { class: 'ground' },
      `Refusal form ground ${g}`, GROUNDS[g] ? `: ${GROUNDS[g]}` : '',
      ' (Regulation (EU) 2016/399, Annex V Part B)'));
  }
  item.append(meta);
  return item;
}

function stayFacts(d) {
  const facts = el('dl', { class: 'facts' });
  const add = (term, value, id) => facts.append(el('div', { id }, el('dt', { text: term }), el('dd', {}, value)));
  if (d.authorised_until) {
    add('Authorised until', el('strong', {}, `${d.authorised_until}`,
      el('span', { class: 'aside', text: ` (${longDate(d.authorised_until)})` })), 'authorised-until');
    const at = (lastBody && lastBody.at || '').slice(0, 10);
    const n = daysBetween(at, d.authorised_until);
    if (n !== null && n >= 0) add('Length of this stay', `${n + 1} days, counting the day of entry`, 'stay-length');
  } else if (d.decision === 'admit') {
    add('Authorised until', 'set by the visa (no stay rule applies)', 'authorised-until');
  }
  if (d.days_used !== undefined && d.days_used !== null) add('Days used', String(d.days_used), 'days-used');
  if (d.days_remaining !== undefined && d.days_remaining !== null) add('Days left', String(d.days_remaining), 'days-left');
  if (d.rule_ref) add('Rule in force', d.rule_ref, 'rule-ref');
  return facts.children.length ? facts : null;
}

function showDecision(d) {
  const box = $('#decision');
  const o = OUTCOMES[d.decision] || { word: String(d.decision || '?').toUpperCase(), icon: '?', note: '' };
  const reasons = Array.isArray(d.reasons) ? d.reasons : [];
  const order = { refuse: 0, refer: 1, warning: 2, info: 3 };
  reasons.sort((a, b) => (order[a.level] ?? 4) - (order[b.level] ?? 4));
  box.replaceChildren(
    el('div', { class: `outcome outcome-${d.decision}`, id: 'outcome', 'data-decision': d.decision },
      el('span', { class: 'outcome-icon', 'aria-hidden': 'true', text: o.icon }),
      el('span', { class: 'outcome-word', text: o.word }),
      el('span', { class: 'outcome-note', text: o.note })),
    stayFacts(d),
    el('h3', { text: `Reasons (${reasons.length})` }),
    reasons.length ? el('ul', { class: 'reasons', id: 'reasons' }, reasons.map(reasonItem))
      : el('p', { text: 'The server gave no reason.' }));
  // A screen reader hears the outcome and the date at once; the reasons are below it.
  $('#announce').textContent = `${o.word}. ${o.note}`
    + (d.authorised_until ? ` Authorised until ${longDate(d.authorised_until)}.` : '')
    + ` ${reasons.length} reason${reasons.length === 1 ? '' : 's'} below.`;
  // On a narrow screen the decision is below the form: bring it into view.
  const r = $('#outcome').getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight) $('#result').scrollIntoView({ block: 'start' });
  const rec = $('#record-box');
  rec.hidden = false;
  const btn = $('#record');
  if (d.decision === 'refer') {
    btn.disabled = true;
    $('#record-help').textContent = 'A referral is not recorded: the supervisor decides, then the entry or refusal is recorded.';
  } else {
    btn.disabled = false;
    btn.textContent = d.decision === 'admit' ? 'Record the entry' : 'Record the refusal';
    $('#record-help').textContent = `Writes this ${d.decision === 'admit' ? 'entry' : 'refusal'} to the ledger.`;
  }
}

function withdraw() {
  if (!lastBody) return;
  lastBody = null;
  $('#announce').textContent = '';
  $('#decision').replaceChildren(el('p', { class: 'help', text: 'The form changed: press Decide again.' }));
  $('#record-box').hidden = true;
}

async function decide(ev) {
  ev.preventDefault();
  const err = $('#form-error');
  err.textContent = '';
  $('#recorded').replaceChildren();
  const f = readForm();
  if (f.error) {
    err.textContent = f.error;
    $(f.field).focus();
    return;
  }
  localStorage.setItem('frontera.port', f.body.port);
  const btn = $('#decide');
  btn.disabled = true;
  $('#decision').replaceChildren(el('p', { class: 'help', text: 'Deciding…' }));
  $('#record-box').hidden = true;
  try {
    const d = await apiPost('/v1/admissions', { ...f.body, record: false });
    lastBody = f.body;
    showDecision(d);
  } catch (e) {
    lastBody = null;
    showError($('#decision'), e, 'The decision failed');
    if (e.field) err.textContent = `The server pointed at the field '${e.field}': ${e.message}`;
  } finally {
    btn.disabled = false;
  }
}

async function record() {
  if (!lastBody) return;
  const btn = $('#record');
  const out = $('#recorded');
  btn.disabled = true;
  out.replaceChildren(el('p', { class: 'help', text: 'Recording…' }));
  try {
    const d = await apiPost('/v1/admissions', { ...lastBody, record: true });
    showDecision(d);
    $('#record-box').hidden = true;
    const parts = [el('strong', { text: 'Recorded.' }), ' '];
    if (d.event_id) parts.push('Event ', el('code', { text: d.event_id }), '. ');
    if (d.traveller_id !== null && d.traveller_id !== undefined) {
      parts.push(el('a', { href: `/traveller?id=${encodeURIComponent(d.traveller_id)}`, text: `Open traveller ${d.traveller_id}` }), '.');
    }
    if (!d.event_id) parts.splice(0, parts.length, el('strong', { text: 'Nothing was recorded' }), ' (the server recorded no event for this decision).');
    out.replaceChildren(el('p', { class: 'recorded', id: 'recorded-msg' }, parts));
  } catch (e) {
    btn.disabled = false;
    showError(out, e, 'Recording failed');
  }
}

function clearForm() {
  $('#mrz').value = '';
  $('#visa').value = '';
  $('#intended').value = '';
  $('#form-error').textContent = '';
  $('#recorded').replaceChildren();
  mrzStatus();
  setNow();
  withdraw();
  $('#decision').replaceChildren(el('p', { class: 'help', text: 'No decision yet: read a document and press Decide.' }));
  $('#mrz').focus();
}

function ready() {
  setNow();
  $('#port').value = localStorage.getItem('frontera.port') || '';
  $('#mrz').focus();
}

function wire() {
  const form = $('#admit-form');
  form.addEventListener('submit', decide);
  form.addEventListener('input', withdraw);
  form.addEventListener('change', withdraw);
  $('#mrz').addEventListener('input', mrzStatus);
  $('#at').addEventListener('change', atChanged);
  $('#offset').addEventListener('input', () => { offsetByHand = true; });
  $('#now').addEventListener('click', () => { setNow(); withdraw(); });
  $('#clear').addEventListener('click', clearForm);
  $('#record').addEventListener('click', record);
  // Ctrl+Enter decides from the MRZ box (a plain Enter is the scanner's line end).
  $('#mrz').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) decide(e);
  });
}

wire();
startPage({ onReady: ready });
