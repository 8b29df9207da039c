/**
 * Schemas in the layout kubeconform reads from a folder. Pure functions over parsed JSON, so
 * the conversions are unit tested; k8s-tools.ts does the downloads and writes the files.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `$ref` string in a value. */
function refsOf(value: Json, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  return out;
}

function mapRefs(value: Json, map: (ref: string) => string): Json {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, map));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? map(v) : mapRefs(v, map)]),
  );
}

// Kind files point into the shared file by path; the shared file's own refs are local.
const DEFINITIONS_REF = /^(?:\/api\/_definitions\.json)?#\/\$defs\/(.+)$/;

/**
 * kubernetes-validate's strict schemas refer to one shared `_definitions.json` by an absolute
 * path that only its own resolver understands. kubeconform compiles each kind's file alone, so
 * each kind gets the definitions it reaches copied into its own `$defs`. Only files of a kind
 * (`x-kubernetes-group-version-kind`) are kept; their names (`deployment-apps-v1.json`) are
 * already kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`.
 */
export function standaloneKindSchemas(files: Readonly<Record<string, unknown>>): Record<string, JsonObject> {
  const shared = files['_definitions.json'];
  if (!isObject(shared) || !isObject(shared['$defs'])) throw new Error('_definitions.json has no $defs');
  const defs = shared['$defs'];
  const local = (ref: string) => {
    const m = DEFINITIONS_REF.exec(ref);
    return m ? `#/$defs/${m[1]}` : ref;
  };
  const out: Record<string, JsonObject> = {};
  for (const [file, schema] of Object.entries(files)) {
    if (file.startsWith('_') || file === 'all.json' || !isObject(schema)) continue;
    if (!('x-kubernetes-group-version-kind' in schema)) continue;
    const reached: JsonObject = {};
    const queue = refsOf(schema);
    while (queue.length > 0) {
      const m = DEFINITIONS_REF.exec(queue.pop()!);
      if (!m || m[1]! in reached) continue;
      const def = defs[m[1]!];
      if (def === undefined) throw new Error(`${file}: no definition ${m[1]}`);
      reached[m[1]!] = def;
      queue.push(...refsOf(def));
    }
    const { $id: _id, ...rest } = schema;
    out[file] = { ...(mapRefs(rest, local) as JsonObject), $defs: mapRefs(reached, local) };
  }
  return out;
}

/**
 * A CRD's OpenAPI v3 schemas as strict JSON schemas, one per served version, named
 * `<group>/<kind>_<version>.json` (kubeconform's `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`).
 * Strict as kubeconform's own openapi2jsonschema makes them: an object with properties takes
 * no others unless it says so (additionalProperties, x-kubernetes-preserve-unknown-fields);
 * int-or-string and nullable become JSON schema types.
 */
export function crdToJsonSchemas(crd: unknown): Record<string, JsonObject> {
  if (!isObject(crd) || crd['kind'] !== 'CustomResourceDefinition' || !isObject(crd['spec'])) return {};
  const spec = crd['spec'];
  const names = spec['names'];
  const group = spec['group'];
  if (!isObject(names) || typeof names['kind'] !== 'string' || typeof group !== 'string')
    throw new Error('a CRD without spec.group or spec.names.kind');
  const kind = names['kind'].toLowerCase();
  const out: Record<string, JsonObject> = {};
  for (const version of Array.isArray(spec['versions']) ? spec['versions'] : []) {
    if (!isObject(version) || version['served'] === false || typeof version['name'] !== 'string') continue;
    const schema = isObject(version['schema']) ? version['schema']['openAPIV3Schema'] : undefined;
    if (!isObject(schema)) continue;
    const strict = strictify(schema) as JsonObject;
    const props = isObject(strict['properties']) ? strict['properties'] : {};
    // Every object has these, whether or not the CRD's schema lists them.
    strict['properties'] = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...props,
    };
    out[`${group}/${kind}_${version['name']}.json`] = strict;
  }
  return out;
}

function strictify(value: Json): Json {
  if (Array.isArray(value)) return value.map(strictify);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'properties' && isObject(v)
        ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictify(s)]))
        : strictify(v);
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  if (
    isObject(out['properties']) &&
    !('additionalProperties' in out) &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}
