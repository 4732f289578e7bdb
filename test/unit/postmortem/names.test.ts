import { describe, expect, it } from 'vitest';
import { rememberNames } from '../../../src/domain/people.js';
import { mentionedUserIds, withPeopleNames } from '../../../src/postmortem/markdown.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { namesInCommand } from '../../../src/slack/people-names.js';
import { memoryDeps } from '../../support/memory-store.js';
import { postmortemData } from './fixture.js';

describe('people in the postmortem printed outside Slack', () => {
  it('names people instead of showing canvas mentions, and falls back to the bare user id', () => {
    const markdown = renderPostmortem(postmortemData());
    expect(markdown).toContain('![](@U0ALICE)');
    const printed = withPeopleNames(markdown, new Map([['U0ALICE', 'alice']]));
    expect(printed).not.toContain('![](@');
    expect(printed).toContain('- Declared SEV2 at 10:00 UTC by alice.');
    expect(withPeopleNames('| ![](@U0BOB) | ![](@W0ZED) |', new Map())).toBe('| U0BOB | W0ZED |');
  });

  it('escapes a name so it cannot break a table or open emphasis', () => {
    expect(withPeopleNames('| ![](@U0BOB) |', new Map([['U0BOB', 'bob|*x*']]))).toBe('| bob\\|\\*x\\* |');
  });

  it('makes a mention only of one Slack delivered: canvas mentions written out as text stay text', () => {
    const markdown = renderPostmortem(postmortemData({ incident: { title: 'disk full, owner ![](@U0BOB)', description: 'ask <@U0CAROL> or ![](#C0SECRET)' } }));
    expect(mentionedUserIds(markdown)).not.toContain('U0BOB');
    expect(markdown).toContain('disk full, owner !\\[]\\(@U0BOB)');
    expect(markdown).not.toContain('![](#C0SECRET)');
    expect(markdown).toContain('ask ![](@U0CAROL)');
  });

  it('keeps a Markdown link typed in Slack as the text it was there, never a link with a hidden address', () => {
    const markdown = renderPostmortem(postmortemData({ incident: { title: 'See [the runbook](https://evil.example/x)', description: 'a [b] (c) ![](https://x/y.png)' } }));
    expect(markdown).toContain('See [the runbook]\\(https://evil.example/x)');
    expect(markdown).not.toMatch(/\]\(https:\/\/evil/);
    expect(markdown).toContain('a [b] (c) !\\[]\\(https://x/y.png)');
  });

  it('lists each mentioned user once', () => {
    expect(mentionedUserIds('![](@U0BOB) and ![](@U0ALICE), again ![](@U0BOB)')).toEqual(['U0BOB', 'U0ALICE']);
  });
});

describe('names learnt from Slack', () => {
  it('reads who typed a command and every labelled mention in it', () => {
    const body = { command: '/incident', user_id: 'U0ALICE', user_name: 'alice', text: 'role tech <@U0BOB|bob> and <@U0CAROL|c&amp;d> <@U0DAN>' };
    expect(namesInCommand(body)).toEqual([
      { userId: 'U0ALICE', name: 'alice' },
      { userId: 'U0BOB', name: 'bob' },
      { userId: 'U0CAROL', name: 'c&d' },
    ]);
    expect(namesInCommand({ type: 'block_actions', user: { id: 'U0BOB', name: 'bob' } })).toEqual([]);
  });

  it('records the last name seen, cleaned, and never an id as a name', async () => {
    const deps = memoryDeps();
    expect(await rememberNames(deps, [{ userId: 'U0BOB', name: 'bob' }, { userId: 'U0ZED', name: 'U0ZED' }, { userId: 'U0EVE', name: '  ' }])).toBe(1);
    expect(await rememberNames(deps, [{ userId: 'U0BOB', name: 'bob' }])).toBe(0);
    await rememberNames(deps, [{ userId: 'U0BOB', name: 'robert\n  smith' }]);
    expect(await deps.store.names.namesOf(['U0BOB', 'U0ZED', 'U0EVE'])).toEqual(new Map([['U0BOB', 'robert smith']]));
  });
});
