// 管控策略: what each kind of zone means (the latest version of each policy, strictest first):
// movement, supplies, testing, the step-down rule. The administrator edits one: a new version;
// zones in force keep theirs until an officer re-applies it (the zones page shows "newer version").
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Drawer, Form, Grid, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { MOVEMENTS, POLICY_LANGUAGES, SUPPLIES, ZONE_LEVELS, zones, type PolicyRules, type ZonePolicy } from '../../api/zones';
import { useAuth } from '../../auth/AuthContext';
import { useOfflineEmpty } from '../../components/LoadFailed';
import { errorText, useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import { applyPathError } from '../testing/campaign/fieldErrors';
import { byLevel, LevelTag, policyName, stepDownRule, testingText } from './labels';

const LANGUAGE_NAMES: Record<string, string> = { 'zh-CN': '中文', 'en-US': 'English', 'ko-KR': '한국어' };

export default function ZonePoliciesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useAuth();
  const showError = useErrorMessage();
  const offlineEmpty = useOfflineEmpty();
  const mobile = Grid.useBreakpoint().md === false;
  const [items, setItems] = useState<ZonePolicy[]>();
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<ZonePolicy | null>(null);
  const admin = can('zones.policies');

  useCrumbs([{ title: t('zones.policies.title') }], `zone-policies-${lang}`);

  const load = useCallback(() => {
    setLoading(true);
    zones
      .policies()
      .then((r) => setItems(byLevel(r.items)))
      .catch(showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(load, [load]);

  const nameOf = (key: string) => {
    const p = items?.find((x) => x.key === key);
    return p ? policyName(p.names, lang) : key;
  };

  const rulesLines = (p: ZonePolicy) => (
    <span className="fk-zone-means">
      <span>{t(`zones.movement.${p.movement}`)}</span>
      <span>{t(`zones.supply.${p.supply}`)}</span>
      <span>{testingText(t, p)}</span>
    </span>
  );

  const editButton = (p: ZonePolicy) => (
    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`edit-policy-${p.key}`}>
      {t('zones.policies.edit')}
    </Button>
  );

  const version = (p: ZonePolicy) => (
    <Space orientation="vertical" size={0}>
      <span data-testid="policy-version">{t('zones.version', { version: p.version })}</span>
      <span className="fk-zone-sub fk-zone-nowrap">{t('zones.policies.versions', { count: p.versions })}</span>
    </Space>
  );

  const columns: ColumnsType<ZonePolicy> = mobile
    ? [
        {
          title: t('zones.policies.col.name'),
          key: 'policy',
          render: (_, p) => (
            <div className="fk-zone-mobile">
              <div className="fk-zone-mobile-head">
                <LevelTag level={p.level} names={p.names} lang={lang} />
                <span className="fk-zone-sub">
                  {t(`zones.level.${p.level}`)} · {t('zones.version', { version: p.version })}
                </span>
              </div>
              {rulesLines(p)}
              <span className="fk-zone-sub">{stepDownRule(t, p, nameOf)}</span>
              {admin && <div>{editButton(p)}</div>}
            </div>
          ),
        },
      ]
    : [
        {
          title: t('zones.policies.col.name'),
          key: 'name',
          render: (_, p) => (
            <Space orientation="vertical" size={0}>
              <LevelTag level={p.level} names={p.names} lang={lang} />
              <span className="fk-zone-sub fk-mono">{p.key}</span>
            </Space>
          ),
        },
        { title: t('zones.policies.col.level'), dataIndex: 'level', render: (v: string) => t(`zones.level.${v}`) },
        { title: t('zones.policies.col.version'), key: 'version', render: (_, p) => version(p) },
        { title: t('zones.policies.col.movement'), dataIndex: 'movement', render: (v: string) => t(`zones.movement.${v}`) },
        { title: t('zones.policies.col.supply'), dataIndex: 'supply', render: (v: string) => t(`zones.supply.${v}`) },
        { title: t('zones.policies.col.testing'), key: 'testing', render: (_, p) => testingText(t, p) },
        { title: t('zones.policies.col.stepDown'), key: 'stepDown', render: (_, p) => <span style={{ display: 'inline-block', maxWidth: 260 }}>{stepDownRule(t, p, nameOf)}</span> },
        { title: t('zones.policies.col.updated'), dataIndex: 'createdAt', render: (v: string) => <span className="fk-mono fk-zone-nowrap">{formatTime(v)}</span> },
        ...(admin ? ([{ title: t('zones.col.actions'), key: 'actions', render: (_, p) => editButton(p) }] as ColumnsType<ZonePolicy>) : []),
      ];

  return (
    <Card
      size="small"
      className="fk-wrap-title"
      title={t('zones.policies.title')}
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label={t('zones.refresh')} title={t('zones.refresh')} />}
      data-testid="zone-policies-page"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('zones.policies.intro')}
        {!admin && ` ${t('zones.policies.readOnly')}`}
      </Typography.Paragraph>
      {/* no sideways scroll: the cells wrap to fit (a scrolling region needs keyboard focus, which a read-only table has none of — axe scrollable-region-focusable) */}
      <Table<ZonePolicy>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={items ?? []}
        loading={loading && !items}
        pagination={false}
        onRow={(p) => ({ 'data-testid': `policy-row-${p.key}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: offlineEmpty(' ') }}
        data-testid="zone-policies-table"
      />
      {admin && (
        <PolicyDrawer
          policy={editing}
          policies={items ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
        />
      )}
    </Card>
  );
}

interface Values extends Omit<PolicyRules, 'stepDownTo'> {
  /** '' for "nothing: stepping down lifts it" (a Select cannot hold null) */
  stepDownTo: string;
}

function PolicyDrawer({ policy, policies, onClose, onSaved }: { policy: ZonePolicy | null; policies: ZonePolicy[]; onClose: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (policy) setError(undefined);
  }, [policy]);

  const save = async () => {
    if (!policy) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const names: PolicyRules['names'] = { 'zh-CN': v.names['zh-CN'].trim() };
    for (const l of POLICY_LANGUAGES) if (l !== 'zh-CN' && v.names[l]?.trim()) names[l] = v.names[l]!.trim();
    const body: PolicyRules = {
      level: v.level,
      names,
      movement: v.movement,
      supply: v.supply,
      testEveryDays: v.testEveryDays ?? null,
      testPerHousehold: !!v.testPerHousehold,
      stepDownDays: v.stepDownDays ?? null,
      stepDownTo: v.stepDownTo || null,
    };
    setBusy(true);
    setError(undefined);
    try {
      const saved = await zones.updatePolicy(policy.key, body);
      void message.success(t('zones.policies.saved', { version: saved.version }));
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.sessionLost) return;
      if (!applyPathError(form, err, lang)) setError(errorText(err, lang, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const initial: Values | undefined = policy
    ? {
        level: policy.level,
        names: { ...policy.names },
        movement: policy.movement,
        supply: policy.supply,
        testEveryDays: policy.testEveryDays,
        testPerHousehold: policy.testPerHousehold,
        stepDownDays: policy.stepDownDays,
        stepDownTo: policy.stepDownTo ?? '',
      }
    : undefined;

  return (
    <Drawer
      open={!!policy}
      onClose={onClose}
      title={policy ? t('zones.policies.editTitle', { name: policyName(policy.names, lang) }) : ''}
      size={screens.md ? 520 : '100%'}
      destroyOnHidden
      data-testid="policy-drawer"
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={save} data-testid="policy-save">
            {t('zones.policies.save')}
          </Button>
        </Space>
      }
    >
      {policy && (
        <>
          <Typography.Paragraph type="secondary">{t('zones.policies.editExplain', { version: policy.version + 1 })}</Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="policy-error" />}
          <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={initial} preserve={false} data-testid="policy-form">
            <Form.Item name="level" label={t('zones.policies.field.level')} rules={[{ required: true }]}>
              <Select options={ZONE_LEVELS.map((l) => ({ value: l, label: t(`zones.level.${l}`) }))} data-testid="policy-level" />
            </Form.Item>
            <Form.Item label={t('zones.policies.field.names')} required style={{ marginBottom: 0 }}>
              {POLICY_LANGUAGES.map((l) => (
                <Form.Item
                  key={l}
                  name={['names', l]}
                  rules={l === 'zh-CN' ? [{ required: true, whitespace: true, message: t('zones.policies.field.nameRequired') }] : []}
                  style={{ marginBottom: 8 }}
                >
                  <Input prefix={<span className="fk-zone-sub" style={{ width: 56, display: 'inline-block' }}>{LANGUAGE_NAMES[l]}</span>} maxLength={l === 'zh-CN' ? 40 : 60} lang={l} aria-label={`${t('zones.policies.field.names')} ${LANGUAGE_NAMES[l]}`} data-testid={`policy-name-${l}`} />
                </Form.Item>
              ))}
            </Form.Item>
            <Form.Item name="movement" label={t('zones.policies.field.movement')} rules={[{ required: true }]}>
              <Select options={MOVEMENTS.map((m) => ({ value: m, label: t(`zones.movement.${m}`) }))} data-testid="policy-movement" />
            </Form.Item>
            <Form.Item name="supply" label={t('zones.policies.field.supply')} rules={[{ required: true }]}>
              <Select options={SUPPLIES.map((s) => ({ value: s, label: t(`zones.supply.${s}`) }))} data-testid="policy-supply" />
            </Form.Item>
            <Space wrap size={12} align="start" style={{ width: '100%' }}>
              <Form.Item name="testEveryDays" label={t('zones.policies.field.testEveryDays')} extra={t('zones.policies.field.testEveryDaysHelp')} style={{ maxWidth: 220 }}>
                <InputNumber min={1} max={30} precision={0} style={{ width: 160 }} data-testid="policy-test-every" />
              </Form.Item>
              <Form.Item name="stepDownDays" label={t('zones.policies.field.stepDownDays')} extra={t('zones.policies.field.stepDownDaysHelp')} style={{ maxWidth: 220 }}>
                <InputNumber min={1} max={90} precision={0} style={{ width: 160 }} data-testid="policy-step-down-days" />
              </Form.Item>
            </Space>
            <Form.Item name="testPerHousehold" valuePropName="checked">
              <Checkbox data-testid="policy-per-household">{t('zones.policies.field.testPerHousehold')}</Checkbox>
            </Form.Item>
            <Form.Item name="stepDownTo" label={t('zones.policies.field.stepDownTo')}>
              <Select
                options={[
                  { value: '', label: t('zones.policies.field.stepDownToNone') },
                  ...policies.filter((p) => p.key !== policy.key).map((p) => ({ value: p.key, label: policyName(p.names, lang) })),
                ]}
                data-testid="policy-step-down-to"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Drawer>
  );
}
