import fs from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, at the end of a run, the wall time of each test project (tier): from the moment its first
 * file was picked up by a worker to the moment its last file finished. Tiers that run side by side
 * (unit and the two integration tiers share the workers) overlap, so the offsets from the start of
 * the run are printed too; "files" is the sum of the files' own durations.
 *
 * With TIER_TIMES_FILE set (scripts/test.sh) the lines are written there instead, and npm test
 * prints them with the times of check and build. With TIER_FILE_TIMES set to a path, every file's
 * own time (its hooks, imports and tests) is written there too, slowest first, as
 * `seconds  project  file  (+start → +end)`: where a tier's time goes, and when.
 */
interface Span {
  start: number;
  end: number;
  files: number;
  fileMs: number;
}

const clock = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export default class TierTimesReporter implements Reporter {
  private readonly initAt = Date.now();
  private spans = new Map<string, Span>();
  private files: { project: string; file: string; ms: number; from: number; to: number }[] = [];
  private started = new Map<string, number>();

  onTestRunStart(): void {
    this.spans = new Map();
    this.files = [];
    this.started = new Map();
  }

  private span(module: TestModule): Span {
    const name = module.project.name || 'default';
    let s = this.spans.get(name);
    if (!s) {
      const now = Date.now();
      s = { start: now, end: now, files: 0, fileMs: 0 };
      this.spans.set(name, s);
    }
    return s;
  }

  onTestModuleQueued(module: TestModule): void {
    const s = this.span(module);
    s.start = Math.min(s.start, Date.now());
  }

  onTestModuleStart(module: TestModule): void {
    this.started.set(module.moduleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const s = this.span(module);
    s.end = Math.max(s.end, Date.now());
    s.files += 1;
    s.fileMs += module.diagnostic().duration;
    this.files.push({
      project: module.project.name || 'default',
      file: module.relativeModuleId,
      ms: module.diagnostic().duration,
      from: this.started.get(module.moduleId) ?? Date.now(),
      to: Date.now(),
    });
  }

  onTestRunEnd(): void {
    const end = Date.now();
    const lines = [...this.spans.entries()]
      .sort((a, b) => a[1].start - b[1].start)
      .map(
        ([name, s]) =>
          `${name.padEnd(13)} ${clock(s.end - s.start).padStart(6)}   ` +
          `(+${clock(s.start - this.initAt)} → +${clock(s.end - this.initAt)}, ` +
          `${s.files} files, files ${clock(s.fileMs)})`,
      );
    lines.push(`${'vitest'.padEnd(13)} ${clock(end - this.initAt).padStart(6)}`);
    const perFile = process.env.TIER_FILE_TIMES;
    if (perFile)
      fs.writeFileSync(
        perFile,
        this.files
          .sort((a, b) => b.ms - a.ms)
          .map(
            (f) =>
              `${(f.ms / 1000).toFixed(1).padStart(6)}  ${f.project.padEnd(13)} ${f.file}` +
              `  (+${clock(f.from - this.initAt)} → +${clock(f.to - this.initAt)})`,
          )
          .join('\n') + '\n',
      );
    const out = process.env.TIER_TIMES_FILE;
    if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
    else console.log(`\nTier wall times (first file start → last file end)\n${lines.join('\n')}`);
  }
}
