/// <reference lib="dom" />
/**
 * The explorer's exports: the charts on screen composed into one standalone SVG (with a header
 * saying what the figure shows), that SVG rasterised to PNG by the browser, and file downloads.
 *
 * @module
 */
import { escapeXml } from "../src/plot/xml.ts";
import { FONT_FAMILY } from "../src/plot/style.ts";

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

/**
 * One standalone SVG with `header` lines on top and the `svgs` (each with its title) in a grid
 * of four columns, at their `viewBox` sizes.
 */
export function figureSvg(svgs: SVGSVGElement[], titles: string[], header: string[]): string {
  const cols = 4, gap = 12, titleH = 18;
  const sizes = svgs.map((s) => {
    const [, , w, h] = (s.getAttribute("viewBox") ?? "0 0 300 200").split(/\s+/).map(Number);
    return { w, h };
  });
  const cellW = Math.max(...sizes.map((s) => s.w));
  const lineH = 16;
  let y = gap + header.length * lineH + gap;
  const parts: string[] = header.map((line, i) =>
    `<text x="${gap}" y="${gap + (i + 1) * lineH - 4}" font-size="12">${escapeXml(line)}</text>`
  );
  const serializer = new XMLSerializer();
  for (let r = 0; r < Math.ceil(svgs.length / cols); r++) {
    const row = svgs.slice(r * cols, r * cols + cols);
    const rowH = Math.max(...row.map((_, k) => sizes[r * cols + k].h)) + titleH;
    row.forEach((svg, k) => {
      const i = r * cols + k, x = gap + k * (cellW + gap);
      const copy = svg.cloneNode(true) as SVGSVGElement;
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
    });
    y += rowH + gap;
  }
  const width = gap + cols * (cellW + gap);
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
