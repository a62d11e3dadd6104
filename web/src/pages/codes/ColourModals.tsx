// 人工赋码 and its revocation, on a resident's page: an officer sets a colour with a reason the
// resident will read and how long it holds (1–336 hours), or ends the override in force with a
// reason (both audited on the server).
import { useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio, type RadioGroupProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { codes, COLOURS, OVERRIDE_HOURS, type Colour, type ResidentColour } from '../../api/codes';
import { formErrorText } from '../../components/serverErrors';
import { ColourTag } from './labels';

export interface ColourTarget {
  id: number;
  name: string;
}

/** The three colours as big radio buttons, each with its name and icon. */
export function ColourRadios({ testId, only = COLOURS, ...field }: { testId: string; only?: readonly Colour[]; value?: Colour; onChange?: RadioGroupProps['onChange']; id?: string }) {
  const { t } = useTranslation();
  return (
    <Radio.Group {...field} data-testid={testId} style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
      {only.map((c) => (
        <Radio key={c} value={c}>
          <span data-testid={`${testId}-${c}`}>
            <ColourTag t={t} colour={c} />
          </span>
        </Radio>
      ))}
    </Radio.Group>
  );
}

interface OverrideValues {
  colour: Colour;
  reason: string;
  hours: number;
}

export function OverrideModal({ resident, open, onClose, onDone }: { resident: ColourTarget; open: boolean; onClose: () => void; onDone: (c: ResidentColour) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<OverrideValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (v: OverrideValues) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await codes.override(resident.id, { colour: v.colour, reason: v.reason.trim(), hours: v.hours }));
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('colours.overrideModal.title', { name: resident.name })}
      okText={t('colours.overrideModal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'colour-override-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => o || setError(undefined)}
    >
      <p className="fk-muted" style={{ marginTop: 0 }}>
        {t('colours.overrideModal.explain')}
      </p>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ hours: OVERRIDE_HOURS.default }} onFinish={submit} data-testid="colour-override-form">
        <Form.Item name="colour" label={t('colours.overrideModal.colour')} rules={[{ required: true, message: t('colours.overrideModal.colourRequired') }]}>
          <ColourRadios testId="colour-override-colour" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('colours.overrideModal.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('colours.overrideModal.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('colours.overrideModal.reasonPlaceholder')} data-testid="colour-override-reason" />
        </Form.Item>
        <Form.Item name="hours" label={t('colours.overrideModal.hours')} extra={t('colours.overrideModal.hoursHelp')} rules={[{ required: true, type: 'integer', min: OVERRIDE_HOURS.min, max: OVERRIDE_HOURS.max, message: t('colours.overrideModal.hoursHelp') }]} style={{ marginBottom: 0 }}>
          <InputNumber min={OVERRIDE_HOURS.min} max={OVERRIDE_HOURS.max} precision={0} style={{ width: 140 }} data-testid="colour-override-hours" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

export function RevokeModal({ resident, ruled, open, onClose, onDone }: { resident: ColourTarget; ruled: Colour; open: boolean; onClose: () => void; onDone: (c: ResidentColour) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (v: { reason: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await codes.revoke(resident.id, v.reason.trim()));
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('colours.revokeModal.title', { name: resident.name })}
      okText={t('colours.revokeModal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, danger: true, 'data-testid': 'colour-revoke-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => o || setError(undefined)}
    >
      <p style={{ marginTop: 0 }}>{t('colours.revokeModal.explain', { colour: t(`colours.colour.${ruled}`) })}</p>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} onFinish={submit}>
        <Form.Item name="reason" label={t('colours.revokeModal.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('colours.revokeModal.reasonRequired') }]} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} maxLength={500} data-testid="colour-revoke-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
