import { afterEach, describe, expect, it, vi } from 'vitest';
import { rigVideo } from '../test/video.js';
import { isVideoFile, makePoster, posterSize, posterTime } from './video-poster.js';

const clip = () => new File([new Uint8Array(64)], 'clip.mp4', { type: 'video/mp4' });

afterEach(() => vi.restoreAllMocks());

describe('posterTime and posterSize', () => {
  it('takes the frame at 1 s, or at a tenth of a shorter clip', () => {
    expect(posterTime(60)).toBe(1);
    expect(posterTime(10)).toBe(1);
    expect(posterTime(1)).toBeCloseTo(0.1);
    expect(posterTime(4)).toBeCloseTo(0.4);
    expect(posterTime(NaN)).toBe(0);
    expect(posterTime(Infinity)).toBe(0);
  });

  it('keeps the video’s size up to 1280 px on the longer side', () => {
    expect(posterSize(64, 64)).toEqual({ width: 64, height: 64 });
    expect(posterSize(1920, 1080)).toEqual({ width: 1280, height: 720 });
    expect(posterSize(1080, 1920)).toEqual({ width: 720, height: 1280 });
  });
});

describe('makePoster', () => {
  it('opens the file in a hidden video, seeks, draws the frame and encodes a JPEG', async () => {
    const rig = rigVideo({ duration: 1, width: 1920, height: 1080 });
    const poster = await makePoster(clip());
    expect(poster?.type).toBe('image/jpeg');
    expect(poster?.size).toBeGreaterThan(0);
    expect(rig.seekedTo).toHaveLength(1);
    expect(rig.seekedTo[0]).toBeCloseTo(0.1);
    expect(rig.drawn).toEqual([{ width: 1280, height: 720 }]);
    expect(rig.encoded).toEqual([{ type: 'image/jpeg', quality: 0.85 }]);
    // Muted, off-screen, and gone afterwards with its object URL.
    const v = rig.videos[0]!;
    expect(v.muted).toBe(true);
    expect(v.isConnected).toBe(false);
    expect(rig.revoked).toEqual(['blob:video-1']);
  });

  it('answers null when the browser cannot decode the file, and removes the video', async () => {
    const rig = rigVideo({ duration: 1, width: 64, height: 64, decodes: false });
    expect(await makePoster(clip())).toBeNull();
    expect(rig.drawn).toEqual([]);
    expect(rig.videos[0]!.isConnected).toBe(false);
    expect(rig.revoked).toEqual(['blob:video-1']);
  });

  it('answers null for a file with no picture (audio in an MP4)', async () => {
    const rig = rigVideo({ duration: 30, width: 0, height: 0 });
    expect(await makePoster(clip())).toBeNull();
    expect(rig.seekedTo).toEqual([]);
  });

  it('gives up after the timeout when the browser never answers', async () => {
    rigVideo({ duration: 1, width: 64, height: 64, silent: true });
    const started = Date.now();
    expect(await makePoster(clip(), { timeoutMs: 50 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('knows a video by its type or its name', () => {
    expect(isVideoFile({ type: 'video/mp4', name: 'a.bin' })).toBe(true);
    expect(isVideoFile({ type: '', name: '宣传片.M4V' })).toBe(true);
    expect(isVideoFile({ type: 'audio/mpeg', name: 'a.mp3' })).toBe(false);
  });
});
