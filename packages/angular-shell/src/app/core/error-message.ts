import { TaskbaseError } from '@taskbase/sdk';

/** A sentence for a snack-bar or a form, from whatever a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof TaskbaseError) {
    const fields = error.fieldErrors.map((field) => `${field.path.replace(/^\//, '') || 'value'} ${field.message}`);
    if (fields.length) return fields.join('; ');
    return error.problem?.detail ?? error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
