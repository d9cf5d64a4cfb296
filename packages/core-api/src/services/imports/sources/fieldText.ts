import type { FieldType } from '../../../schemas/fields.js';
import { BadValue, parseDate } from './values.js';

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', '✓', '✔']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

/**
 * A custom field's value as a CSV writes it (text), in the API's format for
 * the field's type: `3` → 3 for a number, `yes` → true for a checkbox, a date
 * in any format the import reads → `2026-03-05`, `a, b` → ['a', 'b'] for a
 * multi-select. Text it cannot convert is returned as it is, so the field's
 * own check reports it (naming the field) like any bad value.
 */
export function fieldValueFromText(type: FieldType, text: string): unknown {
  const value = text.trim();
  switch (type) {
    case 'number': {
      const number = Number(value.replace(/[\s_]/g, ''));
      return value && Number.isFinite(number) ? number : text;
    }
    case 'checkbox':
      return TRUE.has(value.toLowerCase()) ? true : FALSE.has(value.toLowerCase()) ? false : text;
    case 'date':
      try {
        return parseDate(value).slice(0, 10);
      } catch (error) {
        if (error instanceof BadValue) return text;
        throw error;
      }
    case 'multi_select':
      return value
        .split(/[,;]/)
        .map((name) => name.trim())
        .filter(Boolean);
    default:
      return text;
  }
}
