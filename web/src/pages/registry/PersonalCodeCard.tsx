// 个人码: the resident's personal code as a QR on their page, for a sampler to scan or to
// print a replacement card. Hidden when the code cannot be had (no permission, offline).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card } from 'antd';
import { PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { residents, type Answer } from '../../api';
import QrImage from './QrImage';

type Code = Answer<'/api/residents/{id}/code'>;

/** householdId null: registered at a lane without a household yet, so there is no household card to print. */
export default function PersonalCodeCard({ residentId, householdId }: { residentId: number; householdId: number | null }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<Code>();

  useEffect(() => {
    setCode(undefined);
    residents.code(residentId).then(setCode, () => undefined);
  }, [residentId]);

  if (!code) return null;
  return (
    <Card
      size="small"
      style={{ marginTop: 12, maxWidth: 420 }}
      title={
        <span>
          <QrcodeOutlined /> {t('card.personalCode')}
        </span>
      }
      extra={
        householdId !== null && (
          <Link to={`/households/${householdId}/card`} target="_blank" data-testid="print-household-card-link">
            <PrinterOutlined /> {t('card.printHousehold')}
          </Link>
        )
      }
      data-testid="personal-code"
    >
      <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
        <QrImage text={code.code} size={132} alt={t('card.qrAlt', { name: code.name })} testId="personal-code-qr" />
        <div style={{ minWidth: 0 }}>
          <div style={{ fontWeight: 600, fontSize: 16 }}>{code.name}</div>
          <div className="fk-mono">{code.idMasked}</div>
          <div className="fk-muted" style={{ fontSize: 12, marginTop: 6 }}>
            {t('card.personalCodeExplain')}
          </div>
        </div>
      </div>
    </Card>
  );
}
