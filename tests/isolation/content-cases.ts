import { randomUUID } from 'node:crypto';
import { ALL_ROLES, AUTHORS, STAFF } from '../helpers/harness';
import { type CaseTable, inBody, inOrg, objects } from '../helpers/isolation-check';
import type { OrgWorld } from '../helpers/isolation-world';
import { PNG } from '../helpers/images';
import { sampleCards, textBlock } from '../helpers/modules';

const rules = (owner: OrgWorld) => ({
  rules: [{ minConfidence: 1, maxConfidence: 5, devices: [], personaId: owner.persona.id }],
  fallbackPersonaId: owner.persona.id,
});
const answers = { confidence: 3, device: 'desktop', minutesPerDay: 5 };

/** What a module is for and aimed at: `owner`'s tool, process, team and job role. */
const targets = (owner: OrgWorld) => ({
  toolId: owner.tool.id,
  processId: owner.process.id,
  teamIds: [owner.team.id],
  jobRoleIds: [owner.jobRole.id],
});

/** An image block showing `owner`'s uploaded image. */
const imageOf = (owner: OrgWorld) => ({
  id: randomUUID(),
  kind: 'image',
  assetId: owner.asset.id,
  alt: 'The call form',
});

/** The lessons of `owner`'s draft as they are now (other cases add some), read by its trainer. */
async function lessonsOf(owner: OrgWorld): Promise<string[]> {
  const res = await owner.users.trainer.inject({
    method: 'GET',
    url: owner.url(`/modules/${owner.draft.id}`),
  });
  // Ids that never existed have no module to read.
  if (res.statusCode !== 200) return [...owner.draft.lessonIds];
  return (res.json().lessons as { id: string }[]).map((l) => l.id);
}

