import type { NamedItem } from '../../shared/orgs';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import {
  ConflictError,
  isForeignKeyViolation,
  isUniqueViolation,
  NotFoundError,
} from '../lib/errors';
import * as repo from './repository';
import type { StructureKind } from './repository';

function inUse(kind: StructureKind, uses: { members: number; invitations: number }) {
  return new ConflictError(
    `This ${labels[kind].toLowerCase()} is still used by ${uses.members} member(s) and ` +
      `${uses.invitations} pending invitation(s). Move them elsewhere first.`,
    'IN_USE',
  );
}

export type StructureService = ReturnType<typeof createStructureService>;

const labels: Record<StructureKind, string> = { team: 'Team', jobRole: 'Job role' };

/** Teams and job roles of an organisation: create, rename, delete (refused while in use). */
export function createStructureService({ db, clock }: { db: Database; clock: Clock }) {
  async function one(kind: StructureKind, orgId: string, id: string): Promise<NamedItem> {
    const [item] = await repo.listItems(db, kind, orgId, id);
    if (!item) throw new NotFoundError(labels[kind]);
    return item;
  }

  function duplicate(kind: StructureKind, err: unknown): never {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`A ${labels[kind].toLowerCase()} with this name already exists.`);
    }
    throw err;
  }

  return {
    list: (kind: StructureKind, orgId: string) => repo.listItems(db, kind, orgId),

    async create(kind: StructureKind, orgId: string, name: string): Promise<NamedItem> {
      const row = await repo
        .insertItem(db, kind, orgId, name, clock.now())
        .catch((e) => duplicate(kind, e));
      return { ...row, memberCount: 0 };
    },

    async rename(kind: StructureKind, orgId: string, id: string, name: string) {
      const row = await repo.renameItem(db, kind, orgId, id, name).catch((e) => duplicate(kind, e));
      if (!row) throw new NotFoundError(labels[kind]);
      return one(kind, orgId, id);
    },

    /**
     * Deletes an item nobody uses. Members (even deactivated) and pending invitations block it;
     * a member moved in at the same moment is caught by the foreign key and answers the same.
     */
    async remove(kind: StructureKind, orgId: string, id: string) {
      if (!(await repo.findItem(db, kind, orgId, id))) throw new NotFoundError(labels[kind]);
      const uses = await repo.countUses(db, kind, orgId, id);
      if (uses.members + uses.invitations > 0) throw inUse(kind, uses);
      try {
        await repo.deleteItem(db, kind, orgId, id);
      } catch (err) {
        if (isForeignKeyViolation(err))
          throw inUse(kind, await repo.countUses(db, kind, orgId, id));
        throw err;
      }
    },
  };
}
