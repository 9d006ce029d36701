import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { assetRoutes } from './assets/routes';
import { assignmentRoutes } from './assignments/routes';
import { calendarRoutes } from './calendar/routes';
import { catalogueRoutes } from './catalogue/routes';
import { createCatalogueService } from './catalogue/service';
import { weightsRoutes } from './fsrs-weights/routes';
import { createWeightsService } from './fsrs-weights/service';
import { createCalendarService } from './calendar/settings-service';
import { pauseRoutes } from './pauses/routes';
import { createPauseService } from './pauses/service';
import { createAssignmentService } from './assignments/service';
import { createAssetService } from './assets/service';
import { createPasswordHasher, type PasswordHasher } from './auth/passwords';
import { type InvalidationBus, PrincipalCache } from './auth/principal-cache';
import { authRoutes } from './auth/routes';
import { createRecoveryService, mailAppUrl } from './auth/recovery';
import { recoveryRoutes } from './auth/recovery-routes';
import { createAuthService } from './auth/service';
import { type Config, fastifyTrustProxy } from './config';
import type { Database } from './db/client';
import { createDashboardPeopleService } from './dashboards/people/service';
import { dashboardRoutes } from './dashboards/routes';
import { PAIRS_REFRESH_EVERY_MS } from './dashboards/overview/pairs-repository';
import { ANSWER_PERIODS_REFRESH_EVERY_MS } from './dashboards/true-retention/periods-repository';
import { createDashboardService } from './dashboards/service';
import { healthRoutes } from './health/routes';
import { homeRoutes } from './home/routes';
import { createHomeService } from './home/service';
import { invitationRoutes } from './invitations/routes';
import { jobRoutes } from './jobs/routes';
import { createJobRunner, type JobRunner } from './jobs/runner';
import { createJobStatusService } from './jobs/status';
import { type Mailer, mailerFromConfig } from './mail/mailer';
import { registerMailJobs } from './mail/jobs';
import { createOutbox, type OutboxService } from './mail/outbox';
import { outboxRoutes } from './mail/routes';
import { learnerRoutes } from './learner/routes';
import { createLearnerService } from './learner/service';
import { lookupRoutes } from './lookup/routes';
import { createLookupService } from './lookup/service';
import { learningRoutes } from './learning/routes';
import { createLearningService } from './learning/service';
import { createInvitationService } from './invitations/service';
import { type Clock, systemClock } from './lib/clock';
import { AppError } from './lib/errors';
import { type LogStream, loggerOptions } from './lib/logging';
import { cspFromHtml, docsCsp } from './lib/web-csp';
import { serializerCompiler } from './lib/serializer';
import { loadTokenSigner, type TokenSigner } from './lib/signed-tokens';
import { memberRoutes } from './members/routes';
import { createMemberService } from './members/service';
import { lessonRoutes } from './modules/lesson-routes';
import { createLessonService } from './modules/lesson-service';
import { modulePackageRoutes } from './modules/package-routes';
import { createModulePackageService } from './modules/package-service';
import { moduleRoutes } from './modules/routes';
import { createModuleService } from './modules/service';
import { orgRoutes } from './orgs/routes';
import { createOrgService } from './orgs/service';
import { personaRoutes } from './personas/routes';
import { registerReminderJobs } from './outreach/reminder-jobs';
import { registerDigests } from './outreach/digest';
import { pushRoutes } from './push/routes';
import { createPush } from './push/setup';
import { createNotificationService } from './notify/inbox';
import { notificationRoutes } from './notify/routes';
import { createNotifier } from './notify/service';
import type { Notifier } from './notify/types';
import { unsubscribeRoutes } from './notify/unsubscribe-routes';
import { createPersonaService } from './personas/service';
import { reminderRoutes } from './reminders/routes';
import { createReminderService } from './reminders/service';
import { reviewRoutes } from './reviews/routes';
import { createReviewService } from './reviews/service';
import { authPlugin } from './plugins/auth';
import { bodyGuardPlugin } from './plugins/body-guard';
import { deadlinePlugin } from './plugins/deadline';
import { errorHandler, errorsPlugin } from './plugins/errors';
import { setupRoutes } from './setup/routes';
import { staffImportRoutes } from './staff-import/routes';
import { createStaffImportService } from './staff-import/service';
import { createSetupService } from './setup/service';
import { createScheduler, type Scheduler } from './srs/fsrs';
import { structureRoutes } from './structure/routes';
import { createStructureService } from './structure/service';
import { toolRoutes } from './tools/routes';
import { createToolService } from './tools/service';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  hasher?: PasswordHasher;
  /** Poll the job runner while the app is up (server/jobs/runner.ts): housekeeping hourly, the
   * dashboards' learner × module rows every quarter of an hour, and every queued job; on a
   * shared PostgreSQL, each job runs on one instance. Off: tests drive `app.jobs` themselves. */
  jobs?: boolean;
  /** Tells other API instances what changed (PostgreSQL NOTIFY); none with PGlite. */
  bus?: InvalidationBus;
  /** FSRS scheduling; fuzz on by default (tests pass one with fuzz off). */
  scheduler?: Scheduler;
  /** Where log lines go at `config.logLevel`; stdout by default. */
  logStream?: LogStream;
  /** Sends mail; by default SMTP from `config.smtp`, none (outbox only) without it. */
  mailer?: Mailer;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes sessions and login failures that can no longer matter. */
    housekeeping(): Promise<void>;
    /**
     * Brings the retention overview's learner × module rows up to date
     * (dashboards/overview/pairs-repository.ts).
     */
    refreshPairs(): Promise<number>;
    /**
     * Counts true retention's refreshers per learner × period up to a few minutes ago
     * (dashboards/true-retention/periods-repository.ts).
     */
    refreshAnswerPeriods(): Promise<number>;
    /** The durable job runner: services enqueue on it; tests drive it with `tick`/`runDue`. */
    jobs: JobRunner;
    /** Every mail goes through it (server/mail/outbox.ts). */
    outbox: OutboxService;
    /** Tells one person something on the channels they chose (server/notify/service.ts). */
    notifier: Notifier;
  }
}

