// 核酸检测记录: a resident's samples in every campaign and their results, on their page.
import { useEffect, useState } from 'react';
import { Card, Empty, Grid, Table } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { results, type ResidentTest } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import { formatTime } from '../../../utils/time';
import { poolLabel, ResultTag } from './labels';
import './clearance.css';
import { useOfflineEmpty } from '../../../components/LoadFailed';

export default function ResidentTestsCard({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const mobile = Grid.useBreakpoint().md === false;
  const [items, setItems] = useState<ResidentTest[]>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    setItems(undefined);
    setFailed(false);
    results.residentTests(residentId).then(
      (r) => setItems(r.items),
      () => setFailed(true),
    );
  }, [residentId]);

  if (!can('registry.read')) return null;

  const empty = (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={failed ? t('clearance.tests.failed') : t('clearance.tests.empty')} />
  );

  return (
    <Card size="small" title={<span><ExperimentOutlined /> {t('clearance.tests.title')}</span>} style={{ marginTop: 12 }} data-testid="resident-tests">
      {mobile ? (
        <div className="fk-mlist">
          {!items?.length ? (
            <div className="fk-mlist-empty">{items || failed ? empty : null}</div>
          ) : (
            items.map((x, i) => (
              <div className="fk-mlist-item" key={`${x.tube}-${i}`}>
                <div className="fk-mlist-line">
                  <ResultTag t={t} result={x.result} />
                  <span>{formatTime(x.sampledAt)}</span>
                  <span className="fk-mono fk-muted">{x.tube}</span>
                </div>
                <div className="fk-muted" style={{ fontSize: 12 }}>
                  {x.campaign} · {t('testing.roundN', { n: x.round })} · {x.site} · {poolLabel(t, x.poolSize)}
                </div>
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<ResidentTest>
          size="small"
          rowKey={(x) => `${x.tube}-${x.sampledAt}`}
          loading={!items && !failed}
          dataSource={items ?? []}
          pagination={(items?.length ?? 0) > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          columns={[
            { title: t('clearance.tests.sampledAt'), dataIndex: 'sampledAt', render: (v: string) => formatTime(v) },
            { title: t('clearance.tests.campaign'), key: 'campaign', render: (_, x) => `${x.campaign} · ${t('testing.roundN', { n: x.round })}` },
            { title: t('clearance.tests.site'), dataIndex: 'site' },
            { title: t('clearance.tube'), dataIndex: 'tube', render: (v: string, x) => <span><span className="fk-mono">{v}</span> <span className="fk-muted">{poolLabel(t, x.poolSize)}</span></span> },
            { title: t('clearance.result.title'), dataIndex: 'result', render: (v) => <ResultTag t={t} result={v} /> },
            { title: t('clearance.tests.resultAt'), dataIndex: 'resultAt', render: (v: string | null) => formatTime(v) },
          ]}
        />
      )}
    </Card>
  );
}
