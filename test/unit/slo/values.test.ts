import { describe, expect, it } from 'vitest';
import { parsePercentage, parseTargetFraction, parseTargetPercentage } from '../../../src/slo/percentage.js';
import { errorRatioQuery, hasWindowPlaceholder, renderQuery } from '../../../src/slo/query.js';
import { parseWindow, prometheusDuration } from '../../../src/slo/window.js';

const MINUTE = 60_000;
const value = <T>(parsed: { ok: true; value: T } | { ok: false; message: string }) => (parsed.ok ? parsed.value : parsed.message);

describe('percentages', () => {
  it('read 99.9%, "99.9" and 99.9 alike, as the fraction a person writing 0.999 would get', () => {
    for (const written of ['99.9%', '99.9', 99.9, ' 99.9 %']) expect(value(parseTargetPercentage(written))).toBe(0.999);
    expect(value(parseTargetPercentage('99.95%'))).toBe(0.9995);
    expect(value(parsePercentage('0%'))).toBe(0);
    expect(value(parsePercentage(100))).toBe(1);
  });

  it('refuse a decimal comma, words, signs and exponents by quoting them back', () => {
    expect(value(parseTargetPercentage('99,9%'))).toBe('"99,9%" is not a percentage (write it like 99.9%)');
    expect(value(parseTargetPercentage('high'))).toBe('"high" is not a percentage (write it like 99.9%)');
    expect(value(parsePercentage('-5%'))).toBe('"-5%" is not a percentage (write it like 99.9%)');
    expect(value(parsePercentage(1e21))).toMatch(/is not a percentage/);
    expect(value(parsePercentage(true))).toBe('must be a percentage, like 99.9%');
  });

  it('as targets, refuse 100 % and 0 %, and a bare fraction that would read as under 1 %', () => {
    expect(value(parseTargetPercentage('100%'))).toBe('100% leaves no error budget; use a target below 100%, like 99.9%');
    expect(value(parseTargetPercentage(0))).toBe('0 must be above 0%, like 99.9%');
    expect(value(parseTargetPercentage(0.999))).toBe('0.999 reads as 0.999%; targets here are percentages, so write 99.9% for a fraction of 0.999');
    // A string is what the person wrote on purpose.
    expect(value(parseTargetPercentage('1%'))).toBe(0.01);
  });

  it("as OpenSLO's target, are fractions below 1", () => {
    expect(value(parseTargetFraction(0.999))).toBe(0.999);
    expect(value(parseTargetFraction(99.9))).toBe('99.9 is not a fraction below 1; write 0.999 for 99.9% (or targetPercent: 99.9)');
    expect(value(parseTargetFraction(1))).toMatch(/^1 is not a fraction below 1/);
    expect(value(parseTargetFraction('0.999'))).toBe('must be a fraction like 0.999');
  });
});

describe('windows', () => {
  it('are a whole number of minutes, hours, days or weeks', () => {
    expect(value(parseWindow('30d'))).toEqual({ text: '30d', ms: 30 * 1440 * MINUTE });
    expect(value(parseWindow('4w'))).toEqual({ text: '4w', ms: 28 * 1440 * MINUTE });
    expect(value(parseWindow('1h'))).toEqual({ text: '1h', ms: 60 * MINUTE });
    expect(value(parseWindow('90m'))).toEqual({ text: '90m', ms: 90 * MINUTE });
    expect(value(parseWindow(' 07d '))).toEqual({ text: '7d', ms: 7 * 1440 * MINUTE });
  });

  it('refuse other units, compound durations, nothing at all and more than a year', () => {
    expect(value(parseWindow('1M'))).toBe('"1M": months, quarters and years vary in length; write the window in days, like 30d');
    expect(value(parseWindow('30s'))).toBe('"30s" is not a window (write a number and m, h, d or w, like 30d)');
    expect(value(parseWindow('1d12h'))).toMatch(/is not a window/);
    expect(value(parseWindow('0d'))).toBe('"0d" is an empty window; write one like 30d');
    expect(value(parseWindow('53w'))).toBe('"53w" is longer than a year; write at most 366d');
    expect(value(parseWindow('366d'))).toEqual({ text: '366d', ms: 366 * 1440 * MINUTE });
    expect(value(parseWindow(30))).toBe('must be a window like 30d (a number and m, h, d or w)');
  });
});

describe('query templates', () => {
  const window = { text: '30d', ms: 30 * 1440 * MINUTE };

  it('put the window into {{.window}}, with or without Go-template spaces', () => {
    expect(renderQuery('rate(x[{{.window}}]) / rate(y[{{ .window }}]) + z[{{- .window -}}]', window)).toBe('rate(x[30d]) / rate(y[30d]) + z[30d]');
    expect(hasWindowPlaceholder('rate(x[{{ .window }}])')).toBe(true);
    expect(hasWindowPlaceholder('rate(x[5m])')).toBe(false);
    // The check is stateless: the same answer twice in a row.
    expect(hasWindowPlaceholder('a[{{.window}}]') && hasWindowPlaceholder('a[{{.window}}]')).toBe(true);
  });

  it('take an impact length in milliseconds as a Prometheus duration', () => {
    expect(renderQuery('x[{{.window}}]', 90 * MINUTE)).toBe('x[1h30m]');
    expect(prometheusDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d4h');
    expect(prometheusDuration(200)).toBe('1s');
    expect(prometheusDuration(61_500)).toBe('1m2s');
    expect(() => prometheusDuration(Number.NaN)).toThrow(RangeError);
  });

  it('make one error-ratio expression of each SLI form, and none of words', () => {
    expect(errorRatioQuery({ kind: 'events', errorQuery: 'sum(e[{{.window}}])', totalQuery: 'sum(t[{{.window}}])' }, window)).toBe('(sum(e[30d])) / (sum(t[30d]))');
    expect(errorRatioQuery({ kind: 'good-events', goodQuery: 'g[{{.window}}]', totalQuery: 't[{{.window}}]' }, 15 * MINUTE)).toBe('1 - ((g[15m]) / (t[15m]))');
    expect(errorRatioQuery({ kind: 'error-ratio', errorRatioQuery: 'a[{{.window}}] or vector(0)' }, window)).toBe('(a[30d] or vector(0))');
    expect(errorRatioQuery({ kind: 'text', numerator: 'bad', denominator: 'all' }, window)).toBeUndefined();
  });
});
