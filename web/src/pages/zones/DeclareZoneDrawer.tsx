// 划定风险区域: one or more places from the place tree, the zone type (a policy, with what it
// means), a reason. Sent once with a key made per submission (a retry or a double click declares
// once); all places or none. A place that already has a zone in force is named on the places field.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Drawer, Form, Grid, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, type PlaceKind } from '../../api';
import { zones, type Zone, type ZonePolicy } from '../../api/zones';
import { PlaceTreeMultiSelect } from '../../components/PlaceTreeSelect';
import { errorText } from '../../components/useErrorMessage';
import { uuid } from '../../utils/uuid';
import { LevelTag, meaning, policyName, stepDownRule } from './labels';

// a zone lies on a street down to a unit (not a whole district, nor a gate)
const ZONE_PLACE_KINDS: PlaceKind[] = ['street', 'community', 'compound', 'grid', 'building', 'unit'];
const LEAF_KINDS: PlaceKind[] = ['unit'];

interface Values {
  placeIds: number[];
  policy?: string;
  reason: string;
}

interface Props {
  open: boolean;
  policies: ZonePolicy[];
  onClose: () => void;
  onDeclared: (items: Zone[]) => void;
}

export default function DeclareZoneDrawer({ open, policies, onClose, onDeclared }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const key = useRef(uuid());
  const policyKey = Form.useWatch('policy', form);
  const chosen = policies.find((p) => p.key === policyKey);

  // each opening is a new request: a fresh key
  useEffect(() => {
    if (!open) return;
    key.current = uuid();
    setError(undefined);
  }, [open]);

  const nameOf = (k: string) => {
    const p = policies.find((x) => x.key === k);
    return p ? policyName(p.names, lang) : k;
  };

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const r = await zones.declare({ key: key.current, placeIds: v.placeIds, policy: v.policy!, reason: v.reason.trim() });
      void message.success(r.replay ? t('zones.form.replay') : t('zones.form.done', { count: r.items.length }));
      onDeclared(r.items);
    } catch (err) {
      if (err instanceof ApiError && err.sessionLost) return;
      // "placeIds[0]" and the like: the place at fault is named in the message; it goes on the places field
      if (err instanceof ApiError && err.field?.startsWith('placeIds')) form.setFields([{ name: 'placeIds', errors: [err.text(lang)] }]);
      else if (err instanceof ApiError && (err.field === 'policy' || err.field === 'reason')) form.setFields([{ name: err.field, errors: [err.text(lang)] }]);
      else setError(errorText(err, lang, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('zones.form.title')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
      data-testid="declare-zone"
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger loading={busy} onClick={submit} data-testid="declare-zone-submit">
            {t('zones.form.submit')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="declare-zone-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ placeIds: [], reason: '' }}
        preserve={false}
        // a changed form is another request: a new key (an unchanged retry keeps its key, and declares once)
        onValuesChange={() => (key.current = uuid())}
        data-testid="declare-zone-form"
      >
        <Form.Item
          name="placeIds"
          label={t('zones.form.places')}
          extra={t('zones.form.placesHelp')}
          rules={[{ validator: async (_, v?: number[]) => { if (!v?.length) throw new Error(t('zones.form.placesRequired')); } }]}
        >
          <PlaceTreeMultiSelect selectableKinds={ZONE_PLACE_KINDS} leafKinds={LEAF_KINDS} data-testid="declare-zone-places" />
        </Form.Item>
        <Form.Item
          name="policy"
          label={t('zones.form.policy')}
          rules={[{ required: true, message: t('zones.form.policyRequired') }]}
          extra={chosen && <span data-testid="declare-zone-policy-rule">{[...meaning(t, chosen), stepDownRule(t, chosen, nameOf)].join(' · ')}</span>}
        >
          <Select
            data-testid="declare-zone-policy"
            options={policies.map((p) => ({ value: p.key, label: policyName(p.names, lang), policy: p }))}
            optionRender={(o) => {
              const p = (o.data as { policy: ZonePolicy }).policy;
              return (
                <span className="fk-zone-policy-option">
                  <span>
                    <LevelTag level={p.level} names={p.names} lang={lang} />
                  </span>
                  <span className="fk-zone-sub">{meaning(t, p).join(' · ')}</span>
                </span>
              );
            }}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('zones.form.reason')}
          rules={[
            {
              validator: async (_, v?: string) => {
                const n = v?.trim().length ?? 0;
                if (n < 2 || n > 500) throw new Error(t('zones.form.reasonRequired'));
              },
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('zones.form.reasonPlaceholder')} data-testid="declare-zone-reason" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
