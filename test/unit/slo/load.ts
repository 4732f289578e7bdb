import { loadSloCatalog, type LoadSloCatalogOptions } from '../../../src/slo/catalog.js';
import { SloConfigError, type SloCatalog } from '../../../src/slo/model.js';
import { memoryFiles } from './memory-files.js';

/** The catalog of these files (path → YAML text), all of them given as SLO_FILES. */
export function catalogOf(tree: Record<string, string>, options: Omit<LoadSloCatalogOptions, 'files'> = {}): SloCatalog {
  return loadSloCatalog(Object.keys(tree), { ...options, files: memoryFiles(tree) }).catalog;
}

/** The problems loading these files gives; fails the test if they load. */
export function problemsOf(tree: Record<string, string>, paths: string[] = Object.keys(tree), options: Omit<LoadSloCatalogOptions, 'files'> = {}): readonly string[] {
  try {
    loadSloCatalog(paths, { ...options, files: memoryFiles(tree) });
  } catch (error) {
    if (error instanceof SloConfigError) return error.problems;
    throw error;
  }
  throw new Error('the files were accepted');
}

/** YAML from lines, so a test reads like the file. */
export const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
