import type { z } from 'zod';

/** A problem inside one YAML document: where (`slos[1].target`, '' for the whole document) and what. */
export interface DocumentProblem {
  readonly path: string;
  readonly message: string;
}

/** `['slos', 1, 'target']` → `slos[1].target`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

/** Joins a document problem onto the file it came from: `file: path: message`. */
export function fileProblem(file: string, problem: DocumentProblem): string {
  return problem.path === '' ? `${file}: ${problem.message}` : `${file}: ${problem.path}: ${problem.message}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be a mapping of keys to values',
};

/**
 * Words a person can act on for zod's structural issues; the field schemas give
 * their own messages for anything about content. Passed to every parse here.
 */
export const humanIssue: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    if (issue.input === null) return `is empty; ${TYPE_WORDS[issue.expected] ?? 'must have a value'}`;
    return TYPE_WORDS[issue.expected] ?? `must be ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys') return 'is not a key here';
  if (issue.code === 'too_small' && issue.origin === 'array') return 'must not be an empty list';
  if (issue.code === 'too_small' && issue.origin === 'string') return 'must not be empty';
  return undefined;
};

/**
 * zod issues → one problem per issue, and one per unknown key (named in its
 * path, so `slos[0].taget` points at the typo itself).
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): DocumentProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/** Parses with the human messages above: the value, or every problem found. */
export function parseDocument<T>(schema: z.ZodType<T>, input: unknown): { ok: true; value: T } | { ok: false; problems: DocumentProblem[] } {
  const parsed = schema.safeParse(input, { error: humanIssue });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: issueProblems(parsed.error.issues) };
}
