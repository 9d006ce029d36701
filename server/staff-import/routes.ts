import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  importReportSchema,
  STAFF_IMPORT_MAX_BYTES,
  staffImportQuerySchema,
  staffImportTypes,
} from '../../shared/staff-import';
import type { Config } from '../config';
import { INVITERS, invitationBaseUrl } from '../invitations/routes';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { StaffImportService } from './service';

const tags = ['people'];
const base = '/api/orgs/:orgId/staff-import';

/** The CSV file as it is, bytes on the wire: its encoding is found from them. */
const fileBodySchema = z
  .unknown()
  .meta({ type: 'string', format: 'binary' })
  .pipe(z.instanceof(Buffer, { message: 'Send the CSV file as the request body.' }));

const schema = (summary: string) => ({
  tags,
  summary,
  consumes: staffImportTypes,
  params: orgIdParamsSchema,
  querystring: staffImportQuerySchema,
  body: fileBodySchema,
  response: { 200: importReportSchema, ...tenant, ...errorResponses(413, 415) },
});

/**
 * The staff import, in its own plugin context: only here are CSV bodies read (as raw bytes, up
 * to `STAFF_IMPORT_MAX_BYTES`); the rest of the API stays JSON-only.
 */
export async function staffImportRoutes(
  app: FastifyInstance,
  { staffImport, config }: { staffImport: StaffImportService; config: Config },
) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(staffImportTypes, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const r = typed(app);
  const inviter = (request: Parameters<typeof currentUser>[0]) => {
    const { locale, name } = currentUser(request);
    return { ...currentMembership(request), locale, name };
  };

  r.post(
    `${base}/preview`,
    {
      config: { roles: INVITERS },
      bodyLimit: STAFF_IMPORT_MAX_BYTES,
      schema: schema(
        'What importing a staff spreadsheet (CSV) would do, line by line; nothing is written',
      ),
    },
    async (request) => {
      const { orgId } = currentMembership(request);
      return staffImport.preview(orgId, inviter(request), request.body, request.query);
    },
  );

  r.post(
    base,
    {
      // A few thousand invitations, each with its mail, take longer than a usual answer.
      config: { roles: INVITERS, deadlineMs: 180_000 },
      bodyLimit: STAFF_IMPORT_MAX_BYTES,
      schema: schema(
        'Import a staff spreadsheet (CSV): invite each new person (admins: any roles, trainers: learners)',
      ),
    },
    async (request) => {
      const { orgId } = currentMembership(request);
      return staffImport.apply(orgId, inviter(request), request.body, {
        ...request.query,
        baseUrl: invitationBaseUrl(config, request),
      });
    },
  );
}
