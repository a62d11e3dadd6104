// A lazy tree select over one place and what lies under it: the places a campaign covers,
// the place of a site (always under the campaign's place). PlaceTreeSelect starts at the
// user's scope instead.
import { useCallback, useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { places as placesApi, type Place, type PlaceKind } from '../../../api';

interface Node {
  id: number;
  pId: number;
  value: number;
  title: string;
  isLeaf: boolean;
  disabled?: boolean;
  place: Place;
}

interface Props {
  rootId: number;
  value?: number | null;
  onChange?: (id: number | undefined, place?: Place) => void;
  /** do not descend below these kinds (default: buildings) */
  leafKinds?: PlaceKind[];
  /** these kinds cannot be picked (shown to navigate through) */
  disabledKinds?: PlaceKind[];
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
}

export default function ScopedPlaceSelect({ rootId, value, onChange, leafKinds = ['building', 'entrance'], disabledKinds = ['entrance'], placeholder, id, allowClear, style, ...rest }: Props) {
  const { t } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);

  const toNode = useCallback(
    (p: Place, parent: number): Node => ({
      id: p.id,
      pId: parent,
      value: p.id,
      title: `${p.name}（${t(`place.kind.${p.kind}`)}）`,
      isLeaf: p.children === 0 || leafKinds.includes(p.kind),
      disabled: disabledKinds.includes(p.kind),
      place: p,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, leafKinds.join(), disabledKinds.join()],
  );

  useEffect(() => {
    let alive = true;
    placesApi
      .get(rootId)
      .then(({ place }) => [place])
      // staff below the campaign's place (a grid worker) start at their own area instead
      .catch(() => placesApi.roots().then(({ items }) => items))
      .then((roots) => alive && setNodes(roots.map((p) => toNode(p, 0))))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [rootId, toNode]);

  return (
    <TreeSelect<number>
      id={id}
      data-testid={rest['data-testid']}
      style={{ width: '100%', ...style }}
      allowClear={allowClear}
      treeDataSimpleMode
      treeData={nodes}
      treeDefaultExpandedKeys={[rootId]}
      placeholder={placeholder ?? t('place.pick')}
      value={value ?? undefined}
      treeNodeLabelProp="title"
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 260 } } }}
      loadData={async (node) => {
        const pid = node.value as number;
        if (nodes.some((n) => n.pId === pid)) return;
        const { items } = await placesApi.children(pid);
        setNodes((ns) => {
          const have = new Set(ns.map((n) => n.id));
          return [...ns, ...items.filter((p) => !have.has(p.id)).map((p) => toNode(p, pid))];
        });
      }}
      onChange={(v) => onChange?.(v ?? undefined, nodes.find((n) => n.id === v)?.place)}
    />
  );
}
