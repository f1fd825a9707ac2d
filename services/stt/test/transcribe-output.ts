/** A transcript as Amazon Transcribe writes it, for two speakers, in its current JSON layout. */
export function transcribeOutput(jobName: string) {
  const word = (content: string, start: number, end: number, speaker: string, confidence = '0.98') => ({
    type: 'pronunciation',
    start_time: start.toFixed(3),
    end_time: end.toFixed(3),
    alternatives: [{ confidence, content }],
    speaker_label: speaker,
  });
  const stop = { type: 'punctuation', alternatives: [{ confidence: '0.0', content: '.' }] };
  return {
    jobName,
    accountId: '123456789012',
    status: 'COMPLETED',
    results: {
      transcripts: [{ transcript: 'Welcome to biology. Thank you, professor.' }],
      speaker_labels: { channel_label: 'ch_0', speakers: 2, segments: [] },
      items: [
        word('Welcome', 0.1, 0.5, 'spk_0'),
        word('to', 0.5, 0.6, 'spk_0'),
        word('biology', 0.6, 1.2, 'spk_0', '0.90'),
        stop,
        word('Thank', 1.4, 1.6, 'spk_1'),
        word('you', 1.6, 1.8, 'spk_1'),
        { type: 'punctuation', alternatives: [{ confidence: '0.0', content: ',' }] },
        word('professor', 1.9, 2.5, 'spk_1', '0.80'),
        stop,
      ],
    },
  };
}
