// booth.js: the booth page. The post's port and UTC offset are set once for
// the booth and kept (localStorage), as is the direction it records: entry
// or exit. The local time is the post's (the clock's instant at the post's
// offset), never the offset of the computer the page runs on.
//
// Entry: reads the MRZ lines from the text area (pasted, or typed by a
// scanner line by line), the time and the optional class, visa and intended
// stay; "Decide" posts them to /v1/admissions and shows the answer
// (docs/admission.md): the outcome in words, colour and icon, every reason
// with its sentence and, for refusals under the Schengen Borders Code, the
// letter of the EU standard refusal form (other jurisdictions cite the rule
// of their own policy file); the days used and left and the authorised-until
// date. "Record" posts the same admission with record:true. Changing any
// field after a decision withdraws it, so what is recorded is always what
// was shown.
//
// A supervisor signed in at the booth decides a referral (or overrides a
// refusal) there: admit or refuse, a reason, and the last day of the stay
// when the decision gave none, posted to /v1/admissions/{id}/override, which
// records the entry or refusal with the supervisor's name and reason.
//
// Exit: "Record the exit" posts the MRZ, port and time to /v1/exits and
// shows who left, the entry it closes, the days stayed and any days past the
// authorised stay.
import {
  $, el, api, apiPost, startPage, showError, longDate, daysBetween, whoAmI,
} from './common.js';
import { t, tn, lang, fmtDate, serverText, reasonText } from './i18n.js';
import { startSyncPanel } from './syncpanel.js';

// Regulation (EU) 2016/399, Annex V Part B: the reasons on the standard form
// (cited only when the policy in force is the Schengen area's, jurisdiction EUE).
const GROUNDS = 'ABCDEFGHI';
const EU_JURISDICTIONS = new Set(['EUE', 'EU', 'SCHENGEN']);

const OUTCOMES = {
  admit: { word: 'outcome.admit', icon: '✓', note: 'outcome.admit_note' },
  refer: { word: 'outcome.refer', icon: '!', note: 'outcome.refer_note' },
  refuse: { word: 'outcome.refuse', icon: '✕', note: 'outcome.refuse_note' },
};
const LEVELS = ['refuse', 'refer', 'warning', 'info'];

const MRZ_FORMATS = [
  { lines: 2, len: 44, name: 'mrz.td3' },
  { lines: 3, len: 30, name: 'mrz.td1' },
  { lines: 2, len: 36, name: 'mrz.td2' },
  { lines: 2, len: 44, name: 'mrz.mrva' },
];

const PORT_KEY = 'frontera.port';
const OFFSET_KEY = 'frontera.offset';
const DIRECTION_KEY = 'frontera.direction';

let lastBody = null; // the admission the decision on screen answers
let lastDecision = null; // and that decision
let overrideId = ''; // the event id a supervisor's decision on it is recorded under (a retry: the same)
let jurisdiction = ''; // of the policy in force (GET /v1/policy)
let role = ''; // the signed-in user's (GET /v1/me)

const direction = () => ($('#dir-exit').checked ? 'exit' : 'entry');

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
    out.textContent = t('mrz.read', { lines: lines.length, len: fmt.len, name: t(fmt.name) });
    out.classList.add('ok');
    return;
  }
  const bad = /[^A-Z0-9<]/.test(lines.join(''));
  out.textContent = `${tn('mrz.lines', lines.length, { lens: lens.join(', ') })}; `
    + t(bad ? 'mrz.bad_chars' : 'mrz.bad_shape');
  out.classList.add('warn');
}

// The post's local time now: the instant at the post's offset.
function setNow() {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec($('#offset').value.trim());
  if (!m) {
    $('#at').value = '';
    return;
  }
  const mins = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const d = new Date(Date.now() + mins * 60000);
  $('#at').value = d.toISOString().slice(0, 16);
}

// The request body from the form, or a sentence saying what to fix.
function readForm() {
  const lines = mrzLines();
  if (lines.length < 2) return { error: t('form.mrz'), field: '#mrz' };
  const port = $('#port').value.trim().toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(port)) return { error: t('form.port'), field: '#port' };
  const off = $('#offset').value.trim();
  if (!/^[+-]\d{2}:\d{2}$/.test(off)) return { error: t('form.offset'), field: '#offset' };
  const at = $('#at').value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at)) return { error: t('form.at'), field: '#at' };
  const body = { mrz: lines, port, at: `${at.slice(0, 16)}${off}` };
  if (direction() === 'exit') return { body };
  body.admission_class = $('#class').value;
  const visa = $('#visa').value.trim();
  if (visa) body.visa = visa;
  const days = $('#intended').value.trim();
  if (days) {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1) return { error: t('form.intended'), field: '#intended' };
    body.intended_stay_days = n;
  }
  return { body };
}

