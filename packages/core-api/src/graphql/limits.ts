import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from './pagination.js';

/** Deepest field nesting an operation may have (introspection gets more: its type references nest). */
export const MAX_DEPTH = 10;
export const MAX_INTROSPECTION_DEPTH = 15;
/**
 * Most an operation may cost, counted before anything runs: every field
 * costs 1 (a scalar too, so that aliases of cheap fields add up), times the
 * page size of every list around it (`first`, or its default; 100 when it is
 * a variable without a default).
 */
export const MAX_COST = 10_000;
/** Assumed length of object lists that take no `first` (mentions, trend days…). */
const DEFAULT_LIST_SIZE = 10;

const tooComplex = (message: string, node: OperationDefinitionNode, extensions: Record<string, number>) =>
  new GraphQLError(message, { nodes: node, extensions: { code: 'QUERY_TOO_COMPLEX', ...extensions } });

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Refuses operations nested deeper than `MAX_DEPTH` fields, fragments followed. */
export const maxDepthRule: ValidationRule = (context) => {
  const fragments = fragmentsOf(context);
  const measure = (set: SelectionSetNode, depth: number, introspection: boolean, seen: Set<string>): { data: number; meta: number } => {
    const result = { data: 0, meta: 0 };
    for (const selection of set.selections) {
      let child = { data: 0, meta: 0 };
      if (selection.kind === Kind.FIELD) {
        const meta = introspection || selection.name.value.startsWith('__');
        if (meta) result.meta = Math.max(result.meta, depth + 1);
        else result.data = Math.max(result.data, depth + 1);
        if (selection.selectionSet) child = measure(selection.selectionSet, depth + 1, meta, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        child = measure(selection.selectionSet, depth, introspection, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue; // unknown or cyclic: other rules report it
        child = measure(fragment.selectionSet, depth, introspection, new Set([...seen, fragment.name.value]));
      }
      result.data = Math.max(result.data, child.data);
      result.meta = Math.max(result.meta, child.meta);
    }
    return result;
  };
  return {
    OperationDefinition(node) {
      const { data, meta } = measure(node.selectionSet, 0, false, new Set());
      if (data > MAX_DEPTH) {
        context.reportError(tooComplex(`The operation is ${data} fields deep; the limit is ${MAX_DEPTH}`, node, { depth: data, maxDepth: MAX_DEPTH }));
      } else if (meta > MAX_INTROSPECTION_DEPTH) {
        context.reportError(
          tooComplex(`The introspection is ${meta} fields deep; the limit is ${MAX_INTROSPECTION_DEPTH}`, node, { depth: meta, maxDepth: MAX_INTROSPECTION_DEPTH }),
        );
      }
    },
  };
};

/** Refuses operations whose estimated cost exceeds `MAX_COST`. */
export const maxCostRule: ValidationRule = (context) => {
  const fragments = fragmentsOf(context);
  const schema = context.getSchema();
  let variableDefaults = new Map<string, number | undefined>();

  const listSize = (node: FieldNode, field: GraphQLField<unknown, unknown>): number => {
    const firstArg = field.args.find((arg) => arg.name === 'first');
    if (firstArg) {
      const given = node.arguments?.find((arg) => arg.name.value === 'first')?.value;
      if (!given) return typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : MAX_PAGE_SIZE;
      if (given.kind === Kind.INT) return Math.max(1, Number(given.value));
      if (given.kind === Kind.VARIABLE) return variableDefaults.get(given.name.value) ?? MAX_PAGE_SIZE;
      return MAX_PAGE_SIZE;
    }
    if (!isListType(getNullableType(field.type))) return 1;
    // A connection's edges and nodes are as long as the connection's `first`, counted above.
    return node.name.value === 'edges' || node.name.value === 'nodes' ? 1 : DEFAULT_LIST_SIZE;
  };

  const cost = (set: SelectionSetNode, parent: GraphQLCompositeType, seen: Set<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        total += 1;
        if (selection.selectionSet && isCompositeType(type)) total += listSize(selection, field) * cost(selection.selectionSet, type, seen);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (!isCompositeType(condition)) continue;
        const next = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen;
        total += cost(fragment.selectionSet, condition, next);
      }
      if (total > MAX_COST * 1000) return total; // already hopeless; stop counting
    }
    return total;
  };

  return {
    OperationDefinition(node) {
      const root =
        node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      if (!root) return;
      variableDefaults = new Map(
        (node.variableDefinitions ?? []).map((definition) => [
          definition.variable.name.value,
          definition.defaultValue?.kind === Kind.INT ? Number(definition.defaultValue.value) : undefined,
        ]),
      );
      const total = cost(node.selectionSet, root, new Set());
      if (total > MAX_COST) {
        context.reportError(tooComplex(`The operation would cost ${total}; the limit is ${MAX_COST}`, node, { cost: total, maxCost: MAX_COST }));
      }
    },
  };
};

/** The fields an operation selects, fragments expanded (each spread counts: a fragment spread twice runs twice). */
function* selectedFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, depth = Infinity): Generator<FieldNode> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      yield selection;
      if (selection.selectionSet && depth > 1) yield* selectedFields(selection.selectionSet, fragments, seen, depth - 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      yield* selectedFields(selection.selectionSet, fragments, seen, depth);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue; // unknown or cyclic: other rules report it
      yield* selectedFields(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]), depth);
    }
  }
}

/** Refuses operations with more than `max` aliased fields: aliases are how one request repeats a field. */
export function maxAliasesRule(max: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(node) {
        let aliases = 0;
        for (const field of selectedFields(node.selectionSet, fragments, new Set())) if (field.alias) aliases += 1;
        if (aliases > max) context.reportError(tooComplex(`The operation has ${aliases} aliases; the limit is ${max}`, node, { aliases, maxAliases: max }));
      },
    };
  };
}

/** Refuses a mutation operation of more than `max` root fields: each is a write, and a refused document writes nothing. */
export function maxMutationsRule(max: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(node) {
        if (node.operation !== 'mutation') return;
        const writes = [...selectedFields(node.selectionSet, fragments, new Set(), 1)].filter((field) => !field.name.value.startsWith('__')).length;
        if (writes > max) context.reportError(tooComplex(`The mutation makes ${writes} writes; the limit is ${max}`, node, { mutations: writes, maxMutations: max }));
      },
    };
  };
}
