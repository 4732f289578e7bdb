import { loadSloCatalog, splitSloFilesSetting } from './catalog.js';
import { SloConfigError, type SloCatalog } from './model.js';
import { DEFAULT_ERROR_BUDGET_POLICY, loadErrorBudgetPolicy, type ErrorBudgetPolicy } from './policy.js';
import type { SloFiles } from './yaml-files.js';

export interface LoadedSloSettings {
  readonly catalog: SloCatalog;
  readonly policy: ErrorBudgetPolicy;
  /** Every SLO file read (folders expanded), for the start-up log. */
  readonly files: readonly string[];
}

/**
 * Reads SLO_FILES and ERROR_BUDGET_POLICY_FILE together, so that every
 * problem of both is listed at once with the other variables' (each problem
 * names its file and path). The policy is checked against the catalog's
 * services, so a misspelt service name is a problem, not a silent default.
 */
export function loadSloSettings(
  sloFiles: string | undefined,
  policyFile: string | undefined,
  files?: SloFiles,
): { settings: LoadedSloSettings; problems: readonly string[] } {
  const problems: string[] = [];
  let catalog: SloCatalog = { slos: [] };
  let read: readonly string[] = [];
  const paths = splitSloFilesSetting(sloFiles);
  if (paths.length > 0) {
    try {
      const loaded = loadSloCatalog(paths, { files });
      catalog = loaded.catalog;
      read = loaded.files;
    } catch (error) {
      if (!(error instanceof SloConfigError)) throw error;
      problems.push(...error.problems.map((p) => `SLO_FILES: ${p}`));
    }
  }
  let policy = DEFAULT_ERROR_BUDGET_POLICY;
  try {
    policy = loadErrorBudgetPolicy(policyFile, { files, knownServices: problems.length === 0 && paths.length > 0 ? catalog.slos.map((s) => s.service) : undefined });
  } catch (error) {
    if (!(error instanceof SloConfigError)) throw error;
    problems.push(...error.problems.map((p) => `ERROR_BUDGET_POLICY_FILE: ${p}`));
  }
  return { settings: { catalog, policy, files: read }, problems };
}
