// The provisioning listeners: HTTP and, when configured, HTTPS, on ports of
// their own (not the admin API's). The certificate comes from config; without
// one a self-signed certificate is generated once into the data dir.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo, isIP } from 'node:net';
import path from 'node:path';
import type { HostPort, ProvisioningConfig } from '../config.js';

export interface Listeners {
  /** http://host:port of the HTTP listener, when it runs */
  httpUrl: string | undefined;
  httpsUrl: string | undefined;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export async function startListeners(
  config: ProvisioningConfig,
  dataDir: string,
  handle: Handler,
  onError: (error: unknown) => void,
): Promise<Listeners> {
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (res.headersSent) return void res.destroy();
      res.writeHead(503, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end('unavailable\n');
    });
  };
  const servers: http.Server[] = [];
  const close = async () => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    })));
  };
  try {
    const plain = config.listen ? await listen(http.createServer(listener), config.listen, servers) : undefined;
    const secure = config.tlsListen
      ? await listen(https.createServer(await tlsOptions(config, dataDir), listener), config.tlsListen, servers)
      : undefined;
    return { httpUrl: plain && urlOf('http', plain), httpsUrl: secure && urlOf('https', secure), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listen(server: http.Server, at: HostPort, servers: http.Server[]): Promise<AddressInfo> {
  servers.push(server);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, resolve);
  });
  return server.address() as AddressInfo;
}

const urlOf = (scheme: string, a: AddressInfo) => `${scheme}://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;

/** The configured certificate, or the self-signed one in `<dataDir>/provisioning-tls/` (made on first use). */
export async function tlsOptions(config: ProvisioningConfig, dataDir: string): Promise<{ cert: string; key: string }> {
  if (config.tls) return { cert: fs.readFileSync(config.tls.certFile, 'utf8'), key: fs.readFileSync(config.tls.keyFile, 'utf8') };
  const dir = path.join(dataDir, 'provisioning-tls');
  const [certFile, keyFile] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
  }
  const host = config.tlsListen?.host ?? 'localhost';
  const names = [{ type: 2 as const, value: 'localhost' }, isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host }];
  const { generate } = await import('selfsigned'); // once per data dir: not kept loaded for that
  const pems = await generate([{ name: 'commonName', value: host }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: names }],
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private };
}
