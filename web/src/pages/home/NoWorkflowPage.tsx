import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';

/** A role whose workflows are not in the console yet sees this instead of empty pages. */
export default function NoWorkflowPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <Card>
      <Result status="info" title={t('home.noWorkflowTitle', { role: user ? t(`role.${user.role}`) : '' })} subTitle={t('home.noWorkflowHint')} />
    </Card>
  );
}
