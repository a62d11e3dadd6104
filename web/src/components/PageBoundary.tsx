// Catches a page that failed to render, mostly a page whose code could not be downloaded
// because the console is offline and the page was never opened before. Offline it shows the
// offline state with a retry button and retries by itself when the server answers again
// (the network epoch changes) or when `resetKey` changes (another page was opened).
import { Component, type ReactNode } from 'react';
import { Button, Result } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNetwork } from '../api/network';
import { OfflineState } from './LoadFailed';
import { isChunkError, retryFailedPages } from './lazyPage';

interface Props {
  resetKey: string;
  children: ReactNode;
}

function Failed({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  const { offline } = useNetwork();
  const button = (
    <Button type="primary" icon={<ReloadOutlined />} onClick={retry} data-testid="page-retry">
      {t('offline.retry')}
    </Button>
  );
  if (offline || isChunkError(error)) return <OfflineState extra={button} hint={t('offline.pageHint')} />;
  return <Result status="warning" title={t('errors.unexpected')} extra={button} data-testid="page-failed" />;
}

class Boundary extends Component<Props & { epoch: number }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error('page failed') };
  }

  override componentDidUpdate(prev: Props & { epoch: number }) {
    if (this.state.error && (prev.epoch !== this.props.epoch || prev.resetKey !== this.props.resetKey)) this.retry();
  }

  override componentDidMount() {
    window.addEventListener('online', this.onOnline);
  }

  override componentWillUnmount() {
    window.removeEventListener('online', this.onOnline);
  }

  onOnline = () => {
    if (this.state.error) this.retry();
  };

  retry = () => {
    retryFailedPages();
    this.setState({ error: undefined });
  };

  override render() {
    if (this.state.error) return <Failed error={this.state.error} retry={this.retry} />;
    return this.props.children;
  }
}

export default function PageBoundary({ resetKey, children }: Props) {
  const { epoch } = useNetwork();
  return (
    <Boundary resetKey={resetKey} epoch={epoch}>
      {children}
    </Boundary>
  );
}
