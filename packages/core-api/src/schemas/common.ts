import { Type, type TSchema, type TUnsafe, type TObject, type TProperties, type ObjectOptions } from '@sinclair/typebox';

const names = new WeakMap<TSchema, string>();

/** Marks a schema as a named component of the OpenAPI document. */
export function named<T extends TSchema>(name: string, schema: T): T {
  names.set(schema, name);
  return schema;
}

export function schemaName(schema: TSchema): string | undefined {
  return names.get(schema);
}

/** A string enum as plain JSON Schema `enum`, which gives one clear error. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** An object that refuses unknown fields. */
export function Strict<T extends TProperties>(properties: T, options: ObjectOptions = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const ROLES = ['admin', 'manager', 'member'] as const;
export const Role = StringEnum(ROLES);

export const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
export const IdParams = Strict({ id: Id });
export const Timestamp = Type.String({ format: 'date-time' });

/** Text a person types: trimmed length limits keep hostile sizes out. */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const FieldErrorSchema = Type.Object({
  path: Type.String(),
  in: StringEnum(['body', 'query', 'path', 'header']),
  message: Type.String(),
});

export const Problem = named(
  'Problem',
  Type.Object(
    {
      type: Type.String(),
      title: Type.String(),
      status: Type.Integer(),
      detail: Type.String(),
      code: Type.String(),
      errors: Type.Optional(Type.Array(FieldErrorSchema)),
      requestId: Type.String(),
    },
    { additionalProperties: true, description: 'RFC 9457 problem details' },
  ),
);

/** A page of results with an opaque cursor for the next one. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 50 });
export const Cursor = Type.String({ maxLength: 512 });

/** A documented error response: RFC 9457 problem details. */
export const problem = (description: string) => ({ description, schema: Problem });
