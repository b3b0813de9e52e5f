// A counting semaphore with a FIFO queue: the rapidsnark pool bounds its witness threads, its prover
// processes and the witnesses waiting between the two with it.

/** At most `count` holders at once; waiters are served in arrival order. */
export class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(count: number) {
    this.free = count;
  }

  /** Resolves once a unit is held; the caller must `release()` it exactly once. */
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }

  /** Runs `fn` holding one unit. */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
