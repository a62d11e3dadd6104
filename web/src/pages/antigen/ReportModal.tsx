// 上报结果: a grid worker records a resident's antigen result (tested now, or earlier).
// A positive alerts the community at once; the key makes a retry or double tap count once.
import { useEffect, useRef, useState } from 'react';
import { Alert, DatePicker, Form, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { ANTIGEN_RESULTS, antigen, type AntigenResult } from '../../api/antigen';
import { formErrorText } from '../../components/serverErrors';
import { fromPicker, toPicker } from '../testing/campaign/time';
import { uuid } from '../../utils/uuid';
import type { Dayjs } from 'dayjs';

export interface ReportTarget {
  id: number;
  name: string;
}

interface Values {
  result: AntigenResult;
  testedAt: Dayjs;
}

export default function ReportModal({ resident, onClose, onDone }: { resident: ReportTarget | undefined; onClose: () => void; onDone: (r: { result: AntigenResult; alert: boolean; replay: boolean }) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const key = useRef('');
  useEffect(() => {
    if (resident) key.current = uuid();
  }, [resident]);
  const result = Form.useWatch('result', form);

  const submit = async (v: Values) => {
    if (!resident) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await antigen.report({ key: key.current, residentId: resident.id, result: v.result, testedAt: fromPicker(v.testedAt) });
      onDone({ result: v.result, alert: r.alert, replay: r.replay });
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!resident}
      title={t('antigen.reportModal.title', { name: resident?.name })}
      okText={t('antigen.reportModal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, danger: result === 'positive', 'data-testid': 'report-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(open) => open || setError(undefined)}
    >
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ testedAt: toPicker(Date.now()) }} onFinish={submit} onValuesChange={() => (key.current = uuid())} data-testid="report-form">
        <Form.Item name="result" label={t('antigen.reportModal.result')} rules={[{ required: true, message: t('antigen.reportModal.resultRequired') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" size="large" data-testid="report-result">
            {ANTIGEN_RESULTS.map((r) => (
              <Radio.Button key={r} value={r}>
                <span data-testid={`report-${r}`}>{t(`antigen.result.${r}`)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="testedAt" label={t('antigen.reportModal.testedAt')} rules={[{ required: true, message: t('antigen.reportModal.testedAtRequired') }]} style={{ marginBottom: 8 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" needConfirm={false} disabledDate={(d) => d.isAfter(toPicker(Date.now()), 'day')} allowClear={false} style={{ width: 220 }} data-testid="report-tested-at" />
        </Form.Item>
      </Form>
      {result === 'positive' && <Alert type="warning" showIcon title={t('antigen.reportModal.positiveWarn')} style={{ marginTop: 8 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