// The reason in the page's language from its code and params (text from
// outside, such as the policy's legal reference, as the server wrote it);
// else the server's English sentence, marked as English.
function reasonSentence(r) {
  const parts = reasonText(r);
  if (parts === null) return serverText(el('span', { class: 'reason-text', text: r.message || r.code }));
  return el('span', { class: 'reason-text' },
    ...parts.map((p) => (typeof p === 'string' ? p : serverText(el('span', { class: 'reason-free', text: p.text })))));
}

function reasonItem(r) {
  const level = r.level || 'info';
  const item = el('li', { class: `reason level-${level}` },
    el('span', { class: 'badge', text: LEVELS.includes(level) ? t(`level.${level}`) : level }),
    reasonSentence(r));
  const meta = el('span', { class: 'reason-meta' }, el('code', { text: r.code }));
  if (r.ground) {
    const g = String(r.ground).toUpperCase();
    // The EU standard form's letter is the Schengen Borders Code's; another
    // country's refusal cites its own policy (the rule in force, below).
    if (EU_JURISDICTIONS.has(jurisdiction) && GROUNDS.includes(g)) {
      meta.append(' · ', el('span', { class: 'ground' },
        t('ground.eu', { g }), `: ${t(`ground.${g}`)}`, ` (${t('ground.eu_ref')})`));
    }
  }
  item.append(meta);
  return item;
}

function stayFacts(d) {
  const facts = el('dl', { class: 'facts' });
  const add = (term, value, id) => facts.append(el('div', { id }, el('dt', { text: term }), el('dd', {}, value)));
  if (d.authorised_until) {
    add(t('fact.until'), el('strong', {}, fmtDate(d.authorised_until),
      el('span', { class: 'aside', text: ` (${longDate(d.authorised_until)}; ${d.authorised_until})` })), 'authorised-until');
    const at = (lastBody && lastBody.at || '').slice(0, 10);
    const n = daysBetween(at, d.authorised_until);
    if (n !== null && n >= 0) add(t('fact.length'), tn('fact.length_days', n + 1), 'stay-length');
  } else if (d.decision === 'admit') {
    add(t('fact.until'), t('fact.until_visa'), 'authorised-until');
  }
  if (d.days_used !== undefined && d.days_used !== null) add(t('fact.used'), String(d.days_used), 'days-used');
  if (d.days_remaining !== undefined && d.days_remaining !== null) add(t('fact.left'), String(d.days_remaining), 'days-left');
  // the rule's reference in the page's language where the policy gives it (ref_es=)
  if (lang() === 'es' && d.rule_ref_es) add(t('fact.rule'), el('span', { text: d.rule_ref_es }), 'rule-ref');
  else if (d.rule_ref) add(t('fact.rule'), serverText(el('span', { text: d.rule_ref })), 'rule-ref');
  return facts.children.length ? facts : null;
}

// The supervisor's form, for a referral or a refusal a supervisor may decide.
function showOverride(d) {
  const box = $('#override-box');
  box.hidden = !(role === 'supervisor' && (d.decision === 'refer' || d.decision === 'refuse'));
  if (box.hidden) return;
  box.reset();
  $('#ov-error').textContent = '';
  $('#ov-until-box').hidden = true;
  const rnd = Math.random().toString(36).slice(2, 8).toUpperCase();
  overrideId = `SUP-${Date.now().toString(36).toUpperCase()}-${rnd}`;
}

