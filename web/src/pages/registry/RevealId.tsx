// A masked ID number with a reveal button. Revealing is audit-logged, and the dialog says so.
import { useState } from 'react';
import { App, Button, Tooltip, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { residents } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import { useErrorMessage } from '../../components/useErrorMessage';

export default function RevealId({ residentId, masked, name }: { residentId: number; masked: string; name: string }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { can } = useAuth();
  const showError = useErrorMessage();
  const [full, setFull] = useState<string>();

  const ask = () =>
    modal.confirm({
      title: t('resident.revealTitle'),
      content: t('resident.revealExplain', { name }),
      okText: t('resident.revealOk'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await residents.revealId(residentId);
          setFull(r.idNumber);
        } catch (err) {
          showError(err);
        }
      },
    });

  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {full ? (
        <Typography.Text className="fk-mono" copyable={{ text: full, tooltips: [t('common.copy'), t('common.copied')] }} data-testid="id-full">
          {full}
        </Typography.Text>
      ) : (
        <span className="fk-mono" data-testid="id-masked">
          {masked}
        </span>
      )}
      {can('registry.reveal') &&
        (full ? (
          <Tooltip title={t('resident.hideId')}>
            <Button type="text" size="small" icon={<EyeInvisibleOutlined />} onClick={() => setFull(undefined)} aria-label={t('resident.hideId')} />
          </Tooltip>
        ) : (
          <Tooltip title={t('resident.revealId')}>
            <Button type="text" size="small" icon={<EyeOutlined />} onClick={ask} aria-label={t('resident.revealId')} data-testid="reveal-id" />
          </Tooltip>
        ))}
    </span>
  );
}
