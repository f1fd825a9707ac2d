import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from '@learner/common/testing';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

/**
 * The platform with two processes of every service (three of stt) over the same PostgreSQL, Redis
 * and Kafka (the launcher's REPLICAS=2, STT_REPLICAS=3): the learner's journey works through the
 * gateway's round robin, and a replica killed in the middle of a job or an event loses nothing and
 * does nothing twice.
 */

const MARKER = `marker${randomBytes(4).toString('hex')}`;
const LESSON = [
  'Plate tectonics',
  '',
  `The lithosphere is broken into tectonic plates that move over the asthenosphere (${MARKER}). ` +
    'At divergent boundaries plates move apart and new oceanic crust forms at mid-ocean ridges. ' +
    'At convergent boundaries one plate sinks beneath another in a process called subduction.',
  '',
  `Subduction builds volcanic arcs and deep ocean trenches such as the Mariana Trench (${MARKER}). ` +
    'Transform boundaries, like the San Andreas Fault, slide past each other and cause earthquakes. ' +
    'Earthquakes release stored elastic energy as seismic waves that travel through the Earth.',
  '',
  `Seismic waves come in two main kinds: body waves and surface waves (${MARKER}). ` +
    'Primary waves are compressional body waves and they are the fastest seismic waves. ' +
    'Secondary waves are shear waves that cannot travel through the liquid outer core.',
  '',
  `Mantle convection is the slow flow of hot rock that drives the movement of the plates (${MARKER}). ` +
    'Ridge push and slab pull are the forces that act on the plates at their edges. ' +
    'Hotspots such as the one beneath Hawaii form chains of volcanoes as a plate moves over them.',
].join('\n');

let platform: Platform;
let api: ReturnType<typeof apiClient>;
let embeddings: Server;
/** The embedding request of the marked document, held unanswered: the client's port tells who holds the job. */
/** What the stand-in received, for the failure message. */
const seen: string[] = [];
let held: { clientPort: number; res: ServerResponse } | undefined;

/**
 * An embeddings endpoint that holds the marked document's request (its processing stays in the
 * middle of the job until the holder dies) and answers every other with 503 (processing then
 * completes without vectors, as with the real server down).
 */
function embeddingStandIn(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body.includes(MARKER) ? 'marked' : ''}`);
      if (body.includes(MARKER) && !held) {
        held = { clientPort: req.socket.remotePort ?? 0, res };
        return;
      }
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"unavailable"}');
    });
  });
}

/** A real recording (pocketsphinx's own test data): the recogniser hears words in it. */
const LIBRIVOX_CLIP = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';

/** The folder of the stand-in recogniser's gate: `armed`, `held/by`, `open` and the log of `runs`. */
let gate: string;

/**
 * pocketsphinx_continuous behind a gate, as the stt replicas' recogniser: while the test has armed
 * the gate, every run is logged with the process that started it, and the first waits (its replica
 * is then in the middle of that transcription, its lease held) and says which replica holds it.
 * Every other run is the real recogniser.
 */
function recogniserGate(dir: string): string {
  const script = join(dir, 'pocketsphinx-gate.sh');
  writeFileSync(
    script,
    `#!/bin/sh
[ -e '${dir}/armed' ] && echo "$PPID" >> '${dir}/runs'
if [ -e '${dir}/armed' ] && mkdir '${dir}/held' 2>/dev/null; then
  echo "$PPID" > '${dir}/by.tmp' && mv '${dir}/by.tmp' '${dir}/held/by'
  while [ ! -e '${dir}/open' ]; do sleep 0.1; done
  exit 1
fi
exec pocketsphinx_continuous "$@"
`,
    { mode: 0o755 },
  );
  return script;
}

/** The process among `pids` that owns the local TCP port (Linux /proc): the client of a connection. */
function processWithPort(pids: number[], port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && Number.parseInt(fields[1]!.split(':').pop()!, 16) === port) inodes.add(fields[9]!);
    }
  }
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    }),
  );
}

async function query<T extends pg.QueryResultRow>(service: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: platform.databaseUrls[service] });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function pidOf(name: string): number {
  const found = platform.processes.find((p) => p.name === name);
  if (!found) throw new Error(`no process ${name}`);
  return found.pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The replicas of `service` still running (an earlier test may have killed one), by name. */
function liveReplicas(service: string): string[] {
  return platform.processes.filter((p) => (p.name === service || p.name.startsWith(`${service}-`)) && isAlive(p.pid)).map((p) => p.name);
}

beforeAll(async () => {
  embeddings = embeddingStandIn();
  await new Promise<void>((resolve) => embeddings.listen(0, '127.0.0.1', resolve));
  gate = mkdtempSync(join(tmpdir(), 'stt-gate-'));
  platform = await startPlatform({
    replicas: 2,
    env: {
      EMBEDDINGS_BASE_URL: `http://127.0.0.1:${(embeddings.address() as AddressInfo).port}/v1`,
      PROCESSING_LEASE_MS: '3000',
      // Three stt processes: one is killed mid-transcription, and one more mid-event later.
      STT_REPLICAS: '3',
      REPLICA_PORT_BASE: String(await freePortRange(12)),
      POCKETSPHINX_PATH: recogniserGate(gate),
      JOB_LEASE_SECONDS: '3',
      RATE_LIMIT_REQUESTS: '1000',
      REDIS_KEY_PREFIX: `replicas-${randomBytes(3).toString('hex')}:`,
    },
  });
  api = apiClient(platform.gatewayUrl);
}, 300_000);

