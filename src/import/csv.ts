// A strict RFC 4180 CSV reader: quoted fields ("" escapes a quote, quoted fields may hold commas and line
// breaks), CRLF / LF / CR line ends, a leading BOM, blank lines at the end. Each record keeps the line it
// starts on, for error messages.
import { ImportError } from './errors.js';
import { stripBom } from './text.js';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

/** Parses `text` into records. A blank line before the end of the data is an error; trailing ones are ignored. */
export function parseCsv(text: string, source = 'input'): CsvRecord[] {
  const s = stripBom(text);
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  const atLineEnd = (j: number): number => {
    if (s[j] === '\r') return s[j + 1] === '\n' ? 2 : 1;
    if (s[j] === '\n') return 1;
    return 0;
  };
  let blankAt = 0;
  while (i < n) {
    const start = line;
    const eol = atLineEnd(i);
    if (eol > 0) {
      // An empty line: allowed only if nothing but line ends follows.
      if (blankAt === 0) blankAt = line;
      i += eol;
      line++;
      continue;
    }
    if (blankAt !== 0) throw new ImportError(blankAt, 'blank line in the middle of the data', source);
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new ImportError(start, 'unterminated quoted field', source);
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          const e = atLineEnd(i);
          if (e > 0) {
            value += '\n';
            i += e;
            line++;
            continue;
          }
          value += c;
          i++;
        }
        if (i < n && s[i] !== ',' && atLineEnd(i) === 0) {
          throw new ImportError(line, 'unexpected text after a closing quote', source);
        }
      } else {
        while (i < n && s[i] !== ',' && atLineEnd(i) === 0) {
          if (s[i] === '"') throw new ImportError(line, 'a quote inside an unquoted field', source);
          value += s[i];
          i++;
        }
      }
      fields.push(value);
      if (i < n && s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    records.push({ line: start, fields });
    const e = atLineEnd(i);
    i += e;
    if (e > 0) line++;
  }
  return records;
}
