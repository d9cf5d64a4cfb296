import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { conflict, fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { TaskRelation } from '../models/TaskRelation.js';
import { MAX_RELATIONS_PER_TASK, type RelationCreateInput, type RelationType, type RelationView, type TaskRelationDto } from '../schemas/relations.js';
import { assertTaskAction } from './policy.js';
import { constraintOf } from './projectKeys.js';
import { lockTask, type TaskRow } from './taskRows.js';
import type { TaskService } from './tasks.js';

/** How a stored link reads from the task at its far end. */
const INVERSE: Record<RelationType, RelationView> = { blocks: 'blocked_by', relates_to: 'relates_to', duplicates: 'duplicated_by' };

/** A task at one end of a link, as its events name it. */
type End = Pick<TaskRow, 'id' | 'projectId' | 'identifier' | 'title'>;

interface RelationRow {
  id: number;
  type: RelationType;
  taskId: number;
  relatedTaskId: number;
  createdBy: number | null;
  createdAt: Date;
}

/** Links between tasks: blocks (no cycles), relates to, duplicates. */
export class RelationService {
  constructor(
    private readonly knex: Knex,
    private readonly tasks: TaskService,
  ) {}

  /** Both directions, each read from this task, with the other task as the caller may see it. */
  async list(caller: Caller, taskRef: number | string): Promise<{ data: TaskRelationDto[]; nextCursor: null }> {
    const task = await this.tasks.get(caller, taskRef);
    const rows = (await TaskRelation.rows(this.knex)
      .where('workspaceId', caller.workspaceId)
      .where((either) => either.where('taskId', task.id).orWhere('relatedTaskId', task.id))
      .orderBy('id')
      .limit(MAX_RELATIONS_PER_TASK * 2)
      .select('id', 'type', 'taskId', 'relatedTaskId', 'createdBy', 'createdAt')) as RelationRow[];
    const others = await this.tasks.getMany(caller, rows.map((row) => (row.taskId === task.id ? row.relatedTaskId : row.taskId)));
    const byId = new Map(others.map((other) => [other.id, other]));
    const data = rows.flatMap((row) => {
      const outgoing = row.taskId === task.id;
      const other = byId.get(outgoing ? row.relatedTaskId : row.taskId);
      if (!other) return []; // a task in a project the caller cannot see
      return [
        {
          id: row.id,
          type: outgoing ? row.type : INVERSE[row.type],
          task: { id: other.id, identifier: other.identifier, title: other.title, status: other.status, statusCategory: other.statusCategory },
          createdBy: row.createdBy,
          createdAt: row.createdAt.toISOString(),
        },
      ];
    });
    return { data, nextCursor: null };
  }

  /** Links this task to another; both must be visible, and the caller must be allowed to change this one. */
  async add(caller: Caller, taskRef: number | string, input: RelationCreateInput): Promise<TaskRelationDto> {
    const task = await this.tasks.get(caller, taskRef);
    const otherId = await this.tasks.resolveId(caller, input.taskId).catch(() => 0);
    if (otherId === task.id) throw fieldError('taskId', 'is this task: a task cannot be linked to itself');
    if (!otherId || !(await this.tasks.exists(caller, otherId))) throw fieldError('taskId', 'is not a task you can see');
    try {
      return await this.knex.transaction(async (trx) => {
        const source = await lockTask(trx, caller, task.id);
        assertTaskAction(caller, source, 'update');
        const other = await lockTask(trx, caller, otherId);
        const count = Number(((await TaskRelation.rows(trx).where('taskId', task.id).orWhere('relatedTaskId', task.id).count({ n: '*' }).first()) as { n: string }).n);
        if (count >= MAX_RELATIONS_PER_TASK) throw conflict(`A task has at most ${MAX_RELATIONS_PER_TASK} links`, 'too_many_relations');
        if (input.type === 'blocks' && (await this.blocks(trx, other.id, task.id))) {
          throw fieldError('taskId', `${other.identifier} already blocks ${task.identifier} (directly or through other tasks): this would make a cycle`);
        }
        if (input.type === 'duplicates' || input.type === 'blocks') {
          const reverse = await TaskRelation.rows(trx).where({ taskId: other.id, relatedTaskId: task.id, type: input.type }).first('id');
          if (reverse) throw conflict(`${other.identifier} already ${input.type === 'blocks' ? 'blocks' : 'duplicates'} ${task.identifier}`, 'relation_exists');
        }
        const [row] = (await TaskRelation.rows(trx)
          .insert({ workspaceId: caller.workspaceId, type: input.type, taskId: task.id, relatedTaskId: other.id, createdBy: caller.userId })
          .returning(['id', 'type', 'taskId', 'relatedTaskId', 'createdBy', 'createdAt'])) as RelationRow[];
        await this.announce(trx, caller, 'task.relation_added', row!, source, other);
        return {
          id: row!.id,
          type: row!.type,
          task: { id: other.id, identifier: other.identifier, title: other.title, status: other.status, statusCategory: other.statusCategory },
          createdBy: row!.createdBy,
          createdAt: row!.createdAt.toISOString(),
        };
      });
    } catch (error) {
      if (constraintOf(error) === 'task_relations_directed' || constraintOf(error) === 'task_relations_pair') {
        throw conflict('These tasks are already linked this way', 'relation_exists');
      }
      throw error;
    }
  }

  /** Removes a link, from either end (the caller must be allowed to change the task it is read from). */
  async remove(caller: Caller, taskRef: number | string, relationId: number): Promise<void> {
    const task = await this.tasks.get(caller, taskRef);
    await this.knex.transaction(async (trx) => {
      const source = await lockTask(trx, caller, task.id);
      assertTaskAction(caller, source, 'update');
      const [row] = (await TaskRelation.rows(trx)
        .where({ workspaceId: caller.workspaceId, id: relationId })
        .where((either) => either.where('taskId', task.id).orWhere('relatedTaskId', task.id))
        .delete()
        .returning(['id', 'type', 'taskId', 'relatedTaskId', 'createdBy', 'createdAt'])) as RelationRow[];
      if (!row) throw notFound('Relation');
      const otherId = row.taskId === task.id ? row.relatedTaskId : row.taskId;
      const other = (await trx('tasks').where({ id: otherId }).first('id', 'projectId', 'identifier', 'title')) as End;
      const ends = row.taskId === task.id ? [source, other] : [other, source];
      await this.announce(trx, caller, 'task.relation_removed', row, ends[0]!, ends[1]!);
    });
  }

  /** Whether `from` blocks `to`, directly or through a chain of blocks. */
  private async blocks(db: Knex, from: number, to: number): Promise<boolean> {
    const result = await db.raw(
      `with recursive chain(id) as (
         select related_task_id from task_relations where task_id = ? and type = 'blocks'
         union select r.related_task_id from task_relations r join chain on r.task_id = chain.id where r.type = 'blocks'
       ) select exists (select 1 from chain where id = ?) as found`,
      [from, to],
    );
    return (result.rows as Array<{ found: boolean }>)[0]!.found;
  }

  /** One event per end of a link, each read from its own task, so both tasks' boards and histories hear of it. */
  private async announce(trx: Knex.Transaction, caller: Caller, type: 'task.relation_added' | 'task.relation_removed', row: RelationRow, source: End, target: End) {
    const base = { workspaceId: caller.workspaceId, actorId: caller.userId, type };
    const end = (task: End) => ({ id: task.id, identifier: task.identifier, title: task.title });
    await appendEvent(trx, {
      ...base,
      taskId: row.taskId,
      projectId: source.projectId,
      payload: { relation: { id: row.id, type: row.type, taskId: row.taskId, relatedTaskId: row.relatedTaskId, relatedTask: end(target) } },
    });
    await appendEvent(trx, {
      ...base,
      taskId: row.relatedTaskId,
      projectId: target.projectId,
      payload: { relation: { id: row.id, type: INVERSE[row.type], taskId: row.relatedTaskId, relatedTaskId: row.taskId, relatedTask: end(source) } },
    });
  }
}
