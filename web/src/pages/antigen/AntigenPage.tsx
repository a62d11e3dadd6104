// 抗原: the community's antigen desk — positives nobody has acted on yet, loud and first; the
// alert list to act on; and how far the kits and the results have got, place by place.
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Card, Space } from 'antd';
import { AlertOutlined, MedicineBoxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { antigen } from '../../api/antigen';
import { useCrumbs } from '../../layout/PageContext';
import AlertsPanel from './AlertsPanel';
import { alertsChanged } from './openAlerts';
import SummaryPanel from './SummaryPanel';
import '../testing/clearance/clearance.css';
import './antigen.css';

export default function AntigenPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const placeId = Number(params.get('place')) || undefined;
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState(0);

  useCrumbs([], `antigen-${i18n.language}`);

  useEffect(() => {
    let alive = true;
    antigen.openCount().then((r) => alive && setOpen(r.open), () => undefined);
    return () => {
      alive = false;
    };
  }, [version]);

  const changed = useCallback(() => {
    setVersion((v) => v + 1);
    alertsChanged();
  }, []);

  const setPlace = (id: number | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('place', String(id));
    else next.delete('place');
    setParams(next);
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="antigen-page">
      {open > 0 && (
        <Alert
          type="error"
          showIcon
          icon={<AlertOutlined />}
          className="fk-antigen-banner"
          title={t('antigen.page.openBanner', { count: open })}
          description={t('antigen.page.openBannerHint')}
          data-testid="antigen-open-banner"
        />
      )}
      <Card
        size="small"
        title={
          <span>
            <AlertOutlined style={{ color: open ? '#cf1322' : undefined }} /> {t('antigen.alerts.title')}
          </span>
        }
      >
        <AlertsPanel version={version} onChanged={changed} />
      </Card>
      <Card
        size="small"
        title={
          <span>
            <MedicineBoxOutlined /> {t('antigen.page.summary')}
          </span>
        }
      >
        <SummaryPanel placeId={placeId} onPlace={setPlace} version={version} />
      </Card>
    </Space>
  );
}
