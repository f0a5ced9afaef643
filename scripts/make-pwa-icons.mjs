// Draws the phone app's icons (web/public/m/icon-*.png) with sharp: the campaign's red, a gold
// star over a white skyline. Shapes only, no text, so no font is needed. Run once after a change:
//   node scripts/make-pwa-icons.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'm');

/** The icon on a 512 grid; `inset` shrinks the drawing into the maskable safe zone. */
function svg({ rounded, inset }) {
  const s = 1 - 2 * inset;
  const star = (cx, cy, r) => {
    const pts = [];
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const rr = i % 2 === 0 ? r : r * 0.4;
      pts.push(`${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`);
    }
    return pts.join(' ');
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#e0412c"/><stop offset="1" stop-color="#8c0d1f"/></linearGradient></defs>
  <rect width="512" height="512" rx="${rounded ? 112 : 0}" fill="url(#g)"/>
  <g transform="translate(${512 * inset} ${512 * inset}) scale(${s})">
    <polygon points="${star(256, 150, 78)}" fill="#f7c948"/>
    <g fill="#fff">
      <rect x="96" y="300" width="64" height="120" rx="6"/>
      <rect x="176" y="250" width="64" height="170" rx="6"/>
      <rect x="256" y="270" width="64" height="150" rx="6"/>
      <rect x="336" y="320" width="80" height="100" rx="6"/>
      <rect x="80" y="420" width="352" height="22" rx="8"/>
    </g>
    <g fill="#c8102e">
      <rect x="196" y="276" width="24" height="24" rx="3"/><rect x="196" y="320" width="24" height="24" rx="3"/>
      <rect x="276" y="296" width="24" height="24" rx="3"/><rect x="276" y="340" width="24" height="24" rx="3"/>
      <rect x="116" y="326" width="24" height="24" rx="3"/><rect x="360" y="346" width="32" height="24" rx="3"/>
    </g>
  </g>
</svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, rounded: true, inset: 0 },
  { file: 'icon-512.png', size: 512, rounded: true, inset: 0 },
  { file: 'icon-maskable-512.png', size: 512, rounded: false, inset: 0.1 },
];
for (const i of icons) {
  await sharp(Buffer.from(svg(i)))
    .resize(i.size, i.size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(OUT, i.file));
  console.log(`wrote ${i.file}`);
}
