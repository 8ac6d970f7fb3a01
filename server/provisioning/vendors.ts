// What the provisioning service needs from the vendor modules in provisioning/:
// identify a request, and find a vendor's module. The registry is passed in
// (control-plane.ts builds it), so this folder depends only on the contract.
import type { VendorModule } from '../../provisioning/contract.js';

export type { DeviceConfig, RenderedFile, VendorModule } from '../../provisioning/contract.js';

export interface IdentifiedRequest {
  module: VendorModule;
  /** the MAC the request names (path, or User-Agent when the path has none) */
  mac?: string | undefined;
  /** the MAC in the User-Agent, for vendors that send one: must equal the path's */
  userAgentMac?: string | undefined;
  model?: string | undefined;
  firmware?: string | undefined;
}

export interface VendorRegistry {
  identify(fileName: string, userAgent: string): IdentifiedRequest | undefined;
  module(vendor: string): VendorModule | undefined;
}

/** A registry that knows no vendor: every request is refused (until the vendor modules are wired in). */
export const noVendors: VendorRegistry = { identify: () => undefined, module: () => undefined };
