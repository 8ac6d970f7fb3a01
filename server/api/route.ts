// A route is data: method, path, schemas and a handler. The same table drives
// express, request validation, the OpenAPI document and the tenancy test matrix.
import type { Request } from 'express';
import type { z } from 'zod';
import type { Caller } from '../accounts/index.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  req: Request;
}

export interface Route {
  method: Method;
  /** OpenAPI-style path under /api/v1, e.g. /accounts/{accountId} */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** true: no bearer token needed (login, refresh) */
  isPublic: boolean;
  params?: Schema | undefined;
  query?: Schema | undefined;
  body?: Schema | undefined;
  response?: Schema | undefined;
  status: 200 | 201 | 204;
  handler: (input: HandlerInput<unknown, unknown, unknown>) => Promise<unknown>;
}

interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  isPublic?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response?: Schema;
  status?: 200 | 201 | 204;
  handler: (input: HandlerInput<Out<P>, Out<Q>, Out<B>>) => Promise<unknown>;
}

export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): Route {
  return {
    ...spec,
    isPublic: spec.isPublic ?? false,
    status: spec.status ?? (spec.method === 'post' ? 201 : spec.method === 'delete' ? 204 : 200),
    handler: spec.handler as Route['handler'],
  };
}

/** A handler's answer that is a file to download (an invoice as CSV or PDF), not JSON. */
export class Download {
  constructor(
    readonly contentType: string,
    readonly filename: string,
    readonly body: string | Buffer,
  ) {}
}

/** `/accounts/{accountId}` → `/accounts/:accountId` for express. */
export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
