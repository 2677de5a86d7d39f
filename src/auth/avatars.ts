import sharp from 'sharp';
import { badRequest } from '../common/app-exception.js';

/** What an upload brings (multer's file, the parts we read). */
export interface AvatarUpload {
  buffer: Buffer;
  size: number;
}

/** Largest upload accepted (the multipart limit; the stored image is far smaller). */
export const AVATAR_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Side of the stored square, in pixels: enough for a profile page on a dense screen. */
const AVATAR_SIZE = 256;
/** Raster formats only: no SVG (scripts, external references) and nothing sharp guesses at. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif']);
const MAX_INPUT_PIXELS = 40_000_000;

const refused = (message: string) => badRequest('avatar_invalid', message, [{ field: 'avatar', message }]);

/**
 * Checks that the upload is a raster image sharp can decode, then
 * re-encodes it: turned upright from its EXIF orientation, cropped to a
 * square around its most interesting part, resized, and written as WebP
 * without metadata (no location or camera data survives). Only the result
 * is stored, never the upload.
 */
export async function reencodeAvatar(upload: AvatarUpload | undefined): Promise<Buffer> {
  if (!upload || upload.size === 0) throw refused('avatar must be an image file (JPEG, PNG, WebP, GIF, AVIF or HEIF) sent as multipart field "avatar".');
  let format: string | undefined;
  try {
    format = (await sharp(upload.buffer, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw refused('avatar is not an image we can read. Send a JPEG, PNG, WebP, GIF, AVIF or HEIF file.');
  }
  if (!format || !ACCEPTED.has(format)) throw refused(`avatar must be a JPEG, PNG, WebP, GIF, AVIF or HEIF image${format ? ` (not ${format})` : ''}.`);
  try {
    return await sharp(upload.buffer, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: sharp.strategy.attention })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    throw refused('avatar could not be decoded: the file looks damaged.');
  }
}
