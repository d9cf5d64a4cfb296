import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { Id, StringEnum, Timestamp } from '../schemas/common.js';
import { enumType, objectType } from './fromSchemas.js';

describe('GraphQL SDL from TypeBox schemas', () => {
  const Color = StringEnum(['dark_red', 'blue']);
  const Thing = Type.Object({
    id: Id,
    name: Type.String({ description: 'What it is called' }),
    color: Color,
    size: Type.Union([Type.Integer(), Type.Null()]),
    tags: Type.Array(Type.String()),
    seenAt: Type.Union([Timestamp, Type.Null()]),
    ownerId: Id,
  });

  it('prints an output type: non-null unless the schema allows null, ids and timestamps as ID and DateTime', () => {
    const sdl = objectType('type', 'Thing', Thing, { omit: ['ownerId'], named: new Map([[Color, 'Color']]), fields: { owner: ': User' } });
    expect(sdl).toContain('id: ID!');
    expect(sdl).toContain('"What it is called."\n    name: String!');
    expect(sdl).toContain('color: Color!');
    expect(sdl).toContain('size: Int\n');
    expect(sdl).toContain('tags: [String!]!');
    expect(sdl).toContain('seenAt: DateTime\n');
    expect(sdl).toContain('owner: User');
    expect(sdl).not.toContain('ownerId');
  });

  it('prints an input: required only where the schema requires it, and knows an Optional copy of a named enum', () => {
    const Input = Type.Object({ name: Type.String(), color: Type.Optional(Color) });
    const sdl = objectType('input', 'ThingInput', Input, { named: new Map([[Color, 'Color']]) });
    expect(sdl).toContain('name: String!');
    expect(sdl).toContain('color: Color\n');
  });

  it('refuses a schema it cannot print, naming the field', () => {
    // An object with fixed properties needs a named type (or a hand-written field); it is not guessed.
    expect(() => objectType('type', 'Bad', Type.Object({ nested: Type.Object({ inner: Type.String() }) }))).toThrow(/Bad\.nested/);
    expect(() => objectType('type', 'Bad', Type.Object({ either: Type.Union([Type.String(), Type.Integer()]) }))).toThrow(/Bad\.either/);
  });

  it('prints a map of keys to values (a Record, as custom-field values) as JSON', () => {
    const Values = Type.Object({ fields: Type.Record(Type.String(), Type.Unknown()), maybe: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.Unknown())) });
    expect(objectType('type', 'Values', Values)).toContain('fields: JSON!');
    expect(objectType('input', 'ValuesInput', Values)).toMatch(/fields: JSON!\n\s+maybe: JSON\n/);
  });

  it('prints enum values upper case and maps them back', () => {
    const { sdl, resolvers } = enumType('Color', ['dark_red', 'blue']);
    expect(sdl).toContain('DARK_RED');
    expect(resolvers).toEqual({ Color: { DARK_RED: 'dark_red', BLUE: 'blue' } });
  });
});
