import { DestroyRef, inject } from '@angular/core';
import { TASKBASE_CLIENT } from './taskbase-client';

/**
 * Calls `reload` when others change the workspace's labels or fields: on an
 * event whose type starts with `prefix` on the realtime `tasks` topic, or
 * after a resync, a burst of them once (300 ms). Stops with the component;
 * call it from a constructor.
 */
export function reloadOnSettingEvents(prefix: 'label.' | 'field.', reload: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = inject(TASKBASE_CLIENT).realtime.subscribe('tasks', (message) => {
    if (message.type !== 'resync' && !(message.type === 'event' && message.event.startsWith(prefix))) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 300);
  });
  inject(DestroyRef).onDestroy(() => {
    clearTimeout(timer);
    stop();
  });
}
