import { Model } from 'objection';

/**
 * Base of every model. Column names are mapped between snake_case and
 * camelCase by the Knex instance (see db/database.ts), not per model, so
 * plain Knex queries see the same names as models.
 */
export class BaseModel extends Model {}
