import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, findExecutable, runCommand } from '@learner/common/process';
import type { ObjectStorage } from '@learner/common/storage';
import { lookUpPronunciations } from './pronouncing-dictionary.js';
import { buildReadingModel, mergeUnclear, readingWords } from './reading-model.js';
import { UnrecognizableAudioError, type Recognizer } from './recognizer.js';
import { overallConfidence, toSegments, type TimedWord } from './segments.js';

const SAMPLE_RATE = 16_000;

/** Markers and fillers pocketsphinx reports between words: sentence edges, silence, noises. */
function isFiller(token: string): boolean {
  return /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/i.test(token);
}

/**
 * Reads the word lines of `pocketsphinx_continuous -time yes` ("word start end posterior");
 * the hypothesis lines between them have no numbers and are skipped. Alternate pronunciations
 * ("to(2)") are folded into their word.
 */
export function parsePocketsphinxTimes(output: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of output.split('\n')) {
    const match = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!match) continue;
    const token = match[1]!;
    if (isFiller(token)) continue;
    words.push({
      word: token.replace(/\(\d+\)$/, ''),
      start: Number(match[2]),
      end: Number(match[3]),
      confidence: Math.min(1, Number(match[4])),
    });
  }
  return words;
}

export interface PocketsphinxOptions {
  storage: ObjectStorage;
  ffmpegPath: string;
  pocketsphinxPath: string;
  /** Folder with en-us/, en-us.lm.bin and cmudict-en-us.dict (Debian's pocketsphinx-en-us). */
  modelDir: string;
  timeoutMs?: number;
}

/**
 * Recognizes US English offline: ffmpeg decodes whatever was uploaded to 16 kHz mono samples, the
 * sampling pocketsphinx's acoustic model was trained on; pocketsphinx then reports timed words.
 */
export function createPocketsphinxRecognizer(options: PocketsphinxOptions): Recognizer {
  const timeoutMs = options.timeoutMs ?? 3_600_000;
  return {
    name: 'pocketsphinx',
    defaultLanguage: 'en-US',
    supportsLanguage: (tag) => /^en(-[a-z0-9]+)*$/i.test(tag),
    async recognize(job, signal) {
      const audio = await options.storage.get(job.storageKey);
      const dir = await mkdtemp(join(tmpdir(), 'stt-'));
      try {
        const input = join(dir, `input.${job.mediaFormat}`);
        const raw = join(dir, 'audio.raw');
        await writeFile(input, audio);
        try {
          // A file, not a pipe: m4a keeps its index at the end, which ffmpeg must seek to.
          await runCommand(
            options.ffmpegPath,
            ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', input, '-vn', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', raw],
            { timeoutMs, signal },
          );
        } catch (err) {
          if (err instanceof CommandError && !err.timedOut && !err.aborted && err.exitCode !== null) {
            throw new UnrecognizableAudioError('The file could not be decoded as audio');
          }
          throw err;
        }
        const durationSeconds = (await stat(raw)).size / 2 / SAMPLE_RATE;
        if (durationSeconds < 0.1) throw new UnrecognizableAudioError('The file holds no audio to transcribe');
        const dictionaryPath = join(options.modelDir, 'cmudict-en-us.dict');
        let model = { lm: join(options.modelDir, 'en-us.lm.bin'), dict: dictionaryPath };
        let uncheckedWords: string[] | undefined;
        if (job.expectedText !== undefined) {
          // Read-aloud practice: decode against a model of the text that was to be read.
          const expected = readingWords(job.expectedText);
          const reading = buildReadingModel(expected, await lookUpPronunciations(dictionaryPath, expected.map((w) => w.spoken)));
          uncheckedWords = [...reading.unknown];
          if (!reading.arpa) return { text: '', confidence: null, segments: [], durationSeconds: Math.round(durationSeconds * 100) / 100, words: [], uncheckedWords };
          model = { lm: join(dir, 'reading.arpa'), dict: join(dir, 'reading.dict') };
          await Promise.all([writeFile(model.lm, reading.arpa), writeFile(model.dict, reading.dictionary)]);
        }
        const { stdout } = await runCommand(
          options.pocketsphinxPath,
          [
            '-infile', raw,
            '-samprate', String(SAMPLE_RATE),
            '-hmm', join(options.modelDir, 'en-us'),
            '-lm', model.lm,
            '-dict', model.dict,
            '-time', 'yes',
            '-logfn', '/dev/null',
          ],
          { timeoutMs, signal },
        );
        const heard = parsePocketsphinxTimes(stdout.toString('utf8'));
        const words = job.expectedText === undefined ? heard : mergeUnclear(heard);
        const segments = toSegments(words);
        return {
          text: segments.map((s) => s.text).join(' '),
          confidence: overallConfidence(words),
          segments,
          durationSeconds: Math.round(durationSeconds * 100) / 100,
          words,
          ...(uncheckedWords ? { uncheckedWords } : {}),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    // The transcript exists only in what recognize() returns.
    discard: () => Promise.resolve(),
    // The two programs every recognition runs, and the model they read.
    async check() {
      const [ffmpeg, pocketsphinx] = await Promise.all([findExecutable(options.ffmpegPath), findExecutable(options.pocketsphinxPath)]);
      if (!ffmpeg) throw new Error(`ffmpeg is missing (${options.ffmpegPath})`);
      if (!pocketsphinx) throw new Error(`pocketsphinx is missing (${options.pocketsphinxPath})`);
      await stat(join(options.modelDir, 'en-us.lm.bin')).catch(() => {
        throw new Error(`the pocketsphinx model is missing (${options.modelDir})`);
      });
    },
  };
}
