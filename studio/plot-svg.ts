// Learning curves as a standalone SVG (`maxent plot`): one line per run, env steps on x, a
// metric (episode return by default) on y, "nice" ticks, a legend. Pure string building, so the
// same figure comes out anywhere (BENCHMARKS.md, a paper, the run folder) without a browser.

export interface Series {
  label: string;
  /** [x, y] pairs in x order; non-finite y values are skipped. */
  points: [number, number][];
  /** A shaded band around the line (several seeds: their min and max), at the same x values. */
  band?: { lo: [number, number][]; hi: [number, number][] };
}

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

/** XML-escapes text for element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => (hi - lo) / s <= count + 1)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Short tick label: 300000 → 300k, 1500000 → 1.5M, 0.25 → 0.25. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

/** Moving average over the last `window` points (window 1 = the points as they are). */
export function smooth(points: [number, number][], window: number): [number, number][] {
  if (!Number.isInteger(window) || window < 1) throw new Error(`smoothing window must be an integer >= 1, got ${window}`);
  const out: [number, number][] = [];
  const recent: number[] = [];
  let sum = 0;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    recent.push(y);
    sum += y;
    if (recent.length > window) sum -= recent.shift()!;
    out.push([x, sum / recent.length]);
  }
  return out;
}

/**
 * Several runs of one setting (one per seed) as one line and a band: the mean, min and max at
 * each x that every run logged (runs with the same logEvery log at the same steps).
 */
export function meanBand(runs: [number, number][][]): { mean: [number, number][]; lo: [number, number][]; hi: [number, number][] } {
  const maps = runs.map((pts) => new Map(pts.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))));
  const xs = [...(maps[0]?.keys() ?? [])].filter((x) => maps.every((m) => m.has(x))).sort((a, b) => a - b);
  const mean: [number, number][] = [],
    lo: [number, number][] = [],
    hi: [number, number][] = [];
  for (const x of xs) {
    const ys = maps.map((m) => m.get(x)!);
    mean.push([x, ys.reduce((a, b) => a + b, 0) / ys.length]);
    lo.push([x, Math.min(...ys)]);
    hi.push([x, Math.max(...ys)]);
  }
  return { mean, lo, hi };
}

/**
 * Squeezes a text that would run past `max` px (estimated at `charPx` per character: no font
 * metrics in a string builder) into `max`, so long run names stay whole and inside the image.
 */
function fitWidth(text: string, charPx: number, max: number): string {
  return text.length * charPx > max ? ` textLength="${max}" lengthAdjust="spacingAndGlyphs"` : '';
}

export function curvesSvg(series: Series[], opts: PlotOptions = {}): string {
  const data = series.map((s) => ({ label: s.label, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }));
  if (data.length === 0 || data.every((s) => s.points.length === 0)) throw new Error('plot: no finite data points to draw');
  const W = opts.width ?? 800,
    H = opts.height ?? 480;
  const left = 72,
    right = 24,
    top = opts.title ? 40 : 16,
    // the legend sits below the axes, one row per series: inside, it covered curves near the top
    bottom = 52 + 18 * data.length;
  const xs = data.flatMap((s) => s.points.map((p) => p[0]));
  const ys = [
    ...data.flatMap((s) => s.points.map((p) => p[1])),
    ...series.flatMap((s) => (s.band ? [...s.band.lo, ...s.band.hi].map((p) => p[1]).filter(Number.isFinite) : [])),
  ];
  let x0 = Math.min(...xs),
    x1 = Math.max(...xs),
    y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  if (x0 > 0 && x0 < (x1 - x0) * 0.2) x0 = 0; // start the step axis at 0 when that is close
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const py = (y: number) => top + (1 - (y - y0) / (y1 - y0)) * (H - top - bottom);
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
  ];
  if (opts.title)
    parts.push(
      `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600"${fitWidth(opts.title, 15 * 0.6, W - 16)}>${escapeXml(opts.title)}</text>`,
    );
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${f(px(t))}" y1="${top}" x2="${f(px(t))}" y2="${H - bottom}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${f(px(t))}" y="${H - bottom + 18}" text-anchor="middle" fill="#374151">${formatTick(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${left}" y1="${f(py(t))}" x2="${W - right}" y2="${f(py(t))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${left - 8}" y="${f(py(t) + 4)}" text-anchor="end" fill="#374151">${formatTick(t)}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#9ca3af"/>`);
  if (opts.xLabel)
    parts.push(`<text x="${(left + W - right) / 2}" y="${H - bottom + 38}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  if (opts.yLabel) {
    const cy = (top + H - bottom) / 2;
    parts.push(`<text x="18" y="${cy}" text-anchor="middle" transform="rotate(-90 18 ${cy})">${escapeXml(opts.yLabel)}</text>`);
  }
  // Bands first, under every line.
  series.forEach((s, i) => {
    if (!s.band || s.band.lo.length === 0) return;
    const edge = [...s.band.lo, ...[...s.band.hi].reverse()].map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ');
    parts.push(`<polygon fill="${COLORS[i % COLORS.length]!}" fill-opacity="0.15" stroke="none" points="${edge}"/>`);
  });
  data.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    if (s.points.length > 0) {
      const pts = s.points.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" points="${pts}"/>`);
    }
    const ly = H - bottom + 60 + i * 18;
    parts.push(`<line x1="${left + 12}" y1="${ly - 4}" x2="${left + 32}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${left + 38}" y="${ly}"${fitWidth(s.label, 12 * 0.55, W - left - 38 - 8)}>${escapeXml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
