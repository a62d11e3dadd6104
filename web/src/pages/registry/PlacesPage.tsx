// Places (地点): one place with its counts, its child places (table and chart) and, for a
// building or unit, its households. Create, rename, move and archive.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Dropdown, Empty, Result, Row, Skeleton, Space, Statistic, Table, Tag } from 'antd';
import { DeleteOutlined, DownOutlined, DragOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, childKinds, households, places, type Household, type Place, type PlaceBase } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import ScrollHint from '../../components/ScrollHint';
import Pager from '../../components/Pager';
import { usePagedList } from '../../components/usePagedList';
import { errorText, useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs, usePage } from '../../layout/PageContext';
import { MovePlaceModal, PlaceFormModal } from './PlaceModals';
import { lazyPage } from '../../components/lazyPage';
import PageBoundary from '../../components/PageBoundary';
import LoadFailed, { useOfflineEmpty } from '../../components/LoadFailed';
import { isNetworkError } from '../../api/network';

const PlaceCharts = lazyPage(() => import('./PlaceCharts'));

function HouseholdTable({ place }: { place: Place }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const fetchPage = useCallback((cursor: string | null, limit: number) => households.list(place.id, cursor, limit), [place.id]);
  const list = usePagedList<Household>(fetchPage, showError);
  return (
    <>
      <ScrollHint>
        <Table<Household>
          size="small"
          rowKey="id"
          pagination={false}
          loading={list.loading}
          dataSource={list.items}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: offlineEmpty(
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('household.emptyPlace')}>
                {can('registry.write') && <Button onClick={() => navigate(`/residents/new?placeId=${place.id}`)}>{t('resident.add')}</Button>}
              </Empty>
            ),
          }}
          columns={[
            { title: t('household.room'), dataIndex: 'room', width: 100, render: (v, h) => <Link to={`/households/${h.id}`}>{v}</Link> },
            { title: t('resident.address'), dataIndex: 'address' },
            { title: t('household.members'), dataIndex: 'residentCount', width: 100, align: 'right' },
          ]}
        />
      </ScrollHint>
      <Pager list={list} />
    </>
  );
}

