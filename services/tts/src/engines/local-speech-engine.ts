import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceUnavailableError } from '@learner/common/errors';
import { runCommand } from '@learner/common/process';
import { type AudioEncoder, normalizePeak, type PcmAudio, pcmDurationSeconds, readWav } from './audio-encoder.js';
import { NeuralVoiceUnavailableError, type NeuralVoice } from './neural-voice.js';
import type { SpeechEngine, SynthesisInput, UnavailableVoice, Voice } from './speech-engine.js';
import { speechText } from './speech-text.js';
import { spokenParts, validateSsml } from './ssml.js';

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
  /** The warm neural voice server; English is read with it when it answers. */
  neural?: NeuralVoice;
  encoder: AudioEncoder;
  timeoutMs?: number;
}

/** The voices that read English when the neural one cannot, best first. */
const STAND_IN_IDS = ['flite-slt', 'espeak-en-US'];

/** How long a look at the neural voice server is trusted, so the voice list does not ask on every call. */
const NEURAL_STATUS_MS = 2_000;

/** Joins runs of speech with silences between them. */
function joinWithPauses(runs: Array<PcmAudio | number>, sampleRate: number): PcmAudio {
  const lengths = runs.map((run) => (typeof run === 'number' ? Math.round((run / 1000) * sampleRate) : run.samples.length));
  const samples = new Int16Array(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  runs.forEach((run, i) => {
    if (typeof run !== 'number') samples.set(run.samples, at);
    at += lengths[i]!;
  });
  return { samples, sampleRate };
}

/**
 * Speaks with the engines of this machine: the warm neural voice (hibari) for English, flite's
 * natural English voices and espeak-ng's many languages. The voice list is what the installed
 * programs report; the neural voice is listed when configured, and while its server does not
 * answer, flite's slt speaks in its place.
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
  const { neural } = options;
  const discover = async (): Promise<Voice[]> => [
    ...(neural ? [neural.voice] : []),
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

  let neuralStatus: { at: number; down?: string } | undefined;
  const neuralDown = async (): Promise<string | undefined> => {
    if (!neural) return 'no neural voice is configured';
    if (neuralStatus && Date.now() - neuralStatus.at < NEURAL_STATUS_MS) return neuralStatus.down;
    const down = await neural.check().then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    neuralStatus = { at: Date.now(), ...(down ? { down } : {}) };
    return down;
  };

  const standInFor = async (): Promise<Voice | undefined> => {
    const voices = await discover();
    for (const id of STAND_IN_IDS) {
      const found = voices.find((v) => v.id === id);
      if (found) return found;
    }
    return undefined;
  };

  // The neural voice reads no markup: an SSML document is read as its runs of text, with the
  // pauses its breaks ask for put in between. Each run has its abbreviations written out first
  // (speechText), so that "Fig. 3" is not read as the end of a sentence. It speaks about 10 dB
  // quieter than flite (near -26 LUFS against -16), so the whole reading is raised to peak at
  // -1 dBFS: the default voice then plays about as loud as its stand-in and as other spoken audio.
  const speakNeural = async (voice: NeuralVoice, input: SynthesisInput): Promise<PcmAudio> => {
    const speed = input.speed ?? 1;
    const parts = input.textType === 'ssml' ? spokenParts(input.text) : [{ text: input.text }];
    const runs: Array<PcmAudio | number> = [];
    let sampleRate = 24_000;
    for (const part of parts) {
      if ('pauseMs' in part) {
        runs.push(part.pauseMs);
        continue;
      }
      const pcm = await voice.speak(speechText(part.text), speed);
      sampleRate = pcm.sampleRate;
      runs.push(pcm);
    }
    return normalizePeak(joinWithPauses(runs, sampleRate));
  };

  const encode = async (pcm: PcmAudio, input: SynthesisInput) => ({
    audio: await options.encoder.encode(pcm, input.format),
    durationSeconds: pcmDurationSeconds(pcm),
  });

  const synthesizeWithProgram = async (input: SynthesisInput) => {
    const dir = await mkdtemp(join(tmpdir(), 'tts-'));
    try {
      return await encode(readWav(await speakToWav(input, dir)), input);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  return {
    name: 'local',
    defaultVoiceId(voices) {
      const preferred = [...(neural ? [neural.voice.id] : []), ...STAND_IN_IDS];
      for (const id of preferred) if (voices.some((v) => v.id === id)) return id;
      return voices[0]?.id;
    },
    listVoices: discover,
    async synthesize(input) {
      if (!neural || input.voice.id !== neural.voice.id) return synthesizeWithProgram(input);
      try {
        return await encode(await speakNeural(neural, input), input);
      } catch (err) {
        if (!(err instanceof NeuralVoiceUnavailableError)) throw err;
        neuralStatus = { at: Date.now(), down: err.message };
        const standIn = await standInFor();
        if (!standIn) {
          throw new ServiceUnavailableError('No voice can speak right now; try again later', {
            voice_id: 'the neural voice is unavailable and no other English voice is installed',
          });
        }
        return { ...(await synthesizeWithProgram({ ...input, voice: standIn })), standIn };
      }
    },
    async unavailableVoices(): Promise<UnavailableVoice[]> {
      if (!neural) return [];
      const down = await neuralDown();
      // The check's message names the server's address, which is for /ready, not for clients.
      if (!down) return [];
      return [{ voiceId: neural.voice.id, standInId: (await standInFor())?.id, reason: 'the neural voice server is not answering' }];
    },
    async check() {
      const programVoices = (await discover()).filter((v) => v.id !== neural?.voice.id);
      if (programVoices.length === 0 && (await neuralDown()) !== undefined) {
        throw new Error(`no local voice: neither flite nor espeak-ng answers${neural ? ', nor the neural voice server' : ''}`);
      }
    },
  };
}
