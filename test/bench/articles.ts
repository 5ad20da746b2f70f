import { dastFromText } from '../../shared/domain/dast';

// Apart from project.ts: the core child (core-measure.ts) needs the values but not the server's
// seed and store code project.ts brings, which were bundled into the child and counted in its RSS.

const WORDS = 'ink stone paper harbour garden bridge rain market night train type letter press column margin folio quire serif glyph kern'.split(' ');

/** ~1 KB of article values in three locales. */
export function articleValues(i: number): Record<string, unknown> {
  const w = (n: number) => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(' ');
  return {
    title: { en: `Article ${i} ${w(3)}`, fr: `Article ${i} ${w(3)} fr`, de: `Artikel ${i} ${w(3)}` },
    slug: `article-${i}`,
    body: { en: dastFromText(`${w(40)}.`), fr: dastFromText(`${w(40)} (fr).`), de: dastFromText(`${w(40)} (de).`) },
    published_on: '2026-01-01',
  };
}
