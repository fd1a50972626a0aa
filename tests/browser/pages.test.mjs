// pages.test.mjs: the web pages in a real browser (Debian's Chromium, headless,
// driven by playwright-core) against a real `frontera serve`. Run by
// tests/cli/browser.sh, which makes the database, the users and the server
// and passes them in the environment:
//   FR_BASE_URL         http://127.0.0.1:PORT of the running server
//   FR_TOKEN_OFFICER    an officer's token; FR_TOKEN_ANALYST an analyst's;
//                       FR_TOKEN_SUPERVISOR a supervisor's (the list to act on, link reviews)
//   FR_REVIEW           "ID TRAVELLER CANDIDATE" of an open link review
//   FR_MRZ_ADMIT        MRZ lines (\n between) of a traveller to admit at FR_AT_ADMIT
//   FR_EXPECT_UNTIL     the authorised-until date `frontera admit --json` gives for it
//   FR_MRZ_REFUSE       MRZ lines of a Chinese traveller, refused at FR_AT_REFUSE
//   FR_MRZ_REFER        MRZ lines whose document number's check digit is wrong: a
//                       referral at FR_AT_REFER, which a supervisor decides at the booth
//   FR_MRZ_HIT          MRZ lines of a person on the server's watchlist (WANTED, W1)
//   FR_POST_A, FR_POST_B  border posts' servers (docs/sync.md): B reaches its
//                       central, A's central cannot be reached and two of its
//                       events wait; FR_POST_A_OFFICER, FR_POST_B_OFFICER their officers
//   FR_ARTIFACTS        where screenshots go
//   FR_NODE_MODULES     the build's node_modules (playwright-core)
//   FR_CHROMIUM         the browser (default /usr/bin/chromium)
// Every request the pages make to another origin is blocked and fails the
// run; so does an uncaught exception or a refused resource (CSP) in a page.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run this test through tests/cli/browser.sh`);
  return v;
};
const BASE = env('FR_BASE_URL').replace(/\/$/, '');
const OFFICER = env('FR_TOKEN_OFFICER');
const ANALYST = env('FR_TOKEN_ANALYST');
const SUPERVISOR = env('FR_TOKEN_SUPERVISOR');
const [REVIEW_ID, REVIEW_TRAVELLER, REVIEW_CANDIDATE] = env('FR_REVIEW').split(' ');
const POST_A = env('FR_POST_A').replace(/\/$/, '');
const POST_B = env('FR_POST_B').replace(/\/$/, '');
const ORIGINS = [BASE, POST_A, POST_B]; // the servers of this run: anything else is foreign
const ART = env('FR_ARTIFACTS');
const require = createRequire(path.join(env('FR_NODE_MODULES'), 'noop.js'));
const { chromium } = require('playwright-core');

let ctx;
let profile;
const foreign = []; // requests to anything but the frontera server
const pageErrors = []; // uncaught exceptions and refused resources

before(async () => {
  fs.mkdirSync(ART, { recursive: true });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.FR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (ORIGINS.some((o) => url.startsWith(`${o}/`) || url === o)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
});

// A test that failed leaves its page open: keep what it showed.
afterEach(async () => {
  for (const [page, name] of open) {
    await page.screenshot({ path: path.join(ART, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    await page.close().catch(() => {});
  }
});

after(async () => {
  if (ctx) await ctx.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

const open = new Map(); // page -> name, for a screenshot when a test fails

async function newPage(name) {
  const page = await ctx.newPage();
  open.set(page, name);
  page.on('close', () => open.delete(page));
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Refused to|Content Security Policy/i.test(m.text())) pageErrors.push(`${name}: ${m.text()}`);
  });
  return page;
}

// Sign in on a page shown in lang (the choice kept in localStorage, as the
// language switch keeps it).
async function signIn(page, pathName, token, lang = 'en', base = BASE) {
  await page.goto(`${base}${pathName}`);
  await page.evaluate((l) => localStorage.setItem('frontera.lang', l), lang);
  await page.reload();
  await page.locator('#signin').waitFor({ state: 'visible' });
  await page.fill('#token', token);
  await page.click('#signin-form button[type=submit]');
  await page.locator('#content').waitFor({ state: 'visible' });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ART, name), fullPage: true });
}

// Inputs without a label (or aria-label): a screen reader would announce nothing.
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => e.type !== 'hidden' && e.offsetParent !== null && !e.labels.length && !e.getAttribute('aria-label'))
    .map((e) => e.id || e.name || e.outerHTML.slice(0, 60)));
}

// The booth's direction is kept per booth (localStorage): each test says which it wants.
async function setDirection(page, dir) {
  await page.check(`#dir-${dir}`);
  await page.locator(`body[data-direction="${dir}"]`).waitFor();
}

async function fillAdmission(page, mrz, at, port = 'ECUIO') {
  await page.fill('#mrz', mrz);
  await page.fill('#port', port);
  // at = YYYY-MM-DDTHH:MM+HH:MM: the post's offset and the local time go to two fields.
  await page.fill('#offset', at.slice(16));
  await page.fill('#at', at.slice(0, 16));
}

// The page's language, chosen with the switch in the header (kept in localStorage).
async function setLanguage(page, lang) {
  await page.selectOption('#lang', lang);
  await page.waitForLoadState('load');
  await page.locator(`html[lang^="${lang}"]`).waitFor();
}

// Visible text in a Spanish page that reads as English: words that are not
// Spanish, outside what the server wrote in English (marked lang="en"), code,
// and the language switch's own option names.
const ENGLISH = ['the', 'and', 'with', 'from', 'this', 'your', 'is', 'are', 'has', 'have', 'days', 'until',
  'sign', 'record', 'decide', 'entry', 'exit', 'traveller', 'left', 'below', 'none', 'nothing', 'loading',
  'checking', 'shown', 'policy', 'reasons', 'rule', 'month', 'alerts', 'flows', 'open', 'when', 'who', 'what'];
async function englishLeft(page) {
  return page.evaluate((words) => {
    const re = new RegExp(`\\b(${words.join('|')})\\b`, 'i');
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || !n.textContent.trim()) continue;
      if (p.closest('[lang="en"], code, script, style, option, [hidden], .visually-hidden, .skip')) continue;
      if (!p.offsetParent && getComputedStyle(p).position !== 'fixed') continue;
      if (re.test(n.textContent)) out.push(n.textContent.trim().slice(0, 80));
    }
    return out;
  }, ENGLISH);
}

// YYYY-MM-DD plus n days.
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

test('sign-in refuses a wrong token and accepts an officer token', async () => {
  const page = await newPage('signin');
  await page.goto(`${BASE}/booth`);
  await page.locator('#signin').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#content').isVisible(), false, 'the booth is hidden before sign-in');
  await page.fill('#token', 'frt_this-is-not-a-token');
  await page.click('#signin-form button[type=submit]');
  await page.locator('#signin-message', { hasText: 'did not accept' }).waitFor();
  await shot(page, 'signin-refused.png');
  await page.fill('#token', OFFICER);
  await page.click('#signin-form button[type=submit]');
  await page.locator('#content').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#session'), /Signed in/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('frontera.token')), OFFICER);
  await page.close();
});

test('a token in the address fragment (as make run prints it) signs in and leaves the address', async () => {
  const page = await newPage('fragment');
  await page.goto(`${BASE}/#token=${ANALYST}`);
  await page.locator('#content').waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).hash, '', 'the token is no longer in the address');
  await page.locator('#health', { hasText: 'ok' }).waitFor();
  await page.close();
});

