// Sign-in. After a lost session it says why and returns the user to where they were.
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import LanguageSwitch from '../../components/LanguageSwitch';
import { errorText } from '../../components/useErrorMessage';
import { pick } from '../../i18n';

function safeNext(n: string | null): string {
  return n && n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/login') ? n : '/';
}

export default function SignInPage() {
  const { t, i18n } = useTranslation();
  const { signIn, status, user, notice } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (status === 'signed-in' && user && !busy) return <Navigate to={user.mustChangePassword ? `/password?next=${encodeURIComponent(next)}` : next} replace />;

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const u = await signIn(v.username.trim(), v.password);
      navigate(u.mustChangePassword ? `/password?next=${encodeURIComponent(next)}` : next, { replace: true });
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
      setBusy(false);
    }
  };

  return (
    <div className="fk-login">
      <div className="fk-login-lang">
        <LanguageSwitch light />
      </div>
      <Card className="fk-login-card" styles={{ body: { padding: 28 } }}>
        <div className="fk-login-title">
          <img src="/icons/icon.svg" alt="" />
          <div>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
              {t('app.name')}
            </Typography.Title>
          </div>
        </div>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 20 }}>
          {t('app.tagline')}
        </Typography.Paragraph>
        {notice && !error && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={pick(notice)} data-testid="signin-notice" />}
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="signin-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in">
            {t('auth.signIn')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('auth.lockHint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
