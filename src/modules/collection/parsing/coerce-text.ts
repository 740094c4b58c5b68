/** Text clean-up shared by the coercers: what Chinese input methods and Excel put around values. */

const NEEDS_HALF_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/**
 * Full-width ASCII (０-９, Ａ-Ｚ, －, ．, ：, ，, ／ …) typed with a Chinese input method becomes
 * the ASCII character; the ideographic space becomes a space.
 */
export function toHalfWidth(s: string): string {
  if (!NEEDS_HALF_WIDTH.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

/** A value quoted for a reject reason, cut short so one bad cell cannot bloat the reject store. */
export function quote(value: string): string {
  return value.length > 40 ? `'${value.slice(0, 40)}…'` : `'${value}'`;
}

/** Length in characters as a person counts them (code points): 𠮷 is one character, not two. */
export function characterCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
