// home.js: the home page: sign in once for the tab, then go to a page. Shows
// whether the server is healthy (GET /healthz needs no token).
import { $, startPage } from './common.js';

async function health() {
  const out = $('#health');
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    const j = await res.json();
    out.textContent = res.ok ? `${j.status || 'ok'}${j.policy_version ? `, policy version ${j.policy_version}` : ''}.`
      : `answered ${res.status}.`;
  } catch (e) {
    out.textContent = `not reachable (${e.message}).`;
  }
}

startPage({ onReady: health });
