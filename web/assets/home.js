// home.js: the home page: sign in once for the tab, then go to a page. Shows
// whether the server is healthy (GET /healthz needs no token).
import { $, startPage } from './common.js';
import { t } from './i18n.js';

async function health() {
  const out = $('#health');
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    const j = await res.json();
    out.textContent = res.ok
      ? (j.policy_version ? t('home.ok_version', { status: j.status || 'ok', version: j.policy_version }) : `${j.status || 'ok'}.`)
      : t('home.answered', { status: res.status });
  } catch (e) {
    out.textContent = t('home.unreachable', { why: e.message });
  }
}

startPage({ onReady: health });
