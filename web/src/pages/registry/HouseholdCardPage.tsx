// 户卡: a printable A4 page for door-to-door teams, one card per household member with the
// member's personal code as a QR, name, masked ID number and address. Outside the console
// layout so that it prints clean; GET /api/households/:id/card is audit-logged.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Result, Skeleton } from 'antd';
import { LeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, households, type Answer } from '../../api';
import { errorText } from '../../components/useErrorMessage';
import { usePublicUrl } from '../../components/usePublicUrl';
import { selfReportUrl } from '../../api/system';
import { formatTime } from '../../utils/time';
import QrImage from './QrImage';
import './householdCard.css';
import LoadFailed from '../../components/LoadFailed';
import { isNetworkError } from '../../api/network';

type CardData = Answer<'/api/households/{id}/card'>;

export default function HouseholdCardPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const publicUrl = usePublicUrl();
  const [data, setData] = useState<CardData>();
  const [error, setError] = useState<unknown>();
  const [printedAt] = useState(() => new Date().toISOString());

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    households.card(Number(id)).then(setData, setError);
  }, [id]);

  useEffect(() => {
    if (data) document.title = `${t('card.title')} · ${data.household.address}`;
  }, [data, t]);

  if (error) {
    if (error instanceof ApiError && error.sessionLost) return null;
    if (isNetworkError(error)) return <LoadFailed error={error} />;
    return <Result status="404" title={errorText(error, i18n.language, t('errors.unexpected'))} extra={<Link to="/">{t('nav.home')}</Link>} />;
  }

  return (
    <div className="fk-card-page">
      <div className="fk-card-toolbar">
        <Link to={`/households/${id}`} className="fk-card-back">
          <LeftOutlined /> {t('card.back')}
        </Link>
        <span className="fk-card-toolbar-hint">
          {t('card.logged')}
          {publicUrl.known && !publicUrl.configured && (
            <>
              <br />
              <span data-testid="card-url-derived">{t('card.urlDerived', { url: publicUrl.url })}</span>
            </>
          )}
        </span>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!data?.members.length || !publicUrl.known} data-testid="card-print">
          {t('card.print')}
        </Button>
      </div>
      <article className="fk-card-sheet" data-testid="household-card">
        {!data ? (
          <Skeleton active />
        ) : (
          <>
            <header className="fk-card-head">
              <h1>
                {t('card.title')} · {data.household.address}
              </h1>
              <div className="fk-card-head-meta">
                {t('card.room')} {data.household.room} · {t('card.members', { count: data.members.length })} · {t('card.printedAt', { time: formatTime(printedAt) })}
              </div>
              <p className="fk-card-hint">
                {t('card.hint')}
                <br />
                <span data-testid="card-self-report">{t('card.selfReport', { url: selfReportUrl(publicUrl.url) })}</span>
              </p>
            </header>
            {!data.members.length && <p>{t('card.empty')}</p>}
            <div className="fk-card-grid">
              {data.members.map((m) => (
                <section className="fk-card" key={m.id} data-testid="card-member" aria-label={m.name}>
                  <div className="fk-card-qrcol">
                    {/* the QR opens the resident's home signed in (the code in the fragment never reaches a server); the lane reads the code out of it */}
                    <QrImage text={`${publicUrl.url}/home/card#${m.code}`} size={150} alt={t('card.qrAlt', { name: m.name })} testId="card-qr" />
                    {/* typed on the self-report page by a phone that cannot scan */}
                    <div className="fk-card-code fk-mono" data-testid="card-code">
                      {/* broken only before its last part: a break at a '-' would read as hyphenation */}
                      <span>{m.code.slice(0, m.code.lastIndexOf('.') + 1)}</span>
                      <wbr />
                      <span>{m.code.slice(m.code.lastIndexOf('.') + 1)}</span>
                    </div>
                  </div>
                  <div className="fk-card-text">
                    <div className="fk-card-name">{m.name}</div>
                    <div className="fk-card-line">
                      <span className="fk-card-k">{t('card.idNumber')}</span>
                      <span className="fk-mono">{m.idMasked}</span>
                    </div>
                    <div className="fk-card-line">
                      <span className="fk-card-k">{t('card.address')}</span>
                      <span>{data.household.address}</span>
                    </div>
                    <div className="fk-card-foot">{t('card.codeFooter')}</div>
                  </div>
                </section>
              ))}
            </div>
          </>
        )}
      </article>
    </div>
  );
}
