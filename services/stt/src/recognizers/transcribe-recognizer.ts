import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConflictException,
  GetTranscriptionJobCommand,
  ListTranscriptionJobsCommand,
  StartTranscriptionJobCommand,
  LanguageCode,
  type MediaFormat,
  type TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { ObjectNotFoundError, type ObjectStorage } from '@learner/common/storage';
import { UnrecognizableAudioError, type Recognizer, type Transcript } from './recognizer.js';
import { overallConfidence, toSegments, type TimedWord } from './segments.js';

/** The parts of Transcribe's output JSON that are read. */
interface TranscribeOutput {
  results?: {
    transcripts?: Array<{ transcript?: string }>;
    items?: Array<{
      type?: 'pronunciation' | 'punctuation';
      start_time?: string;
      end_time?: string;
      speaker_label?: string;
      alternatives?: Array<{ content?: string; confidence?: string }>;
    }>;
    speaker_labels?: { segments?: Array<{ items?: Array<{ start_time?: string; speaker_label?: string }> }> };
  };
}

/**
 * Reads a Transcribe transcript: words with times and confidence, punctuation attached to the word
 * before it, and the speaker of each word (on the item itself in current output, or through the
 * speaker_labels segments in older output).
 */
export function parseTranscribeOutput(output: TranscribeOutput): Transcript {
  const results = output.results ?? {};
  const speakerAt = new Map<string, string>();
  for (const segment of results.speaker_labels?.segments ?? []) {
    for (const item of segment.items ?? []) {
      if (item.start_time && item.speaker_label) speakerAt.set(item.start_time, item.speaker_label);
    }
  }
  const words: TimedWord[] = [];
  for (const item of results.items ?? []) {
    const content = item.alternatives?.[0]?.content ?? '';
    if (item.type === 'punctuation') {
      const last = words[words.length - 1];
      if (last) last.word += content;
      continue;
    }
    if (!content || item.start_time === undefined || item.end_time === undefined) continue;
    const confidence = item.alternatives?.[0]?.confidence;
    words.push({
      word: content,
      start: Number(item.start_time),
      end: Number(item.end_time),
      confidence: confidence === undefined ? null : Number(confidence),
      speaker: item.speaker_label ?? speakerAt.get(item.start_time) ?? null,
    });
  }
  const segments = toSegments(words);
  const text = results.transcripts?.map((t) => t.transcript ?? '').join(' ').trim() || segments.map((s) => s.text).join(' ');
  return {
    text,
    confidence: overallConfidence(words),
    segments,
    durationSeconds: words.length ? words[words.length - 1]!.end : null,
    words,
  };
}

/** Bucket and key of an S3 https URL in path style (https://s3.<region>.amazonaws.com/<bucket>/<key>). */
function s3Location(uri: string): { bucket: string; key: string } | undefined {
  const url = new URL(uri);
  const [bucket, ...rest] = url.pathname.replace(/^\/+/, '').split('/');
  if (!bucket || rest.length === 0) return undefined;
  return { bucket, key: rest.map(decodeURIComponent).join('/') };
}

const TRANSCRIBE_LANGUAGES: ReadonlySet<string> = new Set(Object.values(LanguageCode));

/** Where Transcribe writes a job's transcript in the bucket. */
const transcriptKey = (jobId: string): string => `transcripts/${jobId}.json`;

export interface TranscribeRecognizerOptions {
  client: TranscribeClient;
  /** Must be the S3 storage: Transcribe reads the audio from and writes the transcript to its bucket. */
  storage: ObjectStorage;
  bucket: string;
  pollMs?: number;
}

/**
 * Amazon Transcribe: one job per transcription, named after it, so a worker that restarts finds
 * the job it had started (ConflictException) and goes on polling instead of paying twice.
 */
export function createTranscribeRecognizer(options: TranscribeRecognizerOptions): Recognizer {
  const { client, storage, bucket } = options;
  const pollMs = options.pollMs ?? 5_000;

  const readTranscript = async (uri: string, outputKey: string, signal: AbortSignal): Promise<TranscribeOutput> => {
    const location = s3Location(uri);
    if (location?.bucket === bucket) {
      try {
        return JSON.parse((await storage.get(location.key)).toString('utf8')) as TranscribeOutput;
      } catch (err) {
        if (err instanceof ObjectNotFoundError && location.key !== outputKey) {
          return JSON.parse((await storage.get(outputKey)).toString('utf8')) as TranscribeOutput;
        }
        throw err;
      }
    }
    // Without an output bucket Transcribe answers a presigned link to its own bucket.
    const res = await fetch(uri, { signal });
    if (!res.ok) throw new Error(`transcript download answered ${res.status}`);
    return (await res.json()) as TranscribeOutput;
  };

  return {
    name: 'transcribe',
    defaultLanguage: 'en-US',
    // The SDK's list of the codes Transcribe takes: anything else would fail at the job's start.
    supportsLanguage: (tag) => TRANSCRIBE_LANGUAGES.has(tag),
    async recognize(job, signal) {
      const name = `learner-stt-${job.id}`;
      const outputKey = transcriptKey(job.id);
      try {
        await client.send(
          new StartTranscriptionJobCommand({
            TranscriptionJobName: name,
            LanguageCode: job.language as LanguageCode,
            MediaFormat: job.mediaFormat as MediaFormat,
            Media: { MediaFileUri: storage.uri(job.storageKey) },
            OutputBucketName: bucket,
            OutputKey: outputKey,
            ...(job.speakerLabels ? { Settings: { ShowSpeakerLabels: true, MaxSpeakerLabels: 10 } } : {}),
          }),
          { abortSignal: signal },
        );
      } catch (err) {
        if (!(err instanceof ConflictException)) throw err;
      }
      for (;;) {
        const { TranscriptionJob: found } = await client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: name }), {
          abortSignal: signal,
        });
        const status = found?.TranscriptionJobStatus;
        if (status === 'FAILED') {
          throw new UnrecognizableAudioError(`Amazon Transcribe could not transcribe the audio: ${found?.FailureReason ?? 'no reason given'}`);
        }
        if (status === 'COMPLETED') {
          const uri = found?.Transcript?.TranscriptFileUri;
          if (!uri) throw new Error('Amazon Transcribe completed without a transcript');
          return parseTranscribeOutput(await readTranscript(uri, outputKey, signal));
        }
        await sleep(pollMs, undefined, { signal });
      }
    },
    // The job itself stays with Transcribe (it holds no transcript text, and AWS removes it after
    // 90 days): a worker that restarts finds it by name instead of paying for a second one.
    async discard(jobId) {
      await storage.delete(transcriptKey(jobId));
    },
    // Both halves: Transcribe itself (a free, read-only list of one job) and the bucket it reads from.
    async check() {
      await Promise.all([client.send(new ListTranscriptionJobsCommand({ MaxResults: 1 })), storage.check()]);
    },
  };
}
