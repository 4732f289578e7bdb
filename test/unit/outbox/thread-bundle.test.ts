import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBundle, type BundleTarget } from '../../../src/outbox/thread-bundle.js';

/** Runs a bundle as the outbox runner does, in a thread, and returns what it posts. */
async function runInThread(url: URL): Promise<unknown> {
  const thread = new Worker(url);
  try {
    return await new Promise((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
  } finally {
    await thread.terminate();
  }
}

describe('the outbox thread bundle', () => {
  let root: string;
  let target: BundleTarget;
  const writeDep = (value: number) =>
    writeFileSync(join(root, 'src', 'dep.ts'), `export const value: number = ${value};\nexport const here: string = import.meta.url;\n`);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'thread-bundle-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(
      join(root, 'src', 'entry.ts'),
      "import { parentPort } from 'node:worker_threads';\nimport { here, value } from './dep.js';\nparentPort!.postMessage({ value, here });\n",
    );
    writeDep(1);
    target = { entry: join(root, 'src', 'entry.ts'), root, cacheDir: join(root, 'cache') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is built once, reused while its inputs are unchanged, and built again when one changes', async () => {
    const first = await loadBundle(target);
    expect(first.source).toBe('built');
    // Each module keeps its own URL: src/db/client.ts finds the migrations from it.
    expect(await runInThread(first.url)).toEqual({ value: 1, here: pathToFileURL(join(root, 'src', 'dep.ts')).href });

    const again = await loadBundle(target);
    expect(again).toMatchObject({ source: 'cached', url: first.url });

    writeDep(2);
    const changed = await loadBundle(target);
    expect(changed.source).toBe('built');
    expect(changed.url.href).not.toBe(first.url.href);
    expect(await runInThread(changed.url)).toMatchObject({ value: 2 });
  });

  it('is still built, for this process alone, where the cache cannot be written', async () => {
    writeFileSync(join(root, 'not-a-folder'), '');
    const bundle = await loadBundle({ ...target, cacheDir: join(root, 'not-a-folder', 'cache') });
    expect(bundle.source).toBe('built-uncached');
    expect(await runInThread(bundle.url)).toMatchObject({ value: 1 });
    rmSync(new URL('.', bundle.url), { recursive: true, force: true });
  });
});
