import { z } from 'zod';

/**
 * The Prometheus HTTP API's JSON envelope (https://prometheus.io/docs/prometheus/latest/querying/api/).
 * Sample values travel as strings so that NaN and ±Inf survive JSON; a native
 * histogram sample carries `histogram` instead of `value` and is refused by the caller.
 */
const sampleValue = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

const vectorResult = z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labels, value: sampleValue.optional() })) });
const matrixResult = z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labels, values: z.array(sampleValue).optional() })) });
const scalarResult = z.object({ resultType: z.literal('scalar'), result: sampleValue });
const stringResult = z.object({ resultType: z.literal('string'), result: sampleValue });

export const queryData = z.discriminatedUnion('resultType', [vectorResult, matrixResult, scalarResult, stringResult]);
export type QueryData = z.infer<typeof queryData>;

export const apiEnvelope = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data: z.unknown() }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

/**
 * Prometheus writes floats with Go's strconv and the specials as "NaN", "+Inf"
 * and "-Inf"; JavaScript's Number() reads "NaN" but not "+Inf", hence the table.
 * Returns undefined for anything that is not a number.
 */
export function parseSampleValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `{job="checkout-api", status="500"}`, for saying which series came back. */
export function labelText(metric: Record<string, string>): string {
  const pairs = Object.entries(metric).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `{${pairs.join(', ')}}`;
}
