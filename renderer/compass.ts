// A compass rose of an evaluation's direction histogram (walkers' headings, the arm's push
// directions): one wedge per 45° sector, as long as its share of the most common sector, so a
// policy that runs off in many directions reads at a glance. What has no direction ('still',
// 'off table') is counted under it. Pure string building (unit-tested); labels are fixed strings.

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const R = 56; // longest wedge, px
const HALF = (20 * Math.PI) / 180; // each wedge spans 40° of its 45° sector

/** SVG of the histogram over `sectors` (counterclockwise from +x, the first drawn to the right).
 * `clockwise`: the sectors turn clockwise on screen instead, for directions in the world's (x, z)
 * plane, where +z points toward the viewer of a y-up scene: seen from above it is down, not up. */
export function compassSvg(hist: Readonly<Record<string, number>>, sectors: readonly string[], title: string, clockwise = false): string {
  const c = R + 22;
  const size = 2 * c;
  const top = Math.max(1, ...sectors.map((s) => hist[s] ?? 0));
  const parts: string[] = [];
  parts.push(`<circle cx="${c}" cy="${c}" r="${R}" fill="none" stroke="#2a303b"/>`);
  parts.push(`<circle cx="${c}" cy="${c}" r="${R / 2}" fill="none" stroke="#2a303b"/>`);
  sectors.forEach((s, i) => {
    const n = hist[s] ?? 0;
    const a = ((clockwise ? -i : i) * Math.PI) / 4;
    // Screen y grows downward: north (counterclockwise from east) is up.
    const at = (ang: number, r: number) => `${(c + r * Math.cos(ang)).toFixed(1)},${(c - r * Math.sin(ang)).toFixed(1)}`;
    const r = (R * n) / top;
    if (n > 0)
      parts.push(
        `<path data-sector="${esc(s)}" data-count="${n}" d="M${c},${c} L${at(a - HALF, r)} A${r.toFixed(1)},${r.toFixed(1)} 0 0 0 ${at(a + HALF, r)} Z" fill="#4fa3ff" fill-opacity="0.75" stroke="#4fa3ff"><title>${esc(s)}: ${n}</title></path>`,
      );
    // Every other sector named (E, N, W, S), just outside the rose.
    if (i % 2 === 0) {
      const [x, y] = at(a, R + 12).split(',');
      parts.push(`<text x="${x}" y="${y}" text-anchor="middle" dominant-baseline="middle" fill="#9aa3b2" font-size="11">${esc(s)}</text>`);
    }
  });
  const other = Object.entries(hist).filter(([k, n]) => !sectors.includes(k) && n > 0);
  const under = esc(other.map(([k, n]) => `${k} ${n}`).join(' · '));
  const height = size + (under ? 16 : 0);
  if (under)
    parts.push(`<text data-undirected="" x="${c}" y="${size + 8}" text-anchor="middle" fill="#9aa3b2" font-size="11">${under}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" viewBox="0 0 ${size} ${height}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}
