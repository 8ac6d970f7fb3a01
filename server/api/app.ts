// The express application: /api/v1 routes from the route table, bearer auth,
// validation, one error shape, plus /healthz, /readyz and /metrics.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import client from 'prom-client';
import { z } from 'zod';
import type { Caller } from '../accounts/index.js';
import { Unauthorized } from '../errors.js';
import { errorHandler, zodToDomain } from './errors.js';
import { openApiDocument } from './openapi.js';
import { Download, type Route, expressPath } from './route.js';
import type { Tokens } from './tokens.js';

export interface AppDeps {
  routes: Route[];
  tokens: Tokens;
  log: Logger;
  version: string;
  /** resolves when the database answers; rejects otherwise */
  ready: () => Promise<void>;
  metrics: client.Registry;
}

const strict = (schema: z.ZodType | undefined) => (schema instanceof z.ZodObject ? schema.strict() : schema);

function parse(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw zodToDomain(result.error);
  return result.data;
}

async function callerOf(req: Request, tokens: Tokens): Promise<Caller> {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new Unauthorized('send Authorization: Bearer <access token>');
  return tokens.callerFor(match[1]);
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const requests = new client.Counter({
    name: 'callplane_http_requests_total',
    help: 'API requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [deps.metrics],
  });
  const latency = new client.Histogram({
    name: 'callplane_http_request_duration_seconds',
    help: 'API request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [deps.metrics],
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res, next) => {
    deps.ready().then(
      () => res.json({ status: 'ready' }),
      (error: unknown) => {
        deps.log.warn({ err: error }, 'not ready');
        res.status(503).json({ status: 'unavailable' });
      },
    ).catch(next);
  });
  app.get('/metrics', (_req, res, next) => {
    deps.metrics.metrics().then((text) => res.type(deps.metrics.contentType).send(text), next);
  });

  const document = openApiDocument(deps.routes, deps.version);
  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.get('/openapi.json', (_req, res) => void res.json(document));

  for (const r of deps.routes) {
    const body = strict(r.body);
    api[r.method](expressPath(r.path), (req: Request, res: Response, next: NextFunction) => {
      const stop = latency.startTimer({ method: r.method, route: r.path });
      res.on('finish', () => {
        stop();
        requests.inc({ method: r.method, route: r.path, status: String(res.statusCode) });
      });
      const run = async () => {
        const caller = r.isPublic ? (undefined as unknown as Caller) : await callerOf(req, deps.tokens);
        const input = {
          caller,
          params: parse(r.params, req.params),
          query: parse(r.query, req.query),
          body: parse(body, req.body),
          req,
        };
        const result = await r.handler(input);
        if (result instanceof Download) res.status(200).type(result.contentType).attachment(result.filename).send(result.body);
        else if (r.status === 204 || result === undefined) res.status(204).end();
        else res.status(r.status).json(result);
      };
      run().catch(next);
    });
  }
  api.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.baseUrl}${req.path}` } });
  });
  app.use('/api/v1', api);
  app.use(errorHandler(deps.log));
  return app;
}
