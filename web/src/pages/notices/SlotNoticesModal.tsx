// 发送分时段通知: from a round's schedule, one notice per building with its own slot and site
// ("3号楼 请于 14:00–14:20 下楼核酸"), in Chinese, English and Korean, through the channels chosen.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Checkbox, Form, Input, Modal, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { NOTICE_CHANNELS, NOTICE_LANGUAGES, notices, type NoticeChannel, type NoticeLanguage, type SlotNotices } from '../../api/notices';
import { errorText } from '../../components/useErrorMessage';
import ScopedPlaceSelect from '../testing/campaign/ScopedPlaceSelect';

interface Values {
  placeId?: number;
  channels: NoticeChannel[];
  texts: Record<NoticeLanguage, string>;
}

export default function SlotNoticesModal({
  open,
  roundId,
  roundNumber,
  rootId,
  onClose,
  onSent,
}: {
  open: boolean;
  roundId: number;
  roundNumber: number;
  rootId: number;
  onClose: () => void;
  onSent: (r: SlotNotices) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [lang, setLang] = useState<NoticeLanguage>('zh-CN');
  const key = useRef(crypto.randomUUID());

  useEffect(() => {
    if (!open) return;
    key.current = crypto.randomUUID();
    setError(undefined);
    form.setFieldsValue({
      placeId: undefined,
      channels: ['inapp', 'sms'],
      texts: Object.fromEntries(NOTICE_LANGUAGES.map((l) => [l, t(`notices.slots.defaults.${l}`)])) as Values['texts'],
    });
  }, [open, form, t]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const texts: { 'zh-CN': string } & Partial<Record<NoticeLanguage, string>> = { 'zh-CN': v.texts['zh-CN'] };
    for (const l of NOTICE_LANGUAGES) if (l !== 'zh-CN' && v.texts[l]?.trim()) texts[l] = v.texts[l];
    setBusy(true);
    setError(undefined);
    try {
      const r = await notices.slotNotices(roundId, { key: key.current, placeId: v.placeId, channels: v.channels, texts });
      // a plain text: the message is shown outside the router, so a link goes in the tab (onSent)
      void message.success(r.replay ? t('notices.slots.replay') : t('notices.slots.done', { notices: r.notices.length, count: r.recipients }));
      onSent(r);
    } catch (err) {
      if (err instanceof ApiError && err.field?.startsWith('texts.')) {
        const l = err.field.slice(6) as NoticeLanguage;
        setLang(l);
        form.setFields([{ name: ['texts', l], errors: [err.text(i18n.language)] }]);
      } else if (!(err instanceof ApiError && err.sessionLost)) setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('notices.slots.title', { n: roundNumber })}
      okText={t('notices.slots.ok')}
      cancelText={t('common.cancel')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={onClose}
      forceRender
      okButtonProps={{ 'data-testid': 'slot-notices-ok' } as Record<string, string>}
      data-testid="slot-notices-modal"
    >
      <Typography.Paragraph type="secondary">{t('notices.slots.intro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="placeId" label={t('notices.slots.place')}>
          <ScopedPlaceSelect rootId={rootId} allowClear style={{ width: '100%' }} data-testid="slot-notices-place" />
        </Form.Item>
        <Form.Item name="channels" label={t('notices.form.channels')} rules={[{ validator: (_, v?: unknown[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('notices.form.channelsRequired')))) }]}>
          <Checkbox.Group options={NOTICE_CHANNELS.map((c) => ({ value: c, label: t(`notices.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item label={t('notices.form.texts')} extra={t('notices.slots.variables')} required>
          <Tabs
            size="small"
            activeKey={lang}
            onChange={(k) => setLang(k as NoticeLanguage)}
            items={NOTICE_LANGUAGES.map((l) => ({
              key: l,
              label: t(`notices.language.${l}`),
              forceRender: true,
              children: (
                <Form.Item name={['texts', l]} style={{ marginBottom: 0 }} rules={l === 'zh-CN' ? [{ required: true, whitespace: true, message: t('notices.form.textRequired') }] : []}>
                  <Input.TextArea rows={3} maxLength={1000} lang={l} aria-label={`${t('notices.form.texts')} ${t(`notices.language.${l}`)}`} />
                </Form.Item>
              ),
            }))}
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} data-testid="slot-notices-error" />}
      </Form>
    </Modal>
  );
}
