// Residents and households per child place (bar) and each child's share of the residents (pie).
import { useMemo } from 'react';
import { Col, Row } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Place } from '../../api';
import EChart from '../../components/EChart';

export default function PlaceCharts({ children }: { children: Place[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const shown = useMemo(() => children.filter((c) => c.kind !== 'entrance').slice(0, 40), [children]);
  const bar = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 12, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
      xAxis: { type: 'category', data: shown.map((c) => c.name), axisLabel: { interval: 0, rotate: shown.length > 8 ? 35 : 0, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
      series: [
        { name: t('place.residents'), type: 'bar', data: shown.map((c) => c.residents), itemStyle: { color: '#1456b8' }, barMaxWidth: 28 },
        { name: t('place.households'), type: 'bar', data: shown.map((c) => c.households), itemStyle: { color: '#8fb3e6' }, barMaxWidth: 28 },
      ],
    }),
    [shown, t],
  );
  const pieItems = useMemo(() => shown.filter((c) => c.residents > 0), [shown]);
  const pie = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { type: 'scroll', bottom: 0, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
      series: [
        {
          name: t('place.residents'),
          type: 'pie',
          radius: ['34%', '70%'],
          center: ['50%', '44%'],
          label: { show: pieItems.length <= 6, position: 'inside', fontSize: 11, color: '#fff', formatter: (p: { percent: number }) => `${Math.round(p.percent)}%` },
          data: pieItems.map((c) => ({ name: c.name, value: c.residents })),
        },
      ],
    }),
    [pieItems, t],
  );
  if (!shown.length) return null;
  return (
    <Row gutter={12}>
      <Col xs={24} lg={16}>
        <div className="fk-muted" style={{ fontSize: 12, marginBottom: 4 }}>{t('place.chartPerChild')}</div>
        <EChart option={bar} height={240} onClick={(p) => shown[p.dataIndex] && navigate(`/places/${shown[p.dataIndex].id}`)} />
      </Col>
      <Col xs={24} lg={8}>
        <div className="fk-muted" style={{ fontSize: 12, marginBottom: 4 }}>{t('place.chartShare')}</div>
        <EChart option={pie} height={240} onClick={(p) => pieItems[p.dataIndex] && navigate(`/places/${pieItems[p.dataIndex].id}`)} />
      </Col>
    </Row>
  );
}
