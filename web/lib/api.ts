/**
 * The one typed client for the Rappel API (same origin, under /api).
 *
 * Every success body is parsed with the shared zod schemas (dates arrive as ISO strings and
 * leave as `Date`); every error body becomes a thrown `ApiError`.
 */
import type { z } from 'zod';
import {
  healthSchema,
  meSchema,
  setupResultSchema,
  setupStatusSchema,
  type ChangePasswordBody,
  type LoginBody,
  type SetupBody,
  type UpdateMeBody,
} from '$shared/auth';
import { errorBodySchema, type ErrorIssue } from '$shared/common';
import {
  acceptInvitationResultSchema,
  createOrgResultSchema,
  invitationCreatedSchema,
  invitationListSchema,
  invitationPreviewSchema,
  memberListSchema,
  memberSchema,
  namedItemListSchema,
  namedItemSchema,
  orgSchema,
  type AcceptInvitationBody,
  type CreateInvitationBody,
  type UpdateMemberBody,
} from '$shared/orgs';
import {
  personaListSchema,
  personaRulesSchema,
  personaSchema,
  previewRulesResultSchema,
  type CreatePersonaBody,
  type PersonaRulesBody,
  type PreviewRulesBody,
  type UpdatePersonaBody,
} from '$shared/personas';
import {
  processSchema,
  toolDetailSchema,
  toolListSchema,
  type CreateProcessBody,
  type CreateToolBody,
  type UpdateProcessBody,
  type UpdateToolBody,
} from '$shared/tools';
import {
  assetSchema,
  cardSchema,
  lessonSchema,
  moduleChangesSchema,
  moduleDetailSchema,
  moduleListSchema,
  type CardContentInput,
  type CreateLessonInput,
  type CreateModuleInput,
  type ModuleListQuery,
  type UpdateLessonInput,
  type UpdateModuleBody,
} from '$shared/modules';
import { importResultSchema, type ModulePackageInput } from '$shared/module-package';
import { lookupSchema } from '$shared/lookup';
import {
  learnerModuleListSchema,
  learnerModuleSchema,
  learnerProfileSchema,
  learningSettingsSchema,
  lessonProgressSchema,
  placementCheckResultSchema,
  placementResultSchema,
  reviewResultSchema,
  todaySchema,
  type PlacementBody,
  type PlacementCheckBody,
  type ReviewBody,
  type UpdateLearningSettingsBody,
} from '$shared/learning';
import type { OnboardingAnswers } from '$shared/personas';
import { type CreatePauseBody, pauseListSchema, pauseSchema } from '$shared/pauses';

/** An error answered by the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, issues } = parsed.data.error;
    return new ApiError(res.status, code, message, issues ?? []);
  }
  return new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', res.statusText);
}

/** Sends JSON, or a file as it is (an image upload, whose type the server checks by content). */
async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  let res: Response;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body instanceof Blob) headers['content-type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined || body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** Sends a request and parses the JSON answer with `schema`. */
export async function call<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  const res = await send(method, path, body);
  return schema.parse(await res.json());
}

