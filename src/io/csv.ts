/**
 * A small CSV writer (RFC 4180) for tidy, long-format data that pandas and R load as they are:
 * a header row, one record per line, `\n` line ends, fields quoted only when they must be.
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** A value a CSV cell can hold. */
export type CsvValue = string | number | boolean | null | undefined;

/** One record: column name → value. */
export type CsvRow = Record<string, CsvValue>;

/**
 * Formats one field. Numbers use the shortest representation that reads back to the same f64
 * (`String(x)`), `NaN` → `NaN`, `±Infinity` → `inf`/`-inf` (what pandas reads as floats),
 * `null`/`undefined` → empty. A string is quoted when it contains a comma, a double quote, a
 * line break, or leading/trailing white space; quotes inside are doubled.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "inf";
    if (value === -Infinity) return "-inf";
    return String(value);
  }
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The CSV text of `rows` with the given column order (default: the keys of the first row, then
 * any new key in order of appearance). A key missing from a row gives an empty cell.
 *
 * @throws {InputError} when a column name repeats
 * @example
 * ```ts
 * toCsv([{ t: 0, value: 1.5, series: "loss, sim" }]);
 * // 't,value,series\n0,1.5,"loss, sim"\n'
 * ```
 */
export function toCsv(rows: readonly CsvRow[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (new Set(cols).size !== cols.length) {
    throw new InputError(`CSV columns repeat: ${cols.join(", ")}`);
  }
  const lines = [cols.map(csvField).join(",")];
  for (const row of rows) lines.push(cols.map((c) => csvField(row[c])).join(","));
  return lines.join("\n") + "\n";
}

/**
 * Parses CSV text produced by {@link toCsv} (or any RFC 4180 text) into rows of strings.
 * Quoted fields may contain commas, doubled quotes and line breaks.
 *
 * @throws {InputError} on an unterminated quoted field or a quote inside an unquoted field
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      const start = i;
      i++;
      for (;;) {
        if (i >= text.length) throw new InputError(`unterminated quoted field at offset ${start}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
      if (i < text.length && !",\r\n".includes(text[i])) {
        throw new InputError(`unexpected character after closing quote at offset ${i}`);
      }
    } else if (c === ",") {
      endField();
      i++;
    } else if (c === "\n" || c === "\r") {
      endField();
      rows.push(row);
      row = [];
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else if (c === '"') {
      throw new InputError(`quote inside an unquoted field at offset ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
