// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client.js';
import { AppContext } from '../app-context.js';
import { createSessionStore } from '../auth/session-store.js';
import { failure, fakeToken, memoryStorage, startFakeGateway, success, type FakeGateway } from '../testing/fake-gateway.js';
import { Uploader } from './uploader.js';
import { percentSent, uploadKind, type UploadResult } from './uploads.js';

let gateway: FakeGateway;
let uploaded: UploadResult[];

beforeEach(async () => {
  gateway = await startFakeGateway();
  uploaded = [];
  const session = createSessionStore(memoryStorage());
  session.set({ token: fakeToken('t', Math.floor(Date.now() / 1000) + 3600), refreshToken: 'r', user: { id: 'u', email: 'a@b.c', name: null } });
  const api = createApiClient({ baseUrl: gateway.url, session });
  render(
    <AppContext.Provider value={{ api, session }}>
      <Uploader onUploaded={(r) => uploaded.push(r)} />
    </AppContext.Provider>,
  );
});
afterEach(async () => {
  cleanup();
  await gateway.close();
});

function pick(...files: File[]) {
  fireEvent.change(screen.getByLabelText('Choose files'), { target: { files } });
}

const pdf = () => new File(['%PDF-1.4 a page about cells'], 'cells.pdf', { type: 'application/pdf' });

describe('uploading files', () => {
  it('shows a progress bar while the file is sent, then says processing started', async () => {
    gateway.on('POST /api/v1/documents/upload', () => ({ ...success({ id: 7, title: 'cells', status: 'uploaded' }, 201), delayMs: 300 }));
    pick(pdf());

    // (jsdom reports the bytes sent only once the answer comes; the browser test watches the bar fill.)
    const bar = (await screen.findByRole('progressbar', { name: 'Uploading cells.pdf' })) as HTMLProgressElement;
    expect(bar.max).toBe(100);
    expect(await screen.findByText(/Uploaded: processing started/)).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(uploaded).toEqual([{ kind: 'document', document: expect.objectContaining({ id: 7 }) }]);
    expect(gateway.requests[0]?.body).toContain('name="file"; filename="cells.pdf"');
  });

  it('sends audio to be transcribed, as the audio field', async () => {
    gateway.on('POST /api/v1/stt/transcribe', () => success({ id: 'job-1', status: 'queued' }, 202));
    pick(new File([new Uint8Array([0x52, 0x49, 0x46, 0x46])], 'lecture.wav', { type: 'audio/wav' }));
    expect(await screen.findByText(/transcription started/)).toBeTruthy();
    expect(gateway.requests[0]?.body).toContain('name="audio"; filename="lecture.wav"');
    expect(uploaded[0]?.kind).toBe('recording');
  });

  it('a file over the limit says the limit; a file of the wrong type says what is accepted', async () => {
    gateway.on('POST /api/v1/documents/upload', (req) =>
      req.body.includes('big.pdf')
        ? failure(413, 'PayloadTooLarge', 'The request body is too large', { limit_bytes: 10_485_760 })
        : failure(415, 'UnsupportedMediaType', 'Only PDF, UTF-8 text or markdown, PNG and JPEG files are accepted'),
    );
    pick(new File(['%PDF big'], 'big.pdf', { type: 'application/pdf' }), new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' }));

    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    const messages = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(messages).toContain('The file is too large: the limit is 10 MB.');
    expect(messages).toContain('This type of file is not accepted. Accepted: PDF, text (.txt, .md), PNG or JPEG images.');
    expect(uploaded).toEqual([]);
  });
});

describe('upload progress arithmetic', () => {
  it('counts whole percent and reaches 100 only when every byte has left', () => {
    expect(percentSent(null)).toBe(0);
    expect(percentSent({ loaded: 0, total: 0 })).toBe(0);
    expect(percentSent({ loaded: 999, total: 1000 })).toBe(99);
    expect(percentSent({ loaded: 1000, total: 1000 })).toBe(100);
  });

  it('tells audio from documents by type or by name', () => {
    expect(uploadKind({ name: 'talk.webm', type: '' })).toBe('recording');
    expect(uploadKind({ name: 'x', type: 'audio/ogg' })).toBe('recording');
    expect(uploadKind({ name: 'notes.md', type: 'text/markdown' })).toBe('document');
  });
});
