// Worker threads started from Gatehouse's own modules, whether it runs compiled (dist/*.js) or from its
// TypeScript sources (tests, `node --import tsx`, the bench).

/**
 * The entry URL of the worker module `name`, a sibling of `from` (the caller's `import.meta.url`): the compiled
 * .js beside it, or the .ts source. A .ts worker needs tsx inside the worker too, and on Node 20 tsx's
 * `--import` hooks register on the main thread only, so a one-line module registers them before loading it.
 */
export function workerEntry(from: string, name: string): URL {
  const fromSources = from.endsWith(".ts");
  const entry = new URL(`./${name}.${fromSources ? "ts" : "js"}`, from);
  if (!fromSources) return entry;
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `(await import(${JSON.stringify(tsx)})).register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