test('the booth admits a traveller, shows the reasons and the authorised-until date, and records it', async () => {
  const page = await newPage('booth-admit');
  await signIn(page, '/booth', OFFICER);
  await setDirection(page, 'entry');
  assert.deepEqual(await unlabelled(page), [], 'every booth input has a label');
  await fillAdmission(page, env('FR_MRZ_ADMIT'), env('FR_AT_ADMIT'));
  await page.locator('#mrz-status', { hasText: 'passport (TD3)' }).waitFor();
  // from the keyboard, as at a booth with a scanner: Ctrl+Enter in the MRZ box,
  // then Tab out of it, which must not withdraw the decision
  await page.focus('#mrz');
  await page.keyboard.press('Control+Enter');
  const outcome = page.locator('#outcome');
  await outcome.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'record', 'focus on the record button');
  await page.keyboard.press('Shift+Tab');
  await page.waitForTimeout(100);
  assert.equal(await outcome.count(), 1, 'leaving the MRZ box unchanged keeps the decision');
  assert.equal(await page.locator('#record-box').isVisible(), true, 'the decision can still be recorded');
  assert.equal(await outcome.getAttribute('data-decision'), 'admit');
  assert.match(await outcome.textContent(), /ADMIT/);
  assert.equal(await page.getAttribute('#announce', 'aria-live'), 'assertive', 'the decision is announced');
  assert.match(await page.textContent('#announce'), /^ADMIT\. .*Authorised until/);
  const reasons = await page.locator('#reasons li').allTextContents();
  assert.ok(reasons.length >= 1, 'at least one reason');
  assert.ok(reasons.some((r) => r.includes('stay.authorised')), `a stay.authorised reason among: ${reasons.join(' | ')}`);
  const until = await page.textContent('#authorised-until');
  assert.ok(until.includes(env('FR_EXPECT_UNTIL')), `authorised until ${env('FR_EXPECT_UNTIL')} shown, got: ${until}`);
  assert.match(await page.textContent('#days-left'), /\d+/);
  await shot(page, 'booth-admit.png');
  // The same decision on a tablet in portrait: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.waitForTimeout(200);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1),
    'no horizontal scrolling at the booth on a tablet');
  await shot(page, 'booth-tablet.png');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.click('#record');
  const rec = page.locator('#recorded-msg');
  await rec.waitFor();
  assert.match(await rec.textContent(), /Recorded\..*Event/);
  const link = page.locator('#recorded-msg a');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/traveller\?id=\w+/);
  await shot(page, 'booth-recorded.png');

  // The officer follows the link to the traveller's record: the new entry is in the history.
  await link.click();
  await page.locator('#stay-h').waitFor();
  assert.match(await page.textContent('#stay'), /In the country|Not in the country/);
  const at = env('FR_AT_ADMIT');
  const when = page.locator(`#hist-h + .table-wrap table time[datetime^="${at.slice(0, 10)}"]`);
  assert.equal(await when.count(), 1, 'the recorded entry is in the history');
  // its time in words: the day as the page writes dates, the minute and the post's offset
  assert.match(await when.textContent(), new RegExp(`^\\d{1,2} \\w+ \\d{4} ${at.slice(11, 16)} \\(UTC[+-]\\d{2}:\\d{2}\\)$`));
  // Who looked: the officer's own read of this record is in its access log.
  const looked = await page.locator('section[aria-labelledby="audit-h"] table').textContent();
  assert.ok(looked.includes('traveller.read'), 'the access log lists this read');
  await shot(page, 'traveller-officer.png');
  await page.close();
});

test('the booth refuses a Chinese visitor without a visa, citing Ecuador\'s policy and no foreign law', async () => {
  const page = await newPage('booth-refuse');
  await signIn(page, '/booth', OFFICER);
  await setDirection(page, 'entry');
  await fillAdmission(page, env('FR_MRZ_REFUSE'), env('FR_AT_REFUSE'));
  await page.click('#decide');
  const outcome = page.locator('#outcome');
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute('data-decision'), 'refuse');
  assert.match(await outcome.textContent(), /REFUSE/);
  const refusal = page.locator('#reasons li.level-refuse', { hasText: 'visa.required' });
  assert.equal(await refusal.count(), 1, 'the visa.required refusal is shown');
  const result = await page.textContent('#result');
  assert.doesNotMatch(result, /2016\/399|Regulation \(EU\)|Schengen/, 'the Ecuadorian booth cites no EU law');
  const ref = (await page.textContent('#rule-ref')).trim();
  assert.ok(ref.length > 3, 'the rule in force, from the policy file, is cited');
  await shot(page, 'booth-refuse.png');
  await page.close();
});

test('the booth records an exit: the entry it closes and the days past the authorised stay', async () => {
  const page = await newPage('booth-exit');
  await signIn(page, '/booth', OFFICER);
  await setDirection(page, 'exit');
  assert.match(await page.textContent('#content h1'), /Booth: exit/);
  assert.equal(await page.isVisible('#class'), false, 'no admission class at the exit');
  assert.deepEqual(await unlabelled(page), [], 'every exit booth input has a label');
  // Three days after the authorised stay of the traveller admitted and recorded above.
  const until = env('FR_EXPECT_UNTIL');
  await fillAdmission(page, env('FR_MRZ_ADMIT'), `${addDays(until, 3)}T17:45-05:00`, 'ECGYE');
  assert.equal(await page.textContent('#decide'), 'Record the exit');
  await page.click('#decide');
  const outcome = page.locator('#outcome[data-decision="exit"]');
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute('data-late'), 'true');
  assert.match(await outcome.textContent(), /EXIT RECORDED: LATE/);
  assert.match(await page.textContent('#exit-over'), /^Past the authorised stay3 days past the authorised stay$/);
  assert.match(await page.textContent('#exit-entered'), /15 Dec 2024 · ECUIO/);
  assert.match(await page.textContent('#recorded-msg'), /Recorded\..*Event.*EXI-USA-BT1234567-/);
  await shot(page, 'booth-exit-en.png');
  // The direction and the post are kept for this booth.
  await page.reload();
  await page.locator('#content').waitFor({ state: 'visible' });
  assert.equal(await page.isChecked('#dir-exit'), true, 'the booth still records exits');
  assert.equal(await page.inputValue('#port'), 'ECGYE', 'the port is kept');
  assert.equal(await page.inputValue('#offset'), '-05:00', 'the post offset is kept');
  assert.match(await page.inputValue('#at'), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'the time is set from the post offset');
  await page.close();
});

