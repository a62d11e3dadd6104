// The number of positives nobody has acknowledged in my area, for the menu badge: asked on
// load, every minute while the page is visible, and at once after a report or an acknowledgement.
import { useEffect, useState } from 'react';
import { antigen } from '../../api/antigen';

const EVENT = 'fk:antigen-alerts-changed';
const EVERY_MS = 60_000;

export function alertsChanged() {
  window.dispatchEvent(new Event(EVENT));
}

export function useOpenAlertCount(enabled: boolean): number {
  const [open, setOpen] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    const load = () => {
      if (document.hidden) return;
      antigen.openCount().then(
        (r) => alive && setOpen(r.open),
        () => undefined, // a badge is not worth an error message
      );
    };
    load();
    const timer = window.setInterval(load, EVERY_MS);
    window.addEventListener(EVENT, load);
    document.addEventListener('visibilitychange', load);
    return () => {
      alive = false;
      window.clearInterval(timer);
      window.removeEventListener(EVENT, load);
      document.removeEventListener('visibilitychange', load);
    };
  }, [enabled]);
  return enabled ? open : 0;
}
