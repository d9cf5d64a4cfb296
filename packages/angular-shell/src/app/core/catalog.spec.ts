import { describe, expect, it } from 'vitest';
import { describeViewQuery, elementFilters, positionBetween, projectLimit, projectNames, suggestFieldKey, textOn, unlistedProjects, viewQuery } from './catalog';

describe('catalog helpers', () => {
  it('suggests a field key from the name: lower-case words joined by _, starting with a letter, at most 40', () => {
    expect(suggestFieldKey('Story points')).toBe('story_points');
    expect(suggestFieldKey('  Customer / Account #  ')).toBe('customer_account');
    expect(suggestFieldKey('Équipe été')).toBe('equipe_ete');
    expect(suggestFieldKey('2nd reviewer')).toBe('nd_reviewer');
    expect(suggestFieldKey('!!!')).toBe('');
    expect(suggestFieldKey('x'.repeat(60))).toHaveLength(40);
    expect(suggestFieldKey('a'.repeat(39) + ' b')).toMatch(/^a{39}$/); // no trailing _
    for (const name of ['Story points', 'Release (target)', 'URL', 'a b c']) expect(suggestFieldKey(name)).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it('suggests a free key when the name gives one already taken', () => {
    expect(suggestFieldKey('Story points', ['story_points'])).toBe('story_points_2');
    expect(suggestFieldKey('Story points', ['story_points', 'story_points_2'])).toBe('story_points_3');
    const long = 'x'.repeat(40);
    expect(suggestFieldKey(long, [long])).toBe('x'.repeat(38) + '_2');
  });

  it('says which projects an item is limited to', () => {
    const projects = [{ id: 1, name: 'General' }, { id: 2, name: 'Mobile' }];
    expect(projectNames(null, projects)).toBe('All projects');
    expect(projectNames([2, 1], projects)).toBe('Mobile, General');
    expect(projectNames([1, 9], projects)).toBe('General, 1 other project');
    expect(projectNames([8, 9], projects)).toBe('2 other projects');
  });

  it('keeps the projects a picker cannot list when it sends projectIds', () => {
    expect(projectLimit([], null, [1, 2])).toBeNull();
    expect(projectLimit([2], null, [1, 2])).toEqual([2]);
    expect(projectLimit([1], [1, 2, 9], [1, 2])).toEqual([1, 9]); // 2 was unticked, 9 is archived or hidden
    expect(projectLimit([], [9], [1, 2])).toEqual([9]);
    expect(unlistedProjects([1, 9, 8], [1, 2])).toBe(2);
    expect(unlistedProjects(null, [1])).toBe(0);
  });

  it('writes a view query from element filters in a stable order, without empty ones or the default sort', () => {
    expect(viewQuery({ q: 'login bug', assignee: 'me', priority: '' })).toBe('assignee=me&q=login+bug');
    expect(viewQuery({ sort: '-updatedAt', status: 'todo,done' })).toBe('status=todo%2Cdone');
    expect(viewQuery({ sort: 'dueDate' })).toBe('sort=dueDate');
    expect(viewQuery({})).toBe('');
  });

  it('describes a view query for people, with names for ids when known', () => {
    expect(describeViewQuery('sort=-dueDate&assignee=me&q=login&cf.points.gte=3')).toBe('Assignee: me · Search: “login” · points ≥ 3 · Sorted by due date, descending');
    const names = {
      labels: [{ id: 3, name: 'Bug' }, { id: 4, name: 'UX' }],
      fields: [{ key: 'tier', name: 'Tier', options: [{ id: 'gold', name: 'Gold', color: '#ca8a04' }] }],
      users: [{ id: 7, name: 'Maya Okafor' }],
    };
    expect(describeViewQuery('label=3%2C4&priority=high&assignee=7&cf.tier=gold&cf.notes.empty=true&sort=cf.tier', names)).toBe(
      'Labels: Bug, UX · Priority: High · Assignee: Maya Okafor · Tier: Gold · No notes · Sorted by Tier',
    );
    expect(describeViewQuery('label=9&assignee=none', names)).toBe('Labels: 9 · Assignee: nobody');
    expect(describeViewQuery('')).toBe('');
  });

  it('reads the filters an element shows now', () => {
    expect(elementFilters({ assignee: 'me', priority: '', q: ' x ', sort: '-updatedAt', other: 'no', label: ['1', '2'] })).toEqual({
      assignee: 'me',
      q: 'x',
      sort: '-updatedAt',
      label: '1,2',
    });
    expect(elementFilters({ priority: 'high', cf: 'tier=gold&points.gte=3&empty=' })).toEqual({ priority: 'high', 'cf.tier': 'gold', 'cf.points.gte': '3' });
    expect(viewQuery(elementFilters({ cf: 'tier=gold', label: '3,4' }))).toBe('cf.tier=gold&label=3%2C4');
    expect(elementFilters(null)).toEqual({});
  });

  it('places an item between its neighbours', () => {
    expect(positionBetween(1, 2)).toBe(1.5);
    expect(positionBetween(undefined, 2)).toBe(1);
    expect(positionBetween(5, undefined)).toBe(6);
    expect(positionBetween(undefined, undefined)).toBe(0);
  });

  it('picks black or white text for a colour', () => {
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn('#ca8a04')).toBe('#000000');
    expect(textOn('#1e3a8a')).toBe('#ffffff');
    expect(textOn('#dc2626')).toBe('#ffffff');
    expect(textOn('nope')).toBe('#000000');
  });
});
