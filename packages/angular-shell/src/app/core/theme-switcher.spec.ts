import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ThemeSwitcher } from './theme-switcher';

describe('ThemeSwitcher', () => {
  afterEach(() => {
    localStorage.clear();
    TestBed.resetTestingModule();
  });

  it('applies the chosen scheme to <html> and remembers it', () => {
    const theme = TestBed.inject(ThemeSwitcher);
    TestBed.runInInjectionContext(() => theme.apply());
    theme.choose('dark');
    TestBed.tick();
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(document.documentElement.classList.contains('dark-theme')).toBe(true);
    expect(localStorage.getItem('taskbase.theme')).toBe('dark');
    theme.choose('light');
    TestBed.tick();
    expect(theme.resolved()).toBe('light');
    expect(document.documentElement.classList.contains('dark-theme')).toBe(false);
  });

  it('follows the system when asked to', () => {
    const theme = TestBed.inject(ThemeSwitcher);
    theme.choose('system');
    expect(theme.resolved()).toBe(matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  });
});
