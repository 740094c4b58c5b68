/** The signature of an OLE2 compound file: Excel 97–2003's .xls (BIFF8), or an XLSX saved with a password. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isOle2(head: Uint8Array): boolean {
  return head.length >= 4 && OLE2.every((b, i) => i >= head.length || head[i] === b);
}

export const legacyWorkbookMessage =
  'this is a legacy .xls (Excel 97–2003, BIFF in an OLE2 file) workbook, or one saved with a password; save it as .xlsx (without a password) or CSV and upload again';
