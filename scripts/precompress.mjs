// Writes a .br and a .gz copy next to every compressible file of the built web apps (dist/web),
// which the server sends to browsers that accept them (@fastify/static's preCompressed). On a
// phone on 4G the transfer is most of the first load: the phone app's JS is ~500 KB as built and
// ~160 KB gzipped. Done once at build time, at the highest levels, instead of on every request.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = path.resolve(process.argv[2] ?? 'dist/web');
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
/** Below this, a compressed copy saves less than a packet. */
const MIN_BYTES = 1024;

function* files(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (COMPRESSIBLE.test(e.name)) yield p;
  }
}

let count = 0;
let raw = 0;
let br = 0;
for (const file of files(dir)) {
  const data = fs.readFileSync(file);
  if (data.length < MIN_BYTES) continue;
  const b = zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const g = zlib.gzipSync(data, { level: 9 });
  fs.writeFileSync(`${file}.br`, b);
  fs.writeFileSync(`${file}.gz`, g);
  count++;
  raw += data.length;
  br += b.length;
}
console.log(
  `precompressed ${count} files in ${path.relative(process.cwd(), dir) || dir}: ` +
    `${(raw / 1024).toFixed(0)} KiB → ${(br / 1024).toFixed(0)} KiB brotli`,
);
