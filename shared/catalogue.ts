/**
 * The catalogue: the published modules of an organisation as the people who assign them
 * (managers, referents, and admins and trainers) read them, without drafts, answers or the
 * authoring copy. What each shows is its latest published version.
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { criticalitySchema } from './modules';

const targetSchema = z.object({ id: idSchema, name: z.string() });

export const catalogueModuleSchema = z.object({
  id: idSchema,
  title: z.string(),
  summary: z.string(),
  toolId: idSchema,
  toolName: z.string(),
  processName: z.string().nullable(),
  criticality: criticalitySchema,
  /** The author's estimate of the whole module, in minutes. */
  estimatedMinutes: z.number().int(),
  /** Lessons of the published version, persona variants included. */
  lessonCount: z.number().int(),
  /** The job roles and teams it is assigned to by itself, by name; empty: none. */
  jobRoles: z.array(targetSchema),
  teams: z.array(targetSchema),
  publishedAt: isoDate,
});
export type CatalogueModule = z.infer<typeof catalogueModuleSchema>;

/** `GET /api/orgs/:orgId/catalogue`: published modules by title. */
export const catalogueSchema = z.object({ items: z.array(catalogueModuleSchema) });
export type Catalogue = z.infer<typeof catalogueSchema>;

export const catalogueQuerySchema = z.strictObject({ toolId: idSchema.optional() });
export type CatalogueQuery = z.output<typeof catalogueQuerySchema>;
