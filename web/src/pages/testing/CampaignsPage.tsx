// 检测任务 (mass-testing campaigns): every campaign that overlaps the user's area, newest
// first, each linking to its page; officers plan a new one from here.
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Empty, Grid, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { campaigns, type CampaignSummary } from '../../api/testing';
import { useAuth } from '../../auth/AuthContext';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useOfflineEmpty } from '../../components/LoadFailed';
import { useCrumbs } from '../../layout/PageContext';
import { campaignState, StateTag } from './campaign/labels';
import NewCampaignDrawer from './campaign/NewCampaignDrawer';
import { span } from './campaign/time';
import './campaign/campaign.css';

export default function CampaignsPage() {
  const { t, i18n } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [items, setItems] = useState<CampaignSummary[]>();
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const manage = can('testing.manage');

  useCrumbs([], `campaigns-${i18n.language}`);

  const load = useCallback(() => {
    setLoading(true);
    campaigns
      .list()
      .then((r) => setItems(r.items))
      .catch(showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(load, [load]);

  const num = (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span>;
  const columns: ColumnsType<CampaignSummary> = [
    {
      title: t('testing.list.name'),
      dataIndex: 'name',
      render: (v: string, c) => (
        <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
          <Space size={6} wrap>
            <Link to={`/testing/${c.id}`} data-testid="campaign-link" style={{ fontWeight: 500 }}>
              {v}
            </Link>
            <StateTag t={t} state={campaignState(c.startsAt, c.endsAt)} />
          </Space>
          {mobile && (
            <span className="fk-campaign-sub">
              {c.placeName} · {span(c.startsAt, c.endsAt)}
            </span>
          )}
          {mobile && (
            <span className="fk-campaign-sub">{t('testing.list.counts', { rounds: c.rounds, sites: c.sites, lanes: c.lanes })}</span>
          )}
        </Space>
      ),
    },
    ...(mobile
      ? []
      : ([
          { title: t('testing.list.place'), dataIndex: 'placeName', render: (v: string, c) => <Link to={`/places/${c.placeId}`}>{v}</Link> },
          { title: t('testing.list.window'), key: 'window', render: (_, c) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{span(c.startsAt, c.endsAt)}</span> },
          { title: t('testing.list.rounds'), dataIndex: 'rounds', align: 'right', width: 80, render: num },
          { title: t('testing.list.sites'), dataIndex: 'sites', align: 'right', width: 90, render: num },
          { title: t('testing.list.lanes'), dataIndex: 'lanes', align: 'right', width: 90, render: num },
        ] as ColumnsType<CampaignSummary>)),
  ];

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Space orientation="vertical" size={2}>
          <Typography.Text>{t('testing.list.empty')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {manage ? t('testing.list.emptyManage') : t('testing.list.emptyRead')}
          </Typography.Text>
        </Space>
      }
      data-testid="campaigns-empty"
    >
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('testing.new.title')}
        </Button>
      )}
    </Empty>
  );

  return (
    <Card
      size="small"
      title={t('testing.campaigns')}
      extra={
        <Space size={8}>
          <Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label={t('testing.refresh')} title={t('testing.refresh')} />
          {manage && (
            <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-campaign-button">
              {t('testing.new.title')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<CampaignSummary>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={items ?? []}
        loading={loading && !items}
        pagination={(items?.length ?? 0) > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
        scroll={mobile ? undefined : { x: 'max-content' }}
        locale={{ emptyText: offlineEmpty(items ? empty : ' ') }}
        data-testid="campaigns-table"
      />
      {manage && (
        <NewCampaignDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            navigate(`/testing/${c.id}?tab=sites`);
          }}
        />
      )}
    </Card>
  );
}
