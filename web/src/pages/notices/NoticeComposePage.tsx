// 写通知: to whom (everyone in a place, or a list of a testing round narrowed to a place), through
// which channels, in Chinese and optionally English and Korean (each resident reads their own
// language, or the Chinese), with variables filled per resident. A preview counts who it reaches
// by channel, who has no mobile number, and shows the text as each language's readers get it;
// only a previewed notice can be sent. Opened from a schedule slot it comes filled in.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, Popconfirm, Radio, Row, Select, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { EyeOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { NOTICE_CHANNELS, NOTICE_LANGUAGES, NOTICE_LISTS, notices, type NoticeChannel, type NoticeDraft, type NoticeLanguage, type NoticeList, type NoticePreview } from '../../api/notices';
import { campaigns, type CampaignSummary, type Round } from '../../api/testing';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import { errorText, useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { applyPathError } from '../testing/campaign/fieldErrors';

interface Values {
  mode: 'place' | 'list';
  placeId?: number;
  list?: NoticeList;
  campaignId?: number;
  roundId?: number;
  channels: NoticeChannel[];
  texts: Partial<Record<NoticeLanguage, string>>;
}

const VARIABLES = ['name', 'building', 'community'] as const;

function draftOf(v: Values): NoticeDraft {
  const texts: NoticeDraft['texts'] = { 'zh-CN': v.texts['zh-CN'] ?? '' };
  for (const l of NOTICE_LANGUAGES) if (l !== 'zh-CN' && v.texts[l]?.trim()) texts[l] = v.texts[l];
  return {
    placeId: v.placeId!,
    ...(v.mode === 'list' ? { list: v.list, roundId: v.roundId } : {}),
    channels: v.channels,
    texts,
  };
}

export default function NoticeComposePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [lang, setLang] = useState<NoticeLanguage>('zh-CN');
  const [preview, setPreview] = useState<{ of: string; answer: NoticePreview }>();
  const [busy, setBusy] = useState<'preview' | 'send'>();
  const [error, setError] = useState<string>();
  const [campaignList, setCampaignList] = useState<CampaignSummary[]>([]);
  const [rounds, setRounds] = useState<Round[]>([]);
  const key = useRef(crypto.randomUUID());
  const mode = Form.useWatch('mode', form);
  const campaignId = Form.useWatch('campaignId', form);
  const values = Form.useWatch([], form) as Values | undefined;
  const current = useMemo(() => (values ? JSON.stringify(draftOf(values)) : ''), [values]);

  useCrumbs([{ title: t('notices.compose') }], `notices-new-${i18n.language}`);

  // from a schedule slot: the building, its time and site in the text
  const initial = useMemo<Values>(() => {
    const slot = params.get('slot');
    const site = params.get('site') ?? '';
    const texts: Values['texts'] = {};
    if (slot) for (const l of NOTICE_LANGUAGES) texts[l] = t(`notices.slots.oneText.${l}`, { slot, site });
    const list = params.get('list') as NoticeList | null;
    return {
      mode: list ? 'list' : 'place',
      placeId: Number(params.get('place')) || undefined,
      list: list && NOTICE_LISTS.includes(list) ? list : undefined,
      campaignId: Number(params.get('campaign')) || undefined,
      roundId: Number(params.get('round')) || undefined,
      channels: ['inapp', 'sms'],
      texts,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (mode !== 'list' || campaignList.length) return;
    campaigns.list().then((r) => setCampaignList(r.items), showError);
  }, [mode, campaignList.length, showError]);
  useEffect(() => {
    if (!campaignId) return setRounds([]);
    campaigns.get(campaignId).then((c) => setRounds(c.rounds), showError);
  }, [campaignId, showError]);

  // a changed draft is a new request: a new key, and it needs a new preview
  useEffect(() => {
    key.current = crypto.randomUUID();
  }, [current]);

  const validated = async (): Promise<NoticeDraft | null> => {
    try {
      return draftOf(await form.validateFields());
    } catch {
      return null;
    }
  };

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.sessionLost) return;
    if (applyPathError(form, err, i18n.language, { 'texts.zh-CN': 'texts.zh-CN' })) return;
    if (err instanceof ApiError && err.field?.startsWith('texts.')) {
      const l = err.field.slice(6) as NoticeLanguage;
      setLang(l);
      form.setFields([{ name: ['texts', l], errors: [err.text(i18n.language)] }]);
      return;
    }
    if (err instanceof ApiError) setError(errorText(err, i18n.language, t('errors.unexpected')));
    else showError(err);
  };

  const runPreview = async () => {
    const draft = await validated();
    if (!draft) return;
    setBusy('preview');
    setError(undefined);
    try {
      setPreview({ of: JSON.stringify(draft), answer: await notices.preview(draft) });
    } catch (err) {
      setPreview(undefined);
      failed(err);
    } finally {
      setBusy(undefined);
    }
  };

  const send = async () => {
    const draft = await validated();
    if (!draft) return;
    setBusy('send');
    setError(undefined);
    try {
      const sent = await notices.send({ key: key.current, ...draft });
      void message.success(sent.replay ? t('notices.form.replay') : t('notices.form.sent', { count: sent.recipients }));
      navigate(`/notices/${sent.id}`);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(undefined);
    }
  };

  const insert = (variable: string) => {
    const name = ['texts', lang] as ['texts', NoticeLanguage];
    form.setFieldValue(name, `${form.getFieldValue(name) ?? ''}{${variable}}`);
  };

  const fresh = preview && preview.of === current;
  const p = preview?.answer;

  return (
    <Row gutter={[12, 12]} data-testid="notice-compose">
      <Col xs={24} lg={14}>
        <Card size="small" title={t('notices.compose')}>
          <Form<Values> form={form} layout="vertical" initialValues={initial} requiredMark={false}>
            <Form.Item name="mode" label={t('notices.form.mode')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'place', label: t('notices.form.modePlace') },
                  { value: 'list', label: t('notices.form.modeList') },
                ]}
              />
            </Form.Item>
            {mode === 'list' && (
              <Space wrap size={12} align="start">
                <Form.Item name="list" label={t('notices.form.list')} rules={[{ required: true, message: t('notices.form.listRequired') }]}>
                  <Select style={{ width: 160 }} options={NOTICE_LISTS.map((l) => ({ value: l, label: t(`notices.target.${l}`) }))} data-testid="notice-list" />
                </Form.Item>
                <Form.Item name="campaignId" label={t('notices.form.campaign')} rules={[{ required: true, message: t('notices.form.roundRequired') }]}>
                  <Select
                    style={{ width: 220 }}
                    options={campaignList.map((c) => ({ value: c.id, label: c.name }))}
                    onChange={() => form.setFieldValue('roundId', undefined)}
                    data-testid="notice-campaign"
                  />
                </Form.Item>
                <Form.Item name="roundId" label={t('notices.form.round')} rules={[{ required: true, message: t('notices.form.roundRequired') }]}>
                  <Select style={{ width: 120 }} options={rounds.map((r) => ({ value: r.id, label: t('notices.form.roundN', { n: r.number }) }))} data-testid="notice-round" />
                </Form.Item>
              </Space>
            )}
            <Form.Item
              name="placeId"
              label={t('notices.form.place')}
              extra={mode === 'list' ? t('notices.form.listPlaceHelp') : t('notices.form.placeHelp')}
              rules={[{ required: true, message: t('notices.form.placeRequired') }]}
            >
              <PlaceTreeSelect
                selectableKinds={['district', 'street', 'community', 'compound', 'grid', 'building', 'unit']}
                leafKinds={['unit']}
                initialLabel={params.get('placeName') ?? undefined}
                style={{ width: '100%', maxWidth: 420 }}
                data-testid="notice-place"
              />
            </Form.Item>
            <Form.Item name="channels" label={t('notices.form.channels')} rules={[{ validator: (_, v?: unknown[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('notices.form.channelsRequired')))) }]}>
              <Checkbox.Group options={NOTICE_CHANNELS.map((c) => ({ value: c, label: t(`notices.channel.${c}`) }))} data-testid="notice-channels" />
            </Form.Item>
            <Form.Item label={t('notices.form.texts')} extra={t('notices.form.textsHelp')} required>
              <Tabs
                size="small"
                activeKey={lang}
                onChange={(k) => setLang(k as NoticeLanguage)}
                items={NOTICE_LANGUAGES.map((l) => ({
                  key: l,
                  label: <span data-testid={`notice-tab-${l}`}>{t(`notices.language.${l}`)}</span>,
                  forceRender: true,
                  children: (
                    <Form.Item
                      name={['texts', l]}
                      noStyle={false}
                      style={{ marginBottom: 0 }}
                      rules={l === 'zh-CN' ? [{ required: true, whitespace: true, message: t('notices.form.textRequired') }] : []}
                    >
                      <Input.TextArea rows={4} maxLength={1000} showCount aria-label={`${t('notices.form.texts')} ${t(`notices.language.${l}`)}`} lang={l} data-testid={`notice-text-${l}`} />
                    </Form.Item>
                  ),
                }))}
              />
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>
                  {t('notices.form.variables')}
                </Typography.Text>
                {VARIABLES.map((v) => (
                  <Tag.CheckableTag key={v} checked={false} onChange={() => insert(v)} data-testid={`notice-var-${v}`}>
                    {`{${v}}`} {t(`notices.form.variable.${v}`)}
                  </Tag.CheckableTag>
                ))}
              </div>
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="notice-error" />}
            <Space>
              <Button icon={<EyeOutlined />} onClick={runPreview} loading={busy === 'preview'} data-testid="notice-preview">
                {t('notices.form.preview')}
              </Button>
              <Popconfirm
                title={t('notices.form.sendConfirm', { count: p?.recipients ?? 0 })}
                okText={t('notices.form.send')}
                cancelText={t('common.cancel')}
                onConfirm={send}
                disabled={!fresh || !p?.recipients}
              >
                <Button type="primary" icon={<SendOutlined />} disabled={!fresh || !p?.recipients} loading={busy === 'send'} data-testid="notice-send">
                  {t('notices.form.send')}
                </Button>
              </Popconfirm>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {!preview ? t('notices.form.previewFirst') : !fresh ? t('notices.form.previewStale') : ''}
              </Typography.Text>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('notices.preview.title')} data-testid="notice-preview-card">
          {!p ? (
            <Typography.Text type="secondary">{t('notices.form.previewFirst')}</Typography.Text>
          ) : (
            <Space orientation="vertical" size={12} style={{ width: '100%', opacity: fresh ? 1 : 0.5 }}>
              <Row gutter={12}>
                <Col span={8}>
                  <Statistic title={t('notices.preview.recipients')} value={p.recipients} data-testid="preview-recipients" />
                </Col>
                {p.channels.map((c) => (
                  <Col span={8} key={c.channel}>
                    <Statistic title={t('notices.preview.reachable', { channel: t(`notices.channel.${c.channel}`) })} value={c.reachable} data-testid={`preview-${c.channel}`} />
                  </Col>
                ))}
              </Row>
              {p.recipients === 0 && <Alert type="warning" showIcon title={t('notices.preview.none')} />}
              {p.noMobile > 0 && p.channels.some((c) => c.channel === 'sms') && (
                <Alert type="warning" showIcon title={t('notices.preview.noMobileHint', { count: p.noMobile })} data-testid="preview-no-mobile" />
              )}
              <Descriptions size="small" column={1} bordered>
                {p.languages.map((l) => (
                  <Descriptions.Item key={l.language} label={t('notices.preview.sample', { language: t(`notices.language.${l.language}`), count: l.recipients })}>
                    <span lang={l.language} data-testid={`preview-sample-${l.language}`}>
                      {l.sample ?? <span className="fk-muted">{t('notices.preview.noSample')}</span>}
                    </span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
