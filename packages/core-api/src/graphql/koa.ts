import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Middleware } from 'koa';
import type { GraphqlState } from '../http/graphqlPipeline.js';
import type { EventBus } from '../events/bus.js';
import type { Services } from '../services/index.js';
import { StreamCounter } from './busSubscription.js';
import type { GraphqlConfig } from './config.js';
import type { GraphqlContext, ServerContext } from './context.js';
import { toGraphqlError } from './errors.js';
import { maxAliasesRule, maxCostRule, maxDepthRule, maxMutationsRule } from './limits.js';
import { createLoaders } from './loaders.js';
import { buildGraphqlSchema } from './schema.js';

export { GRAPHQL_PATH } from './config.js';
import { GRAPHQL_PATH } from './config.js';

/** Drops graphql-js's "Did you mean …?" hints, which reveal the schema. */
function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean .+\?$/, '');
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}

/** Depth and cost limits, introspection switch and suggestion hiding, all at validation: before any resolver runs. */
function validationPlugin(config: GraphqlConfig, limits: { maxAliases: number; maxMutations: number }): Plugin {
  const aliases = maxAliasesRule(limits.maxAliases);
  const mutations = maxMutationsRule(limits.maxMutations);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(maxDepthRule);
      addValidationRule(maxCostRule);
      addValidationRule(aliases);
      addValidationRule(mutations);
      if (!config.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ valid, result, setResult }) => {
        if (valid) return;
        const errors = result.map((error) =>
          error.extensions.code ? error : new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
        );
        setResult(config.suggestions ? errors : errors.map(withoutSuggestions));
      };
    },
  };
}

/**
 * graphql-yoga over the services. The caller comes from the same access
 * tokens as REST (authenticate.ts); each request gets its own loaders.
 */
export function createGraphqlServer(services: Services, bus: EventBus | undefined, config: GraphqlConfig) {
  const { logger } = services;
  const streams = new StreamCounter(services.config.graphqlLimits.maxStreamsPerUser);
  // graphql-jit compiles each (cached) document into a function: resolving
  // a page of 50 tasks' fields was most of a request's CPU.
  // Subscriptions keep graphql-js's own executor (the stream is long-lived anyway).
  const jit = useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' });
  const plugins: Plugin[] = [validationPlugin(config, services.config.graphqlLimits), jit as Plugin];
  if (config.persistedOnly || Object.keys(config.persistedDocuments).length) {
    plugins.push(
      usePersistedOperations({
        getPersistedOperation: (key: string) => config.persistedDocuments[key] ?? null,
        allowArbitraryOperations: !config.persistedOnly,
        customErrors: {
          persistedQueryOnly: { message: 'Only persisted operations run on this server', extensions: { code: 'PERSISTED_QUERY_ONLY' } },
          notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
        },
      }),
    );
  }
  return createYoga<ServerContext, GraphqlContext>({
    schema: buildGraphqlSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    cors: false, // Koa's cors middleware answers for the whole app
    batching: false,
    plugins,
    // Unexpected errors are logged once, by toGraphqlError; yoga's own error log repeats every mapped one.
    logging: {
      debug: (...args: unknown[]) => logger.debug({ args }, 'graphql'),
      info: (...args: unknown[]) => logger.debug({ args }, 'graphql'),
      warn: (...args: unknown[]) => logger.warn({ args }, 'graphql'),
      error: (...args: unknown[]) => logger.debug({ args }, 'graphql error'),
    },
    maskedErrors: { maskError: (error) => toGraphqlError(error, logger) },
    context: async ({ koa }): Promise<GraphqlContext> => {
      // The request pipeline (http/graphqlPipeline.ts) authenticated the caller already; a refusal is answered here, GraphQL-shaped.
      const state = koa.state as GraphqlState;
      const caller = state.auth;
      const auth = state.token;
      if (!caller || !auth) {
        const error = state.authError;
        const mapped = toGraphqlError(error, logger);
        const status = (error as { status?: number }).status;
        throw new GraphQLError(mapped.message, { extensions: { ...mapped.extensions, http: { status, headers: (error as { headers?: Record<string, string> }).headers } } });
      }
      const context: GraphqlContext = {
        services,
        bus,
        caller,
        origin: `${koa.protocol}://${koa.host}`,
        auth,
        streams,
        loaders: createLoaders(services, caller),
        resetLoaders: () => {
          context.loaders = createLoaders(services, caller);
        },
      };
      return context;
    },
  });
}

export type GraphqlServer = ReturnType<typeof createGraphqlServer>;

/**
 * Yoga as the last Koa middleware of /graphql (after the request pipeline,
 * see http/graphqlPipeline.ts): the JSON body Koa already read is handed on, and yoga's status, headers and body (a stream for
 * SSE) are copied back.
 */
export function graphqlMiddleware(yoga: GraphqlServer): Middleware {
  return async (ctx) => {
    const parsed = ctx.request.body;
    const request = {
      req: ctx.req,
      method: ctx.method,
      headers: ctx.req.headers,
      // An already-read body goes on as is: whatwg-node would otherwise read the spent stream.
      body: parsed === undefined || (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0) ? parsed : JSON.stringify(parsed),
    };
    const response = await yoga.handleNodeRequestAndResponse(request as never, ctx.res, { koa: ctx });
    ctx.status = response.status;
    response.headers.forEach((value, key) => ctx.set(key, value));
    // Subscriptions (SSE) stay a web stream that Koa pipes, so events flow as yoga writes them (it
    // starts with a ping). Anything else is read whole: piping a stream per answer costs more than
    // the answer (Node's pipeline builds an AbortController and a DOMException each time).
    const streaming = response.headers.get('content-type')?.startsWith('text/event-stream');
    ctx.body = streaming ? response.body : await response.text();
  };
}
