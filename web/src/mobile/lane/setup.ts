// What the device remembers between reloads (localStorage): the chosen lane, and the tube
// being filled (its barcode, kind and count; never names or ID numbers).
import type { Mode } from './api';

export interface LaneSetup {
  campaignId: number;
  campaignName: string;
  siteId: number;
  siteName: string;
  laneId: number;
  laneNumber: number;
  /** the site's default tube kind */
  siteMode: Mode;
  /** the kind the sampler picked for new tubes */
  tubeMode: Mode;
}

export interface SavedTube {
  laneId: number;
  barcode: string;
  mode: Mode;
  poolSize: number;
  count: number;
}

const SETUP_KEY = 'fk.lane.setup';
const TUBE_KEY = 'fk.lane.tube';

function read<T>(key: string): T | null {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the lane works, it just forgets on reload */
  }
}

export const loadSetup = () => read<LaneSetup>(SETUP_KEY);
export const saveSetup = (s: LaneSetup | null) => write(SETUP_KEY, s);
export const loadTube = () => read<SavedTube>(TUBE_KEY);
export const saveTube = (t: SavedTube | null) => write(TUBE_KEY, t);
