import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = new URL('..', import.meta.url);

describe('package shape', () => {
  it('imports in Node without crashing and registers no tag as a side effect', () => {
    const out = execFileSync(process.execPath, ['-e', "import('@taskbase/widgets').then((m) => console.log(Object.keys(m).sort().join(',')))"], { cwd: pkg, encoding: 'utf8' });
    expect(out).toContain('TbTaskBoard');
    expect(out).toContain('configure');
    const src = readFileSync(new URL('../dist/task-board/task-board.component.js', import.meta.url), 'utf8');
    expect(src).not.toContain('customElements.define');
  });

  it('ships the CDN file, the manifest with every element and typed React wrappers', () => {
    expect(existsSync(new URL('../dist/cdn/taskbase-widgets.js', import.meta.url))).toBe(true);
    const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
    const tags = manifest.modules.flatMap((m: any) => m.declarations ?? []).map((d: any) => d.tagName).filter(Boolean).sort();
    expect(tags).toEqual(['tb-analytics', 'tb-comments', 'tb-notification-bell', 'tb-notification-preferences', 'tb-project-picker', 'tb-provider', 'tb-task-board', 'tb-task-detail', 'tb-task-list']);
    const react = readFileSync(new URL('../dist/react/index.d.ts', import.meta.url), 'utf8');
    expect(react).toContain('onTbTaskSelect: EventName<TbTaskSelectEvent>');
  });
});