test('la ventanilla en español: la entrada rechazada y una salida sin entrada, sin texto en inglés', async () => {
  const page = await newPage('booth-es');
  await signIn(page, '/booth', OFFICER, 'es');
  await setDirection(page, 'entry');
  assert.equal(await page.textContent('#content h1'), 'Ventanilla: entrada');
  assert.equal(await page.textContent('label[for=mrz]'), 'Zona de lectura mecánica (MRZ)');
  assert.equal(await page.textContent('#decide'), 'Decidir');
  await fillAdmission(page, env('FR_MRZ_REFUSE'), env('FR_AT_REFUSE'));
  await page.click('#decide');
  const outcome = page.locator('#outcome');
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute('data-decision'), 'refuse');
  assert.match(await outcome.textContent(), /RECHAZAR/);
  assert.match(await page.textContent('#reasons li.level-refuse .badge'), /Rechazo/);
  assert.match(await page.textContent('#announce'), /^RECHAZAR\. .*motivo/);
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish booth');
  await shot(page, 'booth-refuse-es.png');

  // An exit for someone with no entry on record (the refused traveller): recorded and flagged.
  await setDirection(page, 'exit');
  assert.equal(await page.textContent('#content h1'), 'Ventanilla: salida');
  // first misread (a check digit off): nothing recorded, the findings said in Spanish
  const [r1, r2] = env('FR_MRZ_REFUSE').split('\n');
  const bad = `${r2.slice(0, 9)}${r2[9] === '0' ? '1' : '0'}${r2.slice(10)}`;
  await fillAdmission(page, `${r1}\n${bad}`, '2024-07-16T08:00-05:00');
  await page.click('#decide');
  await page.locator('#decision .problem').waitFor();
  assert.match(await page.textContent('#decision .problem'), /No se pudo leer el documento/);
  assert.ok(await page.locator('#reasons li').count() >= 1, 'the findings are listed');
  assert.equal(await page.locator('#decision [lang="en"]').count(), 0, 'no English finding at the exit');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish exit misread');
  await fillAdmission(page, env('FR_MRZ_REFUSE'), '2024-07-16T08:00-05:00');
  await page.click('#decide');
  await page.locator('#outcome[data-decision="exit"]').waitFor();
  assert.match(await page.textContent('#outcome'), /SALIDA REGISTRADA/);
  assert.match(await page.textContent('li[data-anomaly="exit_without_entry"]'), /No consta ninguna entrada/);
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish exit booth');
  await shot(page, 'booth-exit-es.png');
  await setDirection(page, 'entry');
  await page.close();
});

test('un error del servidor en español: el detalle dicho desde sus partes (detail_parts), no en inglés', async () => {
  const page = await newPage('booth-es-problem');
  await signIn(page, '/booth', OFFICER, 'es');
  await setDirection(page, 'entry');
  // the page checks the offset's shape (+HH:MM); the server refuses +25:00
  await fillAdmission(page, env('FR_MRZ_REFUSE'), '2024-07-15T10:00+25:00');
  await page.click('#decide');
  const box = page.locator('#decision .problem');
  await box.waitFor();
  const text = await box.textContent();
  assert.match(text, /Solicitud no válida/, 'the problem title is not Spanish');
  assert.match(text, /el desfase respecto de UTC debe ser \+HH:MM o -HH:MM/, `the detail is not Spanish: ${text}`);
  assert.equal(await box.getAttribute('lang'), null, 'a problem said in Spanish is marked as English');
  assert.match(await page.textContent('#form-error'), /«at»: el desfase respecto de UTC/);
  assert.deepEqual(await englishLeft(page), [], 'English text left after a server error');
  await page.close();
});

test('los motivos de la decisión en español: escritos desde su código y sus parámetros, con fechas del Ecuador', async () => {
  const page = await newPage('booth-reasons-es');
  await signIn(page, '/booth', OFFICER, 'es');
  await setDirection(page, 'entry');
  const reasonsOf = () => page.$$eval('#reasons li', (lis) => lis.map((li) => ({
    code: li.querySelector('.reason-meta code')?.textContent,
    text: li.querySelector('.reason-text')?.textContent,
    en: li.querySelector('.reason-text')?.getAttribute('lang') === 'en',
  })));
  // The refusal: visa.required with the date of the rule as Ecuador writes it (dd/mm/aaaa).
  await fillAdmission(page, env('FR_MRZ_REFUSE'), env('FR_AT_REFUSE'));
  await page.click('#decide');
  await page.locator('#outcome[data-decision="refuse"]').waitFor();
  let reasons = await reasonsOf();
  const visa = reasons.find((r) => r.code === 'visa.required');
  assert.ok(visa, `a visa.required reason among ${JSON.stringify(reasons)}`);
  assert.match(visa.text, /^Los nacionales de CHN necesitan una visa para ingresar como visitante desde el \d{2}\/\d{2}\/\d{4} \(Comunicado de la Cancillería del 18 de junio de 2024: .+\); no se presentó ninguna\.$/);
  assert.deepEqual(reasons.filter((r) => r.en).map((r) => r.code), [], 'reasons left in English (lang="en")');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish reasons');
  // An admission: the stay in words, figures and dates in Spanish.
  await fillAdmission(page, env('FR_MRZ_ADMIT'), env('FR_AT_ADMIT'));
  await page.click('#decide');
  await page.locator('#outcome').waitFor();
  reasons = await reasonsOf();
  const stay = reasons.find((r) => r.code === 'stay.authorised');
  assert.ok(stay, `a stay.authorised reason among ${JSON.stringify(reasons)}`);
  assert.match(stay.text, /^\d+ días usados de \d+ en el periodo desde el \d{2}\/\d{2}\/\d{4} \(.+\); autorizado hasta el \d{2}\/\d{2}\/\d{4} \(\d+ días\)\.$/);
  assert.doesNotMatch(stay.text, /period:|rolling:/, 'the stay rule in words, not in its notation');
  assert.deepEqual(reasons.filter((r) => r.en).map((r) => r.code), [], 'reasons left in English (lang="en")');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish reasons');
  await shot(page, 'booth-reasons-es.png');
  await page.close();
});

test('the dashboard draws the flow charts from the demo data and shows the Chinese surge alert', async () => {
  const page = await newPage('dashboard');
  await signIn(page, '/dashboard', ANALYST);
  await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30000 });
  const chart = page.locator('#flows-chart');
  const flowsStatus = (await page.innerText('#flows-status')).trim();
  assert.ok(Number(await chart.getAttribute('data-series')) >= 5, `several nationalities drawn (the page says: ${flowsStatus || 'nothing'})`);
  assert.ok(Number(await chart.getAttribute('data-points')) >= 100, 'a point per month per nationality');
  assert.ok(Number(await chart.getAttribute('data-bands')) >= 1, 'alert episodes shaded on the chart');
  // The canvas holds a drawing: count the pixels that are not blank.
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#flows-chart canvas');
    if (!c) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
    return n;
  });
  assert.ok(inked > 2000, `the flows canvas is drawn on (${inked} inked pixels)`);

  const chn = page.locator('#alerts li[data-nationality="CHN"]');
  assert.ok(await chn.count() >= 1, `an alert for CHN (the page says: ${(await page.innerText('#alerts-status')).trim()})`);
  assert.match(await chn.first().textContent(), /CHN arrivals rose: \d+ in \d{4}-\d{2}/);
  assert.ok(await page.locator('#alert-charts figure[data-nationality="CHN"] canvas').count() >= 1, 'a chart of the CHN alert');
  const bands = await page.getAttribute('#alert-charts figure[data-nationality="CHN"] .chart', 'data-bands');
  assert.ok(Number(bands) >= 1, 'the CHN episode is shaded');
  assert.ok(await page.locator('#overstay-table tbody tr').count() >= 10, 'an overstay row per nationality');
  const changes = await page.textContent('#policy-changes');
  assert.match(changes, /1 Jul 2024 China \(CHN\): no visa needed, 90 days per year from the first entry → visa required/);
  assert.equal(await page.textContent('#policy-timeline li[data-nationality="USA"] .tl-label'),
    'no visa needed, 90 days per year from the first entry, extendable once by 90 days', 'period:90/1y+90 in words');
  assert.ok(!/period:\d|rolling:\d/.test(await page.textContent('#content')), 'no stay rule shown in its raw notation');
  assert.deepEqual(await unlabelled(page), [], 'every dashboard input has a label');
  await shot(page, 'dashboard-1280x800.png');

  // A tablet in portrait: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling on a tablet (${overflow}px too wide)`);
  await shot(page, 'dashboard-tablet.png');
  await page.close();
});

