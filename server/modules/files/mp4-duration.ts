// The length of an MP4 (or M4A) read from its `mvhd` box while the file streams past, without
// holding it: top-level boxes are skipped by their sizes (the `mdat` of a 200 MB video costs
// nothing), `moov` and `mvex` are entered, and only the few bytes of `mvhd` (and of `mehd`, a
// fragmented file's length) are kept. Pure: no I/O, fed chunk by chunk.

/** What a movie header says: the time scale (units per second) and the duration in those units. */
export interface MovieHeader {
  timescale: number;
  duration: number;
}

/**
 * The timescale and duration of an `mvhd` box's body (after its 8-byte header): version 0 has
 * 32-bit times, version 1 64-bit ones. Null when the body is too short.
 */
export function parseMvhd(body: Uint8Array): MovieHeader | null {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (b.length < 4) return null;
  const version = b[0];
  if (version === 1) {
    // version/flags 4, creation 8, modification 8, timescale 4, duration 8
    if (b.length < 32) return null;
    return { timescale: b.readUInt32BE(20), duration: Number(b.readBigUInt64BE(24)) };
  }
  // version/flags 4, creation 4, modification 4, timescale 4, duration 4
  if (b.length < 20) return null;
  const duration = b.readUInt32BE(16);
  // All ones: the length is not known (a stream still being written).
  return { timescale: b.readUInt32BE(12), duration: duration === 0xffffffff ? NaN : duration };
}

/** A movie header's duration in milliseconds, or null when it says nothing usable. */
export function headerMs(h: MovieHeader | null): number | null {
  if (!h || !h.timescale || !Number.isFinite(h.duration) || h.duration <= 0) return null;
  const ms = Math.round((h.duration / h.timescale) * 1000);
  // A year is beyond any evidence recording: a broken header.
  return ms > 0 && ms < 365 * 86_400_000 ? ms : null;
}

/** `mehd` (movie extends header): a fragmented file's whole length, in the mvhd's time scale. */
function parseMehd(body: Buffer): number | null {
  if (body.length < 8) return null;
  if (body[0] === 1) return body.length >= 12 ? Number(body.readBigUInt64BE(4)) : null;
  return body.readUInt32BE(4);
}

/** Boxes entered (their children are walked), and leaf boxes whose bodies are kept (bytes). */
const CONTAINERS = new Set(['moov', 'mvex']);
const KEPT: Record<string, number> = { mvhd: 32, mehd: 12 };

/**
 * Walks the box structure of an ISO-BMFF file fed in chunks and remembers the movie header.
 * `durationMs()` answers once the stream has ended (or `moov` has been read, whichever first).
 */
export class Mp4DurationScanner {
  /** Bytes of the box header or kept body being collected. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** What the bytes now arriving are: a header (wanting `want` bytes), skipped, or kept. */
  private mode: 'header' | 'skip' | 'keep' | 'done' = 'header';
  private want = 8;
  private skipLeft = 0;
  private keptType = '';
  /** Bytes of the kept box's body beyond what is kept (skipped after). */
  private keptRest = 0;
  /** The absolute offset of the next byte, and the ends of the containers we are in. */
  private offset = 0;
  private ends: number[] = [];
  private mvhd: MovieHeader | null = null;
  private mehd: number | null = null;

  /** Feeds the next bytes of the file. */
  push(chunk: Uint8Array): void {
    let b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (b.length && this.mode !== 'done') {
      if (this.mode === 'skip') {
        const n = Math.min(this.skipLeft, b.length);
        this.skipLeft -= n;
        this.offset += n;
        b = b.subarray(n);
        if (this.skipLeft === 0) this.next();
        continue;
      }
      const n = Math.min(this.want - this.pendingLength, b.length);
      this.pending.push(b.subarray(0, n));
      this.pendingLength += n;
      this.offset += n;
      b = b.subarray(n);
      if (this.pendingLength < this.want) continue;
      const bytes = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingLength = 0;
      if (this.mode === 'header') this.header(bytes);
      else this.kept(bytes);
    }
  }

  /** A whole box header has arrived (8 bytes, or 16 with a 64-bit size). */
  private header(h: Buffer): void {
    const size32 = h.readUInt32BE(0);
    const type = h.toString('latin1', 4, 8);
    if (size32 === 1 && h.length < 16) {
      // A 64-bit size follows: read it with the header.
      this.pending = [h];
      this.pendingLength = h.length;
      this.want = 16;
      return;
    }
    const headerLength = h.length;
    const start = this.offset - headerLength;
    // Size 0: the box runs to the end of its container (or of the file).
    const size = size32 === 1 ? Number(h.readBigUInt64BE(8)) : size32;
    const end = size === 0 ? (this.ends.at(-1) ?? Infinity) : start + size;
    if (size !== 0 && size < headerLength) return this.stop();
    if (this.ends.length && end > this.ends.at(-1)!) return this.stop();
    const bodyLength = end - this.offset;
    // `moov` at the top, `mvex` inside it.
    if (CONTAINERS.has(type) && (type === 'moov') === (this.ends.length === 0)) {
      this.ends.push(end);
      return this.next();
    }
    const keep = this.ends.length ? KEPT[type] : undefined;
    if (keep !== undefined) {
      this.mode = 'keep';
      this.keptType = type;
      this.want = Math.min(keep, bodyLength);
      this.keptRest = bodyLength - this.want;
      if (this.want === 0) this.kept(Buffer.alloc(0));
      return;
    }
    this.skip(bodyLength);
  }

  private kept(body: Buffer): void {
    if (this.keptType === 'mvhd') this.mvhd = parseMvhd(body);
    else if (this.keptType === 'mehd') this.mehd = parseMehd(body);
    this.skip(this.keptRest);
  }

  private skip(n: number): void {
    if (n === Infinity) return this.stop();
    this.mode = 'skip';
    this.skipLeft = n;
    if (n === 0) this.next();
  }

  /** After a box: leave the containers that end here; the movie box read is the end. */
  private next(): void {
    while (this.ends.length && this.offset >= this.ends.at(-1)!) {
      this.ends.pop();
      if (this.ends.length === 0) return this.stop();
    }
    this.mode = 'header';
    this.want = 8;
  }

  private stop(): void {
    this.mode = 'done';
    this.pending = [];
  }

  /** The movie's length in milliseconds, or null when no usable header was seen. */
  durationMs(): number | null {
    const h = this.mvhd;
    if (!h) return null;
    // A fragmented file's mvhd says 0; its mehd, when present, has the whole length.
    if (h.duration === 0 && this.mehd) return headerMs({ ...h, duration: this.mehd });
    return headerMs(h);
  }
}

/** The length of a whole MP4 in memory (tests, small files). */
export function mp4DurationMs(data: Uint8Array): number | null {
  const s = new Mp4DurationScanner();
  s.push(data);
  return s.durationMs();
}
