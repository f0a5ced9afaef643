// The part of archiver 5 (ZIP writer) the filing package uses; the package ships no types and
// @types/archiver is not installed.
declare module 'archiver' {
  import type { Readable, Transform } from 'node:stream';

  interface EntryData {
    name: string;
    /** Store as is (no compression) for this entry. */
    store?: boolean;
    date?: Date;
  }

  interface ArchiverOptions {
    zlib?: { level?: number };
    store?: boolean;
    forceZip64?: boolean;
    statConcurrency?: number;
  }

  interface Archiver extends Transform {
    append(source: Readable | Buffer | string, data: EntryData): this;
    finalize(): Promise<void>;
    abort(): this;
    /** Bytes written so far. */
    pointer(): number;
  }

  function archiver(format: 'zip', options?: ArchiverOptions): Archiver;
  export = archiver;
}
