/**
 * `npm run postmortem -- <number>`: prints the stored postmortem draft of an
 * incident (INC-<number>) to standard output. Reads only the database
 * (DATABASE_URL, default ./data/incidents.db), so it works with Slack down.
 * People are printed by the names the bot recorded from Slack (or their user
 * id), since canvas mentions (`![](@U0BOB)`) read as noise in a terminal.
 */
import { existsSync } from 'node:fs';
import { databasePath, openDatabase } from '../src/db/client.js';
import { loadDotEnv } from '../src/env-file.js';
import { createRepositories } from '../src/db/repositories.js';
import { loadPostmortemData } from '../src/postmortem/data.js';
import { mentionedUserIds, withPeopleNames } from '../src/postmortem/markdown.js';
import { renderPostmortem } from '../src/postmortem/render.js';
import type { SloSettings } from '../src/domain/slo-figures.js';
import { loadSloSettings } from '../src/slo/settings-from-env.js';

/** The SLO files and policy as the bot reads them, for a draft written now (a problem is said, not fatal: the rest still prints). */
function sloSettings(): SloSettings {
  const { settings, problems } = loadSloSettings(process.env.SLO_FILES || undefined, process.env.ERROR_BUDGET_POLICY_FILE || undefined);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  return settings;
}

async function main(): Promise<number> {
  loadDotEnv();
  const arg = process.argv[2] ?? '';
  const id = Number(arg.replace(/^INC-/i, ''));
  if (!Number.isInteger(id) || id < 1) {
    process.stderr.write('Usage: npm run postmortem -- <incident number>   (for example: npm run postmortem -- 12)\n');
    return 2;
  }
  const url = process.env.DATABASE_URL || './data/incidents.db';
  if (!existsSync(databasePath(url))) {
    process.stderr.write(`No database at ${databasePath(url)} (set DATABASE_URL).\n`);
    return 1;
  }
  const db = openDatabase(url);
  try {
    const repos = createRepositories(db);
    const incident = await repos.incidents.get(id);
    if (!incident) {
      process.stderr.write(`There is no incident INC-${id}.\n`);
      return 1;
    }
    // The stored draft is what was published; an incident not resolved yet gets one written now.
    const stored = await repos.postmortems.get(id);
    const markdown = stored?.markdown ?? renderPostmortem(await loadPostmortemData(repos, incident, sloSettings()));
    process.stdout.write(withPeopleNames(markdown, await repos.names.namesOf(mentionedUserIds(markdown))));
    return 0;
  } finally {
    db.$client.close();
  }
}

process.exitCode = await main();
