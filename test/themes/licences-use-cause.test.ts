import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { useCauseOf } from '../../src/modules/themes/licences/use-cause.js';

const fails = (headers: Record<string, string>, query?: string) => {
  try {
    useCauseOf(headers, query);
  } catch (caught) {
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('USE_CAUSE_REQUIRED');
    return (caught as AppError).message;
  }
  throw new Error('expected USE_CAUSE_REQUIRED');
};

describe('the use reason of an e-licence read (X-Use-Cause or useCause)', () => {
  it('reads the header raw, URL-encoded or as raw UTF-8 bytes, and the query parameter', () => {
    expect(useCauseOf({ 'x-use-cause': ' business licence check ' }, undefined)).toBe('business licence check');
    expect(useCauseOf({ 'x-use-cause': encodeURIComponent('办理食品经营许可') }, undefined)).toBe('办理食品经营许可');
    expect(useCauseOf({ 'x-use-cause': Buffer.from('开业登记核验', 'utf8').toString('latin1') }, undefined)).toBe('开业登记核验');
    expect(useCauseOf({}, '一证通办核验')).toBe('一证通办核验');
  });

  it('prefers the header when both are sent', () => {
    expect(useCauseOf({ 'x-use-cause': 'from header' }, 'from query')).toBe('from header');
  });

  it('refuses a missing, blank, too short, too long, badly encoded or control-character reason', () => {
    expect(fails({})).toMatch(/X-Use-Cause header or the useCause query parameter/);
    expect(fails({ 'x-use-cause': '   ' }, ' ')).toMatch(/X-Use-Cause header or the useCause/);
    expect(fails({}, '查')).toBe('The use reason must be 2 to 200 characters (it is 1)');
    expect(fails({}, '查'.repeat(201))).toBe('The use reason must be 2 to 200 characters (it is 201)');
    expect(useCauseOf({}, '查'.repeat(200))).toHaveLength(200);
    expect(fails({ 'x-use-cause': '%E4%B8' })).toBe('X-Use-Cause is not valid URL-encoded UTF-8');
    expect(fails({}, 'check\u0007now')).toBe('The use reason may not contain control characters');
  });
});
