// Pages tell the layout their breadcrumbs; the place tree tells pages to reload after changes.
import { createContext, useContext, useEffect, type ReactNode } from 'react';

export interface Crumb {
  title: ReactNode;
  to?: string;
}

export interface PageApi {
  setCrumbs: (c: Crumb[]) => void;
  /** bump to make the place tree reload what it has loaded */
  reloadTree: () => void;
  treeVersion: number;
}

export const PageContext = createContext<PageApi>({ setCrumbs: () => undefined, reloadTree: () => undefined, treeVersion: 0 });

export function usePage(): PageApi {
  return useContext(PageContext);
}

/** Sets the page's breadcrumbs (after the workflow's own entry). `key` changes when they should update. */
export function useCrumbs(crumbs: Crumb[], key: string) {
  const { setCrumbs } = usePage();
  useEffect(() => {
    setCrumbs(crumbs);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, setCrumbs]);
}
