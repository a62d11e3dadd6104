// Staff accounts (账号): list, create with role and scope, disable/enable, unlock, reset password.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Dropdown, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { users, type Role, type RoleItem, type User } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import Pager from '../../components/Pager';
import ScrollHint from '../../components/ScrollHint';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import { formErrorText } from '../../components/serverErrors';
import { usePagedList } from '../../components/usePagedList';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import { useOfflineEmpty } from '../../components/LoadFailed';

interface AccountForm {
  username: string;
  displayName: string;
  role: Role;
  placeId: number;
  phone?: string;
  locale?: 'zh-CN' | 'en-US';
}

function OneTimePassword({ value, username }: { value: string; username: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="one-time-password">
      <Typography.Paragraph>{t('accounts.otpExplain', { username })}</Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text className="fk-mono" strong copyable={{ text: value, tooltips: [t('common.copy'), t('common.copied')] }} style={{ fontSize: 18 }}>
          {value}
        </Typography.Text>
      </Typography.Paragraph>
      <Alert type="warning" showIcon title={t('accounts.otpOnce')} />
    </div>
  );
}

/** The roles and which of them the signed-in user may grant (GET /api/roles, the server's rule). */
function useRoles(): RoleItem[] {
  const [roles, setRoles] = useState<RoleItem[]>([]);
  useEffect(() => {
    users.roles().then((r) => setRoles(r.items), () => undefined);
  }, []);
  return roles;
}

