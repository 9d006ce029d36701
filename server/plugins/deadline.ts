import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnavailableError } from '../lib/errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own deadline in milliseconds, instead of the app's `requestDeadlineMs`. */
    deadlineMs?: number;
  }
}

interface Countdown {
  /** Milliseconds the server still has. */
  left: number;
  since: number;
  timer?: NodeJS.Timeout;
}

/**
 * Every request answers within a deadline of server time: past it, the client gets 503
 * UNAVAILABLE with Retry-After (errors.ts), and whatever the handler returns later is dropped
 * (Fastify logs it). A database that stops answering (a partition, a pool waiting on dead
 * connections) would otherwise keep requests open for as long as TCP takes to give up. The time
 * the client takes to send its body does not count (the connection time-outs bound it), so a
 * large upload on a slow line is not cut. Fastify's own `handlerTimeout` is not used: on Node 20
 * it stops counting once the body has been read, so a stalled POST never timed out.
 */
export const deadlinePlugin = fp(async (app: FastifyInstance, { ms }: { ms: number }) => {
  const countdowns = new WeakMap<FastifyRequest, Countdown>();

  const run = (request: FastifyRequest, reply: FastifyReply, countdown: Countdown) => {
    countdown.since = performance.now();
    countdown.timer = setTimeout(
      () => {
        // A response already under way (a file being streamed) is left to finish.
        if (reply.sent || reply.raw.headersSent) return;
        request.log.warn({ route: request.routeOptions.url }, 'request deadline passed');
        reply.send(new UnavailableError('The server could not answer in time. Please try again.'));
      },
      Math.max(0, countdown.left),
    );
    countdown.timer.unref();
  };

  app.addHook('onRequest', async (request, reply) => {
    const countdown: Countdown = { left: request.routeOptions.config.deadlineMs ?? ms, since: 0 };
    countdowns.set(request, countdown);
    run(request, reply, countdown);
    reply.raw.once('close', () => clearTimeout(countdown.timer));
  });
  app.addHook('preParsing', async (request) => {
    const countdown = countdowns.get(request);
    if (!countdown) return;
    clearTimeout(countdown.timer);
    countdown.left -= performance.now() - countdown.since;
  });
  app.addHook('preValidation', async (request, reply) => {
    const countdown = countdowns.get(request);
    if (countdown && !reply.sent) run(request, reply, countdown);
  });
});
