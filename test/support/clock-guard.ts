// A guard for determinism tests: while it is on, every way of reading the wall clock (and Math.random)
// throws, so a path that passes under it provably depends only on its explicit inputs.
const RealDate = globalThis.Date;
const realPerfNow = globalThis.performance.now;
const realRandom = Math.random;
const clockError = () => {
  throw new Error('wall clock used');
};

/** Date.now(), Date(), new Date() without arguments, performance.now() and Math.random() all throw. */
export function forbidClock(): void {
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length === 0) clockError();
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply: clockError,
    get(target, prop, receiver) {
      if (prop === 'now') return clockError;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  globalThis.performance.now = clockError;
  Math.random = clockError;
}

export function restoreClock(): void {
  globalThis.Date = RealDate;
  globalThis.performance.now = realPerfNow;
  Math.random = realRandom;
}
