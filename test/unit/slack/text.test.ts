import { describe, expect, it } from 'vitest';
import { fromSlackText, safe, safePlain } from '../../../src/slack/text.js';

describe('fromSlackText', () => {
  it('keeps user mentions and turns other markup into what the user saw', () => {
    expect(fromSlackText('role tech <@U123|bob>')).toBe('role tech <@U123>');
    expect(fromSlackText('<!here> and <!channel> and <!subteam^S1|@oncall>')).toBe('@here and @channel and @oncall');
    expect(fromSlackText('see <#C1|ops> <https://x.io|dash> <mailto:a@b.c>')).toBe('see #ops dash (https://x.io) mailto:a@b.c');
    expect(fromSlackText('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(fromSlackText('&lt;!channel&gt;')).toBe('<!channel>');
  });
});

describe('safe', () => {
  it('escapes everything but our own user mentions', () => {
    expect(safe('<@U123> fixed <b> & <!channel> <https://evil|x>')).toBe('<@U123> fixed &lt;b&gt; &amp; &lt;!channel&gt; &lt;https://evil|x&gt;');
  });

  it('defuses bare broadcast words', () => {
    expect(safe('@here @Channel @everyone email@here.com')).toBe('@\u200dhere @\u200dChannel @\u200deveryone email@\u200dhere.com');
    expect(safePlain('<!here> @channel')).toBe('<\u200d!here> @\u200dchannel');
  });
});
