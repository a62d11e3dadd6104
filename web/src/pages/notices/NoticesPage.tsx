// 通知: the notices of my area, newest first, each with who it went to and a link to its
// delivery report; officers write a new one from here.
import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { NotificationOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notices, type Notice } from '../../api/notices';
import { useAuth } from '../../auth/AuthContext';
import Pager from '../../components/Pager';
import { usePagedList } from '../../components/usePagedList';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import { ChannelTags, TargetText } from './labels';

export default function NoticesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const showError = useErrorMessage();
  const [params] = useSearchParams();
  const roundId = Number(params.get('round')) || undefined;
  useCrumbs([], `notices-${i18n.language}`);

  const fetchPage = useCallback((cursor: string | null, limit: number) => notices.list(cursor, limit, roundId), [roundId]);
  const list = usePagedList(fetchPage, showError);

  const columns: ColumnsType<Notice> = [
    { title: t('notices.col.time'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="fk-mono">{formatTime(v)}</span> },
    { title: t('notices.col.target'), key: 'target', render: (_, n) => <TargetText n={n} /> },
    {
      title: t('notices.col.text'),
      key: 'text',
      render: (_, n) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0, maxWidth: 420 }}>
          {n.texts['zh-CN']}
        </Typography.Paragraph>
      ),
    },
    { title: t('notices.col.channels'), dataIndex: 'channels', width: 130, render: (v: string[]) => <ChannelTags channels={v} /> },
    { title: t('notices.col.recipients'), dataIndex: 'recipients', align: 'right', width: 80 },
    { title: t('notices.col.by'), dataIndex: 'createdBy', width: 120, render: (v: string | null) => v ?? '—' },
    {
      title: t('notices.col.report'),
      key: 'report',
      width: 100,
      render: (_, n) => (
        <Link to={`/notices/${n.id}`} data-testid={`notice-report-${n.id}`}>
          {t('notices.col.report')}
        </Link>
      ),
    },
  ];

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <NotificationOutlined />
          {t('notices.title')}
        </Space>
      }
      extra={
        <Space size={8}>
          <Button size="small" icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading} aria-label={t('notices.refresh')} title={t('notices.refresh')} />
          {can('notices.send') && (
            <Link to="/notices/new">
              <Button type="primary" size="small" icon={<PlusOutlined />} data-testid="compose-notice">
                {t('notices.compose')}
              </Button>
            </Link>
          )}
        </Space>
      }
      data-testid="notices-page"
    >
      <Table<Notice>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <Space orientation="vertical" size={2}>
                  <Typography.Text>{t('notices.empty')}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('notices.emptyHint')}
                  </Typography.Text>
                </Space>
              }
            />
          ),
        }}
        data-testid="notices-table"
      />
      <Pager list={list} />
    </Card>
  );
}
