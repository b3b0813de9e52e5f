// Input text normalisation shared by the importers: UTF-8 BOM, CRLF / CR line ends.

/** Strips a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits into physical lines (LF, CRLF or CR) after stripping a BOM; line i of the result is line i + 1. */
export function splitLines(text: string): string[] {
  return stripBom(text).split(/\r\n|\n|\r/);
}
