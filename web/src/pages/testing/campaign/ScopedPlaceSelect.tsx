// The places of a campaign: its place and what lies under it, down to buildings; entrances
// are shown but not picked (sites, covered places and slots are by building or above).
import type { ComponentProps } from 'react';
import { PLACE_KINDS, type PlaceKind } from '../../../api';
import PlaceTreeSelect from '../../../components/PlaceTreeSelect';

// Module constants, not literals in the props: the tree select rebuilds its nodes when they change.
const BUILDING_DOWN: PlaceKind[] = ['building', 'entrance'];
const NOT_ENTRANCES = PLACE_KINDS.filter((k) => k !== 'entrance');

type Props = Omit<ComponentProps<typeof PlaceTreeSelect>, 'rootId'> & { rootId: number };

export default function ScopedPlaceSelect(props: Props) {
  return <PlaceTreeSelect leafKinds={BUILDING_DOWN} selectableKinds={NOT_ENTRANCES} {...props} />;
}
