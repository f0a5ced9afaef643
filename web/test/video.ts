import { vi } from 'vitest';

// happy-dom decodes no video and draws on no canvas: this stands in for a browser that can (or
// cannot) open a video file — what the page does with the frame is tested; the real decoding is
// proven in the browser tier (e2e/carriers-filing.e2e.test.ts).

export interface VideoRig {
  /** Where the page sought, and what it drew and encoded. */
  seekedTo: number[];
  drawn: { width: number; height: number }[];
  encoded: { type: string | undefined; quality: number | undefined }[];
  /** The <video> elements made (removed from the document when done). */
  videos: HTMLVideoElement[];
  revoked: string[];
}

/**
 * Makes `<video>` elements behave as a browser's for a clip of this length and size, and
 * `<canvas>` draw and encode (a JPEG of a few bytes). `decodes: false` fires 'error' instead;
 * `silent` fires nothing (a browser that never answers).
 */
export function rigVideo(o: {
  duration: number;
  width: number;
  height: number;
  decodes?: boolean;
  silent?: boolean;
}): VideoRig {
  const rig: VideoRig = { seekedTo: [], drawn: [], encoded: [], videos: [], revoked: [] };
  const create = document.createElement.bind(document);
  vi.spyOn(document, 'createElement').mockImplementation(
    (tag: string, opts?: ElementCreationOptions) => {
      const el = create(tag, opts);
      if (tag === 'video') {
        const v = el as HTMLVideoElement;
        rig.videos.push(v);
        let time = 0;
        const fire = (type: string) => setTimeout(() => v.dispatchEvent(new Event(type)), 1);
        Object.defineProperties(v, {
          duration: { get: () => o.duration },
          videoWidth: { get: () => o.width },
          videoHeight: { get: () => o.height },
          src: {
            get: () => v.getAttribute('src') ?? '',
            set: (url: string) => {
              v.setAttribute('src', url);
              if (o.silent) return;
              fire(o.decodes === false ? 'error' : 'loadeddata');
            },
          },
          currentTime: {
            get: () => time,
            set: (t: number) => {
              time = t;
              rig.seekedTo.push(t);
              if (!o.silent) fire('seeked');
            },
          },
          load: { value: () => undefined },
        });
      }
      if (tag === 'canvas') {
        const c = el as HTMLCanvasElement;
        Object.defineProperties(c, {
          getContext: {
            value: () => ({
              drawImage: (_: unknown, _x: number, _y: number, width: number, height: number) =>
                rig.drawn.push({ width, height }),
            }),
          },
          toBlob: {
            value: (cb: (b: Blob | null) => void, type?: string, quality?: number) => {
              rig.encoded.push({ type, quality });
              setTimeout(
                () => cb(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type })),
                1,
              );
            },
          },
        });
      }
      return el;
    },
  );
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:video-1');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((u: string) => void rig.revoked.push(u));
  return rig;
}
