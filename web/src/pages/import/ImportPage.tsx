// Import wizard (导入): upload a ledger → map its columns → dry-run report → commit → summary.
// Nothing is written until the dry run is clean and the user commits; the commit is all or nothing.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Col, Empty, Form, Grid, Progress, Radio, Result, Row, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { auth, imports, type ImportJob, type ImportPreview, type Preferences } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import { download } from '../../components/download';
import { errorText, useErrorMessage } from '../../components/useErrorMessage';
import { pick } from '../../i18n';
import { useCrumbs } from '../../layout/PageContext';
import { OfflineState } from '../../components/LoadFailed';
import { useNetwork } from '../../api/network';

type Step = 0 | 1 | 2 | 3 | 4;
type Mapping = Record<string, string | null>;

/** The column mapping last used, kept in the user's preferences (free-form on the server: the console's own key). */
const rememberedMapping = (prefs: Preferences | undefined): Mapping => (prefs?.importMapping ?? {}) as Mapping;

function percent(job: ImportJob): number {
  if (job.status === 'committing') return job.summary.valid ? Math.min(99, Math.floor((job.progress.rowsWritten / job.summary.valid) * 100)) : 0;
  if (job.status === 'validating') return job.progress.totalBytes ? Math.min(99, Math.floor((job.progress.bytesRead / job.progress.totalBytes) * 100)) : 0;
  return 100;
}

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const { user, updateUser } = useAuth();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const { offline } = useNetwork();
  const [step, setStep] = useState<Step>(0);
  const [targetId, setTargetId] = useState<number | undefined>(user?.placeId ?? undefined);
  const [targetName, setTargetName] = useState<string | undefined>(user?.placeName ?? undefined);
  const [unknownPlaces, setUnknownPlaces] = useState<'create' | 'reject'>('create');
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportPreview>();
  const [mapping, setMapping] = useState<Mapping>({});
  const [job, setJob] = useState<ImportJob>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const polling = useRef<number | undefined>(undefined);
  const mobile = Grid.useBreakpoint().md === false;

  useCrumbs([], 'import');

  // poll the job every 500 ms while it works
  useEffect(() => {
    if (!job || (job.status !== 'validating' && job.status !== 'committing')) return;
    polling.current = window.setTimeout(async () => {
      try {
        const { job: j } = await imports.get(job.id);
        setJob(j);
        if (j.status === 'committed') setStep(4);
      } catch (err) {
        showError(err);
        setJob({ ...job, status: 'failed', failure: undefined });
      }
    }, 500);
    return () => window.clearTimeout(polling.current);
  }, [job, showError]);

  const fieldOptions = useMemo(
    () => [
      { value: '', label: <span className="fk-muted">{t('import.ignoreColumn')}</span> },
      ...(preview?.fields ?? []).map((f) => ({ value: f.key, label: `${pick(f.label)}${f.required ? ' *' : ''}` })),
    ],
    [preview, t],
  );

  const mappingProblems = useMemo(() => {
    if (!preview) return [];
    const used = Object.values(mapping).filter(Boolean) as string[];
    const problems: string[] = [];
    for (const f of preview.fields) if (f.required && !used.includes(f.key)) problems.push(t('import.missingField', { field: pick(f.label) }));
    const dup = used.filter((k, i) => used.indexOf(k) !== i);
    for (const k of new Set(dup)) {
      const f = preview.fields.find((x) => x.key === k);
      problems.push(t('import.duplicateField', { field: f ? pick(f.label) : k }));
    }
    return problems;
  }, [mapping, preview, t]);

  const readFile = async () => {
    if (!file || !targetId) return;
    setBusy(true);
    setError(undefined);
    try {
      const p = await imports.preview(file);
      const remembered = rememberedMapping(user?.preferences);
      const m: Mapping = {};
      for (const h of p.headers) m[h] = h in remembered ? remembered[h] : (p.suggestedMapping[h] ?? null);
      setPreview(p);
      setMapping(m);
      setStep(1);
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const startDryRun = async () => {
    if (!file || !targetId || !preview) return;
    setBusy(true);
    setError(undefined);
    try {
      const remembered = rememberedMapping(user?.preferences);
      auth
        .updateMe({ preferences: { importMapping: { ...remembered, ...mapping } } })
        .then(({ user: u }) => updateUser(u))
        .catch(() => undefined);
      const { job: j } = await imports.start({ file, communityId: targetId, unknownPlaces, mapping });
      setJob(j);
      setStep(2);
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const commit = async () => {
    if (!job) return;
    setBusy(true);
    setError(undefined);
    try {
      const { job: j } = await imports.commit(job.id);
      setJob(j);
      setStep(j.status === 'committed' ? 4 : 3);
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const restart = (keepSettings: boolean) => {
    setFile(undefined);
    setPreview(undefined);
    setJob(undefined);
    setError(undefined);
    if (!keepSettings) setMapping({});
    setStep(0);
  };

  const s = job?.summary;
  const summaryStats = job && s && (
    <Row gutter={[12, 12]} className="fk-stat-row" style={{ marginBottom: 12 }} data-testid="import-summary">
      <Col xs={8} md={3}><Statistic title={t('import.rows')} value={s.rows} /></Col>
      <Col xs={8} md={3}><Statistic title={t('import.valid')} value={s.valid} styles={{ content: { color: '#389e0d' } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('import.rejected')} value={s.rejected} styles={{ content: { color: s.rejected ? '#cf1322' : undefined } }} /></Col>
      <Col xs={8} md={3}><Statistic title={t('import.toCreate')} value={s.toCreate} /></Col>
      <Col xs={8} md={3}><Statistic title={t('import.toUpdate')} value={s.toUpdate} /></Col>
      <Col xs={8} md={3}><Statistic title={t('import.unchanged')} value={s.unchanged} /></Col>
      <Col xs={8} md={4}><Statistic title={t('import.placesToCreate')} value={s.placesToCreate} /></Col>
    </Row>
  );

  let body: React.ReactNode = null;
  if (step === 0) {
    body = (
      <Form layout="vertical" style={{ maxWidth: 720 }} requiredMark={false}>
        <Form.Item label={t('import.target')} extra={t('import.targetHint')} required>
          <PlaceTreeSelect
            value={targetId}
            initialLabel={targetName}
            onChange={(id, p) => {
              setTargetId(id);
              setTargetName(p?.name);
            }}
            selectableKinds={['district', 'street', 'community']}
            leafKinds={['community']}
            placeholder={t('import.pickTarget')}
          />
        </Form.Item>
        <Form.Item label={t('import.unknownPlaces')} extra={t('import.unknownPlacesHint')}>
          <Radio.Group value={unknownPlaces} onChange={(e) => setUnknownPlaces(e.target.value)}>
            <Radio value="create">{t('import.unknownCreate')}</Radio>
            <Radio value="reject">{t('import.unknownReject')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label={t('import.file')} required>
          <div data-testid="import-dropzone">
          <Upload.Dragger
            accept=".csv,.xlsx"
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              setFile(f);
              setError(undefined);
              return false;
            }}
            onRemove={() => setFile(undefined)}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('import.dropHere')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
          </div>
        </Form.Item>
        <Space wrap>
          <Button type="primary" disabled={!file || !targetId} loading={busy} onClick={readFile} data-testid="import-next">
            {t('import.readFile')}
          </Button>
          <Button icon={<FileExcelOutlined />} onClick={() => download(imports.templateUrl).catch(showError)}>
            {t('import.template')}
          </Button>
        </Space>
      </Form>
    );
  } else if (step === 1 && preview) {
    const rows = preview.headers.map((h, i) => ({ header: h, index: i, samples: preview.sampleRows.map((r) => r[i]).filter((x) => x !== undefined && x !== '').slice(0, 3) }));
    body = (
      <>
        <Typography.Paragraph type="secondary">{t('import.mapExplain', { file: file?.name })}</Typography.Paragraph>
        {mappingProblems.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={mappingProblems.join('；')} data-testid="mapping-problems" />}
        <Table
          size="small"
          rowKey="index"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          data-testid="mapping-table"
          columns={[
            { title: t('import.fileColumn'), dataIndex: 'header', width: 160, render: (h) => <strong>{h || <span className="fk-muted">{t('import.noHeader')}</span>}</strong> },
            {
              title: t('import.mapsTo'),
              key: 'map',
              width: 220,
              render: (_, r) => (
                <Select
                  value={mapping[r.header] ?? ''}
                  options={fieldOptions}
                  style={{ width: 200 }}
                  onChange={(v: string) => setMapping((m) => ({ ...m, [r.header]: v || null }))}
                  data-testid={`map-${r.header}`}
                />
              ),
            },
            { title: t('import.samples'), dataIndex: 'samples', render: (v: string[]) => <span className="fk-muted">{v.join('、') || '—'}</span> },
          ]}
        />
        <Space style={{ marginTop: 12 }} wrap>
          <Button onClick={() => setStep(0)}>{t('common.back')}</Button>
          <Button type="primary" disabled={mappingProblems.length > 0} loading={busy} onClick={startDryRun} data-testid="start-dry-run">
            {t('import.startDryRun')}
          </Button>
        </Space>
      </>
    );
  } else if (step === 2 && job) {
    const working = job.status === 'validating';
    const hasErrors = job.errorCount > 0;
    body = (
      <>
        {working ? (
          <div style={{ maxWidth: 560 }}>
            <Typography.Paragraph>{t('import.validating', { file: job.fileName })}</Typography.Paragraph>
            <Progress percent={percent(job)} status="active" data-testid="import-progress" aria-label={t('import.validating', { file: job.fileName })} />
            <Typography.Text type="secondary">{t('import.rowsRead', { count: job.progress.rowsRead })}</Typography.Text>
          </div>
        ) : job.status === 'failed' ? (
          <Result status="error" title={t('import.failed')} subTitle={job.failure ? pick(job.failure.message) : undefined} extra={<Button onClick={() => restart(true)}>{t('import.again')}</Button>} />
        ) : (
          <>
            {summaryStats}
            {hasErrors ? (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('import.hasErrors', { count: job.errorCount })}
                description={t('import.hasErrorsHint')}
                data-testid="import-has-errors"
              />
            ) : (
              <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('import.clean', { count: job.summary.valid })} description={t('import.cleanHint')} data-testid="import-clean" />
            )}
            {job.status === 'validated' && job.placesToCreate.length > 0 && (
              <Card
                size="small"
                style={{ marginBottom: 12 }}
                title={t('import.newPlacesTitle', { count: job.summary.placesToCreate })}
                data-testid="import-new-places"
              >
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  {t('import.newPlacesHint')}
                </Typography.Paragraph>
                <Table
                  size="small"
                  rowKey={(p) => p.names.join('/')}
                  dataSource={job.placesToCreate}
                  pagination={job.placesToCreate.length > 10 ? { pageSize: 10, size: 'small' } : false}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    {
                      title: t('import.newPlace'),
                      key: 'place',
                      render: (_, p) => (
                        <span>
                          <Tag>{t(`place.kind.${p.kind}`)}</Tag>
                          {p.names.slice(0, -1).map((n) => (
                            <Typography.Text type="secondary" key={n}>{`${n} › `}</Typography.Text>
                          ))}
                          <Typography.Text strong>{p.name}</Typography.Text>
                        </span>
                      ),
                    },
                    {
                      title: t('import.newPlaceRows'),
                      key: 'rows',
                      render: (_, p) =>
                        p.rowCount > p.rows.length
                          ? t('import.rowsListMore', { rows: p.rows.join(', '), count: p.rowCount })
                          : t(p.rowCount === 1 ? 'import.rowOne' : 'import.rowsList', { rows: p.rows.join(', ') }),
                    },
                  ]}
                />
                {job.summary.placesToCreate > job.placesToCreate.length && (
                  <Typography.Text type="secondary">{t('import.newPlacesMore', { count: job.summary.placesToCreate - job.placesToCreate.length })}</Typography.Text>
                )}
              </Card>
            )}
            <Space wrap style={{ marginBottom: 12 }}>
              {hasErrors ? (
                <>
                  <Button type="primary" icon={<ReloadOutlined />} onClick={() => restart(true)} data-testid="import-reupload">
                    {t('import.reupload')}
                  </Button>
                  <Button icon={<DownloadOutlined />} onClick={() => download(imports.reportUrl(job.id)).catch(showError)} data-testid="import-report">
                    {t('import.downloadReport')}
                  </Button>
                </>
              ) : (
                <>
                  <Button type="primary" icon={<CheckCircleOutlined />} loading={busy} onClick={commit} disabled={job.summary.valid === 0} data-testid="import-commit">
                    {t('import.commit', { count: job.summary.valid })}
                  </Button>
                  <Button onClick={() => restart(true)}>{t('import.chooseAnother')}</Button>
                </>
              )}
            </Space>
            {hasErrors && (
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.column}-${e.code}`}
                dataSource={job.errors}
                pagination={job.errors.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
                scroll={{ x: 'max-content' }}
                data-testid="import-errors"
                title={() => (job.errorCount > job.errors.length ? t('import.errorsShown', { shown: job.errors.length, count: job.errorCount }) : undefined)}
                columns={[
                  { title: t('import.row'), dataIndex: 'row', width: 70, align: 'right' },
                  { title: t('import.column'), dataIndex: 'column', width: 160, render: (c: string) => c || '—' },
                  { title: t('import.reason'), key: 'msg', render: (_, e) => pick(e.message) },
                  { title: t('import.code'), dataIndex: 'code', width: 200, render: (c) => <Tag>{c}</Tag>, responsive: ['lg'] },
                ]}
              />
            )}
          </>
        )}
      </>
    );
  } else if (step === 3 && job) {
    body =
      job.status === 'failed' ? (
        <Result status="error" title={t('import.commitFailed')} subTitle={job.failure ? pick(job.failure.message) : t('import.nothingWritten')} extra={<Button onClick={() => restart(true)}>{t('import.again')}</Button>} />
      ) : (
        <div style={{ maxWidth: 560 }}>
          <Typography.Paragraph>{t('import.committing', { count: job.summary.valid })}</Typography.Paragraph>
          <Progress percent={percent(job)} status="active" data-testid="commit-progress" aria-label={t('import.committing', { count: job.summary.valid })} />
          <Typography.Text type="secondary">{t('import.rowsWritten', { count: job.progress.rowsWritten })}</Typography.Text>
        </div>
      );
  } else if (step === 4 && job) {
    body = (
      <Result
        status="success"
        title={<span data-testid="import-done">{t('import.done')}</span>}
        subTitle={t('import.doneDetail', { created: job.summary.created, updated: job.summary.updated, places: job.summary.placesCreated ?? 0, file: job.fileName })}
        extra={
          <Space wrap>
            <Button type="primary" onClick={() => navigate(`/residents${targetId ? `?placeId=${targetId}` : ''}`)}>{t('import.viewResidents')}</Button>
            <Button onClick={() => restart(true)}>{t('import.another')}</Button>
          </Space>
        }
      />
    );
  }

  return (
    <Card size="small" title={t('import.title')}>
      {/* offline: a file cannot be uploaded; say so before one is chosen */}
      {offline && <OfflineState compact />}
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: mobile ? 12 : 20 }}
        responsive={false}
        titlePlacement={mobile ? 'vertical' : 'horizontal'}
        items={[t('import.stepUpload'), t('import.stepMap'), t('import.stepCheck'), t('import.stepCommit'), t('import.stepDone')].map((title, i) => ({
          // on a phone only the current step is named, so the five fit on one line
          title: !mobile || i === step ? title : undefined,
        }))}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="import-error" />}
      {body ?? <Empty />}
    </Card>
  );
}
