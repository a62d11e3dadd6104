// The public base address for printed material (cards, posters): the server's PUBLIC_URL, or
// what it derived for the laptop (its network address). Until the server has answered, the
// browser's own origin (`known` false: printing waits for it).
import { useEffect, useState } from 'react';
import { system } from '../api/system';

export interface PublicUrl {
  url: string;
  /** false: PUBLIC_URL is not set (the address is this machine's) */
  configured: boolean;
  known: boolean;
}

export function usePublicUrl(): PublicUrl {
  const [v, setV] = useState<PublicUrl>({ url: window.location.origin, configured: false, known: false });
  useEffect(() => {
    let live = true;
    system.health().then(
      (h) => live && setV({ ...h.publicUrl, known: true }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return v;
}
