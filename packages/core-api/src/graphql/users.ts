import { compileValidator } from '../schemas/validate.js';
import { ROLES, Role as RoleSchema } from '../schemas/common.js';
import { User, UserListQuery } from '../schemas/users.js';
import type { UserListQuery as UserListInput } from '../services/users.js';
import type { GraphqlContext } from './context.js';
import { asArguments, renameFields } from './errors.js';
import { enumType, objectType } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';

const roleEnum = enumType('Role', ROLES);

export const userTypeDefs = /* GraphQL */ `
${roleEnum.sdl}
  ${objectType('type', 'User', User, { omit: ['workspaceId'], named: new Map([[RoleSchema, 'Role']]) })}
  type UserEdge {
    node: User!
  }

  type UserConnection {
    edges: [UserEdge!]!
    nodes: [User!]!
    pageInfo: PageInfo!
  }

  input UserFilter {
    "Part of the name or email."
    q: String
    role: Role
    active: Boolean
  }

  extend type Query {
    "The caller."
    me: User!
    user(id: ID!): User!
    "The workspace's people, by id; first ≤ 100."
    users(filter: UserFilter, first: Int = 100, after: String): UserConnection!
  }
`;

const validateList = compileValidator(UserListQuery, 'query');
const listArgument = (path: string) => ({ cursor: 'after', limit: 'first' })[path] ?? (path ? `filter.${path}` : 'filter');

export const userResolvers = {
  ...roleEnum.resolvers,

  Query: {
    me: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.services.users.get(ctx.caller, ctx.caller.userId),
    user: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.services.users.get(ctx.caller, toId(args.id, 'id')),
    users: async (_: unknown, args: { filter?: object | null; first?: number | null; after?: string | null }, ctx: GraphqlContext) => {
      const filter = Object.fromEntries(Object.entries(args.filter ?? {}).filter(([, value]) => value !== null));
      let input: UserListInput;
      try {
        input = validateList({ ...filter, ...(args.after != null ? { cursor: args.after } : {}) }) as UserListInput;
      } catch (error) {
        throw renameFields(error, listArgument);
      }
      const page = await asArguments(listArgument, () => ctx.services.users.list(ctx.caller, { ...input, limit: pageSize(args.first, 100) }));
      for (const user of page.data) ctx.loaders.users.prime(user.id, user);
      return connection(page);
    },
  },
};