test('el tablero en español: títulos, reglas en palabras, fechas del Ecuador, sin texto en inglés', async () => {
  const page = await newPage('dashboard-es');
  await signIn(page, '/dashboard', ANALYST);
  // the switch in the header: the page comes back in Spanish
  await setLanguage(page, 'es');
  await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'es-EC');
  assert.equal(await page.textContent('#content h1'), 'Tablero: flujos, alertas y permanencias irregulares');
  assert.equal(await page.textContent('#metric option[value=entries]'), 'entradas');
  assert.ok(Number(await page.getAttribute('#flows-chart', 'data-series')) >= 5, 'the chart is drawn in Spanish too');
  assert.match(await page.textContent('#policy-changes'), /01\/07\/2024 China \(CHN\):.*visa obligatoria/);
  assert.match(await page.textContent('#overstay-table thead'), /Tasa de permanencia irregular/);
  // the alerts say their facts in Spanish, not the server's English sentence
  const msg = page.locator('#alerts li[data-nationality="CHN"] .alert-message').first();
  assert.match(await msg.textContent(), /^CHN (llegadas|encuentros|tasa de no salida|encuentros por llegada): (alza|baja), [\d.,\s%]+ en \d{4}-\d\d frente a [\d.,\s%]+ esperados \(/);
  assert.equal(await msg.getAttribute('lang'), null, 'the alert sentence is marked as English');
  // a fall's figures give its lowest month, a rise's its highest
  for (const item of await page.locator('#alerts li.alert-item').all()) {
    const said = await item.locator('.alert-message').textContent();
    const figures = await item.locator('.figures').textContent();
    if (/: baja,/.test(said)) assert.doesNotMatch(figures, /máximo/, `a fall's figures: ${figures}`);
    if (/: alza,/.test(said)) assert.doesNotMatch(figures, /mínimo/, `a rise's figures: ${figures}`);
  }
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish dashboard');
  await shot(page, 'dashboard-es.png');
  await page.close();
});

// Every nationality by its name in the page's language, from the server's
// tables (GET /v1/countries), not only the few the demo data hold: the
// overstays answer is given two rows more (South Korea, and XXA, a code that
// is no country) and the page names them as it names Germany.
for (const [lang, want] of [
  ['en', ['Germany (D)', 'South Korea (KOR)', 'Stateless person (1954 Convention) (XXA)']],
  ['es', ['Alemania (D)', 'Corea del Sur (KOR)', 'Persona apátrida (Convención de 1954) (XXA)']],
]) {
  test(`the dashboard names every nationality from the server's tables (${lang})`, async () => {
    const names = await apiJson(`/v1/countries?lang=${lang}`);
    assert.equal(names.lang, lang);
    assert.ok(Object.keys(names.names).length > 250, 'every code of the ICAO table is named');
    const page = await newPage(`dashboard-countries-${lang}`);
    await page.route('**/v1/reports/overstays*', async (route) => {
      const r = await route.fetch();
      const j = await r.json();
      const rows = Array.isArray(j) ? j : j.rows;
      rows.push({ ...rows[0], nationality: 'KOR' }, { ...rows[0], nationality: 'XXA' });
      await route.fulfill({ response: r, json: j });
    });
    await signIn(page, '/dashboard', ANALYST, lang);
    await dashLoaded(page);
    const heads = await page.locator('#overstay-table tbody th').allTextContents();
    for (const w of want) assert.ok(heads.includes(w), `'${w}' among ${heads.join(', ')}`);
    assert.ok(!heads.some((h) => /^[A-Z]{1,3}$/.test(h)), `no bare code: ${heads.join(', ')}`);
    await page.close();
  });
}

// The dashboard's view is in the address: wait for a load the pickers started.
async function dashLoaded(page) {
  await page.locator('body[data-loaded="true"]').waitFor({ timeout: 30000 });
}
// An analyst's dashboard at /dashboard?query, loaded.
async function openDashboard(name, query, lang = 'en') {
  const page = await newPage(name);
  await signIn(page, `/dashboard${query}`, ANALYST, lang);
  await dashLoaded(page);
  return page;
}
const chartSpec = (page, sel) => page.evaluate((s) => {
  const c = document.querySelector(s);
  return c && c._spec ? { labels: c._spec.series.map((x) => x.label), values: c._spec.series.map((x) => x.values), days: c._spec.daily } : null;
}, sel);
// A file the page offered for download: its name and bytes.
async function download(page, sel) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}
// The analyst's own call, to hold the page to the server's figures.
async function apiJson(p) {
  const r = await fetch(`${BASE}${p}`, { headers: { Authorization: `Bearer ${ANALYST}` } });
  assert.equal(r.status, 200, `GET ${p}`);
  return r.json();
}

test('the dashboard\'s period and report date drive the charts and tables and stay in the address', async () => {
  const page = await openDashboard('dashboard-period', '');
  const allMonths = await page.locator('#flows-table tbody tr').count();
  assert.ok(allMonths >= 24, `the whole ledger first (${allMonths} months)`);
  await page.fill('#from', '2024-03');
  await dashLoaded(page);
  await page.fill('#to', '2024-08');
  await dashLoaded(page);
  await page.fill('#as-of', '2024-09-30');
  await dashLoaded(page);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('from'), '2024-03');
  assert.equal(url.searchParams.get('to'), '2024-08');
  assert.equal(url.searchParams.get('as_of'), '2024-09-30');
  const months = await page.locator('#flows-table tbody th').allTextContents();
  assert.deepEqual(months, ['2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08'], 'the table holds the period only');
  const series = Number(await page.getAttribute('#flows-chart', 'data-series'));
  assert.equal(Number(await page.getAttribute('#flows-chart', 'data-points')), series * 6, 'six points per nationality');
  // The chart's figures are the server's for that period.
  const usa = (await apiJson('/v1/reports/flows?by=nationality&nationality=USA&from=2024-03&to=2024-08')).total.entries;
  const spec = await chartSpec(page, '#flows-chart');
  const drawn = spec.values[spec.labels.indexOf('USA')].reduce((a, b) => a + b, 0);
  assert.equal(drawn, usa, 'the USA line adds up to the server\'s entries for the period');
  assert.match(await page.textContent('#overstays-status'), /Report date: 30 Sept? 2024\./);
  const asked = await apiJson('/v1/reports/overstays?by=nationality&from=2024-03&to=2024-08&as_of=2024-09-30');
  const firstRow = await page.locator('#overstay-table tbody tr').first().locator('th').textContent();
  const top = asked.rows.sort((a, b) => b.in_country_overstays - a.in_country_overstays)[0].nationality;
  assert.ok(firstRow.includes(`(${top})`) || firstRow === top, `the overstays are the as-of report's (${firstRow} vs ${top})`);
  assert.deepEqual(await unlabelled(page), [], 'every picker has a label');
  await shot(page, 'dashboard-period.png');

  // Reloaded (or shared: the address is the view), the same view comes back.
  await page.reload();
  await dashLoaded(page);
  assert.equal(await page.inputValue('#from'), '2024-03');
  assert.equal(await page.inputValue('#to'), '2024-08');
  assert.equal(await page.inputValue('#as-of'), '2024-09-30');
  assert.equal(await page.locator('#flows-table tbody tr').count(), 6);

  // A period that ends before it starts is refused, the view left as it was.
  await page.fill('#from', '2024-09');
  assert.match(await page.textContent('#period-help'), /must not start after it ends/);
  assert.equal(new URL(page.url()).searchParams.get('from'), '2024-03');
  await page.click('#period-all');
  await dashLoaded(page);
  const left = new URL(page.url()).searchParams;
  assert.deepEqual(['from', 'to', 'as_of'].map((k) => left.get(k)), [null, null, null], 'the whole ledger: no period in the address');
  assert.equal(await page.locator('#flows-table tbody tr').count(), allMonths);
  await page.close();
});

