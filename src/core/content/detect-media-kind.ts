/**
 * Tells photos from videos by their first bytes, never by the file name (a video named .jpg is still a video).
 * GIF counts as video: chats send animations as GIF or MP4 and they are hashed frame by frame like videos.
 */

export type MediaKind = 'photo' | 'video' | 'unknown';

/** How many leading bytes detectMediaKind needs. */
export const MEDIA_SNIFF_BYTES = 512;

const PHOTO_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function startsWith(b: Uint8Array, bytes: number[], offset = 0): boolean {
  if (b.length < offset + bytes.length) return false;
  return bytes.every((x, i) => b[offset + i] === x);
}

/**
 * The kind of media whose file starts with these bytes.
 * @example detectMediaKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'photo'
 */
export function detectMediaKind(head: Uint8Array): MediaKind {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'photo'; // JPEG
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'photo'; // PNG
  if (ascii(head, 0, 4) === 'GIF8') return 'video'; // GIF: animations are video
  if (ascii(head, 0, 4) === 'RIFF') {
    const form = ascii(head, 8, 12);
    if (form === 'WEBP') return 'photo';
    if (form === 'AVI ') return 'video';
  }
  if (startsWith(head, [0x42, 0x4d]) && head.length >= 26) return 'photo'; // BMP
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'photo'; // TIFF
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12).toLowerCase();
    return PHOTO_BRANDS.has(brand) ? 'photo' : 'video'; // HEIF/AVIF stills, else MP4/MOV/3GP/M4V
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video'; // Matroska / WebM
  if (ascii(head, 0, 3) === 'FLV') return 'video';
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba])) return 'video'; // MPEG program stream
  if (head.length >= 189 && head[0] === 0x47 && head[188] === 0x47) return 'video'; // MPEG transport stream
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75])) return 'video'; // ASF / WMV
  if (ascii(head, 4, 8) === 'moov' || ascii(head, 4, 8) === 'mdat' || ascii(head, 4, 8) === 'wide') return 'video'; // old QuickTime
  return 'unknown';
}
