import {
  DescribeVoicesCommand,
  type PollyClient,
  PollyServiceException,
  SynthesizeSpeechCommand,
  type Engine,
  type OutputFormat,
  type Voice as PollyVoice,
} from '@aws-sdk/client-polly';
import { parseBuffer } from 'music-metadata';
import { UpstreamError, ValidationError } from '@learner/common/errors';
import { FORMAT_INFO, PCM_SAMPLE_RATE, type AudioFormat, type SpeechEngine, type Voice } from './speech-engine.js';
import { withSpeakingRate } from './ssml.js';

// Polly rejects these because of what was asked, so the caller hears a 400, not a 502.
const CALLER_ERRORS = new Set([
  'InvalidSsmlException',
  'TextLengthExceededException',
  'SsmlMarksNotSupportedForTextTypeException',
  'EngineNotSupportedException',
  'LanguageNotSupportedException',
  'InvalidSampleRateException',
]);

function engineOf(voice: PollyVoice): string {
  const engines = voice.SupportedEngines ?? [];
  if (engines.includes('neural')) return 'neural';
  return engines.includes('standard') || engines.length === 0 ? 'standard' : engines[0]!;
}

function toVoice(voice: PollyVoice): Voice | undefined {
  if (!voice.Id) return undefined;
  const gender = voice.Gender?.toLowerCase();
  return {
    id: voice.Id,
    name: voice.Name ?? voice.Id,
    language: voice.LanguageCode ?? 'und',
    gender: gender === 'female' || gender === 'male' ? gender : 'neutral',
    engine: engineOf(voice),
  };
}

/** mp3 and ogg carry their length in frames; when they cannot be read, the bitrate gives a guess. */
async function durationOf(audio: Buffer, format: AudioFormat): Promise<number> {
  if (format === 'pcm') return audio.length / 2 / PCM_SAMPLE_RATE;
  try {
    const { format: info } = await parseBuffer(audio, { mimeType: FORMAT_INFO[format].contentType }, { duration: true });
    if (info.duration !== undefined && Number.isFinite(info.duration)) return info.duration;
  } catch {
    // fall through to the estimate
  }
  const assumedBitsPerSecond = 48_000;
  return (audio.length * 8) / assumedBitsPerSecond;
}

export function createPollySpeechEngine(options: { client: PollyClient }): SpeechEngine {
  const { client } = options;
  return {
    name: 'polly',
    defaultVoiceId(voices) {
      return (voices.find((v) => v.id === 'Joanna') ?? voices.find((v) => v.language.startsWith('en')) ?? voices[0])?.id;
    },
    async listVoices() {
      const voices: Voice[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const out = await client.send(new DescribeVoicesCommand({ ...(nextToken ? { NextToken: nextToken } : {}) }));
          for (const v of out.Voices ?? []) {
            const voice = toVoice(v);
            if (voice) voices.push(voice);
          }
          nextToken = out.NextToken;
        } while (nextToken);
      } catch (err) {
        throw Object.assign(new UpstreamError('Amazon Polly did not list its voices', { engine: 'polly' }), { cause: err });
      }
      return voices;
    },
    async synthesize(input) {
      const speed = input.speed ?? 1;
      const asSsml = input.textType === 'ssml' || speed !== 1;
      const text = speed !== 1 ? withSpeakingRate(input, speed) : input.text;
      try {
        const out = await client.send(
          new SynthesizeSpeechCommand({
            VoiceId: input.voice.id as PollyVoice['Id'],
            Engine: input.voice.engine as Engine,
            OutputFormat: input.format as OutputFormat,
            Text: text,
            TextType: asSsml ? 'ssml' : 'text',
            ...(input.format === 'pcm' ? { SampleRate: String(PCM_SAMPLE_RATE) } : {}),
          }),
        );
        if (!out.AudioStream) throw new UpstreamError('Speech synthesis returned no audio');
        const audio = Buffer.from(await out.AudioStream.transformToByteArray());
        return { audio, durationSeconds: await durationOf(audio, input.format) };
      } catch (err) {
        if (err instanceof PollyServiceException && CALLER_ERRORS.has(err.name)) {
          throw new ValidationError('Amazon Polly cannot speak this input', { reason: err.name });
        }
        if (err instanceof UpstreamError) throw err;
        throw Object.assign(new UpstreamError('Speech synthesis failed', { engine: 'polly' }), { cause: err });
      }
    },
    async check() {
      await client.send(new DescribeVoicesCommand({ LanguageCode: 'en-US' }));
    },
  };
}
