/**
 * SVG → PNG through resvg (WebAssembly), with a bundled TTF font so text renders identically on
 * a fresh machine without system fonts. The resvg module is initialised once per process.
 *
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
// Listing the font package in the module graph makes Deno fetch it; the TTF is read from there.
import "@expo-google-fonts/noto-sans/metadata.json" with { type: "json" };

const FONT_SPECIFIER = "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf";
const FONT_BOLD_SPECIFIER = "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf";
const WASM_SPECIFIER = "@resvg/resvg-wasm/index_bg.wasm";

let ready: Promise<Uint8Array[]> | undefined;

/** Initialises resvg and loads the fonts, once; later calls share the same promise. */
function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const read = (s: string) => Deno.readFile(new URL(import.meta.resolve(s)));
    await initWasm(await read(WASM_SPECIFIER));
    return [await read(FONT_SPECIFIER), await read(FONT_BOLD_SPECIFIER)];
  })();
  return ready;
}

/** PNG rendering options. */
export interface PngOptions {
  /** Pixels per SVG px (default 2, for print-like sharpness). */
  scale?: number;
}

/**
 * Renders a standalone SVG string to PNG bytes (white background, Noto Sans for every font
 * family). The PNG is `round(width · scale) × round(height · scale)` pixels.
 *
 * @throws {Error} from resvg when the SVG cannot be parsed
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const fontBuffers = await init();
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    font: {
      fontBuffers,
      loadSystemFonts: false,
      defaultFontFamily: "Noto Sans",
      sansSerifFamily: "Noto Sans",
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
