/// <reference lib="dom" />
/**
 * The explorer's exports: the charts on screen composed into one standalone SVG (with a header
 * saying what the figure shows), that SVG rasterised to PNG by the browser, and file downloads.
 *
 * @module
 */
import { escapeXml } from "../../plot/xml.ts";
import { FONT_FAMILY } from "../../plot/style.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Offers `blob` as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One legend key under a chart: a line sample (solid or dotted) and its label. */
export interface LegendKey {
  /** Line colour. */
  color: string;
  /** Dotted (analytical) rather than solid (simulation). */
  dotted: boolean;
  /** Label. */
  text: string;
}

/**
 * Grid positions `[column, row]` of legend keys in two columns; a key too long for half the
 * width takes a whole row.
 */
function placeKeys(keys: LegendKey[]): { at: [number, number][]; rows: number } {
  const at: [number, number][] = [];
  let row = 0, col = 0;
  for (const key of keys) {
    const wide = key.text.length > 26;
    if (wide && col === 1) {
      row++;
      col = 0;
    }
    at.push([col, row]);
    if (wide || col === 1) {
      row++;
      col = 0;
    } else col = 1;
  }
  return { at, rows: row + (col === 1 ? 1 : 0) };
}

/** Splits `text` into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * One standalone SVG with `header` lines on top and the `svgs` (each with its title and legend
 * keys) in a grid of four columns, at their `viewBox` sizes.
 */
export function figureSvg(
  svgs: SVGSVGElement[],
  titles: string[],
  legends: LegendKey[][],
  header: string[],
): string {
  const cols = 4, gap = 12, titleH = 18, lineH = 16, keyH = 14;
  const sizes = svgs.map((s) => {
    const [, , w, h] = (s.getAttribute("viewBox") ?? "0 0 300 200").split(/\s+/).map(Number);
    return { w, h };
  });
  const cellW = Math.max(...sizes.map((s) => s.w));
  const width = gap + cols * (cellW + gap);
  const lines = header.flatMap((h) => wrap(h, Math.floor(width / 6.5)));
  const parts: string[] = lines.map((line, i) =>
    `<text x="${gap}" y="${gap + (i + 1) * lineH - 4}" font-size="12">${escapeXml(line)}</text>`
  );
  let y = gap + lines.length * lineH + gap;
  const serializer = new XMLSerializer();
  for (let r = 0; r < Math.ceil(svgs.length / cols); r++) {
    const row = svgs.map((_, i) => i).slice(r * cols, r * cols + cols);
    const placed = legends.map(placeKeys);
    const keyRows = (i: number) => placed[i].rows;
    const rowH = Math.max(...row.map((i) => sizes[i].h + keyRows(i) * keyH)) + titleH;
    row.forEach((i, k) => {
      const x = gap + k * (cellW + gap);
      const copy = svgs[i].cloneNode(true) as SVGSVGElement;
      copy.setAttribute("x", String(x));
      copy.setAttribute("y", String(y + titleH));
      copy.setAttribute("width", String(sizes[i].w));
      copy.setAttribute("height", String(sizes[i].h));
      parts.push(
        `<text x="${x}" y="${y + 13}" font-size="12" font-weight="bold">${
          escapeXml(titles[i])
        }</text>`,
        serializer.serializeToString(copy),
      );
      legends[i].forEach((key, j) => {
        const [col, line] = placed[i].at[j];
        const kx = x + col * (cellW / 2), ky = y + titleH + sizes[i].h + line * keyH + 9;
        const dash = key.dotted ? ' stroke-dasharray="1.5,3" stroke-linecap="round"' : "";
        parts.push(
          `<line x1="${kx}" x2="${kx + 18}" y1="${ky - 3}" y2="${ky - 3}" stroke="${
            escapeXml(key.color)
          }" stroke-width="1.8"${dash}/>`,
          `<text x="${kx + 22}" y="${ky}" font-size="10">${escapeXml(key.text)}</text>`,
        );
      });
    });
    y += rowH + gap;
  }
  return `<svg xmlns="${SVG_NS}" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" ` +
    `font-family="${escapeXml(FONT_FAMILY)}"><rect width="100%" height="100%" fill="white"/>` +
    parts.join("") + "</svg>";
}

/** Rasterises standalone SVG text to a PNG blob at `scale` times its size. */
export async function svgToPngBlob(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => b ? resolve(b) : reject(new Error("PNG encoding failed")), "image/png")
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
