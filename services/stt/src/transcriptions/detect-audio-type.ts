import { fileTypeFromBuffer } from 'file-type';
import type { AudioKind } from '../recognizers/recognizer.js';

// file-type names Ogg audio by codec (oga, opus) and audio-only MP4 by brand (m4a, mp4).
const KINDS: Record<string, AudioKind> = {
  wav: 'wav',
  mp3: 'mp3',
  flac: 'flac',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  m4a: 'm4a',
  mp4: 'm4a',
  webm: 'webm',
};

export const CONTENT_TYPES: Record<AudioKind, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  webm: 'audio/webm',
};

/** The kind of audio from the file's own bytes; the name and the declared type are not trusted. */
export async function detectAudioType(bytes: Buffer): Promise<AudioKind | undefined> {
  const sniffed = await fileTypeFromBuffer(bytes);
  return sniffed ? KINDS[sniffed.ext] : undefined;
}
