/** The staff import's API calls (shared/staff-import.ts) and its example file. */
import type { Locale } from '$shared/common';
import { importReportSchema, type ImportProblem } from '$shared/staff-import';
import { call } from '$lib/api';
import { toCsv } from '$lib/csv';
import { m } from '$lib/paraglide/messages.js';

/**
 * Sends the file as it is: the server finds its encoding and separator. The type is set to CSV
 * because Windows names a .csv "application/vnd.ms-excel" and some browsers give none.
 */
export function sendStaffFile(
  orgId: string,
  file: Blob,
  options: { apply: boolean; createMissing: boolean },
) {
  const path = `/orgs/${encodeURIComponent(orgId)}/staff-import${options.apply ? '' : '/preview'}`;
  const query = options.createMissing ? '?createMissing=true' : '';
  return call('POST', path + query, importReportSchema, new Blob([file], { type: 'text/csv' }));
}

/**
 * An example file in the interface language's spreadsheet conventions (French: semicolons),
 * with the column names the server reads (server/staff-import/parse.ts) in that language.
 */
export function exampleCsv(locale: Locale): string {
  if (locale === 'fr') {
    return toCsv(
      ['Nom', 'E-mail', 'Équipe', 'Poste', 'Rôles', 'Langue', 'Équipes gérées'],
      [
        ['Camille Martin', 'camille.martin@example.com', 'Ventes', 'Commercial', 'apprenant', 'fr'],
        [
          'Samir Haddad',
          'samir.haddad@example.com',
          'Ventes',
          'Directeur commercial',
          'manager, apprenant',
          'fr',
          'Ventes',
        ],
        ['Julie Perrin', 'julie.perrin@example.com', 'Comptabilité', 'Comptable', 'référent', 'fr'],
      ],
      'fr',
    );
  }
  return toCsv(
    ['Name', 'Email', 'Team', 'Job role', 'Roles', 'Language', 'Managed teams'],
    [
      ['Camille Martin', 'camille.martin@example.com', 'Sales', 'Sales rep', 'learner', 'en'],
      [
        'Samir Haddad',
        'samir.haddad@example.com',
        'Sales',
        'Sales manager',
        'manager, learner',
        'en',
        'Sales',
      ],
      ['Julie Perrin', 'julie.perrin@example.com', 'Accounting', 'Accountant', 'referent', 'en'],
    ],
    'en',
  );
}

/** Each reason a row is not imported, in words. */
export const problemText: Record<ImportProblem, () => string> = {
  missing_name: m.import_problem_missing_name,
  missing_email: m.import_problem_missing_email,
  invalid_email: m.import_problem_invalid_email,
  duplicate_email: m.import_problem_duplicate_email,
  name_too_long: m.import_problem_name_too_long,
  unknown_role: m.import_problem_unknown_role,
  unknown_language: m.import_problem_unknown_language,
  unknown_team: m.import_problem_unknown_team,
  unknown_job_role: m.import_problem_unknown_job_role,
  unknown_managed_team: m.import_problem_unknown_managed_team,
  managed_teams_need_manager: m.import_problem_managed_teams_need_manager,
  role_not_allowed: m.import_problem_role_not_allowed,
};
