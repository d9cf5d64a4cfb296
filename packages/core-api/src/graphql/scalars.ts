import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * ISO-8601 date-times. Input strings are passed on as given: the same
 * schemas as REST then check them and name the offending field.
 */
const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 date-time in UTC, e.g. 2026-01-31T09:30:00.000Z',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return value;
    throw new GraphQLError('DateTime cannot represent this value');
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be a string');
    return value;
  },
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: node });
    return node.value;
  },
});

function literal(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.LIST:
      return node.values.map((value) => literal(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

/** Free-form JSON: event payloads, and custom-field values (Task.fields, the fields of task inputs). */
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});

/**
 * A status key of a project's workflow, written in upper case as the enum
 * it used to be (`IN_PROGRESS` is `in_progress`): queries written when the
 * four statuses were a GraphQL enum keep working, literals included, and
 * custom statuses (`QA_READY`) read the same way. Keys are `[a-z][a-z0-9_]*`,
 * so upper-casing loses nothing.
 */
const TaskStatus = new GraphQLScalarType({
  name: 'TaskStatus',
  description: 'A status key of the task’s project’s workflow, in upper case (IN_PROGRESS); a string or an enum-like literal',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('TaskStatus cannot represent this value');
    return value.toUpperCase();
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError('TaskStatus must be a string');
    return value.toLowerCase();
  },
  parseLiteral(node) {
    if (node.kind !== Kind.STRING && node.kind !== Kind.ENUM) throw new GraphQLError('TaskStatus must be a status key', { nodes: node });
    return node.value.toLowerCase();
  },
});

export const scalarTypeDefs = /* GraphQL */ `
  scalar DateTime
  scalar JSON
  "A status key of the task's project's workflow, in upper case (IN_PROGRESS); a string or an enum-like literal."
  scalar TaskStatus
`;

export const scalarResolvers = { DateTime, JSON: JSONScalar, TaskStatus };
