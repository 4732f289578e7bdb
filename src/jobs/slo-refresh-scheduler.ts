import type { Logger } from 'pino';
import type { Clock, IncidentRepo, OutboxRepo } from '../domain/ports.js';
import type { SloFigureRepo, StoredSloFigures } from '../domain/slo-figures.js';
import { isSettled } from '../slo/too-short-impact.js';

/** What the scheduler reads and writes: the incidents, their final figures' gaps, and the outbox. */
export interface SloRefreshStore {
  readonly incidents: Pick<IncidentRepo, 'listOpen' | 'get'>;
  readonly sloFigures: { finalWithMissing(): Promise<number[]> } & Pick<SloFigureRepo, 'forIncident'>;
  readonly outbox: OutboxRepo;
}

/** A final figure with a part missing that another computation may give: not one settled (too short, not scraped, past retention). */
const stillToGet = ({ final, figures }: StoredSloFigures) =>
  final && [figures.incident, figures.status].some((part) => part.kind === 'missing' && !isSettled(part));

/**
 * Every SLO_REFRESH, queues an 'slo.refresh' for each open incident linked to
 * a service, so the header's figures follow the budget while the incident
 * runs, and for each resolved incident whose final figures have a part
 * missing (Prometheus was down at resolve) while its impact is within its
 * SLO's window, so the postmortem gets them once Prometheus is back. A part
 * settled as final (too short to measure, no samples over a long impact, or
 * past Prometheus's retention: impact-without-samples.ts) is not asked again.
 *
 * Nothing here is claimed: a pending refresh absorbs another (outbox
 * coalescing), so two instances ticking at once queue one job per incident,
 * and each threshold post has its own claim in the job.
 */
export class SloRefreshScheduler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SloRefreshStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** How long after its resolve a final figure still missing is tried again (the longest SLO window). */
    private readonly retryFinalForMs: number,
  ) {}

  /** Queues the refreshes due now; returns the incidents queued for. */
  async tick(): Promise<number[]> {
    const now = this.clock.now();
    const open = (await this.store.incidents.listOpen()).filter((i) => i.service !== null);
    for (const incident of open) await this.store.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: false } }, now);
    const retried: number[] = [];
    for (const id of await this.store.sloFigures.finalWithMissing()) {
      const incident = await this.store.incidents.get(id);
      if (incident?.status !== 'resolved' || incident.resolvedAt === null || now.getTime() - incident.resolvedAt.getTime() >= this.retryFinalForMs) continue;
      // An impact whose samples can no longer come is recorded as final: asking again for the whole window would get the same empty answer.
      if ((await this.store.sloFigures.forIncident(id)).some(stillToGet)) retried.push(id);
    }
    for (const id of retried) await this.store.outbox.enqueue({ kind: 'slo.refresh', incidentId: id, payload: { final: true } }, now);
    return [...open.map((i) => i.id), ...retried];
  }

  start(everyMs: number): void {
    const run = () => {
      // A timer's tick, not awaited: a failure is logged and the next tick tries again.
      void this.tick().catch((error: unknown) => this.logger.error({ err: error }, 'could not queue the SLO refreshes; the next tick tries again'));
    };
    this.timer = setInterval(run, everyMs);
    this.timer.unref();
    run();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
