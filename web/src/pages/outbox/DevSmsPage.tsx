// The development SMS page (开发短信): with no SMS centre configured, what the outbox would have
// sent by SMS (sign-in codes, notices) is kept here for the administrator, with the full number
// (it is their own tool on a laptop). The banner says plainly that nothing was sent.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Result, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ApiError, outbox, type DevSms } from '../../api';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime, formatTimeExact } from '../../utils/time';

export default function DevSmsPage() {
  const { t } = useTranslation();
  const showError = useErrorMessage();
  const [to, setTo] = useState<string>();
  const [typed, setTyped] = useState('');
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<DevSms[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [realSms, setRealSms] = useState(false);
  useCrumbs([], 'devSms');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const res = await outbox.devSms(to, page);
      setItems(res.items);
      setHasMore(res.hasMore);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setRealSms(true);
      else showError(err);
    } finally {
      setLoading(false);
    }
  }, [to, page, showError]);

  useEffect(() => {
    void load();
  }, [load]);

  if (realSms) return <Result status="info" title={t('outbox.devSms.title')} subTitle={t('outbox.devSms.realSms')} />;

  const columns: ColumnsType<DevSms> = [
    { title: t('outbox.devSms.at'), dataIndex: 'at', width: 172, render: (v: string) => <span className="fk-mono" title={formatTimeExact(v)}>{formatTime(v)}</span> },
    { title: t('outbox.devSms.to'), dataIndex: 'to', width: 150, render: (v: string) => <span className="fk-mono" data-testid="dev-sms-to">{v}</span> },
    { title: t('outbox.devSms.text'), dataIndex: 'text', render: (v: string) => <span data-testid="dev-sms-text" style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
    { title: t('outbox.devSms.source'), dataIndex: 'source', width: 100 },
  ];

  return (
    <Card size="small" title={t('outbox.devSms.title')} styles={{ body: { padding: 12 } }}>
      <Alert type="warning" showIcon role="alert" data-testid="dev-sms-banner" style={{ marginBottom: 12 }} message={t('outbox.devSms.bannerTitle')} description={t('outbox.devSms.banner')} />
      <div className="fk-toolbar">
        <Input.Search
          allowClear
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => {
            setTo(v.replace(/[^0-9]/g, '') || undefined);
            setPage(1);
          }}
          placeholder={t('outbox.devSms.filter')}
          aria-label={t('outbox.devSms.filter')}
          style={{ width: 220 }}
          data-testid="dev-sms-filter"
        />
        <Button onClick={() => void load()}>{t('outbox.devSms.refresh')}</Button>
      </div>
      <Table<DevSms> rowKey="id" size="small" loading={loading} columns={columns} dataSource={items} pagination={false} locale={{ emptyText: <span style={{ color: '#595959' }}>{t('outbox.devSms.empty')}</span> }} />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('outbox.devSms.prev')}</Button>
        <span>{t('outbox.devSms.page', { page })}</span>
        <Button disabled={!hasMore} onClick={() => setPage(page + 1)}>{t('outbox.devSms.next')}</Button>
      </Space>
    </Card>
  );
}
