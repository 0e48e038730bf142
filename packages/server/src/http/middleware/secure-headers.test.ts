import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { secureHeaders } from './secure-headers.js';

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values.join(' ')];
      }),
  );
}

describe('secureHeaders', () => {
  const app = new Hono();
  app.use(secureHeaders());
  app.get('/dashboard', (c) => c.html('<script src="/dashboard/app.js"></script>'));

  it('sends a CSP allowing only self for scripts, styles and connections, and no framing', async () => {
    const response = await app.request('/dashboard');

    const csp = directives(response.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect([...csp.values()].join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('sends no-referrer, nosniff, DENY framing and HSTS', async () => {
    const response = await app.request('/dashboard');

    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
