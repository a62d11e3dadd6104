// Forced password change (first sign-in with a one-time password).
import { Button, Card, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import LanguageSwitch from '../../components/LanguageSwitch';
import ChangePasswordForm from './ChangePasswordForm';

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const { user, refresh, signOut, setLocale } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') || '/';
  return (
    <div className="fk-login">
      <div className="fk-login-lang">
        <LanguageSwitch onChange={setLocale} light />
      </div>
      <Card className="fk-login-card">
        <div className="fk-login-title">
          <img src="/icons/icon.svg" alt="" />
          <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>
            {t('auth.changePassword')}
          </Typography.Title>
        </div>
        <Typography.Paragraph type="secondary">{t('auth.signedInAs', { name: user?.displayName, username: user?.username })}</Typography.Paragraph>
        <ChangePasswordForm
          forced={user?.mustChangePassword}
          onDone={async () => {
            await refresh();
            navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
          }}
        />
        <Button type="link" block style={{ marginTop: 8 }} onClick={async () => { await signOut(); navigate('/login', { replace: true }); }}>
          {t('auth.signOut')}
        </Button>
      </Card>
    </div>
  );
}
