import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { path } from '../internal/path.js';
import type { CreateUserInput, Page, ResponseBody, UpdateUserInput, User, UserListQuery } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/users`: the people of the workspace (changes need the admin role). */
export class Users extends APIResource {
  /** One page of users. */
  list(query?: UserListQuery, options?: RequestOptions): Promise<Page<User>> {
    return this.http.request({ method: 'GET', path: '/api/users', query, options });
  }

  /** Every matching user. */
  iterate(query: UserListQuery = {}, options?: RequestOptions): AsyncGenerator<User, void, undefined> {
    return paginate((q) => this.list(q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  /** One user by id. */
  get(id: number, options?: RequestOptions): Promise<User> {
    return this.http.request({ method: 'GET', path: path`/api/users/${id}`, options });
  }

  /** Adds a person to the workspace (admins). */
  create(input: CreateUserInput, options?: RequestOptions): Promise<ResponseBody<'createUser'>> {
    return this.http.request({ method: 'POST', path: '/api/users', body: input, options });
  }

  /** Changes a person's name, role or active flag (admins). */
  update(id: number, input: UpdateUserInput, options?: RequestOptions): Promise<User> {
    return this.http.request({ method: 'PATCH', path: path`/api/users/${id}`, body: input, options });
  }
}
