import { FormControl, Validators } from '@angular/forms';
import { describe, expect, it, vi } from 'vitest';
import { FormSubmission } from './form-submission';

describe('FormSubmission', () => {
  it('sends nothing for an invalid form, and shows every field error instead', async () => {
    const control = new FormControl('', Validators.required);
    const send = vi.fn();
    const submission = new FormSubmission(control);
    expect(await submission.run(send)).toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(control.touched).toBe(true);
  });

  it('is busy while sending, and clears an earlier failure when it goes through', async () => {
    const submission = new FormSubmission(new FormControl('ok'), () => 'It failed');
    expect(await submission.run(() => Promise.reject(new Error('boom')))).toBe(false);
    expect(submission.failure()).toBe('It failed');
    let busyWhileSending = false;
    expect(await submission.run(async () => (busyWhileSending = submission.busy()))).toBe(true);
    expect(busyWhileSending).toBe(true);
    expect(submission.busy()).toBe(false);
    expect(submission.failure()).toBeNull();
  });
});
