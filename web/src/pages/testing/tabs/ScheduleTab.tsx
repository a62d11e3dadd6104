// 分时段排班: buildings called to their nearest site slot by slot so that no lane's queue grows
// past a limit. Parameters → plan; the finish time and who does not fit; per site; the queue
// the plan would cause over the day (simulated); the slots by building and time, which an
// officer can move — the simulation is redone after every move.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Col, Empty, Form, Grid, InputNumber, Popconfirm, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CalendarOutlined, EditOutlined, NotificationOutlined, ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api';
import { schedule, type SchedulePlan, type SitePlan, type Slot } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import { errorText, useErrorMessage } from '../../../components/useErrorMessage';
import type { TabProps } from '../CampaignPage';
import QueueChart from '../campaign/QueueChart';
import ScopedPlaceSelect from '../campaign/ScopedPlaceSelect';
import SlotEditModal from '../campaign/SlotEditModal';
import SlotNoticesModal from '../../notices/SlotNoticesModal';
import type { SlotNotices } from '../../../api/notices';
import { duration, hm, mdhm, shDay, shortSpan } from '../campaign/time';
import '../campaign/campaign.css';

interface Params {
  secondsPerSwab: number;
  maxQueuePerLane: number;
  slotMinutes: number;
  turnout: number;
}

const SLOT_LIMIT = 2000;

