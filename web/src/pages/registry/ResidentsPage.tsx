// Residents (居民台账): search by name, phone or ID; filter by place, tenancy and care flags;
// cursor paging; masked IDs with an audited reveal; export the search as XLSX.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CARE_FLAGS, places, residents, TENANCIES, type Place, type PlaceBase, type Resident, type ResidentFilters } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import Pager from '../../components/Pager';
import { usePagedList } from '../../components/usePagedList';
import { useErrorMessage } from '../../components/useErrorMessage';
import { download } from '../../components/download';
import { useCrumbs } from '../../layout/PageContext';
import RevealId from './RevealId';
import { CareFlags, sexLabel, TenancyTag } from './residentLabels';
import { useOfflineEmpty } from '../../components/LoadFailed';

export default function ResidentsPage() {
  const { t, i18n } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can, user } = useAuth();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const placeId = Number(params.get('placeId')) || undefined;
  // only a tenancy the server knows (a hand-edited URL would be refused as a whole)
  const tenancy = TENANCIES.find((x) => x === params.get('tenancy'));
  const flagsParam = params.get('flags') ?? '';
  const flags = useMemo(() => flagsParam.split(',').filter(Boolean), [flagsParam]);
  const [typed, setTyped] = useState(q);
  const [place, setPlace] = useState<{ place: Place; ancestors: PlaceBase[] }>();
  const [exporting, setExporting] = useState(false);
  const mobile = Grid.useBreakpoint().md === false;

  useEffect(() => setTyped(q), [q]);
  useEffect(() => {
    if (!placeId) return setPlace(undefined);
    places.get(placeId).then(setPlace, () => setPlace(undefined));
  }, [placeId]);

  useCrumbs(place ? [{ title: place.place.name }] : [], `${place?.place.id}`);

  const filters: ResidentFilters = useMemo(() => ({ q, placeId, tenancy, flags }), [q, placeId, tenancy, flags]);
  // the first page says how many the search finds; later pages do not count again
  const [total, setTotal] = useState<{ n: number; capped: boolean }>();
  const fetchPage = useCallback(
    async (cursor: string | null, limit: number) => {
      const page = await residents.search(filters, cursor, limit);
      if (!cursor) setTotal(page.total === null ? undefined : { n: page.total, capped: page.totalCapped });
      return page;
    },
    [filters],
  );
  const list = usePagedList(fetchPage, showError);
  const filtered = !!(q || placeId || tenancy || flags.length);

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  const gridWorker = user?.role === 'grid_worker';
  const columns: ColumnsType<Resident> = [
    {
      title: t('resident.name'),
      dataIndex: 'name',
      width: 80,
      fixed: 'left',
      render: (v, r) => (
        <Link to={`/residents/${r.id}`} data-testid="resident-link">
          {v}
        </Link>
      ),
    },
    {
      title: t('resident.sexAge'),
      key: 'sexAge',
      // widths fit the English labels too (Female · 36, Owner/registered) at 1440 px beside the tree
      width: 100,
      render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{`${sexLabel(t, r.sex)} · ${r.age ?? '—'}`}</span>,
    },
    {
      title: t('resident.idNumber'),
      dataIndex: 'idMasked',
      width: 188,
      render: (v, r) => <RevealId residentId={r.id} masked={v} name={r.name} />,
    },
    { title: t('resident.phone'), dataIndex: 'phone', width: 112, render: (v) => <span className="fk-mono">{v ?? '—'}</span> },
    {
      title: t('resident.address'),
      dataIndex: 'address',
      width: 140,
      ellipsis: true,
      render: (v, r) => (r.householdId !== null ? <Link to={`/households/${r.householdId}`}>{v}</Link> : v),
    },
    ...(gridWorker ? [] : [{ title: t('resident.grid'), dataIndex: 'gridName', width: 90, render: (v: string | null) => v ?? '—', responsive: ['xxl' as const] }]),
    { title: t('resident.tenancy'), dataIndex: 'tenancy', width: 124, render: (v) => <TenancyTag t={t} tenancy={v} /> },
    { title: t('resident.careFlags'), key: 'flags', width: 140, render: (_, r) => <CareFlags t={t} r={r} /> },
  ];

  const empty = list.loading ? (
    <span />
  ) : filtered ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="empty-filtered">{t('resident.emptyFiltered')}</span>}>
      <Button onClick={() => setParams(new URLSearchParams())}>{t('common.clearFilters')}</Button>
    </Empty>
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resident.emptyAll')}>
      <Space>
        {can('registry.import') && (
          <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => navigate('/import')}>
            {t('import.title')}
          </Button>
        )}
        {can('registry.write') && (
          <Button icon={<PlusOutlined />} onClick={() => navigate('/residents/new')}>
            {t('resident.add')}
          </Button>
        )}
      </Space>
    </Empty>
  );

  return (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <div className="fk-toolbar">
        <Input.Search
          allowClear
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => setParam('q', v.trim() || undefined)}
          placeholder={t('resident.searchPlaceholder')}
          title={t('resident.searchHint')}
          aria-label={t('resident.searchPlaceholder')}
          style={{ width: 300, maxWidth: '100%' }}
          enterButton
          data-testid="resident-search"
        />
        <Select
          allowClear
          placeholder={t('resident.tenancy')}
          aria-label={t('resident.tenancy')}
          value={tenancy}
          onChange={(v) => setParam('tenancy', v)}
          options={TENANCIES.map((x) => ({ value: x, label: t(`tenancy.${x}`) }))}
          style={{ width: 130 }}
          data-testid="tenancy-filter"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('resident.careFlags')}
          aria-label={t('resident.careFlags')}
          value={flags}
          onChange={(v: string[]) => setParam('flags', v.join(',') || undefined)}
          options={CARE_FLAGS.map((x) => ({ value: x, label: t(`flag.${x}`) }))}
          style={{ minWidth: 160, maxWidth: 360 }}
          maxTagCount="responsive"
          data-testid="flags-filter"
        />
        {place && (
          <Tag closable onClose={() => setParam('placeId', undefined)} color="blue" style={{ marginInlineEnd: 0, paddingBlock: 2 }} data-testid="place-filter">
            {t('resident.inPlace', { name: place.place.name })}
          </Tag>
        )}
        <span className="fk-spacer" />
        {can('registry.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/residents/new')}>
            {t('resident.add')}
          </Button>
        )}
        {can('registry.export') && (
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={async () => {
              setExporting(true);
              try {
                await download(residents.exportUrl(filters));
              } catch (err) {
                showError(err);
              } finally {
                setTimeout(() => setExporting(false), 800);
              }
            }}
            data-testid="export"
          >
            {t('resident.export')}
          </Button>
        )}
      </div>
      {(place || total) && (
        <Typography.Paragraph type="secondary" style={{ margin: '-2px 0 8px', fontSize: 12 }}>
          {/* how many this search finds, then where it looks */}
          {total && (
            <span data-testid="residents-total" style={{ fontWeight: 500 }}>
              {t(total.capped ? 'resident.totalCapped' : 'resident.total', { count: total.n, n: total.n.toLocaleString(i18n.language) })}
            </span>
          )}
          {total && place && ' · '}
          {place && `${[...place.ancestors, place.place].map((p) => p.name).join(' / ')} · ${t('place.countsLine', { households: place.place.households, residents: place.place.residents })}`}
        </Typography.Paragraph>
      )}
      {mobile ? (
        <List<Resident>
          size="small"
          loading={list.loading}
          dataSource={list.items}
          locale={{ emptyText: offlineEmpty(empty) }}
          data-testid="residents-table"
          renderItem={(r) => (
            <List.Item style={{ display: 'block', paddingInline: 0 }}>
              <div style={{ display: 'flex', alignItems: 'center', gap: 6, flexWrap: 'wrap' }}>
                <Link to={`/residents/${r.id}`} data-testid="resident-link" style={{ fontWeight: 500 }}>
                  {r.name}
                </Link>
                <span className="fk-muted">{sexLabel(t, r.sex)} · {r.age ?? '—'}</span>
                <TenancyTag t={t} tenancy={r.tenancy} />
                <CareFlags t={t} r={r} hideEmpty />
              </div>
              <div>
                <RevealId residentId={r.id} masked={r.idMasked} name={r.name} />
                {r.phone && <span className="fk-mono fk-muted" style={{ marginInlineStart: 8 }}>{r.phone}</span>}
              </div>
              {r.householdId !== null ? (
                <Link to={`/households/${r.householdId}`} style={{ fontSize: 13 }}>
                  {r.address}
                </Link>
              ) : (
                <span style={{ fontSize: 13 }}>{r.address}</span>
              )}
            </List.Item>
          )}
        />
      ) : (
      <Table<Resident>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        // a set width, not max-content (which sizes the columns by their content): the widths above
        // hold and a long address ellipsises (its tooltip has it all)
        scroll={{ x: columns.filter((c) => !c.responsive).reduce((sum, c) => sum + (Number(c.width) || 0), 0) }}
        tableLayout="fixed"
        locale={{ emptyText: offlineEmpty(empty) }}
        data-testid="residents-table"
      />
      )}
      <Pager list={list} />
    </Card>
  );
}