test('the index view and the small multiples show China\'s small flow beside the USA\'s', async () => {
  const page = await openDashboard('dashboard-index', '?from=2024-01&to=2024-12&nat=USA,CHN');
  const counts = await chartSpec(page, '#flows-chart');
  assert.deepEqual([...counts.labels].sort(), ['CHN', 'USA'], 'the nationalities of the address');
  const max = (v) => Math.max(...v.filter((x) => x !== null));
  const [chnMax, usaMax] = ['CHN', 'USA'].map((c) => max(counts.values[counts.labels.indexOf(c)]));
  assert.ok(chnMax < usaMax / 5, `in counts China is flattened by the USA (${chnMax} against ${usaMax})`);
  await page.check('#view-index');
  assert.equal(new URL(page.url()).searchParams.get('view'), 'index');
  const idx = await chartSpec(page, '#flows-chart');
  for (const c of ['CHN', 'USA']) assert.equal(idx.values[idx.labels.indexOf(c)][0], 100, `${c} starts at 100`);
  const chn = idx.values[idx.labels.indexOf('CHN')];
  const swing = max(chn) - Math.min(...chn.filter((x) => x !== null));
  assert.ok(swing > 20, `China's line moves visibly on the index (${swing.toFixed(1)} points)`);
  const row1 = await page.locator('#flows-table tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(row1, ['100.0', '100.0'], 'the table shows the index too');
  assert.match(await page.textContent('#flows-desc'), /Index: each nationality's level in 2024-01/);
  await shot(page, 'dashboard-index.png');

  await page.check('#view-multiples');
  assert.equal(new URL(page.url()).searchParams.get('view'), 'multiples');
  assert.ok(await page.locator('#flows-chart').isHidden(), 'the shared chart gives way to the small multiples');
  const figs = page.locator('#flows-multiples figure');
  assert.equal(await figs.count(), 2);
  const tops = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#flows-multiples figure')]
    .map((f) => [f.dataset.nationality, f.querySelector('.chart')._chart.scales.y.max])));
  assert.ok(tops.CHN < tops.USA / 5, `each on its own scale (CHN axis to ${tops.CHN}, USA to ${tops.USA})`);
  await shot(page, 'dashboard-multiples.png');
  await page.reload();
  await dashLoaded(page);
  assert.ok(await page.isChecked('#view-multiples'), 'the scale is kept in the address');
  await page.close();
});

test('the port and day view draws one port\'s days from the server, audited, and follows the picker', async () => {
  const page = await openDashboard('dashboard-port', '?from=2024-07&to=2024-07&port=ECGYE');
  assert.equal(await page.inputValue('#port'), 'ECGYE', 'the port of the address');
  const chart = page.locator('#port-chart');
  assert.equal(await chart.getAttribute('data-days'), '31', 'a point per day of July');
  assert.equal(await chart.getAttribute('data-series'), '3', 'entries, exits and refusals');
  const want = await apiJson('/v1/reports/port-days?port=ECGYE&from=2024-07&to=2024-07');
  const spec = await chartSpec(page, '#port-chart');
  assert.ok(spec.days, 'a daily chart');
  assert.deepEqual(spec.values[0], want.rows.map((r) => r.entries), 'the entries drawn are the server\'s');
  assert.equal(await page.locator('#port-table tbody tr').count(), 31);
  const desc = await page.textContent('#port-desc');
  assert.ok(desc.includes(`${want.total.entries.toLocaleString('en-GB')} entries`), `the words give the total (${desc})`);
  // The busiest port of the period is first in the picker.
  const ports = (await apiJson('/v1/reports/flows?by=port&from=2024-07&to=2024-07')).rows.sort((a, b) => b.entries + b.exits - a.entries - a.exits);
  assert.equal(await page.locator('#port option').first().getAttribute('value'), ports[0].port);
  await shot(page, 'dashboard-port.png');
  await page.selectOption('#port', 'ECUIO');
  await dashLoaded(page);
  assert.equal(new URL(page.url()).searchParams.get('port'), 'ECUIO');
  assert.equal(await chart.getAttribute('data-port'), 'ECUIO');
  await page.close();
});

test('each chart downloads as SVG and PNG, and the page prints without its controls', async () => {
  const page = await openDashboard('dashboard-download', '?from=2024-01&to=2024-12&nat=USA,CHN,COL&port=ECUIO');
  const svg = await download(page, '#flows-box-downloads .dl-svg');
  assert.equal(svg.name, 'frontera-entries-2024-01-2024-12.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  for (const c of ['USA', 'CHN', 'COL']) assert.match(text, new RegExp(`<path d="M[^"]+" [^>]*data-series="${c}"`), `a line for ${c}`);
  assert.match(text, /Monthly entries by nationality/);
  fs.writeFileSync(path.join(ART, 'download-flows.svg'), svg.bytes);
  const png = await download(page, '#port-chart + .downloads .dl-png');
  assert.equal(png.name, 'frontera-port-ECUIO-2024-01-2024-12.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.ok(png.bytes.length > 5000, `a drawn PNG (${png.bytes.length} bytes)`);
  fs.writeFileSync(path.join(ART, 'download-port.png'), png.bytes);
  const alertSvg = page.locator('#alert-charts figure .dl-svg');
  if (await alertSvg.count()) assert.match((await download(page, '#alert-charts figure .dl-svg >> nth=0')).bytes.toString('utf8'), /^<svg/);

  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('#flow-controls').isHidden(), 'no pickers on paper');
  assert.ok(await page.locator('header.top').isHidden(), 'no navigation on paper');
  assert.ok(await page.locator('#flows-box-downloads').isHidden(), 'no buttons on paper');
  assert.match(await page.textContent('#period-print'), /Period: 2024-01 to 2024-12; report date: the last recorded day\./);
  assert.ok(await page.locator('#period-print').isVisible(), 'the printout says its period');
  await shot(page, 'dashboard-print.png');
  await page.emulateMedia({ media: 'screen' });
  await page.close();
});

test('el tablero en español: periodo, índice, puerto día a día, descargas y reglas de estancia en palabras', async () => {
  const page = await openDashboard('dashboard-es-view', '?from=2024-01&to=2024-12&nat=USA,CHN&view=index&port=ECUIO', 'es');
  assert.equal(await page.textContent('label[for=from]'), 'Desde (mes)');
  assert.equal(await page.textContent('label[for=as-of]'), 'Fecha del informe (al)');
  assert.ok(await page.isChecked('#view-index'));
  assert.match(await page.textContent('#scale'), /índice \(primer mes = 100\)/);
  assert.match(await page.textContent('#flows-desc'), /Índice: el nivel de cada nacionalidad en 2024-01/);
  assert.equal(await page.textContent('#port-h'), 'Un puerto, día a día');
  assert.match(await page.textContent('#port-desc'), /^ECUIO: [\d.,\s]+ entradas, [\d.,\s]+ salidas y [\d.,\s]+ rechazos en 366 días; el día de más movimiento fue el \d\d\/\d\d\/2024/);
  assert.equal(await page.textContent('#flows-box-downloads .dl-svg'), 'Descargar SVG');
  // period:90/1y+90 in words, in Spanish
  const usaRule = await page.textContent('#policy-timeline li[data-nationality="USA"] .tl-label');
  assert.equal(usaRule, 'sin visa, 90 días por año desde la primera entrada, prorrogable una vez por 90 días');
  const svg = await download(page, '#flows-box-downloads .dl-svg');
  assert.match(svg.bytes.toString('utf8'), /entradas mensuales por nacionalidad como índice/i, 'the file is titled in Spanish');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish dashboard');
  await shot(page, 'dashboard-es-index.png');
  await page.close();
});

test('el expediente del viajero en español, y la elección del idioma se recuerda', async () => {
  const page = await newPage('traveller-es');
  await signIn(page, '/traveller', OFFICER, 'es');
  await page.fill('#tid', 'USA:BT1234567');
  await page.click('#lookup button[type=submit]');
  await page.locator('#stay-h').waitFor();
  assert.match(await page.textContent('#stay-h'), /^Viajero \d+: TESTER, BROWSER ANN$/);
  assert.match(await page.textContent('#stay'), /No está en el país|En el país/);
  const history = await page.locator('#hist-h + .table-wrap table').textContent();
  assert.match(history, /entrada/);
  assert.match(history, /salida/, 'the exit recorded at the booth is in the history');
  assert.match(history, /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)/, 'times as a Spanish reader writes them');
  assert.match(history, /visitante/, 'the class in words');
  const docs = await page.locator('#docs-h + * table, section:has(#docs-h) table').first().textContent();
  assert.match(docs, /pasaporte \(P\)/, 'the document type in words');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish traveller page');
  await shot(page, 'traveller-es.png');
  // Another page opens in Spanish: the choice is kept.
  await page.goto(`${BASE}/`);
  await page.locator('#content').waitFor({ state: 'visible' });
  assert.equal(await page.getAttribute('html', 'lang'), 'es-EC');
  assert.equal(await page.textContent('#lang option:checked'), 'Español');
  await page.close();
});

