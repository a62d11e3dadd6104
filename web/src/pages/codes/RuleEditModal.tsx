// Editing a colour rule (the administrator's): on or off, the colour it gives, its parameter
// (days, grace hours, or zone levels, by rule), its name for staff and its plain words for the
// resident in each language. Saving makes the rule's next version, in force at once.
import { useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { codes, RULE_COLOURS, WORDS_LANGUAGES, wordsIn, type ColourRule, type RuleEdit, type RuleKey, type Words } from '../../api/codes';
import { ZONE_LEVELS } from '../../api/zones';
import { formErrorText } from '../../components/serverErrors';
import { ColourTag } from './labels';

/** Which parameter each rule takes, and its bounds (the server checks the same). */
const PARAM: Record<RuleKey, { kind: 'days' | 'hours' | 'levels'; min?: number; max?: number }> = {
  positive: { kind: 'days', min: 1, max: 60 },
  antigen_positive: { kind: 'days', min: 1, max: 14 },
  strict_zone: { kind: 'levels' },
  controlled_zone: { kind: 'levels' },
  test_overdue: { kind: 'hours', min: 0, max: 168 },
};

type Values = Omit<RuleEdit, 'names' | 'plain'> & { names: Partial<Record<keyof Words, string>>; plain: Partial<Record<keyof Words, string>> };

/** The words as the server takes them: Chinese always, the others only when written. */
function cleanWords(w: Values['names']): Words {
  const out: Words = { 'zh-CN': (w['zh-CN'] ?? '').trim() };
  for (const l of ['en-US', 'ko-KR'] as const) {
    const v = w[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

export default function RuleEditModal({ rule, onClose, onDone }: { rule: ColourRule | undefined; onClose: () => void; onDone: (r: ColourRule) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const param = rule ? PARAM[rule.key] : undefined;

  const submit = async (v: Values) => {
    if (!rule || !param) return;
    setBusy(true);
    setError(undefined);
    try {
      const params = param.kind === 'levels' ? { levels: v.params.levels } : param.kind === 'days' ? { days: v.params.days } : { hours: v.params.hours };
      onDone(await codes.updateRule(rule.key, { enabled: v.enabled, colour: v.colour, params, names: cleanWords(v.names), plain: cleanWords(v.plain) }));
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const words = (field: 'names' | 'plain', rows: number) =>
    WORDS_LANGUAGES.map((l) => (
      <Form.Item
        key={l}
        name={[field, l]}
        label={<span lang={l}>{t(`colours.rules.language.${l}`)}</span>}
        rules={l === 'zh-CN' ? [{ required: true, whitespace: true, message: t('colours.rules.form.required') }] : []}
        style={{ marginBottom: 8 }}
      >
        {rows > 1 ? (
          <Input.TextArea rows={rows} maxLength={l === 'zh-CN' ? 200 : 300} lang={l} data-testid={`rule-${field}-${l}`} />
        ) : (
          <Input maxLength={l === 'zh-CN' ? 200 : 300} lang={l} data-testid={`rule-${field}-${l}`} />
        )}
      </Form.Item>
    ));

  return (
    <Modal
      open={!!rule}
      width={640}
      title={rule ? t('colours.rules.form.title', { name: wordsIn(rule.names, i18n.language) }) : ''}
      okText={t('colours.rules.form.ok')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, 'data-testid': 'rule-save' }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => o || setError(undefined)}
    >
      {rule && param && (
        <>
          <p className="fk-muted" style={{ marginTop: 0 }}>
            {t('colours.rules.form.explain', { version: rule.version + 1 })}
          </p>
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            preserve={false}
            initialValues={{ enabled: rule.enabled, colour: rule.colour, params: rule.params, names: rule.names, plain: rule.plain }}
            onFinish={submit}
            data-testid="rule-form"
          >
            <div style={{ display: 'flex', gap: 32, flexWrap: 'wrap' }}>
              <Form.Item name="enabled" label={t('colours.rules.form.enabled')} valuePropName="checked">
                <Switch data-testid="rule-enabled" />
              </Form.Item>
              <Form.Item name="colour" label={t('colours.rules.form.colour')}>
                <Radio.Group data-testid="rule-colour">
                  {RULE_COLOURS.map((c) => (
                    <Radio key={c} value={c}>
                      <ColourTag t={t} colour={c} />
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              {param.kind === 'levels' ? (
                <Form.Item
                  name={['params', 'levels']}
                  label={t('colours.rules.form.levels')}
                  extra={t('colours.rules.form.levelsHelp')}
                  rules={[{ required: true, type: 'array', min: 1, message: t('colours.rules.form.levelsRequired') }]}
                  style={{ minWidth: 260, flex: 1 }}
                >
                  <Select mode="multiple" options={ZONE_LEVELS.map((l) => ({ value: l, label: t(`colours.level.${l}`) }))} data-testid="rule-levels" />
                </Form.Item>
              ) : (
                <Form.Item
                  name={['params', param.kind]}
                  label={t(`colours.rules.form.${param.kind}`)}
                  extra={param.kind === 'days' ? t('colours.rules.form.daysHelp', { min: param.min, max: param.max }) : t('colours.rules.form.hoursHelp')}
                  rules={[{ required: true, type: 'integer', min: param.min, max: param.max, message: param.kind === 'days' ? t('colours.rules.form.daysHelp', { min: param.min, max: param.max }) : t('colours.rules.form.hoursHelp') }]}
                >
                  <InputNumber min={param.min} max={param.max} precision={0} style={{ width: 120 }} data-testid={`rule-${param.kind}`} />
                </Form.Item>
              )}
            </div>
            <fieldset className="fk-rule-words">
              <legend>{t('colours.rules.form.names')}</legend>
              {words('names', 1)}
            </fieldset>
            <fieldset className="fk-rule-words">
              <legend>{t('colours.rules.form.plain')}</legend>
              {words('plain', 2)}
            </fieldset>
          </Form>
        </>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
