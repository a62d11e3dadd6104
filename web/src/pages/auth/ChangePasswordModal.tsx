import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import ChangePasswordForm from './ChangePasswordForm';

export default function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} title={t('auth.changePassword')} footer={null} destroyOnHidden width={420}>
      <ChangePasswordForm onDone={onClose} />
    </Modal>
  );
}
