// Runs npm scripts side by side (`node scripts/parallel.mjs typecheck lint ...`): each one's output
// is held and printed whole when it ends, with its time; the exit code is the first failure's.
// `npm run check` uses it: its parts are independent and single-threaded, so on 2 cores they
// finish in about half the time they take one after another.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/parallel.mjs <npm script> [<npm script> ...]');
  process.exit(2);
}

const started = Date.now();
const seconds = (t) => ((Date.now() - t) / 1000).toFixed(1);

function run(name) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('npm', ['run', '--silent', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (err) => out.push(Buffer.from(String(err))));
    child.on('close', (code, signal) => {
      const rc = code ?? (signal ? 1 : 0);
      const text = Buffer.concat(out).toString().trimEnd();
      console.log(`== ${name}: ${rc === 0 ? 'ok' : `FAILED (exit ${rc})`} in ${seconds(t0)} s`);
      if (text) console.log(text);
      resolve(rc);
    });
  });
}

const codes = await Promise.all(names.map(run));
const failed = names.filter((_, i) => codes[i] !== 0);
console.log(
  failed.length
    ? `== ${failed.join(', ')} failed (${seconds(started)} s)`
    : `== ${names.join(', ')}: ok in ${seconds(started)} s`,
);
process.exit(codes.find((c) => c !== 0) ?? 0);
