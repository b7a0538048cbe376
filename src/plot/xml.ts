/**
 * XML escaping for SVG text, in a module of its own so that code without a DOM library (the
 * browser explorer) can use it without loading linkedom.
 *
 * @module
 */

/** Escapes text for use inside SVG/XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
