// A PostgreSQL cluster of the benchmark's own: initdb into a temp dir as user
// postgres, pg_ctl start on a loopback port, the postmaster tracked by its PID
// and stopped with pg_ctl (then by signal) when the run ends. Settings are the
// defaults (fsync and synchronous_commit on): a binding is on disk when acknowledged.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type Processes, type Tracked, isAlive, stopPid } from './processes.js';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  port: number;
  postmaster: Tracked;
  url(database: string): string;
  query<T extends pg.QueryResultRow>(database: string, text: string, values?: unknown[]): Promise<T[]>;
}

const asPostgres = (command: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

/** `statements`: load pg_stat_statements, to see which statements the PostgreSQL time goes to. */
export async function startCluster(processes: Processes, dir: string, port: number, statements = false): Promise<Cluster> {
  const data = path.join(dir, 'pgdata');
  fs.mkdirSync(data, { recursive: true });
  execFileSync('chown', ['-R', 'postgres', dir]);
  asPostgres(path.join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${statements ? ' -c shared_preload_libraries=pg_stat_statements' : ''}`;
  asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', 'start']);
  const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const postmaster = processes.track({
    name: 'postgres',
    pid,
    // SIGQUIT: the postmaster tells its backends to quit at once
    emergencySignal: 'SIGQUIT',
    stop: async () => {
      try {
        asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      } catch {
        // pg_ctl failed: the signal below still stops it
      }
      if (isAlive(pid)) await stopPid(pid, 'SIGINT');
    },
  });
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const cluster: Cluster = {
    port,
    postmaster,
    url,
    query: async <T extends pg.QueryResultRow>(database: string, text: string, values?: unknown[]) => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query<T>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
  };
  if (statements) await cluster.query('postgres', 'CREATE EXTENSION pg_stat_statements');
  return cluster;
}

export interface StatementCost {
  query: string;
  calls: number;
  meanMs: number;
  totalMs: number;
}

export const resetStatements = (cluster: Cluster) => cluster.query('postgres', 'SELECT pg_stat_statements_reset()');

/** The statements run in `database` since the last reset, costliest first. */
export async function topStatements(cluster: Cluster, database: string, limit = 10): Promise<StatementCost[]> {
  const rows = await cluster.query<{ query: string; calls: string; mean: number; total: number }>(
    'postgres',
    `SELECT s.query, s.calls, s.mean_exec_time AS mean, s.total_exec_time AS total
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = $1
      ORDER BY s.total_exec_time DESC
      LIMIT $2`,
    [database, limit],
  );
  return rows.map((r) => ({ query: r.query.replace(/\s+/g, ' ').slice(0, 140), calls: Number(r.calls), meanMs: r.mean, totalMs: r.total }));
}