afterAll(async () => {
  held?.res.destroy();
  embeddings?.closeAllConnections();
  await new Promise((resolve) => embeddings?.close(resolve));
  await platform?.stop();
  if (gate) {
    // A recogniser still waiting at the gate (its replica killed) ends.
    writeFileSync(join(gate, 'open'), '');
    rmSync(gate, { recursive: true, force: true });
  }
}, 60_000);

async function register(): Promise<{ token: string; userId: string; password: string }> {
  const password = 'correct horse battery';
  const res = await api('POST', '/api/v1/auth/register', { json: { email: `replica-${randomBytes(5).toString('hex')}@example.com`, password, name: 'Inge' } });
  expect(res.status).toBe(201);
  return { token: res.body.data.token, userId: res.body.data.user.id, password };
}

async function upload(token: string, text: string, title: string): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), `${title}.txt`);
  form.append('title', title);
  const res = await api('POST', '/api/v1/documents/upload', { token, form });
  expect(res.status).toBe(201);
  return res.body.data.id as number;
}

/** Polls a document's or a transcription's status until it is completed or failed. */
async function finished(token: string, path: string, ms?: number): Promise<{ status: string }> {
  return waitUntil(
    `${path} to finish`,
    async () => {
      const res = await api('GET', path, { token });
      return ['completed', 'failed'].includes(res.body.data?.status) ? res.body.data : undefined;
    },
    ms,
  );
}

const processed = (token: string, documentId: number, ms?: number) => finished(token, `/api/v1/documents/${documentId}`, ms);

