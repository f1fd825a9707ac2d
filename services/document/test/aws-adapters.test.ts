import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, type ObjectStorage } from '@learner/common/storage';
import { requireInfra } from '@learner/common/testing';
import { createTextractClient, createTextractOcr } from '../src/ocr/textract-ocr.js';
import { ProcessingError } from '../src/processing/processing-error.js';
import { ONE_PIXEL_PNG, textPdf } from './fixtures.js';
import { startHarness, upload, waitForProcessing, type Harness } from './harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let moto: string;
let bucket: string;
let s3: ObjectStorage;
let h: Harness;

beforeAll(async () => {
  moto = requireInfra('MOTO_ENDPOINT');
  bucket = `documents-${randomBytes(4).toString('hex')}`;
  s3 = createS3Storage({ bucket, region: 'us-east-1', endpoint: moto, credentials, createBucket: true });
  h = await startHarness({ storage: s3 });
});
afterAll(async () => {
  await h?.close();
});

describe('documents in S3 (moto)', () => {
  it('stores an upload under the user’s key, serves the exact bytes by a presigned link, processes it, and deletes it', async () => {
    const user = h.newUser();
    const pdf = await textPdf([['Glaciers carve U-shaped valleys as they move downhill.']]);
    const created = await upload(h, user, pdf, 'glaciers.pdf');
    expect(created.status).toBe(201);
    const id = created.body.data.id as number;
    const { rows } = await h.db.pool.query<{ s3_key: string }>('SELECT s3_key FROM documents WHERE id = $1', [id]);
    const key = rows[0]!.s3_key;
    expect(key).toMatch(new RegExp(`^users/${user.id}/documents/[0-9a-f-]{36}-glaciers\\.pdf$`));
    expect(await s3.exists(key)).toBe(true);

    const link = await request(h.app).get(`/api/v1/documents/${id}/download`).set(h.as(user));
    expect(link.status).toBe(200);
    expect(link.body.data.url).toContain(`/${bucket}/`);
    expect(link.body.data.url).toContain('X-Amz-Signature=');
    const fetched = await fetch(link.body.data.url as string);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await fetched.arrayBuffer()), pdf)).toBe(0);

    const doc = await waitForProcessing(h, user, id);
    expect(doc).toMatchObject({ status: 'completed', pages: 1 });

    await request(h.app).delete(`/api/v1/documents/${id}`).set(h.as(user)).expect(200);
    expect(await s3.exists(key)).toBe(false);
  });
});

describe('the Textract adapter against moto', () => {
  it('runs the asynchronous job for a multi-page PDF in S3 to completion, answering every page asked for', async () => {
    const key = `users/u1/documents/${randomBytes(4).toString('hex')}-scan.pdf`;
    const pdf = await textPdf([['one'], ['two'], ['three']]);
    await s3.put(key, pdf, { contentType: 'application/pdf' });
    const ocr = createTextractOcr({
      client: createTextractClient({ region: 'us-east-1', endpoint: moto, credentials }),
      bucket,
      pollMs: 10,
      timeoutMs: 10_000,
    });
    const texts = await ocr.pdfPages({ bytes: pdf, storageKey: key, pageCount: 3 }, [2, 3]);
    // moto answers canned (empty) blocks: the job flow is what is checked here, not the text.
    expect([...texts.keys()]).toEqual([2, 3]);
    expect(await ocr.image(ONE_PIXEL_PNG)).toBe('');

    // Without a bucket (local storage), each page is rendered and sent to DetectDocumentText.
    const local = createTextractOcr({
      client: createTextractClient({ region: 'us-east-1', endpoint: moto, credentials }),
      pollMs: 10,
      timeoutMs: 10_000,
    });
    expect(await local.pdfPages({ bytes: pdf, storageKey: key, pageCount: 3 }, [1])).toEqual(new Map([[1, '']]));
  });
});

/**
 * Textract at its HTTP boundary (AWS JSON 1.1), for what moto does not do: a job that is still
 * running, results spread over several NextToken pages, and a failed job.
 */
