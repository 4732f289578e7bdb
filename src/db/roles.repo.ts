import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role, RoleHolder } from '../domain/model.js';
import type { RoleRepo } from '../domain/ports.js';
import { ROLES } from '../domain/model.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { roleAssignments } from './schema.js';

export function rolesRepo(db: Db): SyncRepo<RoleRepo> {
  const currentRows = db
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.incidentId, sql.placeholder('incidentId')), isNull(roleAssignments.endedAt)))
    .prepare();
  // Every declaration assigns its Incident Commander: prepared once.
  const endCurrent = db
    .update(roleAssignments)
    .set({ endedAt: sql`${sql.placeholder('now')}` })
    .where(
      and(
        eq(roleAssignments.incidentId, sql.placeholder('incidentId')),
        eq(roleAssignments.role, sql.placeholder('role')),
        isNull(roleAssignments.endedAt),
      ),
    )
    .returning()
    .prepare();
  const insert = db
    .insert(roleAssignments)
    .values({
      incidentId: sql.placeholder('incidentId'),
      role: sql.placeholder('role'),
      userId: sql.placeholder('userId'),
      assignedBy: sql.placeholder('by'),
      assignedAt: sql.placeholder('now'),
    })
    .prepare();
  return {
    current(incidentId: number): RoleHolder[] {
      const rows = currentRows.all({ incidentId });
      return rows
        .map((r) => ({ role: r.role, userId: r.userId, assignedAt: r.assignedAt }))
        .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
    },
    assign(incidentId: number, role: Role, userId: string, by: string, now: Date): string | undefined {
      // `endedAt` is set through raw SQL, which skips the column's Date-to-ms mapping; the insert's values do not.
      const previous = endCurrent.get({ incidentId, role, now: now.getTime() });
      insert.run({ incidentId, role, userId, by, now });
      return previous?.userId;
    },
    history(incidentId: number) {
      return db
        .select({ role: roleAssignments.role, userId: roleAssignments.userId, assignedAt: roleAssignments.assignedAt, endedAt: roleAssignments.endedAt })
        .from(roleAssignments)
        .where(eq(roleAssignments.incidentId, incidentId))
        .orderBy(roleAssignments.id)
        .all();
    },
  };
}
