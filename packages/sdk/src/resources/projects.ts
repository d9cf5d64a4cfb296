import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { path } from '../internal/path.js';
import type {
  AddStatusInput,
  CreateProjectInput,
  Page,
  Project,
  ProjectListQuery,
  ProjectMember,
  ProjectRef,
  RemovedProject,
  UpdateProjectInput,
  UpdateStatusInput,
  UpsertProjectInput,
  WorkflowStatus,
} from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/projects`: the containers tasks live in, each with its own workflow.
 * Wherever a project is named, its id, its key (`'CRM'`) or
 * `'ext:<externalId>'` will do.
 */
export class Projects extends APIResource {
  /** One page of the projects you can see, in their order. */
  list(query?: ProjectListQuery, options?: RequestOptions): Promise<Page<Project>> {
    return this.http.request({ method: 'GET', path: '/api/projects', query, options });
  }

  /** Every project you can see. */
  iterate(query: ProjectListQuery = {}, options?: RequestOptions): AsyncGenerator<Project, void, undefined> {
    return paginate((q) => this.list(q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  get(project: ProjectRef, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'GET', path: path`/api/projects/${project}`, options });
  }

  /** Creates a project (admins and managers). */
  create(input: CreateProjectInput, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'POST', path: '/api/projects', body: input, options });
  }

  /** Creates or updates the project that mirrors one object of your app; safe to call on every use. */
  upsertByExternalId(externalId: string, input: UpsertProjectInput, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'PUT', path: path`/api/projects/by-external-id/${externalId}`, body: input, options });
  }

  /** Changes settings or the key; `{ archived: true }` archives, `false` restores. */
  update(project: ProjectRef, input: UpdateProjectInput, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'PATCH', path: path`/api/projects/${project}`, body: input, options });
  }

  /** Deletes an empty project, or archives one that holds tasks. */
  delete(project: ProjectRef, options?: RequestOptions): Promise<RemovedProject> {
    return this.http.request({ method: 'DELETE', path: path`/api/projects/${project}`, options });
  }

  /** The workflow's statuses, in board order. */
  statuses(project: ProjectRef, options?: RequestOptions): Promise<WorkflowStatus[]> {
    return this.data(this.http.request({ method: 'GET', path: path`/api/projects/${project}/statuses`, options }));
  }

  addStatus(project: ProjectRef, input: AddStatusInput, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'POST', path: path`/api/projects/${project}/statuses`, body: input, options });
  }

  updateStatus(project: ProjectRef, key: string, input: UpdateStatusInput, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'PATCH', path: path`/api/projects/${project}/statuses/${key}`, body: input, options });
  }

  /** Removes a status; tasks in it move to `moveTo` (required while it holds tasks). */
  removeStatus(project: ProjectRef, key: string, moveTo?: string, options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'DELETE', path: path`/api/projects/${project}/statuses/${key}`, query: moveTo === undefined ? undefined : { moveTo }, options });
  }

  /** Puts every status of the workflow in a new order. */
  reorderStatuses(project: ProjectRef, keys: string[], options?: RequestOptions): Promise<Project> {
    return this.http.request({ method: 'PUT', path: path`/api/projects/${project}/statuses/order`, body: { keys }, options });
  }

  members(project: ProjectRef, options?: RequestOptions): Promise<ProjectMember[]> {
    return this.data(this.http.request({ method: 'GET', path: path`/api/projects/${project}/members`, options }));
  }

  addMember(project: ProjectRef, userId: number, options?: RequestOptions): Promise<ProjectMember[]> {
    return this.data(this.http.request({ method: 'POST', path: path`/api/projects/${project}/members`, body: { userId }, options }));
  }

  removeMember(project: ProjectRef, userId: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/projects/${project}/members/${userId}`, options });
  }

  /** The list inside a `{ data }` reply. */
  private async data<T>(reply: Promise<{ data: T[] }>): Promise<T[]> {
    return (await reply).data;
  }
}
