// bench:calls — calls through the whole chain at stepped rates: SIPp desk
// phone → drachtio-server → SIP edge → FreeSWITCH → controller → routing →
// bridged back through the edge to a registered phone that answers. Prints,
// per rate, calls attempted / failed and the time to answer, and the highest
// rate with no failed call. Needs the same servers as the e2e suites:
//   DRACHTIO_HOST=127.0.0.1 FREESWITCH_ESL_HOST=127.0.0.1 FREESWITCH_SIP=127.0.0.1:5080 npm run bench:calls
// Bounded: BENCH_CALL_RATES (default 2,5,10,20,30) × BENCH_CALL_SECONDS (default 10) each.
import { loadConfig } from '../server/config.js';
import { startControlPlane } from '../server/control-plane.js';
import { createLogger } from '../server/log.js';
import { Http } from '../test/support/plane.js';
import { auth, csv, sipp, sipTarget } from '../test/e2e/support/sipp.js';
import { UdpPhone } from '../test/e2e/support/udp-phone.js';

const drachtio = process.env.DRACHTIO_HOST;
const freeswitch = process.env.FREESWITCH_ESL_HOST;
if (!drachtio || !freeswitch) {
  console.log('bench:calls needs DRACHTIO_HOST and FREESWITCH_ESL_HOST (a FreeSWITCH running dialplans/), as the e2e suites do');
  process.exit(0);
}
const rates = (process.env.BENCH_CALL_RATES ?? '2,5,10,20,30').split(',').map(Number);
const seconds = Number(process.env.BENCH_CALL_SECONDS ?? 10);
const [edgeHost, edgePort] = sipTarget.split(':') as [string, string];

const config = loadConfig({
  CALLPLANE_HTTP_PORT: '0',
  CALLPLANE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  CALLPLANE_ADMIN_PASSWORD: 'bench-password-1',
  CALLPLANE_DATA_DIR: '/nonexistent-callplane-bench',
  DRACHTIO_HOST: drachtio,
  FREESWITCH_ESL_HOST: freeswitch,
  FREESWITCH_SIP: process.env.FREESWITCH_SIP ?? '127.0.0.1:5080',
  CALLPLANE_SIP_DIGEST: 'MD5,SHA-256',
  CALLPLANE_SIP_ALLOW: '127.0.0.0/8',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const plane = await startControlPlane(config, {
  log: createLogger('warn'),
  ...(process.env.DATABASE_URL ? {} : { database: { dataDir: 'memory://' } }),
  announce: () => {},
});
const callee = new UdpPhone({ ip: '127.0.0.41', server: { host: edgeHost, port: Number(edgePort) }, answer: true, ringMs: 50 });
try {
  await plane.sip!.connected;
  const http = new Http(`${plane.url}/api/v1`);
  const token = (await http.post('/auth/login', { email: 'admin@callplane.local', password: 'bench-password-1' })).body.accessToken as string;
  const op = new Http(http.base, token);
  const acct = (await op.post('/accounts', { name: 'Bench calls' })).body as { id: string; realm: string };
  const mk = async (name: string) =>
    (await op.post(`/accounts/${acct.id}/subaccounts`, { name, sipUser: name, sipPassword: `${name}-Password-1` })).body as { extension: string };
  await mk('alice');
  const bob = await mk('bob');
  await callee.start();
  if ((await callee.register('bob', acct.realm, 'bob-Password-1')) !== 200) throw new Error('callee did not register');
  const inf = csv([['alice', acct.realm, auth('alice', 'alice-Password-1')]]);
  const rows: string[] = [];
  let best = 0;
  for (const rate of rates) {
    const calls = rate * seconds;
    const before = callee.invites.length;
    const started = Date.now();
    const run = await sipp({ scenario: 'device-invite.xml', inf, calls, rate, source: '127.0.0.40', keys: { dialed: bob.extension }, timeoutSeconds: seconds + 30 });
    const answered = callee.invites.length - before;
    const wall = (Date.now() - started) / 1000;
    // SIPp only starts new calls as fast as the old ones finish: a rate is kept when 90 % of it was achieved
    const achieved = calls / Math.max(wall - 0.7, 0.001);
    const clean = run.code === 0 && answered === calls && achieved >= 0.9 * rate;
    const verdict = clean ? 'clean' : run.code !== 0 || answered !== calls ? 'FAILED calls' : 'rate not sustained';
    rows.push(`| ${rate} | ${calls} | ${answered} | ${run.code === 0 ? 0 : 'some'} | ${achieved.toFixed(1)}/s | ${verdict} |`);
    console.log(rows.at(-1));
    if (!clean) break;
    best = rate;
  }
  console.log('\n| calls/s | attempted | reached the callee | SIPp failures | achieved | verdict |\n| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`\nhighest rate sustained with no failed call: ${best} calls/s (each call: INVITE → 407 → INVITE → routed by the controller → bridged → 200 → 300 ms → BYE)`);
} finally {
  callee.close();
  await plane.close();
}
