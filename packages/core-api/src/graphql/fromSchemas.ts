import { Kind, type TObject, type TSchema } from '@sinclair/typebox';
import { Id, Timestamp } from '../schemas/common.js';

/**
 * GraphQL SDL printed from the TypeBox schemas REST validates with and
 * documents, so a field is typed once: the GraphQL type of a task, a user
 * or a create input is whatever the schema says, with the few differences
 * a graph needs (an id that becomes a relation, a connection field) named
 * explicitly. Printed once, when the schema is built.
 */

/** Schemas that print as a named GraphQL type (an enum, a scalar) rather than from their JSON Schema. */
export type NamedTypes = ReadonlyMap<TSchema, string>;

const SCALARS: NamedTypes = new Map<TSchema, string>([
  [Id, 'ID'],
  [Timestamp, 'DateTime'],
]);

/** `in_progress` → `IN_PROGRESS`: GraphQL enum values are upper case. */
export const enumValueName = (value: string) => value.toUpperCase();

/** An enum type over a list of values, and its resolver map (GraphQL name → the value REST uses). */
export function enumType(name: string, values: readonly string[], description?: string) {
  const sdl = `${describe(description, '  ')}  enum ${name} {\n${values.map((value) => `    ${enumValueName(value)}`).join('\n')}\n  }\n`;
  return { sdl, resolvers: { [name]: Object.fromEntries(values.map((value) => [enumValueName(value), value])) } };
}

/** A field written by hand: its arguments and type (`(first: Int): Connection!` or `: User`), and what it is. */
export type HandWrittenField = string | { type: string; description: string };

export interface ObjectOptions {
  /** Schema properties the GraphQL type leaves out (a foreign key that becomes a relation, the tenant id). */
  omit?: readonly string[];
  /** Fields written by hand, replacing the schema's of the same name or added after them (relations, connections). */
  fields?: Record<string, HandWrittenField>;
  /** Descriptions that differ for GraphQL (REST's may name a header where GraphQL has an argument). */
  descriptions?: Record<string, string>;
  /** Enums and other named types, beside ID and DateTime. */
  named?: NamedTypes;
  description?: string;
}

/** An output type (`kind: 'type'`) or an input type from an object schema. */
export function objectType(kind: 'type' | 'input', name: string, schema: TObject, options: ObjectOptions = {}): string {
  const named = byShape(new Map([...SCALARS, ...(options.named ?? [])]));
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  const handWritten = { ...options.fields };
  for (const [field, property] of Object.entries(schema.properties)) {
    if (options.omit?.includes(field)) continue;
    if (field in handWritten) {
      lines.push(printHandWritten(field, handWritten[field]!));
      delete handWritten[field];
      continue;
    }
    const type = fieldType(property as TSchema, named, `${name}.${field}`);
    // An output field is non-null unless the schema allows null; an input field is required only where the schema requires it.
    const nonNull = kind === 'type' ? !type.nullable : required.has(field) && !type.nullable;
    const description = options.descriptions?.[field] ?? (property as TSchema).description;
    lines.push(`${describe(description, '    ')}    ${field}: ${type.name}${nonNull ? '!' : ''}`);
  }
  for (const [field, declaration] of Object.entries(handWritten)) lines.push(printHandWritten(field, declaration));
  return `${describe(options.description, '  ')}  ${kind} ${name} {\n${lines.join('\n')}\n  }\n`;
}

function printHandWritten(field: string, declaration: HandWrittenField): string {
  return typeof declaration === 'string' ? `    ${field}${declaration}` : `${describe(declaration.description, '    ')}    ${field}${declaration.type}`;
}

/**
 * Named types by their JSON Schema text: `Type.Optional(TaskStatus)` is a
 * copy of `TaskStatus`, not the same object, yet the same type.
 */
function byShape(named: NamedTypes): ReadonlyMap<string, string> {
  return new Map([...named].map(([schema, name]) => [JSON.stringify(schema), name]));
}

function fieldType(schema: TSchema, named: ReadonlyMap<string, string>, where: string): { name: string; nullable: boolean } {
  const known = named.get(JSON.stringify(schema));
  if (known) return { name: known, nullable: false };
  if (schema[Kind] === 'Union') {
    const members = (schema.anyOf as TSchema[]).filter((member) => member[Kind] !== 'Null');
    if (members.length !== 1) throw new Error(`${where}: only "X or null" unions print as GraphQL`);
    return { name: fieldType(members[0]!, named, where).name, nullable: members.length < (schema.anyOf as TSchema[]).length };
  }
  switch (schema.type) {
    case 'string':
      return { name: 'String', nullable: false };
    case 'integer':
      return { name: 'Int', nullable: false };
    case 'number':
      return { name: 'Float', nullable: false };
    case 'boolean':
      return { name: 'Boolean', nullable: false };
    case 'array':
      return { name: `[${fieldType(schema.items as TSchema, named, where).name}!]`, nullable: false };
    case 'object':
      // A map of keys to values of any type (custom fields) is JSON; other objects need a named type.
      if (schema.patternProperties) return { name: 'JSON', nullable: false };
      throw new Error(`${where}: no GraphQL type for this object; name it in options.named or write the field by hand`);
    default:
      throw new Error(`${where}: no GraphQL type for this schema; name it in options.named or write the field by hand`);
  }
}

function describe(text: string | undefined, indent: string): string {
  if (!text) return '';
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return `${indent}${JSON.stringify(sentence)}\n`;
}
