// 免检: exempting one person from this round (away, in hospital, bedridden…), with a note.
import { useState } from 'react';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { coverage, EXEMPTION_REASONS, type ExemptionReason, type MissingPerson } from '../../../api/testing';
import { errorText } from '../../../components/useErrorMessage';

export default function ExemptModal({ roundId, person, onClose, onDone }: { roundId: number; person: MissingPerson | undefined; onClose: () => void; onDone: (p: MissingPerson, reason: ExemptionReason) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ reason: ExemptionReason; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (v: { reason: ExemptionReason; note?: string }) => {
    if (!person) return;
    setBusy(true);
    setError(undefined);
    try {
      await coverage.exempt(roundId, person.id, { reason: v.reason, note: v.note?.trim() || null });
      onDone(person, v.reason);
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!person}
      title={t('clearance.exempt.title', { name: person?.name })}
      okText={t('clearance.exempt.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'exempt-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) {
          form.resetFields();
          setError(undefined);
        }
      }}
    >
      {person && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {person.address} · <span className="fk-mono">{person.idMasked}</span>
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} data-testid="exempt-form">
        <Form.Item name="reason" label={t('clearance.exempt.reason')} rules={[{ required: true, message: t('clearance.exempt.reasonRequired') }]}>
          <Select
            placeholder={t('clearance.exempt.reasonPlaceholder')}
            options={EXEMPTION_REASONS.map((r) => ({ value: r, label: t(`clearance.exempt.reasons.${r}`) }))}
            data-testid="exempt-reason"
          />
        </Form.Item>
        <Form.Item name="note" label={t('clearance.exempt.note')} style={{ marginBottom: 8 }}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('clearance.exempt.notePlaceholder')} data-testid="exempt-note" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('clearance.exempt.hint')}</Typography.Text>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
