import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from '../../api';
import { formErrorText } from '../../components/serverErrors';
import { errorText } from '../../components/useErrorMessage';

const FIELD_MAP = { currentPassword: 'currentPassword', newPassword: 'newPassword' };

export default function ChangePasswordForm({ onDone, forced }: { onDone: () => void; forced?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await auth.changePassword(v.currentPassword, v.newPassword);
      void message.success(t('auth.passwordChanged'));
      form.resetFields();
      onDone();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'AUTH_PASSWORD_WRONG') form.setFields([{ name: 'currentPassword', errors: [errorText(err, i18n.language, '')] }]);
      else if (code === 'AUTH_PASSWORD_WEAK') form.setFields([{ name: 'newPassword', errors: [errorText(err, i18n.language, '')] }]);
      else setError(formErrorText(form, err, i18n.language, t('errors.unexpected'), FIELD_MAP));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
      {forced && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('auth.mustChange')} />}
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
      <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('auth.currentPasswordRequired') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('auth.newPassword')}
        extra={t('auth.passwordRule')}
        rules={[
          { required: true, message: t('auth.newPasswordRequired') },
          { min: 10, message: t('auth.passwordRule') },
          { pattern: /(?=.*[A-Za-z])(?=.*\d)/, message: t('auth.passwordRule') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('auth.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.confirmMismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block>
        {t('auth.changePassword')}
      </Button>
    </Form>
  );
}
