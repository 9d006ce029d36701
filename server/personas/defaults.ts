import type { Locale } from '../../shared/common';
import type { Device } from '../../shared/personas';
import type { Executor } from '../db/client';
import * as repo from './repository';

interface DefaultPersona {
  name: Record<Locale, string>;
  description: Record<Locale, string>;
  confidence: number;
  device: Device;
  minutesPerDay: number;
  /** The onboarding confidence answers that lead to this persona. */
  answers: [min: number, max: number];
}

// An organisation has no language of its own: the defaults speak its creator's.
const DEFAULTS: DefaultPersona[] = [
  {
    name: { fr: 'Pas à pas', en: 'Step by step' },
    description: {
      fr: 'Préfère des explications détaillées, une étape à la fois, avec des captures d’écran.',
      en: 'Prefers detailed explanations, one step at a time, with screenshots.',
    },
    confidence: 2,
    device: 'desktop',
    minutesPerDay: 10,
    answers: [1, 2],
  },
  {
    name: { fr: 'Autonome', en: 'Autonomous' },
    description: {
      fr: 'À l’aise avec les logiciels courants ; veut l’essentiel et un exemple.',
      en: 'At ease with everyday software; wants the essentials and an example.',
    },
    confidence: 3,
    device: 'any',
    minutesPerDay: 5,
    answers: [3, 4],
  },
  {
    name: { fr: 'Expert', en: 'Power user' },
    description: {
      fr: 'Maîtrise les outils numériques ; va droit aux raccourcis et aux nouveautés.',
      en: 'Masters digital tools; goes straight to shortcuts and what is new.',
    },
    confidence: 5,
    device: 'any',
    minutesPerDay: 3,
    answers: [5, 5],
  },
];

/**
 * Gives a new organisation its three starting personas ("Step by step", "Autonomous", "Power
 * user") in the creator's language, and onboarding rules that map low, middle and high
 * confidence to them, "Autonomous" being the fallback. Runs in the transaction that creates
 * the organisation.
 */
export async function seedDefaultPersonas(tx: Executor, orgId: string, locale: Locale, now: Date) {
  const rules = [];
  for (const [position, p] of DEFAULTS.entries()) {
    const row = await repo.insertPersona(
      tx,
      orgId,
      {
        name: p.name[locale],
        description: p.description[locale],
        confidence: p.confidence,
        device: p.device,
        minutesPerDay: p.minutesPerDay,
        position,
      },
      now,
    );
    const [minConfidence, maxConfidence] = p.answers;
    rules.push({ minConfidence, maxConfidence, devices: [], personaId: row.id });
  }
  await repo.replaceRules(tx, orgId, rules, rules[1]!.personaId, now);
}
