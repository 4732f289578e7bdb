/*
 * How a budget remaining is rounded for people, in one place so Slack and the
 * postmortem agree. It is read against the policy's thresholds, which are
 * written as whole or half percentages (50 %, 25 %, 12.5 %, 0 %): rounded to
 * the nearest, 49.96 % would read `50.0 %`, at the 50 % threshold it is past.
 * So a rounding up that reaches or passes a whole or half percentage rounds
 * down instead (49.9 %), and otherwise the figure is rounded as usual
 * (30.76 % is 30.8 %, as the consumed share beside it is rounded).
 */

/** Float noise (1 − 0.00075 / 0.001 is 0.2500000000000002): exactly 25 % stays 25.0 %, as policy.ts keeps it crossed. */
const NOISE_PERCENT = 1e-7;
const STEP = 0.5;

/**
 * A budget remaining in percent (above 0), rounded to `decimals` for display,
 * never up to or past a whole or half percentage (see above).
 */
export function roundRemainingPercent(percent: number, decimals: number): number {
  const scale = 10 ** decimals;
  const nearest = Math.round(percent * scale) / scale;
  if (nearest <= percent + NOISE_PERCENT) return nearest;
  const boundary = Math.ceil((percent + NOISE_PERCENT) / STEP) * STEP;
  return nearest >= boundary - NOISE_PERCENT ? Math.floor((percent + NOISE_PERCENT) * scale) / scale : nearest;
}
