// Results (检测结果): the lab uploads its result file (tube, result), all or nothing with a row
// report; one tube's result can be recorded by hand (corrections are kept and audit-logged).
// Everyone else sees the round's tube figures.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { AlertOutlined, DownloadOutlined, FileTextOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api';
import { campaigns, results, type Board, type ResultSummary, type TestResult } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import { errorText, useErrorMessage } from '../../../components/useErrorMessage';
import { pick } from '../../../i18n';
import type { TabProps } from '../CampaignPage';
import { csvText, saveText } from '../clearance/files';
import '../clearance/clearance.css';
import { OfflineState } from '../../../components/LoadFailed';
import { useNetwork } from '../../../api/network';

type Outcome =
  | { kind: 'done'; file: string; summary: ResultSummary }
  | { kind: 'rejected'; file: string; message: string; summary: ResultSummary }
  | { kind: 'failed'; file: string; message: string };

/** The row report of a rejected batch, when the error carries one. */
function reportOf(err: unknown): ResultSummary | null {
  if (!(err instanceof ApiError)) return null;
  const d = err.data as Partial<ResultSummary> | undefined;
  return d && Array.isArray(d.errors) ? (d as ResultSummary) : null;
}

const RESULTS: TestResult[] = ['negative', 'positive', 'invalid'];

function SummaryStats({ s }: { s: ResultSummary }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[12, 12]} className="fk-cov-totals" data-testid="results-summary">
      <Col xs={8} md={3}><Statistic title={t('clearance.results.rows')} value={s.rows} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.negative')} value={s.negative} styles={{ content: { color: s.negative ? '#389e0d' : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.positive')} value={s.positive} styles={{ content: { color: s.positive ? '#cf1322' : undefined, fontWeight: s.positive ? 600 : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.invalid')} value={s.invalid} styles={{ content: { color: s.invalid ? '#d46b08' : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.results.corrected')} value={s.corrected} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.results.unchanged')} value={s.unchanged} /></Col>
      <Col xs={12} md={3}><Statistic title={t('clearance.results.recalled')} value={s.recalled} styles={{ content: { color: s.recalled ? '#cf1322' : undefined } }} /></Col>
      <Col xs={12} md={3}><Statistic title={t('clearance.results.retested')} value={s.retested} /></Col>
    </Row>
  );
}

