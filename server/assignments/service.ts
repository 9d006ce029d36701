import type { Assignment } from '../../shared/learning';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors';
import { inPeopleScope, peopleScope } from '../lib/scope';
import { queueNewWork } from '../outreach/new-work';
import type { MembershipContext } from '../plugins/auth';
import * as repo from './repository';

export type AssignmentService = ReturnType<typeof createAssignmentService>;

export interface AssignBody {
  moduleId: string;
  userIds: string[];
  dueOn: string | null;
  opensAt?: Date;
}

const outsideScope = () =>
  new ForbiddenError(
    'Managers and referents assign modules to the members of the teams they look after.',
  );

function checkAssignable(status: 'draft' | 'published' | 'archived') {
  if (status === 'published') return;
  const message =
    status === 'draft'
      ? 'This module is a draft: publish it before assigning it.'
      : 'This module is archived: restore it before assigning it.';
  throw new ValidationError(message, [{ path: ['moduleId'], message }]);
}

/** Assigning modules by hand, listing and removing assignments, within the caller's scope. */
export function createAssignmentService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /**
     * Assigns a published module to people by hand (`manual`, opening at `opensAt` or now). A
     * person who already has the module keeps their assignment and its reason; it only takes
     * the new due date. Unknown people (or another organisation's) are 404; people outside the
     * caller's scope (server/lib/scope.ts: the teams a manager manages, a referent's own) are 403.
     */
    async assign(orgId: string, actor: MembershipContext, body: AssignBody): Promise<Assignment[]> {
      const scope = peopleScope(actor);
      const now = clock.now();
      const rows = await db.transaction(async (tx) => {
        const module = await repo.lockModuleForAssigning(tx, orgId, body.moduleId);
        if (!module) throw new NotFoundError('Module');
        const teams = await repo.findMemberTeams(tx, orgId, body.userIds);
        if (body.userIds.some((id) => !teams.has(id))) throw new NotFoundError('Member');
        const outside = body.userIds.some((id) => !inPeopleScope(scope, teams.get(id) ?? null));
        if (outside) throw outsideScope();
        checkAssignable(module.status);
        const made = await repo.upsertManual(tx, orgId, {
          moduleId: body.moduleId,
          userIds: body.userIds,
          dueOn: body.dueOn,
          opensAt: body.opensAt ?? now,
          assignedBy: actor.userId,
          now,
        });
        // Those new to the module are told a little later, grouped (outreach/new-work.ts).
        await queueNewWork(tx, orgId, { now, moduleId: body.moduleId });
        return made;
      });
      const order = new Map(body.userIds.map((id, i) => [id, i]));
      return rows.sort((x, y) => order.get(x.userId)! - order.get(y.userId)!);
    },

    /** Assignments of the people in the caller's scope, oldest first. */
    list(
      orgId: string,
      actor: MembershipContext,
      query: { moduleId?: string; userId?: string },
    ): Promise<Assignment[]> {
      const scope = peopleScope(actor);
      return repo.listAssignments(db, orgId, {
        ...query,
        ...(scope.all ? {} : { teamIds: scope.teamIds }),
      });
    },

    /**
     * Removes an assignment made by hand. One that comes from the module's targets would come
     * back at the next sync: 409, change the targets or the person's job role or team instead.
     * What the learner learnt (card memory, progress) stays.
     */
    async remove(orgId: string, actor: MembershipContext, id: string) {
      const [found] = await repo.listAssignments(db, orgId, { id });
      if (!found) throw new NotFoundError('Assignment');
      const scope = peopleScope(actor);
      if (!scope.all) {
        const teams = await repo.findMemberTeams(db, orgId, [found.userId]);
        if (!inPeopleScope(scope, teams.get(found.userId) ?? null)) throw outsideScope();
      }
      if (found.reason !== 'manual') {
        throw new ConflictError(
          'This assignment comes from the job roles and teams the module targets. Change the ' +
            "module's targets or the person's job role or team instead.",
        );
      }
      // Removed meanwhile by another request: 404 to this one, as it would be after it.
      if (!(await repo.deleteAssignment(db, orgId, id))) throw new NotFoundError('Assignment');
    },
  };
}
