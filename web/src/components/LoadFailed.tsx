// What a page shows where its data would be when loading failed: offline, the plain reason and
// that it will retry by itself (it does: the layout reloads the page when the server is back);
// otherwise the server's message.
import { Result } from 'antd';
import { DisconnectOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isNetworkError, useNetwork } from '../api/network';
import { errorText } from './useErrorMessage';

export function OfflineState({ compact = false, hint, extra }: { compact?: boolean; hint?: string; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      icon={<DisconnectOutlined />}
      title={t('offline.title')}
      subTitle={compact ? undefined : (hint ?? t('offline.hint'))}
      extra={extra}
      style={compact ? { padding: '16px 0' } : undefined}
      data-testid="offline-state"
    />
  );
}

export default function LoadFailed({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const { offline } = useNetwork();
  if (offline || isNetworkError(error)) return <OfflineState />;
  return <Result status="warning" title={errorText(error, i18n.language, t('errors.unexpected'))} data-testid="load-failed" />;
}

/** A table's empty text that says "offline" while the server cannot be reached (antd's renderEmpty does not reach a table with its own emptyText). */
export function useOfflineEmpty() {
  const { offline } = useNetwork();
  return (normal: React.ReactNode) => (offline ? <OfflineState compact /> : normal);
}
