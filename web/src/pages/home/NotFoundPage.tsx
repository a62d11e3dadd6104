import { Button, Card, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

export default function NotFoundPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card>
      <Result status="404" title={t('home.notFound')} extra={<Button type="primary" onClick={() => navigate('/')}>{t('nav.home')}</Button>} />
    </Card>
  );
}
