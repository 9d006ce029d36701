import type { ImportReport } from '../../shared/staff-import';
import type { Database } from '../db/client';
import { type Inviter, mayInvite, type InvitationService } from '../invitations/service';
import type { Clock } from '../lib/clock';
import { AppError, ConflictError, ForbiddenError } from '../lib/errors';
import type { OutboxService } from '../mail/outbox';
import type { StructureKind } from '../structure/repository';
import type { StructureService } from '../structure/service';
import { decode, nameKey, readRows } from './parse';
import { planImport, toReport, type Plan } from './plan';
import * as repo from './repository';

export type StaffImportService = ReturnType<typeof createStaffImportService>;

/** Only admins make teams and job roles (as on the structure routes). */
function checkMayCreate(actor: Inviter, createMissing: boolean) {
  if (createMissing && !actor.roles.includes('admin')) {
    throw new ForbiddenError('Only admins create teams and job roles; untick the option.');
  }
}

/**
 * Staff imports from a spreadsheet: a preview that writes nothing, and the import itself, which
 * makes the missing teams and job roles when asked and invites each new person through the
 * invitation service (its rules, its mail through the outbox).
 */
export function createStaffImportService(deps: {
  db: Database;
  clock: Clock;
  invitations: InvitationService;
  structure: StructureService;
  outbox: Pick<OutboxService, 'mailConfigured'>;
}) {
  const { db, clock, invitations, structure, outbox } = deps;

  const byKey = (items: { id: string; name: string }[]) =>
    new Map(items.map((i) => [nameKey(i.name), i.id]));

  /** The file's plan against the organisation as it is now. */
  async function plan(orgId: string, actor: Inviter, file: Buffer, createMissing: boolean) {
    checkMayCreate(actor, createMissing);
    const rows = readRows(decode(file));
    const emails = [...new Set(rows.map((r) => r.cells.email?.trim().toLowerCase() ?? ''))];
    const [names, members, pending] = [
      await repo.structureNames(db, orgId),
      await repo.memberEmails(db, orgId, emails),
      await repo.pendingEmails(db, orgId, emails, clock.now()),
    ];
    return planImport(rows, {
      teams: byKey(names.teams),
      jobRoles: byKey(names.jobRoles),
      members,
      pending,
      createMissing,
      mayInvite: (roles) => mayInvite(actor, roles),
    });
  }

  /** Makes the missing items; one made meanwhile (a second import) is simply used. */
  async function createMissing(orgId: string, kind: StructureKind, names: Map<string, string>) {
    for (const name of names.values()) {
      await structure.create(kind, orgId, name).catch((err: unknown) => {
        if (!(err instanceof ConflictError)) throw err;
      });
    }
  }

  /** Invites the plan's `invite` lines, one invitation (and one mail) each. */
  async function invite(orgId: string, actor: Inviter, p: Plan, baseUrl: string) {
    const names = await repo.structureNames(db, orgId);
    const teams = byKey(names.teams);
    const jobRoles = byKey(names.jobRoles);
    for (const line of p.lines) {
      if (line.outcome !== 'invite') continue;
      const { person } = line;
      try {
        const created = await invitations.create(
          orgId,
          actor,
          {
            email: person.email,
            roles: person.roles,
            teamId: line.teamKey ? teams.get(line.teamKey) : null,
            jobRoleId: line.jobRoleKey ? jobRoles.get(line.jobRoleKey) : null,
            managedTeamIds: line.managedKeys.map((k) => teams.get(k)!),
            ...(person.locale ? { locale: person.locale } : {}),
          },
          baseUrl,
        );
        line.invitationId = created.invitation.id;
      } catch (err) {
        // Joined since the preview (an earlier invitation accepted): nothing to do.
        if (err instanceof AppError && err.code === 'ALREADY_MEMBER') line.outcome = 'member';
        else throw err;
      }
    }
  }

  return {
    /** What importing the file would do, line by line; nothing is written. */
    async preview(
      orgId: string,
      actor: Inviter,
      file: Buffer,
      options: { createMissing: boolean },
    ): Promise<ImportReport> {
      const p = await plan(orgId, actor, file, options.createMissing);
      return toReport(p, false, outbox.mailConfigured);
    },

    /**
     * Imports the file: the missing teams and job roles first (when asked), then an invitation
     * for each new person. Members and people already invited are skipped, so importing the
     * same file again invites nobody twice.
     */
    async apply(
      orgId: string,
      actor: Inviter,
      file: Buffer,
      options: { createMissing: boolean; baseUrl: string },
    ): Promise<ImportReport> {
      const p = await plan(orgId, actor, file, options.createMissing);
      await createMissing(orgId, 'team', p.missingTeams);
      await createMissing(orgId, 'jobRole', p.missingJobRoles);
      await invite(orgId, actor, p, options.baseUrl);
      return toReport(p, true, outbox.mailConfigured);
    },
  };
}
