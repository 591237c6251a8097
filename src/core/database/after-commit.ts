import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

const waiting = new WeakMap<QueryRunner, (() => void)[]>();

/**
 * Runs `fn` once the transaction `m` belongs to has committed; at once when `m` is not in a
 * transaction; never when it rolls back. For in-process caches: an eviction made inside the
 * transaction can be undone by a read that runs before the commit (it still sees the old row), so
 * the eviction is made again once the change is visible.
 */
export function afterCommit(m: EntityManager, fn: () => void): void {
  const runner = m.queryRunner;
  if (!runner?.isTransactionActive) return fn();
  let list = waiting.get(runner);
  if (!list) waiting.set(runner, (list = []));
  list.push(fn);
}

class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint leaves the outer transaction open: wait for its commit.
    if (event.queryRunner.isTransactionActive) return;
    const list = waiting.get(event.queryRunner);
    waiting.delete(event.queryRunner);
    for (const fn of list ?? []) fn();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) waiting.delete(event.queryRunner);
  }
}

export function installAfterCommit(dataSource: DataSource): void {
  dataSource.subscribers.push(new AfterCommitSubscriber());
}
