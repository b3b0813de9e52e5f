// Typed errors of the proof queue (coordinator and workers).
import { ZkReserveError } from '../errors.js';

/** A `--queue` URL that is not `redis://[:password@]host[:port][/db]` or `rediss://...`. */
export class QueueUrlError extends ZkReserveError {
  constructor(message: string) {
    super('QUEUE_URL', message);
  }
}

/** Redis could not be reached (the message names the URL with its password redacted). */
export class QueueConnectionError extends ZkReserveError {
  constructor(message: string) {
    super('QUEUE_CONNECTION', message);
  }
}

/** A proof job failed on the workers (BullMQ gave up on it) or the queue pool was closed before it finished. */
export class QueueJobFailedError extends ZkReserveError {
  constructor(message: string) {
    super('QUEUE_JOB_FAILED', message);
  }
}

/**
 * A worker refuses a job: its payload is malformed, or it names key hashes this worker does not hold. The
 * job fails at once (BullMQ UnrecoverableError: not retried on any worker), with this message as its reason.
 */
export class QueueJobRefusedError extends ZkReserveError {
  constructor(message: string) {
    super('QUEUE_JOB_REFUSED', message);
  }
}

/** A worker's key directory holds no usable key set. */
export class QueueWorkerKeysError extends ZkReserveError {
  constructor(message: string) {
    super('QUEUE_WORKER_KEYS', message);
  }
}
