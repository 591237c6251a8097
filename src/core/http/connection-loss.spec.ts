import { isConnectionLoss } from './connection-loss.js';

describe('isConnectionLoss', () => {
  it('recognises lost connections however the driver wraps them', () => {
    expect(isConnectionLoss({ driverError: { code: '57P01' } })).toBe(true);
    expect(isConnectionLoss({ code: '08006' })).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isConnectionLoss(new Error('wrapped', { cause: new Error('Connection terminated') }))).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isConnectionLoss({ driverError: { code: '23505' } })).toBe(false);
    expect(isConnectionLoss({ code: '22021' })).toBe(false);
    expect(isConnectionLoss(new Error('boom'))).toBe(false);
    expect(isConnectionLoss(undefined)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isConnectionLoss(loop)).toBe(false);
  });
});
