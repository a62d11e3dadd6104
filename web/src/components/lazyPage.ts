// React.lazy remembers a failed import for good: a page whose code could not be downloaded
// (offline, before it was ever opened) would fail again on every later try. lazyPage() is
// React.lazy that can be retried: retryFailedPages() gives each page whose import failed a
// fresh lazy component, so the next render downloads it again.
import { createElement, lazy, type ComponentType } from 'react';

const resets = new Set<() => void>();

export function lazyPage<P extends object>(factory: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let failed = false;
  const make = () =>
    lazy(() =>
      factory().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    );
  let Current = make();
  resets.add(() => {
    if (!failed) return;
    failed = false;
    Current = make();
  });
  function Page(props: P) {
    return createElement(Current as ComponentType<P>, props);
  }
  return Page;
}

export function retryFailedPages() {
  resets.forEach((r) => r());
}

/** The error a browser gives for a page's code it could not download. */
export function isChunkError(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /dynamically imported module|Importing a module script failed|module script|Failed to fetch|ChunkLoadError|Unable to preload CSS/i.test(msg) || (err as Error)?.name === 'ChunkLoadError';
}
