import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role, RoleHolder } from '../domain/model.js';
import type { RoleRepo } from '../domain/ports.js';
import { ROLES } from '../domain/model.js';
import type { Db } from './client.js';
import { roleAssignments } from './schema.js';

export function rolesRepo(db: Db): RoleRepo {
  const currentRows = db
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.incidentId, sql.placeholder('incidentId')), isNull(roleAssignments.endedAt)))
    .prepare();
  return {
    current(incidentId: number): RoleHolder[] {
      const rows = currentRows.all({ incidentId });
      return rows
        .map((r) => ({ role: r.role, userId: r.userId, assignedAt: r.assignedAt }))
        .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
    },
    assign(incidentId: number, role: Role, userId: string, by: string, now: Date): string | undefined {
      const current = and(
        eq(roleAssignments.incidentId, incidentId),
        eq(roleAssignments.role, role),
        isNull(roleAssignments.endedAt),
      );
      const previous = db.update(roleAssignments).set({ endedAt: now }).where(current).returning().get();
      db.insert(roleAssignments).values({ incidentId, role, userId, assignedBy: by, assignedAt: now }).run();
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
