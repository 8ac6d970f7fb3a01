// PATCH bodies from create schemas: every field optional and no defaults, so a
// field left out of a PATCH keeps its value instead of going back to a default.
import { z } from 'zod';

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
