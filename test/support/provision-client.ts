// A device's side of provisioning for tests: raw HTTP(S) requests from a chosen
// loopback source address (so each test's misses and bans stay its own), with
// an optional HTTP digest answer.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export interface DeviceReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface DeviceRequest {
  ua?: string;
  /** loopback source address, e.g. 127.0.0.5 */
  from?: string;
  method?: string;
  body?: Buffer | string;
  authorization?: string;
  /** for https: the CA to trust */
  ca?: string;
}

export function deviceFetch(url: string, o: DeviceRequest = {}): Promise<DeviceReply> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {};
  if (o.ua) headers['user-agent'] = o.ua;
  if (o.authorization) headers.authorization = o.authorization;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: o.method ?? 'GET', headers, localAddress: o.from ?? '127.0.0.1', agent: false, ...(o.ca ? { ca: o.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Answers a digest challenge (MD5, qop=auth) the way a phone would. */
export function digestAnswer(challenge: string, method: string, uri: string, user: string, password: string): string {
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const [realm, nonce] = [field('realm'), field('nonce')];
  const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
  const cnonce = crypto.randomBytes(8).toString('hex');
  const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
}
