// 赋码规则: the colour rules in force (the latest version of each), what each fires on and what
// the resident reads; the administrator turns one on or off or edits it (each a new version).
// A table on a desktop, one block per rule on a phone.
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Grid, Popconfirm, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, FileSearchOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { codes, wordsIn, type ColourRule } from '../../api/codes';
import { useAuth } from '../../auth/AuthContext';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { ColourTag, paramsText } from './labels';
import RuleEditModal from './RuleEditModal';
import './codes.css';

export default function ColourRulesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [items, setItems] = useState<ColourRule[]>();
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<ColourRule>();
  const [toggling, setToggling] = useState<string>();
  const mayEdit = can('codes.rules');
  useCrumbs([], `colour-rules-${i18n.language}`);

  const load = useCallback(() => {
    setLoading(true);
    codes
      .rules()
      .then((r) => setItems(r.items), showError)
      .finally(() => setLoading(false));
  }, [showError]);
  useEffect(load, [load]);

  const saved = (r: ColourRule) => {
    setItems((list) => list?.map((x) => (x.key === r.key ? r : x)));
    void message.success(t('colours.rules.saved', { version: r.version }));
  };
  const toggle = async (r: ColourRule) => {
    setToggling(r.key);
    try {
      saved(await codes.updateRule(r.key, { enabled: !r.enabled, colour: r.colour, params: r.params, names: r.names, plain: r.plain }));
    } catch (err) {
      showError(err);
    } finally {
      setToggling(undefined);
    }
  };

  const name = (r: ColourRule) => wordsIn(r.names, i18n.language);
  const nameCell = (r: ColourRule) => (
    <>
      <div style={{ fontWeight: 600 }}>{name(r)}</div>
      <div className="fk-mono fk-muted" style={{ fontSize: 12 }}>
        {r.key}
      </div>
    </>
  );
  const enabledCell = (r: ColourRule) =>
    mayEdit ? (
      <Popconfirm
        title={name(r)}
        description={t('colours.rules.form.explain', { version: r.version + 1 })}
        okText={r.enabled ? t('colours.rules.off') : t('colours.rules.on')}
        cancelText={t('common.cancel')}
        onConfirm={() => toggle(r)}
      >
        <span className="fk-rule-switch">
          <Switch size="small" checked={r.enabled} loading={toggling === r.key} aria-label={`${t('colours.rules.col.enabled')} ${name(r)}`} data-testid={`rule-toggle-${r.key}`} />
          <span aria-hidden="true">{r.enabled ? t('colours.rules.on') : t('colours.rules.off')}</span>
        </span>
      </Popconfirm>
    ) : (
      <Tag color={r.enabled ? 'green' : undefined} style={{ marginInlineEnd: 0 }}>
        {r.enabled ? t('colours.rules.on') : t('colours.rules.off')}
      </Tag>
    );
  const paramsCell = (r: ColourRule) => <span data-testid="rule-params">{paramsText(t, r.params)}</span>;
  const editButton = (r: ColourRule) => (
    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`rule-edit-${r.key}`} aria-label={`${t('colours.rules.edit')} ${name(r)}`}>
      {t('colours.rules.edit')}
    </Button>
  );

  const columns: ColumnsType<ColourRule> = [
    { title: t('colours.rules.col.name'), key: 'name', width: 250, render: (_, r) => nameCell(r) },
    { title: t('colours.rules.col.version'), dataIndex: 'version', width: 64, align: 'right' },
    { title: t('colours.rules.col.enabled'), key: 'enabled', width: 90, render: (_, r) => enabledCell(r) },
    { title: t('colours.rules.col.colour'), dataIndex: 'colour', width: 96, render: (c: string) => <ColourTag t={t} colour={c} /> },
    { title: t('colours.rules.col.params'), key: 'params', width: 190, render: (_, r) => paramsCell(r) },
    { title: t('colours.rules.col.plain'), key: 'plain', render: (_, r) => wordsIn(r.plain, i18n.language) },
    ...(mayEdit ? [{ title: t('colours.rules.col.action'), key: 'action', width: 96, render: (_: unknown, r: ColourRule) => editButton(r) }] : []),
  ];

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <FileSearchOutlined />
          {t('colours.rules.title')}
        </Space>
      }
      extra={<Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label={t('colours.appeals.refresh')} title={t('colours.appeals.refresh')} />}
      data-testid="colour-rules-page"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('colours.rules.intro')}
      </Typography.Paragraph>
      {mobile && !items ? (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
        </div>
      ) : mobile ? (
        <ul className="fk-codes-list" data-testid="colour-rules-list">
          {(items ?? []).map((r) => (
            <li key={r.key} data-testid="rule-row" data-rule={r.key}>
              {nameCell(r)}
              <Space size={8} wrap style={{ margin: '6px 0' }}>
                <ColourTag t={t} colour={r.colour} />
                <Tag style={{ marginInlineEnd: 0 }}>{t('colours.card.version', { version: r.version })}</Tag>
                {enabledCell(r)}
              </Space>
              <div>{paramsCell(r)}</div>
              <div className="fk-codes-list-text">{wordsIn(r.plain, i18n.language)}</div>
              {mayEdit && <div style={{ marginTop: 8 }}>{editButton(r)}</div>}
            </li>
          ))}
        </ul>
      ) : (
        <Table<ColourRule>
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={items}
          loading={loading && !items}
          pagination={false}
          tableLayout="fixed"
          scroll={{ x: 980 }}
          onRow={(r) => ({ 'data-testid': 'rule-row', 'data-rule': r.key }) as React.HTMLAttributes<HTMLElement>}
          data-testid="colour-rules-table"
        />
      )}
      <RuleEditModal
        rule={editing}
        onClose={() => setEditing(undefined)}
        onDone={(r) => {
          setEditing(undefined);
          saved(r);
        }}
      />
    </Card>
  );
}
