import { describe, expect, it } from 'vitest';
import { crdToJsonSchemas, standaloneKindSchemas } from './k8s-schemas';

const ref = (name: string) => ({ $ref: `/api/_definitions.json#/$defs/${name}` });

describe('standaloneKindSchemas', () => {
  const files = {
    '_definitions.json': {
      $defs: {
        Spec: { type: 'object', properties: { template: { $ref: '#/$defs/Template' } }, additionalProperties: false },
        Template: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
        Unused: { type: 'string' },
      },
    },
    'thing-apps-v1.json': {
      $id: 'https://kubernetes.io/api/thing/apps/v1',
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Thing', version: 'v1' }],
      properties: { spec: ref('Spec') },
      additionalProperties: false,
    },
    'spec-apps-v1.json': { type: 'object' },
    'all.json': { oneOf: [] },
  };

  it('gives each kind the definitions it reaches, with local refs, and drops the rest', () => {
    const out = standaloneKindSchemas(files);
    expect(Object.keys(out)).toEqual(['thing-apps-v1.json']);
    const thing = out['thing-apps-v1.json']!;
    expect(thing).not.toHaveProperty('$id');
    expect(thing['properties']).toEqual({ spec: { $ref: '#/$defs/Spec' } });
    expect(Object.keys(thing['$defs'] as object).sort()).toEqual(['Spec', 'Template']);
    expect(JSON.stringify(thing)).not.toContain('_definitions.json');
  });

  it('fails on a reference to a definition that does not exist', () => {
    const broken = { ...files, 'x-v1.json': { 'x-kubernetes-group-version-kind': [], properties: { a: ref('Nope') } } };
    expect(() => standaloneKindSchemas(broken)).toThrow('x-v1.json: no definition Nope');
  });
});

describe('crdToJsonSchemas', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      group: 'keda.sh',
      names: { kind: 'ScaledObject' },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    minReplicaCount: { type: 'integer' },
                    target: { 'x-kubernetes-int-or-string': true },
                    note: { type: 'string', nullable: true },
                    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: {} } },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
        { name: 'v1alpha0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };

  it('one strict schema per served version, named by group, kind and version', () => {
    const out = crdToJsonSchemas(crd);
    expect(Object.keys(out)).toEqual(['keda.sh/scaledobject_v1alpha1.json']);
    const schema = out['keda.sh/scaledobject_v1alpha1.json']!;
    expect(schema['additionalProperties']).toBe(false);
    expect(Object.keys(schema['properties'] as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const spec = (schema['properties'] as Record<string, Record<string, unknown>>)['spec']!;
    expect(spec['additionalProperties']).toBe(false);
    const props = spec['properties'] as Record<string, Record<string, unknown>>;
    expect(props['target']).toEqual({
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(props['note']!['type']).toEqual(['string', 'null']);
    expect(props['free']).not.toHaveProperty('additionalProperties');
    expect(props['labels']!['additionalProperties']).toEqual({ type: 'string' });
  });

  it('ignores what is not a CRD', () => {
    expect(crdToJsonSchemas({ kind: 'Deployment' })).toEqual({});
  });
});
