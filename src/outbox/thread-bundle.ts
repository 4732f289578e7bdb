/**
 * The outbox thread's module graph as one JavaScript file, built with esbuild
 * and kept under node_modules/.cache until one of its inputs changes.
 *
 * Why: loaded through tsx, the thread's ~1,200 modules each went through
 * tsx's loader hooks, and the thread took 1.4-2.6 s to start on two cores,
 * in every bot start and every end-to-end harness. One bundle loads in a
 * tenth of that: the bot starts sooner, and so does each test.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./outbox-thread.ts', import.meta.url));
const ROOT = resolve(dirname(ENTRY), '../..');
const PREFIX = 'outbox-thread-';
const MANIFEST = 'outbox-thread.json';
/** Bundles of older sources are removed once no process started recently could still be starting a thread from them. */
const PRUNE_AFTER_MS = 60 * 60_000;
const require = createRequire(import.meta.url);

/** The bundle a thread starts from, and how it was had. */
export interface ThreadBundle {
  readonly url: URL;
  /** `cached`: reused as it was; `built`: built and cached; `built-uncached`: built where the cache could not be written. */
  readonly source: 'cached' | 'built' | 'built-uncached';
  readonly ms: number;
}

/** What to bundle, from where, and where to keep it. */
export interface BundleTarget {
  /** The module the thread runs. */
  readonly entry: string;
  /** The project's folder: inputs are named relative to it. */
  readonly root: string;
  /** Where bundles and their manifest are kept. */
  readonly cacheDir: string;
}

/** What a bundle was built from: change any of it and the bundle is built again. */
interface Manifest {
  readonly key: string;
  readonly dir: string;
  /** Every file esbuild read (relative to the root), with the SHA-256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

let bundle: Promise<ThreadBundle> | undefined;

/** The outbox thread's bundle: checked (and built if needed) once per process. */
export function outboxThreadBundle(): Promise<ThreadBundle> {
  bundle ??= loadBundle({ entry: ENTRY, root: ROOT, cacheDir: join(ROOT, 'node_modules', '.cache', 'incident-bot') }).catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

/** Where it was built, what with, and for which Node: a bundle embeds absolute paths and a target. */
function buildKey(target: BundleTarget): string {
  const esbuild = (require('esbuild/package.json') as { version: string }).version;
  return `${target.entry}|${target.root}|esbuild ${esbuild}|node ${process.versions.node}`;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The bundle of `target.entry`: the cached one if its inputs are unchanged, else a new one, cached if it can be. */
export async function loadBundle(target: BundleTarget): Promise<ThreadBundle> {
  const started = performance.now();
  const key = buildKey(target);
  const cached = cachedBundle(target, key);
  if (cached) return { url: cached, source: 'cached', ms: performance.now() - started };
  const { files, inputs } = await buildBundle(target);
  const manifest: Manifest = { key, dir: `${PREFIX}${sha256(key + JSON.stringify(inputs)).slice(0, 16)}`, inputs };
  try {
    return { url: writeCached(target.cacheDir, manifest, files), source: 'built', ms: performance.now() - started };
  } catch {
    // A read-only node_modules (some images): this process's own copy, in a folder only it names.
    const dir = mkdtempSync(join(tmpdir(), PREFIX));
    for (const [name, text] of files) writeFileSync(join(dir, name), text);
    return { url: pathToFileURL(join(dir, 'index.mjs')), source: 'built-uncached', ms: performance.now() - started };
  }
}

/** The cached bundle, if every input still has the content it was built from. */
function cachedBundle(target: BundleTarget, key: string): URL | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(target.cacheDir, MANIFEST), 'utf8')) as Manifest;
    statSync(join(target.cacheDir, manifest.dir, 'index.mjs'));
  } catch {
    return undefined;
  }
  if (manifest.key !== key) return undefined;
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    try {
      if (sha256(readFileSync(join(target.root, file))) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return pathToFileURL(join(target.cacheDir, manifest.dir, 'index.mjs'));
}

/**
 * Writes the bundle's folder and then the manifest, each by a rename, so a
 * process starting at the same moment reads either the old pair or the new.
 */
function writeCached(cacheDir: string, manifest: Manifest, files: ReadonlyMap<string, string>): URL {
  mkdirSync(cacheDir, { recursive: true });
  const final = join(cacheDir, manifest.dir);
  const staging = join(cacheDir, `.staging-${randomUUID()}`);
  mkdirSync(staging);
  for (const [name, text] of files) writeFileSync(join(staging, name), text);
  try {
    renameSync(staging, final);
  } catch {
    // Another process built the same inputs first: its folder is this one.
    rmSync(staging, { recursive: true, force: true });
  }
  const manifestStaging = join(cacheDir, `${MANIFEST}.${randomUUID()}`);
  writeFileSync(manifestStaging, JSON.stringify(manifest));
  renameSync(manifestStaging, join(cacheDir, MANIFEST));
  pruneOlder(cacheDir, manifest.dir);
  return pathToFileURL(join(final, 'index.mjs'));
}

function pruneOlder(cacheDir: string, keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || !(name.startsWith(PREFIX) || name.startsWith('.staging-'))) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * Our own modules say where they are with `import.meta.url` (the migrations
 * folder, beside src/): in one bundle that would name the bundle, so each
 * module gets its own file's URL written in.
 */
const ownModuleUrls: Plugin = {
  name: 'own-module-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/** A native addon stays a module of its own, loaded by absolute path: the bundle may live anywhere. */
const nativeAddons: Plugin = {
  name: 'native-addons',
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({ path: pathToFileURL(require.resolve(args.path)).href, external: true }));
  },
};

async function buildBundle(target: BundleTarget): Promise<{ files: Map<string, string>; inputs: Record<string, string> }> {
  // Loaded only on a miss: a start from the cache never pays for esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [target.entry],
    absWorkingDir: target.root,
    // The folder is renamed once the content is known; the map names the sources relative to it.
    outfile: join(target.cacheDir, 'staging', 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'linked',
    // Stack traces need only lines and names: without the sources the map is a third the size and the thread starts sooner.
    sourcesContent: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [ownModuleUrls, nativeAddons],
    // CommonJS packages in an ES module bundle still call require() for Node's built-in modules.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  const files = new Map(result.outputFiles.map((f) => [f.path.endsWith('.map') ? 'index.mjs.map' : 'index.mjs', f.text]));
  const inputs: Record<string, string> = {};
  for (const file of Object.keys(result.metafile.inputs).sort()) inputs[file] = sha256(readFileSync(join(target.root, file)));
  return { files, inputs };
}
