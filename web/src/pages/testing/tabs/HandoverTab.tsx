// Handover (转运交接): sealed tubes packed into boxes at the site, a box handed to transport,
// received by the lab, which scans what arrived — missing and extra tubes are the receipt report.
// Each step shows who did it and when.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Form, Grid, Input, Modal, Result, Row, Space, Spin, Statistic, Table, Tag, Tooltip, Typography, type InputRef } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CarOutlined, DropboxOutlined, ExperimentOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api';
import { handover, type Box, type BoxSummary } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import { errorText, useErrorMessage } from '../../../components/useErrorMessage';
import { formatTime } from '../../../utils/time';
import type { TabProps } from '../CampaignPage';
import { BoxStateTag, fieldIndex, poolLabel, ResultTag } from '../clearance/labels';
import TubeScanInput from '../clearance/TubeScanInput';
import '../clearance/clearance.css';
import { useOfflineEmpty } from '../../../components/LoadFailed';

const CARRIER_KEY = 'fk.handover.carrier';
const LAB_KEY = 'fk.handover.lab';
const remembered = (k: string) => {
  try {
    return localStorage.getItem(k) ?? '';
  } catch {
    return '';
  }
};
const remember = (k: string, v: string) => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* storage may be unavailable */
  }
};

/** Who and when, on two short lines. */
function Step({ who, at, extra }: { who: string | null; at: string | null; extra?: string | null }) {
  if (!at) return <span className="fk-muted">—</span>;
  return (
    <div style={{ lineHeight: 1.35, whiteSpace: 'nowrap' }}>
      {extra && <div style={{ fontWeight: 500 }}>{extra}</div>}
      <div>{who ?? '—'}</div>
      <div className="fk-muted" style={{ fontSize: 12 }}>{formatTime(at)}</div>
    </div>
  );
}

function ReceiptReport({ box }: { box: Box | BoxSummary }) {
  const { t } = useTranslation();
  if (!box.receipt) return null;
  const { missing, extra } = box.receipt;
  if (!missing.length && !extra.length) {
    return <Alert type="success" showIcon title={t('clearance.box.receiptOk', { count: 'tubes' in box ? box.tubes.length : box.tubeCount })} data-testid="receipt-ok" />;
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="receipt-report"
      title={t('clearance.box.receiptProblem', { missing: missing.length, extra: extra.length })}
      description={
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          {missing.length > 0 && (
            <div data-testid="receipt-missing">
              <Typography.Text strong type="danger">{t('clearance.box.missingTubes')}</Typography.Text>
              <div style={{ marginTop: 2 }}>
                {missing.map((b) => (
                  <Tag key={b} color="red" className="fk-mono" style={{ marginBottom: 4 }}>{b}</Tag>
                ))}
              </div>
            </div>
          )}
          {extra.length > 0 && (
            <div data-testid="receipt-extra">
              <Typography.Text strong style={{ color: 'var(--ant-color-warning)' }}>{t('clearance.box.extraTubes')}</Typography.Text>
              <div style={{ marginTop: 2 }}>
                {extra.map((b) => (
                  <Tag key={b} color="orange" className="fk-mono" style={{ marginBottom: 4 }}>{b}</Tag>
                ))}
              </div>
            </div>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('clearance.box.receiptHint')}</Typography.Text>
        </Space>
      }
    />
  );
}

/** A box's tubes and results, loaded when its row is opened. */
function BoxDetail({ barcode }: { barcode: string }) {
  const { t } = useTranslation();
  const showError = useErrorMessage();
  const [box, setBox] = useState<Box>();
  useEffect(() => {
    handover.box(barcode).then(setBox, showError);
  }, [barcode, showError]);
  if (!box) return <Spin size="small" />;
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid={`box-detail-${barcode}`}>
      <ReceiptReport box={box} />
      <Table
        size="small"
        rowKey="barcode"
        pagination={box.tubes && box.tubes.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
        dataSource={box.tubes ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('clearance.tube'), dataIndex: 'barcode', render: (v: string) => <span className="fk-mono">{v}</span> },
          { title: t('clearance.box.people'), key: 'people', render: (_, r) => `${r.people} · ${poolLabel(t, r.poolSize)}` },
          {
            title: t('clearance.box.atReceipt'),
            key: 'receipt',
            render: (_, r) =>
              box.receipt ? (
                box.receipt.missing.includes(r.barcode) ? <Tag color="red">{t('clearance.box.notArrived')}</Tag> : <Tag color="green">{t('clearance.box.arrived')}</Tag>
              ) : (
                <span className="fk-muted">—</span>
              ),
          },
          { title: t('clearance.result.title'), dataIndex: 'result', render: (v) => <ResultTag t={t} result={v} /> },
        ]}
      />
    </Space>
  );
}

