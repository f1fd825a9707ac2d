import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentTextDetectionCommand,
  TextractClient,
  TextractServiceException,
  type Block,
} from '@aws-sdk/client-textract';
import { ProcessingError } from '../processing/processing-error.js';
import type { OcrEngine } from './ocr-engine.js';
import { renderPage, scanDpi } from './pdf-raster.js';
import { inTempDir } from './temp-dir.js';

export interface TextractOcrOptions {
  client: TextractClient;
  /** The bucket documents are stored in; without it (local storage) every page is sent as an image. */
  bucket?: string | undefined;
  pollMs: number;
  timeoutMs: number;
  /** Resolution pages are rendered at for the synchronous API, at most the scan's own. */
  maxRenderDpi?: number;
}

export function createTextractClient(options: {
  region: string;
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}): TextractClient {
  return new TextractClient({
    region: options.region,
    maxAttempts: 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/** AWS errors become messages for the document's owner, naming the kind of problem only. */
function readable(err: unknown): Error {
  if (err instanceof ProcessingError) return err;
  const name = err instanceof TextractServiceException || err instanceof Error ? err.name : 'Error';
  switch (name) {
    case 'UnsupportedDocumentException':
      return new ProcessingError('Textract does not support this document format', { cause: err });
    case 'BadDocumentException':
      return new ProcessingError('Textract could not read this document; it may be damaged', { cause: err });
    case 'DocumentTooLargeException':
      return new ProcessingError('The page is too large for Textract', { cause: err });
    default:
      return new ProcessingError(`Text recognition with Textract failed (${name}); try processing again later`, {
        cause: err,
      });
  }
}

/** LINE blocks in reading order, grouped by page (blocks of the synchronous API have no page: 1). */
export function linesByPage(blocks: Block[]): Map<number, string[]> {
  const pages = new Map<number, string[]>();
  for (const block of blocks) {
    if (block.BlockType !== 'LINE' || !block.Text) continue;
    const page = block.Page ?? 1;
    const lines = pages.get(page) ?? [];
    lines.push(block.Text);
    pages.set(page, lines);
  }
  return pages;
}

/** A well-formed job id no job has; asked for by the readiness check. */
const READY_PROBE_JOB_ID = '0'.repeat(64);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Amazon Textract: DetectDocumentText for an image or a single page, and for a multi-page PDF in
 * S3, one StartDocumentTextDetection job polled until it ends, its results read page by page.
 */
export function createTextractOcr(options: TextractOcrOptions): OcrEngine & {
  detectInS3(key: string, pages: number[]): Promise<Map<number, string>>;
} {
  const { client } = options;

  const detectBytes = async (bytes: Buffer): Promise<string> => {
    try {
      const out = await client.send(new DetectDocumentTextCommand({ Document: { Bytes: bytes } }));
      return [...linesByPage(out.Blocks ?? []).values()].flat().join('\n');
    } catch (err) {
      throw readable(err);
    }
  };

  const detectInS3 = async (key: string, pages: number[]): Promise<Map<number, string>> => {
    if (!options.bucket) throw new ProcessingError('Textract needs the document in S3');
    try {
      const started = await client.send(
        new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: { Bucket: options.bucket, Name: key } } }),
      );
      const jobId = started.JobId;
      if (!jobId) throw new ProcessingError('Textract did not start a text detection job');
      const deadline = Date.now() + options.timeoutMs;
      const blocks: Block[] = [];
      let nextToken: string | undefined;
      for (;;) {
        const out = await client.send(
          new GetDocumentTextDetectionCommand({ JobId: jobId, ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        if (out.JobStatus === 'IN_PROGRESS') {
          if (Date.now() > deadline) {
            throw new ProcessingError(`Textract did not finish within ${Math.round(options.timeoutMs / 1000)} s`);
          }
          await sleep(options.pollMs);
          continue;
        }
        if (out.JobStatus === 'FAILED') {
          throw new ProcessingError(`Textract could not read this document${out.StatusMessage ? `: ${out.StatusMessage}` : ''}`);
        }
        blocks.push(...(out.Blocks ?? []));
        nextToken = out.NextToken;
        if (!nextToken) break;
      }
      const lines = linesByPage(blocks);
      return new Map(pages.map((p) => [p, (lines.get(p) ?? []).join('\n')]));
    } catch (err) {
      throw readable(err);
    }
  };

  return {
    name: 'textract',
    image: detectBytes,
    detectInS3,
    async pdfPages(pdf, pages) {
      if (options.bucket && pdf.pageCount > 1) return detectInS3(pdf.storageKey, pages);
      return inTempDir(async (dir) => {
        const pdfPath = join(dir, 'document.pdf');
        await writeFile(pdfPath, pdf.bytes);
        const texts = new Map<number, string>();
        for (const page of pages) {
          const dpi = Math.min(options.maxRenderDpi ?? 300, await scanDpi(pdfPath, page, options.timeoutMs));
          const image = await renderPage(pdfPath, page, { dir, dpi, format: 'png', timeoutMs: options.timeoutMs });
          texts.set(page, await detectBytes(await readFile(image)));
          await rm(image, { force: true });
        }
        return texts;
      });
    },
    // Free and without side effects: Textract answering "no such job" proves the endpoint and the
    // credentials work; an unreachable endpoint or refused credentials fail differently.
    async check() {
      try {
        await client.send(new GetDocumentTextDetectionCommand({ JobId: READY_PROBE_JOB_ID }));
      } catch (err) {
        if (err instanceof Error && err.name === 'InvalidJobIdException') return;
        throw err;
      }
    },
  };
}
