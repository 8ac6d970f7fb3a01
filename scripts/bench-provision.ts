// Provisioning benchmark (npm run bench:provision): 10,000 devices on a fresh
// PGlite (or DATABASE_URL) control plane, autocannon against its provisioning
// listener — each request a different device, with its User-Agent, through
// every check, rendered from the database (cache keyed by the rows) and
// audited — and against nginx serving the same bytes as static files, in one
// run. Prints requests/s, p99 latency and the ratio (target ≥ 0.5). nginx
// runs with one worker (callplane is one process) on a loopback port with a
// temporary config, and is stopped by PID; without nginx it is skipped with
// the reason. autocannon runs in this process; the plane in a child.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = path.dirname(new URL(import.meta.url).pathname);

interface Ready {
  base: string;
  root: string;
  paths: string[];
  vendors: string;
  database: string;
}

interface Result {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const userAgent = (p: string) => {
  const mac = /([0-9a-f]{12})\.cfg$/.exec(p)![1]!;
  return `Yealink SIP-T46U 66.86.0.15 ${mac.match(/../g)!.join(':')}`;
};

async function startPlane(): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), '--import', 'tsx', path.join(here, 'bench-provision', 'server.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const lines = readline.createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, ready: JSON.parse(line) as Ready };
  }
  throw new Error('the bench plane exited before it was ready');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function nginxBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (fs.existsSync(candidate)) return candidate;
  const which = spawnSync('which', ['nginx'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

async function startNginx(binary: string, root: string): Promise<{ child: ChildProcess; base: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen 127.0.0.1:${port}; root ${root}; add_header Cache-Control no-store; }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  // nginx's worker drops root for an unprivileged user: let it read the files
  for (let d = root; d.startsWith(`${os.tmpdir()}${path.sep}`); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  spawnSync('chmod', ['-R', 'a+rX', root]);
  const child = spawn(binary, ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (up) return { child, base: `http://127.0.0.1:${port}`, dir };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`nginx did not start; see ${dir}/error.log`);
}

async function load(base: string, paths: string[], warmUp = false): Promise<Result> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    ...(warmUp ? { amount: paths.length } : { duration: SECONDS }),
    requests: [
      {
        setupRequest: (req) => {
          const p = paths[next++ % paths.length]!;
          return { ...req, path: p, headers: { ...req.headers, 'user-agent': userAgent(p) } };
        },
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

const show = (name: string, r: Result) =>
  `${name.padEnd(10)} ${Math.round(r.rps).toLocaleString('en').padStart(8)} req/s   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}   non-2xx ${r.non2xx}`;

async function main() {
  console.log(`bench:provision — ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: numbers move with other work)`);
  const { child, ready } = await startPlane();
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    console.log(`${ready.paths.length.toLocaleString('en')} devices on ${ready.database}; vendor module: ${ready.vendors}; ${CONNECTIONS} connections, ${SECONDS} s each`);
    await load(ready.base, ready.paths, true); // warm-up: every device once (JIT, lookup cache)
    const ours = await load(ready.base, ready.paths);
    console.log(show('callplane', ours));
    const binary = nginxBinary();
    if (!binary) {
      console.log('nginx: skipped — no nginx binary found (Debian: apt-get install -y nginx)');
      return;
    }
    nginx = await startNginx(binary, ready.root);
    await load(nginx.base, ready.paths, true);
    const theirs = await load(nginx.base, ready.paths);
    console.log(show('nginx', theirs));
    const ratio = ours.rps / theirs.rps;
    console.log(`ratio      ${ratio.toFixed(2)}× nginx's requests/s (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'missed'})`);
  } finally {
    if (nginx) {
      nginx.child.kill('SIGTERM');
      fs.rmSync(nginx.dir, { recursive: true, force: true });
    }
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
