import { describe, expect, it } from 'vitest';
import { parseActionInput } from '../../../src/domain/action-input.js';
import { daysBetween, parseDueDate, todayIn } from '../../../src/domain/due-date.js';

describe('due dates', () => {
  const sunday = '2026-11-22';
  it.each([
    ['2026-12-01', '2026-12-01'],
    ['today', sunday],
    ['tomorrow', '2026-11-23'],
    ['in 3d', '2026-11-25'],
    ['in 3 days', '2026-11-25'],
    ['in 1 day', '2026-11-23'],
    ['in 2w', '2026-12-06'],
    ['in 2 weeks', '2026-12-06'],
    ['next monday', '2026-11-23'],
    ['Next Friday', '2026-11-27'],
    ['sunday', '2026-11-29'],
    ['fri', '2026-11-27'],
  ])('%s → %s', (expression, expected) => {
    expect(parseDueDate(expression, sunday)).toBe(expected);
  });

  // Years before 1970 are typos: `0050-03-01` was taken as a date 1976 years overdue.
  it.each(['2026-02-30', '2026-13-01', '26-12-01', '0050-03-01', '0000-01-01', '1969-12-31', 'yesterday', 'in a week', 'next month', ''])('refuses %j', (expression) => {
    expect(parseDueDate(expression, sunday)).toBeUndefined();
  });

  it('reads today on the team calendar, across midnight and daylight saving', () => {
    expect(todayIn(new Date('2026-11-22T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-23');
    expect(todayIn(new Date('2026-11-22T03:30:00Z'), 'America/New_York')).toBe('2026-11-21');
    // Europe/Paris leaves summer time on 2026-10-25: still one calendar day from Saturday to Sunday.
    expect(daysBetween('2026-10-24', '2026-10-25')).toBe(1);
    expect(parseDueDate('in 1d', '2026-10-24')).toBe('2026-10-25');
    expect(parseDueDate('in 1d', '2026-03-28')).toBe('2026-03-29');
  });
});

describe('parseActionInput', () => {
  const today = '2026-11-22';
  it('reads owner and due date from the end, defaulting to the typist and 14 days', () => {
    expect(parseActionInput('Add canary <@U1> due next monday', 'U9', today)).toEqual({ text: 'Add canary', ownerId: 'U1', dueDate: '2026-11-23', ownerDefaulted: false, dueDefaulted: false });
    expect(parseActionInput('Add canary', 'U9', today)).toEqual({ text: 'Add canary', ownerId: 'U9', dueDate: '2026-12-06', ownerDefaulted: true, dueDefaulted: true });
    expect(parseActionInput('Add canary due 2026-12-24', 'U9', today)).toMatchObject({ ownerId: 'U9', dueDate: '2026-12-24' });
    expect(parseActionInput('Ask <@U2> about it <@U3>', 'U9', today)).toMatchObject({ text: 'Ask <@U2> about it', ownerId: 'U3' });
  });

  it('keeps a "due" that is not a date as part of the text', () => {
    expect(parseActionInput('Retry failed due to OOM', 'U9', today).text).toBe('Retry failed due to OOM');
  });

  it('reads the due clause from the last "due" of the line, so the text may say "due" with a date-like word', () => {
    expect(parseActionInput('Due today banner on status page <@U1> due 2026-11-23', 'U9', today)).toMatchObject({ text: 'Due today banner on status page', ownerId: 'U1', dueDate: '2026-11-23' });
    expect(parseActionInput('Alert when invoices fall due in 3d <@U1> due next monday', 'U9', today)).toMatchObject({ text: 'Alert when invoices fall due in 3d', ownerId: 'U1', dueDate: '2026-11-23' });
    expect(parseActionInput('Retry failed due to OOM due tomorrow', 'U9', today)).toMatchObject({ text: 'Retry failed due to OOM', dueDefaulted: false });
  });

  it('refuses a date that looks like one but is not', () => {
    expect(() => parseActionInput('x due 2026-13-01', 'U9', today)).toThrow(/not a date I can read/);
    expect(() => parseActionInput('x due in 3 fortnights', 'U9', today)).toThrow(/not a date I can read/);
    expect(() => parseActionInput('x due 0050-03-01', 'U9', today)).toThrow(/"0050-03-01" is not a date I can read\.\nUsage: /);
    expect(() => parseActionInput('<@U1> due tomorrow', 'U9', today)).toThrow(/Say what needs doing/);
  });
});
