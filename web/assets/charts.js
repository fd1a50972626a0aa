// charts.js: monthly line charts on uPlot (fetched from npm by the build and
// served from /assets/vendor/), with two overlays drawn on the canvas:
// shaded bands (alert episodes, from their onset to their last month) under
// the lines, and dashed vertical marks (policy changes) with their labels.
// The chart follows its container's width (ResizeObserver). The container
// gets data-series and data-points attributes so a test or a script can see
// what was drawn without reading pixels, and keeps what it drew (_spec) for
// the SVG and PNG downloads (chartsvg.js). Daily charts (days: instead of
// months:) use the same drawing with the day on the x axis.
import uPlot from './vendor/uPlot.esm.js';
import { t, fmtNum } from './i18n.js';

export const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22',
  '#17becf', '#ff7f0e', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd',
];

// "2024-07" -> seconds since the epoch of its first day (UTC).
export function monthSeconds(m) {
  return Date.parse(`${m}-01T00:00:00Z`) / 1000;
}
export function daySeconds(d) {
  return Date.parse(`${d}T00:00:00Z`) / 1000;
}
// The first second after the month m ("2024-07" -> 2024-08-01).
export function monthEndSeconds(m) {
  const [y, mo] = m.split('-').map(Number);
  return Date.UTC(y, mo, 1) / 1000;
}

// Every k-th month, k such that the labels are at least 70 pixels apart.
const monthSplits = (xs) => (u) => {
  const k = Math.max(1, Math.ceil((xs.length * 70) / Math.max(1, u.width - 80)));
  return xs.filter((x, i) => i % k === 0);
};

export const fmtMonth = (s) => new Date(s * 1000).toISOString().slice(0, 7);
export const fmtDay = (s) => new Date(s * 1000).toISOString().slice(0, 10);

function overlays(bands, marks) {
  return {
    drawClear: [(u) => {
      const { ctx } = u;
      const { top, height } = u.bbox;
      ctx.save();
      for (const b of bands) {
        const x0 = u.valToPos(b.from, 'x', true), x1 = u.valToPos(b.to, 'x', true);
        ctx.fillStyle = b.color || 'rgba(255, 170, 0, 0.28)';
        ctx.fillRect(Math.min(x0, x1), top, Math.max(2, Math.abs(x1 - x0)), height);
      }
      ctx.restore();
    }],
    draw: [(u) => {
      const { ctx } = u;
      const { left, top, width, height } = u.bbox;
      const px = devicePixelRatio || 1;
      ctx.save();
      ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      bands.forEach((b, i) => {
        if (!b.label) return;
        const x = u.valToPos(b.from, 'x', true);
        if (x < left || x > left + width) return;
        ctx.fillStyle = '#5c3a00';
        ctx.fillText(b.label, x + 3 * px, top + (3 + 13 * (i % 4)) * px);
      });
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.lineWidth = 1.5 * px;
      marks.forEach((m, i) => {
        const x = Math.round(u.valToPos(m.at, 'x', true));
        if (x < left || x > left + width) return;
        ctx.strokeStyle = '#6b21a8';
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        if (m.label) {
          ctx.fillStyle = '#4a1772';
          const w = ctx.measureText(m.label).width;
          const tx = x + 3 * px + w > left + width ? x - 3 * px - w : x + 3 * px;
          ctx.fillText(m.label, tx, top + (3 + 13 * Math.min(bands.length, 4) + 13 * (i % 3)) * px);
        }
      });
      ctx.restore();
    }],
  };
}

// Draw a chart in container. months: ["2022-01", ...] (or days:
// ["2024-07-01", ...] for a daily chart); series: [{label, values (one per
// month or day, null for none), color, width}]; bands: [{from, to (seconds),
// label}]; marks: [{at (seconds), label}]; digits: decimals of the values
// shown (an index: 1); label: what the drawing shows, for a screen reader.
// Returns the uPlot object; the previous chart in the container is destroyed.
export function monthlyChart(container, {
  months, days, series, bands = [], marks = [], height = 320, yLabel = '', label = '', digits = 0,
}) {
  if (container._chart) {
    container._chart.destroy();
    container._resize?.disconnect();
  }
  container.replaceChildren();
  const daily = Array.isArray(days);
  const xs = daily ? days.map(daySeconds) : months.map(monthSeconds);
  const fmtX = daily ? fmtDay : fmtMonth;
  const data = [xs, ...series.map((s) => s.values)];
  const width = Math.max(280, container.clientWidth || 600);
  const shown = (v) => (v === null || v === undefined ? '—' : fmtNum(v, { maximumFractionDigits: digits }));
  const opts = {
    width,
    height,
    scales: { x: { time: true } },
    axes: [
      // Monthly: ticks on months only (never two labels for one month on a wide chart).
      { values: (u, ticks) => ticks.map(fmtX), splits: daily ? undefined : monthSplits(xs), stroke: '#3b4450', grid: { stroke: '#e1e5ea' } },
      { label: yLabel, stroke: '#3b4450', grid: { stroke: '#e1e5ea' }, size: 60 },
    ],
    series: [
      { label: daily ? t('col.day') : t('col.month'), value: (u, v) => (v === null || v === undefined ? '—' : fmtX(v)) },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: s.width || 2,
        dash: s.dash,
        points: { show: xs.length < 40, size: 4 },
        value: (u, v) => shown(v),
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    hooks: overlays(bands, marks),
  };
  const u = new uPlot(opts, data, container);
  container._chart = u;
  const text = label || t('chart.default_label', { series: series.map((s) => s.label).join(', ') });
  container._spec = { xs, daily, series, bands, marks, yLabel, label: text, digits };
  // The drawing is one image to a screen reader; the figures are in a table beside it.
  const canvas = container.querySelector('canvas');
  if (canvas) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', text);
  }
  container.dataset.series = String(series.length);
  container.dataset.points = String(series.reduce((n, s) => n + s.values.filter((v) => v !== null && v !== undefined).length, 0));
  container.dataset.bands = String(bands.length);
  container.dataset.marks = String(marks.length);
  if (typeof ResizeObserver === 'function') {
    let last = width;
    const ro = new ResizeObserver(() => {
      const w = Math.max(280, container.clientWidth);
      if (Math.abs(w - last) > 4) {
        last = w;
        u.setSize({ width: w, height });
      }
    });
    ro.observe(container);
    container._resize = ro;
  }
  return u;
}