function AccountModal({
  open,
  editing,
  grantable,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing?: User;
  grantable: Role[];
  onClose: () => void;
  onSaved: (u: User, otp?: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<AccountForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    if (editing) form.setFieldsValue({ username: editing.username, displayName: editing.displayName, role: editing.role, placeId: editing.placeId ?? undefined, phone: editing.phone ?? '' });
    else form.setFieldsValue({ locale: 'zh-CN' });
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      if (editing) {
        const r = await users.update(editing.id, { displayName: v.displayName.trim(), role: v.role, placeId: v.placeId, phone: v.phone?.trim() || null });
        onSaved(r.user, r.oneTimePassword);
      } else {
        const r = await users.create({ username: v.username.trim(), displayName: v.displayName.trim(), role: v.role, placeId: v.placeId, phone: v.phone?.trim() || undefined, locale: v.locale });
        onSaved(r.user, r.oneTimePassword);
      }
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('accounts.editTitle', { name: editing.displayName }) : t('accounts.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="username"
          label={t('accounts.username')}
          extra={editing ? undefined : t('accounts.usernameHint')}
          rules={[{ required: true, message: t('accounts.usernameRequired') }, { pattern: /^[A-Za-z0-9_.@-]{3,40}$/, message: t('accounts.usernameHint') }]}
        >
          <Input disabled={!!editing} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, whitespace: true, message: t('accounts.displayNameRequired') }, { max: 40 }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true, message: t('accounts.roleRequired') }]}>
          <Select options={grantable.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="placeId" label={t('accounts.scope')} extra={t('accounts.scopeHint')} rules={[{ required: true, message: t('accounts.scopeRequired') }]}>
          <PlaceTreeSelect initialLabel={editing?.placeName ?? undefined} placeholder={t('accounts.pickScope')} />
        </Form.Item>
        <Form.Item name="phone" label={t('accounts.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('resident.phoneRule') }]}>
          <Input maxLength={11} inputMode="tel" />
        </Form.Item>
        {!editing && (
          <Form.Item name="locale" label={t('common.language')}>
            <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en-US', label: 'English' }]} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function AccountsPage() {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { modal, message } = App.useApp();
  const { user: me } = useAuth();
  const showError = useErrorMessage();
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const [role, setRole] = useState<Role>();
  const [dialog, setDialog] = useState<{ editing?: User } | null>(null);
  const roles = useRoles();
  const grantable = useMemo(() => roles.filter((r) => r.grantable).map((r) => r.role), [roles]);
  useCrumbs([], 'accounts');

  const fetchPage = useCallback((cursor: string | null, limit: number) => users.list({ q: q || undefined, role }, cursor, limit), [q, role]);
  const list = usePagedList(fetchPage, showError);

  const showOtp = (u: User, otp: string) =>
    modal.success({ title: t('accounts.otpTitle'), content: <OneTimePassword value={otp} username={u.username} />, okText: t('accounts.otpDone'), width: 460 });

  const act = async (u: User, body: Parameters<typeof users.update>[1], done: string) => {
    try {
      const r = await users.update(u.id, body);
      void message.success(done);
      list.reload();
      if (r.oneTimePassword) showOtp(r.user, r.oneTimePassword);
    } catch (err) {
      showError(err);
    }
  };

  const columns: ColumnsType<User> = useMemo(
    () => [
      { title: t('accounts.username'), dataIndex: 'username', width: 130, render: (v) => <span className="fk-mono">{v}</span> },
      { title: t('accounts.displayName'), dataIndex: 'displayName', width: 150 },
      { title: t('accounts.role'), dataIndex: 'role', width: 120, render: (r) => t(`role.${r}`) },
      { title: t('accounts.scope'), dataIndex: 'placeName', width: 140, render: (v) => v ?? t('app.allAreas') },
      { title: t('accounts.phone'), dataIndex: 'phone', width: 120, render: (v) => v ?? '—' },
      {
        title: t('accounts.status'),
        key: 'status',
        width: 150,
        render: (_, u) => (
          <Space size={4} wrap>
            {u.disabled ? <Tag color="default">{t('accounts.disabled')}</Tag> : <Tag color="green">{t('accounts.active')}</Tag>}
            {u.locked && <Tag color="red">{t('accounts.locked')}</Tag>}
            {u.mustChangePassword && <Tag color="gold">{t('accounts.mustChange')}</Tag>}
          </Space>
        ),
      },
      { title: t('common.createdAt'), dataIndex: 'createdAt', width: 160, render: formatTime },
      {
        title: t('common.actions'),
        key: 'actions',
        width: 150,
        fixed: 'right',
        render: (_, u) => {
          const self = u.id === me?.id;
          const manageable = !self && grantable.includes(u.role);
          if (!manageable) return <span className="fk-muted">—</span>;
          return (
            <Space size={0}>
              <Button type="link" size="small" onClick={() => setDialog({ editing: u })}>
                {t('common.edit')}
              </Button>
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    u.disabled ? { key: 'enable', label: t('accounts.enable') } : { key: 'disable', label: t('accounts.disable'), danger: true },
                    ...(u.locked ? [{ key: 'unlock', label: t('accounts.unlock') }] : []),
                    { key: 'reset', label: t('accounts.resetPassword') },
                  ],
                  onClick: ({ key }) => {
                    if (key === 'enable') void act(u, { disabled: false }, t('accounts.enabled', { name: u.displayName }));
                    if (key === 'unlock') void act(u, { unlock: true }, t('accounts.unlocked', { name: u.displayName }));
                    if (key === 'disable')
                      modal.confirm({
                        title: t('accounts.disableTitle', { name: u.displayName }),
                        content: t('accounts.disableExplain'),
                        okText: t('accounts.disable'),
                        okButtonProps: { danger: true },
                        cancelText: t('common.cancel'),
                        onOk: () => act(u, { disabled: true }, t('accounts.disabledDone', { name: u.displayName })),
                      });
                    if (key === 'reset')
                      modal.confirm({
                        title: t('accounts.resetTitle', { name: u.displayName }),
                        content: t('accounts.resetExplain'),
                        okText: t('accounts.resetPassword'),
                        cancelText: t('common.cancel'),
                        onOk: () => act(u, { resetPassword: true }, t('accounts.resetDone')),
                      });
                  },
                }}
              >
                <Button type="link" size="small" data-testid={`account-more-${u.username}`}>
                  {t('common.more')} <DownOutlined />
                </Button>
              </Dropdown>
            </Space>
          );
        },
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, me, grantable],
  );

  return (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <div className="fk-toolbar">
        <Input.Search
          allowClear
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => setQ(v.trim())}
          placeholder={t('accounts.searchPlaceholder')}
          style={{ width: 260, maxWidth: '100%' }}
        />
        <Select allowClear placeholder={t('accounts.role')} aria-label={t('accounts.role')} value={role} onChange={setRole} options={roles.map((r) => ({ value: r.role, label: t(`role.${r.role}`) }))} style={{ width: 160 }} />
        <span className="fk-spacer" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({})} data-testid="create-account">
          {t('accounts.create')}
        </Button>
      </div>
      <ScrollHint>
        <Table<User>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: offlineEmpty(list.loading ? <span /> : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q || role ? t('accounts.emptyFiltered') : t('accounts.empty')}>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({})}>{t('accounts.create')}</Button>
              </Empty>
            )),
          }}
          data-testid="accounts-table"
        />
      </ScrollHint>
      <Pager list={list} />
      <AccountModal
        open={!!dialog}
        grantable={grantable}
        editing={dialog?.editing}
        onClose={() => setDialog(null)}
        onSaved={(u, otp) => {
          setDialog(null);
          list.reload();
          void message.success(dialog?.editing ? t('accounts.saved') : t('accounts.created', { name: u.displayName }));
          if (otp) showOtp(u, otp);
        }}
      />
    </Card>
  );
}
