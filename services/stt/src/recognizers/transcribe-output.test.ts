import { describe, expect, it } from 'vitest';
import { parseTranscribeOutput } from './transcribe-recognizer.js';

describe('parseTranscribeOutput', () => {
  it('builds segments per speaker with punctuation attached and the mean confidence', () => {
    const out = parseTranscribeOutput({
      results: {
        transcripts: [{ transcript: 'Hello there. Hi.' }],
        items: [
          { type: 'pronunciation', start_time: '0.0', end_time: '0.4', alternatives: [{ content: 'Hello', confidence: '1.0' }], speaker_label: 'spk_0' },
          { type: 'pronunciation', start_time: '0.4', end_time: '0.8', alternatives: [{ content: 'there', confidence: '0.5' }], speaker_label: 'spk_0' },
          { type: 'punctuation', alternatives: [{ content: '.' }] },
          { type: 'pronunciation', start_time: '1.0', end_time: '1.2', alternatives: [{ content: 'Hi', confidence: '0.9' }], speaker_label: 'spk_1' },
          { type: 'punctuation', alternatives: [{ content: '.' }] },
        ],
      },
    });
    expect(out.text).toBe('Hello there. Hi.');
    expect(out.confidence).toBeCloseTo(0.8, 3);
    expect(out.durationSeconds).toBe(1.2);
    expect(out.segments).toEqual([
      { start: 0, end: 0.8, speaker: 'spk_0', text: 'Hello there.', confidence: 0.75 },
      { start: 1, end: 1.2, speaker: 'spk_1', text: 'Hi.', confidence: 0.9 },
    ]);
  });

  it('finds speakers through speaker_labels segments in older output', () => {
    const out = parseTranscribeOutput({
      results: {
        transcripts: [{ transcript: 'One two' }],
        speaker_labels: { segments: [{ items: [{ start_time: '0.0', speaker_label: 'spk_0' }, { start_time: '0.5', speaker_label: 'spk_1' }] }] },
        items: [
          { type: 'pronunciation', start_time: '0.0', end_time: '0.4', alternatives: [{ content: 'One', confidence: '1' }] },
          { type: 'pronunciation', start_time: '0.5', end_time: '0.9', alternatives: [{ content: 'two', confidence: '1' }] },
        ],
      },
    });
    expect(out.segments.map((s) => s.speaker)).toEqual(['spk_0', 'spk_1']);
  });

  it('gives an empty transcript for output without items', () => {
    expect(parseTranscribeOutput({})).toEqual({ text: '', confidence: null, segments: [], durationSeconds: null, words: [] });
  });
});
