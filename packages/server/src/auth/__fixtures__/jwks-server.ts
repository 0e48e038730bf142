import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair } from 'jose';

/** A signing key whose public half the fixture server publishes. */
export interface FixtureKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  /** The public key as SPKI PEM: what an attacker would use as an HMAC secret. */
  publicPem: string;
}

/** A JWKS endpoint on 127.0.0.1 serving an RSA and an EC key, counting its requests. */
export interface JwksServer {
  url: string;
  rsa: FixtureKey;
  ec: FixtureKey;
  requests: number;
  /** While true the endpoint answers 500. */
  failing: boolean;
  close(): Promise<void>;
}

async function fixtureKey(kid: string, alg: 'RS256' | 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { key: { kid, alg, privateKey, publicPem: await exportSPKI(publicKey) }, jwk };
}

export async function startJwksServer(): Promise<JwksServer> {
  const rsa = await fixtureKey('rsa-1', 'RS256');
  const ec = await fixtureKey('ec-1', 'ES256');
  const body = JSON.stringify({ keys: [rsa.jwk, ec.jwk] });
  const state = { requests: 0, failing: false };
  const server: Server = createServer((_request, response) => {
    state.requests++;
    if (state.failing) {
      response.writeHead(500).end('down');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    rsa: rsa.key,
    ec: ec.key,
    get requests() {
      return state.requests;
    },
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A URL on 127.0.0.1 where nothing listens. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/jwks.json`;
}
