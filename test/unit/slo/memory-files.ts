import { normalize } from 'node:path';
import type { SloFiles } from '../../../src/slo/yaml-files.js';

/** `./slos/` and `slos` are one folder, as on a disk. */
const clean = (path: string) => normalize(path).replace(/\/+$/, '');

/**
 * SloFiles over a map of path → text: folders are the prefixes of the paths
 * given, so `{ 'slos/a.yaml': ... }` makes a folder `slos` holding `a.yaml`.
 */
export function memoryFiles(tree: Record<string, string>): SloFiles {
  const folders = new Set<string>();
  for (const path of Object.keys(tree)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i += 1) folders.add(parts.slice(0, i).join('/'));
  }
  return {
    kind: (path) => (clean(path) in tree ? 'file' : folders.has(clean(path)) ? 'folder' : 'missing'),
    list: (dir) => {
      const folder = clean(dir);
      return [...new Set([...Object.keys(tree), ...folders].filter((p) => p.startsWith(`${folder}/`)).map((p) => p.slice(folder.length + 1).split('/')[0] as string))];
    },
    read: (path) => {
      const text = tree[clean(path)];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
  };
}
