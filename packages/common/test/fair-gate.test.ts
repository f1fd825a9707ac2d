import { describe, expect, it } from 'vitest';
import { createFairGate } from '../src/jobs/index.js';

/** A task that records when it starts and finishes after a few milliseconds. */
function task(started: string[], name: string, ms = 5): () => Promise<string> {
  return async () => {
    started.push(name);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return name;
  };
}

describe('the fair gate', () => {
  it("one user's 20 waiting tasks do not hold back another user's single task sent after them", async () => {
    const gate = createFairGate({ concurrency: 1 });
    const started: string[] = [];
    const heavy = Array.from({ length: 20 }, (_, i) => gate.run('heavy', task(started, `heavy-${i}`)));
    const light = gate.run('light', task(started, 'light'));
    expect(await light).toBe('light');
    await Promise.all(heavy);
    expect(started).toHaveLength(21);
    expect(started.indexOf('light')).toBe(1);
    // Each user's own tasks keep their order.
    expect(started.filter((s) => s.startsWith('heavy'))).toEqual(Array.from({ length: 20 }, (_, i) => `heavy-${i}`));
  });

  it('runs no more than its concurrency at once, and the user with fewer tasks running goes first', async () => {
    const gate = createFairGate({ concurrency: 2 });
    let now = 0;
    let most = 0;
    const started: string[] = [];
    const counted = (name: string) => async () => {
      now += 1;
      most = Math.max(most, now);
      started.push(name);
      await new Promise((resolve) => setTimeout(resolve, 5));
      now -= 1;
    };
    const all = [
      ...Array.from({ length: 6 }, (_, i) => gate.run('a', counted(`a-${i}`))),
      ...Array.from({ length: 2 }, (_, i) => gate.run('b', counted(`b-${i}`))),
    ];
    expect(gate.waiting).toBe(6);
    await Promise.all(all);
    expect(most).toBe(2);
    // a-0 and a-1 took both places; the first two places to free went one to b, then to a and b in turn.
    expect(started.slice(0, 5)).toEqual(['a-0', 'a-1', 'b-0', 'a-2', 'b-1']);
    expect(gate.waiting).toBe(0);
  });

  it("a failing task rejects its own caller only, and frees its place", async () => {
    const gate = createFairGate({ concurrency: 1 });
    const failing = gate.run('a', () => Promise.reject(new Error('no questions')));
    const next = gate.run('b', () => Promise.resolve('ok'));
    await expect(failing).rejects.toThrow('no questions');
    await expect(next).resolves.toBe('ok');
  });

  it('with a bounded queue, admits one user up to the running places and half the queue, and keeps the rest for others', async () => {
    const gate = createFairGate({ concurrency: 1, queue: 4 });
    const started: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const heavy: Promise<string>[] = [];
    for (let i = 0; gate.admits('heavy'); i++) {
      heavy.push(gate.run('heavy', async () => {
        started.push(`heavy-${i}`);
        await held;
        return `heavy-${i}`;
      }));
    }
    // One running and two of the four waiting places.
    expect(heavy).toHaveLength(3);
    for (const other of ['light', 'third']) {
      expect(gate.admits(other)).toBe(true);
      void gate.run(other, task(started, other));
    }
    // Full: nobody else is taken until a task ends.
    expect(gate.admits('fourth')).toBe(false);
    release();
    await Promise.all(heavy);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started.slice(0, 3)).toEqual(['heavy-0', 'light', 'third']);
    expect(gate.admits('heavy')).toBe(true);
  });
});
