// selfcheck.js: the traveller's own check (public, no token). Posts the
// document number, nationality and birth date to /v1/self-check and says
// the stay in words: until when, days left, or days over. Details that match
// no stay get one answer, whatever the reason (the server gives no more).
import { $, el, api, showError } from './common.js';
import { t, tn, fmtDate, fmtLongDate, applyStatic } from './i18n.js';

function show(j) {
  const out = $('#self-result');
  if (!j.found) {
    out.replaceChildren(el('p', { id: 'self-answer', 'data-found': 'false', text: t('self.not_found') }));
    return;
  }
  const parts = [];
  if (!j.in_country) {
    parts.push(el('p', { id: 'self-answer', 'data-found': 'true', text: t('self.not_in') }));
  } else if (!j.authorised_until) {
    parts.push(el('p', { id: 'self-answer', 'data-found': 'true', text: t('self.no_date') }));
  } else if (j.days_over > 0) {
    parts.push(el('p', { id: 'self-answer', 'data-found': 'true', class: 'status-line status-over' },
      tn('self.over', j.days_over, { until: fmtDate(j.authorised_until) })));
    parts.push(el('p', { text: t('self.over_advice') }));
  } else {
    parts.push(el('p', { id: 'self-answer', 'data-found': 'true', class: 'status-line status-in' },
      tn('self.left', j.days_left, { until: fmtLongDate(j.authorised_until) })));
  }
  parts.push(el('p', { class: 'help', text: t('self.as_of', { date: fmtDate(j.as_of) }) }));
  out.replaceChildren(...parts);
}

async function check(ev) {
  ev.preventDefault();
  const err = $('#self-error');
  err.textContent = '';
  const number = $('#docnum').value.trim().toUpperCase();
  const nat = $('#nat').value.trim().toUpperCase();
  const birth = $('#birth').value;
  if (!number) { err.textContent = t('self.need_number'); $('#docnum').focus(); return; }
  if (!/^[A-Z]{1,3}$/.test(nat)) { err.textContent = t('self.need_nat'); $('#nat').focus(); return; }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birth)) { err.textContent = t('self.need_birth'); $('#birth').focus(); return; }
  $('#self-result').replaceChildren(el('p', { class: 'help', text: t('self.checking') }));
  try {
    show(await api('POST', '/v1/self-check', { document_number: number, nationality: nat, birth_date: birth }, { token: '' }));
  } catch (e) {
    if (e.status === 429) $('#self-result').replaceChildren(el('p', { role: 'alert', text: t('self.too_many') }));
    else showError($('#self-result'), e, t('self.failed'));
  }
}

applyStatic();
$('#self-form').addEventListener('submit', check);