export default function PlacesPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can, user } = useAuth();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const { reloadTree, treeVersion } = usePage();
  const [roots, setRoots] = useState<Place[]>();
  const [data, setData] = useState<{ place: Place; ancestors: PlaceBase[] }>();
  const [children, setChildren] = useState<Place[]>([]);
  const [error, setError] = useState<unknown>();
  const [dialog, setDialog] = useState<'create' | 'rename' | 'move' | 'district' | null>(null);
  const [tick, setTick] = useState(0);
  const placeId = Number(id) || undefined;

  // without an id: the scope root (or the list of districts for an administrator)
  useEffect(() => {
    if (placeId) return;
    setError(undefined);
    places.roots().then(({ items }) => {
      if (items.length === 1) navigate(`/places/${items[0].id}`, { replace: true });
      else setRoots(items);
    }, (e) => {
      setError(e);
      showError(e);
    });
  }, [placeId, navigate, showError, tick]);

  useEffect(() => {
    if (!placeId) return;
    setError(undefined);
    Promise.all([places.get(placeId), places.children(placeId)]).then(
      ([d, c]) => {
        setData(d);
        setChildren(c.items);
      },
      (e) => {
        setData(undefined);
        setError(e);
      },
    );
  }, [placeId, tick, treeVersion]);

  const current = data?.place.id === placeId ? data : undefined;
  useCrumbs(
    current ? [...current.ancestors.map((a) => ({ title: a.name, to: `/places/${a.id}` })), { title: current.place.name }] : [],
    `${current?.place.id}-${current?.place.name}-${current?.ancestors.length}`,
  );

  const changed = () => {
    setDialog(null);
    setTick((x) => x + 1);
    reloadTree();
  };

  if (!placeId) {
    if (!roots) return <Card>{isNetworkError(error) ? <LoadFailed error={error} /> : <Skeleton active />}</Card>;
    return (
      <Card
        size="small"
        title={t('place.districts')}
        extra={user?.role === 'admin' && <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setDialog('district')}>{t('place.createDistrict')}</Button>}
      >
        <ScrollHint>
          <Table<Place>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={roots}
            expandable={{ childrenColumnName: 'childPlaces' }}
            locale={{ emptyText: offlineEmpty(<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('place.noDistricts')} />) }}
            columns={[
              { title: t('place.name'), dataIndex: 'name', render: (v, p) => <Link to={`/places/${p.id}`}>{v}</Link> },
              { title: t('place.code'), dataIndex: 'code', render: (v) => v ?? '—' },
              { title: t('place.households'), dataIndex: 'households', align: 'right' },
              { title: t('place.residents'), dataIndex: 'residents', align: 'right' },
            ]}
          />
        </ScrollHint>
        <PlaceFormModal open={dialog === 'district'} mode="create" parent={null} onClose={() => setDialog(null)} onSaved={changed} />
      </Card>
    );
  }

  if (error) {
    if (error instanceof ApiError && error.sessionLost) return null;
    if (isNetworkError(error)) return <Card><LoadFailed error={error} /></Card>;
    return <Card><Result status="404" title={errorText(error, i18n.language, t('errors.unexpected'))} extra={<Button onClick={() => navigate('/places')}>{t('place.backToScope')}</Button>} /></Card>;
  }
  if (!current) return <Card><Skeleton active /></Card>;
  const { place, ancestors } = current;
  const kinds = childKinds(place.kind);
  const writable = can('places.write');
  const isScopeRoot = !ancestors.length;

  const archive = () =>
    modal.confirm({
      title: t('place.archiveTitle', { name: place.name }),
      content: t('place.archiveExplain'),
      okText: t('place.archive'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await places.archive(place.id);
          void message.success(t('place.archived', { name: place.name }));
          reloadTree();
          navigate(place.parentId ? `/places/${place.parentId}` : '/places');
        } catch (err) {
          showError(err);
        }
      },
    });

  const actions = writable && (
    <Space wrap>
      {kinds.length > 0 && (
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setDialog('create')} data-testid="create-child">
          {t('place.createChild')}
        </Button>
      )}
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'rename', icon: <EditOutlined />, label: t('place.rename') },
            { key: 'move', icon: <DragOutlined />, label: t('place.move'), disabled: place.kind === 'district' || isScopeRoot },
            { type: 'divider' },
            { key: 'archive', icon: <DeleteOutlined />, label: t('place.archive'), danger: true, disabled: isScopeRoot },
          ],
          onClick: ({ key }) => (key === 'archive' ? archive() : setDialog(key as 'rename' | 'move')),
        }}
      >
        <Button size="small" data-testid="place-actions">
          {t('common.more')} <DownOutlined />
        </Button>
      </Dropdown>
    </Space>
  );

  const showHouseholds = place.kind === 'unit' || (place.kind === 'building' && place.children === 0);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space wrap size={6}>
            <span data-testid="place-title">{place.name}</span>
            <Tag color="blue">{t(`place.kind.${place.kind}`)}</Tag>
            {place.code && <Tag>{place.code}</Tag>}
          </Space>
        }
        extra={actions}
      >
        <Row gutter={[12, 12]} className="fk-stat-row">
          <Col xs={8} md={4}>
            <Statistic title={t('place.residents')} value={place.residents} />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('place.households')} value={place.households} />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('place.childCount')} value={place.children} />
          </Col>
          {place.floors != null && (
            <Col xs={8} md={4}>
              <Statistic title={t('place.floors')} value={place.floors} />
            </Col>
          )}
          <Col xs={24} md={8} style={{ display: 'flex', alignItems: 'center' }}>
            <Button icon={<TeamOutlined />} onClick={() => navigate(`/residents?placeId=${place.id}`)} data-testid="place-residents">
              {t('place.viewResidents')}
            </Button>
          </Col>
        </Row>
        {ancestors.length > 0 && (
          <Descriptions size="small" style={{ marginTop: 8 }} column={1}>
            <Descriptions.Item label={t('place.path')}>{[...ancestors, place].map((a) => a.name).join(' / ')}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>

      {children.length > 0 && (
        <Card size="small" title={t('place.chartTitle')}>
          <PageBoundary resetKey={String(id)}>
            <Suspense fallback={<Skeleton active />}>
              <PlaceCharts children={children} />
            </Suspense>
          </PageBoundary>
        </Card>
      )}

      {(children.length > 0 || kinds.length > 0) && !showHouseholds && (
        <Card size="small" title={t('place.children')}>
          <ScrollHint>
            <Table<Place>
              size="small"
              rowKey="id"
              pagination={children.length > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
              dataSource={children}
              expandable={{ childrenColumnName: 'childPlaces' }}
              scroll={{ x: 'max-content' }}
              data-testid="children-table"
              locale={{
                emptyText: offlineEmpty(
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={writable ? t('place.noChildrenWritable') : t('place.noChildren')}>
                    {writable && kinds.length > 0 && (
                      <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')}>
                        {t('place.createChild')}
                      </Button>
                    )}
                  </Empty>
                ),
              }}
              columns={[
                { title: t('place.name'), dataIndex: 'name', render: (v, p) => <Link to={`/places/${p.id}`}>{v}</Link> },
                { title: t('place.kindLabel'), dataIndex: 'kind', width: 90, render: (k) => t(`place.kind.${k}`) },
                { title: t('place.code'), dataIndex: 'code', width: 100, render: (v) => v ?? '—' },
                { title: t('place.households'), dataIndex: 'households', width: 90, align: 'right', sorter: (a, b) => a.households - b.households },
                { title: t('place.residents'), dataIndex: 'residents', width: 90, align: 'right', sorter: (a, b) => a.residents - b.residents },
                { title: t('place.childCount'), dataIndex: 'children', width: 90, align: 'right' },
                {
                  title: t('common.actions'),
                  key: 'a',
                  width: 110,
                  render: (_, p) => <Link to={`/residents?placeId=${p.id}`}>{t('place.viewResidentsShort')}</Link>,
                },
              ]}
            />
          </ScrollHint>
        </Card>
      )}

      {showHouseholds && (
        <Card size="small" title={t('household.list')}>
          <HouseholdTable place={place} />
        </Card>
      )}

      <PlaceFormModal open={dialog === 'create'} mode="create" parent={place} onClose={() => setDialog(null)} onSaved={changed} />
      <PlaceFormModal open={dialog === 'rename'} mode="rename" place={place} onClose={() => setDialog(null)} onSaved={changed} />
      {dialog === 'move' && <MovePlaceModal open place={place} onClose={() => setDialog(null)} onMoved={changed} />}
    </Space>
  );
}
