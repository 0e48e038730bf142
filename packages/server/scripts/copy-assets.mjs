// Copies the dashboard's static files next to the compiled module that serves them:
// src/dashboard/assets/ -> dist/dashboard/assets/ (tsc copies only what it compiles).
// Run after `tsc -p tsconfig.build.json`; replaces the target folder, so removed files go too.
import { cp, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/dashboard/assets/', import.meta.url));
const target = fileURLToPath(new URL('../dist/dashboard/assets/', import.meta.url));

const files = await readdir(source);
if (!files.includes('index.html')) {
  throw new Error(`copy-assets: ${source} has no index.html; nothing to serve.`);
}
await rm(target, { recursive: true, force: true });
await cp(source, target, { recursive: true });
console.log(`copy-assets: ${files.length} dashboard files -> ${target}`);
