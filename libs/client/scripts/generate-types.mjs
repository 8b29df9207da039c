// Generates src/generated/openapi.ts, the client's types, from the API's OpenAPI document
// (openapi-typescript), formatted with the repository's Prettier settings.
//
//   node scripts/generate-types.mjs                 from the ingress build (services/ingress/dist, after `tsc -b`)
//   node scripts/generate-types.mjs <url|file>      from a served document or a file
//   node scripts/generate-types.mjs --check [src]   exit 1 when the checked-in file differs (CI)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'src', 'generated', 'openapi.ts');
const repoRoot = join(here, '..', '..', '..');

async function loadDocument(source) {
  if (source === undefined) {
    const require = createRequire(join(repoRoot, 'services', 'ingress', 'package.json'));
    const { buildOpenApi } = require('./dist/openapi.js');
    const { builtInJobTypes } = require('@longhaul/job-types');
    return buildOpenApi(builtInJobTypes);
  }
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source} answered ${res.status}`);
    return res.json();
  }
  return JSON.parse(readFileSync(source, 'utf8'));
}

export async function generate(source) {
  const ast = await openapiTS(await loadDocument(source), { alphabetize: true });
  const header =
    '/**\n * Generated from the Longhaul OpenAPI document by scripts/generate-types.mjs (openapi-typescript).\n' +
    ' * Do not edit: run `npm run generate-types -w @longhaul/client` after changing the document.\n */\n\n';
  const options = (await prettier.resolveConfig(target)) ?? {};
  return prettier.format(header + astToString(ast), { ...options, filepath: target });
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const source = args.find((a) => a !== '--check');
const text = await generate(source);
if (check) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error(
      `${target} is out of date with the OpenAPI document: run \`npm run generate-types -w @longhaul/client\``,
    );
    process.exit(1);
  }
  console.log('client types match the OpenAPI document');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