function startTextractStandIn(script: { failJob?: boolean }) {
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const blocks = [
    { BlockType: 'PAGE', Page: 1 },
    { BlockType: 'LINE', Page: 1, Text: 'First line of page one' },
    { BlockType: 'WORD', Page: 1, Text: 'First' },
    { BlockType: 'LINE', Page: 2, Text: 'Page two begins here' },
    { BlockType: 'LINE', Page: 1, Text: 'Second line of page one' },
    { BlockType: 'LINE', Page: 2, Text: 'and page two ends here' },
    { BlockType: 'LINE', Page: 3, Text: 'Page three' },
  ];
  let polls = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace('Textract.', '');
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target === 'StartDocumentTextDetection') {
        res.end(JSON.stringify({ JobId: 'job-1' }));
        return;
      }
      if (target === 'GetDocumentTextDetection') {
        polls += 1;
        if (polls <= 2) {
          res.end(JSON.stringify({ JobStatus: 'IN_PROGRESS' }));
          return;
        }
        if (script.failJob) {
          res.end(JSON.stringify({ JobStatus: 'FAILED', StatusMessage: 'The document is unreadable' }));
          return;
        }
        const page = Number(body.NextToken ?? 0);
        const slice = blocks.slice(page * 3, page * 3 + 3);
        const next = page * 3 + 3 < blocks.length ? String(page + 1) : undefined;
        res.end(JSON.stringify({ JobStatus: 'SUCCEEDED', Blocks: slice, ...(next ? { NextToken: next } : {}) }));
        return;
      }
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'InvalidParameterException', message: 'unexpected call' }));
    });
  });
  return new Promise<{ url: string; calls: typeof calls; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

function standInOcr(url: string) {
  return createTextractOcr({
    client: createTextractClient({ region: 'us-east-1', endpoint: url, credentials }),
    bucket: 'docs',
    pollMs: 5,
    timeoutMs: 10_000,
  });
}

describe('the Textract job flow', () => {
  it('polls a running job until it succeeds and gathers LINE blocks per page across NextToken pages', async () => {
    const standIn = await startTextractStandIn({});
    try {
      const ocr = standInOcr(standIn.url);
      const texts = await ocr.detectInS3('users/u/documents/x.pdf', [1, 2]);
      expect(texts).toEqual(
        new Map([
          [1, 'First line of page one\nSecond line of page one'],
          [2, 'Page two begins here\nand page two ends here'],
        ]),
      );
      expect(standIn.calls[0]).toEqual({
        target: 'StartDocumentTextDetection',
        body: { DocumentLocation: { S3Object: { Bucket: 'docs', Name: 'users/u/documents/x.pdf' } } },
      });
      const gets = standIn.calls.filter((c) => c.target === 'GetDocumentTextDetection');
      expect(gets.map((g) => g.body.NextToken ?? null)).toEqual([null, null, null, '1', '2']);
      expect(gets.every((g) => g.body.JobId === 'job-1')).toBe(true);
    } finally {
      await standIn.close();
    }
  });

  it('turns a failed job into a processing error with Textract’s reason', async () => {
    const standIn = await startTextractStandIn({ failJob: true });
    try {
      const ocr = standInOcr(standIn.url);
      const failure = ocr.detectInS3('k.pdf', [1]);
      await expect(failure).rejects.toBeInstanceOf(ProcessingError);
      await expect(failure).rejects.toThrow('Textract could not read this document: The document is unreadable');
    } finally {
      await standIn.close();
    }
  });
});

describe('/ready with Textract as the OCR engine', () => {
  const textract = (endpoint: string) =>
    createTextractOcr({
      client: createTextractClient({ region: 'us-east-1', endpoint, credentials }),
      pollMs: 10,
      timeoutMs: 10_000,
    });

  it('names Textract as up while moto answers', async () => {
    const service = await startHarness({ worker: false, ocr: textract(moto) });
    try {
      const res = await request(service.app).get('/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ready', checks: { textract: { status: 'up' } } });
    } finally {
      await service.close();
    }
  });

  it('is degraded (scans cannot be read, the rest works) naming Textract when its endpoint does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const service = await startHarness({ worker: false, ocr: textract(`http://127.0.0.1:${port}`) });
    try {
      const res = await request(service.app).get('/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'degraded', degraded: ['textract'], checks: { textract: { status: 'down' } } });
    } finally {
      await service.close();
    }
  });
});
