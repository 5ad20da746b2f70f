import type { DastBlock, DastDocument, DastSpan, Json } from '../../shared/domain';

/** Demo only: Article bodies as real structured text (DAST), a heading, marks, a list, a link and a quote. */
type Locale = 'en' | 'fr' | 'de';

const WORDS: Record<Locale, { notes: string; why: string; list: [string, string, string]; read: string; quote: string }> = {
  en: {
    notes: 'Notes on',
    why: 'is one of those subjects that looks simple until you stand in front of it for an afternoon.',
    list: ['What we saw', 'Who we met', 'What we would do differently'],
    read: 'Read the field guide',
    quote: 'Write it down before it becomes obvious.',
  },
  fr: {
    notes: 'Notes sur',
    why: 'fait partie de ces sujets simples en apparence, jusqu’à ce qu’on y passe un après-midi.',
    list: ['Ce que nous avons vu', 'Qui nous avons rencontré', 'Ce que nous ferions autrement'],
    read: 'Lire le guide de terrain',
    quote: 'Écrivez-le avant que cela devienne évident.',
  },
  de: {
    notes: 'Notizen über',
    why: 'gehört zu den Themen, die einfach aussehen, bis man einen Nachmittag davor verbringt.',
    list: ['Was wir gesehen haben', 'Wen wir getroffen haben', 'Was wir anders machen würden'],
    read: 'Zum Feldführer',
    quote: 'Schreib es auf, bevor es selbstverständlich wird.',
  },
};

const span = (value: string, marks?: ('strong' | 'emphasis')[]): DastSpan => (marks ? { type: 'span', value, marks } : { type: 'span', value });

export function demoBody(locale: Locale, topic: string, i: number): Json {
  const w = WORDS[locale];
  const subject = topic.toLowerCase();
  const blocks: DastBlock[] = [
    { type: 'heading', level: 2, children: [span(`${w.notes} ${subject}`)] },
    { type: 'paragraph', children: [span(topic, ['strong']), span(` ${w.why} `), span(`(${i + 1})`, ['emphasis'])] },
    { type: 'list', style: i % 2 ? 'numbered' : 'bulleted', children: w.list.map((item) => ({ type: 'listItem', children: [{ type: 'paragraph', children: [span(item)] }] })) },
    { type: 'paragraph', children: [{ type: 'link', url: `https://example.com/guides/${subject.replace(/\s+/g, '-')}`, children: [span(w.read)] }, span('.')] },
  ];
  if (i % 3 === 0) blocks.push({ type: 'blockquote', children: [{ type: 'paragraph', children: [span(w.quote)] }] });
  const doc: DastDocument = { schema: 'dast', document: { type: 'root', children: blocks } };
  return doc as unknown as Json;
}
