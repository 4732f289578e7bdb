/**
 * A Prometheus that keeps less than the SLO window (here one day against
 * 30 days; the default 15 days against the usual 28–30 in production)
 * answers a `[30d]` query from what it keeps, silently. The bot reads the
 * retention from /api/v1/status/runtimeinfo and says, wherever the window's
 * figure is shown, that it covers only what Prometheus keeps: the header,
 * `/incident slo` and the postmortem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { expectedWindowRatio, requestsOpenMetrics, type SyntheticTraffic } from '../support/openmetrics.js';
import { backfillOpenMetrics, findPrometheusBinaries, requirePrometheus } from '../support/prometheus-server.js';
import { ServerProcess, startOnFreePort } from '../support/real-binary.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';
import { section } from '../unit/postmortem/fixture.js';

const NOW = new Date('2026-11-30T00:00:00Z');
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const TRAFFIC: SyntheticTraffic = {
  job: 'checkout-api',
  requestsPerSecond: 100,
  backgroundErrorRatio: 0.0005,
  outages: [{ start: new Date('2026-11-29T23:30:00Z'), end: NOW, errorRatio: 0.02 }],
  start: new Date(NOW.getTime() - 3 * DAY),
  end: NOW,
  stepSeconds: 60,
};

/** A real Prometheus holding TRAFFIC, started with `--storage.tsdb.retention.time=1d` (the harness's keeps 10y). */
async function prometheusKeepingOneDay(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const binaries = findPrometheusBinaries()!;
  const folder = await mkdtemp(join(tmpdir(), 'slo-retention-prometheus-'));
  await writeFile(join(folder, 'prometheus.yml'), 'global: {}\n');
  await backfillOpenMetrics(requestsOpenMetrics(TRAFFIC), join(folder, 'data'), binaries.promtool, folder);
  let port = 0;
  let child: ServerProcess | undefined;
  await startOnFreePort(
    (p) => (port = p),
    async () => {
      child = await ServerProcess.start({
        name: 'prometheus',
        binary: binaries.prometheus,
        args: [`--config.file=${join(folder, 'prometheus.yml')}`, `--storage.tsdb.path=${join(folder, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1d'],
        readyUrl: `http://127.0.0.1:${port}/-/ready`,
        readyTimeoutMs: 15_000,
        onLog: () => undefined,
      });
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    dispose: async () => {
      await child?.stop(5_000);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!requirePrometheus())('SLO figures from a Prometheus that keeps less than the SLO window', () => {
  let prometheus: Awaited<ReturnType<typeof prometheusKeepingOneDay>>;
  let dir: string;
  let h: Harness;
  const clock = new FixedClock(NOW);

  beforeAll(async () => {
    prometheus = await prometheusKeepingOneDay();
    dir = mkdtempSync(join(tmpdir(), 'slo-retention-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml'), PROMETHEUS_URL: prometheus.url, PROMETHEUS_TIMEOUT: '5s' }, bot: { clock } });
  }, 40_000);

  afterAll(async () => {
    await h?.stop();
    await prometheus?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("says the budget left is over the day Prometheus keeps, not the SLO's 30d, in the header, /incident slo and the postmortem", async () => {
    const runtime = (await (await fetch(`${prometheus.url}/api/v1/status/runtimeinfo`)).json()) as { data: { storageRetention: string } };
    expect(runtime.data.storageRetention).toBe('1d');

    await h.run('declare sev2 Checkout failing', { userId: 'U0ALICE' });
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel });
    await h.run('impact started 2026-11-29 23:30', { channelId: channel });
    await h.settle();

    const stored = (await h.bot.store.sloFigures.forIncident(1))[0]!.figures;
    expect(stored.status).toMatchObject({ kind: 'measured', retention: { text: '1d', ms: DAY, windowText: '30d' } });
    const c = await h.incidentChannel(1);
    const header = JSON.stringify(c.messages.find((m) => c.pins.has(m.ts))!.blocks);
    expect(header).toMatch(/\*checkout_availability\* \(99\.9 % \/ 30d\): burned .* in this incident · [\d.]+ % left over the 1d Prometheus keeps, not the SLO's 30d · burn rate/);

    const { responseId } = await h.run('slo checkout-api', { userId: 'U0CAROL' });
    await expect.poll(() => h.slack.responsesFor(responseId).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    expect(JSON.stringify(h.slack.responsesFor(responseId).map((r) => r.blocks))).toMatch(/\\n[\d.]+ % left over the 1d Prometheus keeps, not the SLO's 30d · burn rate [\d.]+× \(1h\)[^\\]* _\(measured now\)_/);

    await h.run('resolve Rolled back', { channelId: channel });
    await h.settle();
    const markdown = (await h.bot.store.postmortems.get(1))!.markdown;
    const remaining = section(markdown, 'SLO impact').split('\n').find((l) => l.startsWith('| Remaining after it |'))!;
    expect(remaining).toContain("measured over only the 1 day Prometheus keeps (its storage retention) up to 2026-11-30 00:00 UTC, not over the SLO's 30 days: what came before is not known to it, so this is not the window's figure; burn rate then");
    expect(markdown.split('\n').find((l) => l.startsWith('**Error budget impact**'))).toContain("remaining (over the 1 day Prometheus keeps, not the SLO's 30 days).");
  }, 30_000);

  it('measures an impact that began 30 hours ago over the day Prometheus keeps, and says "at least" with the 6 hours left out', async () => {
    await h.run('declare sev2 Checkout slow for a day', { userId: 'U0ALICE' });
    const channel = (await h.incidentChannel(2)).id;
    await h.run('service checkout-api', { channelId: channel });
    await h.run('impact started 2026-11-28 18:00', { channelId: channel });
    await h.settle();

    const use = (await h.bot.store.sloFigures.forIncident(2))[0]!.figures.incident;
    expect(use).toMatchObject({ kind: 'measured', impactMs: 30 * 60 * MINUTE, notKept: { ms: 6 * 60 * MINUTE, retentionText: '1d' } });
    // The error ratio of the kept day, worked out from the traffic, over its 24 hours alone.
    const keptDay = expectedWindowRatio(TRAFFIC, NOW, 86_400);
    expect(use.kind === 'measured' && use.errorRatio).toBeCloseTo(keptDay, 9);
    expect(use.kind === 'measured' && use.badTimeMs).toBeCloseTo(keptDay * DAY, 3);
    const c = await h.incidentChannel(2);
    const header = JSON.stringify(c.messages.find((m) => c.pins.has(m.ts))!.blocks);
    expect(header).toMatch(/: burned at least [\d.]+ min \([\d.]+ % of budget\) in this incident: its first 6 h 00 min are past the 1d Prometheus keeps · /);
  }, 30_000);
});
