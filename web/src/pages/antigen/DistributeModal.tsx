// 发放抗原: kits handed to a household at the door — how many (one per member by default).
// One key per submission: a double tap or a retry after a lost answer is recorded once.
import { useEffect, useRef, useState } from 'react';
import { Alert, Form, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { antigen } from '../../api/antigen';
import { formErrorText } from '../../components/serverErrors';
import { uuid } from '../../utils/uuid';

export interface KitsTarget {
  id: number;
  address: string;
  residentCount: number;
}

export default function DistributeModal({ household, onClose, onDone }: { household: KitsTarget | undefined; onClose: () => void; onDone: (r: { kits: number; total: number; replay: boolean }) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ kits: number }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const key = useRef('');
  useEffect(() => {
    if (household) key.current = uuid();
  }, [household]);

  const submit = async (v: { kits: number }) => {
    if (!household) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await antigen.distribute({ key: key.current, householdId: household.id, kits: v.kits });
      onDone({ kits: r.kits, total: r.householdTotal, replay: r.replay });
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!household}
      title={t('antigen.distributeModal.title', { address: household?.address })}
      okText={t('antigen.distributeModal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'distribute-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(open) => open || setError(undefined)}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        // a fresh form each time: the default is this household's size, not the last number
        preserve={false}
        initialValues={{ kits: Math.max(1, household?.residentCount ?? 1) }}
        onFinish={submit}
        // another number is another handing-out, not a retry of this one
        onValuesChange={() => (key.current = uuid())}
        data-testid="distribute-form"
      >
        <Form.Item
          name="kits"
          label={t('antigen.distributeModal.kits')}
          extra={t('antigen.distributeModal.kitsHelp', { count: household?.residentCount ?? 0 })}
          rules={[{ required: true, message: t('antigen.distributeModal.kitsRequired') }]}
        >
          <InputNumber min={1} max={100} precision={0} size="large" style={{ width: 160 }} data-testid="distribute-kits" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
