import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  cardParamsSchema,
  cardSchema,
  createCardBodySchema,
  lessonParamsSchema,
  lessonSchema,
  reorderBodySchema,
  updateCardBodySchema,
  updateLessonBodySchema,
} from '../../shared/modules';
import { errorResponses, tenant, typed } from '../lib/http';
import type { LessonService } from './lesson-service';
import { AUTHORS, orgOf } from './routes';

const lesson = '/api/orgs/:orgId/lessons/:lessonId';
const card = '/api/orgs/:orgId/cards/:cardId';

/** Lessons and cards by their own ids (creating a lesson is under its module). */
export async function lessonRoutes(app: FastifyInstance, { lessons }: { lessons: LessonService }) {
  const r = typed(app);
  const config = { roles: AUTHORS };

  r.get(
    lesson,
    {
      config,
      schema: {
        tags: ['lessons'],
        summary: 'One lesson with its blocks and cards in order',
        params: lessonParamsSchema,
        response: { 200: lessonSchema, ...tenant },
      },
    },
    async (request) => lessons.getLesson(orgOf(request), request.params.lessonId),
  );

  r.patch(
    lesson,
    {
      config,
      schema: {
        tags: ['lessons'],
        summary: 'Save a lesson: title, persona variants, blocks in order (autosave)',
        params: lessonParamsSchema,
        body: updateLessonBodySchema,
        response: { 200: lessonSchema, ...tenant },
      },
    },
    async (request) => lessons.updateLesson(orgOf(request), request.params.lessonId, request.body),
  );

  r.delete(
    lesson,
    {
      config,
      schema: {
        tags: ['lessons'],
        summary: 'Delete a lesson and its cards',
        params: lessonParamsSchema,
        response: { 204: z.null(), ...tenant },
      },
    },
    async (request, reply) => {
      await lessons.removeLesson(orgOf(request), request.params.lessonId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${lesson}/cards`,
    {
      config,
      schema: {
        tags: ['cards'],
        summary: 'Add a recall card to a lesson (last unless a position is given)',
        params: lessonParamsSchema,
        body: createCardBodySchema,
        response: { 201: cardSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await lessons.createCard(orgOf(request), request.params.lessonId, request.body)),
  );

  r.put(
    `${lesson}/cards/order`,
    {
      config,
      schema: {
        tags: ['cards'],
        summary: "Reorder a lesson's cards (every card id once)",
        params: lessonParamsSchema,
        body: reorderBodySchema,
        response: { 200: lessonSchema, ...tenant },
      },
    },
    async (request) =>
      lessons.reorderCards(orgOf(request), request.params.lessonId, request.body.ids),
  );

  r.put(
    card,
    {
      config,
      schema: {
        tags: ['cards'],
        summary: 'Replace a card (its kind may change; kept options keep their ids)',
        params: cardParamsSchema,
        body: updateCardBodySchema,
        response: { 200: cardSchema, ...tenant },
      },
    },
    async (request) => lessons.updateCard(orgOf(request), request.params.cardId, request.body),
  );

  r.delete(
    card,
    {
      config,
      schema: {
        tags: ['cards'],
        summary: 'Delete a card',
        params: cardParamsSchema,
        response: { 204: z.null(), ...tenant },
      },
    },
    async (request, reply) => {
      await lessons.removeCard(orgOf(request), request.params.cardId);
      return reply.code(204).send(null);
    },
  );
}
