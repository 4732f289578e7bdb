import type { SloDefinition } from '../model.js';
import type { DocumentProblem } from '../problems.js';

/**
 * An SLO as one document defines it, before the catalog gives it its file and
 * id. `namePath` says where its name was written, for the duplicate check.
 */
export type SloDraft = Omit<SloDefinition, 'id' | 'source'> & { readonly namePath: string };

/** What a format's normaliser makes of one YAML document. */
export type DocumentResult = { readonly ok: true; readonly slos: readonly SloDraft[] } | { readonly ok: false; readonly problems: readonly DocumentProblem[] };
