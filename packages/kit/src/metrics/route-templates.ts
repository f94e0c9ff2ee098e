import type { Application, Request } from 'express';

/**
 * The route template of a request ("/api/orders/:id"), even when it was answered before Express
 * matched a route — by the body parser (malformed JSON) or by the chaos agent's middleware. RED
 * metrics then stay per route for every response, and an injected failure is labelled exactly
 * like a real one on the same route.
 *
 * We match the path against the app's registered routes, read once per app from its router (Express 5: `layer.rawPath` is a
 * mount path, `layer.route` a route). Templates with `:params` are supported; wildcards are not
 * needed by this project and fall back to "unmatched".
 */
export function routeTemplateOf(req: Request): string | undefined {
  // Matched by path rather than from req.route/req.baseUrl: Express resets baseUrl when a
  // request leaves a router with an error, so those are unreliable by the time it finishes.
  const method = req.method.toLowerCase();
  // originalUrl: inside a router req.path has the mount path stripped.
  const full = (req.originalUrl || req.url).split('?')[0] ?? '/';
  const path = full.length > 1 ? full.replace(/\/$/, '') : full;
  return compiledRoutes(req.app).find((r) => (r.methods.has(method) || r.methods.has('_all')) && r.pattern.test(path))?.template;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

interface CompiledRoute {
  template: string;
  methods: Set<string>;
  pattern: RegExp;
}

const cache = new WeakMap<Application, CompiledRoute[]>();

function compiledRoutes(app: Application): CompiledRoute[] {
  let routes = cache.get(app);
  if (!routes) {
    routes = [];
    collect((app as unknown as { router?: { stack?: Layer[] } }).router?.stack ?? [], '', routes);
    cache.set(app, routes);
  }
  return routes;
}

function collect(stack: Layer[], prefix: string, out: CompiledRoute[]): void {
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === 'string') {
      // A router mounted at /api/products with a route '/' serves /api/products.
      const template = `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1');
      const pattern = compile(template);
      if (pattern) out.push({ template, methods: new Set(Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m])), pattern });
    } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
      collect(layer.handle.stack, `${prefix}${layer.rawPath === '/' ? '' : layer.rawPath}`, out);
    }
  }
}

function compile(template: string): RegExp | undefined {
  if (/[*{}()?]/.test(template)) return undefined;
  const body = template
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.+^$|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}$`, 'i');
}
