// A decision on a zone in force (降级 / 解除 / 执行新版本): what it does, a reason (2–500
// characters, kept with the decision), and the server's message when it refuses (the zone
// ended meanwhile, the policy is already current, outside the area).
import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { zones, type Zone, type ZoneAction, type ZonePolicy } from '../../api/zones';
import { errorText } from '../../components/useErrorMessage';
import { policyName } from './labels';

interface Props {
  zone: Zone | null;
  action: ZoneAction | null;
  /** the latest policies, for the name of the policy a step-down leads to */
  policies: ZonePolicy[];
  onClose: () => void;
  onDone: () => void;
}

export default function ZoneActionModal({ zone, action, policies, onClose, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const open = !!zone && !!action;

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  if (!zone || !action) return null;
  const lang = i18n.language;
  const place = zone.place.name;
  const name = policyName(zone.policy.names, lang);
  const next = zone.policy.stepDownTo ? policies.find((p) => p.key === zone.policy.stepDownTo) : undefined;
  const title =
    action === 'stepDown' ? t('zones.action.stepDownTitle', { place, zone: name }) : action === 'lift' ? t('zones.action.liftTitle', { place, zone: name }) : t('zones.action.reapplyTitle', { place, zone: name });
  const explain =
    action === 'stepDown'
      ? zone.policy.stepDownTo
        ? t('zones.action.stepDownExplain', { place, to: next ? policyName(next.names, lang) : zone.policy.stepDownTo })
        : t('zones.action.stepDownLiftExplain', { place })
      : action === 'lift'
        ? t('zones.action.liftExplain', { place })
        : t('zones.action.reapplyExplain', { current: zone.policy.version, version: zone.newerVersion ?? zone.policy.version });

  const ok = async () => {
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'stepDown') {
        await zones.stepDown(zone.id, reason);
        void message.success(t('zones.action.stepDownDone'));
      } else if (action === 'lift') {
        await zones.lift(zone.id, reason);
        void message.success(t('zones.action.liftDone'));
      } else {
        const z = await zones.reapply(zone.id, reason);
        void message.success(t('zones.action.reapplyDone', { version: z.policy.version }));
      }
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.sessionLost) return;
      setError(errorText(err, lang, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const okText = t(`zones.action.${action}`);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: action !== 'reapply', loading: busy, 'data-testid': 'zone-action-ok' } as React.ComponentProps<typeof Modal>['okButtonProps']}
      onOk={ok}
      onCancel={onClose}
      destroyOnHidden
      data-testid="zone-action-modal"
    >
      <Typography.Paragraph>{explain}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item
          name="reason"
          label={t('zones.action.reason')}
          rules={[
            {
              validator: async (_, v?: string) => {
                const n = v?.trim().length ?? 0;
                if (n < 2 || n > 500) throw new Error(t('zones.action.reasonRequired'));
              },
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('zones.action.reasonPlaceholder')} data-testid="zone-action-reason" />
        </Form.Item>
      </Form>
      {error && (
        <div role="alert" style={{ color: '#a8071a' }} data-testid="zone-action-error">
          {error}
        </div>
      )}
    </Modal>
  );
}
