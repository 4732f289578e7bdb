/**
 * `npm run demo`: the real bot, its real database and HTTP endpoint, against
 * the built-in Slack stand-in, through a scripted incident. No Slack
 * workspace and no configuration needed. Prints what the bot did.
 */
import { Harness } from '../test/support/harness.js';
import { USERS } from '../test/support/slack-stand-in.js';
import { describeCall, readable } from './transcript.js';

const name = (id: string) => USERS[id]?.name ?? id;
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const h = await Harness.start({ env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } });
  let seen = 0;
  const showBot = () => {
    for (const call of h.slack.calls.slice(seen)) for (const line of describeCall(h.slack, call)) out(`   🤖 ${line}`);
    seen = h.slack.calls.length;
  };

  async function say(userId: string, text: string, channelId?: string): Promise<void> {
    const where = channelId ? `#${h.slack.channels.get(channelId)?.name}` : '#general';
    out(`\n👤 @${name(userId)} in ${where}: /incident ${text}`);
    const { replies } = await h.run(text, { userId, channelId });
    showBot();
    for (const r of replies) out(`   🔒 (only @${name(userId)} sees) ${readable(h.slack, r).split('\n').join('\n      ')}`);
  }

  async function pin(channelId: string, userId: string, author: string, text: string): Promise<void> {
    const message = h.slack.userPosts(channelId, author, text);
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
  const channel = h.incidentChannel(1).id;
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

  out('\nThat is the product: one command gave a numbered incident, its channel, roles, a pinned header');
  out('kept up to date, announcements, and a timeline that recorded itself. Run `npm test` for the proof.');
  await h.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
