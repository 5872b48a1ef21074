/**
 * Charts of the simulator as standalone SVG (drawn here, no library): line/scatter charts with axes,
 * ticks, units and a legend, and a heatmap with a colour scale; and their PNG renderings through
 * Debian's chromium (playwright-core).
 */
import * as fs from "fs";

export interface Series {
  name: string;
  color: string;
  /** [x, y] points; drawn as a line unless `dots`. */
  points: [number, number][];
  dots?: boolean;
  dashed?: boolean;
  /** A shaded band [x, low, high] around the line (e.g. min–max over seeds). */
  band?: [number, number, number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Format of tick labels. */
  xFmt?: (x: number) => string;
  yFmt?: (y: number) => string;
  /** Explicit x ticks (default: about 6 round ones). */
  xTicks?: number[];
  /** Use a log scale on x. */
  xLog?: boolean;
  /** Start the y axis at 0. */
  yZero?: boolean;
  width?: number;
  height?: number;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** About `n` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(12));
  return out;
}

export function lineChart(ch: LineChart): string {
  const W = ch.width ?? 900;
  const H = ch.height ?? 420;
  const L = 80;
  const R = 200;
  const T = 40;
  const B = 55;
  const all = ch.series.flatMap((s) => [
    ...s.points,
    ...(s.band ?? []).flatMap(([x, lo, hi]): [number, number][] => [
      [x, lo],
      [x, hi],
    ]),
  ]);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const fx = (x: number): number => (ch.xLog ? Math.log10(x) : x);
  let x0 = Math.min(...xs.map(fx));
  let x1 = Math.max(...xs.map(fx));
  if (x1 === x0) x1 = x0 + 1;
  if (ch.xLog) {
    const padX = (x1 - x0) * 0.04;
    x0 -= padX;
    x1 += padX;
  }
  let y0 = ch.yZero ? Math.min(0, ...ys) : Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 === y0) y1 = y0 + (y0 === 0 ? 1 : Math.abs(y0) * 0.1);
  const padY = (y1 - y0) * 0.05;
  if (!ch.yZero) y0 -= padY;
  y1 += padY;
  const px = (x: number): number => L + ((W - L - R) * (fx(x) - x0)) / (x1 - x0);
  const py = (y: number): number => H - B - ((H - T - B) * (y - y0)) / (y1 - y0);
  const xFmt = ch.xFmt ?? ((x: number) => String(x));
  const yFmt = ch.yFmt ?? ((y: number) => String(y));
  const xTicks = ch.xTicks ?? niceTicks(x0, x1);
  const yTicks = niceTicks(y0, y1);
  const grid = [
    ...yTicks.map(
      (v) =>
        `<line x1="${L}" x2="${W - R}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}" stroke="#e5e5e5"/>` +
        `<text x="${L - 6}" y="${(py(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${esc(yFmt(v))}</text>`,
    ),
    ...xTicks.map(
      (v) =>
        `<line x1="${px(v).toFixed(1)}" x2="${px(v).toFixed(1)}" y1="${H - B}" y2="${H - B + 5}" stroke="#333"/>` +
        `<text x="${px(v).toFixed(1)}" y="${H - B + 18}" font-size="11" text-anchor="middle">${esc(xFmt(v))}</text>`,
    ),
  ].join("\n");
  const body = ch.series
    .map((s) => {
      const band = s.band?.length
        ? `<path d="${[
            ...s.band.map(([x, , hi], i) => `${i ? "L" : "M"}${px(x).toFixed(1)},${py(hi).toFixed(1)}`),
            ...[...s.band].reverse().map(([x, lo]) => `L${px(x).toFixed(1)},${py(lo).toFixed(1)}`),
          ].join(" ")} Z" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`
        : "";
      if (s.dots)
        return (
          band +
          s.points
            .map(
              ([x, y]) =>
                `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${s.color}" fill-opacity="0.8"/>`,
            )
            .join("")
        );
      const d = s.points
        .map(([x, y], i) => `${i ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
        .join(" ");
      const marks =
        s.points.length <= 12
          ? s.points
              .map(
                ([x, y]) =>
                  `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`,
              )
              .join("")
          : "";
      return `${band}<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>${marks}`;
    })
    .join("\n");
  const legend = ch.series
    .map((s, i) => {
      const y = T + 10 + i * 20;
      const mark = s.dots
        ? `<circle cx="${W - R + 25}" cy="${y}" r="4" fill="${s.color}"/>`
        : `<line x1="${W - R + 15}" x2="${W - R + 35}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`;
      return `${mark}<text x="${W - R + 42}" y="${y + 4}" font-size="12">${esc(s.name)}</text>`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${L}" y="22" font-size="15" font-weight="bold">${esc(ch.title)}</text>
${grid}
${body}
<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/>
<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${esc(ch.xLabel)}</text>
<text x="18" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 18 ${(T + H - B) / 2})">${esc(ch.yLabel)}</text>
${legend}
</svg>
`;
}

export interface Heatmap {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: string[];
  ys: string[];
  /** values[yi][xi]; null: not run. */
  values: (number | null)[][];
  fmt: (v: number) => string;
  /** Legend caption of the colour scale. */
  unit: string;
}

/** White (0) to dark red (max) colour for `v`. */
function heat(v: number, max: number): string {
  const k = max > 0 ? Math.min(1, v / max) : 0;
  const c = (a: number, b: number): number => Math.round(a + (b - a) * k);
  return `rgb(${c(255, 165)},${c(255, 15)},${c(255, 21)})`;
}

export function heatmap(h: Heatmap): string {
  const L = 110;
  const T = 45;
  const cw = 90;
  const chh = 46;
  const W = L + cw * h.xs.length + 170;
  const H = T + chh * h.ys.length + 60;
  const vals = h.values.flat().filter((v): v is number => v !== null);
  const max = Math.max(0, ...vals);
  const cells = h.values
    .flatMap((row, yi) =>
      row.map((v, xi) => {
        const x = L + xi * cw;
        const y = T + yi * chh;
        const fill = v === null ? "#f0f0f0" : heat(v, max);
        const dark = v !== null && max > 0 && v / max > 0.55;
        return (
          `<rect x="${x}" y="${y}" width="${cw}" height="${chh}" fill="${fill}" stroke="white"/>` +
          `<text x="${x + cw / 2}" y="${y + chh / 2 + 4}" font-size="12" text-anchor="middle" fill="${dark ? "white" : "black"}">${v === null ? "—" : esc(h.fmt(v))}</text>`
        );
      }),
    )
    .join("\n");
  const xl = h.xs
    .map(
      (s, i) =>
        `<text x="${L + i * cw + cw / 2}" y="${T + chh * h.ys.length + 18}" font-size="11" text-anchor="middle">${esc(s)}</text>`,
    )
    .join("");
  const yl = h.ys
    .map(
      (s, i) =>
        `<text x="${L - 8}" y="${T + i * chh + chh / 2 + 4}" font-size="11" text-anchor="end">${esc(s)}</text>`,
    )
    .join("");
  const lx = L + cw * h.xs.length + 30;
  const steps = 5;
  const scale = Array.from({ length: steps + 1 }, (_, i) => {
    const v = (max * (steps - i)) / steps;
    return `<rect x="${lx}" y="${T + i * 22}" width="22" height="22" fill="${heat(v, max)}" stroke="#999"/><text x="${lx + 28}" y="${T + i * 22 + 15}" font-size="11">${esc(h.fmt(v))}</text>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="22" font-size="15" font-weight="bold">${esc(h.title)}</text>
${cells}
${xl}${yl}
<text x="${L + (cw * h.xs.length) / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${esc(h.xLabel)}</text>
<text x="16" y="${T + (chh * h.ys.length) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${T + (chh * h.ys.length) / 2})">${esc(h.yLabel)}</text>
<text x="${lx}" y="${T - 8}" font-size="11">${esc(h.unit)}</text>
${scale}
</svg>
`;
}

/** Chromium binary used for the PNGs (Debian's, as in the dashboard spec). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Renders each SVG file to a PNG beside it (same name, .png) in headless chromium; returns the PNG
 * paths. Throws when chromium is missing.
 */
export async function renderPngs(svgFiles: string[]): Promise<string[]> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  try {
    const out: string[] = [];
    for (const f of svgFiles) {
      const svg = fs.readFileSync(f, "utf8");
      const w = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 900);
      const h = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 420);
      const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: 1.5 });
      await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
      const png = f.replace(/\.svg$/, ".png");
      await page.locator("svg").screenshot({ path: png });
      await page.close();
      out.push(png);
    }
    return out;
  } finally {
    await browser.close();
  }
}
