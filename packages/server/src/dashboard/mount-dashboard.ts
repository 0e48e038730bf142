import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@agent/core';
import type { Context, Env, Hono, Schema } from 'hono';

/** Options of {@link mountDashboard}. */
export interface MountDashboardOptions {
  /** Path the dashboard is served under: no trailing slash, not the root. @default '/dashboard' */
  basePath?: string;
}

/** One file of the dashboard, as served. */
export interface DashboardAsset {
  /** The file name under the assets folder, e.g. `app.js`. */
  name: string;
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  cacheControl: string;
  /** Strong validator: a hash of the body, quoted. */
  etag: string;
}

/** The dashboard's files, read once. */
export interface DashboardAssets {
  index: DashboardAsset;
  /** Everything else, by file name (`app.js`, `app.css`, `favicon.svg`). */
  files: ReadonlyMap<string, DashboardAsset>;
}

/**
 * The policy the dashboard is written for: nothing from other origins, no inline script or
 * style, no framing. Sent with the page (a stricter app-wide policy still applies on top).
 */
export const DASHBOARD_CSP =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/** Path the assets' URLs in `index.html` are written against. */
const SOURCE_BASE_PATH = '/dashboard';
const DEFAULT_ASSETS_URL = new URL('./assets/', import.meta.url);
const HTML_CACHE_CONTROL = 'no-cache';
/** Short: the page is revalidated on every load and names the assets with a content hash anyway. */
const ASSET_CACHE_CONTROL = 'public, max-age=300';
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml; charset=utf-8',
};

/**
 * Serves the live dashboard (a static page whose script calls the `/v1` API with the key the
 * operator pastes) on `app`: `GET {basePath}` and `{basePath}/` answer the page, `{basePath}/app.js`,
 * `/app.css` and `/favicon.svg` its assets, each with an ETag (`If-None-Match` answers 304) and
 * cache headers; anything else under `basePath` is the app's 404. The files are read once, here,
 * from `assets/` next to this module (src under vitest, dist after the build's copy step). The
 * assets need no auth: the data calls carry it.
 *
 * @example
 * ```ts
 * const app = createApp(runtime, authenticator, { dashboard: (target) => mountDashboard(target) });
 * ```
 */
export function mountDashboard<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  options: MountDashboardOptions = {},
): Hono<E, S, B> {
  const basePath = normalizeBasePath(options.basePath ?? SOURCE_BASE_PATH);
  const assets = loadDashboardAssets(DEFAULT_ASSETS_URL, basePath);
  const serve = (asset: DashboardAsset) => (c: Context<E>) => assetResponse(c.req.raw, asset);
  app.get(basePath, serve(assets.index));
  app.get(`${basePath}/`, serve(assets.index));
  for (const asset of assets.files.values()) app.get(`${basePath}/${asset.name}`, serve(asset));
  app.all(`${basePath}/*`, (c) => c.notFound());
  return app;
}

/**
 * Reads the dashboard's files from `directory` (a `file:` URL ending in `/`) and rewrites the
 * asset URLs in `index.html` to `basePath`, each with `?v=<content hash>` so a new build is never
 * mixed with cached assets of the old one.
 */
export function loadDashboardAssets(directory: URL, basePath: string = SOURCE_BASE_PATH): DashboardAssets {
  const files = new Map<string, DashboardAsset>();
  for (const [name, contentType] of Object.entries(CONTENT_TYPES)) {
    files.set(name, asset(name, readAsset(directory, name), contentType, ASSET_CACHE_CONTROL));
  }
  const html = new TextDecoder().decode(readAsset(directory, 'index.html'));
  const rewritten = html.replace(
    /(src|href)="\/dashboard\/([^"?#]*)"/g,
    (_match, attribute: string, name: string) => {
      const file = files.get(name);
      if (!file) {
        throw new ConfigError(
          `The dashboard's index.html refers to ${SOURCE_BASE_PATH}/${name}, which is not one of its assets (${[...files.keys()].join(', ')}).`,
        );
      }
      return `${attribute}="${basePath}/${name}?v=${file.etag.slice(1, 13)}"`;
    },
  );
  const index = asset(
    'index.html',
    new TextEncoder().encode(rewritten),
    'text/html; charset=utf-8',
    HTML_CACHE_CONTROL,
  );
  return { index, files };
}

function readAsset(directory: URL, name: string): Uint8Array<ArrayBuffer> {
  const url = new URL(name, directory);
  try {
    return new Uint8Array(readFileSync(url));
  } catch (error) {
    throw new ConfigError(
      `The dashboard asset ${fileURLToPath(url)} cannot be read. Building @agent/server copies src/dashboard/assets to dist/dashboard/assets (scripts/copy-assets.mjs); rebuild, or disable the dashboard with server.dashboard.enabled: false.`,
      { cause: error },
    );
  }
}

function asset(
  name: string,
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
  cacheControl: string,
): DashboardAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { name, body, contentType, cacheControl, etag };
}

function assetResponse(request: Request, asset: DashboardAsset): Response {
  const headers = new Headers({
    'cache-control': asset.cacheControl,
    etag: asset.etag,
    'x-content-type-options': 'nosniff',
  });
  if (asset.name === 'index.html') {
    headers.set('content-security-policy', DASHBOARD_CSP);
    headers.set('referrer-policy', 'no-referrer');
    headers.set('x-frame-options', 'DENY');
  }
  if (etagMatches(request.headers.get('if-none-match'), asset.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set('content-type', asset.contentType);
  headers.set('content-length', String(asset.body.byteLength));
  return new Response(asset.body, { status: 200, headers });
}

/** `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed) || /\/\.\.?(?:\/|$)/.test(trimmed)) {
    throw new ConfigError(
      `The dashboard's basePath must be a path below the root such as /dashboard, got ${JSON.stringify(basePath)}.`,
    );
  }
  return trimmed;
}