export default function HandoverTab({ round }: TabProps) {
  const { t, i18n } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [boxes, setBoxes] = useState<BoxSummary[]>();
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<string[]>([]);
  const canPack = can('testing.sample');
  const canReceive = can('testing.lab');

  const load = useCallback(() => {
    setLoading(true);
    handover
      .boxes(round.id)
      .then((r) => setBoxes(r.items))
      .catch(showError)
      .finally(() => setLoading(false));
  }, [round.id, showError]);
  useEffect(load, [load]);

  // ---- pack
  const [boxCode, setBoxCode] = useState('');
  const [tubes, setTubes] = useState<string[]>([]);
  const [packErrors, setPackErrors] = useState<Record<number, string>>({});
  const [boxError, setBoxError] = useState<string>();
  const [packError, setPackError] = useState<string>();
  const [packing, setPacking] = useState(false);
  const tubeInput = useRef<InputRef>(null);
  const receiveInput = useRef<InputRef>(null);
  const labInput = useRef<InputRef>(null);
  const carrierInput = useRef<InputRef>(null);

  const pack = async () => {
    const code = boxCode.trim();
    if (!code) return setBoxError(t('clearance.box.barcodeRequired'));
    if (!tubes.length) return setPackError(t('clearance.box.tubesRequired'));
    setPacking(true);
    setPackErrors({});
    setBoxError(undefined);
    setPackError(undefined);
    try {
      const box = await handover.pack(code, tubes);
      void message.success(t('clearance.box.packed', { box: box.barcode, count: box.tubes?.length ?? tubes.length }));
      setBoxCode('');
      setTubes([]);
      load();
    } catch (err) {
      const text = errorText(err, i18n.language, t('errors.unexpected'));
      const field = err instanceof ApiError ? err.field : undefined;
      const i = fieldIndex(field, 'tubes');
      if (i !== null && i < tubes.length) setPackErrors({ [i]: text });
      else if (field === 'barcode') setBoxError(text);
      else setPackError(text);
      if (!(err instanceof ApiError)) showError(err);
    } finally {
      setPacking(false);
    }
  };

  // ---- hand over
  const [handing, setHanding] = useState<BoxSummary>();
  const [carrier, setCarrier] = useState('');
  const [busy, setBusy] = useState(false);
  const [stepError, setStepError] = useState<string>();
  const openHandOver = (b: BoxSummary) => {
    setHanding(b);
    setCarrier(remembered(CARRIER_KEY));
    setStepError(undefined);
  };
  const doHandOver = async () => {
    if (!handing || !carrier.trim()) return;
    setBusy(true);
    try {
      await handover.handOver(handing.barcode, carrier.trim());
      remember(CARRIER_KEY, carrier.trim());
      void message.success(t('clearance.box.handedOver', { box: handing.barcode }));
      setHanding(undefined);
      load();
    } catch (err) {
      setStepError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  // ---- receive
  const [receiving, setReceiving] = useState<BoxSummary>();
  const [labName, setLabName] = useState('');
  const [scanned, setScanned] = useState<string[]>([]);
  const [scanErrors, setScanErrors] = useState<Record<number, string>>({});
  const [received, setReceived] = useState<Box>();
  const openReceive = (b: BoxSummary) => {
    setReceiving(b);
    setReceived(undefined);
    setLabName(remembered(LAB_KEY));
    setScanned([]);
    setScanErrors({});
    setStepError(undefined);
  };
  const doReceive = async () => {
    if (!receiving || !labName.trim() || !scanned.length) return;
    setBusy(true);
    setScanErrors({});
    setStepError(undefined);
    try {
      const box = await handover.receive(receiving.barcode, labName.trim(), scanned);
      remember(LAB_KEY, labName.trim());
      setReceived(box);
      load();
    } catch (err) {
      const text = errorText(err, i18n.language, t('errors.unexpected'));
      const i = fieldIndex(err instanceof ApiError ? err.field : undefined, 'tubes');
      if (i !== null && i < scanned.length) setScanErrors({ [i]: text });
      else setStepError(text);
    } finally {
      setBusy(false);
    }
  };

  const counts = useMemo(() => {
    const c = { packed: 0, in_transit: 0, received: 0, problems: 0, tubes: 0 };
    for (const b of boxes ?? []) {
      c[b.state]++;
      c.tubes += b.tubeCount;
      if (b.receipt && (b.receipt.missing.length || b.receipt.extra.length)) c.problems++;
    }
    return c;
  }, [boxes]);

  const contents = (b: BoxSummary) => `${t('clearance.box.tubesN', { count: b.tubeCount })} · ${t('clearance.box.peopleN', { count: b.people })}`;

  const actions = (b: BoxSummary) => (
    <Space size={4}>
      {b.state === 'packed' && canPack && (
        <Button size="small" icon={<CarOutlined />} onClick={() => openHandOver(b)} data-testid={`handover-${b.barcode}`}>
          {t('clearance.box.handOver')}
        </Button>
      )}
      {b.state === 'in_transit' && canReceive && (
        <Button size="small" type="primary" icon={<ExperimentOutlined />} onClick={() => openReceive(b)} data-testid={`receive-${b.barcode}`}>
          {t('clearance.box.receive')}
        </Button>
      )}
    </Space>
  );

  const receiptCell = (b: BoxSummary) =>
    !b.receipt ? (
      <span className="fk-muted">—</span>
    ) : !b.receipt.missing.length && !b.receipt.extra.length ? (
      <Tag color="green">{t('clearance.box.complete')}</Tag>
    ) : (
      <Space size={2} wrap>
        {b.receipt.missing.length > 0 && (
          <Tooltip title={b.receipt.missing.join(', ')}>
            <Tag color="red" data-testid="receipt-missing-tag">{t('clearance.box.missingN', { count: b.receipt.missing.length })}</Tag>
          </Tooltip>
        )}
        {b.receipt.extra.length > 0 && (
          <Tooltip title={b.receipt.extra.join(', ')}>
            <Tag color="orange">{t('clearance.box.extraN', { count: b.receipt.extra.length })}</Tag>
          </Tooltip>
        )}
      </Space>
    );

  const columns: ColumnsType<BoxSummary> = [
    {
      title: t('clearance.box.barcode'),
      dataIndex: 'barcode',
      fixed: 'left',
      render: (v: string, b) => (
        <Space size={6}>
          <span className="fk-mono" style={{ fontWeight: 600 }}>{v}</span>
          <BoxStateTag t={t} state={b.state} />
        </Space>
      ),
    },
    { title: t('clearance.box.contents'), key: 'n', render: (_, b) => contents(b) },
    { title: t('clearance.box.packedStep'), key: 'packed', render: (_, b) => <Step who={b.packedBy} at={b.packedAt} /> },
    { title: t('clearance.box.handOverStep'), key: 'handover', render: (_, b) => <Step who={b.handedOverBy} at={b.handedOverAt} extra={b.carrier} /> },
    { title: t('clearance.box.receiveStep'), key: 'receive', render: (_, b) => <Step who={b.receivedBy} at={b.receivedAt} extra={b.labName} /> },
    { title: t('clearance.box.receipt'), key: 'receipt', render: (_, b) => receiptCell(b) },
    { title: t('common.actions'), key: 'actions', render: (_, b) => actions(b) },
  ];

  const empty = (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={canPack ? t('clearance.box.emptyPack') : t('clearance.box.emptyLab')} />
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="handover-tab">
      <Row gutter={[12, 12]} className="fk-cov-totals">
        <Col xs={8} md={4}><Statistic title={t('clearance.box.state.packed')} value={counts.packed} /></Col>
        <Col xs={8} md={4}><Statistic title={t('clearance.box.state.in_transit')} value={counts.in_transit} /></Col>
        <Col xs={8} md={4}><Statistic title={t('clearance.box.state.received')} value={counts.received} /></Col>
        <Col xs={12} md={4}><Statistic title={t('clearance.box.tubesTotal')} value={counts.tubes} /></Col>
        <Col xs={12} md={4}>
          <Statistic title={t('clearance.box.withProblems')} value={counts.problems} styles={{ content: { color: counts.problems ? '#cf1322' : undefined } }} />
        </Col>
      </Row>

      {canPack && (
        <Card size="small" title={<span><InboxOutlined /> {t('clearance.box.packTitle')}</span>} data-testid="pack-form">
          <Row gutter={[16, 8]}>
            <Col xs={24} md={9}>
              <Form layout="vertical" requiredMark={false} component="div">
                <Form.Item label={t('clearance.box.barcode')} validateStatus={boxError ? 'error' : undefined} help={boxError} style={{ marginBottom: 8 }}>
                  <Input
                    value={boxCode}
                    prefix={<DropboxOutlined className="fk-muted" />}
                    placeholder={t('clearance.box.barcodePlaceholder')}
                    onChange={(e) => {
                      setBoxCode(e.target.value);
                      setBoxError(undefined);
                    }}
                    onPressEnter={() => tubeInput.current?.focus()}
                    autoComplete="off"
                    data-testid="box-barcode"
                  />
                </Form.Item>
              </Form>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                {t('clearance.box.packHint')}
              </Typography.Paragraph>
              {!mobile && (
                <Button type="primary" icon={<InboxOutlined />} loading={packing} onClick={pack} disabled={!tubes.length} data-testid="pack-submit">
                  {t('clearance.box.packButton', { count: tubes.length })}
                </Button>
              )}
            </Col>
            <Col xs={24} md={15}>
              <div className="ant-form-item-label" style={{ paddingBottom: 8 }}>
                <label>{t('clearance.box.tubes')}</label>
              </div>
              <TubeScanInput
                value={tubes}
                onChange={(v) => {
                  setTubes(v);
                  setPackErrors({});
                  setPackError(undefined);
                }}
                errors={packErrors}
                testId="pack-tubes"
                inputRef={tubeInput}
              />
              {packError && <Alert type="error" showIcon title={packError} style={{ marginTop: 8 }} data-testid="pack-error" />}
              {mobile && (
                <Button type="primary" block icon={<InboxOutlined />} loading={packing} onClick={pack} disabled={!tubes.length} style={{ marginTop: 8 }} data-testid="pack-submit">
                  {t('clearance.box.packButton', { count: tubes.length })}
                </Button>
              )}
            </Col>
          </Row>
        </Card>
      )}

      <div>
        <div className="fk-section-title">
          <Typography.Title level={5}>{t('clearance.box.listTitle', { n: round.number })}</Typography.Title>
          <span className="fk-muted">{t('clearance.box.listHint')}</span>
          <span style={{ flex: 1 }} />
          <Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading}>
            {t('clearance.refresh')}
          </Button>
        </div>
        {mobile ? (
          <div className="fk-mlist" data-testid="boxes-table">
            {!boxes?.length ? (
              <div className="fk-mlist-empty">{loading ? <Spin /> : empty}</div>
            ) : (
              boxes.map((b) => (
                <div className="fk-mlist-item" key={b.barcode} data-testid={`box-${b.barcode}`}>
                  <div className="fk-mlist-line">
                    <span className="fk-mono" style={{ fontWeight: 600 }}>{b.barcode}</span>
                    <BoxStateTag t={t} state={b.state} />
                    <span className="fk-muted">{contents(b)}</span>
                    <span className="fk-grow" />
                    {actions(b)}
                  </div>
                  <div className="fk-muted" style={{ fontSize: 12 }}>
                    {t('clearance.box.packedStep')} {b.packedBy ?? '—'} {formatTime(b.packedAt)}
                    {b.handedOverAt && ` · ${b.carrier ?? ''} ${formatTime(b.handedOverAt)}`}
                    {b.receivedAt && ` · ${b.labName ?? ''} ${formatTime(b.receivedAt)}`}
                  </div>
                  {b.receipt && <div>{receiptCell(b)}</div>}
                </div>
              ))
            )}
          </div>
        ) : (
          <Table<BoxSummary>
            size="small"
            rowKey="barcode"
            columns={columns}
            dataSource={boxes ?? []}
            loading={loading && !boxes}
            pagination={(boxes?.length ?? 0) > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: offlineEmpty(empty) }}
            expandable={{
              expandedRowKeys: expanded,
              onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
              expandedRowRender: (b) => <BoxDetail barcode={b.barcode} />,
            }}
            onRow={(b) => ({ 'data-testid': `box-${b.barcode}` }) as React.HTMLAttributes<HTMLElement>}
            data-testid="boxes-table"
          />
        )}
      </div>

      <Modal
        open={!!handing}
        title={t('clearance.box.handOverTitle', { box: handing?.barcode })}
        okText={t('clearance.box.handOver')}
        cancelText={t('common.cancel')}
        onOk={doHandOver}
        okButtonProps={{ disabled: !carrier.trim(), loading: busy, 'data-testid': 'handover-ok' }}
        onCancel={() => setHanding(undefined)}
        afterOpenChange={(o) => o && carrierInput.current?.focus()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('clearance.box.handOverExplain', { tubes: handing?.tubeCount ?? 0, people: handing?.people ?? 0 })}
        </Typography.Paragraph>
        <Form layout="vertical" component="div">
          <Form.Item label={t('clearance.box.carrier')} required>
            <Input ref={carrierInput} value={carrier} onChange={(e) => setCarrier(e.target.value)} placeholder={t('clearance.box.carrierPlaceholder')} maxLength={100} onPressEnter={doHandOver} data-testid="carrier" />
          </Form.Item>
        </Form>
        {stepError && <Alert type="error" showIcon title={stepError} />}
      </Modal>

      <Modal
        open={!!receiving}
        title={t('clearance.box.receiveTitle', { box: receiving?.barcode })}
        onCancel={() => setReceiving(undefined)}
        afterOpenChange={(o) => o && (labName ? receiveInput : labInput).current?.focus()}
        destroyOnHidden
        width={560}
        footer={
          received ? (
            <Button type="primary" onClick={() => setReceiving(undefined)} data-testid="receive-done">
              {t('clearance.done')}
            </Button>
          ) : (
            <Space>
              <Button onClick={() => setReceiving(undefined)}>{t('common.cancel')}</Button>
              <Button type="primary" loading={busy} disabled={!labName.trim() || !scanned.length} onClick={doReceive} data-testid="receive-ok">
                {t('clearance.box.receiveButton', { count: scanned.length })}
              </Button>
            </Space>
          )
        }
      >
        {received ? (
          <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="receive-result">
            {received.receipt && !received.receipt.missing.length && !received.receipt.extra.length ? (
              <Result status="success" title={t('clearance.box.receivedTitle', { box: received.barcode })} subTitle={t('clearance.box.receiptOk', { count: received.tubes?.length ?? 0 })} style={{ padding: 16 }} />
            ) : (
              <>
                <Typography.Text strong>{t('clearance.box.receivedTitle', { box: received.barcode })}</Typography.Text>
                <ReceiptReport box={received} />
              </>
            )}
          </Space>
        ) : (
          <>
            <Typography.Paragraph type="secondary">
              {t('clearance.box.receiveExplain', { tubes: receiving?.tubeCount ?? 0 })}
            </Typography.Paragraph>
            <Form layout="vertical" component="div">
              <Form.Item label={t('clearance.box.lab')} required>
                <Input ref={labInput} value={labName} onChange={(e) => setLabName(e.target.value)} placeholder={t('clearance.box.labPlaceholder')} maxLength={100} data-testid="lab-name" />
              </Form.Item>
              <Form.Item label={t('clearance.box.tubesAtReceipt')} required style={{ marginBottom: 0 }}>
                <TubeScanInput
                  value={scanned}
                  onChange={(v) => {
                    setScanned(v);
                    setScanErrors({});
                  }}
                  errors={scanErrors}
                  testId="receive-tubes"
                  inputRef={receiveInput}
                />
              </Form.Item>
            </Form>
            {stepError && <Alert type="error" showIcon title={stepError} style={{ marginTop: 8 }} />}
          </>
        )}
      </Modal>
    </Space>
  );
}
