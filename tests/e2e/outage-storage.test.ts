import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { infraEnv, startStallingProxy, waitFor } from '@learner/common/testing';
import { allPages, expectRefusedNaming, type PhasedAnswer } from './outage-support.js';
import { apiClient, startPlatform, type Platform } from './platform-harness.js';

/*
 * The document service keeps its files in S3 (moto here), reached through a TCP proxy that the test
 * makes stall: it takes connections and answers nothing, as a hung endpoint does. S3 requests are
 * given 1.5 s here (S3_REQUEST_TIMEOUT_MS; 10 s by default), the gateway 20 s.
 */

let proxy: Awaited<ReturnType<typeof startStallingProxy>>;
let platform: Platform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  const moto = new URL(infraEnv().MOTO_ENDPOINT ?? 'http://127.0.0.1:4566');
  proxy = await startStallingProxy({ host: moto.hostname, port: Number(moto.port) });
  platform = await startPlatform({
    env: {
      LAUNCHER_SERVICES: 'gateway,document',
      RATE_LIMIT_REQUESTS: '100000',
      S3_BUCKET: `outage-${randomBytes(4).toString('hex')}`,
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      S3_REQUEST_TIMEOUT_MS: '1500',
    },
  });
  api = apiClient(platform.gatewayUrl);
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await proxy?.close();
}, 90_000);

type Phase = 'before' | 'stalled' | 'after';
type Answer = PhasedAnswer<Phase>;

const note = (n: number): FormData => {
  const form = new FormData();
  form.append('file', new Blob([`Note ${n}: the Calvin cycle fixes carbon dioxide in the stroma.`], { type: 'text/plain' }), `note-${n}.txt`);
  return form;
};

describe('the S3 endpoint stalled under load', () => {
  it('answers 503 naming storage instead of hanging, keeps serving what needs no file, and recovers unaided', async () => {
    onTestFailed(() => console.log(platform.output.join('').slice(-6000)));
    const register = await api('POST', '/api/v1/auth/register', {
      json: { email: `s3-outage-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' },
    });
    expect(register.status).toBe(201);
    const token = register.body.data.token as string;
    const first = await api('POST', '/api/v1/documents/upload', { token, form: note(0) });
    expect(first.status).toBe(201);
    const documentId = first.body.data.id as number;
    const statusOf = async (): Promise<string> => (await api('GET', `/api/v1/documents/${documentId}`, { token })).body.data.status;
    await waitFor('the first document to be processed', async () => ((await statusOf()) === 'completed' ? true : undefined));

    let phase: Phase = 'before';
    // A call counts as made while stalled when it began or ended then.
    const during = (began: Phase): Phase => (began === phase ? began : 'stalled');
    let loading = true;
    const uploads: Answer[] = [];
    const reads: Answer[] = [];
    const uploader = async (): Promise<void> => {
      for (let n = 1; loading; n++) {
        const at = phase;
        const res = await api('POST', '/api/v1/documents/upload', { token, form: note(n) });
        uploads.push({ phase: during(at), status: res.status, body: res.body });
        await new Promise((done) => setTimeout(done, 250));
      }
    };
    const reader = async (): Promise<void> => {
      while (loading) {
        for (const path of ['/api/v1/documents', `/api/v1/documents/${documentId}`, '/api/v1/documents/search?q=calvin']) {
          const at = phase;
          const res = await api('GET', path, { token });
          reads.push({ phase: during(at), status: res.status, body: res.body });
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    };
    const load = Promise.all([uploader(), uploader(), reader()]);
    const count = (at: Phase, status: number): number => uploads.filter((a) => a.phase === at && a.status === status).length;
    await waitFor('uploads before the stall', async () => (count('before', 201) >= 4 ? true : undefined));

    phase = 'stalled';
    proxy.stall();
    // Processing it again needs its file: the worker meets the stall too.
    expect((await api('POST', `/api/v1/documents/${documentId}/process`, { token })).status).toBe(202);
    await waitFor('uploads refused while storage is stalled', async () => (count('stalled', 503) >= 4 ? true : undefined));
    const ready = await fetch(`${platform.services.document}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ details: { down: ['storage'] } });

    proxy.resume();
    phase = 'after';
    await waitFor('uploads to work again', async () => (count('after', 201) >= 4 ? true : undefined));
    // Unaided: the document whose processing met the stall waits for storage, then completes.
    await waitFor('the document processed again', async () => {
      const status = await statusOf();
      return ['completed', 'failed'].includes(status) ? status : undefined;
    }).then((status) => expect(status).toBe('completed'));
    loading = false;
    await load;

    // While stalled: a 503 in the error format naming storage, never a 500, a gateway 504 or a hang.
    expectRefusedNaming(uploads, 'stalled', 201, 'storage');
    // What needs no file answers throughout.
    expect(reads.filter((a) => a.status !== 200)).toEqual([]);
    expect(reads.filter((a) => a.phase === 'stalled').length).toBeGreaterThan(0);
    // A refused upload left no document behind; every accepted one is there.
    const listed = (await allPages<{ id: number }>(api, '/api/v1/documents', token)).map((d) => d.id);
    const accepted = uploads.filter((a) => a.status === 201).map((a) => a.body.data.id as number);
    expect(listed.sort((a, b) => a - b)).toEqual(
      [documentId, ...accepted].sort((a, b) => a - b),
    );
  }, 180_000);
});
