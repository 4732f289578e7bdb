/**
 * Where an SLO's budget stands does not depend on which incident asks: its
 * two queries (the SLO window and the last hour) are the same for every
 * incident of the SLO. A refresh tick of fifty linked incidents runs their
 * jobs at once and would ask them fifty times; here a question still in
 * flight for the same SLO, asked for a moment within REUSE_MS, is shared.
 * Once answered it is forgotten, so a later refresh always asks again and
 * never shows a figure older than its own time.
 */
export const BUDGET_STATUS_REUSE_MS = 15_000;

interface Entry<T> {
  readonly at: number;
  readonly result: Promise<T>;
}

export class SharedBudgetStatuses<T> {
  private readonly inFlight = new Map<string, Entry<T>>();

  constructor(private readonly reuseMs = BUDGET_STATUS_REUSE_MS) {}

  /** The answer still being measured for `sloId` at a time within reuseMs of `now`, else a new one. */
  get(sloId: string, now: Date, measure: () => Promise<T>): Promise<T> {
    const found = this.inFlight.get(sloId);
    if (found && Math.abs(now.getTime() - found.at) <= this.reuseMs) return found.result;
    const result = measure();
    const entry = { at: now.getTime(), result };
    this.inFlight.set(sloId, entry);
    const forget = () => {
      if (this.inFlight.get(sloId) === entry) this.inFlight.delete(sloId);
    };
    result.then(forget, forget);
    return result;
  }
}
