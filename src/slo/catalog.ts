import type { DocumentResult } from './formats/draft.js';
import { collectOpenSloDataSources, OPENSLO_VERSION, readOpenSloDocument, type OpenSloDataSources } from './formats/openslo.js';
import { readPlainDocument } from './formats/plain.js';
import { readSlothDocument, SLOTH_VERSION } from './formats/sloth.js';
import { SloConfigError, type SloCatalog, type SloDefinition, type SloFormat, type SloWindow } from './model.js';
import { fileProblem } from './problems.js';
import { DEFAULT_WINDOW, parseWindow } from './window.js';
import { listYamlFiles, nodeSloFiles, readYamlDocuments, type SloFiles } from './yaml-files.js';

/** How loadSloCatalog reads; both optional. */
export interface LoadSloCatalogOptions {
  /** Where files are read from; the real disk unless a test hands its own. */
  readonly files?: SloFiles;
  /**
   * The window of every Sloth SLO: Sloth's spec has none and takes it from
   * `sloth generate --default-slo-period`, whose default, 30d, is this one's.
   */
  readonly slothWindow?: string;
}

/** SLO_FILES as written (`slos/,extra/search.yaml`) → the paths, blanks dropped. */
export function splitSloFilesSetting(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

/**
 * Which of the three formats a document is, by its shape: `apiVersion`
 * (OpenSLO), `version` (Sloth), `service`/`slos` (plain). A document with a
 * wrong version still goes to its format, whose reader names the key.
 */
function formatOf(document: unknown): SloFormat | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  if ('apiVersion' in document) return typeof document.apiVersion === 'string' && document.apiVersion.startsWith('openslo/') ? 'openslo' : undefined;
  if ('version' in document) return 'sloth';
  if ('slos' in document || 'service' in document) return 'plain';
  return undefined;
}

/**
 * A document may be a list of objects (OpenSLO's tools accept a list of
 * resources in one document): each item is read as a document of its own,
 * its problems prefixed with its index (`[2].spec.service`).
 */
function objectsOf(value: unknown): { value: unknown; prefix: string }[] {
  return Array.isArray(value) ? value.map((item, i) => ({ value: item, prefix: `[${i}]` })) : [{ value, prefix: '' }];
}

function readDocument(format: SloFormat | undefined, value: unknown, slothWindow: SloWindow, dataSources: OpenSloDataSources): DocumentResult {
  switch (format) {
    case 'plain':
      return readPlainDocument(value);
    case 'sloth':
      return readSlothDocument(value, slothWindow);
    case 'openslo':
      return readOpenSloDocument(value, dataSources);
    case undefined:
      return { ok: false, problems: [{ path: '', message: UNRECOGNISED }] };
  }
}

interface FileObject {
  readonly file: string;
  /** The file as problems name it: `file`, or `file (document 2)` in a file of several. */
  readonly where: string;
  /** `[i]` for an item of a list document, '' otherwise. */
  readonly prefix: string;
  readonly value: unknown;
}

/** Every object a file holds, in order, and the file's own problems (unreadable, bad YAML, empty). */
function objectsInFile(file: string, read: ReturnType<typeof readYamlDocuments>): { objects: FileObject[]; problems: string[] } {
  if ('problem' in read) return { objects: [], problems: [read.problem] };
  const problems = read.documents.length === 0 ? [`${file}: is empty; it defines no SLO`] : [];
  const objects = read.documents.flatMap((doc, i) => {
    if (!doc.ok) {
      problems.push(...doc.problems.map((p) => `${file}: ${p}`));
      return [];
    }
    const where = read.documents.length > 1 ? `${file} (document ${i + 1})` : file;
    return objectsOf(doc.value).map(({ value, prefix }) => ({ file, where, prefix, value }));
  });
  return { objects, problems };
}

const UNRECOGNISED = `is not an SLO document: write the plain format (service, slos), Sloth (version: ${SLOTH_VERSION}) or OpenSLO (apiVersion: ${OPENSLO_VERSION}, kind: SLO)`;

/**
 * Reads, checks and normalises every SLO in the given YAML files and folders
 * (see listYamlFiles for folders). Every problem in every file is gathered
 * before anything is refused: a SloConfigError lists them all, each as
 * `file: path: message` (`file (document 2): ...` in a file of several
 * documents). An SLO defined twice for one service, in any files, is a
 * problem too. No paths at all: an empty catalog.
 */
export function loadSloCatalog(paths: readonly string[], options: LoadSloCatalogOptions = {}): { catalog: SloCatalog; files: readonly string[] } {
  const fs = options.files ?? nodeSloFiles;
  const listed = listYamlFiles(paths, fs);
  const problems = [...listed.problems];

  let slothWindow = DEFAULT_WINDOW;
  if (options.slothWindow !== undefined) {
    const parsed = parseWindow(options.slothWindow);
    if (parsed.ok) slothWindow = parsed.value;
    else problems.push(`the Sloth window ${parsed.message}`);
  }

  // DataSources first, from every file: an SLO may name one defined in a file read after it.
  const perFile = listed.files.map((file) => objectsInFile(file, readYamlDocuments(file, fs)));
  const dataSources = collectOpenSloDataSources(perFile.flatMap((f) => f.objects.map((o) => o.value)));

  const slos: SloDefinition[] = [];
  const byId = new Map<string, SloDefinition>();
  for (const { objects, problems: fileProblems } of perFile) {
    problems.push(...fileProblems);
    for (const { file, where, prefix, value } of objects) {
      const at = (path: string) => (prefix === '' ? path : path === '' ? prefix : `${prefix}.${path}`);
      const format = formatOf(value);
      const result = readDocument(format, value, slothWindow, dataSources);
      if (!result.ok) {
        problems.push(...result.problems.map((p) => fileProblem(where, { path: at(p.path), message: p.message })));
        continue;
      }
      for (const { namePath, ...draft } of result.slos) {
        const id = `${draft.service}/${draft.name}`;
        const earlier = byId.get(id.toLowerCase());
        if (earlier) {
          problems.push(fileProblem(where, { path: at(namePath), message: `"${draft.name}" is already an SLO of ${earlier.service} (in ${earlier.source.file}); give it another name` }));
          continue;
        }
        const slo: SloDefinition = Object.freeze({ ...draft, id, source: Object.freeze({ file, format: format as SloFormat }) });
        byId.set(id.toLowerCase(), slo);
        slos.push(slo);
      }
    }
  }
  if (problems.length > 0) throw new SloConfigError(problems);
  return { catalog: Object.freeze({ slos: Object.freeze(slos) }), files: listed.files };
}

/** The SLOs of one service (names compared without regard to case, as the catalog does). */
export function slosForService(catalog: SloCatalog, service: string): readonly SloDefinition[] {
  const wanted = service.toLowerCase();
  return catalog.slos.filter((slo) => slo.service.toLowerCase() === wanted);
}

/** One SLO by `service/name` or by service and name; undefined when there is none. */
export function findSlo(catalog: SloCatalog, service: string, name?: string): SloDefinition | undefined {
  const id = (name === undefined ? service : `${service}/${name}`).toLowerCase();
  return catalog.slos.find((slo) => slo.id.toLowerCase() === id);
}
