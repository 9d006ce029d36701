import type { FastifyInstance } from 'fastify';

/** `METHOD /path/:param` as the table of a route suite names an operation. */
export type RouteKey = string;

/** The operations of the OpenAPI document, as `METHOD /api/…/:param`. */
export async function openApiRoutes(app: FastifyInstance): Promise<RouteKey[]> {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  if (res.statusCode !== 200) throw new Error(`OpenAPI document: ${res.statusCode}`);
  const paths = res.json().paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

/**
 * Every route the router holds, read from `printRoutes()` (Fastify has no public route list):
 * each line of the tree is a path segment, its depth given by its indentation, followed by the
 * methods registered there. Catches a route hidden from the OpenAPI document.
 */
export function routerRoutes(app: FastifyInstance): RouteKey[] {
  const stack: string[] = [];
  const routes: RouteKey[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)(?:[├└]── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}