const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

/** Builds the whole application (API, docs, web app) without listening: tests `inject` into it. */
export async function buildApp({
  config,
  db,
  clock = systemClock,
  hasher,
  jobs = false,
  bus,
  scheduler = createScheduler({ fuzz: true }),
  logStream,
  mailer = mailerFromConfig(config) ?? undefined,
}: AppDeps): Promise<FastifyInstance> {
  const { timeouts } = config;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, logStream),
    bodyLimit: config.bodyLimit,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // Node enforces the header and request time-outs on this beat (30 s by default).
      connectionsCheckingInterval: Math.ceil(Math.min(timeouts.headersMs, timeouts.requestMs) / 4),
    },
    // Errors the router answers before any route (a bad URL) get the one error shape too.
    frameworkErrors: errorHandler,
    genReqId: () => randomUUID(),
    // JSON with __proto__ or constructor.prototype is refused (400), never merged.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // request.ip, .protocol and .host follow X-Forwarded-* only from these proxies.
    trustProxy: fastifyTrustProxy(config.trustProxy),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON only.
  app.removeContentTypeParser('text/plain');

  const runner = createJobRunner({
    db,
    clock,
    log: app.log,
    // The embedded database has one process: jobs found running at start are a dead one's.
    exclusive: !config.databaseUrl,
  });
  app.decorate('jobs', runner);
  let signer: Promise<TokenSigner> | undefined;
  const outbox = createOutbox({
    db,
    clock,
    jobs: runner,
    mailer: mailer ?? null,
    appUrl: mailAppUrl(config),
    signer: () => (signer ??= loadTokenSigner(db)),
  });
  registerMailJobs(runner, { db, outbox });
  app.decorate('outbox', outbox);
  if (mailer) {
    app.addHook('onClose', async () => {
      // Its pooled connections close once no job can be sending any more.
      await runner.stop();
      mailer.close();
    });
  }
  const push = await createPush({ db, clock, config, jobs: runner });
  app.decorate('push', push.sender);
  const notifier = createNotifier({ db, clock, outbox, jobs: runner });
  app.decorate('notifier', notifier);
  registerReminderJobs(runner, { db, clock, notifier, outbox, appUrl: mailAppUrl(config) });

  const passwords = hasher ?? createPasswordHasher(config.argon2);
  const principals = new PrincipalCache(clock, config.principalCacheTtlMs, undefined, bus);
  await principals.connect();
  const auth = createAuthService({ db, clock, hasher: passwords, principals, config });
  const pauses = createPauseService({ db, clock });
  const reviews = createReviewService({ db, clock, scheduler });
  const services = {
    auth,
    setup: createSetupService({ db, clock, hasher: passwords, auth }),
    orgs: createOrgService({ db, clock, principals }),
    members: createMemberService({ db, clock, principals }),
    structure: createStructureService({ db, clock }),
    personas: createPersonaService({ db, clock }),
    tools: createToolService({ db, clock }),
    assets: createAssetService({ db, clock }),
    modulePackages: createModulePackageService({ db, clock }),
    modules: createModuleService({ db, clock }),
    lessons: createLessonService({ db, clock }),
    learning: createLearningService({ db, clock }),
    assignments: createAssignmentService({ db, clock }),
    pauses,
    learner: createLearnerService({ db, clock, pauses, reviews }),
    reviews,
    dashboards: createDashboardService({ db, clock }),
    dashboardPeople: createDashboardPeopleService({ db, clock }),
    invitations: createInvitationService({
      db,
      clock,
      hasher: passwords,
      auth,
      principals,
      config,
      outbox,
    }),
  };

  await app.register(errorsPlugin);
  await app.register(deadlinePlugin, { ms: config.requestDeadlineMs });
  await app.register(bodyGuardPlugin);
  await app.register(helmet, {
    global: false,
    // The SvelteKit SPA boots with an inline script and Swagger UI inlines its set-up.
    contentSecurityPolicy: false,
  });
  // Helmet's headers protect documents (the web app, the docs page); JSON answers only need
  // nosniff, and skipping the rest keeps the hot API paths cheap.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs')) {
      reply.header('x-content-type-options', 'nosniff');
    } else {
      await reply.helmet();
    }
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, { auth, config, publicPrefixes: ['/api/docs'] });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Rappel API',
        description: 'Micro-learning and spaced-repetition refreshers that make a new tool stick.',
        version: '1',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rappel_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: docsCsp,
  });

  await app.register(healthRoutes, { db });
  await app.register(setupRoutes, { setup: services.setup, config });
  await app.register(authRoutes, { auth, config });
  await app.register(recoveryRoutes, {
    recovery: createRecoveryService({
      db,
      clock,
      hasher: passwords,
      principals,
      auth,
      jobs: runner,
      outbox,
      config,
    }),
    config,
  });
  await app.register(orgRoutes, { orgs: services.orgs });
  await app.register(memberRoutes, { members: services.members });
  await app.register(structureRoutes, { structure: services.structure });
  await app.register(invitationRoutes, { invitations: services.invitations, config });
  await app.register(staffImportRoutes, {
    staffImport: createStaffImportService({
      db,
      clock,
      invitations: services.invitations,
      structure: services.structure,
      outbox,
    }),
    config,
  });
  await app.register(personaRoutes, { personas: services.personas });
  await app.register(toolRoutes, { tools: services.tools });
  await app.register(assetRoutes, { assets: services.assets });
  await app.register(modulePackageRoutes, { packages: services.modulePackages });
  await app.register(moduleRoutes, { modules: services.modules, lessons: services.lessons });
  await app.register(lessonRoutes, { lessons: services.lessons });
  await app.register(learningRoutes, { learning: services.learning });
  await app.register(assignmentRoutes, { assignments: services.assignments });
  await app.register(catalogueRoutes, { catalogue: createCatalogueService({ db }) });
  await app.register(pauseRoutes, { pauses: services.pauses });
  await app.register(calendarRoutes, { calendar: createCalendarService({ db, clock }) });
  await app.register(weightsRoutes, {
    weights: createWeightsService({ db, clock, jobs: runner }),
  });
  await app.register(learnerRoutes, { learner: services.learner });
  await app.register(lookupRoutes, {
    lookup: createLookupService({ db, learner: services.learner }),
  });
  await app.register(reviewRoutes, { reviews: services.reviews });
  await app.register(dashboardRoutes, {
    dashboards: services.dashboards,
    people: services.dashboardPeople,
  });
  await app.register(homeRoutes, {
    home: createHomeService({
      db,
      clock,
      dashboards: services.dashboards,
      people: services.dashboardPeople,
      modules: services.modules,
    }),
  });
  await app.register(outboxRoutes, { outbox, db });
  await app.register(jobRoutes, { status: createJobStatusService({ db, clock, runner }) });
  await app.register(pushRoutes, { push: push.service });
  await app.register(reminderRoutes, {
    reminders: createReminderService({ db, clock, learner: services.learner, notifier }),
  });
  const notifications = createNotificationService({
    db,
    clock,
    signer: () => (signer ??= loadTokenSigner(db)),
  });
  await app.register(notificationRoutes, { notifications });
  await app.register(unsubscribeRoutes, { notifications });

  await registerWebApp(app, config.webDir);

  const housekeeping = async () => {
    await auth.purge();
    await runner.purge();
  };
  app.decorate('housekeeping', housekeeping);
  app.decorate('refreshPairs', () => services.dashboards.refreshPairs());
  app.decorate('refreshAnswerPeriods', () => services.dashboards.refreshAnswerPeriods());
  registerDigests({
    db,
    clock,
    jobs: runner,
    notifier,
    dashboards: services.dashboards,
    people: services.dashboardPeople,
  });
  runner.recurring('housekeeping', { everyMs: HOUSEKEEPING_EVERY_MS }, housekeeping);
  runner.recurring('dashboard-pairs', { everyMs: PAIRS_REFRESH_EVERY_MS }, async () => {
    await services.dashboards.refreshPairs();
  });
  runner.recurring(
    'dashboard-answer-periods',
    { everyMs: ANSWER_PERIODS_REFRESH_EVERY_MS },
    async () => {
      await services.dashboards.refreshAnswerPeriods();
    },
  );
  if (jobs) {
    app.addHook('onReady', async () => runner.start());
    // Before the database closes (it closes after the app): handlers in progress finish.
    app.addHook('onClose', async () => runner.stop());
  }
  return app;
}

