import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedMediaTypeError, ValidationError } from '@learner/common/errors';
import { AUDIO_KINDS, type AudioKind } from '../recognizers/recognizer.js';

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

/** The kind of an uploaded recording; an empty file is a 400, one that is not audio a 415. */
export async function checkRecording(bytes: Buffer): Promise<AudioKind> {
  if (bytes.length === 0) throw new ValidationError('The audio file is empty', { audio: 'empty file' });
  const kind = await detectAudioType(bytes);
  if (!kind) {
    throw new UnsupportedMediaTypeError(`The file is not audio of an accepted type (${AUDIO_KINDS.join(', ')})`, {
      accepted: AUDIO_KINDS,
    });
  }
  return kind;
}
