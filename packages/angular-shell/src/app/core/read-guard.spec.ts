import { describe, expect, it } from 'vitest';
import { ReadGuard } from './read-guard';

/** A read whose answer the test releases when it wants. */
function pending<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

describe('ReadGuard', () => {
  it('answers a read nothing overtook', async () => {
    expect(await new ReadGuard().read(async () => ['a'])).toEqual(['a']);
  });

  it('drops an older read that answers after a newer one', async () => {
    const guard = new ReadGuard();
    const first = pending<string[]>();
    const older = guard.read(() => first.promise);
    const newer = guard.read(async () => ['new']);
    expect(await newer).toEqual(['new']);
    first.release(['old']);
    expect(await older).toBeUndefined();
  });

  it('reads again when the list changed locally while it read', async () => {
    const guard = new ReadGuard();
    const answers = [pending<string[]>(), pending<string[]>()];
    let calls = 0;
    const read = guard.read(() => answers[calls++]!.promise);
    guard.changed(); // e.g. a label created here meanwhile
    answers[0]!.release(['before the change']);
    await Promise.resolve();
    answers[1]!.release(['after the change']);
    expect(await read).toEqual(['after the change']);
    expect(calls).toBe(2);
  });
});
