// The simulated queue per lane at each site over the day, one line per site, with the limit
// the plan keeps to as a mark line. With many sites: the ten longest queues, or the ones picked.
import { useMemo, useState } from 'react';
import { Empty, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SchedulePlan } from '../../../api/testing';
import EChart from '../../../components/EChart';
import { PALETTE, shanghaiHm } from './charts';

const TOP = 10;

export default function QueueChart({ plan, height = 300 }: { plan: SchedulePlan; height?: number }) {
  const { t } = useTranslation();
  const names = useMemo(() => new Map(plan.sites.map((s) => [s.siteId, s.name])), [plan.sites]);
  const ranked = useMemo(() => [...plan.simulation.sites].sort((a, b) => b.maxWaitingPerLane - a.maxWaitingPerLane), [plan.simulation.sites]);
  const [picked, setPicked] = useState<number[]>();
  const shown = useMemo(() => {
    const ids = picked?.length ? new Set(picked) : new Set(ranked.slice(0, TOP).map((s) => s.siteId));
    return ranked.filter((s) => ids.has(s.siteId));
  }, [picked, ranked]);
  const limit = plan.parameters.maxQueuePerLane;

  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v: number) => t('testing.schedule.perLaneValue', { n: Math.round(v * 10) / 10 }),
        axisPointer: { label: { formatter: (p: { value: number }) => shanghaiHm(p.value) } },
      },
      legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'time', axisLabel: { fontSize: 11, formatter: (v: number) => shanghaiHm(v), hideOverlap: true }, splitLine: { show: false } },
      yAxis: {
        type: 'value',
        min: 0,
        max: (v: { max: number }) => Math.max(Math.ceil(v.max), limit + 2),
        axisLabel: { fontSize: 11 },
      },
      series: shown.map((s, i) => ({
        name: names.get(s.siteId) ?? `#${s.siteId}`,
        type: 'line',
        showSymbol: false,
        smooth: false,
        lineStyle: { width: 1.6 },
        itemStyle: { color: PALETTE[i % PALETTE.length] },
        data: s.points.map((p) => [Date.parse(p.at), p.waitingPerLane]),
        ...(i === 0
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#cf1322', type: 'dashed', width: 1.5 },
                label: { formatter: t('testing.schedule.limitLabel', { n: limit }), color: '#cf1322', fontSize: 11, position: 'insideEndTop' },
                data: [{ yAxis: limit }],
              },
            }
          : {}),
      })),
    }),
    [shown, names, limit, t],
  );

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="queue-chart">
      {ranked.length > 1 && (
        <div className="fk-slot-filters">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {picked?.length ? t('testing.schedule.chartPicked', { count: shown.length }) : t('testing.schedule.chartTop', { count: Math.min(TOP, ranked.length), total: ranked.length })}
          </Typography.Text>
          <Select
            mode="multiple"
            allowClear
            size="small"
            maxTagCount="responsive"
            style={{ minWidth: 220, flex: '1 1 220px', maxWidth: 560 }}
            placeholder={t('testing.schedule.chartPick')}
            aria-label={t('testing.schedule.chartPick')}
            value={picked}
            onChange={setPicked}
            optionFilterProp="label"
            options={ranked.map((s) => ({ value: s.siteId, label: `${names.get(s.siteId) ?? s.siteId} · ${t('testing.schedule.maxPerLane', { n: s.maxWaitingPerLane })}` }))}
            data-testid="chart-sites"
          />
        </div>
      )}
      {shown.length && shown.some((s) => s.points.length) ? (
        <EChart option={option} height={height} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('testing.schedule.chartEmpty')} />
      )}
    </Space>
  );
}
