const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/**
 * Full-width ASCII forms (０-９, Ａ-Ｚ, ａ-ｚ, －, ＋, the ideographic space) as their half-width
 * characters: values typed with a Chinese input method often carry them. Only that block is
 * mapped (not NFKC, which would also turn ① into 1). Strings without any are returned as they are.
 */
export function toHalfWidth(input: string): string {
  if (!FULL_WIDTH.test(input)) return input;
  let out = '';
  for (const ch of input) {
    const c = ch.charCodeAt(0);
    out += c === 0x3000 ? ' ' : c >= 0xff01 && c <= 0xff5e ? String.fromCharCode(c - 0xfee0) : ch;
  }
  return out;
}
