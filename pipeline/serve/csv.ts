/**
 * CSV for every list in the explorer: UTF-8 with a byte-order mark (Excel then reads Cyrillic
 * correctly), comma-separated, RFC 4180 quoting, CRLF line ends, a header row of stable column names.
 */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // A leading = + - @ makes spreadsheets run the cell as a formula: quoted with a leading apostrophe.
    const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))];
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
