import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { ProjectStore } from './projects';

/** `/board` and `/list`: the default project's board or list (`/p/GEN/board`), keeping the query. */
export function toDefaultProject(view: 'board' | 'list'): CanActivateFn {
  return async (route) => {
    const store = inject(ProjectStore);
    const router = inject(Router);
    try {
      await store.load();
    } catch {
      return router.createUrlTree(['/projects']);
    }
    const project = store.current();
    if (!project) return router.createUrlTree(['/projects']);
    return router.createUrlTree(['/p', project.key, view], { queryParams: route.queryParams });
  };
}
