import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The little of a file system the SLO and policy loaders need, so tests can
 * hand them files without a disk. Synchronous: they run once at start, beside
 * a synchronous loadConfig.
 */
export interface SloFiles {
  /** What is at a path. */
  kind(path: string): 'file' | 'folder' | 'missing';
  /** The names (not paths) of the entries of a folder. */
  list(folder: string): readonly string[];
  read(path: string): string;
}

/** SloFiles on the real disk (symbolic links followed, as a Kubernetes ConfigMap mount needs). */
export const nodeSloFiles: SloFiles = {
  kind(path) {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
  },
  list: (folder) => readdirSync(folder),
  read: (path) => readFileSync(path, 'utf8'),
};

const YAML_NAME = /\.ya?ml$/i;

/** Why a read failed, without the stack: `EACCES: permission denied, open 'x'`. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The YAML files that a list of files and folders names, in the order given,
 * each once. A folder gives its `.yaml`/`.yml` files and those of its
 * sub-folders, sorted by name; names starting with a dot are skipped, which
 * also skips the `..data` copies a Kubernetes ConfigMap mount holds (read
 * twice, every SLO would be a duplicate of itself).
 */
export function listYamlFiles(paths: readonly string[], files: SloFiles): { files: string[]; problems: string[] } {
  const found: string[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  const add = (path: string) => {
    const key = resolve(path);
    if (!seen.has(key)) {
      seen.add(key);
      found.push(path);
    }
  };
  const walk = (folder: string): number => {
    let count = 0;
    for (const name of [...files.list(folder)].sort()) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      const kind = files.kind(path);
      if (kind === 'folder') count += walk(path);
      else if (kind === 'file' && YAML_NAME.test(name)) {
        add(path);
        count += 1;
      }
    }
    return count;
  };
  for (const path of paths) {
    try {
      const kind = files.kind(path);
      if (kind === 'missing') problems.push(`${path}: no such file or folder`);
      else if (kind === 'file') add(path);
      else if (walk(path) === 0) problems.push(`${path}: the folder holds no .yaml or .yml file`);
    } catch (error) {
      problems.push(`${path}: cannot be read (${reason(error)})`);
    }
  }
  return { files: found, problems };
}

/** One YAML document of a file: its value, or its syntax problems (`line 3, column 1: ...`). */
export type YamlDocument = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Every document of a YAML file (`---` separated), empty ones left out. Merge
 * keys (`<<: *defaults`) are on, as many hand-written configs use them.
 */
export function readYamlDocuments(file: string, files: SloFiles): { documents: YamlDocument[] } | { problem: string } {
  let text: string;
  try {
    text = files.read(file);
  } catch (error) {
    return { problem: `${file}: cannot be read (${reason(error)})` };
  }
  const documents: YamlDocument[] = [];
  for (const doc of parseAllDocuments(text, { merge: true })) {
    if (doc.errors.length > 0) {
      documents.push({
        ok: false,
        problems: doc.errors.map((e) => {
          const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : '';
          const what = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
          return `${where}${what} (not valid YAML)`;
        }),
      });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) documents.push({ ok: true, value });
  }
  return { documents };
}
