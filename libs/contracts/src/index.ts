export { createSchemaRegistry, pingSchemaRegistry, SchemaRegistry } from './registry';