function showDecision(d) {
  lastDecision = d;
  showOverride(d);
  const box = $('#decision');
  const o = OUTCOMES[d.decision];
  const word = o ? t(o.word) : String(d.decision || '?').toUpperCase();
  const note = o ? t(o.note) : '';
  const reasons = Array.isArray(d.reasons) ? d.reasons : [];
  const order = { refuse: 0, refer: 1, warning: 2, info: 3 };
  reasons.sort((a, b) => (order[a.level] ?? 4) - (order[b.level] ?? 4));
  // a strong watchlist match above everything else: it must not be lost among the notes
  const hit = reasons.find((r) => r.code === 'watchlist.hit');
  const banner = hit ? el('p', { class: 'alert-hit', id: 'hit-banner', role: 'alert' },
    t('booth.watchlist_hit', { list: (hit.params && hit.params.list) || '?', id: (hit.params && hit.params.id) || '?' })) : '';
  // whose document was read, to check against the person and the data page
  const doc = d.document;
  const who = doc ? el('p', { class: 'who', id: 'who' },
    el('strong', { text: doc.given_names ? `${doc.surname}, ${doc.given_names}` : doc.surname }),
    ` · ${t('booth.who', { nationality: doc.nationality, number: doc.document_number, state: doc.issuing_state })}`) : '';
  box.replaceChildren(
    el('div', { class: `outcome outcome-${d.decision}`, id: 'outcome', 'data-decision': d.decision },
      el('span', { class: 'outcome-icon', 'aria-hidden': 'true', text: o ? o.icon : '?' }),
      el('span', { class: 'outcome-word', text: word }),
      el('span', { class: 'outcome-note', text: note })),
    banner,
    who,
    stayFacts(d) || '',
    el('h3', { text: t('booth.reasons', { n: reasons.length }) }),
    reasons.length ? el('ul', { class: 'reasons', id: 'reasons' }, reasons.map(reasonItem))
      : el('p', { text: t('booth.no_reason') }));
  // A screen reader hears the outcome and the date at once; the reasons are below it.
  $('#announce').textContent = `${word}. ${note}` + (hit ? ` ${banner.textContent}` : '')
    + (d.authorised_until ? ` ${t('booth.announce_until', { date: longDate(d.authorised_until) })}` : '')
    + ` ${tn('booth.announce_reasons', reasons.length)}`;
  // On a narrow screen the decision is below the form: bring it into view.
  const r = $('#outcome').getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight) $('#result').scrollIntoView({ block: 'start' });
  const rec = $('#record-box');
  rec.hidden = false;
  const btn = $('#record');
  if (d.decision === 'refer') { // nothing to record here: no button that names an earlier decision
    btn.disabled = true;
    btn.hidden = true;
    $('#record-help').textContent = t(role === 'supervisor' ? 'record.referral_supervisor' : 'record.referral');
  } else {
    btn.disabled = false;
    btn.hidden = false;
    btn.textContent = t(d.decision === 'admit' ? 'record.entry' : 'record.refusal');
    $('#record-help').textContent = t(d.decision === 'admit' ? 'record.entry_help' : 'record.refusal_help');
  }
}

// The form changed after a decision: it no longer answers what is on
// screen. A change event that changes nothing (leaving the MRZ box after
// Ctrl+Enter fires one) keeps the decision, so it can still be recorded.
function withdraw() {
  if (!lastBody) return;
  const f = readForm();
  if (f.body && JSON.stringify(f.body) === JSON.stringify(lastBody)) return;
  lastBody = null;
  $('#announce').textContent = '';
  $('#decision').replaceChildren(el('p', { class: 'help', text: t('booth.changed') }));
  $('#record-box').hidden = true;
  $('#override-box').hidden = true;
}

// ---- exit ----

function showExit(x) {
  const doc = x.document || {};
  const name = [doc.surname, doc.given_names].filter(Boolean).join(', ');
  const late = Number(x.days_over) > 0;
  const flagged = Array.isArray(x.anomalies) && x.anomalies.length > 0;
  const facts = el('dl', { class: 'facts' });
  const add = (term, value, id) => facts.append(el('div', { id }, el('dt', { text: term }), el('dd', {}, value)));
  add(t('exit.who'), `${name} (${doc.nationality || '?'} ${doc.document_number || ''})`, 'exit-who');
  if (x.entered) {
    add(t('exit.entered'), `${fmtDate(x.entered)}${x.entry_port ? ` · ${x.entry_port}` : ''}`, 'exit-entered');
    add(t('exit.stayed'), tn('fact.length_days', x.days_stayed), 'exit-stayed');
  }
  if (x.authorised_until) add(t('fact.until'), fmtDate(x.authorised_until), 'exit-until');
  if (x.entered) {
    add(t('exit.over'), late ? el('span', { class: 'exit-late', text: tn('exit.days_over', x.days_over) }) : t('exit.in_time'), 'exit-over');
  }
  const notes = [];
  for (const a of x.anomalies || []) notes.push(el('li', { class: 'reason level-warning', 'data-anomaly': a }, t(`anomaly.${a}`)));
  if (x.duplicate) notes.push(el('li', { class: 'reason level-info' }, t('exit.duplicate')));
  const word = t(late ? 'exit.word_late' : 'exit.word');
  $('#decision').replaceChildren(
    el('div', { class: `outcome ${late || flagged ? 'outcome-refer' : 'outcome-admit'}`, id: 'outcome', 'data-decision': 'exit', 'data-late': late ? 'true' : 'false' },
      el('span', { class: 'outcome-icon', 'aria-hidden': 'true', text: late || flagged ? '!' : '✓' }),
      el('span', { class: 'outcome-word', text: word }),
      el('span', { class: 'outcome-note', text: t('exit.note') })),
    facts,
    ...(notes.length ? [el('ul', { class: 'reasons', id: 'reasons' }, notes)] : []));
  $('#announce').textContent = `${word}. ${late ? tn('exit.days_over', x.days_over) : ''}`;
  const parts = [el('strong', { text: t('record.done') }), ' ', t('record.event'), ' ', el('code', { text: x.event_id }), '. '];
  if (x.traveller_id !== null && x.traveller_id !== undefined) {
    parts.push(el('a', { href: `/traveller?id=${encodeURIComponent(x.traveller_id)}`, text: t('record.open', { id: x.traveller_id }) }), '.');
  }
  $('#recorded').replaceChildren(el('p', { class: 'recorded', id: 'recorded-msg' }, parts));
}

