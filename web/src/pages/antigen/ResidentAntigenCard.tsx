// 抗原检测 on a resident's page: every antigen result reported for them (by a grid worker or by
// themselves), whether a positive has been acted on, and "report result".
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Empty, Grid, Table, Tag } from 'antd';
import { MedicineBoxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { antigen, type AntigenReport } from '../../api/antigen';
import { useAuth } from '../../auth/AuthContext';
import { formatTime } from '../../utils/time';
import { AntigenTag, reporter } from './labels';
import { alertsChanged } from './openAlerts';
import ReportModal, { type ReportTarget } from './ReportModal';
import '../testing/clearance/clearance.css';
import './antigen.css';
import { useOfflineEmpty } from '../../components/LoadFailed';

function AlertState({ r }: { r: AntigenReport }) {
  const { t } = useTranslation();
  if (r.result !== 'positive') return <span className="fk-muted">—</span>;
  return r.acknowledgedAt ? (
    <span className="fk-antigen-nowrap">
      <Tag style={{ marginInlineEnd: 4 }}>{t('antigen.resident.alertDone')}</Tag>
      <span className="fk-muted" style={{ fontSize: 12 }}>{formatTime(r.acknowledgedAt)}</span>
    </span>
  ) : (
    <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="antigen-alert-open">
      {t('antigen.resident.alertOpen')}
    </Tag>
  );
}

export default function ResidentAntigenCard({ resident }: { resident: ReportTarget }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = Grid.useBreakpoint().md === false;
  const [items, setItems] = useState<AntigenReport[]>();
  const [failed, setFailed] = useState(false);
  const [reporting, setReporting] = useState(false);

  const load = useCallback(() => {
    antigen.resident(resident.id).then(
      (r) => {
        setItems(r.items);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [resident.id]);
  useEffect(load, [load]);

  const canReport = can('antigen.report');
  const reportButton = canReport && (
    <Button size="small" onClick={() => setReporting(true)} data-testid="antigen-report">
      {t('antigen.household.report')}
    </Button>
  );
  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        failed ? (
          t('antigen.resident.failed')
        ) : (
          <span>
            {t('antigen.resident.empty')}
            <br />
            <span className="fk-muted" style={{ fontSize: 12 }}>{t('antigen.resident.emptyHint')}</span>
          </span>
        )
      }
    />
  );

  return (
    <Card
      size="small"
      title={
        <span>
          <MedicineBoxOutlined /> {t('antigen.resident.title')}
        </span>
      }
      extra={reportButton}
      style={{ marginTop: 12 }}
      data-testid="resident-antigen"
    >
      {mobile ? (
        <div className="fk-mlist">
          {!items?.length ? (
            <div className="fk-mlist-empty">{items || failed ? empty : null}</div>
          ) : (
            items.map((r) => (
              <div className="fk-mlist-item" key={r.id}>
                <div className="fk-mlist-line">
                  <AntigenTag t={t} result={r.result} />
                  <span>{formatTime(r.testedAt)}</span>
                  {r.result === 'positive' && <AlertState r={r} />}
                </div>
                <div className="fk-muted" style={{ fontSize: 12 }}>
                  {reporter(t, r.by)} · {formatTime(r.reportedAt)}
                </div>
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<AntigenReport>
          size="small"
          rowKey="id"
          loading={!items && !failed}
          dataSource={items ?? []}
          pagination={(items?.length ?? 0) > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          rowClassName={(r) => (r.result === 'positive' ? 'fk-row-positive' : '')}
          columns={[
            { title: t('antigen.resident.testedAt'), dataIndex: 'testedAt', render: (v: string) => formatTime(v) },
            { title: t('antigen.resident.result'), dataIndex: 'result', render: (v) => <AntigenTag t={t} result={v} /> },
            { title: t('antigen.resident.by'), dataIndex: 'by', render: (v: string | null) => reporter(t, v) },
            { title: t('antigen.resident.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => formatTime(v) },
            { title: t('antigen.resident.alert'), key: 'alert', render: (_, r) => <AlertState r={r} /> },
          ]}
        />
      )}
      <ReportModal
        resident={reporting ? resident : undefined}
        onClose={() => setReporting(false)}
        onDone={(r) => {
          setReporting(false);
          if (r.replay) void message.info(t('antigen.reportModal.replay'));
          else if (r.alert) void message.warning(t('antigen.reportModal.doneAlert', { name: resident.name }));
          else void message.success(t('antigen.reportModal.done', { name: resident.name, result: t(`antigen.result.${r.result}`) }));
          if (r.alert) alertsChanged();
          load();
        }}
      />
    </Card>
  );
}
