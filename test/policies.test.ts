import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/http/circuit-breaker.js';
import { abortReason, CallAbort } from '../src/http/call-signal.js';
import { RequestDeadline, sleep } from '../src/http/deadline.js';
import { SlidingWindowLimiter } from '../src/http/rate-limiter.js';
import { backoffDelayMs, parseRetryAfter, RetryBudget, type RetrySettings } from '../src/http/retry-policy.js';
import { Prng } from '../src/simulators/prng.js';

const RETRY: RetrySettings = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5000, budgetRatio: 0.2, budgetFloor: 3, budgetWindowMs: 10_000 };

describe('backoff with full jitter', () => {
  it('waits within [0, min(cap, base·2^(n-1))], spread out rather than in step', () => {
    const prng = new Prng(2024);
    for (const attempt of [1, 2, 3, 4, 5, 6, 7]) {
      const ceiling = Math.min(5000, 250 * 2 ** (attempt - 1));
      const waits = Array.from({ length: 200 }, () => backoffDelayMs(attempt, RETRY, () => prng.next()));
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...waits)).toBeLessThanOrEqual(ceiling);
      // 100 clients do not retry in step: the waits spread over most of the range.
      expect(new Set(waits).size).toBeGreaterThan(Math.min(100, ceiling * 0.4));
      expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThan(ceiling * 0.8);
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(['120'], now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Monday, 23-Nov-26 12:00:04 GMT', now)).toBe(4000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('reads decimal seconds as seconds, and negative or numeric junk as no hint (not as a date in 2001)', () => {
    expect(parseRetryAfter('2.5', now)).toBe(2500);
    expect(parseRetryAfter(' 0.25 ', now)).toBe(250);
    for (const junk of ['-1', '-0.5', '1e3', '+3', '12:00', '3 seconds', '']) expect(parseRetryAfter(junk, now), junk).toBeNull();
  });
});

describe('retry budget', () => {
  it('allows retries up to 20 % of calls plus the floor, over a sliding window', () => {
    const budget = new RetryBudget(RETRY);
    const t0 = 1_000_000;
    for (let i = 0; i < 50; i += 1) budget.recordCall(t0);
    let granted = 0;
    while (budget.tryRetry(t0)) granted += 1;
    expect(granted).toBe(13); // 0.2 × 50 + 3
    expect(budget.tryRetry(t0 + 10_001)).toBe(true); // the window has moved on
  });
});

describe('sliding-window rate limiter', () => {
  it('never grants more than the limit in any window; waits fit the deadline; the queue is bounded', () => {
    const limiter = new SlidingWindowLimiter(5, 60_000, 2);
    const t0 = 5_000_000;
    for (let i = 0; i < 5; i += 1) expect(limiter.reserve(t0 + 25_000, t0)).toEqual({ at: t0 });
    // Full: the next slot is a window after the oldest grant, past a 25 s deadline.
    expect(limiter.reserve(t0 + 25_000, t0)).toEqual({ refusedForMs: 60_000 });
    // With a deadline that allows it, callers queue for the next slots, at most 2 of them.
    expect(limiter.reserve(t0 + 120_000, t0 + 1)).toEqual({ at: t0 + 60_000 });
    expect(limiter.reserve(t0 + 120_000, t0 + 1)).toEqual({ at: t0 + 60_000 });
    expect(limiter.reserve(t0 + 120_000, t0 + 1)).toEqual({ refusedForMs: 59_999 });
    // A waiter that gives up hands its slot back, and the next caller may queue again.
    limiter.release(t0 + 60_000, t0 + 2);
    expect(limiter.reserve(t0 + 120_000, t0 + 2)).toEqual({ at: t0 + 60_000 });
  });
});

describe('circuit breaker', () => {
  const settings = { consecutiveFailures: 5, failureRate: 0.5, minCalls: 10, windowMs: 10_000, openMs: 30_000 };

  it('opens on half of at least 10 calls failing, though never 5 in a row', () => {
    const breaker = new CircuitBreaker(settings);
    let t = 0;
    for (let i = 0; i < 10; i += 1) {
      expect(breaker.tryPass(t)).toBe(true);
      if (i % 2 === 1) breaker.recordFailure(t);
      else breaker.recordSuccess(t);
      t += 100;
    }
    expect(breaker.tryPass(t)).toBe(false);
    expect(breaker.retryInMs(t)).toBe(30_000 - 100); // opened by the 10th call, a failure, 100 ms ago
  });

  it('lets one probe through after the open time; success closes it, failure opens it again', () => {
    const breaker = new CircuitBreaker(settings);
    for (let i = 0; i < 5; i += 1) breaker.recordFailure(0);
    expect(breaker.tryPass(29_999)).toBe(false);
    expect(breaker.tryPass(30_000)).toBe(true);
    expect(breaker.tryPass(30_001)).toBe(false); // one probe at a time
    breaker.recordFailure(30_002);
    expect(breaker.tryPass(30_003)).toBe(false);
    expect(breaker.tryPass(60_002)).toBe(true);
    breaker.recordSuccess(60_010);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.tryPass(60_011)).toBe(true);
  });
});

describe('request deadline', () => {
  it('aborts at the deadline and when the client leaves, and leaves no timer after dispose', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const deadline = new RequestDeadline(50);
    await expect(sleep(1000, deadline.signal)).rejects.toMatchObject({ name: 'DeadlineExceededError' });
    deadline.dispose();

    const client = new AbortController();
    const other = new RequestDeadline(10_000, client.signal);
    const waiting = sleep(1000, other.signal);
    client.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'ClientGoneError' });
    other.dispose();
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe('the signal of vendor calls (CallAbort)', () => {
  it('runs each listener once, in order, at the abort; a listener removed, added twice or added late behaves as with AbortSignal', () => {
    const abort = new CallAbort();
    const ran: string[] = [];
    const first = () => ran.push('first');
    const removed = () => ran.push('removed');
    abort.signal.addEventListener('abort', first, { once: true });
    abort.signal.addEventListener('abort', first);
    abort.signal.addEventListener('abort', removed);
    abort.signal.addEventListener('abort', () => ran.push('second'));
    abort.signal.removeEventListener('abort', removed);
    expect(abort.signal.aborted).toBe(false);
    const reason = new Error('stop');
    abort.abort(reason);
    abort.abort(new Error('again'));
    expect(ran).toEqual(['first', 'second']);
    expect(abort.signal.reason).toBe(reason);
    abort.signal.addEventListener('abort', () => ran.push('late'));
    expect(ran).toEqual(['first', 'second']);
    expect(abortReason(abort.signal)).toBe(reason);
  });

  it('a listener that throws does not keep the others from running; abort throws its error after them', () => {
    const abort = new CallAbort();
    let ran = 0;
    abort.signal.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    abort.signal.addEventListener('abort', () => (ran += 1));
    expect(() => abort.abort()).toThrow('listener failed');
    expect(ran).toBe(1);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toMatchObject({ name: 'AbortError' });
  });

  it('ends an undici request in flight, as an AbortSignal would', async () => {
    const server = createServer(() => {
      // Never answers: only the signal can end the request.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const abort = new CallAbort();
      const pending = pool.request({ method: 'GET', path: '/', signal: abort.signal });
      setTimeout(() => abort.abort(new Error('deadline')), 50);
      await expect(pending).rejects.toThrow();
    } finally {
      await pool.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
