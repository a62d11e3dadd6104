// What the device remembers between reloads (localStorage): the chosen lane, and the tube
// being filled (its barcode, kind and count; never names or ID numbers).
import { readStored, writeStored } from '../../utils/stored';
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

export const loadSetup = () => readStored<LaneSetup>(SETUP_KEY);
export const saveSetup = (s: LaneSetup | null) => writeStored(SETUP_KEY, s);
export const loadTube = () => readStored<SavedTube>(TUBE_KEY);
export const saveTube = (t: SavedTube | null) => writeStored(TUBE_KEY, t);
