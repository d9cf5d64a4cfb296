import { BaseModel } from './BaseModel.js';

/** A link between two tasks; `blocks` and `duplicates` read from `taskId` towards `relatedTaskId`. */
export class TaskRelation extends BaseModel {
  static override tableName = 'task_relations';
}

/** Who follows a task's changes. */
export class TaskWatcher extends BaseModel {
  static override tableName = 'task_watchers';
}