export default function ResultsTab({ campaign, round }: TabProps) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const showError = useErrorMessage();
  const { offline } = useNetwork();
  const [, setParams] = useSearchParams();
  const lab = can('testing.lab');
  const [board, setBoard] = useState<Board | null>();
  const [tick, setTick] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    campaigns.board(campaign.id, round.id).then(setBoard, () => setBoard(null));
  }, [campaign.id, round.id, tick]);

  const goRecalls = () =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('tab', 'recalls');
        return next;
      },
      { replace: true },
    );

  const upload = async (file: File) => {
    setUploading(true);
    setOutcome(undefined);
    try {
      const summary = await results.upload(file);
      setOutcome({ kind: 'done', file: file.name, summary });
      setTick((x) => x + 1);
    } catch (err) {
      const report = reportOf(err);
      const text = errorText(err, i18n.language, t('errors.unexpected'));
      if (report) setOutcome({ kind: 'rejected', file: file.name, message: text, summary: report });
      else {
        setOutcome({ kind: 'failed', file: file.name, message: text });
        if (!(err instanceof ApiError)) showError(err);
      }
    } finally {
      setUploading(false);
    }
  };

  const columnName = (field: string) => (field === 'tube' ? t('clearance.results.tubeColumn') : t('clearance.results.resultColumn'));

  const downloadReport = (o: Extract<Outcome, { kind: 'rejected' }>) => {
    const rows = [
      [t('clearance.results.row'), t('clearance.results.column'), t('clearance.results.reason'), t('clearance.results.code')],
      ...o.summary.errors.map((e) => [e.row, columnName(e.field), pick(e.messages), e.code]),
    ];
    saveText(`${o.file.replace(/\.(csv|xlsx)$/i, '')}-${t('clearance.results.reportSuffix')}.csv`, csvText(rows));
  };

  const downloadTemplate = () =>
    saveText(
      t('clearance.results.templateName'),
      csvText([
        ['试管条码', '结果'],
        ['P-0001', '阴性'],
        ['P-0002', '阳性'],
        ['P-0003', '无效'],
      ]),
    );

  // ---- one tube by hand
  const [form] = Form.useForm<{ tube: string; result: TestResult }>();
  const [recording, setRecording] = useState(false);
  const record = async (v: { tube: string; result: TestResult }) => {
    const tube = v.tube.trim();
    const save = async () => {
      setRecording(true);
      try {
        const s = await results.record([{ tube, result: v.result }]);
        const how = s.corrected ? t('clearance.results.recordedCorrected') : s.unchanged ? t('clearance.results.recordedUnchanged') : '';
        void message.success(t('clearance.results.recorded', { tube, result: t(`clearance.result.${v.result}`), how }));
        if (s.recalled) void message.warning(t('clearance.results.recalledN', { count: s.recalled }));
        form.resetFields();
        setTick((x) => x + 1);
      } catch (err) {
        const report = reportOf(err);
        const first = report?.errors[0];
        if (first) form.setFields([{ name: first.field, errors: [pick(first.messages)] }]);
        else if (err instanceof ApiError && err.field?.startsWith('results')) form.setFields([{ name: 'tube', errors: [err.text(i18n.language)] }]);
        else showError(err);
      } finally {
        setRecording(false);
      }
    };
    if (v.result === 'positive') {
      modal.confirm({
        title: t('clearance.results.confirmPositive', { tube }),
        content: t('clearance.results.confirmPositiveExplain'),
        okText: t('clearance.results.confirmPositiveOk'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: save,
      });
    } else await save();
  };

  const tubes = board?.tubes;
  const figures = tubes && (
    <Row gutter={[12, 12]} className="fk-cov-totals" data-testid="round-tubes">
      <Col xs={8} md={3}><Statistic title={t('clearance.results.atLab')} value={tubes.atLab} data-testid="round-tubes-at-lab" /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.results.missing')} value={tubes.missing} styles={{ content: { color: tubes.missing ? '#cf1322' : undefined } }} data-testid="round-tubes-missing" /></Col>
      <Col xs={8} md={4}><Statistic title={t('clearance.results.inTransit')} value={tubes.inTransit + tubes.packed + tubes.sealed} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.negative')} value={tubes.negative} styles={{ content: { color: tubes.negative ? '#389e0d' : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.positive')} value={tubes.positive} styles={{ content: { color: tubes.positive ? '#cf1322' : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('clearance.result.invalid')} value={tubes.invalid} styles={{ content: { color: tubes.invalid ? '#d46b08' : undefined } }} /></Col>
      <Col xs={16} md={5}><Statistic title={t('clearance.results.openRecalls')} value={board?.recalls.open ?? 0} styles={{ content: { color: board?.recalls.open ? '#cf1322' : undefined } }} /></Col>
    </Row>
  );

  let report: React.ReactNode = null;
  if (outcome?.kind === 'done') {
    const s = outcome.summary;
    report = (
      <Space orientation="vertical" size={10} style={{ width: '100%' }} data-testid="results-done">
        <Alert
          type={s.positive ? 'warning' : 'success'}
          showIcon
          title={t('clearance.results.done', { file: outcome.file, count: s.rows })}
          description={s.recalled ? t('clearance.results.doneRecalled', { count: s.recalled }) : t('clearance.results.doneHint')}
          action={
            s.recalled ? (
              <Button size="small" danger icon={<AlertOutlined />} onClick={goRecalls} data-testid="to-recalls">
                {t('clearance.results.toRecalls')}
              </Button>
            ) : undefined
          }
        />
        <SummaryStats s={s} />
      </Space>
    );
  } else if (outcome?.kind === 'rejected') {
    const s = outcome.summary;
    report = (
      <Space orientation="vertical" size={10} style={{ width: '100%' }} data-testid="results-rejected">
        <Alert type="error" showIcon title={outcome.message} description={t('clearance.results.nothingWritten', { file: outcome.file, rows: s.rows })} data-testid="results-nothing-written" />
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => downloadReport(outcome)} data-testid="results-report-download">
            {t('clearance.results.downloadReport')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => setOutcome(undefined)}>
            {t('clearance.results.uploadAgain')}
          </Button>
        </Space>
        <Table
          size="small"
          rowKey={(e) => `${e.row}-${e.field}-${e.code}`}
          dataSource={s.errors}
          pagination={s.errors.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          data-testid="results-errors"
          columns={[
            { title: t('clearance.results.row'), dataIndex: 'row', align: 'right' },
            { title: t('clearance.results.column'), dataIndex: 'field', render: (f: string) => <span style={{ whiteSpace: 'nowrap' }}>{columnName(f)}</span> },
            { title: t('clearance.results.reason'), key: 'msg', render: (_, e) => pick(e.messages) },
            { title: t('clearance.results.code'), dataIndex: 'code', render: (c: string) => <Tag style={{ marginInlineEnd: 0 }}>{c}</Tag>, responsive: ['xxl'] },
          ]}
        />
      </Space>
    );
  } else if (outcome?.kind === 'failed') {
    report = (
      <Alert type="error" showIcon title={outcome.message} description={t('clearance.results.failedHint', { file: outcome.file })} data-testid="results-failed" />
    );
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="results-tab">
      {/* offline: the figures cannot be read nor a file uploaded */}
      {offline && <OfflineState compact />}
      {figures}
      {!lab && <Alert type="info" showIcon title={t('clearance.results.labOnly')} />}
      {lab && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={15}>
            <Card size="small" title={t('clearance.results.uploadTitle')} style={{ height: '100%' }}>
              <Space orientation="vertical" size={10} style={{ width: '100%' }}>
                {outcome?.kind !== 'rejected' && (
                  <div data-testid="results-dropzone">
                    <Upload.Dragger
                      accept=".csv,.xlsx"
                      multiple={false}
                      showUploadList={false}
                      disabled={uploading}
                      beforeUpload={(f) => {
                        void upload(f);
                        return false;
                      }}
                    >
                      <p className="ant-upload-drag-icon"><InboxOutlined /></p>
                      <p className="ant-upload-text">{uploading ? t('clearance.results.uploading') : t('clearance.results.dropHere')}</p>
                      <p className="ant-upload-hint">{t('clearance.results.dropHint')}</p>
                    </Upload.Dragger>
                  </div>
                )}
                {report}
              </Space>
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              <Card size="small" title={t('clearance.results.formatTitle')}>
                <Typography.Paragraph style={{ fontSize: 13, marginBottom: 6 }}>{t('clearance.results.format1')}</Typography.Paragraph>
                <Typography.Paragraph style={{ fontSize: 13, marginBottom: 6 }}>{t('clearance.results.format2')}</Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{t('clearance.results.format3')}</Typography.Paragraph>
                <Button size="small" icon={<FileTextOutlined />} onClick={downloadTemplate} data-testid="results-template">
                  {t('clearance.results.template')}
                </Button>
              </Card>
              <Card size="small" title={t('clearance.results.recordTitle')} data-testid="record-form">
                <Form form={form} layout="vertical" requiredMark={false} onFinish={record} initialValues={{ result: 'negative' }}>
                  <Form.Item
                    name="tube"
                    label={t('clearance.tube')}
                    rules={[
                      { required: true, message: t('clearance.results.tubeRequired') },
                      { pattern: /^\s*[A-Za-z0-9-]{4,40}\s*$/, message: t('clearance.scan.badBarcodeShort') },
                    ]}
                    style={{ marginBottom: 10 }}
                  >
                    <Input className="fk-mono" autoComplete="off" placeholder={t('clearance.scan.placeholderOne')} data-testid="record-tube" />
                  </Form.Item>
                  <Form.Item name="result" label={t('clearance.result.title')} style={{ marginBottom: 10 }}>
                    <Radio.Group optionType="button" buttonStyle="solid" options={RESULTS.map((r) => ({ value: r, label: t(`clearance.result.${r}`) }))} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={recording} data-testid="record-submit">
                    {t('clearance.results.recordButton')}
                  </Button>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
                    {t('clearance.results.recordHint')}
                  </Typography.Paragraph>
                </Form>
              </Card>
            </div>
          </Col>
        </Row>
      )}
    </Space>
  );
}
