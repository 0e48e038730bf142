import { rename, rm } from 'node:fs/promises';

/**
 * Shifts `path` -> `path.1` -> `path.2` ... keeping `keep` old files: the oldest (`path.<keep>`)
 * is deleted first. With `keep` 0 the file is simply deleted. Missing files are skipped, so a
 * directory removed underneath (or a first rotation) is not an error.
 */
export async function rotateFiles(path: string, keep: number): Promise<void> {
  if (keep === 0) {
    await rm(path, { force: true });
    return;
  }
  await rm(`${path}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index--)
    await renameIfExists(`${path}.${index}`, `${path}.${index + 1}`);
  await renameIfExists(path, `${path}.1`);
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
