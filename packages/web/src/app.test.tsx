// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from './api/client.js';
import { App } from './app.js';
import { createSessionStore, type SessionStore } from './auth/session-store.js';
import { failure, fakeToken, memoryStorage, startFakeGateway, success, type FakeGateway } from './testing/fake-gateway.js';

const user = { id: 'u1', email: 'ada@example.com', name: 'Ada' };
const token = fakeToken('t1', Math.floor(Date.now() / 1000) + 3600);
const doc = { id: 3, title: 'Plant biology', filename: 'plants.pdf', file_type: 'pdf', file_size: 2048, status: 'completed', error: null, pages: 2 };

let gateway: FakeGateway;
let session: SessionStore;

beforeEach(async () => {
  gateway = await startFakeGateway();
  session = createSessionStore(memoryStorage());
  window.location.hash = '';
});
afterEach(async () => {
  cleanup();
  await gateway.close();
});

function renderApp() {
  render(<App services={{ api: createApiClient({ baseUrl: gateway.url, session }), session }} />);
}

function signIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the app shell', () => {
  it('says why a sign-in failed, then signs in, lists the documents with the token, and signs out', async () => {
    gateway.on('POST /api/v1/auth/login', (req) =>
      JSON.parse(req.body).password === 'correct horse'
        ? success({ user, token, refresh_token: 'r1', expires_in: 86400 })
        : failure(401, 'Unauthenticated', 'Invalid email or password'),
    );
    gateway.on('GET /api/v1/documents', (req) => (req.authorization === `Bearer ${token}` ? success([doc]) : failure(401, 'Unauthenticated', 'No token')));
    gateway.on('POST /api/v1/auth/logout', () => success({ message: 'Logged out' }));
    renderApp();

    signIn('ada@example.com', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid email or password');

    signIn('ada@example.com', 'correct horse');
    await screen.findByRole('heading', { name: 'Library', level: 1 });
    const list = await screen.findByText('Plant biology');
    expect(list.getAttribute('href')).toBe('#/documents/3');
    expect(within(list.closest('li')!).getByText('Ready')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(session.get()).toBeNull();
    // The app forgets the session at once and tells the server after; the revocation arrives a moment later.
    await waitFor(() => expect(gateway.requests.some((r) => r.path === '/api/v1/auth/logout' && r.authorization === `Bearer ${token}`)).toBe(true));
  });

  it('shows a rate-limited library as a message with the wait, not a blank screen', async () => {
    session.set({ token, refreshToken: 'r1', user });
    gateway.on('GET /api/v1/documents', () => failure(429, 'RateLimited', 'Too many requests', { retry_after: 30 }, { 'Retry-After': '30' }));
    renderApp();
    expect((await screen.findByRole('alert')).textContent).toBe('Too many requests. Wait 30 seconds and try again.');
  });

  it('highlights the matches of a search and links each hit to its page', async () => {
    session.set({ token, refreshToken: 'r1', user });
    gateway.on('GET /api/v1/documents', () => success([doc]));
    gateway.on('GET /api/v1/documents/search', () =>
      success([{ document_id: 3, title: 'Plant biology', page: 2, passage_id: 9, snippet: 'The <b>Calvin</b> cycle uses ATP & <NADPH>', rank: 1 }]),
    );
    renderApp();
    fireEvent.change(await screen.findByLabelText('Search text'), { target: { value: 'Calvin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const hits = await screen.findByRole('list', { name: 'Search results' });
    expect(within(hits).getByText('Calvin').tagName).toBe('MARK');
    expect(hits.textContent).toContain('uses ATP & <NADPH>');
    expect(within(hits).getByRole('link').getAttribute('href')).toBe('#/documents/3/pages/2');
  });

  it('deletes the account from the account screen: a wrong password keeps the session, the right one ends it and says so', async () => {
    session.set({ token, refreshToken: 'r1', user });
    gateway.on('GET /api/v1/documents', () => success([doc]));
    gateway.on('DELETE /api/v1/auth/me', (req) =>
      JSON.parse(req.body).password === 'correct horse'
        ? success({ erasure_id: 'e1', status: 'pending', status_url: '/api/v1/auth/erasures/e1' }, 202)
        : failure(401, 'Unauthorized', 'The password is not correct'),
    );
    window.location.hash = '#/account';
    renderApp();
    await screen.findByRole('heading', { name: 'Account', level: 1 });
    const button = screen.getByRole('button', { name: 'Delete my account' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Password to confirm'), { target: { value: 'wrong' } });
    fireEvent.click(button);
    expect((await screen.findByRole('alert')).textContent).toBe('The password is not correct');
    expect(session.get()?.token).toBe(token);
    // A wrong password is not an expired token: no refresh was tried.
    expect(gateway.requests.some((r) => r.path === '/api/v1/auth/refresh')).toBe(false);

    fireEvent.change(screen.getByLabelText('Password to confirm'), { target: { value: 'correct horse' } });
    fireEvent.click(button);
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(session.get()).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Your account was deleted/);
    const deletes = gateway.requests.filter((r) => r.method === 'DELETE' && r.path === '/api/v1/auth/me');
    expect(deletes.map((r) => [r.authorization, JSON.parse(r.body).password])).toEqual([
      [`Bearer ${token}`, 'wrong'],
      [`Bearer ${token}`, 'correct horse'],
    ]);
  });
});