export default function ScheduleTab({ campaign, round }: TabProps) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const showError = useErrorMessage();
  const manage = can('testing.manage');
  const notify = can('notices.send');
  const [notifying, setNotifying] = useState(false);
  const [notified, setNotified] = useState<SlotNotices>();
  const mobile = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<Params>();
  const [plan, setPlan] = useState<SchedulePlan | null>();
  const [planError, setPlanError] = useState<string>();
  const [planning, setPlanning] = useState(false);
  const [slots, setSlots] = useState<Slot[]>();
  const [slotsLoading, setSlotsLoading] = useState(false);
  const [filter, setFilter] = useState<{ siteId?: number; placeId?: number }>({});
  const [editing, setEditing] = useState<Slot>();
  const plannable = campaign.sites.filter((s) => !s.doorToDoor);
  const hasSites = plannable.length > 0;

  const loadPlan = useCallback(() => {
    if (!hasSites) return setPlan(null);
    schedule.get(round.id).then(setPlan, (err) => {
      setPlan(null);
      showError(err);
    });
  }, [round.id, hasSites, showError]);

  const loadSlots = useCallback(() => {
    if (!hasSites) return setSlots([]);
    setSlotsLoading(true);
    schedule
      .slots(round.id, { ...filter, limit: SLOT_LIMIT })
      // by time, then site, then building in the order people count them (2号楼 before 10号楼)
      .then((r) =>
        setSlots(
          [...r.items].sort(
            (a, b) => a.startsAt.localeCompare(b.startsAt) || a.site.localeCompare(b.site, 'zh-CN', { numeric: true }) || a.building.localeCompare(b.building, 'zh-CN', { numeric: true }),
          ),
        ),
      )
      .catch(showError)
      .finally(() => setSlotsLoading(false));
  }, [round.id, hasSites, filter, showError]);

  useEffect(() => {
    setPlan(undefined);
    loadPlan();
  }, [loadPlan]);
  useEffect(loadSlots, [loadSlots]);

  const runPlan = async () => {
    let v: Params;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setPlanning(true);
    setPlanError(undefined);
    try {
      const p = await schedule.plan(round.id, v);
      setPlan(p);
      loadSlots();
    } catch (err) {
      if (err instanceof ApiError && err.field && err.field in v) form.setFields([{ name: err.field as keyof Params, errors: [err.text(i18n.language)] }]);
      else if (!(err instanceof ApiError && err.sessionLost)) setPlanError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setPlanning(false);
    }
  };

  const simBySite = useMemo(() => new Map((plan?.simulation.sites ?? []).map((s) => [s.siteId, s])), [plan]);
  const limit = plan?.parameters.maxQueuePerLane ?? 15;
  const roundDay = shDay(round.startsAt);
  const time = (iso: string | null) => (iso && shDay(iso) !== roundDay ? mdhm(iso) : hm(iso));

  const siteColumns: ColumnsType<SitePlan> = [
    { title: t('testing.schedule.site'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('testing.sites.lanes'), dataIndex: 'lanes', align: 'right', width: 64 },
    { title: t('testing.schedule.capacity'), dataIndex: 'capacityPerHour', align: 'right', width: 100 },
    { title: t('testing.schedule.people'), dataIndex: 'people', align: 'right', width: 80 },
    { title: t('testing.schedule.hours'), key: 'hours', width: 110, render: (_, s) => <span className="fk-mono">{s.opensAt ? `${hm(s.opensAt)}–${hm(s.closesAt)}` : '—'}</span> },
    { title: t('testing.schedule.firstSlot'), dataIndex: 'firstSlotAt', width: 90, render: (v: string | null) => <span className="fk-mono">{time(v)}</span> },
    { title: t('testing.schedule.finish'), dataIndex: 'finishesAt', width: 90, render: (v: string | null) => <span className="fk-mono">{time(v)}</span> },
    {
      title: t('testing.schedule.maxQueue'),
      key: 'maxq',
      align: 'right',
      width: 110,
      render: (_, s) => {
        const q = simBySite.get(s.siteId)?.maxWaitingPerLane;
        return q === undefined ? '—' : <span style={{ color: q > limit ? '#cf1322' : undefined, fontWeight: q > limit ? 600 : undefined }}>{q}</span>;
      },
    },
    {
      title: t('testing.schedule.wait'),
      key: 'wait',
      width: 150,
      render: (_, s) => {
        const sim = simBySite.get(s.siteId);
        return sim ? t('testing.schedule.waitValue', { mean: duration(sim.meanWaitSeconds, t), p95: duration(sim.p95WaitSeconds, t) }) : '—';
      },
    },
    {
      title: t('testing.schedule.overflow'),
      dataIndex: 'overflow',
      align: 'right',
      width: 90,
      render: (v: number) => (v ? <Tag color="red" style={{ marginInlineEnd: 0 }}>{v}</Tag> : <span className="fk-muted">0</span>),
    },
  ];

  const slotColumns: ColumnsType<Slot> = [
    {
      title: t('testing.schedule.slotTime'),
      key: 'time',
      render: (_, s) => (
        <span className="fk-mono" style={{ whiteSpace: 'nowrap' }}>
          {shDay(s.startsAt) === roundDay && shDay(s.endsAt) === roundDay ? `${hm(s.startsAt)}–${hm(s.endsAt)}` : shortSpan(s.startsAt, s.endsAt)}
        </span>
      ),
    },
    {
      title: t('testing.schedule.building'),
      dataIndex: 'building',
      render: (v: string, s) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/places/${s.placeId}`}>{v}</Link>
          {s.within && <span className="fk-campaign-sub">{s.within}</span>}
          {mobile && <span className="fk-campaign-sub">{s.site}</span>}
        </Space>
      ),
    },
    ...(mobile ? [] : ([{ title: t('testing.schedule.site'), dataIndex: 'site' }] as ColumnsType<Slot>)),
    { title: t('testing.schedule.people'), dataIndex: 'people', align: 'right', width: 80 },
    ...(manage || notify
      ? ([
          {
            title: t('common.actions'),
            key: 'a',
            width: mobile ? 88 : 160,
            render: (_, s) => (
              <Space size={mobile ? 0 : 8}>
              {notify && (
                <Link
                  to={`/notices/new?${new URLSearchParams({ place: String(s.placeId), placeName: s.building, slot: `${hm(s.startsAt)}–${hm(s.endsAt)}`, site: s.site })}`}
                  aria-label={t('notices.slots.notifyOneTitle')}
                  title={t('notices.slots.notifyOneTitle')}
                  data-testid={`notify-slot-${s.id}`}
                >
                  <NotificationOutlined /> {mobile ? null : t('notices.slots.notifyOne')}
                </Link>
              )}
              {manage && <Button
                size="small"
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditing(s)}
                data-testid={`move-slot-${s.id}`}
                aria-label={t('testing.schedule.move')}
                title={t('testing.schedule.move')}
                style={{ paddingInline: 0 }}
              >
                {mobile ? null : t('testing.schedule.move')}
              </Button>}
              </Space>
            ),
          },
        ] as ColumnsType<Slot>)
      : []),
  ];

  if (!hasSites) {
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <Space orientation="vertical" size={2}>
            <Typography.Text>{t('testing.schedule.noSites')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('testing.schedule.noSitesHint')}
            </Typography.Text>
          </Space>
        }
        style={{ padding: '32px 0' }}
        data-testid="schedule-no-sites"
      >
        <Link to={{ search: `?tab=sites&round=${round.id}` }}>
          <Button type="primary">{t('testing.schedule.toSites')}</Button>
        </Link>
      </Empty>
    );
  }

  const planButton = (
    <Button type="primary" icon={<ThunderboltOutlined />} loading={planning} onClick={plan ? undefined : runPlan} data-testid="run-plan">
      {plan ? t('testing.schedule.replan') : t('testing.schedule.plan')}
    </Button>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="schedule-tab">
      {manage && (
        <Card size="small" title={t('testing.schedule.parameters')} extra={<span className="fk-muted" style={{ fontSize: 12 }}>{t('testing.roundN', { n: round.number })}</span>}>
          <Form<Params>
            form={form}
            layout="inline"
            className="fk-plan-form"
            requiredMark={false}
            initialValues={{ secondsPerSwab: campaign.secondsPerSwab, maxQueuePerLane: 15, slotMinutes: 30, turnout: 1 }}
            data-testid="plan-form"
          >
            <Form.Item name="secondsPerSwab" label={t('testing.new.secondsPerSwab')} rules={[{ required: true }]}>
              <InputNumber min={5} max={600} precision={0} suffix={t('testing.units.secondsShort')} />
            </Form.Item>
            <Form.Item name="maxQueuePerLane" label={t('testing.schedule.maxQueuePerLane')} rules={[{ required: true }]} tooltip={t('testing.schedule.maxQueueHint')}>
              <InputNumber min={1} max={200} precision={0} suffix={t('testing.units.people')} />
            </Form.Item>
            <Form.Item name="slotMinutes" label={t('testing.schedule.slotMinutes')} rules={[{ required: true }]}>
              <InputNumber min={10} max={240} step={5} precision={0} suffix={t('testing.units.min')} />
            </Form.Item>
            <Form.Item name="turnout" label={t('testing.schedule.turnout')} rules={[{ required: true }]} tooltip={t('testing.schedule.turnoutHint')}>
              <InputNumber min={0.05} max={1} step={0.05} precision={2} />
            </Form.Item>
            <Form.Item style={{ marginInlineEnd: 0 }}>
              {plan ? (
                <Popconfirm title={t('testing.schedule.replanConfirm')} okText={t('testing.schedule.replan')} cancelText={t('common.cancel')} onConfirm={runPlan}>
                  {planButton}
                </Popconfirm>
              ) : (
                planButton
              )}
            </Form.Item>
          </Form>
          {planError && <Alert type="error" showIcon title={planError} style={{ marginTop: 8 }} data-testid="plan-error" />}
        </Card>
      )}

      {plan === undefined ? (
        <Skeleton active />
      ) : plan === null ? (
        <Card size="small">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <Space orientation="vertical" size={2}>
                <Typography.Text>{t('testing.schedule.empty')}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {manage ? t('testing.schedule.emptyManage') : t('testing.schedule.emptyRead')}
                </Typography.Text>
              </Space>
            }
            data-testid="schedule-empty"
          />
        </Card>
      ) : (
        <>
          {plan.stale && (
            <Alert
              type="warning"
              showIcon
              data-testid="plan-stale-alert"
              title={t(manage ? 'testing.schedule.staleAlert' : 'testing.schedule.staleRead', plan.stale)}
              action={
                manage ? (
                  <Popconfirm title={t('testing.schedule.replanConfirm')} okText={t('testing.schedule.replan')} cancelText={t('common.cancel')} onConfirm={runPlan}>
                    <Button size="small" type="primary" icon={<ThunderboltOutlined />} loading={planning} data-testid="stale-replan">
                      {t('testing.schedule.replan')}
                    </Button>
                  </Popconfirm>
                ) : undefined
              }
            />
          )}
          {plan.unplaced > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="unplaced-alert"
              title={t('testing.schedule.unplacedAlert', { count: plan.unplaced })}
              action={
                <Link to={{ search: `?tab=sites&round=${round.id}` }}>
                  <Button size="small">{t('testing.schedule.toSites')}</Button>
                </Link>
              }
            />
          )}
          {plan.simulation.maxWaitingPerLane > limit && (
            <Alert type="warning" showIcon data-testid="queue-alert" title={t('testing.schedule.queueAlert', { max: plan.simulation.maxWaitingPerLane, limit })} />
          )}
          <Card
            size="small"
            title={t('testing.schedule.summary')}
            extra={plan.plannedAt ? <span className="fk-muted" style={{ fontSize: 12 }} data-testid="plan-planned-at">{t('testing.schedule.plannedAt', { time: mdhm(plan.plannedAt) })}</span> : undefined}
            data-testid="plan-summary"
          >
            <Row gutter={[12, 12]} className="fk-stat-sm">
              <Col xs={12} sm={8} md={4}>
                <Statistic title={t('testing.schedule.finishAll')} value={plan.finishesAt ? time(plan.finishesAt) : '—'} data-testid="plan-finish" />
              </Col>
              <Col xs={12} sm={8} md={4}>
                <Statistic
                  title={t('testing.schedule.placed')}
                  value={plan.sites.reduce((a, x) => a + x.people, 0)}
                  suffix={<span className="fk-muted" style={{ fontSize: 13 }}>/ {plan.people}</span>}
                  data-testid="plan-placed"
                />
              </Col>
              <Col xs={12} sm={8} md={4}>
                <Statistic title={t('testing.schedule.buildings')} value={plan.buildings} />
              </Col>
              <Col xs={12} sm={8} md={4}>
                <Statistic title={t('testing.schedule.slots')} value={plan.slots} />
              </Col>
              <Col xs={12} sm={8} md={4}>
                <Statistic
                  title={t('testing.schedule.maxQueue')}
                  value={plan.simulation.maxWaitingPerLane}
                  suffix={<span className="fk-muted" style={{ fontSize: 13 }}>/ {limit}</span>}
                  styles={{ content: { color: plan.simulation.maxWaitingPerLane > limit ? '#cf1322' : undefined } }}
                />
              </Col>
              <Col xs={12} sm={8} md={4}>
                <Statistic title={t('testing.schedule.unplaced')} value={plan.unplaced} styles={{ content: { color: plan.unplaced ? '#cf1322' : undefined } }} data-testid="plan-unplaced" />
              </Col>
            </Row>
            <Table<SitePlan>
              size="small"
              rowKey="siteId"
              columns={siteColumns}
              dataSource={plan.sites}
              pagination={plan.sites.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
              scroll={{ x: 'max-content' }}
              style={{ marginTop: 12 }}
              className="fk-nowrap-head"
              data-testid="plan-sites"
            />
          </Card>
          <Card size="small" title={t('testing.schedule.queueTitle')} extra={mobile ? undefined : <span className="fk-muted" style={{ fontSize: 12 }}>{t('testing.schedule.queueHint')}</span>}>
            <QueueChart plan={plan} />
          </Card>
        </>
      )}

      {plan && (
        <Card
          size="small"
          title={
            <Space size={6}>
              <CalendarOutlined />
              {t('testing.schedule.slotsTitle')}
            </Space>
          }
          extra={
            <Space size={8}>
              {notify && (
                <Button size="small" icon={<NotificationOutlined />} onClick={() => setNotifying(true)} disabled={!slots?.length} data-testid="send-slot-notices">
                  {mobile ? null : t('notices.slots.action')}
                </Button>
              )}
              <Button size="small" icon={<ReloadOutlined />} onClick={loadSlots} loading={slotsLoading} aria-label={t('testing.refresh')} title={t('testing.refresh')} />
            </Space>
          }
          data-testid="slots-card"
        >
          {notified && notified.roundId === round.id && (
            <Alert
              type="success"
              showIcon
              closable
              onClose={() => setNotified(undefined)}
              style={{ marginBottom: 8 }}
              title={t('notices.slots.done', { notices: notified.notices.length, count: notified.recipients })}
              action={
                <Link to={`/notices?round=${round.id}`} data-testid="slot-notices-sent">
                  {t('notices.slots.toNotices')}
                </Link>
              }
            />
          )}
          <div className="fk-slot-filters">
            <Select
              allowClear
              placeholder={t('testing.schedule.filterSite')}
              aria-label={t('testing.schedule.filterSite')}
              style={{ width: 200 }}
              value={filter.siteId}
              onChange={(siteId) => setFilter((f) => ({ ...f, siteId }))}
              options={plannable.map((s) => ({ value: s.id, label: s.name }))}
              data-testid="slot-filter-site"
            />
            <ScopedPlaceSelect
              rootId={campaign.placeId}
              allowClear
              placeholder={t('testing.schedule.filterPlace')}
              style={{ width: 240 }}
              value={filter.placeId}
              onChange={(placeId) => setFilter((f) => ({ ...f, placeId }))}
              data-testid="slot-filter-place"
            />
            <span className="fk-muted" style={{ fontSize: 12 }}>
              {slots ? t('testing.schedule.slotCount', { count: slots.length }) : ''}
            </span>
          </div>
          {slots && slots.length >= SLOT_LIMIT && <Alert type="info" showIcon title={t('testing.schedule.slotsCapped', { n: SLOT_LIMIT })} style={{ marginBottom: 8 }} />}
          <Table<Slot>
            size="small"
            rowKey="id"
            columns={slotColumns}
            dataSource={slots ?? []}
            loading={slotsLoading}
            pagination={(slots?.length ?? 0) > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
            scroll={mobile ? undefined : { x: 'max-content' }}
            className="fk-nowrap-head"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filter.siteId || filter.placeId ? t('testing.schedule.noSlotsFiltered') : t('testing.schedule.noSlots')} /> }}
            data-testid="slots-table"
          />
        </Card>
      )}

      {notify && <SlotNoticesModal
          open={notifying}
          roundId={round.id}
          roundNumber={round.number}
          rootId={campaign.placeId}
          onClose={() => setNotifying(false)}
          onSent={(r) => {
            setNotifying(false);
            setNotified(r);
          }}
        />}
      {manage && (
        <SlotEditModal
          slot={editing}
          sites={campaign.sites}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            loadSlots();
            loadPlan();
          }}
        />
      )}
    </Space>
  );
}
