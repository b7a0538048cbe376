/**
 * The headless DOM Observable Plot renders into (linkedom), and the step that turns a rendered
 * Plot element into a standalone SVG string. The one place the DOM choice is made.
 *
 * @module
 */
import type * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { InputError } from "../errors.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

/** The document type Plot accepts in its `document` option. */
export type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

/** The part of a DOM element that serialisation needs. */
export interface SerializableElement {
  /** Tag name (`"svg"` expected). */
  readonly tagName: string;
  /** Sets an attribute. */
  setAttribute(name: string, value: string): void;
  /** The element's markup. */
  readonly outerHTML: string;
}

/** A linkedom document shared by every plot (Plot only creates elements in it). */
export const plotDocument: PlotDocument = (parseHTML(
  "<!DOCTYPE html><html><head></head><body></body></html>",
) as unknown as { document: PlotDocument }).document;

/**
 * Serialises a rendered Plot element to a standalone SVG string with its namespace declared
 * (HTML serialisation omits it, and SVG readers such as resvg need it).
 *
 * @throws {InputError} when the element is not an `<svg>` (Plot returns a `<figure>` when asked
 *   for HTML legends or captions; legends are drawn by this module instead)
 */
export function serializeSvg(element: unknown): string {
  const el = element as SerializableElement;
  if (el.tagName.toLowerCase() !== "svg") {
    throw new InputError(
      `expected Plot to return an <svg>, got <${el.tagName.toLowerCase()}>; ` +
        "do not ask Plot for legends, captions or titles",
    );
  }
  el.setAttribute("xmlns", SVG_NS);
  return el.outerHTML;
}

export { escapeXml } from "./xml.ts";
