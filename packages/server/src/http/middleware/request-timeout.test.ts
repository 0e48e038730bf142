import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorHandler } from './error-handler.js';
import { disableRequestTimeout, requestTimeout, withoutRequestTimeout } from './request-timeout.js';

describe('requestTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function app() {
    const hono = new Hono();
    const seen: { signal?: AbortSignal } = {};
    const waitFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    hono.use(requestTimeout(1000, { skip: (c) => c.req.path === '/skipped' }));
    hono.get('/fast', (c) => c.text('fast'));
    hono.get('/slow', async (c) => {
      seen.signal = c.get('timeoutSignal');
      await waitFor(5000);
      return c.text('late');
    });
    hono.get('/skipped', async (c) => {
      await waitFor(5000);
      return c.text('skipped');
    });
    hono.get('/stream', withoutRequestTimeout(), async (c) => {
      await waitFor(5000);
      return c.text('streamed');
    });
    hono.get('/opt-out', async (c) => {
      disableRequestTimeout(c);
      await waitFor(5000);
      return c.text('opted out');
    });
    hono.onError(errorHandler({ error: () => {}, warn: () => {} }));
    return { hono, seen };
  }

  async function settle<T>(pending: Promise<T>, ms: number): Promise<T> {
    await vi.advanceTimersByTimeAsync(ms);
    return pending;
  }

  it('lets a fast request through', async () => {
    const response = await settle(Promise.resolve(app().hono.request('/fast')), 0);

    expect(await response.text()).toBe('fast');
  });

  it('answers 503 request-timeout when the handler is too slow, and aborts its signal', async () => {
    const { hono, seen } = app();

    const response = await settle(Promise.resolve(hono.request('/slow')), 1000);

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({
      code: 'request-timeout',
      detail: expect.stringContaining('1000 ms'),
    });
    expect(seen.signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
  });

  it('does not time out before the deadline', async () => {
    const pending = Promise.resolve(app().hono.request('/slow'));
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);

    expect(settled).toBe(false);
    expect((await settle(pending, 1)).status).toBe(503);
    await vi.advanceTimersByTimeAsync(5000);
  });

  it('leaves skipped requests, withoutRequestTimeout() routes and opted-out handlers alone', async () => {
    const { hono } = app();

    const responses = await settle(
      Promise.all([hono.request('/skipped'), hono.request('/stream'), hono.request('/opt-out')]),
      5000,
    );

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await responses[2]?.text()).toBe('opted out');
  });

  it('clears its timer when the handler finishes in time', async () => {
    await settle(Promise.resolve(app().hono.request('/fast')), 0);

    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => requestTimeout(0)).toThrow(RangeError);
    expect(() => requestTimeout(Number.NaN)).toThrow(/positive number/);
  });
});
