// What the device remembers between reloads, as JSON in localStorage. Storage that is full,
// disabled (private mode) or holds something unreadable only means the device forgets.

export function readStored<T>(key: string): T | null {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}

/** Stores `value` under `key`, or forgets the key when `value` is null. */
export function writeStored(key: string, value: unknown) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // nothing to do: the page works, it just forgets on reload
  }
}
