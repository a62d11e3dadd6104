// 抗原检测 on a household's page: the kits handed out (who, how many, when), each member's
// latest result, and the two actions at the door — hand out kits, report a result.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Grid, Space, Table, Tag, Typography } from 'antd';
import { GiftOutlined, MedicineBoxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Household, Resident } from '../../api';
import { antigen, type AntigenReport, type HouseholdAntigen } from '../../api/antigen';
import { useAuth } from '../../auth/AuthContext';
import { formatTime } from '../../utils/time';
import DistributeModal from './DistributeModal';
import { AntigenTag, reporter } from './labels';
import { alertsChanged } from './openAlerts';
import ReportModal, { type ReportTarget } from './ReportModal';
import '../testing/clearance/clearance.css';
import './antigen.css';
import { useOfflineEmpty } from '../../components/LoadFailed';

const SHOWN = 5;

interface MemberRow {
  id: number;
  name: string;
  latest?: AntigenReport;
}

export default function HouseholdAntigenCard({ household, members }: { household: Household; members: Resident[] }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = Grid.useBreakpoint().md === false;
  const [data, setData] = useState<HouseholdAntigen>();
  const [failed, setFailed] = useState(false);
  const [distributing, setDistributing] = useState(false);
  const [reporting, setReporting] = useState<ReportTarget>();

  const load = useCallback(() => {
    antigen.household(household.id).then(
      (d) => {
        setData(d);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [household.id]);
  useEffect(load, [load]);

  const rows: MemberRow[] = useMemo(() => {
    const latest = new Map<number, AntigenReport>();
    for (const r of data?.reports ?? []) if (!latest.has(r.residentId)) latest.set(r.residentId, r);
    return members.map((m) => ({ id: m.id, name: m.name, latest: latest.get(m.id) }));
  }, [data, members]);

  // a positive nobody has acted on yet is the first thing on the card
  const open = (data?.reports ?? []).filter((r) => r.result === 'positive' && !r.acknowledgedAt);
  const canReport = can('antigen.report');

  const distributeButton = can('antigen.distribute') && (
    <Button size="small" type="primary" icon={<GiftOutlined />} onClick={() => setDistributing(true)} data-testid="antigen-distribute">
      {t('antigen.household.distribute')}
    </Button>
  );
  const reportButton = (m: MemberRow) =>
    canReport && (
      <Button size="small" onClick={() => setReporting({ id: m.id, name: m.name })} data-testid={`antigen-report-${m.id}`}>
        {t('antigen.household.report')}
      </Button>
    );

  const kits = !data ? null : data.distributions.length === 0 ? (
    <div className="fk-antigen-nokits" data-testid="antigen-kits">
      <Typography.Text>{t('antigen.household.noKits')}</Typography.Text>
      {distributeButton && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('antigen.household.noKitsHint')}</Typography.Text>}
    </div>
  ) : (
    <div className="fk-antigen-kits" data-testid="antigen-kits">
      <Tag color="blue" className="fk-antigen-total" data-testid="antigen-kits-total">
        {t('antigen.household.kitsTotal', { count: data.kitsTotal })}
      </Tag>
      <ul className="fk-antigen-history" aria-label={t('antigen.household.history')}>
        {data.distributions.slice(0, SHOWN).map((d) => (
          <li key={d.id} data-testid="antigen-distribution">
            <span className="fk-muted fk-antigen-nowrap">{formatTime(d.at)}</span> {t('antigen.household.historyLine', { by: d.by ?? '—', count: d.kits })}
          </li>
        ))}
        {data.distributions.length > SHOWN && <li className="fk-muted">{t('antigen.household.earlier', { count: data.distributions.length - SHOWN })}</li>}
      </ul>
    </div>
  );

  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('antigen.household.noMembers')} />;

  return (
    <Card
      size="small"
      title={
        <span>
          <MedicineBoxOutlined /> {t('antigen.household.title')}
        </span>
      }
      extra={distributeButton}
      style={{ marginTop: 12 }}
      data-testid="household-antigen"
    >
      {failed && <Alert type="warning" showIcon title={t('antigen.resident.failed')} style={{ marginBottom: 8 }} />}
      {open.map((r) => (
        <Alert
          key={r.id}
          type="error"
          showIcon
          className="fk-antigen-alert"
          title={t('antigen.household.openAlert', { name: r.name, time: formatTime(r.testedAt) })}
          action={canReport ? <Link to="/antigen">{t('antigen.household.openAlertAction')}</Link> : undefined}
          data-testid="household-antigen-alert"
        />
      ))}
      {kits}
      <Typography.Text strong style={{ display: 'block', margin: '10px 0 4px' }}>
        {t('antigen.household.members')}
      </Typography.Text>
      {mobile ? (
        <div className="fk-mlist" data-testid="antigen-members">
          {!rows.length ? (
            <div className="fk-mlist-empty">{empty}</div>
          ) : (
            rows.map((m) => (
              <div className="fk-mlist-item" key={m.id} data-testid="antigen-member">
                <div className="fk-mlist-line">
                  <Link to={`/residents/${m.id}`} style={{ fontWeight: 600 }}>{m.name}</Link>
                  <AntigenTag t={t} result={m.latest?.result} />
                  <span className="fk-grow" />
                  {reportButton(m)}
                </div>
                {m.latest && (
                  <div className="fk-muted" style={{ fontSize: 12 }}>
                    {formatTime(m.latest.testedAt)} · {reporter(t, m.latest.by)}
                  </div>
                )}
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<MemberRow>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rows}
          loading={!data && !failed}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          rowClassName={(m) => (m.latest?.result === 'positive' ? 'fk-row-positive' : '')}
          data-testid="antigen-members"
          columns={[
            { title: t('resident.name'), dataIndex: 'name', render: (v: string, m) => <Link to={`/residents/${m.id}`}>{v}</Link> },
            { title: t('antigen.resident.result'), key: 'result', render: (_, m) => <AntigenTag t={t} result={m.latest?.result} /> },
            { title: t('antigen.resident.testedAt'), key: 'testedAt', render: (_, m) => (m.latest ? formatTime(m.latest.testedAt) : '—') },
            { title: t('antigen.resident.by'), key: 'by', render: (_, m) => (m.latest ? reporter(t, m.latest.by) : '—') },
            ...(canReport ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, m: MemberRow) => <Space>{reportButton(m)}</Space> }] : []),
          ]}
        />
      )}
      <DistributeModal
        household={distributing ? household : undefined}
        onClose={() => setDistributing(false)}
        onDone={(r) => {
          setDistributing(false);
          void message.success(t(r.replay ? 'antigen.distributeModal.replay' : 'antigen.distributeModal.done', { count: r.kits, total: r.total }));
          load();
        }}
      />
      <ReportModal
        resident={reporting}
        onClose={() => setReporting(undefined)}
        onDone={(r) => {
          const name = reporting?.name;
          setReporting(undefined);
          if (r.replay) void message.info(t('antigen.reportModal.replay'));
          else if (r.alert) void message.warning(t('antigen.reportModal.doneAlert', { name }));
          else void message.success(t('antigen.reportModal.done', { name, result: t(`antigen.result.${r.result}`) }));
          if (r.alert) alertsChanged();
          load();
        }}
      />
    </Card>
  );
}
