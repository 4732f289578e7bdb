/** What a call through a gateway gets once the bot is stopping: the job resumes at the next start. */
export class StoppingError extends Error {
  constructor(what: string) {
    super(`the bot is stopping: ${what} resumes at the next start`);
    this.name = 'StoppingError';
  }
}

/**
 * `target` (a Slack gateway) whose calls are refused with a StoppingError once
 * `stopping()` says so: a long job (the weekly digest, minutes of DMs with
 * hundreds of owners) ends after the call under way, which finishes and is
 * recorded, instead of holding the stop past its deadline. The job gives its
 * work back and the next start (or another replica) resumes it.
 */
export function refusingOnceStopping<T extends object>(target: T, what: string, stopping: () => boolean): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (stopping() ? Promise.reject(new StoppingError(what)) : value.apply(object, args));
    },
  });
}
