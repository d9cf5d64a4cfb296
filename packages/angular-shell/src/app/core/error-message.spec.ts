import { NotFoundError, ValidationError } from '@taskbase/sdk';
import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it('names each refused field', () => {
    const error = new ValidationError('Invalid', {
      status: 422,
      problem: { type: 'about:blank', title: 'Invalid', status: 422, detail: 'Invalid input', code: 'validation_failed', requestId: 'r', errors: [{ path: '/email', in: 'body', message: 'must be an email' }] },
    });
    expect(errorMessage(error)).toBe('email must be an email');
  });

  it("uses the problem's detail, then the message", () => {
    expect(errorMessage(new NotFoundError('nf', { status: 404, problem: { type: 'x', title: 'Not found', status: 404, detail: 'No such task', code: 'not_found', requestId: 'r' } }))).toBe('No such task');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('?')).toBe('Something went wrong');
  });
});
