import { describe, expect, it } from 'vitest';
import { suggestKey, suggestStatusKey, taskRef } from './projects';

describe('project helpers', () => {
  it('suggests a project key from the name: initials of several words, the start of one word', () => {
    expect(suggestKey('Data Platform')).toBe('DP');
    expect(suggestKey('Billing v2')).toBe('BV');
    expect(suggestKey('Mobile 2.4')).toBe('M24');
    expect(suggestKey('Marketing')).toBe('MARK');
    expect(suggestKey('Équipe été')).toBe('EE');
    expect(suggestKey('2025 roadmap')).toBe('ROA'); // a key starts with a letter
    expect(suggestKey('')).toBe('');
    for (const name of ['Data Platform', 'Billing v2', 'Mobile 2.4', 'Marketing', 'a b c d e f g h i j k l']) {
      expect(suggestKey(name)).toMatch(/^[A-Z][A-Z0-9]{1,9}$/);
    }
  });

  it('suggests a status key from its name', () => {
    expect(suggestStatusKey('QA check')).toBe('qa_check');
    expect(suggestStatusKey('  In review! ')).toBe('in_review');
    expect(suggestStatusKey('2nd pass')).toBe('nd_pass');
  });

  it('links tasks by identifier, by id for a task without one', () => {
    expect(taskRef({ id: 7, identifier: 'CRM-42' })).toBe('CRM-42');
    expect(taskRef({ id: 7 })).toBe('7');
  });
});
