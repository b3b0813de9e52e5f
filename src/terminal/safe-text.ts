// Escaping of text before it reaches a terminal. Strings from packets, manifests, ledgers and error messages
// are untrusted: a control sequence in one (ESC P ... starts a device control string that swallows what
// follows, CSI moves the cursor or clears the screen, a bidi override reorders a line) could hide or fake the
// verdict. Every line the CLI prints goes through safeText (src/terminal/output.ts), every JSON document
// through jsonSafe, so no such character is ever written raw.

/**
 * The characters shown escaped: C0 controls (tab and newline included), DEL, C1 controls (all \p{Cc}), every
 * format character (\p{Cf}: the bidi embeddings, overrides and isolates U+202A-202E and U+2066-2069, the
 * marks U+200E/U+200F/U+061C, zero-width characters, the BOM, ...), the line and paragraph separators U+2028
 * and U+2029, and lone UTF-16 surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** UNSAFE less the C0 controls, which JSON.stringify already escapes in strings (its newlines stay). */
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** `s` with every unsafe character (see UNSAFE) replaced by a visible escape `\u{1b}`; one line always. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** Whether `s` holds no character that safeText would escape. */
export function isSafeText(s: string): boolean {
  return !new RegExp(UNSAFE.source, 'u').test(s);
}

/**
 * JSON text (as JSON.stringify writes it) with every unsafe character that JSON.stringify leaves raw (DEL, C1,
 * format characters, U+2028/2029) written as a `\uXXXX` escape: the same JSON value, and no raw control or
 * bidi character on the terminal. Outside strings JSON text has none of these characters, so only strings
 * change, and only in their spelling.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => {
    let e = '';
    for (let i = 0; i < c.length; i++) e += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return e;
  });
}
