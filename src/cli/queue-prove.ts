// `zkreserve prove --queue <url>`: the run becomes a coordinator. Opens the queue pool for the run (its id
// from the statement, secret, keys and options: queue/run-id.ts), says where the jobs go and how to start
// workers, and always closes the pool, which removes the run's jobs from Redis.
import type { ProgressSink } from '../terminal/progress.js';
import { createQueuePool } from '../queue/coordinator.js';
import type { QueuePool } from '../queue/coordinator.js';
import { queueRunId } from '../queue/run-id.js';
import type { RunIdInput } from '../queue/run-id.js';

/** '3 workers' (or 'workers ?' when Redis does not list its clients). */
export function workersText(pool: QueuePool): string {
  const n = pool.liveWorkers();
  return n < 0 ? 'workers ?' : `${n} worker${n === 1 ? '' : 's'}`;
}

/** Runs `fn` with a coordinator pool on `url`; the pool is closed (and the run's jobs removed) after. */
export async function withQueuePool<T>(
  url: string,
  run: RunIdInput,
  progress: ProgressSink,
  fn: (pool: QueuePool) => Promise<T>,
): Promise<T> {
  const pool = await createQueuePool({
    url,
    runId: queueRunId(run),
    keys: run.keys,
    onEvent: (e) => {
      if (e.type === 'retry') progress.note(`proof ${e.proof} was refused: publishing try ${e.attempt}`);
      else
        progress.note(
          `removed ${e.removed} job(s) of this run from Redis${e.kept ? ` (${e.kept} not found or still held)` : ''}`,
        );
    },
  });
  progress.note(
    `coordinator: proof jobs go to queue ${pool.queueName} on ${pool.display} (${workersText(pool)} now); ` +
      `start workers with: zkreserve worker --queue <url> --keys <dir>`,
  );
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
