// A video's poster frame, made in the uploader's browser: the server decodes no video (no ffmpeg
// in the product), but every browser that can play the file can draw one of its frames. The file
// is opened in a hidden <video>, sought to about one second in (a tenth of a short clip, whose
// first frame is often black), drawn to a canvas at most POSTER_MAX_SIDE pixels wide or high and
// encoded as a JPEG. A browser that cannot decode the file (a codec it lacks) answers null, and
// the video goes up without a poster — the page shows a placeholder and the office can add one.

/** The longer side of a poster, in pixels (enough for the preview; the server re-encodes it). */
export const POSTER_MAX_SIDE = 1280;

/** How long decoding may take before the upload goes ahead without a poster. */
export const POSTER_TIMEOUT_MS = 8000;

/** Where in a clip of this many seconds the poster is taken: 1 s, or 10 % of a shorter clip. */
export function posterTime(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.min(1, durationSeconds * 0.1);
}

/** The poster's size: the video's, scaled down to fit POSTER_MAX_SIDE. */
export function posterSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, POSTER_MAX_SIDE / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Resolves on the first of the events (true), on 'error' or when the time is up (false). */
function until(el: HTMLElement, event: string, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      el.removeEventListener(event, onEvent);
      el.removeEventListener('error', onError);
      signal.removeEventListener('abort', onError);
      resolve(ok);
    };
    const onEvent = () => done(true);
    const onError = () => done(false);
    el.addEventListener(event, onEvent);
    el.addEventListener('error', onError);
    if (signal.aborted) done(false);
    else signal.addEventListener('abort', onError);
  });
}

/**
 * Draws a poster frame of a video file in this browser: a JPEG, or null when the browser cannot
 * decode the file within POSTER_TIMEOUT_MS. Never throws.
 */
export async function makePoster(
  file: Blob,
  opts: { timeoutMs?: number; quality?: number } = {},
): Promise<Blob | null> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs ?? POSTER_TIMEOUT_MS);
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  // In the document (off-screen) rather than detached: some browsers decode no frame otherwise.
  video.setAttribute('aria-hidden', 'true');
  video.style.cssText = 'position:fixed;left:-10000px;top:0;width:2px;height:2px;opacity:0';
  document.body.appendChild(video);
  try {
    const opened = until(video, 'loadeddata', timeout.signal);
    video.src = url;
    if (!(await opened)) return null;
    if (!video.videoWidth || !video.videoHeight) return null;
    const seeked = until(video, 'seeked', timeout.signal);
    video.currentTime = posterTime(video.duration);
    if (!(await seeked)) return null;
    const size = posterSize(video.videoWidth, video.videoHeight);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0, size.width, size.height);
    const poster = await new Promise<Blob | null>((resolve) => {
      try {
        canvas.toBlob((b) => resolve(b), 'image/jpeg', opts.quality ?? 0.85);
      } catch {
        resolve(null);
      }
    });
    return poster && poster.size > 0 ? poster : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    video.removeAttribute('src');
    video.load?.();
    video.remove();
    URL.revokeObjectURL(url);
  }
}

/** True for the files whose poster this browser should try to draw (by type, then by name). */
export function isVideoFile(file: { type: string; name: string }): boolean {
  return file.type.startsWith('video/') || /\.(mp4|m4v)$/i.test(file.name);
}
