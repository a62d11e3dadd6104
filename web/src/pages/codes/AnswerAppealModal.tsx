// 答复申诉: an officer keeps the colour or changes it (a colour and how long, an override whose
// reason is the answer); the resident reads the answer in their home app either way.
import { useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { codes, OVERRIDE_HOURS, type Colour, type ColourAppeal } from '../../api/codes';
import { formErrorText } from '../../components/serverErrors';
import { formatTime } from '../../utils/time';
import { ColourRadios } from './ColourModals';

interface Values {
  outcome: 'changed' | 'kept';
  answer: string;
  colour?: Colour;
  hours?: number;
}

export default function AnswerAppealModal({ appeal, onClose, onDone }: { appeal: ColourAppeal | undefined; onClose: () => void; onDone: (a: ColourAppeal) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const outcome = Form.useWatch('outcome', form);

  const submit = async (v: Values) => {
    if (!appeal) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = v.outcome === 'changed' ? { outcome: v.outcome, answer: v.answer.trim(), colour: v.colour, hours: v.hours } : { outcome: v.outcome, answer: v.answer.trim() };
      onDone(await codes.answer(appeal.id, body));
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!appeal}
      title={t('colours.answerModal.title', { name: appeal?.resident.name })}
      okText={t('colours.answerModal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'appeal-answer-ok' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => o || setError(undefined)}
    >
      {appeal && (
        <div style={{ marginBottom: 12, padding: '8px 12px', background: '#f5f7fa', borderRadius: 6 }}>
          <div className="fk-muted" style={{ fontSize: 12 }}>
            {t('colours.answerModal.appealAt', { time: formatTime(appeal.at), colour: t(`colours.colour.${appeal.colour}`, { defaultValue: appeal.colour }) })}
          </div>
          <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="appeal-answer-text">
            {appeal.text}
          </div>
        </div>
      )}
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ outcome: 'kept', colour: 'green', hours: OVERRIDE_HOURS.default }} onFinish={submit} data-testid="appeal-answer-form">
        <Form.Item name="outcome" label={t('colours.answerModal.outcome')}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="appeal-outcome">
            <Radio.Button value="kept">
              <span data-testid="appeal-outcome-kept">{t('colours.answerModal.kept')}</span>
            </Radio.Button>
            <Radio.Button value="changed">
              <span data-testid="appeal-outcome-changed">{t('colours.answerModal.changed')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        {outcome === 'changed' && (
          <>
            <Form.Item name="colour" label={t('colours.answerModal.colour')} rules={[{ required: true, message: t('colours.overrideModal.colourRequired') }]}>
              <ColourRadios testId="appeal-colour" />
            </Form.Item>
            <Form.Item name="hours" label={t('colours.answerModal.hours')} extra={t('colours.answerModal.hoursHelp')} rules={[{ required: true, type: 'integer', min: OVERRIDE_HOURS.min, max: OVERRIDE_HOURS.max, message: t('colours.answerModal.hoursHelp') }]}>
              <InputNumber min={OVERRIDE_HOURS.min} max={OVERRIDE_HOURS.max} precision={0} style={{ width: 140 }} data-testid="appeal-hours" />
            </Form.Item>
          </>
        )}
        <Form.Item name="answer" label={t('colours.answerModal.answer')} rules={[{ required: true, whitespace: true, min: 2, message: t('colours.answerModal.answerRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t('colours.answerModal.answerPlaceholder')} data-testid="appeal-answer" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