async function recordExit(body) {
  const btn = $('#decide');
  btn.disabled = true;
  $('#decision').replaceChildren(el('p', { class: 'help', text: t('record.recording') }));
  try {
    showExit(await apiPost('/v1/exits', body));
  } catch (e) {
    const found = e.problem && Array.isArray(e.problem.reasons) ? e.problem.reasons : [];
    if (found.length) { // a misread document: each finding in the page's language, as at entry
      $('#decision').replaceChildren(
        el('p', { class: 'problem', role: 'alert', text: t('exit.misread') }),
        el('ul', { class: 'reasons', id: 'reasons' }, found.map(reasonItem)));
      $('#mrz').focus();
    } else {
      showError($('#decision'), e, t('exit.failed'));
      if (e.field) $('#form-error').textContent = t('form.server_field', { field: e.field, why: e.message });
    }
  } finally {
    btn.disabled = false;
  }
}

// ---- entry ----

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
  localStorage.setItem(PORT_KEY, f.body.port);
  localStorage.setItem(OFFSET_KEY, $('#offset').value.trim());
  if (direction() === 'exit') {
    await recordExit(f.body);
    return;
  }
  const btn = $('#decide');
  btn.disabled = true;
  $('#decision').replaceChildren(el('p', { class: 'help', text: t('booth.deciding') }));
  $('#record-box').hidden = true;
  try {
    const d = await apiPost('/v1/admissions', { ...f.body, record: false });
    lastBody = f.body;
    showDecision(d);
  } catch (e) {
    lastBody = null;
    showError($('#decision'), e, t('booth.decide_failed'));
    if (e.field) err.textContent = t('form.server_field', { field: e.field, why: e.message });
  } finally {
    btn.disabled = false;
  }
}

// A recorded decision on screen: the decision as recorded, then what was written.
function showRecorded(d) {
  showDecision(d);
  $('#record-box').hidden = true;
  $('#override-box').hidden = true;
  const parts = [el('strong', { text: t('record.done') }), ' '];
  if (d.event_id) parts.push(t('record.event'), ' ', el('code', { text: d.event_id }), '. ');
  if (d.traveller_id !== null && d.traveller_id !== undefined) {
    parts.push(el('a', { href: `/traveller?id=${encodeURIComponent(d.traveller_id)}`, text: t('record.open', { id: d.traveller_id }) }), '.');
  }
  if (!d.event_id) parts.splice(0, parts.length, el('strong', { text: t('record.nothing') }), ' ', t('record.nothing_why'));
  $('#recorded').replaceChildren(el('p', { class: 'recorded', id: 'recorded-msg' }, parts));
}

async function record() {
  if (!lastBody) return;
  const btn = $('#record');
  const out = $('#recorded');
  btn.disabled = true;
  out.replaceChildren(el('p', { class: 'help', text: t('record.recording') }));
  try {
    showRecorded(await apiPost('/v1/admissions', { ...lastBody, record: true }));
  } catch (e) {
    btn.disabled = false;
    showError(out, e, t('record.failed'));
  }
}

// The stay the rules give this traveller: the decision's, or for a referral
// the one its stay reasons computed (the server admits with that one).
function computedStay(d) {
  if (d.authorised_until) return d.authorised_until;
  const r = (Array.isArray(d.reasons) ? d.reasons : [])
    .find((x) => String(x.code).startsWith('stay.') && /^\d{4}-\d{2}-\d{2}$/.test((x.params && x.params.until) || ''));
  return r ? r.params.until : null;
}

// The supervisor's admit needs a last day only when the rules gave none.
function overrideChoice() {
  const admit = $('#ov-admit').checked;
  $('#ov-until-box').hidden = !(admit && lastDecision && !computedStay(lastDecision));
}

