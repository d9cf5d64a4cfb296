import { useCallback, useState } from 'react';
import type { Task } from '@taskbase/sdk';
// Typed React components around the tb-* elements; importing them registers the tags.
import { TbNotificationBell, TbProvider, TbTaskBoard, TbTaskDetail } from '@taskbase/widgets/react';
import type { TbTaskChangeEvent, TbTaskOpenEvent, TbTaskSelectEvent } from '@taskbase/widgets';

// Objects and functions are set as properties, not attributes: keep them stable across renders.
const BOARD_STRINGS = { addTask: 'New card', newTaskTitle: 'Card title' };

export function App({ url, token }: { url: string; token: string }) {
  const [selected, setSelected] = useState<Task>();
  const [changes, setChanges] = useState<string[]>([]);

  // A real host fetches a fresh token from its backend here (see examples/host-auth).
  const tokenProvider = useCallback(async () => token, [token]);

  const onSelect = useCallback((event: TbTaskSelectEvent) => setSelected(event.detail.task), []);
  // The detail panel beside the board replaces the board's own dialog.
  const onOpen = useCallback((event: TbTaskOpenEvent) => event.preventDefault(), []);
  const onChange = useCallback(
    (event: TbTaskChangeEvent) => setChanges((list) => [`${event.detail.action}: ${event.detail.task.title}`, ...list].slice(0, 10)),
    [],
  );

  return (
    <TbProvider url={url} tokenProvider={tokenProvider}>
      <header>
        <h1>React host</h1>
        <TbNotificationBell />
      </header>
      <main>
        <TbTaskBoard filters strings={BOARD_STRINGS} onTbTaskSelect={onSelect} onTbTaskOpen={onOpen} onTbTaskChange={onChange} />
        <aside>
          {selected ? <TbTaskDetail taskId={selected.id} onTbTaskChange={onChange} /> : <p>Select a card to see it here.</p>}
          <h2>Changes made here</h2>
          <ul aria-label="Changes made here">
            {changes.map((change, index) => (
              <li key={index}>{change}</li>
            ))}
          </ul>
        </aside>
      </main>
    </TbProvider>
  );
}
