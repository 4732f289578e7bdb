/**
 * `npm run demo`: the real bot, its real database and HTTP endpoint, against
 * the built-in Slack stand-in, through a scripted incident. No Slack
 * workspace and no configuration needed. Prints what the bot did, and leaves
 * its database in ./data/demo.db for `npm run postmortem`.
 */
import { FixedClock } from '../test/support/fixed-clock.js';
import { Harness } from '../test/support/harness.js';
import { USERS } from '../test/support/slack-stand-in.js';
import { DEMO_DATABASE_URL, freshDemoDatabase, postmortemCommand } from './demo-database.js';
import { describeCall, readable } from './transcript.js';

const name = (id: string) => USERS[id]?.name ?? id;
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  // A simulated clock, moved a few minutes at each step, so durations and the timeline read like a real incident.
  const clock = new FixedClock(new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const h = await Harness.start({ env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' }, bot: { clock }, databaseFile: freshDemoDatabase() });
  let seen = 0;
  const showBot = () => {
    for (const call of h.slack.calls.slice(seen)) for (const line of describeCall(h.slack, call)) out(`   🤖 ${line}`);
    seen = h.slack.calls.length;
  };

  async function say(userId: string, text: string, channelId?: string): Promise<void> {
    clock.advance(3 * 60_000);
    const where = channelId ? `#${h.slack.channels.get(channelId)?.name}` : '#general';
    out(`\n👤 @${name(userId)} in ${where}: /incident ${text}`);
    const { replies } = await h.run(text, { userId, channelId });
    showBot();
    for (const r of replies) out(`   🔒 (only @${name(userId)} sees) ${readable(h.slack, r).split('\n').join('\n      ')}`);
  }

  async function pin(channelId: string, userId: string, author: string, text: string): Promise<void> {
    clock.advance(2 * 60_000);
    const message = h.slack.userPosts(channelId, author, text, undefined, clock.now());
    out(`\n💬 @${name(author)} in #${h.slack.channels.get(channelId)?.name}: ${text}`);
    h.slack.react(channelId, message.ts, userId, 'pushpin');
    out(`👤 @${name(userId)} reacts with :pushpin:`);
    await h.event({ type: 'reaction_added', user: userId, reaction: 'pushpin', item: { type: 'message', channel: channelId, ts: message.ts }, item_user: author, event_ts: message.ts });
    await h.settle();
    showBot();
    out('   🤖 put the message on the timeline');
  }

  out('Incident bot demo: the real app over signed HTTP, against a local Slack stand-in.');
  showBot();
  await say('U0ALICE', 'declare sev1 Checkout errors spiking');
  const channel = (await h.incidentChannel(1)).id;
  await say('U0ALICE', 'role tech <@U0BOB|bob>', channel);
  await say('U0ALICE', 'role comms <@U0CAROL|carol>', channel);
  await pin(channel, 'U0ALICE', 'U0BOB', '5xx on /checkout jumped from 0.1% to 38% at 09:02, right after deploy 4812');
  await say('U0BOB', 'status identified Deploy 4812 broke the payment client; rolling back', channel);
  await say('U0ALICE', 'severity sev2', channel);
  await say('U0CAROL', 'note Status page updated: degraded checkout', channel);
  await say('U0BOB', 'status monitoring Rollback done, error rate back to 0.2%', channel);
  await say('U0ALICE', 'timeline', channel);
  await say('U0DAN', 'list');
  await say('U0DAN', 'role boss <@U0DAN|dan>', channel);
  await say('U0ALICE', 'action Add a timeout to the payment client <@U0BOB|bob> due in 1w', channel);
  await say('U0ALICE', 'action Canary stage for checkout deploys due next monday', channel);
  await say('U0CAROL', 'action Alert on checkout 5xx above 1% due 2026-01-01', channel);
  await say('U0ALICE', 'resolve Rolled back deploy 4812; checkout healthy for 20 minutes', channel);

  const draft = (await h.bot.store.postmortems.get(1))?.markdown ?? '';
  out('\n📝 The postmortem draft the bot wrote (first lines):');
  for (const line of draft.split('\n').slice(0, 40)) out(`   ${readable(h.slack, line.replace(/!\[\]\(@(\w+)\)/g, '<@$1>'))}`);
  out('   …');

  // A week and a bit later, Monday 09:00: the digest chases what is overdue.
  const now = clock.now();
  const daysToMonday = ((8 - now.getUTCDay()) % 7) + 7;
  clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToMonday, 9, 0, 30)));
  out(`\n⏰ ${clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC, Monday: the weekly digest of overdue follow-ups`);
  await h.bot.digest.scheduler.check();
  showBot();

  out('\nThat is the product: one command gave a numbered incident, its channel, roles, a pinned header');
  out('kept up to date, announcements, a timeline that recorded itself, tracked follow-ups and a');
  out('blameless postmortem draft, and a weekly digest that chases the follow-ups. Run `npm test` for the proof.');
  await h.stop();
  out(`\nThe demo's database stays in ${DEMO_DATABASE_URL} (a new one at each demo). The whole postmortem draft:`);
  out(`   ${postmortemCommand(1)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
