import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentServiceClient, type DocumentServiceClient } from '@learner/common/contracts';
import { closeServer } from '@learner/common/http';
import { refusalOf } from '@learner/common/testing';
import { useBusyAndIdleHarnesses, waitForProcessing, type Harness } from './harness.js';

/**
 * The client chat, quiz and stt use checks every answer against the contract's schemas, so each
 * call below that resolves is a real answer of the document service that validates against them.
 */
const harnesses = useBusyAndIdleHarnesses();
let h: Harness;
const servers: Server[] = [];
let busyClient: DocumentServiceClient;
let idleClient: DocumentServiceClient;

async function listen(harness: Harness): Promise<DocumentServiceClient> {
  const server: Server = await new Promise((resolve) => {
    const s = harness.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return createDocumentServiceClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 10_000, internalTokens: harness.tokens });
}

beforeAll(async () => {
  h = harnesses.busy();
  busyClient = await listen(h);
  idleClient = await listen(harnesses.idle());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => closeServer(s)));
});

const TEXT = 'Glaciers carve valleys as they move.\n\nA glacier moves because its own weight makes the ice flow downhill.';

describe('the document service answers its internal routes in the shapes its clients check', () => {
  it('a text document: created, summarised, cut into passages and found by search', async () => {
    const user = h.newUser();
    const call = { user, requestId: 'contract-1' };
    const created = await busyClient.createTextDocument(call, { title: 'Glaciers', text: TEXT, source: 'transcription' });
    expect(created).toMatchObject({ title: 'Glaciers', filename: 'Glaciers.txt', status: 'uploaded', source: 'transcription' });
    await waitForProcessing(h, user, created.id);

    expect(await busyClient.getDocument(call, created.id)).toMatchObject({ id: created.id, status: 'completed', pages: 1 });
    const { passages } = await busyClient.getPassages(call, created.id);
    expect(passages.map((p) => p.text).join(' ')).toContain('its own weight makes the ice flow downhill');

    const found = await busyClient.search(call, { q: 'glacier weight', question: 'Why does a glacier move?', limit: 5, documentIds: [created.id] });
    expect(found.hits[0]).toMatchObject({ document_id: created.id, title: 'Glaciers', page: 1 });
    expect(found.meta.retrieval).toBe('full_text');
  });

  it("passes the service's refusals on as they were given: not found, not processed, not valid", async () => {
    const owner = h.newUser();
    const stranger = h.newUser();
    const waiting = await idleClient.createTextDocument({ user: owner }, { title: 'Waiting', text: TEXT });

    expect(await refusalOf(idleClient.getPassages({ user: owner }, waiting.id))).toMatchObject({
      status: 409,
      type: 'Conflict',
      details: { status: 'uploaded' },
    });
    expect(await refusalOf(idleClient.getDocument({ user: stranger }, waiting.id))).toMatchObject({ status: 404, type: 'NotFound' });
    expect(await refusalOf(busyClient.search({ user: owner }, { q: 'x'.repeat(501) }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
      details: { q: expect.any(String) },
    });
    expect(await refusalOf(busyClient.createTextDocument({ user: owner }, { title: 'Blank', text: '   ' }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
      details: { text: expect.any(String) },
    });
  });
});
