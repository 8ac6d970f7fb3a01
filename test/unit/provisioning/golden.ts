// Golden-file comparison for rendered provisioning files. Run with
// UPDATE_GOLDEN=1 to (re)write the fixtures, then review the diff by hand.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/provisioning');
const HOW = 'regenerate with: UPDATE_GOLDEN=1 npx vitest run test/unit/provisioning, then review the fixture diff';

export function expectGolden(relativePath: string, actual: string): void {
  const path = join(ROOT, relativePath);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${relativePath} is missing; ${HOW}`);
  expect(actual, `${relativePath} differs from its golden file; if the change is intended, ${HOW}`).toBe(readFileSync(path, 'utf8'));
}
