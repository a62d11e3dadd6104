// A lazy tree select over the user's places (or over one place and what lies under it):
// pick a parent, a scope, an import target, a unit, a campaign's place or a site's; or several
// places (PlaceTreeMultiSelect: the places a zone is declared on).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { places as placesApi, type Place, type PlaceKind } from '../api';

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
  /** start at this place instead of the user's scope (staff below it start at their own) */
  rootId?: number;
  value?: number | null;
  onChange?: (id: number | undefined, place?: Place) => void;
  /** only these kinds can be picked (others are shown to navigate through) */
  selectableKinds?: PlaceKind[];
  /** do not descend below these kinds */
  leafKinds?: PlaceKind[];
  /** hide this place (and so its subtree), e.g. the place being moved */
  excludeId?: number;
  placeholder?: string;
  /** shown for the current value before its node is loaded */
  initialLabel?: string;
  id?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  status?: '' | 'error' | 'warning';
  'data-testid'?: string;
}

/** The tree's nodes, loaded lazily (the roots, then a node's children when it opens). */
function usePlaceNodes(props: Pick<Props, 'rootId' | 'selectableKinds' | 'leafKinds' | 'excludeId'>) {
  const { rootId, excludeId } = props;
  const { t } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);
  // the kinds by value: a caller's inline array is a new one on every render, and must not reload the tree
  const selectable = props.selectableKinds?.join(',');
  const leaves = props.leafKinds?.join(',');
  const selectableKinds = useMemo(() => (selectable === undefined ? undefined : (selectable.split(',') as PlaceKind[])), [selectable]);
  const leafKinds = useMemo(() => (leaves === undefined ? undefined : (leaves.split(',') as PlaceKind[])), [leaves]);

  const toNode = useCallback(
    (p: Place, parent: number): Node => ({
      id: p.id,
      pId: parent,
      value: p.id,
      title: `${p.name}（${t(`place.kind.${p.kind}`)}）`,
      isLeaf: p.children === 0 || !!leafKinds?.includes(p.kind),
      disabled: selectableKinds ? !selectableKinds.includes(p.kind) : false,
      place: p,
    }),
    [leafKinds, selectableKinds, t],
  );

  const add = useCallback(
    (items: Place[], parent: number) =>
      setNodes((ns) => {
        const have = new Set(ns.map((n) => n.id));
        return [...ns, ...items.filter((p) => p.id !== excludeId && !have.has(p.id)).map((p) => toNode(p, parent))];
      }),
    [excludeId, toNode],
  );

  useEffect(() => {
    setNodes([]);
    const roots = () => placesApi.roots().then(({ items }) => items);
    (rootId ? placesApi.get(rootId).then(({ place }) => [place], roots) : roots())
      .then((items) => add(items, 0))
      .catch(() => undefined);
  }, [add, rootId]);

  const loadData = async (node: { value?: unknown }) => {
    const pid = node.value as number;
    if (nodes.some((n) => n.pId === pid)) return;
    const { items } = await placesApi.children(pid);
    add(items, pid);
  };
  return { nodes, loadData };
}

export default function PlaceTreeSelect({
  rootId,
  value,
  onChange,
  selectableKinds,
  leafKinds,
  excludeId,
  placeholder,
  initialLabel,
  id,
  style,
  allowClear,
  status,
  'data-testid': testId,
}: Props) {
  const { t } = useTranslation();
  const { nodes, loadData } = usePlaceNodes({ rootId, selectableKinds, leafKinds, excludeId });

  // the current value before its node is loaded: show its label, not its id
  const shown = nodes.some((n) => n.id === value);
  const treeData = !shown && value && initialLabel ? [...nodes, { id: value, pId: -1, value, title: initialLabel, isLeaf: true }] : nodes;
  return (
    <TreeSelect<number>
      id={id}
      data-testid={testId}
      style={{ width: '100%', ...style }}
      showSearch={false}
      allowClear={allowClear}
      status={status}
      treeDataSimpleMode
      treeData={treeData}
      treeDefaultExpandedKeys={rootId ? [rootId] : undefined}
      placeholder={placeholder ?? t('place.pick')}
      // outside a labelled form field (no id to point a label at) the placeholder names it
      aria-label={id ? undefined : (placeholder ?? t('place.pick'))}
      value={value ?? undefined}
      labelInValue={false}
      treeNodeLabelProp="title"
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 280 } } }}
      loadData={loadData}
      onChange={(v) => onChange?.(v ?? undefined, nodes.find((n) => n.id === v)?.place)}
    />
  );
}

type ManyProps = Omit<Props, 'value' | 'onChange' | 'initialLabel'> & {
  value?: number[];
  onChange?: (ids: number[], places: Place[]) => void;
};

/** Several places, each picked on its own (picking a parent does not pick what lies under it): the places a zone is declared on. */
export function PlaceTreeMultiSelect({ rootId, value, onChange, selectableKinds, leafKinds, excludeId, placeholder, id, style, allowClear, status, 'data-testid': testId }: ManyProps) {
  const { t } = useTranslation();
  const { nodes, loadData } = usePlaceNodes({ rootId, selectableKinds, leafKinds, excludeId });
  return (
    <TreeSelect<number[]>
      id={id}
      data-testid={testId}
      style={{ width: '100%', ...style }}
      multiple
      showSearch={false}
      allowClear={allowClear}
      status={status}
      treeDataSimpleMode
      treeData={nodes}
      treeDefaultExpandedKeys={rootId ? [rootId] : undefined}
      placeholder={placeholder ?? t('place.pick')}
      aria-label={id ? undefined : (placeholder ?? t('place.pick'))}
      value={value}
      treeNodeLabelProp="title"
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 280 } } }}
      loadData={loadData}
      onChange={(v) => {
        const ids = v ?? [];
        onChange?.(ids, ids.map((i) => nodes.find((n) => n.id === i)?.place).filter((p): p is Place => !!p));
      }}
    />
  );
}
