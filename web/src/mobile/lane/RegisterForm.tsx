// An unknown ID number: register the person on the spot (name, phone) and sample them with
// the same scan (same key), so nobody waits while the community sorts out their record later.
import { useEffect, useId, useRef, useState } from 'react';
import { Alert, Button } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

interface Props {
  label: string;
  tube: string;
  error?: string;
  errorField?: string;
  busy?: boolean;
  onSubmit: (v: { name: string; phone: string | null }) => void;
  onCancel: () => void;
}

export default function RegisterForm({ label, tube, error, errorField, busy, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [missing, setMissing] = useState(false);

  useEffect(() => nameRef.current?.focus(), []);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      nameRef.current?.focus();
      return;
    }
    onSubmit({ name: name.trim(), phone: phone.trim() || null });
  };

  // the masked number stays on one line: the sentence around it wraps instead
  const [whoBefore, whoAfter = ''] = t('lane.register.who', { label: '\u0000' }).split('\u0000');
  const nameError = missing && !name.trim() ? t('lane.register.nameRequired') : errorField === 'register.name' || errorField === 'name' ? error : undefined;
  const phoneError = errorField === 'register.phone' || errorField === 'phone' ? error : undefined;
  const otherError = error && !nameError && !phoneError ? error : undefined;

  return (
    <form className="fk-lane-register" onSubmit={submit} data-testid="lane-register" aria-labelledby={`${id}-title`}>
      <div className="fk-lane-register-title" id={`${id}-title`}>
        <UserAddOutlined /> {t('lane.register.title')}
      </div>
      <div className="fk-lane-register-who">
        {whoBefore}
        <span className="fk-nowrap">{label}</span>
        {whoAfter} · {t('lane.tubeShort', { barcode: tube })}
      </div>
      <p className="fk-lane-hint">{t('lane.register.explain')}</p>
      {otherError && <Alert type="error" showIcon title={otherError} className="fk-lane-alert" data-testid="lane-register-error" />}
      <label htmlFor={`${id}-name`} className="fk-lane-label">
        {t('lane.register.name')} <span className="fk-lane-req">*</span>
      </label>
      <input
        id={`${id}-name`}
        ref={nameRef}
        className="fk-lane-input"
        value={name}
        maxLength={50}
        autoComplete="off"
        aria-required="true"
        aria-invalid={!!nameError}
        data-testid="lane-register-name"
        onChange={(e) => setName(e.target.value)}
      />
      {nameError && <div className="fk-lane-field-error" role="alert">{nameError}</div>}
      <label htmlFor={`${id}-phone`} className="fk-lane-label">
        {t('lane.register.phone')}
      </label>
      <input
        id={`${id}-phone`}
        className="fk-lane-input"
        value={phone}
        maxLength={20}
        inputMode="tel"
        autoComplete="off"
        aria-invalid={!!phoneError}
        data-testid="lane-register-phone"
        onChange={(e) => setPhone(e.target.value)}
      />
      {phoneError && <div className="fk-lane-field-error" role="alert">{phoneError}</div>}
      <div className="fk-lane-actions">
        <Button size="large" className="fk-lane-big" onClick={onCancel} disabled={busy} data-testid="lane-register-cancel">
          {t('common.cancel')}
        </Button>
        <Button size="large" type="primary" htmlType="submit" className="fk-lane-big" loading={busy} data-testid="lane-register-submit">
          {t('lane.register.submit')}
        </Button>
      </div>
    </form>
  );
}