describe('every service as two processes', () => {
  it('starts two processes of each service, the gateway two processes on its port', () => {
    const names = platform.processes.map((p) => p.name).sort();
    expect(names).toEqual(['chat', 'chat-2', 'document', 'document-2', 'gateway', 'quiz', 'quiz-2', 'stt', 'stt-2', 'stt-3', 'tts', 'tts-2']);
    expect(platform.output.join('')).not.toMatch(/stopped unexpectedly/);
  });

  it('runs the journey: upload → processed → notes → tutor → quiz → submit → tts → transcription', async () => {
    const { token } = await register();
    const documentId = await upload(token, LESSON.replaceAll(MARKER, 'journey'), 'Tectonics');
    expect((await processed(token, documentId)).status).toBe('completed');
    const notes = await api('GET', `/api/v1/documents/${documentId}/notes`, { token });
    expect(notes.status).toBe(200);

    const session = await api('POST', '/api/v1/chat/sessions', { token, json: { title: 'Revision', document_ids: [documentId] } });
    expect(session.status).toBe(201);
    const asked = await api('POST', `/api/v1/chat/sessions/${session.body.data.id}/messages`, { token, json: { message: 'What is subduction?' } });
    expect(asked.status).toBe(201);

    const quiz = await api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: documentId, num_questions: 3, question_types: ['true_false'] } });
    expect(quiz.status, JSON.stringify(quiz.body)).toBe(201);
    const answers = Object.fromEntries((quiz.body.data.questions as { id: number }[]).map((q) => [String(q.id), true]));
    // The quiz is read and submitted through either replica alike.
    for (let i = 0; i < 2; i++) expect((await api('GET', `/api/v1/quizzes/${quiz.body.data.id}`, { token })).status).toBe(200);
    expect((await api('POST', `/api/v1/quizzes/${quiz.body.data.id}/submit`, { token, json: { answers } })).status).toBe(201);

    const voices = await api('GET', '/api/v1/tts/voices?language=en-US', { token });
    const voice = voices.body.data.voices.find((v: { engine: string }) => v.engine === 'flite') ?? voices.body.data.voices[0];
    const audio = await api('POST', '/api/v1/tts/synthesize', { token, json: { text: 'Subduction builds volcanic arcs.', voice_id: voice.id, format: 'mp3' } });
    expect(audio.status).toBe(201);
    const link = new URL(audio.body.data.audio_url);
    const bytes = await fetch(`${platform.gatewayUrl}${link.pathname}${link.search}`);
    expect(bytes.status).toBe(200);

    const recording = new FormData();
    recording.append('audio', await bytes.blob(), 'lecture.mp3');
    const started = await api('POST', '/api/v1/stt/transcribe', { token, form: recording });
    expect(started.status).toBe(202);
    const transcribed = await finished(token, `/api/v1/stt/status/${started.body.data.task_id}`);
    expect(transcribed.status).toBe('completed');
  }, 240_000);

  it('finishes a document once when the replica processing it is killed: the other takes it over after the lease', async () => {
    const { token } = await register();
    const documentId = await upload(token, LESSON, 'Tectonics interrupted');
    const holding = await waitUntil('a replica to be in the middle of processing', async () => held, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; the embeddings endpoint saw: ${seen.join(' | ')}`);
    });
    const holder = processWithPort([pidOf('document'), pidOf('document-2')], holding.clientPort);
    expect(holder).toBeDefined();
    process.kill(holder!, 'SIGKILL');

    expect((await processed(token, documentId, 120_000)).status).toBe('completed');
    const [doc] = await query<{ attempts: number }>('document', 'SELECT attempts FROM documents WHERE id = $1', [documentId]);
    expect(doc!.attempts).toBe(2);
    const notes = await query<{ rows: string; distinct_rows: string }>(
      'document',
      'SELECT count(*) AS rows, count(DISTINCT (kind, content)) AS distinct_rows FROM notes WHERE document_id = $1',
      [documentId],
    );
    expect(Number(notes[0]!.rows)).toBeGreaterThan(0);
    expect(notes[0]!.rows).toBe(notes[0]!.distinct_rows);
    const outbox = await query<{ n: string }>(
      'document',
      `SELECT count(*) AS n FROM outbox WHERE topic = 'document.processed' AND (payload::jsonb #>> '{payload,document_id}')::int = $1`,
      [documentId],
    );
    expect(Number(outbox[0]!.n)).toBe(1);
    // The survivor serves the learner alone: the gateway skips the dead replica.
    for (let i = 0; i < 4; i++) expect((await api('GET', `/api/v1/documents/${documentId}`, { token })).status).toBe(200);
  }, 180_000);

  it('stores no half quiz when a quiz replica is killed while quizzes are generated: each answer is a whole quiz or an error to retry', async () => {
    const { token, userId } = await register();
    const documentId = await upload(token, LESSON.replaceAll(MARKER, 'quiz'), 'Tectonics quiz');
    expect((await processed(token, documentId)).status).toBe('completed');
    const generate = () =>
      api('POST', '/api/v1/quizzes/generate', { token, json: { document_id: documentId, num_questions: 3, difficulty: 'easy', question_types: ['true_false'] } });
    const answers = generate().then((first) => [first]);
    const burst = Array.from({ length: 6 }, generate);
    process.kill(pidOf('quiz-2'), 'SIGKILL');
    const results = [...(await answers), ...(await Promise.all(burst))];
    for (const res of results) expect([201, 502, 503]).toContain(res.status);
    const created = results.filter((r) => r.status === 201).map((r) => r.body.data.id as number);
    expect(created.length).toBeGreaterThan(0);
    // The learner retrying reaches the live replica: each gateway process sends an upload to the
    // dead replica at most once, then leaves it out.
    let retried = await generate();
    for (let i = 0; i < 2 && retried.status !== 201; i++) retried = await generate();
    expect(retried.status).toBe(201);
    const quizzes = await query<{ id: number; questions: string }>(
      'quiz',
      'SELECT q.id, (SELECT count(*) FROM questions WHERE quiz_id = q.id) AS questions FROM quizzes q WHERE q.user_id = $1',
      [userId],
    );
    expect(quizzes.length).toBeGreaterThanOrEqual(created.length + 1);
    for (const quiz of quizzes) expect(Number(quiz.questions)).toBeGreaterThan(0);
  }, 120_000);

  it('finishes a transcription once when the stt replica transcribing it is killed: another takes it over after the lease', async () => {
    const { token, userId } = await register();
    writeFileSync(join(gate, 'armed'), '');
    const form = new FormData();
    form.append('audio', new Blob([await readFile(LIBRIVOX_CLIP)], { type: 'audio/wav' }), 'austen.wav');
    form.append('study_pack', 'true');
    form.append('title', 'Sense and Sensibility, read');
    const started = await api('POST', '/api/v1/stt/transcribe', { token, form });
    expect(started.status).toBe(202);
    const jobId = started.body.data.task_id as string;

    const holder = await waitUntil(
      'an stt replica to be in the middle of the transcription',
      async () => (existsSync(join(gate, 'held', 'by')) ? Number(readFileSync(join(gate, 'held', 'by'), 'utf8')) : undefined),
      60_000,
    );
    const replicas = ['stt', 'stt-2', 'stt-3'];
    const killed = replicas.find((name) => pidOf(name) === holder);
    expect(killed, `the recogniser's parent ${holder} is an stt replica`).toBeDefined();
    process.kill(holder, 'SIGKILL');
    // The killed replica's recogniser, orphaned at the gate, ends without a word to anyone.
    writeFileSync(join(gate, 'open'), '');

    const done = await finished(token, `/api/v1/stt/status/${jobId}`, 120_000);
    expect(done).toMatchObject({ status: 'completed' });
    expect((done as unknown as { transcript: string }).transcript.length).toBeGreaterThan(0);
    // The transcript becomes the study pack's document, once.
    const pack = await waitUntil(
      'the transcript to become a document',
      async () => {
        const res = await api('GET', `/api/v1/stt/status/${jobId}`, { token });
        return res.body.data?.study_pack?.document_id ? (res.body.data.study_pack as { document_id: number }) : undefined;
      },
      60_000,
    );

    const [job] = await query<{ attempts: number; status: string; document_id: string }>(
      'stt',
      'SELECT attempts, status, document_id FROM transcriptions WHERE id = $1',
      [jobId],
    );
    expect(job).toMatchObject({ attempts: 2, status: 'completed' });
    expect(Number(job!.document_id)).toBe(pack.document_id);
    // Recognised twice (the killed run never answered), completed and announced once.
    const runs = readFileSync(join(gate, 'runs'), 'utf8').trim().split('\n').map(Number);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBe(holder);
    expect(replicas.filter((name) => name !== killed).map(pidOf)).toContain(runs[1]);
    const announced = await query<{ n: string }>(
      'stt',
      `SELECT count(*) AS n FROM outbox WHERE topic = 'transcription.completed' AND payload::jsonb #>> '{payload,job_id}' = $1`,
      [jobId],
    );
    expect(Number(announced[0]!.n)).toBe(1);
    const documents = await query<{ id: number }>('document', "SELECT id FROM documents WHERE user_id = $1 AND source = 'stt'", [userId]);
    expect(documents.map((d) => d.id)).toEqual([pack.document_id]);
    const packs = await query<{ n: string }>('document', 'SELECT count(*) AS n FROM study_packs WHERE origin_key = $1', [`transcription:${jobId}`]);
    expect(Number(packs[0]!.n)).toBe(1);
    const listed = await api('GET', '/api/v1/stt/transcriptions', { token });
    expect(listed.status).toBe(200);
    expect((listed.body.data as { id: string }[]).map((t) => t.id)).toEqual([jobId]);
  }, 240_000);

  it('erases every account once when a consumer replica is killed during the events: each service confirms each erasure exactly once', async () => {
    const learners = await Promise.all(Array.from({ length: 6 }, register));
    const erasures = await Promise.all(
      learners.map(async (l) => {
        const res = await api('DELETE', '/api/v1/auth/me', { token: l.token, json: { password: l.password } });
        expect(res.status).toBe(202);
        return res.body.data as { erasure_id: string; status_url: string };
      }),
    );
    process.kill(pidOf('chat-2'), 'SIGKILL');
    // One of the stt replicas still running (another was killed mid-transcription); one stays.
    const stt = liveReplicas('stt');
    expect(stt.length).toBeGreaterThanOrEqual(2);
    process.kill(pidOf(stt.at(-1)!), 'SIGKILL');
    for (const erasure of erasures) {
      await waitUntil(
        'every service to confirm the erasure',
        async () => ((await api('GET', erasure.status_url)).body.data?.status === 'completed' ? true : undefined),
        // A killed replica's partitions wait out its Kafka session, and the outbox rows it had claimed
        // its claim (15 s, renewed only while its relay lives), before another replica takes them.
        210_000,
      );
    }
    for (const service of ['chat', 'stt', 'document', 'quiz', 'tts']) {
      const rows = await query<{ erasure_id: string; n: string }>(
        service,
        `SELECT payload::jsonb #>> '{payload,erasure_id}' AS erasure_id, count(*) AS n FROM outbox WHERE topic = 'erasure.confirmed' GROUP BY 1`,
      );
      for (const erasure of erasures) {
        expect(Number(rows.find((r) => r.erasure_id === erasure.erasure_id)?.n), `${service} confirms ${erasure.erasure_id} once`).toBe(1);
      }
    }
  }, 300_000);
});