test('the list to act on: who is past the stay, most days over first, and a CSV for a spreadsheet', async () => {
  const page = await newPage('overstayers');
  await signIn(page, '/overstayers?as_of=2025-01-15', SUPERVISOR);
  await page.locator('#ovl-list, #ovl-status .problem').first().waitFor({ timeout: 30000 });
  assert.deepEqual(await unlabelled(page), [], 'every input of the list has a label');
  const status = await page.textContent('#ovl-status');
  const m = /^([\d,]+) (?:person|people) in the country past the authorised stay on 15 Jan 2025/.exec(status);
  assert.ok(m, `the count and the date are said: ${status}`);
  const total = Number(m[1].replace(/,/g, ''));
  const days = (await page.locator('#ovl-list tbody tr td:nth-child(9)').allTextContents()).map((x) => Number(x.replace(/,/g, '')));
  assert.ok(days.length >= 1 && days.every((d) => d >= 1), 'each row is at least a day over');
  assert.ok(days.every((d, i) => i === 0 || days[i - 1] >= d), 'most days over first');
  assert.equal(days.length, Math.min(total, 500), 'the page shows the first 500');
  await shot(page, 'overstayers-en.png');
  // the CSV, with the separator chosen
  await page.selectOption('#sep', 'semicolon');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = path.join(ART, 'overstayers.csv');
  await download.saveAs(file);
  const lines = fs.readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
  assert.match(lines[0], /^traveller_id;surname;given_names;nationality;document_state;document_number;birth_date;entered;entry_port;authorised_until;days_over$/);
  assert.equal(lines.length - 1, Math.min(total, 10000), 'a line per person');
  // the same list as a workbook: an XLSX (a zip holding the sheet)
  const [book] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
  const xfile = path.join(ART, 'overstayers.xlsx');
  await book.saveAs(xfile);
  assert.equal(book.suggestedFilename(), 'overstayers-2025-01-15.xlsx');
  const head = fs.readFileSync(xfile).subarray(0, 2).toString('latin1');
  assert.equal(head, 'PK', 'the workbook is a zip file');
  await page.close();
});

test('la lista para actuar en español, y un analista no la ve', async () => {
  const page = await newPage('overstayers-es');
  await signIn(page, '/overstayers?as_of=2025-01-15', SUPERVISOR, 'es');
  await page.locator('#ovl-list').waitFor({ timeout: 30000 });
  assert.equal(await page.textContent('#content h1'), 'Permanencias vencidas: la lista para actuar');
  assert.match(await page.textContent('#ovl-status'), /en el país pasada su estancia autorizada el 15\/01\/2025/);
  assert.match(await page.textContent('#ovl-list thead'), /Días de exceso/);
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish list');
  await shot(page, 'overstayers-es.png');
  await page.close();
  const denied = await newPage('overstayers-403');
  await signIn(denied, '/overstayers', ANALYST);
  const box = denied.locator('#ovl-status .problem');
  await box.waitFor();
  assert.match(await box.textContent(), /403/);
  assert.equal(await denied.locator('#ovl-list').count(), 0, 'no one is named to an analyst');
  await denied.close();
});

async function selfCheck(page, number, nat, birth) {
  await page.fill('#docnum', number);
  await page.fill('#nat', nat);
  await page.fill('#birth', birth);
  await page.click('#check');
  const answer = page.locator('#self-answer');
  await answer.waitFor();
  return { found: await answer.getAttribute('data-found'), text: (await answer.textContent()).trim() };
}

test('the traveller\'s own check needs no sign-in, answers for the holder, and a wrong birth date reveals nothing', async () => {
  const page = await newPage('selfcheck');
  await page.goto(`${BASE}/selfcheck`);
  await page.evaluate(() => { localStorage.setItem('frontera.lang', 'en'); sessionStorage.clear(); });
  await page.reload();
  assert.equal(await page.locator('#signin').count(), 0, 'no sign-in on the public page');
  assert.deepEqual(await unlabelled(page), [], 'every self-check input has a label');
  // The admitted traveller left through the exit booth above: not in the country.
  const own = await selfCheck(page, 'bt1234567', 'USA', '1985-03-14');
  assert.equal(own.found, 'true');
  assert.match(own.text, /not in the country/);
  await shot(page, 'selfcheck-en.png');
  const wrong = await selfCheck(page, 'BT1234567', 'USA', '1985-03-15');
  const unknown = await selfCheck(page, 'ZZ0000000', 'USA', '1985-03-14');
  assert.equal(wrong.found, 'false');
  assert.equal(wrong.text, unknown.text, 'a wrong birth date is answered as an unknown document');
  assert.doesNotMatch(await page.textContent('#self-result'), /TESTER|BROWSER|not in the country/, 'nothing about the holder');
  await page.close();
});

test('la consulta del viajero en español', async () => {
  const page = await newPage('selfcheck-es');
  await page.goto(`${BASE}/selfcheck`);
  await page.evaluate(() => localStorage.setItem('frontera.lang', 'es'));
  await page.reload();
  assert.equal(await page.textContent('h1'), 'Consulte su estancia');
  const wrong = await selfCheck(page, 'BT1234567', 'USA', '1985-03-15');
  assert.match(wrong.text, /^No encontramos ninguna estancia vigente/);
  assert.deepEqual(await englishLeft(page), [], 'English text left in the Spanish self-check');
  await shot(page, 'selfcheck-es.png');
  await page.close();
});

test('a session whose token stops working (rotated, revoked) brings the sign-in back, in the page\'s language', async () => {
  const page = await newPage('session-ended');
  await signIn(page, '/traveller', OFFICER, 'es');
  await page.evaluate(() => sessionStorage.setItem('frontera.token', 'no-longer-valid'));
  await page.fill('#tid', 'USA:BT1234567');
  await page.click('#lookup button[type=submit]');
  await page.locator('#signin').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#signin-message'), 'Su sesión ha terminado: inicie sesión de nuevo.');
  assert.equal(await page.locator('#content').isHidden(), true, 'nothing of the record stays on screen');
  await shot(page, 'session-ended-es.png');
  await page.close();
});

