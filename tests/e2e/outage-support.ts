import { expect } from 'vitest';
import type { apiClient } from './platform-harness.js';

/** One answer seen by a client of an outage test, and when the call was made. */
export interface PhasedAnswer<P extends string> {
  phase: P;
  status: number;
  body: any;
}

/**
 * The calls made during the outage were done (`status`) or refused with a 503 in the error format
 * naming `dependency`, never a 500, a gateway 504 or a hang; every other call was done.
 */
export function expectRefusedNaming<P extends string>(answers: PhasedAnswer<P>[], outage: P, status: number, dependency: string): void {
  const during = answers.filter((a) => a.phase === outage);
  expect(during.filter((a) => a.status !== status && a.status !== 503)).toEqual([]);
  for (const refused of during.filter((a) => a.status === 503)) {
    expect(refused.body).toMatchObject({
      error: 'ServiceUnavailable',
      message: expect.stringMatching(new RegExp(dependency, 'i')),
      request_id: expect.any(String),
      details: { dependency },
    });
  }
  expect(answers.filter((a) => a.phase !== outage && a.status !== status)).toEqual([]);
}

/** Every item of a paged list, page after page. */
export async function allPages<T>(api: ReturnType<typeof apiClient>, path: string, token: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`, { token });
    expect(res.status).toBe(200);
    items.push(...(res.body.data as T[]));
    if (page >= res.body.pagination.pages) return items;
  }
}
