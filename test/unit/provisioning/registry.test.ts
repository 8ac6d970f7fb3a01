// The registry's public surface and the rendering guarantees every vendor
// gives: deterministic output, no mutation of the input, escaped names,
// passwords only in files marked sensitive.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { VENDOR_MODULES, resyncEventFor, supportedModels, vendorModule } from '../../../provisioning/index.js';
import { NOW, TRICKY_NAME, sampleConfig } from './device-config.js';

describe('registry', () => {
  it('finds a module per product vendor and none for generic softphones', () => {
    for (const v of ['yealink', 'polycom', 'grandstream', 'cisco', 'obihai', 'snom', 'fanvil']) expect(vendorModule(v)?.vendor).toBe(v);
    expect(vendorModule('generic')).toBeUndefined();
  });

  it('keeps the resync events devices understand', () => {
    expect(resyncEventFor('yealink')).toBe('check-sync;reboot=false');
    expect(resyncEventFor('polycom')).toBe('check-sync');
    expect(resyncEventFor('cisco')).toBe('resync');
    expect(resyncEventFor('generic')).toBeUndefined();
  });

  it('lists every model with its facts, and scores known models above unknown ones', () => {
    const models = supportedModels();
    expect(models.find((m) => m.vendor === 'grandstream' && m.model === 'HT814')).toMatchObject({ kind: 'ata', lines: 4 });
    expect(models.find((m) => m.vendor === 'cisco' && m.model === 'SPA112')).toMatchObject({ kind: 'ata', lines: 2, support: 3 });
    expect(models.every((m) => m.support >= 2)).toBe(true);
    expect(vendorModule('yealink')!.supportScore('SIP-T46U')).toBe(3);
    expect(vendorModule('yealink')!.supportScore('T99X')).toBe(0);
  });
});

describe.each(VENDOR_MODULES.map((m) => [m.vendor, Object.keys(m.models)[0]!] as const))('%s rendering', (vendor, model) => {
  const module = vendorModule(vendor)!;

  it('is deterministic and leaves the input untouched', () => {
    const config = sampleConfig(vendor, model);
    const before = structuredClone(config);
    const a = module.render(config, NOW);
    const b = module.render(structuredClone(config), NOW);
    expect(config).toEqual(before);
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  it('puts passwords only in files marked sensitive, and every file it serves matches its own path rule', () => {
    for (const [name, f] of module.render(sampleConfig(vendor, model), NOW)) {
      expect(module.matchPath(name), name).toBeDefined();
      if (f.body.includes('second-pw') || f.body.includes('adm1n-Secret')) expect(f.sensitive, name).toBe(true);
    }
  });

  it('writes well-formed XML with the display name escaped, or a line format a name cannot break', () => {
    const config = sampleConfig(vendor, model, { lines: [{ ...sampleConfig(vendor, model).lines[0]!, displayName: `${TRICKY_NAME}\nextra.key = 1` }] });
    for (const [name, f] of module.render(config, NOW)) {
      if (f.contentType.startsWith('application/xml')) {
        expect(XMLValidator.validate(f.body), name).toBe(true);
        if (f.body.includes('Ann')) expect(f.body).not.toContain(TRICKY_NAME);
      } else {
        expect(f.body.split('\n').some((l) => l.startsWith('extra.key'))).toBe(false);
      }
    }
  });
});