test('an analyst token cannot open a traveller page: the 403 is shown plainly', async () => {
  const page = await newPage('traveller-403');
  await signIn(page, '/traveller?id=1', ANALYST);
  const denied = page.locator('#denied');
  await denied.waitFor();
  const text = await denied.textContent();
  assert.match(text, /Access denied/);
  assert.match(text, /403/);
  assert.match(text, /analyst/);
  assert.equal(await page.locator('#docs-h').count(), 0, 'nothing of the record is shown');
  assert.equal(await page.getAttribute('#denied', 'role'), 'alert');
  await shot(page, 'traveller-403.png');
  await page.close();
});

test('neither an officer (not theirs: 404) nor an analyst (403) reaches a record under review', async () => {
  const page = await newPage('review-officer');
  await signIn(page, `/traveller?id=${REVIEW_TRAVELLER}`, OFFICER);
  // an officer sees only travellers they decided on at the booth: this one is not
  await page.locator('#traveller .problem').waitFor();
  await page.close();
  const ana = await newPage('review-analyst');
  await signIn(ana, `/traveller?id=${REVIEW_TRAVELLER}`, ANALYST);
  await ana.locator('#denied').waitFor();
  assert.equal(await ana.locator('#reviews').count(), 0, 'an analyst sees no review');
  await ana.close();
});

test('a link review reads in Spanish for a supervisor, its evidence in words', async () => {
  const page = await newPage('review-es');
  await signIn(page, `/traveller?id=${REVIEW_TRAVELLER}`, SUPERVISOR, 'es');
  const item = page.locator(`#review-${REVIEW_ID}`);
  await item.waitFor();
  assert.equal(await item.locator('button.review-link').textContent(), 'Misma persona: vincular');
  assert.match(await item.locator('p.evidence').textContent(), /^Peso de coincidencia: -?\d+,\d bits\./);
  const items = await item.locator('.evidence-items li').allTextContents();
  assert.ok(items.some((x) => /^[+-]\d+,\d misma fecha de nacimiento$/.test(x)), `the comparisons in Spanish: ${items}`);
  assert.equal(await item.locator('[lang="en"]').count(), 0, 'no stored English text shown');
  assert.deepEqual(await englishLeft(page), [], 'no English left on the Spanish review');
  await shot(page, 'review-supervisor-es.png');
  await page.close();
});

test('a supervisor reads a link review with its evidence and keeps the two people apart', async () => {
  const page = await newPage('review-supervisor');
  await signIn(page, `/traveller?id=${REVIEW_TRAVELLER}`, SUPERVISOR);
  const item = page.locator(`#review-${REVIEW_ID}`);
  await item.waitFor();
  assert.match(await item.locator('p.evidence').textContent(), /^Match weight: -?\d+\.\d bits\./);
  const items = await item.locator('.evidence-items li').allTextContents();
  assert.ok(items.some((x) => /^[+-]\d+\.\d same birth date$/.test(x)), `the comparisons in words: ${items}`);
  assert.ok(items.some((x) => /^-\d+\.\d odds before the evidence/.test(x)), `the prior, against: ${items}`);
  assert.equal(await item.locator('a').getAttribute('href'), `/traveller?id=${REVIEW_CANDIDATE}`);
  assert.deepEqual(await unlabelled(page), [], 'every input has a label');
  await shot(page, 'review-supervisor.png');
  // no decision without a reason: nothing is sent, the note is asked for
  await item.locator('button.review-distinct').click();
  assert.match(await item.locator('p[role="status"]').textContent(), /^Say why first/);
  assert.equal(await page.evaluate(() => document.activeElement.id), `note-${REVIEW_ID}`);
  assert.equal(await page.locator(`#review-${REVIEW_ID}`).count(), 1, 'a review was decided without a note');
  await page.fill(`#note-${REVIEW_ID}`, 'different photos, browser test');
  await item.locator('button.review-distinct').click();
  // the record is read again: the review is closed, so it is no longer listed
  await page.locator(`#review-${REVIEW_ID}`).waitFor({ state: 'detached' });
  await page.locator('#docs-h').waitFor();
  const looked = await page.locator('section[aria-labelledby="audit-h"] table').textContent();
  assert.ok(looked.includes('review.distinct'), 'the decision is in the record\'s access log');
  await shot(page, 'review-resolved.png');
  await page.close();
});

test('a booth whose server syncs with no central shows no sync panel', async () => {
  const page = await newPage('sync-none');
  const asked = page.waitForResponse((r) => r.url().endsWith('/v1/sync/status'));
  await signIn(page, '/booth', OFFICER);
  const answer = await (await asked).json();
  assert.equal(answer.configured, false);
  assert.equal(await page.locator('#sync').isHidden(), true, 'no panel on a server without a central');
  await page.close();
});

