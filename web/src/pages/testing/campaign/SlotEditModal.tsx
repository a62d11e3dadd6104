// Move one building's time slot: another time, or another site. The simulation is redone
// by the caller afterwards.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, DatePicker, Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { schedule, type Site, type Slot } from '../../../api/testing';
import { formErrorText } from '../../../components/serverErrors';
import { fromPicker, toPicker } from './time';

interface SlotForm {
  range: [Dayjs, Dayjs];
  siteId: number;
}

export default function SlotEditModal({ slot, sites, onClose, onSaved }: { slot?: Slot; sites: Site[]; onClose: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SlotForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const initialValues = useMemo(() => (slot ? { range: [toPicker(slot.startsAt), toPicker(slot.endsAt)] as [Dayjs, Dayjs], siteId: slot.siteId } : undefined), [slot]);

  useEffect(() => {
    if (slot) setError(undefined);
  }, [slot]);

  const submit = async () => {
    if (!slot) return;
    let v: SlotForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body: { startsAt?: string; endsAt?: string; siteId?: number } = {};
    const startsAt = fromPicker(v.range[0]);
    const endsAt = fromPicker(v.range[1]);
    if (Date.parse(startsAt) !== Date.parse(slot.startsAt)) body.startsAt = startsAt;
    if (Date.parse(endsAt) !== Date.parse(slot.endsAt)) body.endsAt = endsAt;
    if (v.siteId !== slot.siteId) body.siteId = v.siteId;
    if (!Object.keys(body).length) return onClose();
    setBusy(true);
    setError(undefined);
    try {
      await schedule.editSlot(slot.id, body);
      void message.success(t('testing.schedule.slotMoved', { building: slot.building }));
      onSaved();
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected'), { startsAt: 'range', endsAt: 'range' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!slot}
      title={t('testing.schedule.moveTitle', { building: slot?.building })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'slot-save' }}
      destroyOnHidden
      width={520}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {slot && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('testing.schedule.moveExplain', { people: slot.people })}
          </Typography.Paragraph>
          <Form<SlotForm> form={form} layout="vertical" initialValues={initialValues} data-testid="slot-form">
            <Form.Item
              name="range"
              label={t('testing.schedule.slotTime')}
              rules={[
                { required: true, message: t('testing.new.timeRequired') },
                {
                  validator: async (_, v: [Dayjs, Dayjs] | null) => {
                    if (v && !v[1].isAfter(v[0])) throw new Error(t('testing.new.endAfterStart'));
                  },
                },
              ]}
            >
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                minuteStep={5}
                needConfirm={false}
                style={{ width: '100%' }}
                data-testid="slot-range"
              />
            </Form.Item>
            <Form.Item name="siteId" label={t('testing.schedule.site')} style={{ marginBottom: 0 }}>
              <Select options={sites.filter((s) => !s.doorToDoor).map((s) => ({ value: s.id, label: s.name }))} data-testid="slot-site" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
