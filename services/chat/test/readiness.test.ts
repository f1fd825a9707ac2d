import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import { closedPortUrl, startBedrockStandIn, startChatCompletionsStandIn, testSecret } from '@learner/common/testing';
import { startChat } from './support/chat-harness.js';

type Chat = Awaited<ReturnType<typeof startChat>>;

const running: Array<{ close(): Promise<void> }> = [];
async function chatWith(options: Parameters<typeof startChat>[0]): Promise<Chat> {
  const chat = await startChat(options);
  running.push(chat);
  return chat;
}

/** The real document service, without its processing worker: the readiness check asks its /health. */
let documentService: RunningDocumentService;
beforeAll(async () => {
  documentService = await startDocumentService({ secret: testSecret(), processing: false });
  running.push({ close: () => documentService.stop() });
});
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
});

describe('/ready of the chat service', () => {
  it('checks the document service and the LLM endpoint that writes the answers, and is ready while both answer', async () => {
    const llm = await startChatCompletionsStandIn(() => ({ status: 200, body: {} }));
    running.push(llm);
    const chat = await chatWith({ documentServiceUrl: documentService.url, env: { LLM_BASE_URL: llm.url, LLM_MODEL: 'small' } });
    const res = await request(chat.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { document_service: { status: 'up' }, llm: { status: 'up' } } });
    // The endpoint was asked for its models, never for an answer.
    expect(llm.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
  });

  it('is degraded, naming each, while the document service or the LLM endpoint does not answer: the sessions still work', async () => {
    const chat = await chatWith({ documentServiceUrl: await closedPortUrl(), env: { LLM_BASE_URL: `${await closedPortUrl()}/v1`, LLM_MODEL: 'small' } });
    const res = await request(chat.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.degraded.sort()).toEqual(['document_service', 'llm']);
    expect(res.body.checks.llm).toMatchObject({ status: 'down', error: 'LLM endpoint could not be reached' });
    const user = { id: 'user-ready', email: 'ready@example.com' };
    expect((await chat.as(user).post('/api/v1/chat/sessions', { title: 'Still here' })).status).toBe(201);
  });

  it('names Bedrock when it writes the answers and refuses the credentials', async () => {
    const bedrock = await startBedrockStandIn(() => ({
      status: 403,
      body: { message: 'The security token included in the request is invalid.' },
      headers: { 'x-amzn-errortype': 'UnrecognizedClientException' },
    }));
    running.push(bedrock);
    const chat = await chatWith({
      documentServiceUrl: documentService.url,
      env: {
        BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
        BEDROCK_ENDPOINT_URL: bedrock.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    });
    const res = await request(chat.app).get('/ready');
    expect(res.body).toMatchObject({ status: 'degraded', degraded: ['bedrock'], checks: { document_service: { status: 'up' }, bedrock: { status: 'down' } } });
    expect(res.body.checks.bedrock.error).toMatch(/UnrecognizedClientException/);
  });
});
