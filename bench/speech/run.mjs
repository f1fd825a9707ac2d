// Speech benchmark: synthesis real-time factor per local engine and voice, and transcription
// real-time factor and word error rate of pocketsphinx on the public-domain LibriVox clips of
// Debian's pocketsphinx-testdata (plus the flite -> pocketsphinx round trip). Prints figures;
// asserts nothing. Needs `pnpm build` first and the engines of scripts/infra/engines.sh.
// A real-time factor is processing seconds per second of audio: below 1 is faster than speech.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findExecutable } from '@learner/common/process';
import { createLocalStorage } from '@learner/common/storage';
import { createAudioEncoder } from '@learner/tts/dist/engines/audio-encoder.js';
import { createLocalSpeechEngine } from '@learner/tts/dist/engines/local-speech-engine.js';
import { createPocketsphinxRecognizer } from '@learner/stt/dist/recognizers/pocketsphinx-recognizer.js';
import { wordErrorRate, normalizeWords } from '@learner/stt/dist/recognizers/word-error-rate.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const LIBRIVOX = process.env.BENCH_LIBRIVOX_DIR ?? '/usr/share/pocketsphinx/test/data/librivox';
const MODEL_DIR = process.env.POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us';

// 58 words of lecture-like prose.
const PARAGRAPH =
  'The cell is the basic unit of life. Every living thing is made of one or more cells. ' +
  'Plants and animals have different kinds of cells, but all of them need energy to grow. ' +
  'In this lecture we will look at how cells take in food, release energy, and divide. ' +
  'Please read the first chapter before the next class.';

const tool = async (name) => {
  const path = await findExecutable(name);
  if (!path) throw new Error(`${name} is not installed: run scripts/infra/engines.sh`);
  return path;
};
const fmt = (n, digits = 3) => n.toFixed(digits);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const [flitePath, espeakPath, ffmpegPath, pocketsphinxPath] = await Promise.all(
  ['flite', 'espeak-ng', 'ffmpeg', 'pocketsphinx_continuous'].map(tool),
);
const folder = await mkdtemp(join(tmpdir(), 'bench-speech-'));
const storage = createLocalStorage({ root: folder, publicBaseUrl: 'http://localhost/files', signingSecret: 'bench-speech-signing-secret' });
const recognizer = createPocketsphinxRecognizer({ storage, ffmpegPath, pocketsphinxPath, modelDir: MODEL_DIR });
const signal = new AbortController().signal;

async function transcribe(name, bytes, format) {
  const key = `bench/${name}.${format}`;
  await storage.put(key, bytes, { contentType: 'application/octet-stream' });
  const started = performance.now();
  const result = await recognizer.recognize({ id: name, storageKey: key, mediaFormat: format, language: 'en-US', speakerLabels: false }, signal);
  return { result, seconds: (performance.now() - started) / 1000 };
}

try {
  console.log(`Speech benchmark (${REPEATS} runs each, median; machine: ${process.arch}, node ${process.version})\n`);

  console.log('Synthesis of a 58-word paragraph (engine + encoding):');
  console.log('voice            encoder  format  audio s  synth s  real-time factor');
  const voices = [
    ['flite-slt', 'flite'],
    ['flite-rms', 'flite'],
    ['flite-awb', 'flite'],
    ['espeak-en-US', 'espeak-ng'],
  ];
  const synthesized = {};
  for (const backend of ['ffmpeg', 'wasm']) {
    const encoder = createAudioEncoder(backend === 'ffmpeg' ? { ffmpegPath } : {});
    const engine = createLocalSpeechEngine({ flitePath, espeakPath, encoder });
    const listed = await engine.listVoices();
    for (const [id] of voices) {
      const voice = listed.find((v) => v.id === id);
      for (const format of ['mp3', 'pcm']) {
        const times = [];
        let duration = 0;
        for (let i = 0; i < REPEATS; i++) {
          const started = performance.now();
          const out = await engine.synthesize({ voice, text: PARAGRAPH, textType: 'text', format });
          times.push((performance.now() - started) / 1000);
          duration = out.durationSeconds;
          if (backend === 'ffmpeg' && format === 'mp3') synthesized[id] = out.audio;
        }
        const t = median(times);
        console.log(`${id.padEnd(16)} ${backend.padEnd(8)} ${format.padEnd(7)} ${fmt(duration, 2).padStart(7)}  ${fmt(t).padStart(7)}  ${fmt(t / duration, 4)}`);
      }
    }
  }
  console.log('Amazon Polly is not measured: only its emulator is reachable here, and it returns no real audio.\n');

  console.log('Round trip: synthesized paragraph (mp3) -> pocketsphinx:');
  console.log('voice            audio s  recognize s  real-time factor  word error rate');
  for (const [id] of voices) {
    const { result, seconds } = await transcribe(`roundtrip-${id}`, synthesized[id], 'mp3');
    console.log(
      `${id.padEnd(16)} ${fmt(result.durationSeconds, 2).padStart(7)}  ${fmt(seconds).padStart(11)}  ${fmt(seconds / result.durationSeconds, 4).padStart(16)}  ${fmt(wordErrorRate(PARAGRAPH, result.text) * 100, 1)}%`,
    );
  }

  console.log('\nLibriVox clips (public domain, pocketsphinx-testdata) -> pocketsphinx:');
  console.log('clip   audio s  recognize s  real-time factor  word error rate  hypothesis');
  const lines = (await readFile(join(LIBRIVOX, 'transcription'), 'utf8')).split('\n').filter(Boolean);
  let audioTotal = 0;
  let timeTotal = 0;
  let errors = 0;
  let words = 0;
  for (const line of lines) {
    const name = /\((.*)\)\s*$/.exec(line)?.[1];
    if (!name) continue;
    const reference = line.replace(/<\/?s>/g, '').replace(/\(.*\)\s*$/, '').trim();
    const { result, seconds } = await transcribe(name, await readFile(join(LIBRIVOX, `${name}.wav`)), 'wav');
    const wer = wordErrorRate(reference, result.text);
    const count = normalizeWords(reference).length;
    audioTotal += result.durationSeconds;
    timeTotal += seconds;
    errors += wer * count;
    words += count;
    console.log(
      `${name.slice(-4)}   ${fmt(result.durationSeconds, 2).padStart(7)}  ${fmt(seconds).padStart(11)}  ${fmt(seconds / result.durationSeconds, 4).padStart(16)}  ${`${fmt(wer * 100, 1)}%`.padStart(15)}  ${result.text}`,
    );
  }
  console.log(
    `all    ${fmt(audioTotal, 2).padStart(7)}  ${fmt(timeTotal).padStart(11)}  ${fmt(timeTotal / audioTotal, 4).padStart(16)}  ${`${fmt((errors / words) * 100, 1)}%`.padStart(15)}  (${words} reference words)`,
  );
  console.log('\nEach recognition loads the ~27 MB language model afresh (1.5-3.5 s CPU), which dominates short clips.');
} finally {
  await rm(folder, { recursive: true, force: true });
}
