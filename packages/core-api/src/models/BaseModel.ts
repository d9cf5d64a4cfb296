import type { Knex } from 'knex';
import { Model } from 'objection';

/**
 * Base of every model. Column names are mapped between snake_case and
 * camelCase by the Knex instance (see db/database.ts), not per model, so
 * plain Knex queries see the same names as models.
 */
export class BaseModel extends Model {
  /**
   * The model's table as a Knex builder on `db` (the app's knex or a
   * transaction): plain rows, not model instances. Services reach every
   * table through its model, this way on the hot paths (task, comment,
   * notification and event reads and writes, measured by bench:tasks),
   * where building a model instance per row and serializing it back would
   * be work for nothing a row lacks.
   */
  static rows(db: Knex): Knex.QueryBuilder {
    return db(this.tableName);
  }
}
