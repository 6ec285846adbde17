/**
 * Files come from spreadsheets as often as from programs: UTF-8 with or without a byte-order
 * mark, or Windows-1252 (Excel's "CSV" on a French Windows). A file that is valid UTF-8 is read as
 * UTF-8; otherwise it is Windows-1252 (a superset of Latin-1 for the printable characters), so
 * "Ã©"-style mojibake never reaches the database.
 */
export type Encoding = 'utf-8' | 'windows-1252';

/** The names users type for these encodings (`--encoding latin1`, `cp1252`, `UTF8`…). */
export function encodingFromName(name: string): Encoding | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key === 'utf8') return 'utf-8';
  if (['windows1252', 'cp1252', 'latin1', 'iso88591', 'win1252'].includes(key)) return 'windows-1252';
  return undefined;
}

export function decodeText(bytes: Uint8Array, forced?: Encoding): { text: string; encoding: Encoding } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (forced) return { text: new TextDecoder(forced).decode(body), encoding: forced };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}