/** Sends a request whose answer has no body (204). */
export async function callEmpty(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;
const seg = encodeURIComponent;

/** Teams and job roles share one shape and one set of routes. */
export type NamedKind = 'teams' | 'job-roles';

export const api = {
  health: () => call('GET', '/health', healthSchema),

  setupStatus: () => call('GET', '/setup', setupStatusSchema),
  setup: (body: SetupBody) => call('POST', '/setup', setupResultSchema, body),

  login: (body: LoginBody) => call('POST', '/auth/login', meSchema, body),
  logout: () => callEmpty('POST', '/auth/logout'),

  me: () => call('GET', '/me', meSchema),
  updateMe: (body: UpdateMeBody) => call('PATCH', '/me', meSchema, body),
  changePassword: (body: ChangePasswordBody) => callEmpty('POST', '/me/password', body),

  createOrg: (name: string) => call('POST', '/orgs', createOrgResultSchema, { name }),
  org: (orgId: string) => call('GET', org(orgId), orgSchema),
  updateOrg: (orgId: string, name: string) => call('PATCH', org(orgId), orgSchema, { name }),

  members: (orgId: string) => call('GET', `${org(orgId)}/members`, memberListSchema),
  updateMember: (orgId: string, userId: string, body: UpdateMemberBody) =>
    call('PATCH', `${org(orgId)}/members/${seg(userId)}`, memberSchema, body),

  namedItems: (orgId: string, kind: NamedKind) =>
    call('GET', `${org(orgId)}/${kind}`, namedItemListSchema),
  createNamedItem: (orgId: string, kind: NamedKind, name: string) =>
    call('POST', `${org(orgId)}/${kind}`, namedItemSchema, { name }),
  renameNamedItem: (orgId: string, kind: NamedKind, id: string, name: string) =>
    call('PATCH', `${org(orgId)}/${kind}/${seg(id)}`, namedItemSchema, { name }),
  deleteNamedItem: (orgId: string, kind: NamedKind, id: string) =>
    callEmpty('DELETE', `${org(orgId)}/${kind}/${seg(id)}`),

  invitations: (orgId: string) => call('GET', `${org(orgId)}/invitations`, invitationListSchema),
  createInvitation: (orgId: string, body: CreateInvitationBody) =>
    call('POST', `${org(orgId)}/invitations`, invitationCreatedSchema, body),
  revokeInvitation: (orgId: string, invitationId: string) =>
    callEmpty('DELETE', `${org(orgId)}/invitations/${seg(invitationId)}`),
  renewInvitation: (orgId: string, invitationId: string) =>
    call('POST', `${org(orgId)}/invitations/${seg(invitationId)}/renew`, invitationCreatedSchema),

  invitationPreview: (token: string) =>
    call('GET', `/invitations/${seg(token)}`, invitationPreviewSchema),
  acceptInvitation: (token: string, body: AcceptInvitationBody) =>
    call('POST', `/invitations/${seg(token)}/accept`, acceptInvitationResultSchema, body),

  personas: (orgId: string) => call('GET', `${org(orgId)}/personas`, personaListSchema),
  createPersona: (orgId: string, body: CreatePersonaBody) =>
    call('POST', `${org(orgId)}/personas`, personaSchema, body),
  updatePersona: (orgId: string, personaId: string, body: UpdatePersonaBody) =>
    call('PATCH', `${org(orgId)}/personas/${seg(personaId)}`, personaSchema, body),
  deletePersona: (orgId: string, personaId: string) =>
    callEmpty('DELETE', `${org(orgId)}/personas/${seg(personaId)}`),
  personaRules: (orgId: string) => call('GET', `${org(orgId)}/personas/rules`, personaRulesSchema),
  savePersonaRules: (orgId: string, body: PersonaRulesBody) =>
    call('PUT', `${org(orgId)}/personas/rules`, personaRulesSchema, body),
  previewPersonaRules: (orgId: string, body: PreviewRulesBody) =>
    call('POST', `${org(orgId)}/personas/rules/preview`, previewRulesResultSchema, body),

  tools: (orgId: string) => call('GET', `${org(orgId)}/tools`, toolListSchema),
  tool: (orgId: string, toolId: string) =>
    call('GET', `${org(orgId)}/tools/${seg(toolId)}`, toolDetailSchema),
  createTool: (orgId: string, body: CreateToolBody) =>
    call('POST', `${org(orgId)}/tools`, toolDetailSchema, body),
  updateTool: (orgId: string, toolId: string, body: UpdateToolBody) =>
    call('PATCH', `${org(orgId)}/tools/${seg(toolId)}`, toolDetailSchema, body),
  deleteTool: (orgId: string, toolId: string) =>
    callEmpty('DELETE', `${org(orgId)}/tools/${seg(toolId)}`),
  createProcess: (orgId: string, toolId: string, body: CreateProcessBody) =>
    call('POST', `${org(orgId)}/tools/${seg(toolId)}/processes`, processSchema, body),
  updateProcess: (orgId: string, processId: string, body: UpdateProcessBody) =>
    call('PATCH', `${org(orgId)}/processes/${seg(processId)}`, processSchema, body),
  deleteProcess: (orgId: string, processId: string) =>
    callEmpty('DELETE', `${org(orgId)}/processes/${seg(processId)}`),

  modules: (orgId: string, query: ModuleListQuery = {}) =>
    call('GET', `${org(orgId)}/modules${queryString(query)}`, moduleListSchema),
  module: (orgId: string, moduleId: string) =>
    call('GET', `${org(orgId)}/modules/${seg(moduleId)}`, moduleDetailSchema),
  createModule: (orgId: string, body: CreateModuleInput) =>
    call('POST', `${org(orgId)}/modules`, moduleDetailSchema, body),
  updateModule: (orgId: string, moduleId: string, body: UpdateModuleBody) =>
    call('PATCH', `${org(orgId)}/modules/${seg(moduleId)}`, moduleDetailSchema, body),
  deleteModule: (orgId: string, moduleId: string) =>
    callEmpty('DELETE', `${org(orgId)}/modules/${seg(moduleId)}`),
  moduleChanges: (orgId: string, moduleId: string) =>
    call('GET', `${org(orgId)}/modules/${seg(moduleId)}/changes`, moduleChangesSchema),
  publishModule: (orgId: string, moduleId: string) =>
    call('POST', `${org(orgId)}/modules/${seg(moduleId)}/publish`, moduleDetailSchema),
  /** The module file, as the parsed JSON object (the page saves it as a download). */
  exportModule: async (orgId: string, moduleId: string): Promise<unknown> =>
    (await send('GET', `${org(orgId)}/modules/${seg(moduleId)}/export`)).json(),
  importModule: (orgId: string, file: ModulePackageInput | unknown) =>
    call('POST', `${org(orgId)}/modules/import`, importResultSchema, file),
  reorderLessons: (orgId: string, moduleId: string, ids: string[]) =>
    call('PUT', `${org(orgId)}/modules/${seg(moduleId)}/lessons/order`, moduleDetailSchema, {
      ids,
    }),

  lesson: (orgId: string, lessonId: string) =>
    call('GET', `${org(orgId)}/lessons/${seg(lessonId)}`, lessonSchema),
  createLesson: (orgId: string, moduleId: string, body: CreateLessonInput) =>
    call('POST', `${org(orgId)}/modules/${seg(moduleId)}/lessons`, lessonSchema, body),
  updateLesson: (orgId: string, lessonId: string, body: UpdateLessonInput) =>
    call('PATCH', `${org(orgId)}/lessons/${seg(lessonId)}`, lessonSchema, body),
  deleteLesson: (orgId: string, lessonId: string) =>
    callEmpty('DELETE', `${org(orgId)}/lessons/${seg(lessonId)}`),

  createCard: (orgId: string, lessonId: string, body: CardContentInput) =>
    call('POST', `${org(orgId)}/lessons/${seg(lessonId)}/cards`, cardSchema, body),
  updateCard: (orgId: string, cardId: string, body: CardContentInput) =>
    call('PUT', `${org(orgId)}/cards/${seg(cardId)}`, cardSchema, body),
  deleteCard: (orgId: string, cardId: string) =>
    callEmpty('DELETE', `${org(orgId)}/cards/${seg(cardId)}`),
  reorderCards: (orgId: string, lessonId: string, ids: string[]) =>
    call('PUT', `${org(orgId)}/lessons/${seg(lessonId)}/cards/order`, lessonSchema, { ids }),

  learningSettings: (orgId: string) =>
    call('GET', `${org(orgId)}/settings/learning`, learningSettingsSchema),
  updateLearningSettings: (orgId: string, body: UpdateLearningSettingsBody) =>
    call('PATCH', `${org(orgId)}/settings/learning`, learningSettingsSchema, body),

  learnerProfile: (orgId: string) => call('GET', `${org(orgId)}/me/learner`, learnerProfileSchema),
  onboard: (orgId: string, answers: OnboardingAnswers) =>
    call('POST', `${org(orgId)}/me/onboarding`, learnerProfileSchema, { answers }),
  choosePersona: (orgId: string, personaId: string) =>
    call('PATCH', `${org(orgId)}/me/persona`, learnerProfileSchema, { personaId }),
  today: (orgId: string) => call('GET', `${org(orgId)}/me/today`, todaySchema),
  myModules: (orgId: string) => call('GET', `${org(orgId)}/me/modules`, learnerModuleListSchema),
  myModule: (orgId: string, moduleId: string) =>
    call('GET', `${org(orgId)}/me/modules/${seg(moduleId)}`, learnerModuleSchema),
  /** The caller's lessons by module, or those matching `q`. */
  myLessons: (orgId: string, q?: string) =>
    call('GET', `${org(orgId)}/me/lessons${queryString({ q })}`, lookupSchema),
  saveLessonProgress: (
    orgId: string,
    lessonId: string,
    body: { position: number; completed?: boolean },
  ) =>
    call('PUT', `${org(orgId)}/me/lessons/${seg(lessonId)}/progress`, lessonProgressSchema, body),
  /** Grades one answer of a placement check; records nothing. */
  placementCheck: (orgId: string, moduleId: string, body: PlacementCheckBody) =>
    call(
      'POST',
      `${org(orgId)}/me/modules/${seg(moduleId)}/placement/check`,
      placementCheckResultSchema,
      body,
    ),
  /**
   * With every answer of a placement check: the lessons now known and those left to study.
   * Only the answers to the known lessons' cards are recorded (sending it again changes nothing).
   */
  placement: (orgId: string, moduleId: string, body: PlacementBody) =>
    call(
      'POST',
      `${org(orgId)}/me/modules/${seg(moduleId)}/placement`,
      placementResultSchema,
      body,
    ),
  /** A learner's refresher pauses (the caller's own without `userId`), oldest first. */
  pauses: (orgId: string, userId?: string) =>
    call(
      'GET',
      `${org(orgId)}/pauses${userId ? `?userId=${encodeURIComponent(userId)}` : ''}`,
      pauseListSchema,
    ),
  createPause: (orgId: string, body: CreatePauseBody) =>
    call('POST', `${org(orgId)}/pauses`, pauseSchema, body),
  /** Cancels an upcoming pause, or ends an active one today. */
  deletePause: (orgId: string, pauseId: string) =>
    callEmpty('DELETE', `${org(orgId)}/pauses/${seg(pauseId)}`),
  /** Records one answer; sending the same `id` again returns the same result. */
  review: (orgId: string, body: ReviewBody) =>
    call('POST', `${org(orgId)}/reviews`, reviewResultSchema, body),

  /** Uploads an image file (png, jpeg, webp or gif, at most 2 MiB). */
  uploadAsset: (orgId: string, file: Blob) =>
    call('POST', `${org(orgId)}/assets`, assetSchema, file),
};

/** `?a=1&b=2` from the defined values of `query`, or nothing. */
function queryString(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
