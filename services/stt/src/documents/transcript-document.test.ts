import { describe, expect, it } from 'vitest';
import { transcriptFilename, transcriptToText } from './transcript-document.js';

const seg = (text: string, speaker: string | null = null) => ({ start: 0, end: 1, speaker, text, confidence: null });

describe('transcriptToText', () => {
  it('turns bare recognized words into sentences in one paragraph', () => {
    expect(transcriptToText('', [seg('the cell is the unit of life'), seg('every thing is made of cells')])).toBe(
      'The cell is the unit of life. Every thing is made of cells.',
    );
  });

  it('keeps punctuation it was given and starts a paragraph per speaker', () => {
    expect(transcriptToText('', [seg('Welcome.', 'spk_0'), seg('Thank you!', 'spk_1'), seg('Go on?', 'spk_1')])).toBe(
      'spk_0: Welcome.\n\nspk_1: Thank you! Go on?',
    );
  });

  it('uses the transcript when there are no segments', () => {
    expect(transcriptToText('hello there', [])).toBe('Hello there.');
  });
});

describe('transcriptFilename', () => {
  it('names a text file after the recording', () => {
    expect(transcriptFilename('lecture 3.mp3')).toBe('lecture 3 (transcript).txt');
    expect(transcriptFilename('???.wav')).toBe('recording (transcript).txt');
  });
});
