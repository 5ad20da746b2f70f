import sharp from 'sharp';

/**
 * The demo's pictures: small real images drawn at seed time (a sky, a sun, hills), so the
 * media library has thumbnails, sizes and dimensions to show. Drawn from our own SVG text,
 * never from user input; memoised, since every demo server of a test run draws the same.
 */
const W = 720;
const H = 480;
const SKIES: readonly [string, string][] = [
  ['#f6d365', '#fda085'],
  ['#89f7fe', '#66a6ff'],
  ['#a1c4fd', '#c2e9fb'],
  ['#fbc2eb', '#a6c1ee'],
  ['#fddb92', '#d1fdff'],
  ['#84fab0', '#8fd3f4'],
  ['#ffecd2', '#fcb69f'],
  ['#cfd9df', '#e2ebf0'],
  ['#e0c3fc', '#8ec5fc'],
  ['#f093fb', '#f5576c'],
  ['#43e97b', '#38f9d7'],
  ['#fa709a', '#fee140'],
];

function svg(i: number): string {
  const [top, bottom] = SKIES[i % SKIES.length]!;
  const sunX = 120 + ((i * 97) % 480);
  const sunY = 110 + ((i * 53) % 90);
  const ridge = (y: number, amp: number, phase: number) =>
    Array.from({ length: 9 }, (_, k) => `${k * 90},${Math.round(y + amp * Math.sin(k + phase + i))}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
  <rect width="${W}" height="${H}" fill="url(#s)"/>
  <circle cx="${sunX}" cy="${sunY}" r="${46 + (i % 4) * 8}" fill="#fff8e7" fill-opacity="0.85"/>
  <polygon points="0,${H} ${ridge(300, 40, 0)} ${W},${H}" fill="#3d5a6c" fill-opacity="0.55"/>
  <polygon points="0,${H} ${ridge(360, 30, 2)} ${W},${H}" fill="#24384a" fill-opacity="0.75"/>
  <polygon points="0,${H} ${ridge(420, 18, 4)} ${W},${H}" fill="#142230"/>
</svg>`;
}

let memo: Promise<Buffer[]> | null = null;

/** `count` distinct PNGs of 720 × 480. */
export function demoPictures(count: number): Promise<Buffer[]> {
  memo ??= Promise.all(Array.from({ length: SKIES.length }, (_, i) => sharp(Buffer.from(svg(i))).png({ compressionLevel: 9, palette: true, quality: 90 }).toBuffer()));
  return memo.then((all) => Array.from({ length: count }, (_, i) => all[i % all.length]!));
}

export const DEMO_PICTURE_SIZE = { width: W, height: H };
