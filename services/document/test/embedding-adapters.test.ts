import { LOCAL_EMBEDDING_MODEL } from '../src/config.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockStandIn, startChatCompletionsStandIn, type LlmStandIn, type StandInReply } from '@learner/common/testing';
import { createBedrockEmbedder } from '../src/embeddings/bedrock-embedder.js';
import { createOpenAiEmbedder } from '../src/embeddings/openai-embedder.js';
import { closedPortUrl, embeddingsBaseUrl } from './embedding-test-server.js';

interface EmbeddingsBody {
  model: string;
  input: string[];
  input_type?: string;
}
interface TitanBody {
  inputText: string;
  dimensions: number;
  normalize: boolean;
}

const vectorsFor = (input: string[]) => ({ data: input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, 1, 0] })) });

describe('the OpenAI-compatible embeddings adapter', () => {
  let endpoint: LlmStandIn<EmbeddingsBody>;
  let reply: ((body: EmbeddingsBody) => StandInReply) | undefined;
  beforeAll(async () => {
    endpoint = await startChatCompletionsStandIn<EmbeddingsBody>(
      (req) => reply?.(req.body) ?? { status: 200, body: vectorsFor(req.body.input) },
      'embeddings',
    );
  });
  afterEach(() => {
    reply = undefined;
  });
  afterAll(() => endpoint.close());

  const embedder = (more: Partial<Parameters<typeof createOpenAiEmbedder>[0]> = {}) =>
    createOpenAiEmbedder({ baseUrl: endpoint.url, model: 'text-embedding-3-small', batchSize: 2, timeoutMs: 2000, ...more });

  it('sends the texts in batches with the model, the key, the kind and the prefixes asked for, and keeps their order', async () => {
    endpoint.requests.length = 0;
    const vectors = await embedder({ apiKey: 'sk-test', inputType: true, passagePrefix: 'passage: ' }).embed(['a', 'bb', 'ccc'], 'passage');
    expect(vectors).toEqual([[10, 1, 0], [11, 1, 0], [12, 1, 0]]);
    expect(endpoint.requests.map((r) => r.body)).toEqual([
      { model: 'text-embedding-3-small', input: ['passage: a', 'passage: bb'], encoding_format: 'float', input_type: 'passage' },
      { model: 'text-embedding-3-small', input: ['passage: ccc'], encoding_format: 'float', input_type: 'passage' },
    ]);
    expect(endpoint.requests[0]!.headers.authorization).toBe('Bearer sk-test');
    await embedder({ queryPrefix: 'query: ' }).embed(['why'], 'query');
    expect(endpoint.requests.at(-1)!.body).toEqual({ model: 'text-embedding-3-small', input: ['query: why'], encoding_format: 'float' });
  });

  it('puts vectors answered out of order back in the order of the texts', async () => {
    reply = (body) => ({ status: 200, body: { data: vectorsFor(body.input).data.reverse() } });
    expect(await embedder().embed(['a', 'bb'], 'passage')).toEqual([[1, 1, 0], [2, 1, 0]]);
  });

  it('fails with the status of a 4xx or 5xx answer', async () => {
    for (const status of [400, 401, 429, 500, 503]) {
      reply = () => ({ status, body: { error: { message: 'no' } } });
      await expect(embedder().embed(['a'], 'passage')).rejects.toMatchObject({ name: 'EmbeddingError', reason: 'status', status });
    }
  });

  it('fails at its deadline, a shorter one for search texts', async () => {
    reply = (body) => ({ status: 200, body: vectorsFor(body.input), delayMs: 600 });
    await expect(embedder({ timeoutMs: 200 }).embed(['a'], 'passage')).rejects.toMatchObject({ reason: 'timeout' });
    const started = performance.now();
    await expect(embedder({ timeoutMs: 5000, queryTimeoutMs: 100 }).embed(['a'], 'query')).rejects.toMatchObject({ reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('gives a document’s terms, taken as questions, the deadline of a batch of passages, not a search’s', async () => {
    reply = (body) => ({ status: 200, body: vectorsFor(body.input), delayMs: 600 });
    endpoint.requests.length = 0;
    const terms = await embedder({ timeoutMs: 5000, queryTimeoutMs: 100, inputType: true }).embed(['erosion', 'sediment'], 'query', { batch: true });
    expect(terms).toHaveLength(2);
    // Still embedded as questions (the server adds its query instruction).
    expect(endpoint.requests.map((r) => r.body.input_type)).toEqual(['query']);
  });

  it('gives its requests up when the caller stops waiting, before any deadline, and sends none once it has', async () => {
    reply = (body) => ({ status: 200, body: vectorsFor(body.input), delayMs: 3000 });
    endpoint.requests.length = 0;
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const started = performance.now();
    await expect(embedder({ timeoutMs: 60_000 }).embed(['a', 'bb', 'ccc'], 'query', { batch: true, signal: caller.signal })).rejects.toMatchObject({
      name: 'EmbeddingError',
      reason: 'cancelled',
    });
    expect(performance.now() - started).toBeLessThan(2000);
    // The first batch was sent; the second never is.
    expect(endpoint.requests).toHaveLength(1);
    await expect(embedder().embed(['a'], 'passage', { signal: caller.signal })).rejects.toMatchObject({ reason: 'cancelled' });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('fails on an answer without one vector per text, or not JSON', async () => {
    reply = () => ({ status: 200, body: { data: [{ index: 0, embedding: [1, 2] }] } });
    await expect(embedder().embed(['a', 'b'], 'passage')).rejects.toMatchObject({ reason: 'malformed' });
    reply = () => ({ status: 200, body: { data: [{ index: 0, embedding: [1, 2] }, { index: 1, embedding: [1] }] } });
    await expect(embedder().embed(['a', 'b'], 'passage')).rejects.toMatchObject({ reason: 'malformed' });
    reply = () => ({ status: 200, body: 'not an object' });
    await expect(embedder().embed(['a'], 'passage')).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('checks readiness by listing the models, or by embedding a word where there is no such route', async () => {
    endpoint.requests.length = 0;
    await expect(embedder().check()).resolves.toBeUndefined();
    expect(endpoint.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models', 'POST /v1/embeddings']);
    reply = () => ({ status: 500, body: {} });
    await expect(embedder().check()).rejects.toMatchObject({ reason: 'status', status: 500 });
  });

  it('fails as unreachable when nothing listens', async () => {
    const down = createOpenAiEmbedder({ baseUrl: await closedPortUrl(), model: 'm', batchSize: 8, timeoutMs: 2000 });
    await expect(down.embed(['a'], 'query')).rejects.toMatchObject({ reason: 'unreachable' });
    await expect(down.check()).rejects.toThrow(/could not be reached/);
  });

  // The one local server may be queueing other tests' work on this 2-core machine.
  it('gets bge vectors from the local server, a question (with its instruction) and a passage embedded differently', { timeout: 120_000 }, async () => {
    const local = createOpenAiEmbedder({ baseUrl: embeddingsBaseUrl(), model: LOCAL_EMBEDDING_MODEL, inputType: true, batchSize: 32, timeoutMs: 60_000 });
    const [asQuery] = await local.embed(['osmosis'], 'query');
    const [asPassage] = await local.embed(['osmosis'], 'passage');
    expect(asQuery).toHaveLength(384);
    expect(asPassage).toHaveLength(384);
    expect(asQuery).not.toEqual(asPassage);
    await expect(local.check()).resolves.toBeUndefined();
  });

  // A passage uploaded twice, or re-embedded by the backfill, must rank the same: its vector may
  // not depend on which other passages it was sent with.
  it('gives a passage the same vector from the local server whether it is sent alone or among others', { timeout: 120_000 }, async () => {
    const local = createOpenAiEmbedder({ baseUrl: embeddingsBaseUrl(), model: LOCAL_EMBEDDING_MODEL, inputType: true, batchSize: 32, timeoutMs: 60_000 });
    const passage = 'Chemical messages, known as pheromones, carry information about the reproductive status of a potential mate.';
    const [alone] = await local.embed([passage], 'passage');
    const [, among] = await local.embed(
      [
        'Short one.',
        passage,
        'The sociological imagination links personal troubles to public issues. '.repeat(12),
        'Erosion in the hills supplies the material that deposition leaves behind.',
      ],
      'passage',
    );
    const largestDifference = Math.max(...alone!.map((x, i) => Math.abs(x - among![i]!)));
    expect(largestDifference).toBeLessThan(1e-6);
  });

  // A learner's question is not held behind a whole document being embedded: it waits for the
  // texts being run when it arrives, not for the rest of the document.
  it('answers a search text from the local server while a long run of passages is still being embedded', { timeout: 120_000 }, async () => {
    const local = createOpenAiEmbedder({ baseUrl: embeddingsBaseUrl(), model: LOCAL_EMBEDDING_MODEL, inputType: true, batchSize: 500, timeoutMs: 110_000 });
    const passages = Array.from({ length: 200 }, (_, i) => `Passage ${i}: erosion in the hills supplies the sediment that rivers carry and deposition leaves behind on the plain.`);
    const started = performance.now();
    let passagesDone = 0;
    const document = local.embed(passages, 'passage').then((vectors) => {
      passagesDone = performance.now();
      return vectors;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const asked = performance.now();
    const [question] = await local.embed(['Where does the sediment come from?'], 'query');
    const answered = performance.now();
    expect(question).toHaveLength(384);
    expect(await document).toHaveLength(200);
    expect(passagesDone).toBeGreaterThan(answered);
    // Measured against the document's own time, so that it holds on a fast machine and a slow one
    // (here: the question 60 ms, the document 3.8 s; on a server taking whole requests in turn the
    // question waited 3.5 s).
    expect(answered - asked).toBeLessThan((passagesDone - started) / 4);
  });
});

describe('the Bedrock Titan Text Embeddings v2 adapter', () => {
  let bedrock: LlmStandIn<TitanBody>;
  let reply: ((body: TitanBody) => StandInReply) | undefined;
  beforeAll(async () => {
    bedrock = await startBedrockStandIn<TitanBody>(
      (req) => reply?.(req.body) ?? { status: 200, body: { embedding: [req.body.inputText.length, 0.5], inputTextTokenCount: 3 } },
      'invoke',
    );
  });
  afterEach(() => {
    reply = undefined;
  });
  afterAll(() => bedrock.close());

  const titan = (timeoutMs = 2000) =>
    createBedrockEmbedder({
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 512,
      region: 'eu-west-1',
      endpoint: bedrock.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      timeoutMs,
    });

  it('invokes the model once per text, signed, asking for normalised vectors of the chosen size, in order', async () => {
    bedrock.requests.length = 0;
    expect(await titan().embed(['a', 'bb', 'ccc'], 'passage')).toEqual([[1, 0.5], [2, 0.5], [3, 0.5]]);
    expect(bedrock.requests).toHaveLength(3);
    const request = bedrock.requests[0]!;
    expect(decodeURIComponent(request.path)).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
    expect(request.headers.authorization).toMatch(/Credential=AKIDTEST\/\d{8}\/eu-west-1\/bedrock\//);
    expect(request.headers['content-type']).toBe('application/json');
    expect(bedrock.requests.map((r) => r.body).sort((x, y) => x.inputText.length - y.inputText.length)).toEqual([
      { inputText: 'a', dimensions: 512, normalize: true },
      { inputText: 'bb', dimensions: 512, normalize: true },
      { inputText: 'ccc', dimensions: 512, normalize: true },
    ]);
    expect(titan().model).toBe('amazon.titan-embed-text-v2:0/512');
  });

  it('fails with the status of an error answer, on an answer without a vector, and at its deadline', async () => {
    reply = () => ({ status: 400, body: { message: 'Malformed input request' }, headers: { 'x-amzn-errortype': 'ValidationException' } });
    await expect(titan().embed(['a'], 'passage')).rejects.toMatchObject({ name: 'EmbeddingError', reason: 'status', status: 400, message: expect.stringMatching(/ValidationException/) });
    reply = () => ({ status: 200, body: { vector: [1] } });
    await expect(titan().embed(['a'], 'query')).rejects.toMatchObject({ reason: 'malformed' });
    reply = () => ({ status: 200, body: { embedding: [1] }, delayMs: 800 });
    await expect(titan(150).embed(['a'], 'query')).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('gives its calls up when the caller stops waiting, before any deadline', async () => {
    reply = () => ({ status: 200, body: { embedding: [1] }, delayMs: 3000 });
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const started = performance.now();
    await expect(titan(60_000).embed(['erosion', 'sediment'], 'query', { batch: true, signal: caller.signal })).rejects.toMatchObject({
      name: 'EmbeddingError',
      reason: 'cancelled',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('waits for a document’s terms as long as for its passages, and for a search text only its shorter deadline', async () => {
    reply = () => ({ status: 200, body: { embedding: [1] }, delayMs: 600 });
    const embedder = createBedrockEmbedder({
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 512,
      region: 'eu-west-1',
      endpoint: bedrock.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      timeoutMs: 5000,
      queryTimeoutMs: 150,
    });
    await expect(embedder.embed(['erosion'], 'query', { batch: true })).resolves.toEqual([[1]]);
    await expect(embedder.embed(['erosion'], 'query')).rejects.toMatchObject({ reason: 'timeout' });
  });
});
