import { describe, expect, it } from 'vitest';
import { findBlame } from '../../../src/postmortem/language-check.js';

const check = (text: string) => findBlame([{ where: 'x', text }]).map((f) => f.phrase.toLowerCase());

describe('language check', () => {
  it.each([
    ['The outage was caused by human error during the migration', 'human error'],
    ['Ops should have checked the config before pushing', 'should have'],
    ['The on-call failed to notice the alert', 'failed to'],
    ['A careless change to the load balancer', 'careless'],
    ['It was his fault for skipping review', 'his fault'],
    ['Bob forgot to renew the certificate', 'forgot to'],
    ['<@U0BOB> broke checkout with a config push', '<@u0bob> broke'],
    ['The outage was caused by <@U0BOB>', 'caused by <@u0bob>'],
    ['The engineer was negligent', 'negligent'],
  ])('flags %j', (text, phrase) => {
    expect(check(text)).toContain(phrase);
  });

  it.each([
    'Deploy 4812 shipped a payment client without a timeout',
    'The health check failed and the load balancer drained the pool',
    'Checkout errors were caused by an expired certificate',
    'The alert fired 12 minutes after the first errors',
    '<@U0BOB> rolled back the deploy',
    'Error budget for checkout is exhausted for the month',
  ])('leaves %j alone', (text) => {
    expect(check(text)).toEqual([]);
  });

  it('says where each phrase was and how to put it neutrally', () => {
    const [finding] = findBlame([{ where: 'timeline 09:12', text: 'human error' }]);
    expect(finding).toMatchObject({ where: 'timeline 09:12' });
    expect(finding!.suggestion).toMatch(/what let it go wrong/);
  });
});
