import type { Words } from './define';

export interface DigestWords {
  /** Before a value in the text part: French puts a no-break space before the colon. */
  colon: string;
  subject: (org: string, week: string) => string;
  title: (monday: string) => string;
  wholeScope: (org: string) => string;
  teamScope: (teams: string[]) => string;
  nothingYet: (lessons: number) => string;
  figuresCaption: string;
  figuresHead: [string, string, string];
  recallNow: string;
  target: string;
  learners: string;
  atRiskCount: string;
  lessonsCompleted: string;
  refreshers: string;
  points: (delta: number) => string;
  newly: (count: number) => string;
  passRate: (rate: string) => string;
  /** A count's change against the week before. */
  versus: (delta: number) => string;
  crossingTitle: string;
  crossing: (module: string, recall: string, on: string | null) => string;
  noCrossing: string;
  forecastLink: string;
  atRiskTitle: string;
  atRiskLine: (
    team: string | null,
    overdue: number,
    recall: string | null,
    critical: string[],
  ) => string;
  noAtRisk: string;
  atRiskLink: string;
  more: (count: number) => string;
  action: string;
  footerManager: string;
  footerWhole: string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

export const digestWords: Words<DigestWords> = {
  fr: {
    colon: '\u00a0:',
    subject: (org, week) => `Le point de la semaine ${week}\u00a0: la mémorisation chez ${org}`,
    title: (monday) => `Le point de la semaine du ${monday}`,
    wholeScope: (org) => `Toute l’organisation ${org}.`,
    teamScope: (teams) =>
      teams.length === 1
        ? `Votre équipe\u00a0: ${teams[0]}.`
        : `Vos équipes\u00a0: ${teams.join(', ')}.`,
    nothingYet: (lessons) =>
      'Personne dans votre périmètre n’a encore de carte apprise\u00a0: pas encore de mémorisation à ' +
      'mesurer.' +
      (lessons
        ? ` ${lessons === 1 ? '1 leçon terminée' : `${lessons} leçons terminées`} la semaine dernière.`
        : ''),
    figuresCaption: 'Les chiffres de la semaine',
    figuresHead: ['Indicateur', 'Valeur', 'Depuis la semaine dernière'],
    recallNow: 'Mémorisation prévue aujourd’hui',
    target: 'Objectif',
    learners: 'Personnes avec des cartes apprises',
    atRiskCount: 'Personnes à risque',
    lessonsCompleted: 'Leçons terminées la semaine dernière',
    refreshers: 'Rappels répondus la semaine dernière',
    points: (delta) => `${signed(delta)} point${Math.abs(delta) > 1 ? 's' : ''}`,
    newly: (count) =>
      count === 0 ? 'aucune nouvelle' : count === 1 ? '1 nouvelle' : `${count} nouvelles`,
    passRate: (rate) => `${rate} de bonnes réponses`,
    versus: (delta) =>
      delta === 0
        ? 'autant que la semaine d’avant'
        : `${signed(delta)} par rapport à la semaine d’avant`,
    crossingTitle: 'Modules qui passeront sous l’objectif d’ici 14 jours',
    crossing: (module, recall, on) =>
      on
        ? `${module}\u00a0: ${recall} aujourd’hui, sous l’objectif le ${on} sans révision.`
        : `${module}\u00a0: ${recall}, déjà sous l’objectif.`,
    noCrossing: 'Aucun module ne passera sous l’objectif dans les 14 prochains jours.',
    forecastLink: 'Voir les prévisions',
    atRiskTitle: 'Personnes à risque',
    atRiskLine: (team, overdue, recall, critical) =>
      (team ? ` (${team})` : '') +
      '\u00a0: ' +
      [
        overdue ? (overdue === 1 ? '1 rappel en retard' : `${overdue} rappels en retard`) : '',
        recall ? `mémorisation ${recall}` : '',
        critical.length ? `modules critiques sous l’objectif\u00a0: ${critical.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    noAtRisk: 'Personne n’est à risque cette semaine.',
    atRiskLink: 'Voir toutes les personnes à risque',
    more: (count) => (count === 1 ? 'Et 1 autre.' : `Et ${count} autres.`),
    action: 'Ouvrir les tableaux de bord',
    footerManager:
      'Vous recevez ce point chaque lundi parce que vous êtes responsable de ces équipes.',
    footerWhole:
      'Vous recevez ce point chaque lundi parce que vous l’avez demandé pour toute l’organisation.',
  },
  en: {
    colon: ':',
    subject: (org, week) => `Week ${week} summary: what ${org} remembers`,
    title: (monday) => `Your summary for the week of ${monday}`,
    wholeScope: (org) => `The whole of ${org}.`,
    teamScope: (teams) =>
      teams.length === 1 ? `Your team: ${teams[0]}.` : `Your teams: ${teams.join(', ')}.`,
    nothingYet: (lessons) =>
      'Nobody in your teams has learnt a card yet: there is no recall to measure so far.' +
      (lessons ? ` ${lessons === 1 ? '1 lesson' : `${lessons} lessons`} finished last week.` : ''),
    figuresCaption: 'This week’s figures',
    figuresHead: ['Figure', 'Value', 'Since last week'],
    recallNow: 'Predicted recall today',
    target: 'Target',
    learners: 'People with learnt cards',
    atRiskCount: 'People at risk',
    lessonsCompleted: 'Lessons finished last week',
    refreshers: 'Refreshers answered last week',
    points: (delta) => `${signed(delta)} point${Math.abs(delta) === 1 ? '' : 's'}`,
    newly: (count) => (count === 0 ? 'none new' : `${count} new`),
    passRate: (rate) => `${rate} right`,
    versus: (delta) =>
      delta === 0 ? 'as many as the week before' : `${signed(delta)} on the week before`,
    crossingTitle: 'Modules falling under the target within 14 days',
    crossing: (module, recall, on) =>
      on
        ? `${module}: ${recall} today, under the target on ${on} without refreshers.`
        : `${module}: ${recall}, already under the target.`,
    noCrossing: 'No module falls under the target in the next 14 days.',
    forecastLink: 'See the forecast',
    atRiskTitle: 'People at risk',
    atRiskLine: (team, overdue, recall, critical) =>
      (team ? ` (${team})` : '') +
      ': ' +
      [
        overdue ? (overdue === 1 ? '1 overdue refresher' : `${overdue} overdue refreshers`) : '',
        recall ? `recall ${recall}` : '',
        critical.length ? `critical modules under the target: ${critical.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    noAtRisk: 'Nobody is at risk this week.',
    atRiskLink: 'See everyone at risk',
    more: (count) => `And ${count} more.`,
    action: 'Open the dashboards',
    footerManager: 'You get this summary every Monday because you manage these teams.',
    footerWhole:
      'You get this summary every Monday because you asked for it for the whole organisation.',
  },
};
