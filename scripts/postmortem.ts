/**
 * `npm run postmortem -- <number>`: prints the stored postmortem draft of an
 * incident (INC-<number>) to standard output. Reads only the database
 * (DATABASE_URL: a SQLite file, default ./data/incidents.db, or PostgreSQL), so it works with Slack down.
 * People are printed by the names the bot recorded from Slack (or their user
 * id), since canvas mentions (`![](@U0BOB)`) read as noise in a terminal.
 */
import { existsSync } from 'node:fs';
import { databasePath } from '../src/db/client.js';
import { openStore } from '../src/db/open-store.js';
import { isPostgresUrl } from '../src/db/postgres/client.js';
import { loadDotEnv } from '../src/env-file.js';
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
  if (!isPostgresUrl(url) && !existsSync(databasePath(url))) {
    process.stderr.write(`No database at ${databasePath(url)} (set DATABASE_URL).\n`);
    return 1;
  }
  const database = openStore(url);
  try {
    await database.ready();
    const repos = database.store;
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
    await database.close();
  }
}

process.exitCode = await main();
