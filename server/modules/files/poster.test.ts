import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { bombPng } from '../../test/images.js';
import { checkPoster } from './media.js';

// A video's poster frame comes from a browser (or a person's pick): checked by its bytes as
// photos are, but only as JPEG or PNG — what a canvas writes and what people have at hand.

const image = (format: 'jpeg' | 'png' | 'gif' | 'webp', width = 64, height = 36) =>
  sharp({ create: { width, height, channels: 3, background: '#284' } })
    .toFormat(format)
    .toBuffer();

async function refusal(data: Buffer): Promise<{ status: number; code: string } | null> {
  try {
    await checkPoster(data);
    return null;
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, code: err.code };
    throw err;
  }
}

describe('checkPoster', () => {
  it('takes a JPEG and a PNG', async () => {
    expect(await refusal(await image('jpeg'))).toBeNull();
    expect(await refusal(await image('png', 1280, 720))).toBeNull();
  });

  it('refuses other image formats and bytes that are no image (415)', async () => {
    for (const data of [
      await image('gif'),
      await image('webp'),
      randomBytes(4096),
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(0),
    ]) {
      expect(await refusal(data)).toEqual({ status: 415, code: 'not_a_poster' });
    }
  });

  it('refuses a PNG that declares more pixels than the limit, from its header (413)', async () => {
    expect(await refusal(bombPng(9000, 9000))).toEqual({ status: 413, code: 'image_too_large' });
  });
});
