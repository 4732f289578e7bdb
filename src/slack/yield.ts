import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Resumes after the event loop has read the sockets: requests that arrived
 * meanwhile get parsed and acknowledged before this listener's own work goes
 * on. Under a burst of commands, acknowledgements stay as quick as a bare app's.
 */
export function yieldToPendingRequests(): Promise<void> {
  return nextTurn();
}
