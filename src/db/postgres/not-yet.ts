/**
 * A repository still to be written for PostgreSQL: building the store works,
 * and only a call to one of its methods fails, naming it.
 */
export function notYet<R extends object>(name: string): R {
  return new Proxy({} as R, {
    // `then` stays undefined, so awaiting the repository itself does not call it.
    get: (_target, method) =>
      method === 'then' ? undefined : () => Promise.reject(new Error(`${name}.${String(method)} is not yet written for PostgreSQL`)),
  });
}
