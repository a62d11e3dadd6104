// 送达报告: one notice, what it said, and where its messages are now — per channel, how many are
// queued, sending, sent, delivered, failed and read (a stacked bar, and the same figures in a
// table), why the failed failed — and a resend through SMS of the failed or the unread in-app
// ones. The figures are the outbox's message statuses, refreshed every 15 seconds.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Empty, Popconfirm, Row, Skeleton, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { MessageOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { MESSAGE_STATUSES, NOTICE_LANGUAGES, notices, type NoticeReport } from '../../api/notices';
import { useAuth } from '../../auth/AuthContext';
import EChart from '../../components/EChart';
import LoadFailed from '../../components/LoadFailed';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import { ChannelTags, STATUS_COLORS, TargetText } from './labels';

type ChannelRow = NoticeReport['report']['channels'][number];
type FailureRow = NoticeReport['report']['failures'][number];

export default function NoticeReportPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const id = Number(useParams().id);
  const [report, setReport] = useState<NoticeReport | null>();
  const [loadError, setLoadError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();

  useCrumbs([{ title: t('notices.report.notice', { id }) }], `notice-${id}-${i18n.language}`);

  const load = useCallback(() => {
    notices.get(id).then(
      (r) => {
        setReport(r);
        setLoadError(undefined);
      },
      (err) => {
        if (err instanceof ApiError && err.status === 404) setReport(null);
        setLoadError(err);
      },
    );
  }, [id]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [load]);

  const option = useMemo(() => {
    const rows = report?.report.channels ?? [];
    const channelName = (c: string) => t(`notices.channel.${c}`);
    return {
      aria: { enabled: true },
      color: MESSAGE_STATUSES.map((s) => STATUS_COLORS[s]),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => channelName(r.channel)) },
      series: MESSAGE_STATUSES.map((s) => ({ name: t(`notices.status.${s}`), type: 'bar', stack: 'all', barMaxWidth: 36, data: rows.map((r) => r[s]) })),
    };
  }, [report, t]);

  const resend = async (only: 'failed' | 'unread') => {
    setBusy(only);
    try {
      const r = await notices.resend(id, { key: crypto.randomUUID(), channel: 'sms', only });
      void message.success(t('notices.report.resent', r));
      load();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(undefined);
    }
  };

  if (report === undefined) return loadError ? <LoadFailed error={loadError} /> : <Skeleton active />;
  if (report === null) return <Empty description={loadError instanceof ApiError ? loadError.text(i18n.language) : undefined} data-testid="notice-missing" />;

  const channelColumns: ColumnsType<ChannelRow> = [
    { title: t('notices.col.channels'), dataIndex: 'channel', render: (c: string) => t(`notices.channel.${c}`) },
    // no fixed widths and no sideways scroll: the headers wrap to fit (a scrolling table region
    // needs keyboard focus, which antd's does not take — axe scrollable-region-focusable)
    ...MESSAGE_STATUSES.map((s) => ({ title: t(`notices.status.${s}`), dataIndex: s, align: 'right' as const })),
    { title: t('notices.report.total'), dataIndex: 'total', align: 'right', width: 80, render: (v: number) => <strong>{v}</strong> },
  ];
  const failureColumns: ColumnsType<FailureRow> = [
    { title: t('notices.col.channels'), dataIndex: 'channel', width: 90, render: (c: string) => t(`notices.channel.${c}`) },
    { title: t('notices.report.reason'), key: 'reason', render: (_, f) => f.reason ?? f.code ?? '—' },
    { title: t('notices.report.count'), dataIndex: 'count', align: 'right', width: 80 },
  ];
  const inapp = report.report.channels.find((c) => c.channel === 'inapp');
  const sendable = can('notices.send') && inapp;
  const resendButton = (only: 'failed' | 'unread', disabled: boolean) => (
    <Popconfirm key={only} title={t('notices.report.resendConfirm')} okText={t('notices.slots.ok')} cancelText={t('common.cancel')} onConfirm={() => resend(only)} disabled={disabled}>
      <Button size="small" icon={<MessageOutlined />} loading={busy === only} disabled={disabled} data-testid={`resend-${only}`}>
        {t(only === 'failed' ? 'notices.report.resendFailed' : 'notices.report.resendUnread')}
      </Button>
    </Popconfirm>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="notice-report">
      <Card
        size="small"
        title={
          <Space size={8} wrap>
            <span>{t('notices.report.notice', { id: report.id })}</span>
            <TargetText n={report} />
            <ChannelTags channels={report.channels} />
          </Space>
        }
        extra={
          <Space size={8}>
            <span className="fk-muted" style={{ fontSize: 12 }}>{t('notices.report.autoRefresh')}</span>
            <Button size="small" icon={<ReloadOutlined />} onClick={load} aria-label={t('notices.refresh')} title={t('notices.refresh')} />
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('notices.col.recipients')}>
            <span data-testid="report-recipients">{report.recipients}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('notices.col.by')}>{t('notices.report.sentBy', { by: report.createdBy ?? '—', time: formatTime(report.createdAt) })}</Descriptions.Item>
          {report.slot && <Descriptions.Item label={t('notices.report.slot')}>{report.slot}</Descriptions.Item>}
        </Descriptions>
        <Descriptions size="small" column={1} bordered title={<span style={{ fontSize: 14 }}>{t('notices.report.texts')}</span>}>
          {NOTICE_LANGUAGES.filter((l) => report.texts[l]).map((l) => (
            <Descriptions.Item key={l} label={t(`notices.language.${l}`)}>
              <span lang={l}>{report.texts[l]}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('notices.report.chart')}
            extra={sendable ? <Space size={8}>{[resendButton('unread', !(inapp.total - inapp.read)), resendButton('failed', !inapp.failed)]}</Space> : undefined}
            data-testid="report-chart"
          >
            <EChart option={option} height={Math.max(160, 70 * report.report.channels.length + 60)} />
            <Table<ChannelRow>
              size="small"
              rowKey="channel"
              columns={channelColumns}
              dataSource={report.report.channels}
              pagination={false}
              style={{ marginTop: 8 }}
              data-testid="report-table"
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('notices.report.failures')} data-testid="report-failures">
            {report.report.failures.length ? (
              <Table<FailureRow> size="small" rowKey={(f) => `${f.channel}-${f.code}`} columns={failureColumns} dataSource={report.report.failures} pagination={false} />
            ) : (
              <Typography.Text type="secondary">{t('notices.report.noFailures')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
