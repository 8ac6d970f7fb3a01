// Every vendor's files for the sample device, compared with reviewed golden
// files: one case per model family, in Berlin and in New York.
import { describe, expect, it } from 'vitest';
import { vendorModule } from '../../../provisioning/index.js';
import { NOW, sampleConfig } from './device-config.js';
import { expectGolden } from './golden.js';

const CASES: Array<[vendor: string, model: string]> = [
  ['yealink', 'T46U'],
  ['yealink', 'T54W'],
  ['polycom', 'VVX450'],
  ['grandstream', 'GXP2160'],
  ['grandstream', 'HT802'],
  ['grandstream', 'HT814'],
  ['cisco', 'SPA112'],
  ['cisco', 'SPA508G'],
  ['obihai', 'OBi202'],
  ['snom', 'D785'],
  ['fanvil', 'X4U'],
];
const ZONES: Array<[slug: string, zone: string]> = [
  ['berlin', 'Europe/Berlin'],
  ['new-york', 'America/New_York'],
];

describe('rendered files match their reviewed golden files', () => {
  for (const [vendor, model] of CASES) {
    for (const [slug, zone] of ZONES) {
      it(`${vendor} ${model} in ${zone}`, () => {
        const files = vendorModule(vendor)!.render(sampleConfig(vendor, model, { timezone: zone }), NOW);
        expect(files.size).toBeGreaterThan(0);
        for (const [name, rendered] of files) expectGolden(`${vendor}/${model}-${slug}/${name}`, rendered.body);
      });
    }
  }
});
