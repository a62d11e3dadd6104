// 风险区域: the zones in force over and within my area (or ended ones too), strictest first, each
// with what it means, the households and residents under it, who declared it and why; those who
// decide (the command center, the street) step a zone down, lift it, or re-apply a newer version
// of its policy, each with a reason, and declare new ones. "Ready to step down" lists the zones
// that meet their policy's rule, for a person to confirm. A place opens its zone history.
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Grid, Space, Switch, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { AlertOutlined, PlusOutlined, ReloadOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { zones as zonesApi, type StepDownCandidate, type Zone, type ZoneAction, type ZonePolicy } from '../../api/zones';
import { useAuth } from '../../auth/AuthContext';
import { useOfflineEmpty } from '../../components/LoadFailed';
import ScrollHint from '../../components/ScrollHint';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatDate, formatTime } from '../../utils/time';
import DeclareZoneDrawer from './DeclareZoneDrawer';
import { byLevel, LevelTag, meaning } from './labels';
import ZoneActionModal from './ZoneActionModal';
import ZoneHistoryDrawer from './ZoneHistoryDrawer';

type TabKey = 'zones' | 'stepDown';
type PlaceRef = { id: number; name: string };

const num = (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span>;

export default function ZonesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useAuth();
  const showError = useErrorMessage();
  const offlineEmpty = useOfflineEmpty();
  const mobile = Grid.useBreakpoint().md === false;
  const [params, setParams] = useSearchParams();
  const decide = can('zones.declare');
  const tab: TabKey = decide && params.get('tab') === 'stepDown' ? 'stepDown' : 'zones';
  const includeEnded = params.get('include') === 'all';
  const [items, setItems] = useState<Zone[]>();
  const [candidates, setCandidates] = useState<StepDownCandidate[]>();
  const [policies, setPolicies] = useState<ZonePolicy[]>([]);
  const [loading, setLoading] = useState(false);
  const [declaring, setDeclaring] = useState(false);
  const [acting, setActing] = useState<{ zone: Zone; action: ZoneAction } | null>(null);
  const [history, setHistory] = useState<PlaceRef | null>(null);

  useCrumbs([], `zones-${lang}`);

  const load = useCallback(() => {
    setLoading(true);
    const lists = [
      zonesApi.list({ include: includeEnded ? 'all' : 'active' }).then((r) => setItems(r.items)),
      decide ? zonesApi.stepDownCandidates().then((r) => setCandidates(r.items)) : Promise.resolve(),
    ];
    Promise.all(lists)
      .catch(showError)
      .finally(() => setLoading(false));
  }, [includeEnded, decide, showError]);
  useEffect(load, [load]);
  useEffect(() => {
    zonesApi.policies().then((r) => setPolicies(byLevel(r.items)), showError);
  }, [showError]);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };

  const placeButton = (p: Zone['place']) => (
    <Button
      type="link"
      size="small"
      className="fk-zone-place"
      style={{ padding: 0, height: 'auto', whiteSpace: 'normal' }}
      onClick={() => setHistory({ id: p.id, name: p.name })}
      title={t('zones.history.open', { place: p.name })}
      data-testid="zone-place"
    >
      {p.name}
    </Button>
  );

  const policyCell = (z: Zone) => (
    <Space orientation="vertical" size={2}>
      <LevelTag level={z.policy.level} names={z.policy.names} lang={lang} version={z.policy.version} testId="zone-policy" />
      {z.newerVersion !== null && !z.endedAt && (
        <span className="fk-zone-newer" title={t('zones.newerVersionHint', { version: z.newerVersion, current: z.policy.version })} data-testid="zone-newer">
          {t('zones.newerVersion', { version: z.newerVersion })}
        </span>
      )}
      {z.endedHow && (
        <span className="fk-zone-sub" data-testid="zone-ended">
          {t('zones.endedLine', { how: t(`zones.ended.${z.endedHow}`), time: formatTime(z.endedAt), by: z.endedBy ?? '—' })}
        </span>
      )}
    </Space>
  );

  const meansCell = (z: Zone) => (
    <span className="fk-zone-means" data-testid="zone-means">
      {meaning(t, z.policy).map((line) => (
        <span key={line}>{line}</span>
      ))}
    </span>
  );

  const declaredCell = (z: Zone) => (
    <Space orientation="vertical" size={0}>
      <span className="fk-mono" style={{ whiteSpace: 'nowrap' }}>
        {formatTime(z.declaredAt)}
      </span>
      <span className="fk-zone-sub">{z.declaredBy ?? '—'}</span>
    </Space>
  );

  const reasonCell = (z: Zone) => (
    <div className="fk-zone-reason">
      <Typography.Paragraph ellipsis={{ rows: 2, tooltip: z.reason }} style={{ marginBottom: 0 }}>
        {z.reason}
      </Typography.Paragraph>
      {z.endReason && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: z.endReason }} style={{ marginBottom: 0, fontSize: 12 }}>
          {t('zones.endReasonLine', { how: t(`zones.ended.${z.endedHow ?? 'lifted'}`), reason: z.endReason })}
        </Typography.Paragraph>
      )}
    </div>
  );

  const actionsCell = (z: Zone) =>
    z.endedAt ? null : (
      <Space size={4} wrap>
        <Button size="small" onClick={() => setActing({ zone: z, action: 'stepDown' })} data-testid="zone-step-down">
          {t('zones.action.stepDown')}
        </Button>
        <Button size="small" danger onClick={() => setActing({ zone: z, action: 'lift' })} data-testid="zone-lift">
          {t('zones.action.lift')}
        </Button>
        {z.newerVersion !== null && (
          <Button size="small" type="primary" ghost onClick={() => setActing({ zone: z, action: 'reapply' })} data-testid="zone-reapply">
            {t('zones.action.reapply')}
          </Button>
        )}
      </Space>
    );

  const counts = (z: Zone) => <span className="fk-zone-sub">{t('zones.countsLine', { households: z.households, residents: z.residents })}</span>;

  const columns: ColumnsType<Zone> = mobile
    ? [
        {
          title: t('zones.col.policy'),
          key: 'zone',
          render: (_, z) => (
            <div className="fk-zone-mobile">
              <div className="fk-zone-mobile-head">
                {placeButton(z.place)}
                <span className="fk-zone-sub">{t(`place.kind.${z.place.kind}`)}</span>
              </div>
              {policyCell(z)}
              {meansCell(z)}
              {counts(z)}
              <span className="fk-zone-sub">
                {formatTime(z.declaredAt)} · {z.declaredBy ?? '—'}
              </span>
              {reasonCell(z)}
              {decide && actionsCell(z)}
            </div>
          ),
        },
      ]
    : [
        {
          title: t('zones.col.place'),
          key: 'place',
          render: (_, z) => (
            <Space orientation="vertical" size={0}>
              {placeButton(z.place)}
              <span className="fk-zone-sub">{t(`place.kind.${z.place.kind}`)}</span>
            </Space>
          ),
        },
        { title: t('zones.col.policy'), key: 'policy', render: (_, z) => policyCell(z) },
        { title: t('zones.col.means'), key: 'means', render: (_, z) => meansCell(z) },
        { title: t('zones.col.households'), dataIndex: 'households', align: 'right', render: (v: number) => <span data-testid="zone-households">{num(v)}</span> },
        { title: t('zones.col.residents'), dataIndex: 'residents', align: 'right', render: (v: number) => <span data-testid="zone-residents">{num(v)}</span> },
        { title: t('zones.col.declared'), key: 'declared', render: (_, z) => declaredCell(z) },
        { title: t('zones.col.reason'), key: 'reason', render: (_, z) => reasonCell(z) },
        ...(decide ? ([{ title: t('zones.col.actions'), key: 'actions', render: (_, z) => actionsCell(z) }] as ColumnsType<Zone>) : []),
      ];

  const candidateColumns: ColumnsType<StepDownCandidate> = [
    {
      title: t('zones.col.place'),
      key: 'place',
      render: (_, c) => (
        <Space orientation="vertical" size={2}>
          {placeButton(c.zone.place)}
          <LevelTag level={c.zone.policy.level} names={c.zone.policy.names} lang={lang} version={c.zone.policy.version} />
          {mobile && counts(c.zone)}
        </Space>
      ),
    },
    {
      title: t('zones.stepDown.daysClear'),
      key: 'days',
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <strong>{t('zones.stepDown.days', { count: c.daysClear })}</strong>
          <span className="fk-zone-sub">
            {t('zones.stepDown.lastPositiveLine', { time: c.lastPositiveAt ? formatTime(c.lastPositiveAt) : t('zones.stepDown.noPositive') })}
          </span>
        </Space>
      ),
    },
    ...(mobile
      ? []
      : ([
          { title: t('zones.stepDown.listedOn'), key: 'listed', render: (_, c) => (c.listedOn ? formatDate(c.listedOn) : <span className="fk-zone-sub">{t('zones.stepDown.notListed')}</span>) },
          { title: t('zones.col.households'), key: 'households', align: 'right', render: (_, c) => num(c.zone.households) },
          { title: t('zones.col.residents'), key: 'residents', align: 'right', render: (_, c) => num(c.zone.residents) },
        ] as ColumnsType<StepDownCandidate>)),
    {
      title: t('zones.col.actions'),
      key: 'actions',
      render: (_, c) => (
        <Button size="small" type="primary" onClick={() => setActing({ zone: c.zone, action: 'stepDown' })} data-testid="candidate-step-down">
          {t('zones.action.stepDown')}
        </Button>
      ),
    },
  ];

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Space orientation="vertical" size={2}>
          <Typography.Text>{includeEnded ? t('zones.emptyEnded') : t('zones.empty')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {decide ? t('zones.emptyHintDeclare') : t('zones.emptyHintRead')}
          </Typography.Text>
        </Space>
      }
      data-testid="zones-empty"
    />
  );

  const zonesTable = (
    <>
      <div className="fk-toolbar">
        <Switch size="small" id="zones-include-ended" checked={includeEnded} onChange={(v) => setParam('include', v ? 'all' : null)} data-testid="zones-include-ended" />
        <label htmlFor="zones-include-ended">{t('zones.includeEnded')}</label>
      </div>
      <ScrollHint>
        <Table<Zone>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={items ?? []}
          loading={loading && !items}
          pagination={(items?.length ?? 0) > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
          scroll={mobile ? undefined : { x: 'max-content' }}
          rowClassName={(z) => (z.endedAt ? 'fk-zone-ended' : '')}
          onRow={(z) => ({ 'data-testid': 'zone-row', 'data-place': z.place.name, 'data-ended': z.endedAt ? 'true' : 'false' }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: offlineEmpty(items ? empty : ' ') }}
          data-testid="zones-table"
        />
      </ScrollHint>
    </>
  );

  const candidatesTable = (
    <ScrollHint>
      <Table<StepDownCandidate>
        size="small"
        rowKey={(c) => c.zone.id}
        columns={candidateColumns}
        dataSource={candidates ?? []}
        loading={loading && !candidates}
        pagination={false}
        scroll={mobile ? undefined : { x: 'max-content' }}
        onRow={(c) => ({ 'data-testid': 'candidate-row', 'data-place': c.zone.place.name }) as React.HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: offlineEmpty(
            candidates ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <Space orientation="vertical" size={2}>
                    <Typography.Text>{t('zones.stepDown.empty')}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('zones.stepDown.emptyHint')}
                    </Typography.Text>
                  </Space>
                }
              />
            ) : (
              ' '
            ),
          ),
        }}
        data-testid="step-down-table"
      />
    </ScrollHint>
  );

  return (
    <Card
      size="small"
      className="fk-wrap-title"
      title={
        <Space size={6}>
          <AlertOutlined />
          {t('zones.title')}
        </Space>
      }
      extra={
        <Space size={8} wrap>
          <Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label={t('zones.refresh')} title={t('zones.refresh')} />
          <Link to="/zones/policies">
            <Button size="small" icon={<SettingOutlined />} data-testid="zones-policies-link">
              {t('zones.policiesLink')}
            </Button>
          </Link>
          {decide && (
            <Button type="primary" danger size="small" icon={<PlusOutlined />} onClick={() => setDeclaring(true)} data-testid="declare-zone-button">
              {t('zones.declare')}
            </Button>
          )}
        </Space>
      }
      data-testid="zones-page"
    >
      {decide ? (
        <Tabs
          size="small"
          activeKey={tab}
          onChange={(k) => setParam('tab', k === 'zones' ? null : k)}
          items={[
            { key: 'zones', label: t('zones.tabs.zones'), children: zonesTable },
            {
              key: 'stepDown',
              label: (
                <span data-testid="zones-tab-step-down">
                  {t('zones.tabs.stepDown')}
                  {!!candidates?.length && ` (${candidates.length})`}
                </span>
              ),
              children: candidatesTable,
            },
          ]}
        />
      ) : (
        zonesTable
      )}
      {decide && (
        <DeclareZoneDrawer
          open={declaring}
          policies={policies}
          onClose={() => setDeclaring(false)}
          onDeclared={() => {
            setDeclaring(false);
            if (tab !== 'zones') setParam('tab', null);
            load();
          }}
        />
      )}
      <ZoneActionModal
        zone={acting?.zone ?? null}
        action={acting?.action ?? null}
        policies={policies}
        onClose={() => setActing(null)}
        onDone={() => {
          setActing(null);
          load();
        }}
      />
      <ZoneHistoryDrawer place={history} onClose={() => setHistory(null)} />
    </Card>
  );
}