test('a post\'s booth in step with its central says so, with the figures folded below', async () => {
  const page = await newPage('sync-ok');
  await signIn(page, '/booth', env('FR_POST_B_OFFICER'), 'en', POST_B);
  const panel = page.locator('#sync[data-state="ok"]');
  await panel.waitFor();
  assert.match(await page.textContent('#sync-body'), /^In step with the central: last synchronised \d+ seconds? ago\.$/);
  assert.equal(await page.locator('.sync-warnings').count(), 0, 'no warning');
  await page.click('#sync-details summary');
  assert.match(await page.textContent('#sync-waiting dd'), /^0$/);
  assert.match(await page.textContent('#sync-refused dd'), /^0$/);
  assert.match(await page.textContent('#sync-clock dd'), /^the central's clock is [+-]\d/);
  assert.match(await page.textContent('#sync-background dd'), /^sends every 1 second$/);
  assert.match(await page.textContent('#sync-list-policy dd'), /^not pulled yet$/);
  await shot(page, 'sync-ok.png');
  await page.close();
});

test('a post\'s booth warns visibly while its central cannot be reached, in English and in Spanish', async () => {
  const page = await newPage('sync-warn');
  await signIn(page, '/booth', env('FR_POST_A_OFFICER'), 'en', POST_A);
  await page.locator('#sync[data-state="warn"] .sync-warnings').waitFor();
  assert.match(await page.textContent('#sync-body .sync-summary'), /^Check the sync with the central:$/);
  const en = await page.locator('.sync-warnings li').allTextContents();
  assert.ok(en.some((w) => /^This post has never reached the central/.test(w)), `never reached: ${en.join(' | ')}`);
  assert.ok(en.some((w) => /^The last attempt to reach the central failed: .*no answer from/.test(w)), `the last attempt: ${en.join(' | ')}`);
  assert.ok(en.some((w) => /^2 events wait to be sent, the oldest for \d[\d,\u00a0\u202f ]* days \(a warning after 10 minutes\)\.$/.test(w)),
    `what waits: ${en.join(' | ')}`);
  assert.equal(await page.getAttribute('.sync-warnings .sync-error', 'lang'), null, 'the server\'s English needs no mark in English');
  assert.match(await page.textContent('#sync-announce'), /Check the sync with the central/, 'a screen reader hears the warnings');
  await shot(page, 'sync-warn.png');

  await setLanguage(page, 'es');
  await page.locator('#sync[data-state="warn"] .sync-warnings').waitFor();
  assert.match(await page.textContent('#sync-body .sync-summary'), /^Revise la sincronización con el sistema central:$/);
  const es = await page.locator('.sync-warnings li').allTextContents();
  assert.ok(es.some((w) => /^Este puesto nunca ha conectado con el sistema central/.test(w)), `nunca: ${es.join(' | ')}`);
  assert.ok(es.some((w) => /^2 eventos esperan para enviarse, el más antiguo desde hace \d[\d.\u00a0\u202f ]* días \(aviso pasados 10 minutos\)\.$/.test(w)),
    `lo que espera: ${es.join(' | ')}`);
  assert.equal(await page.getAttribute('.sync-warnings .sync-error', 'lang'), 'en', 'the server\'s sentence is marked English');
  await page.click('#sync-details summary');
  assert.match(await page.textContent('#sync-waiting dd'), /^2, el más antiguo desde el /);
  assert.match(await page.textContent('#sync-last dd'), /^nunca$/);
  assert.deepEqual(await englishLeft(page), [], 'no English left in the Spanish booth');
  await shot(page, 'sync-warn-es.png');
  await setLanguage(page, 'en');
  await page.close();
});

test('the pages loaded nothing from any other host and raised no error', () => {
  assert.deepEqual(foreign, [], 'requests to other hosts');
  assert.deepEqual(pageErrors, [], 'page errors');
});

test('a supervisor decides a referral at the booth; an officer is not offered the form', async () => {
  // the officer: the referral is shown, nothing to record, no supervisor's form
  let page = await newPage('booth-referral-officer');
  await signIn(page, '/booth', OFFICER);
  await setDirection(page, 'entry');
  await fillAdmission(page, env('FR_MRZ_REFER'), env('FR_AT_REFER'));
  await page.click('#decide');
  await page.locator('#outcome[data-decision="refer"]').waitFor();
  assert.equal(await page.isHidden('#override-box'), true, 'an officer is offered the supervisor\'s form');
  assert.equal(await page.isHidden('#record'), true, 'a referral has a record button');
  await page.close();

  // the supervisor: the form, its checks, then the entry recorded with the reason
  page = await newPage('booth-referral-supervisor');
  await signIn(page, '/booth', SUPERVISOR);
  await setDirection(page, 'entry');
  await fillAdmission(page, env('FR_MRZ_REFER'), env('FR_AT_REFER'));
  await page.click('#decide');
  await page.locator('#outcome[data-decision="refer"]').waitFor();
  await page.locator('#override-box').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#record-help'), /decide it below as supervisor/);
  assert.deepEqual(await unlabelled(page), [], 'inputs without a label in the supervisor\'s form');
  await page.click('#ov-submit');
  assert.equal(await page.textContent('#ov-error'), 'Choose admit or refuse.');
  await page.check('#ov-admit');
  await page.click('#ov-submit');
  assert.equal(await page.textContent('#ov-error'), 'Give the reason: 3 to 500 characters.');
  await page.fill('#ov-reason', 'Number checked on the data page; the scanner misread it');
  // the rules gave this traveller a stay (180 days for a Peruvian visitor): no date asked, that one recorded
  assert.equal(await page.isHidden('#ov-until-box'), true, 'a date is asked though the rules give the stay');
  await page.click('#ov-submit');
  await page.locator('#outcome[data-decision="admit"]').waitFor();
  assert.match(await page.textContent('#decision'), /13 Jun 2025/, 'the stay the rules gave is not the one recorded');
  await page.locator('#recorded-msg').waitFor();
  assert.match(await page.textContent('#recorded-msg'), /SUP-[0-9A-Z]+-[0-9A-Z]+/);
  const sup = await page.$$eval('#reasons li', (lis) => lis
    .filter((li) => li.querySelector('.reason-meta code')?.textContent === 'override.supervisor')
    .map((li) => li.querySelector('.reason-text')?.textContent));
  assert.equal(sup.length, 1, 'the decision does not carry the supervisor\'s reason');
  assert.match(sup[0], /^Decided by supervisor link-supervisor \(was refer\): Number checked on the data page/);
  assert.equal(await page.isHidden('#override-box'), true, 'the form stays after the decision is recorded');
  await shot(page, 'booth-supervisor.png');
  await page.close();

  // in Spanish: the form in Spanish, nothing left in English
  page = await newPage('booth-referral-es');
  await signIn(page, '/booth', SUPERVISOR, 'es');
  await setDirection(page, 'entry');
  await fillAdmission(page, env('FR_MRZ_REFER'), env('FR_AT_REFER'));
  await page.click('#decide');
  await page.locator('#override-box').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#override-h'), 'Decisión del supervisor');
  assert.deepEqual(await englishLeft(page), [], 'English text left in the supervisor\'s form');
  await page.close();
});

test('the booth shows whose document was read, and a strong watchlist match above everything else', async () => {
  const page = await newPage('booth-watchlist');
  await signIn(page, '/booth', OFFICER);
  await setDirection(page, 'entry');
  await fillAdmission(page, env('FR_MRZ_HIT'), env('FR_AT_REFER'));
  await page.click('#decide');
  await page.locator('#outcome').waitFor();
  assert.equal(await page.textContent('#who'), 'MALLKU, TUPAC INTI · nationality BOL · document BL1122334 issued by BOL');
  await page.locator('#hit-banner').waitFor();
  assert.match(await page.textContent('#hit-banner'), /^STRONG WATCHLIST MATCH: list WANTED, entry W1\./);
  // right under the outcome, before the stay and the reasons
  assert.equal(await page.evaluate(() => document.querySelector('#outcome').nextElementSibling.id), 'hit-banner');
  assert.match(await page.textContent('#announce'), /STRONG WATCHLIST MATCH/, 'a screen reader does not hear the match');
  await shot(page, 'booth-watchlist.png');
  // a traveller on no list: no banner
  await fillAdmission(page, env('FR_MRZ_ADMIT'), env('FR_AT_ADMIT'));
  await page.click('#decide');
  await page.locator('#who', { hasText: 'TESTER, BROWSER ANN' }).waitFor();
  assert.equal(await page.locator('#hit-banner').count(), 0);
  await page.close();
});

test('the navigation shows the pages of the signed-in role, and who is signed in', async () => {
  const page = await newPage('nav-roles');
  const links = () => page.$$eval('nav.pages a', (as) => as.filter((a) => a.offsetParent !== null).map((a) => a.getAttribute('href')));
  const signedAs = async (role) => {
    await page.locator('#session', { hasText: `(${role})` }).waitFor();
    assert.match(await page.textContent('#session'), new RegExp(`^Signed in as \\S+ \\(${role}\\)`));
  };
  // an analyst: aggregates only; the booth says it is not theirs
  await signIn(page, '/booth', ANALYST);
  await signedAs('analyst');
  assert.deepEqual(await links(), ['/dashboard', '/selfcheck']);
  assert.match(await page.textContent('#role-note'), /^This page is not for the role analyst/);
  await page.evaluate(() => sessionStorage.clear());
  // an officer: the booth and a traveller's record, no note on the booth
  await signIn(page, '/booth', OFFICER);
  await signedAs('officer');
  assert.deepEqual(await links(), ['/booth', '/traveller', '/selfcheck']);
  assert.equal(await page.locator('#role-note').count(), 0);
  await page.evaluate(() => sessionStorage.clear());
  // a supervisor: every page
  await signIn(page, '/dashboard', SUPERVISOR);
  await signedAs('supervisor');
  assert.deepEqual(await links(), ['/booth', '/dashboard', '/traveller', '/overstayers', '/selfcheck']);
  await page.close();
});
