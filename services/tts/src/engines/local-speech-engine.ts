import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@learner/common/process';
import { type AudioEncoder, pcmDurationSeconds, readWav } from './audio-encoder.js';
import type { SpeechEngine, SynthesisInput, Voice } from './speech-engine.js';
import { validateSsml } from './ssml.js';

/** flite's cluster-unit voices: the natural-sounding ones (kal and awb_time are not). */
const FLITE_VOICES: Record<string, Pick<Voice, 'name' | 'language' | 'gender'>> = {
  slt: { name: 'SLT (flite)', language: 'en-US', gender: 'female' },
  rms: { name: 'RMS (flite)', language: 'en-US', gender: 'male' },
  awb: { name: 'AWB (flite)', language: 'en-GB', gender: 'male' },
};

const ESPEAK_NORMAL_WPM = 175;

/** espeak-ng's lower-case language names as BCP 47 tags: en-us -> en-US, sr-latn -> sr-Latn. */
export function toLanguageTag(name: string): string {
  let privateUse = false;
  return name
    .split('-')
    .map((part, i) => {
      privateUse ||= part.toLowerCase() === 'x';
      if (i === 0 || privateUse) return part.toLowerCase();
      if (/^[a-z]{2}$/i.test(part)) return part.toUpperCase();
      if (/^[a-z]{4}$/i.test(part)) return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
      return part.toLowerCase();
    })
    .join('-');
}

/** Parses `flite -lv`: "Voices available: kal awb_time kal16 awb rms slt". */
export function parseFliteVoices(output: string): Voice[] {
  const names = output.replace(/^.*?:/s, '').trim().split(/\s+/);
  return names
    .filter((name) => name in FLITE_VOICES)
    .map((name) => ({ id: `flite-${name}`, ...FLITE_VOICES[name]!, engine: 'flite' }));
}

/** Parses the table of `espeak-ng --voices` (Pty, Language, Age/Gender, VoiceName, File, ...). */
export function parseEspeakVoices(output: string): Voice[] {
  const voices: Voice[] = [];
  for (const line of output.split('\n').slice(1)) {
    const [, language, ageGender, voiceName, file] = line.trim().split(/\s+/);
    if (!language || !ageGender || !voiceName || !file) continue;
    const sex = ageGender.split('/')[1];
    // The voice file's name is unique where the language column is not (two Cantonese voices),
    // and espeak-ng accepts it for -v.
    voices.push({
      id: `espeak-${file.split('/').pop()!}`,
      name: `${voiceName.replace(/_/g, ' ')} (espeak-ng)`,
      language: toLanguageTag(language),
      gender: sex === 'F' ? 'female' : sex === 'M' ? 'male' : 'neutral',
      engine: 'espeak-ng',
    });
  }
  return voices;
}

export interface LocalEngineOptions {
  flitePath?: string;
  espeakPath?: string;
  encoder: AudioEncoder;
  timeoutMs?: number;
}

/**
 * Speaks with the engines installed on this machine: flite's natural English voices and
 * espeak-ng's many languages. The voice list is what the installed programs report, so every
 * listed voice can speak.
 */
export function createLocalSpeechEngine(options: LocalEngineOptions): SpeechEngine {
  const timeoutMs = options.timeoutMs ?? 60_000;

  // A program that does not answer offers no voices; the other one's are still listed.
  const ask = async (path: string | undefined, args: string[], parse: (out: string) => Voice[]): Promise<Voice[]> => {
    if (!path) return [];
    try {
      return parse((await runCommand(path, args, { timeoutMs: 10_000 })).stdout.toString('utf8'));
    } catch {
      return [];
    }
  };
  const discover = async (): Promise<Voice[]> => [
    ...(await ask(options.flitePath, ['-lv'], parseFliteVoices)),
    ...(await ask(options.espeakPath, ['--voices'], parseEspeakVoices)),
  ];

  const speakToWav = async (input: SynthesisInput, dir: string): Promise<Buffer> => {
    const textFile = join(dir, 'input.txt');
    const wavFile = join(dir, 'speech.wav');
    const speed = input.speed ?? 1;
    if (input.voice.engine === 'flite') {
      if (!options.flitePath) throw new Error('flite is not installed');
      // flite reads no markup: it speaks the text of the SSML document.
      const text = input.textType === 'ssml' ? validateSsml(input.text).text : input.text;
      await writeFile(textFile, text, 'utf8');
      const args = ['-voice', input.voice.id.replace(/^flite-/, ''), '-f', textFile, '-o', wavFile];
      if (speed !== 1) args.push('--setf', `duration_stretch=${(1 / speed).toFixed(3)}`);
      await runCommand(options.flitePath, args, { timeoutMs });
    } else {
      if (!options.espeakPath) throw new Error('espeak-ng is not installed');
      await writeFile(textFile, input.text, 'utf8');
      const args = ['-v', input.voice.id.replace(/^espeak-/, ''), '-s', String(Math.round(ESPEAK_NORMAL_WPM * speed))];
      if (input.textType === 'ssml') args.push('-m');
      args.push('-f', textFile, '-w', wavFile);
      await runCommand(options.espeakPath, args, { timeoutMs });
    }
    return readFile(wavFile);
  };

  return {
    name: 'local',
    defaultVoiceId(voices) {
      return (voices.find((v) => v.id === 'flite-slt') ?? voices.find((v) => v.id === 'espeak-en-US') ?? voices[0])?.id;
    },
    listVoices: discover,
    async synthesize(input) {
      const dir = await mkdtemp(join(tmpdir(), 'tts-'));
      try {
        const pcm = readWav(await speakToWav(input, dir));
        const audio = await options.encoder.encode(pcm, input.format);
        return { audio, durationSeconds: pcmDurationSeconds(pcm) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async check() {
      if ((await discover()).length === 0) throw new Error('no local voice: neither flite nor espeak-ng answers');
    },
  };
}
