import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roles } from '../../shared/common';
import { assetParamsSchema, assetSchema, IMAGE_MAX_BYTES, imageTypes } from '../../shared/modules';
import { orgIdParamsSchema } from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { AssetService } from './service';

const AUTHORS = ['admin', 'trainer'] as const;
const tags = ['assets'];
const base = '/api/orgs/:orgId/assets';

/** What an upload may declare; the bytes decide the stored type. */
const uploadTypes = [...imageTypes, 'application/octet-stream'];

/**
 * Raw bytes on the wire: OpenAPI shows a binary string, Fastify hands the route a Buffer (and
 * sends a Buffer as it is, without the JSON serializer).
 */
const binary = () => z.unknown().meta({ type: 'string', format: 'binary' });
const imageBodySchema = binary().pipe(
  z.instanceof(Buffer, { message: 'Send the image file as the request body.' }),
);
const imageResponse = {
  description: 'The image bytes, with the type sniffed at upload.',
  content: Object.fromEntries(imageTypes.map((type) => [type, { schema: binary() }])),
};

// Cannot run a script even if a browser is tricked into opening it as a document.
const imageHeaders = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, max-age=31536000, immutable',
  'content-security-policy': "default-src 'none'; sandbox",
  'content-disposition': 'inline',
};

export async function assetRoutes(app: FastifyInstance, { assets }: { assets: AssetService }) {
  await app.register(uploadRoute, { assets });

  typed(app).get(
    `${base}/:assetId`,
    {
      // Every member: learners see the images of their lessons.
      config: { roles },
      schema: {
        tags,
        summary: 'An uploaded image',
        params: assetParamsSchema,
        response: { 200: imageResponse, ...tenant },
      },
    },
    async (request, reply) => {
      const { orgId } = currentMembership(request);
      const image = await assets.get(orgId, request.params.assetId);
      return reply.type(image.contentType).headers(imageHeaders).send(image.data);
    },
  );
}

/**
 * The upload, in its own plugin context: only there are image bodies parsed (as raw buffers);
 * the rest of the API stays JSON-only, and a JSON body here is 415.
 */
async function uploadRoute(app: FastifyInstance, { assets }: { assets: AssetService }) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(uploadTypes, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  typed(app).post(
    base,
    {
      config: { roles: AUTHORS },
      bodyLimit: IMAGE_MAX_BYTES,
      schema: {
        tags,
        summary: 'Upload an image (trainer, admin): PNG, JPEG, WebP or GIF, checked by content',
        consumes: uploadTypes,
        params: orgIdParamsSchema,
        body: imageBodySchema,
        response: { 201: assetSchema, ...tenant, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = currentMembership(request);
      return reply.code(201).send(await assets.upload(orgId, userId, request.body));
    },
  );
}
