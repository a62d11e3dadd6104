// Add a sampling site (采样点) with its lanes, or change one: more lanes, other hours, a new
// name. Lanes are only ever added (samples point at them). Server errors land on their field.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, TimePicker, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { campaigns, type Campaign, type Site } from '../../../api/testing';
import { formErrorText } from '../../../components/serverErrors';
import ScopedPlaceSelect from './ScopedPlaceSelect';
import { fromHhmm, toHhmm } from './time';

interface SiteForm {
  placeId?: number;
  name: string;
  lanes: number;
  opensAt?: Dayjs | null;
  closesAt?: Dayjs | null;
  doorToDoor?: boolean;
}

function useHoursRule() {
  const { t } = useTranslation();
  return ({ getFieldValue }: { getFieldValue: (n: string) => Dayjs | null | undefined }) => ({
    validator: async (_: unknown, closes: Dayjs | null | undefined) => {
      const opens = getFieldValue('opensAt');
      if (opens && closes && toHhmm(closes)! <= toHhmm(opens)!) throw new Error(t('testing.sites.closeAfterOpen'));
    },
  });
}

export function AddSiteModal({ open, campaign, onClose, onSaved }: { open: boolean; campaign: Campaign; onClose: () => void; onSaved: (s: Site) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SiteForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const hoursRule = useHoursRule();
  const initialValues = useMemo(() => ({ lanes: 2, opensAt: fromHhmm('07:00'), closesAt: fromHhmm('22:00'), doorToDoor: false }), []);

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  const submit = async () => {
    let v: SiteForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const site = await campaigns.addSite(campaign.id, {
        placeId: v.placeId!,
        name: v.name.trim(),
        lanes: v.lanes,
        opensAt: toHhmm(v.opensAt),
        closesAt: toHhmm(v.closesAt),
        doorToDoor: !!v.doorToDoor,
      });
      void message.success(t('testing.sites.added', { name: site.name, lanes: site.lanes.length }));
      onSaved(site);
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('testing.sites.addTitle')}
      okText={t('testing.sites.addOk')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'site-save' }}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<SiteForm> form={form} layout="vertical" initialValues={initialValues} requiredMark="optional" data-testid="site-form">
        <Form.Item name="placeId" label={t('testing.sites.place')} extra={t('testing.sites.placeHint', { place: campaign.placeName })} rules={[{ required: true, message: t('testing.sites.placeRequired') }]}>
          <ScopedPlaceSelect
            rootId={campaign.placeId}
            data-testid="site-place"
            onChange={(_, place) => {
              // a name to start from: the place's own
              if (place && !form.getFieldValue('name')) form.setFieldValue('name', t('testing.sites.defaultName', { place: place.name }));
            }}
          />
        </Form.Item>
        <Form.Item name="name" label={t('testing.sites.name')} rules={[{ required: true, whitespace: true, message: t('testing.sites.nameRequired') }, { max: 100 }]}>
          <Input maxLength={100} placeholder={t('testing.sites.namePlaceholder')} data-testid="site-name" />
        </Form.Item>
        <div style={{ display: 'flex', columnGap: 12, flexWrap: 'wrap' }}>
          <Form.Item name="lanes" label={t('testing.sites.lanes')} rules={[{ required: true }]} style={{ flex: '1 1 120px' }}>
            <InputNumber min={1} max={50} precision={0} style={{ width: '100%' }} data-testid="site-lanes" />
          </Form.Item>
          <Form.Item name="opensAt" label={t('testing.sites.opensAt')} rules={[{ required: true, message: t('testing.sites.hoursRequired') }]} style={{ flex: '1 1 120px' }}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: '100%' }} data-testid="site-opens" />
          </Form.Item>
          <Form.Item
            name="closesAt"
            label={t('testing.sites.closesAt')}
            dependencies={['opensAt']}
            rules={[{ required: true, message: t('testing.sites.hoursRequired') }, hoursRule]}
            style={{ flex: '1 1 120px' }}
          >
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: '100%' }} data-testid="site-closes" />
          </Form.Item>
        </div>
        <Form.Item name="doorToDoor" valuePropName="checked" extra={t('testing.sites.doorToDoorHint')} style={{ marginBottom: 0 }}>
          <Checkbox data-testid="site-door">{t('testing.sites.doorToDoor')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function EditSiteModal({ site, onClose, onSaved }: { site?: Site; onClose: () => void; onSaved: (s: Site) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SiteForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const hoursRule = useHoursRule();
  const current = site?.lanes.length ?? 1;
  const initialValues = useMemo(
    () => (site ? { name: site.name, lanes: site.lanes.length, opensAt: fromHhmm(site.opensAt), closesAt: fromHhmm(site.closesAt) } : undefined),
    [site],
  );

  useEffect(() => {
    if (site) setError(undefined);
  }, [site]);

  const submit = async () => {
    if (!site) return;
    let v: SiteForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    const patch: Parameters<typeof campaigns.updateSite>[1] = {};
    if (v.name.trim() !== site.name) patch.name = v.name.trim();
    if (v.lanes > site.lanes.length) patch.lanes = v.lanes;
    if (toHhmm(v.opensAt) !== site.opensAt) patch.opensAt = toHhmm(v.opensAt);
    if (toHhmm(v.closesAt) !== site.closesAt) patch.closesAt = toHhmm(v.closesAt);
    if (!Object.keys(patch).length) {
      setBusy(false);
      onClose();
      return;
    }
    try {
      const saved = await campaigns.updateSite(site.id, patch);
      void message.success(t('testing.sites.saved', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!site}
      title={t('testing.sites.editTitle', { name: site?.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'site-edit-save' }}
      destroyOnHidden
      width={520}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {site && (
        <Form<SiteForm> form={form} layout="vertical" initialValues={initialValues} data-testid="site-edit-form">
          <Form.Item name="name" label={t('testing.sites.name')} rules={[{ required: true, whitespace: true, message: t('testing.sites.nameRequired') }, { max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <div style={{ display: 'flex', columnGap: 12, flexWrap: 'wrap' }}>
            <Form.Item name="lanes" label={t('testing.sites.lanes')} extra={t('testing.sites.lanesOnlyAdd', { n: current })} rules={[{ required: true }]} style={{ flex: '1 1 140px' }}>
              <InputNumber min={current} max={50} precision={0} style={{ width: '100%' }} data-testid="site-edit-lanes" />
            </Form.Item>
            <Form.Item name="opensAt" label={t('testing.sites.opensAt')} rules={[{ required: true, message: t('testing.sites.hoursRequired') }]} style={{ flex: '1 1 110px' }}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="closesAt" label={t('testing.sites.closesAt')} dependencies={['opensAt']} rules={[{ required: true, message: t('testing.sites.hoursRequired') }, hoursRule]} style={{ flex: '1 1 110px' }}>
              <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: '100%' }} />
            </Form.Item>
          </div>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            {t('testing.sites.replanHint')}
          </Typography.Paragraph>
        </Form>
      )}
    </Modal>
  );
}
