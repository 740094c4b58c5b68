/**
 * Terms of a text for the open datasets' index and for queries: words as ICU's Chinese
 * dictionary segments them (`Intl.Segmenter('zh', { granularity: 'word' })`, built into Node),
 * Latin words lower-cased, full-width letters and digits read as half-width. A Chinese word of
 * three or more characters also yields its two-character pieces, so 人口 finds 户籍人口 when ICU
 * keeps the longer word whole.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export const MAX_TERM_LENGTH = 100;
const HAN = /\p{Script=Han}/u;

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFKC'))) {
    if (!s.isWordLike) continue;
    const word = s.segment.toLowerCase().slice(0, MAX_TERM_LENGTH);
    out.push(word);
    const chars = [...word];
    if (chars.length >= 3 && chars.every((c) => HAN.test(c))) {
      for (let i = 0; i + 2 <= chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
  }
  return out;
}

/** Distinct terms of a query (what must all match), at most `max`. */
export function queryTerms(q: string, max = 20): string[] {
  const seen = new Set<string>();
  for (const s of segmenter.segment(q.normalize('NFKC'))) {
    if (s.isWordLike) seen.add(s.segment.toLowerCase().slice(0, MAX_TERM_LENGTH));
    if (seen.size >= max) break;
  }
  return [...seen];
}
