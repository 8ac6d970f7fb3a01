// Public surface of provisioning: the service phones and ATAs fetch their
// configuration from (its own HTTP/HTTPS listeners) and the API side of it.
import type { Devices } from '../accounts/index.js';
import type { ProvisioningConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { MasterKey, SecretBox } from '../secrets.js';
import { FetchLog } from './fetch-log.js';
import { KeyHasher } from './keys.js';
import { Lookups } from './lookups.js';
import { type Listeners, startListeners } from './listener.js';
import { Provisioning } from './provisioning.js';
import { ProvisioningService } from './serve.js';
import type { VendorRegistry } from './vendors.js';

export { Provisioning } from './provisioning.js';
export { NOT_FOUND_BODY, ProvisioningService } from './serve.js';
export { type IdentifiedRequest, type VendorRegistry, noVendors } from './vendors.js';
export * as provisioningSchemas from './provisioning.schemas.js';

export interface ProvisioningServer {
  service: ProvisioningService;
  /** starts the configured listeners; the URL devices use follows the HTTP one unless CALLPLANE_PROVISION_URL is set */
  listen(dataDir: string): Promise<Listeners>;
  close(): Promise<void>;
}

export interface ProvisioningParts {
  db: Database;
  box: SecretBox;
  key: MasterKey;
  devices: Devices;
  config: ProvisioningConfig;
  vendors: VendorRegistry;
  onError: (error: unknown) => void;
}

export interface ProvisioningFeature {
  api: Provisioning;
  server: ProvisioningServer;
  /** call after any committed change to devices, subaccounts or accounts: cached lookups are dropped */
  invalidate(): void;
}

/** The API feature and the server, sharing one key hasher, one lookup cache and one fetch log. */
export function createProvisioning(parts: ProvisioningParts): ProvisioningFeature {
  const { db, box, config, onError } = parts;
  const hasher = new KeyHasher(parts.key.derive('provisioning'));
  const fetchLog = new FetchLog({ db, onError });
  const lookups = new Lookups({ db, ttlSeconds: config.cacheSeconds, onError });
  const at = config.listen ?? config.tlsListen;
  let base = config.publicUrl ?? `${config.listen ? 'http' : 'https'}://${at?.host ?? '127.0.0.1'}:${at?.port ?? 8180}`;
  const baseUrl = () => base;
  const api = new Provisioning({ db, box, hasher, devices: parts.devices, fetchLog, lookups, baseUrl });
  const service = new ProvisioningService({ db, box, hasher, vendors: parts.vendors, config, fetchLog, lookups, baseUrl, onError });
  let listeners: Listeners | undefined;
  const server: ProvisioningServer = {
    service,
    listen: async (dataDir) => {
      await lookups.start();
      listeners = await startListeners(config, dataDir, (req, res) => service.handle(req, res), onError);
      if (!config.publicUrl) base = listeners.httpUrl ?? listeners.httpsUrl ?? base;
      return listeners;
    },
    close: async () => {
      lookups.stop();
      await listeners?.close();
      await service.settled();
      await fetchLog.close();
    },
  };
  return { api, server, invalidate: () => lookups.invalidate() };
}