/** Serves the built SPA; unknown `/api/…` paths answer JSON 404, any other path the web app. */
async function registerWebApp(app: FastifyInstance, webDir: string | undefined) {
  const hasWeb = !!webDir && fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    const csp = webAppCsp(webDir);
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      // The build's .br and .gz copies, chosen by Accept-Encoding (svelte.config.js).
      preCompressed: true,
      setHeaders(reply, sent) {
        // `sent` is the copy sent: index.html.br for index.html.
        const file = sent.replace(/\.(br|gz)$/, '');
        const immutable = file.includes(`${path.sep}_app${path.sep}immutable${path.sep}`);
        reply.header(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (file.endsWith('.html')) reply.header('content-security-policy', csp);
        // The worker fetches nothing itself; its own policy says so.
        if (file.endsWith(`${path.sep}service-worker.js`)) {
          reply.header('content-security-policy', "default-src 'self'");
        }
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url === '/api' || url.startsWith('/api/') || !['GET', 'HEAD'].includes(request.method)) {
      throw new AppError('NOT_FOUND', 404, `No such API path: ${request.method} ${url}`);
    }
    if (!hasWeb) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

/** The built web app's policy (see web-csp.ts); a build without one is refused, not served bare. */
function webAppCsp(webDir: string): string {
  const csp = cspFromHtml(fs.readFileSync(path.join(webDir, 'index.html'), 'utf8'));
  if (!csp) {
    throw new Error(`${webDir}/index.html has no Content-Security-Policy: rebuild the web app.`);
  }
  return csp;
}
