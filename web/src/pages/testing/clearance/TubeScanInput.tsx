// Tube barcodes typed or scanned one by one: a hardware scanner types the code and Enter, so
// Enter adds it to the list; a pasted column of codes adds them all. Each tube is a line with
// its number, so an error the server names by index (tubes[1]) shows next to that tube.
import { useRef, useState } from 'react';
import { Button, Input, type InputRef } from 'antd';
import { CloseOutlined, ScanOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { BARCODE } from './labels';
import './clearance.css';

export interface TubeScanInputProps {
  value: string[];
  onChange: (tubes: string[]) => void;
  /** messages by index into value (from the server's tubes[i] fields) */
  errors?: Record<number, string>;
  /** tubes to mark as not expected (e.g. not in the box) */
  warn?: (tube: string) => string | null;
  disabled?: boolean;
  testId?: string;
  inputRef?: React.Ref<InputRef>;
}

export default function TubeScanInput({ value, onChange, errors = {}, warn, disabled, testId = 'tube-scan', inputRef }: TubeScanInputProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [hint, setHint] = useState<string>();
  const own = useRef<InputRef>(null);

  const add = (raw: string) => {
    const codes = raw
      .split(/[\s,;，；]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    if (!codes.length) return;
    const next = [...value];
    const bad: string[] = [];
    const dup: string[] = [];
    for (const c of codes) {
      if (!BARCODE.test(c)) bad.push(c);
      else if (next.includes(c)) dup.push(c);
      else next.push(c);
    }
    if (next.length !== value.length) onChange(next);
    setText(bad.join(' '));
    setHint(bad.length ? t('clearance.scan.badBarcode', { code: bad[0] }) : dup.length ? t('clearance.scan.duplicate', { code: dup[0] }) : undefined);
  };

  return (
    <div data-testid={testId}>
      <Input
        ref={inputRef ?? own}
        value={text}
        disabled={disabled}
        prefix={<ScanOutlined className="fk-muted" />}
        placeholder={t('clearance.scan.placeholder')}
        status={hint ? 'warning' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setHint(undefined);
        }}
        onPressEnter={(e) => {
          e.preventDefault();
          add(text);
        }}
        onPaste={(e) => {
          const pasted = e.clipboardData.getData('text');
          if (/[\s,;，；]/.test(pasted.trim())) {
            e.preventDefault();
            add(text + pasted);
          }
        }}
        autoComplete="off"
        data-testid={`${testId}-input`}
      />
      {hint && (
        <div style={{ color: 'var(--ant-color-warning)', fontSize: 12, marginTop: 2 }} data-testid={`${testId}-hint`}>
          {hint}
        </div>
      )}
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 4, fontSize: 12 }}>
        <span className="fk-muted" data-testid={`${testId}-count`}>
          {value.length ? t('clearance.scan.count', { count: value.length }) : t('clearance.scan.empty')}
        </span>
        {value.length > 0 && !disabled && (
          <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => onChange([])}>
            {t('clearance.scan.clear')}
          </Button>
        )}
      </div>
      {value.length > 0 && (
        <div className="fk-scan-list" data-testid={`${testId}-list`}>
          {value.map((code, i) => {
            const message = errors[i] ?? warn?.(code) ?? null;
            return (
              <div key={code} className={`fk-scan-item${errors[i] ? ' fk-scan-error' : ''}`} data-testid={`${testId}-item`} data-tube={code}>
                <span className="fk-scan-no">{i + 1}</span>
                <span className="fk-mono fk-scan-code">{code}</span>
                <span className="fk-scan-msg" style={errors[i] ? undefined : { color: 'var(--ant-color-warning)' }} data-testid={message ? `${testId}-error` : undefined}>
                  {message}
                </span>
                {!disabled && (
                  <Button
                    type="text"
                    size="small"
                    className="fk-scan-x"
                    icon={<CloseOutlined />}
                    aria-label={t('clearance.scan.remove', { code })}
                    onClick={() => onChange(value.filter((x) => x !== code))}
                    data-testid={`${testId}-remove`}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
