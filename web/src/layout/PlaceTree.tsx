// The place-tree navigator: the user's scope, loaded level by level, with resident counts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Empty, Spin, Tree, Typography } from 'antd';
import type { DataNode, EventDataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import { places as placesApi, type Place } from '../api';
import { useErrorMessage } from '../components/useErrorMessage';

interface Props {
  selectedId?: number;
  onSelect: (place: Place) => void;
  version: number;
}

type Key = number;
const ROOT = 0;

export default function PlaceTree({ selectedId, onSelect, version }: Props) {
  const { t } = useTranslation();
  const showError = useErrorMessage();
  const [nodes, setNodes] = useState<Map<Key, Place>>(new Map());
  const [childrenOf, setChildrenOf] = useState<Map<Key, Key[]>>(new Map());
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [loading, setLoading] = useState(true);
  const childrenRef = useRef(childrenOf);
  childrenRef.current = childrenOf;
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;

  const store = useCallback((parent: Key, items: Place[]) => {
    setNodes((m) => {
      const n = new Map(m);
      for (const p of items) n.set(p.id, p);
      return n;
    });
    setChildrenOf((m) => new Map(m).set(parent, items.map((p) => p.id)));
  }, []);

  const loadChildren = useCallback(
    async (id: Key) => {
      const { items } = await placesApi.children(id);
      store(id, items);
      return items;
    },
    [store],
  );

  // roots, and on every version bump everything loaded so far (counts and names change)
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const { items } = await placesApi.roots();
        if (cancelled) return;
        store(ROOT, items);
        const loaded = [...childrenRef.current.keys()].filter((k) => k !== ROOT);
        await Promise.all(loaded.map((k) => loadChildren(k).catch(() => undefined)));
        if (!cancelled && version === 0 && items.length === 1) setExpanded((e) => (e.length ? e : [items[0].id]));
        if (!cancelled && version === 0 && items.length === 1) await loadChildren(items[0].id).catch(() => undefined);
      } catch (err) {
        if (!cancelled) showError(err);
      } finally {
        if (!cancelled) setLoading(false);
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  // open the tree down to the selected place
  useEffect(() => {
    if (!selectedId) return;
    let cancelled = false;
    (async () => {
      try {
        const { ancestors } = await placesApi.get(selectedId);
        for (const a of ancestors) {
          if (cancelled) return;
          if (!childrenRef.current.has(a.id)) await loadChildren(a.id);
        }
        if (!cancelled) setExpanded((e) => [...new Set([...e, ...ancestors.map((a) => a.id)])]);
      } catch {
        /* the page shows its own error */
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [selectedId, loadChildren]);

  const treeData = useMemo<DataNode[]>(() => {
    const build = (ids: Key[]): DataNode[] =>
      ids
        .map((id) => nodes.get(id))
        .filter((p): p is Place => !!p)
        .map((p) => ({
          key: p.id,
          title: (
            <span className="fk-tree-node" data-testid={`tree-node-${p.id}`}>
              <Typography.Text ellipsis style={{ maxWidth: 170 }}>
                {p.name}
              </Typography.Text>
              <span className="fk-tree-count" title={t('place.residentCount', { count: p.residents })}>
                {p.residents.toLocaleString()}
              </span>
            </span>
          ),
          isLeaf: p.children === 0,
          children: childrenOf.has(p.id) ? build(childrenOf.get(p.id)!) : undefined,
        }));
    return build(childrenOf.get(ROOT) ?? []);
  }, [nodes, childrenOf, t]);

  if (loading) return <Spin size="small" style={{ margin: 16 }} />;
  if (!treeData.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('place.treeEmpty')} />;

  return (
    <Tree
      blockNode
      treeData={treeData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys as Key[])}
      selectedKeys={selectedId ? [selectedId] : []}
      loadedKeys={[...childrenOf.keys()]}
      loadData={async (node: EventDataNode<DataNode>) => {
        const id = node.key as Key;
        if (!childrenRef.current.has(id)) await loadChildren(id).catch(showError);
      }}
      onSelect={(_, info) => {
        const p = nodesRef.current.get(info.node.key as Key);
        if (p) onSelect(p);
      }}
    />
  );
}
