// 采样点: the campaign's sampling sites with their place, hours, default tube and lanes
// (采样通道). Officers add sites and lanes and change hours; everyone else reads. Samplers
// work at /lane.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Col, Empty, Grid, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, HomeOutlined, PlusOutlined, ScanOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import type { TabProps } from '../CampaignPage';
import { laneRanges, ModeTag } from '../campaign/labels';
import { AddSiteModal, EditSiteModal } from '../campaign/SiteModals';
import '../campaign/campaign.css';
import { useOfflineEmpty } from '../../../components/LoadFailed';

function Lanes({ site }: { site: Site }) {
  const { t } = useTranslation();
  const numbers = site.lanes.map((l) => l.number);
  return (
    <Space size={6} wrap data-testid={`site-lanes-${site.id}`}>
      <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
        {t('testing.sites.laneCount', { count: numbers.length })}
      </Typography.Text>
      {numbers.length <= 8 ? (
        <span className="fk-lanes">
          {numbers.map((n) => (
            <Tag key={n}>{t('testing.sites.laneN', { n })}</Tag>
          ))}
        </span>
      ) : (
        <span className="fk-muted">{t('testing.sites.laneNumbers', { numbers: laneRanges(numbers) })}</span>
      )}
    </Space>
  );
}

export default function SitesTab({ campaign, reload }: TabProps) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const mobile = Grid.useBreakpoint().md === false;
  const manage = can('testing.manage');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Site>();
  const sites = campaign.sites;
  const totals = useMemo(
    () => ({ sites: sites.length, lanes: sites.reduce((a, s) => a + s.lanes.length, 0), teams: sites.filter((s) => s.doorToDoor).length }),
    [sites],
  );

  const columns: ColumnsType<Site> = [
    {
      title: t('testing.sites.name'),
      dataIndex: 'name',
      render: (v: string, s) => (
        <Space orientation="vertical" size={0}>
          <Space size={6} wrap>
            <Typography.Text strong>{v}</Typography.Text>
            {s.doorToDoor && (
              <Tag icon={<HomeOutlined />} color="orange" style={{ marginInlineEnd: 0 }}>
                {t('testing.sites.doorToDoorTag')}
              </Tag>
            )}
          </Space>
          {mobile && (
            <span className="fk-campaign-sub">
              {s.placeName} · {s.opensAt}–{s.closesAt}
            </span>
          )}
        </Space>
      ),
    },
    ...(mobile
      ? []
      : ([
          { title: t('testing.sites.place'), dataIndex: 'placeName', render: (v: string, s) => <Link to={`/places/${s.placeId}`}>{v}</Link> },
          { title: t('testing.sites.hours'), key: 'hours', width: 120, render: (_, s) => <span className="fk-mono">{s.opensAt}–{s.closesAt}</span> },
          { title: t('testing.sites.mode'), dataIndex: 'mode', width: 130, render: (m: Site['mode']) => <ModeTag t={t} mode={m} /> },
        ] as ColumnsType<Site>)),
    { title: t('testing.sites.lanes'), key: 'lanes', render: (_, s) => <Lanes site={s} /> },
    ...(manage
      ? ([
          {
            title: t('common.actions'),
            key: 'actions',
            width: mobile ? 56 : 120,
            render: (_, s) => (
              <Tooltip title={mobile ? t('testing.sites.edit') : undefined}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid={`edit-site-${s.id}`} aria-label={t('testing.sites.edit')}>
                  {mobile ? null : t('testing.sites.edit')}
                </Button>
              </Tooltip>
            ),
          },
        ] as ColumnsType<Site>)
      : []),
  ];

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Space orientation="vertical" size={2}>
          <Typography.Text>{t('testing.sites.empty')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {manage ? t('testing.sites.emptyManage') : t('testing.sites.emptyRead')}
          </Typography.Text>
        </Space>
      }
      data-testid="sites-empty"
    >
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('testing.sites.add')}
        </Button>
      )}
    </Empty>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="sites-tab">
      <Row gutter={[12, 8]} align="middle">
        <Col xs={8} md={3} className="fk-stat-sm">
          <Statistic title={t('testing.sites.count')} value={totals.sites} />
        </Col>
        <Col xs={8} md={3} className="fk-stat-sm">
          <Statistic title={t('testing.sites.lanes')} value={totals.lanes} data-testid="sites-total-lanes" />
        </Col>
        <Col xs={8} md={4} className="fk-stat-sm">
          <Statistic title={t('testing.sites.teams')} value={totals.teams} />
        </Col>
        <Col xs={24} md={14} style={{ display: 'flex', gap: 8, justifyContent: mobile ? 'flex-start' : 'flex-end', flexWrap: 'wrap' }}>
          {can('testing.sample') && (
            <Link to="/lane" data-testid="open-lane">
              <Button icon={<ScanOutlined />}>{t('testing.sites.openLane')}</Button>
            </Link>
          )}
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-site">
              {t('testing.sites.add')}
            </Button>
          )}
        </Col>
      </Row>
      <Table<Site>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={sites}
        pagination={sites.length > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
        scroll={mobile ? undefined : { x: 'max-content' }}
        locale={{ emptyText: offlineEmpty(empty) }}
        onRow={(s) => ({ 'data-testid': `site-row-${s.name}` }) as React.HTMLAttributes<HTMLElement>}
        data-testid="sites-table"
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
        {t('testing.sites.footnote')}
      </Typography.Paragraph>
      {manage && (
        <>
          <AddSiteModal
            open={adding}
            campaign={campaign}
            onClose={() => setAdding(false)}
            onSaved={() => {
              setAdding(false);
              reload();
            }}
          />
          <EditSiteModal
            site={editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              reload();
            }}
          />
        </>
      )}
    </Space>
  );
}
