// Answers one provisioning request: `/p/<key>/<file>`. Every request runs the
// same single lookup and the same pure gate; every refusal is the same 404,
// sent before any bookkeeping (misses, bans, discovered devices), so neither
// its bytes nor its timing tell a wrong key from an unknown or foreign MAC.
// Files are rendered from the database on request (kept with the lookup row
// they came from, dropped with it on any change), never written ahead.
import type http from 'node:http';
import { type AddressList, addressList } from '../addresses.js';
import type { ProvisioningConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { SecretBox } from '../secrets.js';
import { accountConfig, buildDeviceConfig } from './device-config.js';
import { challenge, parseDigest, verifyDigest } from './digest.js';
import type { FetchLog } from './fetch-log.js';
import { type Decision, decide } from './gate.js';
import { KEY_PATTERN, type KeyHasher } from './keys.js';
import type { LookupRow, RenderRow } from './lookup.repository.js';
import type { LookupEntry, Lookups } from './lookups.js';
import * as repo from './provisioning.repository.js';
import { randomPassword } from '../secrets.js';
import type { IdentifiedRequest, RenderedFile, VendorRegistry } from './vendors.js';

export interface ServeDeps {
  db: Database;
  box: SecretBox;
  hasher: KeyHasher;
  vendors: VendorRegistry;
  config: ProvisioningConfig;
  fetchLog: FetchLog;
  lookups: Lookups;
  /** the base URL devices use, e.g. http://prov.example.com:8180 */
  baseUrl: () => string;
  onError: (error: unknown) => void;
  now?: () => Date;
}

export const NOT_FOUND_BODY = 'not found\n';
const IDENTIFIED_LIMIT = 20_000;
const PATH = /^\/p\/([^/]{1,80})\/([A-Za-z0-9._-]{1,128})$/;

interface Request {
  method: string;
  address: string;
  userAgent: string;
  key: string;
  file: string;
  identified: IdentifiedRequest | undefined;
  mac: string;
}

type Outcome = { result: string; accountId?: string | undefined; deviceId?: string | undefined };

export class ProvisioningService {
  private readonly lists = new Map<string, AddressList>();
  private readonly identities = new Map<string, IdentifiedRequest | undefined>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: ServeDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Resolves once the bookkeeping of every request answered so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
    await this.deps.fetchLog.flush();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = this.parse(req);
    const now = this.now();
    const keyHash = this.deps.hasher.hash(KEY_PATTERN.test(request.key) ? request.key : '');
    const entry = await this.deps.lookups.get(keyHash, request.mac, now);
    const row = entry.row;
    const decision = decide({
      banned: this.deps.lookups.isBanned(request.address, now),
      identified: request.identified,
      keyAccount: row.key_account_id ? { id: row.key_account_id, allow: row.key_allow ?? [] } : undefined,
      device: row.device_id
        ? { id: row.device_id, accountId: row.device_account_id!, vendor: row.device_vendor!, allow: row.device_allow ?? [] }
        : undefined,
      keyMatchesDevice: this.deps.hasher.matches(keyHash, row.device_key_hash),
      allowed: (list) => this.list(list).has(request.address),
    });
    const outcome = await this.answer(req, res, request, decision, entry);
    // a refused request naming a device is in that device's audit too: its admins see who tried
    this.afterwards(request, decision, { ...outcome, deviceId: row.device_id ?? undefined, accountId: row.device_account_id ?? outcome.accountId }, keyHash, now);
  }

  private parse(req: http.IncomingMessage): Request {
    const method = req.method ?? 'GET';
    const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const userAgent = String(req.headers['user-agent'] ?? '').slice(0, 300);
    const m = PATH.exec((req.url ?? '').split('?')[0]!);
    const [key, file] = m ? [m[1]!, m[2]!] : ['', (req.url ?? '').slice(0, 128)];
    const identified = m ? this.identify(method, file, userAgent) : undefined;
    return { method, address, userAgent, key, file, identified, mac: identified?.mac ?? identified?.userAgentMac ?? '' };
  }

  private identify(method: string, file: string, userAgent: string): IdentifiedRequest | undefined {
    const found = this.identified(file, userAgent);
    if (method === 'GET' || method === 'HEAD') return found;
    if (method !== 'PUT' || !found) return undefined;
    const upload = found.module.acceptsUpload?.(file);
    return upload ? { ...found, mac: upload.mac ?? found.mac } : undefined;
  }

  /** A phone asks for the same files with the same User-Agent at every boot: what they identify is remembered (bounded). */
  private identified(file: string, userAgent: string): IdentifiedRequest | undefined {
    const memo = `${file}\n${userAgent}`;
    if (this.identities.has(memo)) return this.identities.get(memo);
    const found = this.deps.vendors.identify(file, userAgent);
    if (this.identities.size >= IDENTIFIED_LIMIT) this.identities.clear();
    this.identities.set(memo, found);
    return found;
  }

  private async answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    request: Request,
    decision: Decision,
    entry: LookupEntry,
  ): Promise<Outcome> {
    if (decision.kind === 'refuse') return this.refuse(req, res, decision.reason, decision);
    if (decision.kind === 'common') return this.serveCommon(req, res, request, decision.accountId, entry.row);
    const render = entry.row.render;
    if (!render || render.status !== 'active') return this.refuse(req, res, 'account_inactive', decision);
    const settings = (render.settings ??= await this.ensureSettings(decision.deviceId));
    const auth = this.authorize(req, request, settings);
    if (auth !== 'ok') return this.challenge(req, res, auth, decision);
    if (request.method === 'PUT') return this.upload(req, res, request, decision);
    entry.files ??= this.render(request.key, { ...render, settings });
    const files = entry.files;
    const file = files.get(request.file);
    if (!file) return this.refuse(req, res, 'no_such_file', decision);
    send(req, res, 200, file);
    return { result: 'served', accountId: decision.accountId, deviceId: decision.deviceId };
  }

  private serveCommon(req: http.IncomingMessage, res: http.ServerResponse, request: Request, accountId: string, row: LookupRow): Outcome {
    const account = row.key_account;
    if (!account || account.status !== 'active' || request.method === 'PUT') return this.refuse(req, res, 'no_such_file', { accountId });
    const module = request.identified!.module;
    const file = module.render(accountConfig(account, module.vendor, this.url(request.key))).get(request.file);
    // a file that names no device never carries a secret; one a module marks sensitive is not served here
    if (!file || file.sensitive) return this.refuse(req, res, 'no_such_file', { accountId });
    send(req, res, 200, file);
    return { result: 'served', accountId };
  }

  private authorize(req: http.IncomingMessage, request: Request, settings: NonNullable<RenderRow['settings']>): 'ok' | 'challenge' | 'bad_credentials' {
    if (!settings.http_user || !settings.http_password_enc) return 'ok';
    const authorization = req.headers.authorization;
    if (!parseDigest(authorization)) return 'challenge';
    const credentials = { user: settings.http_user, password: this.deps.box.open(settings.http_password_enc) };
    const ok = verifyDigest(this.deps.hasher, { method: request.method, uri: req.url ?? '', authorization }, credentials, this.now());
    return ok ? 'ok' : 'bad_credentials';
  }

  private challenge(req: http.IncomingMessage, res: http.ServerResponse, result: string, d: { accountId: string; deviceId: string }): Outcome {
    req.resume();
    const body = 'authentication required\n';
    res.writeHead(401, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'www-authenticate': challenge(this.deps.hasher, this.now()),
    });
    res.end(body);
    return { result, accountId: d.accountId, deviceId: d.deviceId };
  }

  private refuse(req: http.IncomingMessage, res: http.ServerResponse, result: string, d: { accountId?: string; deviceId?: string }): Outcome {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain', 'content-length': NOT_FOUND_BODY.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : NOT_FOUND_BODY);
    return { result, accountId: d.accountId, deviceId: d.deviceId };
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse, request: Request, d: { accountId: string; deviceId: string }): Promise<Outcome> {
    const body = await readLimited(req, this.deps.config.uploadBytes);
    if (!body) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      res.end('too large\n');
      return { result: 'upload_too_large', ...d };
    }
    await repo.insertUpload(this.deps.db, { deviceId: d.deviceId, file: request.file, body, address: request.address });
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
    return { result: 'uploaded', ...d };
  }

  /** A device's first fetch makes its settings (the random admin password); the cached row takes them in. */
  private async ensureSettings(deviceId: string) {
    return repo.ensureDeviceSettings(this.deps.db, deviceId, this.deps.box.seal(randomPassword(16)));
  }

  /** The device's files, rendered from the lookup row (passwords opened here, never kept elsewhere). */
  private render(key: string, render: RenderRow & { settings: NonNullable<RenderRow['settings']> }): Map<string, RenderedFile> {
    const module = this.deps.vendors.module(render.vendor);
    if (!module) return new Map<string, RenderedFile>();
    const open = (sealed: string) => this.deps.box.open(sealed);
    const config = buildDeviceConfig(
      {
        device: render,
        account: render,
        lines: render.lines.map((l) => ({ ...l, sipPassword: open(l.sipPasswordEnc) })),
        settings: {
          adminPassword: open(render.settings.admin_password_enc),
          language: render.settings.language,
          codecs: render.settings.codecs,
          functionKeys: render.settings.function_keys,
          lineLabels: render.settings.line_labels,
        },
        provisioningUrl: this.url(key),
      },
      this.deps.config.sip,
    );
    return module.render(config);
  }

  private url(key: string): string {
    return `${this.deps.baseUrl()}/p/${key}/`;
  }

  private list(entries: string[]): AddressList {
    const id = entries.join(',');
    let list = this.lists.get(id);
    if (!list) {
      if (this.lists.size > 1000) this.lists.clear();
      list = addressList(entries);
      this.lists.set(id, list);
    }
    return list;
  }

  /** Audit, misses, bans and discovered devices: after the answer is sent, so they cost the requester no time. */
  private afterwards(request: Request, decision: Decision, outcome: Outcome, keyHash: string, now: Date): void {
    this.deps.fetchLog.record({
      at: now,
      account_id: outcome.accountId ?? null,
      device_id: outcome.deviceId ?? null,
      mac: request.mac || null,
      address: request.address,
      user_agent: request.userAgent,
      file: request.file,
      result: outcome.result,
    });
    const miss = (decision.kind === 'refuse' && decision.miss) || outcome.result === 'bad_credentials';
    if (!miss && !(decision.kind === 'refuse' && decision.discovered)) return;
    const work = this.bookkeep(request, decision, miss, keyHash, now)
      .catch(this.deps.onError)
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  private async bookkeep(request: Request, decision: Decision, miss: boolean, keyHash: string, now: Date): Promise<void> {
    const accountId = decision.kind === 'refuse' ? (decision.accountId ?? null) : decision.accountId;
    if (decision.kind === 'refuse' && decision.discovered && accountId && request.identified) {
      await repo.sawUnknownDevice(this.deps.db, {
        accountId,
        mac: request.mac,
        vendor: request.identified.module.vendor,
        model: request.identified.model ?? '',
        userAgent: request.userAgent,
        address: request.address,
        now,
      });
    }
    if (!miss) return;
    const { misses, seconds } = this.deps.config.misses;
    const target = `${keyHash.slice(0, 16)}|${request.mac || request.file}`;
    const count = await repo.recordMiss(this.deps.db, { address: request.address, target, accountId, now, windowSeconds: seconds });
    if (count < misses) return;
    const until = new Date(now.getTime() + this.deps.config.banSeconds * 1000);
    this.deps.lookups.banned(request.address, until);
    await repo.insertBan(this.deps.db, { address: request.address, accountId, reason: `${count} failed provisioning lookups in ${seconds} s`, until });
  }
}

/** Each rendered file's bytes, encoded once: a file is served many times from the snapshot that keeps it. */
const encoded = new WeakMap<RenderedFile, Buffer>();

function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, file: RenderedFile): void {
  let body = encoded.get(file);
  if (!body) encoded.set(file, (body = Buffer.from(file.body, 'utf8')));
  // a flat name/value list: node writes it as given, without building a headers object
  res.writeHead(status, ['content-type', file.contentType, 'content-length', String(body.length), 'cache-control', file.sensitive ? 'no-store' : 'no-cache']);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The request body, or undefined when it is longer than `limit` bytes. */
async function readLimited(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
