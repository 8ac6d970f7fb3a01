// What every call flow's API schemas are, from routing's schema (the contract):
// the item with timestamps, the create body (no id, no account), the PATCH body
// (every field optional and no defaults, so a field left out of a PATCH keeps
// its value instead of going back to a default) and the list filter.
import { z } from 'zod';
import { pageQuery } from '../paging.js';

type Patched<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]>;
};

export function patchOf<S extends z.ZodRawShape>(shape: S): z.ZodObject<Patched<S>> {
  const fields = Object.entries(shape).map(([key, schema]) => {
    const bare = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType);
    return [key, bare.optional()];
  });
  return z.object(Object.fromEntries(fields)) as unknown as z.ZodObject<Patched<S>>;
}

const STAMPS = { createdAt: z.string(), updatedAt: z.string() };

/** The schemas of one kind of call flow; `q` of the filter is described by `searched`. */
export function callFlowSchemas<S extends z.ZodRawShape & { id: z.ZodType; accountId: z.ZodType }>(
  routing: z.ZodObject<S>,
  searched: string,
) {
  // zod cannot check a mask against a shape that is a type parameter; S has both keys
  const create = routing.omit<{ id: true; accountId: true }>({ id: true, accountId: true } as never);
  return {
    item: routing.extend(STAMPS),
    create,
    update: patchOf(create.shape),
    filter: pageQuery.extend({ q: z.string().trim().max(100).optional().describe(searched) }),
  };
}

/** The timestamps the API adds to a call flow. */
export function stamps(row: { created_at: Date; updated_at: Date }) {
  return { createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}