/** Tools, processes, personas, modules, lessons, cards and images: what authors make. */
export const contentCases: CaseTable = {
  'GET /api/orgs/:orgId/personas': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/personas'),
  })),
  'POST /api/orgs/:orgId/personas': inOrg(AUTHORS, (org) => ({
    method: 'POST',
    url: org.url('/personas'),
    payload: { name: `Persona ${randomUUID()}`, confidence: 3, device: 'any', minutesPerDay: 5 },
  })),
  'GET /api/orgs/:orgId/personas/:personaId': objects(ALL_ROLES, (org, owner) => ({
    method: 'GET',
    url: org.url(`/personas/${owner.persona.id}`),
  })),
  'PATCH /api/orgs/:orgId/personas/:personaId': objects(AUTHORS, (org, owner) => ({
    method: 'PATCH',
    url: org.url(`/personas/${owner.persona.id}`),
    payload: { minutesPerDay: 6 },
  })),
  'DELETE /api/orgs/:orgId/personas/:personaId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/personas/${(await owner.fresh.persona()).id}`),
  })),
  'GET /api/orgs/:orgId/personas/rules': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/personas/rules'),
  })),
  'PUT /api/orgs/:orgId/personas/rules': objects(
    AUTHORS,
    (org, owner) => ({
      method: 'PUT',
      url: org.url('/personas/rules'),
      payload: rules(owner),
    }),
    { foreignIn: 'body' },
  ),
  'POST /api/orgs/:orgId/personas/rules/preview': objects(
    AUTHORS,
    (org, owner) => ({
      method: 'POST',
      url: org.url('/personas/rules/preview'),
      payload: { answers, rules: rules(owner) },
    }),
    { foreignIn: 'body' },
  ),

  'GET /api/orgs/:orgId/tools': inOrg(STAFF, (org) => ({ method: 'GET', url: org.url('/tools') })),
  'POST /api/orgs/:orgId/tools': inOrg(AUTHORS, (org) => ({
    method: 'POST',
    url: org.url('/tools'),
    payload: { name: `Tool ${randomUUID()}` },
  })),
  'GET /api/orgs/:orgId/tools/:toolId': objects(STAFF, (org, owner) => ({
    method: 'GET',
    url: org.url(`/tools/${owner.tool.id}`),
  })),
  'PATCH /api/orgs/:orgId/tools/:toolId': objects(AUTHORS, (org, owner) => ({
    method: 'PATCH',
    url: org.url(`/tools/${owner.tool.id}`),
    payload: { description: 'Customer records' },
  })),
  'DELETE /api/orgs/:orgId/tools/:toolId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/tools/${(await owner.fresh.tool()).id}`),
  })),
  'POST /api/orgs/:orgId/tools/:toolId/processes': objects(AUTHORS, (org, owner) => ({
    method: 'POST',
    url: org.url(`/tools/${owner.tool.id}/processes`),
    payload: { name: `Process ${randomUUID()}` },
  })),
  'PATCH /api/orgs/:orgId/processes/:processId': objects(AUTHORS, (org, owner) => ({
    method: 'PATCH',
    url: org.url(`/processes/${owner.process.id}`),
    payload: { nextUse: { kind: 'rule', rule: 'last-working-day-of-month' } },
  })),
  'DELETE /api/orgs/:orgId/processes/:processId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/processes/${(await owner.fresh.process()).id}`),
  })),
  'GET /api/orgs/:orgId/processes/:processId/next-uses': objects(STAFF, (org, owner) => ({
    method: 'GET',
    url: org.url(`/processes/${owner.process.id}/next-uses`),
  })),

  'POST /api/orgs/:orgId/assets': inOrg(AUTHORS, (org) => ({
    method: 'POST',
    url: org.url('/assets'),
    payload: PNG,
    headers: { 'content-type': 'image/png' },
  })),
  'GET /api/orgs/:orgId/assets/:assetId': objects(ALL_ROLES, (org, owner) => ({
    method: 'GET',
    url: org.url(`/assets/${owner.asset.id}`),
  })),

  'GET /api/orgs/:orgId/catalogue': objects(
    STAFF,
    (org, owner) => ({
      method: 'GET',
      url: org.url('/catalogue'),
      query: { toolId: owner.tool.id },
    }),
    { controlAs: 'manager', foreignIn: 'query' },
  ),
  'GET /api/orgs/:orgId/modules': inOrg(AUTHORS, (org) => ({
    method: 'GET',
    url: org.url('/modules'),
  })),
  'POST /api/orgs/:orgId/modules': inBody(AUTHORS, (org, owner) => ({
    method: 'POST',
    url: org.url('/modules'),
    payload: { title: `Module ${randomUUID()}`, ...targets(owner) },
  })),
  'GET /api/orgs/:orgId/modules/:moduleId': objects(AUTHORS, (org, owner) => ({
    method: 'GET',
    url: org.url(`/modules/${owner.draft.id}`),
  })),
  'PATCH /api/orgs/:orgId/modules/:moduleId': [
    objects(AUTHORS, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/modules/${owner.draft.id}`),
      payload: { estimatedMinutes: 6 },
    })),
    inBody(AUTHORS, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/modules/${org.draft.id}`),
      payload: targets(owner),
    })),
  ],
  'DELETE /api/orgs/:orgId/modules/:moduleId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/modules/${(await owner.fresh.module()).id}`),
  })),
  'GET /api/orgs/:orgId/modules/:moduleId/changes': objects(AUTHORS, (org, owner) => ({
    method: 'GET',
    url: org.url(`/modules/${owner.published.id}/changes`),
  })),
  'POST /api/orgs/:orgId/modules/:moduleId/publish': objects(AUTHORS, async (org, owner) => {
    const module = await owner.fresh.module();
    await owner.fresh.card((await owner.fresh.lesson(module.id)).id);
    return { method: 'POST', url: org.url(`/modules/${module.id}/publish`) };
  }),
  'GET /api/orgs/:orgId/modules/:moduleId/export': objects(AUTHORS, (org, owner) => ({
    method: 'GET',
    url: org.url(`/modules/${owner.published.id}/export`),
  })),
  'POST /api/orgs/:orgId/modules/import': inOrg(AUTHORS, async (org) => {
    // A's own module file: importing what one brings names no object of the organisation.
    const file = await org.users.trainer.inject({
      method: 'GET',
      url: org.url(`/modules/${org.published.id}/export`),
    });
    return {
      method: 'POST',
      url: org.url('/modules/import'),
      payload: file.body,
      headers: { 'content-type': 'application/json' },
    };
  }),
  'POST /api/orgs/:orgId/modules/:moduleId/lessons': [
    objects(AUTHORS, (org, owner) => ({
      method: 'POST',
      url: org.url(`/modules/${owner.draft.id}/lessons`),
      payload: { title: `Lesson ${randomUUID()}`, blocks: [textBlock()] },
    })),
    inBody(AUTHORS, (org, owner) => ({
      method: 'POST',
      url: org.url(`/modules/${org.draft.id}/lessons`),
      payload: { title: `Lesson ${randomUUID()}`, blocks: [imageOf(owner)] },
    })),
  ],
  'PUT /api/orgs/:orgId/modules/:moduleId/lessons/order': [
    objects(AUTHORS, async (org, owner) => ({
      method: 'PUT',
      url: org.url(`/modules/${owner.draft.id}/lessons/order`),
      payload: { ids: (await lessonsOf(owner)).reverse() },
    })),
    inBody(AUTHORS, async (org, owner) => {
      const ids = await lessonsOf(org);
      if (owner !== org) ids[0] = owner.draft.lessonIds[0]!;
      return {
        method: 'PUT',
        url: org.url(`/modules/${org.draft.id}/lessons/order`),
        payload: { ids },
      };
    }),
  ],
  'GET /api/orgs/:orgId/lessons/:lessonId': objects(AUTHORS, (org, owner) => ({
    method: 'GET',
    url: org.url(`/lessons/${owner.draft.lessonIds[0]}`),
  })),
  'PATCH /api/orgs/:orgId/lessons/:lessonId': [
    objects(AUTHORS, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/lessons/${owner.draft.lessonIds[1]}`),
      payload: { blocks: [textBlock()] },
    })),
    inBody(AUTHORS, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/lessons/${org.draft.lessonIds[1]}`),
      payload: { blocks: [imageOf(owner)] },
    })),
  ],
  'DELETE /api/orgs/:orgId/lessons/:lessonId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/lessons/${(await owner.fresh.lesson()).id}`),
  })),
  'POST /api/orgs/:orgId/lessons/:lessonId/cards': objects(AUTHORS, (org, owner) => ({
    method: 'POST',
    url: org.url(`/lessons/${owner.draft.lessonIds[1]}/cards`),
    payload: sampleCards.truefalse,
  })),
  'PUT /api/orgs/:orgId/lessons/:lessonId/cards/order': [
    objects(AUTHORS, (org, owner) => ({
      method: 'PUT',
      url: org.url(`/lessons/${owner.draft.lessonIds[0]}/cards/order`),
      payload: { ids: [...owner.draft.cardIds].reverse() },
    })),
    inBody(AUTHORS, (org, owner) => ({
      method: 'PUT',
      url: org.url(`/lessons/${org.draft.lessonIds[0]}/cards/order`),
      payload: { ids: [owner.draft.cardIds[0], org.draft.cardIds[1]] },
    })),
  ],
  'PUT /api/orgs/:orgId/cards/:cardId': objects(AUTHORS, (org, owner) => ({
    method: 'PUT',
    url: org.url(`/cards/${owner.draft.cardIds[1]}`),
    payload: sampleCards.short,
  })),
  'DELETE /api/orgs/:orgId/cards/:cardId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/cards/${(await owner.fresh.card()).id}`),
  })),
};
