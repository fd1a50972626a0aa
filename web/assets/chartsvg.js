// chartsvg.js: a chart as a file to keep, print or paste into a report. The
// SVG is drawn again from what the chart drew (the container's _spec, set by
// charts.js): the title, the value axis with round ticks, the period on the
// other axis, one line per series (broken where a value is missing), the
// alert bands, the policy marks and a legend, with the numbers in the page's
// language. The PNG is that SVG painted on a canvas at twice the size, so the
// two downloads show the same thing. Both are offered by downloadButtons().
import { el } from './common.js';
import { t, fmtNum } from './i18n.js';
import { fmtMonth, fmtDay } from './charts.js';

const W = 960;
const PLOT = { left: 78, right: 24, top: 56, height: 300 };

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

// Round ticks over [lo, hi]: about n of them, at 1, 2 or 5 times a power of ten.
function ticks(lo, hi, n = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

// The SVG text of the chart drawn in container (null when none is drawn).
export function chartSvg(container, title) {
  const spec = container._spec;
  if (!spec) return null;
  const { xs, series, bands, marks, yLabel, daily, digits } = spec;
  const legendRows = Math.ceil(series.length / 4);
  const H = PLOT.top + PLOT.height + 44 + legendRows * 20 + 12;
  const pw = W - PLOT.left - PLOT.right;
  const vals = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  const yt = ticks(Math.min(0, ...vals), Math.max(1, ...vals));
  const y0 = yt[0], y1 = yt[yt.length - 1];
  const x0 = xs[0], x1 = xs.length > 1 ? xs[xs.length - 1] : xs[0] + 1;
  const X = (x) => PLOT.left + ((x - x0) / (x1 - x0)) * pw;
  const Y = (v) => PLOT.top + PLOT.height - ((v - y0) / (y1 - y0)) * PLOT.height;
  const fx = daily ? fmtDay : fmtMonth;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(spec.label)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="16" font-weight="600">${esc(title || spec.label)}</text>`];
  if (yLabel) out.push(`<text x="${PLOT.left}" y="44" fill="#3b4450">${esc(yLabel)}</text>`);
  for (const b of bands) {
    const a = Math.max(PLOT.left, X(b.from)), z = Math.min(PLOT.left + pw, X(b.to));
    if (z > a) out.push(`<rect x="${a.toFixed(1)}" y="${PLOT.top}" width="${(z - a).toFixed(1)}" height="${PLOT.height}" fill="rgb(255,170,0)" fill-opacity="0.28"/>`);
  }
  for (const v of yt) {
    const y = Y(v).toFixed(1);
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.left + pw}" y1="${y}" y2="${y}" stroke="#e1e5ea"/>`,
      `<text x="${PLOT.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#3b4450">${esc(fmtNum(v))}</text>`);
  }
  const nx = Math.min(xs.length, 8);
  for (let i = 0; i < nx; i++) {
    const k = nx === 1 ? 0 : Math.round((i * (xs.length - 1)) / (nx - 1));
    const x = X(xs[k]).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PLOT.top + PLOT.height}" y2="${PLOT.top + PLOT.height + 5}" stroke="#3b4450"/>`,
      `<text x="${x}" y="${PLOT.top + PLOT.height + 18}" text-anchor="middle" fill="#3b4450">${fx(xs[k])}</text>`);
  }
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.left + pw}" y1="${PLOT.top + PLOT.height}" y2="${PLOT.top + PLOT.height}" stroke="#3b4450"/>`);
  for (const m of marks) {
    const x = X(m.at);
    if (x < PLOT.left || x > PLOT.left + pw) continue;
    out.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${PLOT.top}" y2="${PLOT.top + PLOT.height}" stroke="#6b21a8" stroke-width="1.5" stroke-dasharray="4 3"><title>${esc(m.label || '')}</title></line>`);
  }
  for (const s of series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined || !Number.isFinite(v)) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${X(xs[i]).toFixed(1)} ${Y(v).toFixed(1)}`;
      pen = true;
    });
    const last = s.values.length ? s.values[s.values.length - 1] : null;
    out.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${s.width || 2}" data-series="${esc(s.label)}"><title>${esc(s.label)}: ${esc(last === null ? '—' : fmtNum(last, { maximumFractionDigits: digits }))}</title></path>`);
  }
  series.forEach((s, i) => {
    const x = PLOT.left + (i % 4) * 210, y = PLOT.top + PLOT.height + 40 + Math.floor(i / 4) * 20;
    out.push(`<rect x="${x}" y="${y - 9}" width="14" height="10" fill="${esc(s.color)}"/>`,
      `<text x="${x + 20}" y="${y}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

function save(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export function downloadSvg(container, name, title) {
  const svg = chartSvg(container, title);
  if (svg) save(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
}

// The SVG painted on a canvas at twice its size (sharp when printed).
export function downloadPng(container, name, title) {
  const svg = chartSvg(container, title);
  if (!svg) return;
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.width * 2;
    c.height = img.height * 2;
    const g = c.getContext('2d');
    g.scale(2, 2);
    g.drawImage(img, 0, 0);
    c.toBlob((b) => { if (b) save(b, `${name}.png`); }, 'image/png');
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// Two buttons for the chart in container: the file is named name.svg / name.png
// and titled with title() (asked at the time of the download, so it says what
// is shown then).
export function downloadButtons(container, name, title) {
  const what = () => (typeof title === 'function' ? title() : title);
  const file = () => (typeof name === 'function' ? name() : name);
  return el('div', { class: 'downloads no-print' },
    el('button', { type: 'button', class: 'secondary dl-svg', onclick: () => downloadSvg(container, file(), what()) }, t('chart.download_svg')),
    el('button', { type: 'button', class: 'secondary dl-png', onclick: () => downloadPng(container, file(), what()) }, t('chart.download_png')));
}