async function override(ev) {
  ev.preventDefault();
  if (!lastBody || !lastDecision) return;
  const err = $('#ov-error');
  err.textContent = '';
  const decision = $('#ov-admit').checked ? 'admit' : $('#ov-refuse').checked ? 'refuse' : '';
  const reason = $('#ov-reason').value.trim();
  const until = $('#ov-until').value;
  let bad = null;
  if (!decision) bad = ['override.need_decision', '#ov-admit'];
  else if (reason.length < 3 || reason.length > 500) bad = ['override.need_reason', '#ov-reason'];
  else if (!$('#ov-until-box').hidden && !/^\d{4}-\d{2}-\d{2}$/.test(until)) bad = ['override.need_until', '#ov-until'];
  if (bad) {
    err.textContent = t(bad[0]);
    $(bad[1]).focus();
    return;
  }
  const body = { ...lastBody, decision, reason };
  if (!$('#ov-until-box').hidden) body.authorised_until = until;
  const btn = $('#ov-submit');
  btn.disabled = true;
  $('#recorded').replaceChildren(el('p', { class: 'help', text: t('record.recording') }));
  try {
    showRecorded(await apiPost(`/v1/admissions/${encodeURIComponent(overrideId)}/override`, body));
  } catch (e) {
    $('#recorded').replaceChildren();
    showError(err, e, t('override.failed'));
  } finally {
    btn.disabled = false;
  }
}

// ---- the booth's direction ----

function applyDirection() {
  const exit = direction() === 'exit';
  document.body.dataset.direction = exit ? 'exit' : 'entry';
  $('#booth-title').textContent = t(exit ? 'booth.title_exit' : 'booth.title_entry');
  $('#at-label').textContent = t(exit ? 'booth.at_exit' : 'booth.at_entry');
  $('#decide').textContent = t(exit ? 'booth.record_exit' : 'booth.decide');
  $('#result-h').textContent = t(exit ? 'booth.exit_result' : 'booth.decision');
  $('#entry-only').hidden = exit;
  lastBody = null;
  $('#record-box').hidden = true;
  $('#override-box').hidden = true;
  $('#recorded').replaceChildren();
  $('#announce').textContent = '';
  $('#decision').replaceChildren(el('p', { class: 'help', text: t(exit ? 'booth.no_exit' : 'booth.no_decision') }));
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
  applyDirection();
  $('#mrz').focus();
}

async function ready() {
  $('#port').value = localStorage.getItem(PORT_KEY) || '';
  $('#offset').value = localStorage.getItem(OFFSET_KEY) || '';
  if (localStorage.getItem(DIRECTION_KEY) === 'exit') $('#dir-exit').checked = true;
  applyDirection();
  setNow();
  $('#mrz').focus();
  startSyncPanel(); // a post that syncs with a central shows how it stands
  try {
    role = String(((await whoAmI()) || {}).role || '');
  } catch {
    role = ''; // an older server: the supervisor's form is not offered
  }
  try {
    const p = await api('GET', '/v1/policy');
    jurisdiction = String(p.jurisdiction || '').toUpperCase();
  } catch {
    jurisdiction = ''; // no EU citation when the policy cannot be read
  }
}

function wire() {
  const form = $('#admit-form');
  form.addEventListener('submit', decide);
  form.addEventListener('input', withdraw);
  form.addEventListener('change', withdraw);
  $('#mrz').addEventListener('input', mrzStatus);
  $('#offset').addEventListener('change', () => {
    const off = $('#offset').value.trim();
    if (/^[+-]\d{2}:\d{2}$/.test(off)) {
      localStorage.setItem(OFFSET_KEY, off);
      if (!$('#at').value) setNow();
    }
  });
  for (const r of document.querySelectorAll('input[name=direction]')) {
    r.addEventListener('change', () => {
      localStorage.setItem(DIRECTION_KEY, direction());
      applyDirection();
    });
  }
  $('#now').addEventListener('click', () => { setNow(); withdraw(); });
  $('#clear').addEventListener('click', clearForm);
  $('#record').addEventListener('click', record);
  $('#override-box').addEventListener('submit', override);
  for (const r of document.querySelectorAll('input[name=ov-decision]')) r.addEventListener('change', overrideChoice);
  // Ctrl+Enter decides from the MRZ box (a plain Enter is the scanner's line end).
  // From the keyboard the next step is the record button: focus goes there
  // (it was some fifteen Tab presses away), so Enter records what is shown.
  $('#mrz').addEventListener('keydown', async (e) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    await decide(e);
    const btn = $('#record');
    if (lastBody && !$('#record-box').hidden && !btn.hidden && !btn.disabled) btn.focus();
  });
}

wire();
startPage({ onReady: ready });
