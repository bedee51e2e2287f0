'use strict';
/**
 * Preloaded (`node --expose-gc --require bench/gcProbe.cjs ...`) into the API process by `npm run load`
 * only; never part of the application. On an IPC message `{ type: 'tg-gc-sample', id }` it runs a full
 * garbage collection and answers with `process.memoryUsage()`, so the load test can tell retained memory
 * (heap used after GC) from V8's heap sizing and RSS. Does nothing without an IPC channel and `--expose-gc`.
 */
if (typeof process.send === 'function' && typeof globalThis.gc === 'function') {
  const gc = globalThis.gc;
  process.on('message', (message) => {
    if (!message || message.type !== 'tg-gc-sample') return;
    // Two passes: objects freed by the first pass's finalizers/weak callbacks go in the second.
    gc();
    gc();
    process.send({ type: 'tg-gc-sample', id: message.id, ...process.memoryUsage() });
  });
  // The probe must not keep the server alive on its own.
  if (process.channel && typeof process.channel.unref === 'function') process.channel.unref();
}
