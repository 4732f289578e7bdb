import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Role, RoleHolder } from '../../domain/model.js';
import { ROLES } from '../../domain/model.js';
import type { RoleTerm } from '../../domain/ports.js';
import type { rolesRepo as sqliteRolesRepo } from '../roles.repo.js';
import type { AsyncRepo } from '../store.js';
import { inTransaction, type PgExecutor } from './executor.js';
import { incidents, roleAssignments } from './schema.js';

/** Role history on PostgreSQL: the same answers as ../roles.repo.ts. */
export function rolesRepo(db: PgExecutor) {
  return {
    async current(incidentId: number): Promise<RoleHolder[]> {
      const rows = await db
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.incidentId, incidentId), isNull(roleAssignments.endedAt)));
      return rows
        .map((r) => ({ role: r.role, userId: r.userId, assignedAt: r.assignedAt }))
        .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
    },
    /**
     * Two replicas assigning one role at once would both find the same holder
     * to end, and the second's new term would break the one-current-holder
     * index. So the incident's row is locked first (FOR NO KEY UPDATE: it waits
     * for another assignment or follow-up of the incident and for updates of
     * the incident, never for rows that merely reference it), and the second
     * assignment, run after the first commits, ends the first's term, as on SQLite.
     */
    assign(incidentId: number, role: Role, userId: string, by: string, now: Date): Promise<string | undefined> {
      return inTransaction(db, async (tx) => {
        await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId)).for('no key update');
        const [previous] = await tx
          .update(roleAssignments)
          .set({ endedAt: now })
          .where(and(eq(roleAssignments.incidentId, incidentId), eq(roleAssignments.role, role), isNull(roleAssignments.endedAt)))
          .returning({ userId: roleAssignments.userId });
        await tx.insert(roleAssignments).values({ incidentId, role, userId, assignedBy: by, assignedAt: now });
        return previous?.userId;
      });
    },
    history(incidentId: number): Promise<RoleTerm[]> {
      return db
        .select({ role: roleAssignments.role, userId: roleAssignments.userId, assignedAt: roleAssignments.assignedAt, endedAt: roleAssignments.endedAt })
        .from(roleAssignments)
        .where(eq(roleAssignments.incidentId, incidentId))
        .orderBy(asc(roleAssignments.id));
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteRolesRepo>>;
}
