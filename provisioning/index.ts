// The provisioning vendor registry: the public surface of provisioning/.
// Adding a vendor is one folder under vendors/ and one entry in VENDOR_MODULES;
// adding a model is one row in that vendor's models table.
import type { RequestInfo, VendorModule } from './contract.js';
import { cisco } from './vendors/cisco/index.js';
import { fanvil } from './vendors/fanvil/index.js';
import { grandstream } from './vendors/grandstream/index.js';
import { obihai } from './vendors/obihai/index.js';
import { polycom } from './vendors/polycom/index.js';
import { snom } from './vendors/snom/index.js';
import { yealink } from './vendors/yealink/index.js';

export * from './contract.js';
export { offsetMinutesAt, posixTz, zoneRules, isKnownZone, type ZoneRules, type DstChange } from './timezone.js';

export const VENDOR_MODULES: readonly VendorModule[] = [yealink, polycom, grandstream, cisco, obihai, snom, fanvil];

const BY_VENDOR = new Map(VENDOR_MODULES.map((m) => [m.vendor, m]));

/** The module for a devices.vendor value; undefined for vendors without one (e.g. generic softphones). */
export function vendorModule(vendor: string): VendorModule | undefined {
  return BY_VENDOR.get(vendor);
}

export interface IdentifiedRequest extends RequestInfo {
  vendor: string;
  /** The file name is one this vendor asks for (not only the User-Agent matched). */
  pathMatched: boolean;
  /** The file name is one the device uploads (Polycom logs), not one it fetches. */
  upload: boolean;
}

/**
 * Which vendor a provisioning request comes from, and what it says about the
 * device. The User-Agent decides the vendor when it names one; otherwise the
 * first module whose file names match. The MAC prefers the file name's, and
 * `userAgentMac` is kept so the service can refuse a mismatch.
 */
export function identifyRequest(fileName: string, userAgent: string | undefined): IdentifiedRequest | undefined {
  const name = fileName.replace(/^.*\//, '');
  for (const module of VENDOR_MODULES) {
    const ua = userAgent ? module.parseUserAgent(userAgent) : undefined;
    if (!ua) continue;
    const path = module.matchPath(name);
    const upload = path ? undefined : module.acceptsUpload?.(name);
    return { ...ua, vendor: module.vendor, mac: path?.mac ?? upload?.mac ?? ua.mac, pathMatched: Boolean(path), upload: Boolean(upload) };
  }
  for (const module of VENDOR_MODULES) {
    const path = module.matchPath(name);
    if (path) return { vendor: module.vendor, mac: path.mac, pathMatched: true, upload: false };
  }
  return undefined;
}

export interface SupportedModel {
  vendor: string;
  model: string;
  kind: 'phone' | 'ata';
  lines: number;
  functionKeys: number;
  /** 0 (unknown) … 3 (tested). */
  support: number;
}

/** Every model of every vendor, for the API's model list; sorted by vendor then model. */
export function supportedModels(): SupportedModel[] {
  return VENDOR_MODULES.flatMap((m) =>
    Object.entries(m.models).map(([model, facts]) => ({
      vendor: m.vendor,
      model,
      kind: facts.kind,
      lines: facts.lines,
      functionKeys: facts.functionKeys ?? 0,
      support: m.supportScore(model),
    })),
  ).sort((a, b) => a.vendor.localeCompare(b.vendor) || a.model.localeCompare(b.model));
}

/** The NOTIFY Event that makes a vendor's devices re-fetch their files; undefined without a module. */
export function resyncEventFor(vendor: string): string | undefined {
  return vendorModule(vendor)?.resyncEvent;
}
