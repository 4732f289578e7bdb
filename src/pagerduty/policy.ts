import type { Config } from '../config.js';
import type { PagingPolicy } from '../domain/ports.js';

/** The part of the configuration the paging verbs need: service names, never routing keys. */
export function pagingPolicy(config: Config): PagingPolicy {
  return { services: Object.keys(config.pagerduty.services), pageSeverities: config.pagerduty.pageSeverities };
}
