import { z } from 'zod';
import { DEFAULT_REOPEN_WITHIN_MS, DEFAULT_SERVICE_LABELS, defaultAlertRules, type AlertRule, type AlertRules } from '../domain/alert-rules.js';
import { SEVERITIES } from '../domain/model.js';
import { fileProblem, parseDocument } from '../slo/problems.js';
import { strictObject } from '../slo/fields.js';
import { nodeSloFiles, readYamlDocuments, type SloFiles } from '../slo/yaml-files.js';
import { inertLabels } from './inert-text.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `1h`, `90m`, `1h30m`, `2d`: whole numbers of s, m, h or d, largest first as Prometheus writes them. */
export function parseAlertDuration(text: string): number | undefined {
  const written = text.trim();
  if (!/^(\d+[dhms])+$/.test(written)) return undefined;
  let ms = 0;
  for (const [, n, unit] of written.matchAll(/(\d+)([dhms])/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return ms;
}

const durationField = z.string().transform((text, ctx) => {
  const ms = parseAlertDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is not a duration (write a number and s, m, h or d, like 1h or 90m)` });
    return z.NEVER;
  }
  return ms;
});

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name (letters, digits and _)');
const channelId = z.string().trim().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id like C0123TRIAGE (not a #name)');

const RuleShape = strictObject(
  {
    match: z.record(labelName, z.string({ error: 'must be text (quote numbers: "1")' })),
    declare: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
    notify: channelId.optional(),
  },
  'a rule',
).superRefine((rule, ctx) => {
  if ((rule.declare === undefined) === (rule.notify === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'needs exactly one of declare: sev1|sev2|sev3 or notify: <channel id>' });
  }
});

const RulesFile = strictObject(
  {
    rules: z.array(RuleShape).min(1),
    resolve_with_alerts: z.boolean().optional(),
    reopen_within: durationField.optional(),
    service_labels: z.array(labelName).min(1).optional(),
  },
  'the alert rules file',
);

export class AlertRulesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Reads ALERT_RULES_FILE (one YAML document). Every problem names the file and
 * the path in it; without a file the defaults apply.
 */
export function loadAlertRules(file: string | undefined, announceChannel: string | null, files: SloFiles = nodeSloFiles): AlertRules {
  if (!file) return defaultAlertRules(announceChannel);
  const read = readYamlDocuments(file, files);
  if ('problem' in read) throw new AlertRulesError([read.problem]);
  const [doc, ...more] = read.documents;
  if (!doc) throw new AlertRulesError([`${file}: is empty; write a rules: list (see the README, "Alerts from Alertmanager")`]);
  if (more.length > 0) throw new AlertRulesError([`${file}: holds ${read.documents.length} YAML documents; write one`]);
  if (!doc.ok) throw new AlertRulesError(doc.problems.map((p) => `${file}: ${p}`));
  const parsed = parseDocument(RulesFile, doc.value);
  if (!parsed.ok) throw new AlertRulesError(parsed.problems.map((p) => fileProblem(file, p)));
  // Matched against labels made inert at parsing (inert-text.ts): a value written with < or > still matches.
  const rules: AlertRule[] = parsed.value.rules.map((r) => ({ match: inertLabels(r.match), action: r.declare ? { declare: r.declare } : { notify: r.notify ?? null } }));
  return {
    rules,
    resolveWithAlerts: parsed.value.resolve_with_alerts ?? false,
    reopenWithinMs: parsed.value.reopen_within ?? DEFAULT_REOPEN_WITHIN_MS,
    serviceLabels: parsed.value.service_labels ?? DEFAULT_SERVICE_LABELS,
    announceChannel,
  };
}
