import type { ErrorIssue } from '../../shared/common';
import {
  choosePersona,
  type CreatePersonaBody,
  type OnboardingAnswers,
  type Persona,
  type PersonaRules,
  type PersonaRulesBody,
  type UpdatePersonaBody,
} from '../../shared/personas';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import {
  ConflictError,
  isForeignKeyViolation,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from '../lib/errors';
import * as repo from './repository';

export type PersonaService = ReturnType<typeof createPersonaService>;

function duplicate(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw new ConflictError('A persona with this name already exists.');
  }
  throw err;
}

function inUse(uses: number) {
  return new ConflictError(
    `This persona is used by ${uses} onboarding rule(s), the fallback included. ` +
      'Change the rules first.',
    'IN_USE',
  );
}

/**
 * Refuses rules that name a persona of another organisation (or none), at the field; `at` is
 * where the rules sit in the request body.
 */
async function checkRulePersonas(
  db: Executor,
  orgId: string,
  body: PersonaRulesBody,
  at: string[] = [],
) {
  const named = [...body.rules.map((r) => r.personaId), body.fallbackPersonaId];
  const known = await repo.existingPersonaIds(db, orgId, [...new Set(named)]);
  const message = 'No such persona in this organisation.';
  const issues: ErrorIssue[] = [];
  body.rules.forEach((rule, i) => {
    if (!known.has(rule.personaId)) {
      issues.push({ path: [...at, 'rules', i, 'personaId'], message });
    }
  });
  if (!known.has(body.fallbackPersonaId)) {
    issues.push({ path: [...at, 'fallbackPersonaId'], message });
  }
  if (issues.length) throw new ValidationError('Some fields are invalid.', issues);
}

/** Personas of an organisation and the onboarding rules that assign them. */
export function createPersonaService({ db, clock }: { db: Database; clock: Clock }) {
  async function get(orgId: string, id: string): Promise<Persona> {
    const [persona] = await repo.listPersonas(db, orgId, id);
    if (!persona) throw new NotFoundError('Persona');
    return persona;
  }

  async function remove(orgId: string, id: string) {
    await get(orgId, id);
    const uses = await repo.countRuleUses(db, orgId, id);
    if (uses > 0) throw inUse(uses);
    try {
      await repo.deletePersona(db, orgId, id);
    } catch (err) {
      // Rules changed to use it at the same moment: the foreign key says so.
      if (isForeignKeyViolation(err)) throw inUse(await repo.countRuleUses(db, orgId, id));
      throw err;
    }
  }

  /** Replaces the rules in one transaction; every persona they name must be the org's. */
  async function replaceRules(orgId: string, body: PersonaRulesBody): Promise<PersonaRules> {
    try {
      await db.transaction(async (tx) => {
        await checkRulePersonas(tx, orgId, body);
        await repo.replaceRules(tx, orgId, body.rules, body.fallbackPersonaId, clock.now());
      });
    } catch (err) {
      // A persona deleted at the same moment.
      if (isForeignKeyViolation(err)) await checkRulePersonas(db, orgId, body);
      throw err;
    }
    return repo.findRules(db, orgId);
  }

  /**
   * The persona the answers lead to, with the saved rules or with `draft` rules being edited
   * (checked like saved ones, never stored).
   */
  async function preview(orgId: string, answers: OnboardingAnswers, draft?: PersonaRulesBody) {
    if (draft) await checkRulePersonas(db, orgId, draft, ['rules']);
    return choosePersona(answers, draft ?? (await repo.findRules(db, orgId)));
  }

  return {
    list: (orgId: string): Promise<Persona[]> => repo.listPersonas(db, orgId),
    get,

    async create(orgId: string, body: CreatePersonaBody): Promise<Persona> {
      const position = body.position ?? (await repo.nextPosition(db, orgId));
      return repo.insertPersona(db, orgId, { ...body, position }, clock.now()).catch(duplicate);
    },

    async update(orgId: string, id: string, body: UpdatePersonaBody): Promise<Persona> {
      const row = await repo.updatePersona(db, orgId, id, body, clock.now()).catch(duplicate);
      if (!row) throw new NotFoundError('Persona');
      return row;
    },

    remove,
    rules: (orgId: string) => repo.findRules(db, orgId),
    replaceRules,
    preview,
  };
}
