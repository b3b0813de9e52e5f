// Progress reporting for long setup steps, and an adapter that turns snarkjs' logger calls into progress.

export interface SetupProgress {
  /** Machine-readable step, e.g. 'ptau-hash', 'zkey-new', 'zkey-verify'. */
  stage: string;
  message: string;
  /** Circuit the event concerns, when any. */
  circuit?: string;
}

export type ProgressFn = (event: SetupProgress) => void;

export interface SnarkjsLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/**
 * A snarkjs logger forwarding info/warn/error to `onProgress` (debug lines are per-chunk noise) and
 * keeping every line in `lines` (snarkjs explains failures only through its logger).
 */
export function snarkjsLogger(
  onProgress: ProgressFn | undefined,
  stage: string,
  circuit?: string,
): SnarkjsLogger & { lines: string[] } {
  const lines: string[] = [];
  const emit = (level: string, msg: unknown) => {
    const text = String(msg);
    lines.push(`${level}: ${text}`);
    if (level !== 'debug') onProgress?.({ stage, message: text, ...(circuit ? { circuit } : {}) });
  };
  return {
    lines,
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
  };
}
