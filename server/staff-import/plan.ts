import { emailSchema, nameSchema, type Role } from '../../shared/common';
import type { ImportLine, ImportProblem, ImportReport } from '../../shared/staff-import';
import { nameKey, readLocale, readRoles, readTeamNames, tidyName, type Row } from './parse';

/** What the organisation holds that a file's lines are checked against. */
export interface PlanContext {
  /** Team and job role ids by `nameKey`. */
  teams: Map<string, string>;
  jobRoles: Map<string, string>;
  members: Set<string>;
  pending: Set<string>;
  /** Teams and job roles the organisation lacks are to be made. */
  createMissing: boolean;
  /** Whether the importer may invite someone with these roles. */
  mayInvite: (roles: Role[]) => boolean;
}

/** A line of the plan, with what an invitation needs once teams and job roles exist. */
export interface PlannedLine extends ImportLine {
  teamKey: string | null;
  jobRoleKey: string | null;
  managedKeys: string[];
}

/** The plan of a file: its lines, and the teams and job roles to make (name by key). */
export interface Plan {
  lines: PlannedLine[];
  missingTeams: Map<string, string>;
  missingJobRoles: Map<string, string>;
}

/** The address a cell holds, lower-cased, or the problem with it. */
function readEmail(cell: string | undefined): { email: string; problem?: ImportProblem } {
  const raw = (cell ?? '').trim();
  if (!raw) return { email: '', problem: 'missing_email' };
  const parsed = emailSchema.safeParse(raw);
  return parsed.success
    ? { email: parsed.data }
    : { email: raw.toLowerCase(), problem: 'invalid_email' };
}

/** The problems of a row's own content, and the person it describes. */
function readLine(row: Row, ctx: PlanContext) {
  const { cells } = row;
  const problems: ImportProblem[] = [];
  const name = (cells.name ?? '').replace(/\s+/g, ' ').trim();
  if (!name) problems.push('missing_name');
  else if (!nameSchema.safeParse(name).success) problems.push('name_too_long');
  const { roles, problem: roleProblem } = readRoles(cells.roles);
  if (roleProblem) problems.push(roleProblem);
  else if (!ctx.mayInvite(roles)) problems.push('role_not_allowed');
  const locale = readLocale(cells.locale);
  if (locale === undefined) problems.push('unknown_language');
  const team = tidyName(cells.team);
  const jobRole = tidyName(cells.jobRole);
  const managedTeams = readTeamNames(cells.managedTeams);
  if (managedTeams.length > 0 && !roles.includes('manager')) {
    problems.push('managed_teams_need_manager');
  }
  // A missing name is made only when asked, and only when it is a name the app accepts.
  const known = (names: Map<string, string>, value: string) =>
    names.has(nameKey(value)) || (ctx.createMissing && nameSchema.safeParse(value).success);
  if (team && !known(ctx.teams, team)) problems.push('unknown_team');
  if (jobRole && !known(ctx.jobRoles, jobRole)) problems.push('unknown_job_role');
  if (managedTeams.some((t) => !known(ctx.teams, t))) problems.push('unknown_managed_team');
  const person = { name, email: '', roles, team, jobRole, locale: locale ?? null, managedTeams };
  return { person, problems };
}

/** One row's line: `seen` holds the addresses of the rows before it. */
function planLine(row: Row, ctx: PlanContext, seen: Set<string>): PlannedLine {
  const { person, problems } = readLine(row, ctx);
  const { email, problem } = readEmail(row.cells.email);
  person.email = email;
  const emailProblem = problem ?? (seen.has(email) ? 'duplicate_email' : undefined);
  seen.add(email);
  const outcome = emailProblem
    ? 'error'
    : ctx.members.has(email)
      ? 'member'
      : ctx.pending.has(email)
        ? 'pending'
        : problems.length > 0
          ? 'error'
          : 'invite';
  return {
    line: row.line,
    person,
    outcome,
    problems: emailProblem ? [emailProblem, ...problems] : outcome === 'error' ? problems : [],
    invitationId: null,
    teamKey: person.team && nameKey(person.team),
    jobRoleKey: person.jobRole && nameKey(person.jobRole),
    managedKeys: person.managedTeams.map(nameKey),
  };
}

/**
 * What importing `rows` would do, line by line: an address's first line counts (later ones are
 * duplicates); a member or a pending invitation means nothing to do, whatever else the line says;
 * a line with any other problem is an error; the rest are invitations. The teams and job roles
 * to make are those the invitations name, spelled as first written.
 */
export function planImport(rows: Row[], ctx: PlanContext): Plan {
  const seen = new Set<string>();
  const missingTeams = new Map<string, string>();
  const missingJobRoles = new Map<string, string>();
  const noteMissing = (names: Map<string, string>, into: Map<string, string>, value: string) => {
    const key = nameKey(value);
    if (!names.has(key) && !into.has(key)) into.set(key, value);
  };
  const lines = rows.map((row) => {
    const line = planLine(row, ctx, seen);
    if (line.outcome === 'invite') {
      const { team, jobRole, managedTeams } = line.person;
      for (const t of team ? [team, ...managedTeams] : managedTeams) {
        noteMissing(ctx.teams, missingTeams, t);
      }
      if (jobRole) noteMissing(ctx.jobRoles, missingJobRoles, jobRole);
    }
    return line;
  });
  return { lines, missingTeams, missingJobRoles };
}

/** The report of a plan (without the invitation's internals). */
export function toReport(plan: Plan, applied: boolean, mailConfigured: boolean): ImportReport {
  const counts = { invite: 0, member: 0, pending: 0, error: 0 };
  const lines = plan.lines.map(({ teamKey: _t, jobRoleKey: _j, managedKeys: _m, ...line }) => {
    counts[line.outcome]++;
    return line;
  });
  return {
    applied,
    lines,
    counts,
    created: {
      teams: [...plan.missingTeams.values()],
      jobRoles: [...plan.missingJobRoles.values()],
    },
    mailConfigured,
  };
}
