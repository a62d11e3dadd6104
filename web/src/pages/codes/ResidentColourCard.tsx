// 码色 on a resident's page: the colour now, every rule that fired (its name, version, the fact
// behind it and when), and an override in force (who set it, why, until when); an officer sets
// one or revokes it from here. Hidden for roles that may not read colours.
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { EditOutlined, SafetyCertificateOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { codes, wordsIn, type ResidentColour } from '../../api/codes';
import { useAuth } from '../../auth/AuthContext';
import { formatTime } from '../../utils/time';
import { ColourTag, factDetails } from './labels';
import { OverrideModal, RevokeModal, type ColourTarget } from './ColourModals';
import './codes.css';

export default function ResidentColourCard({ resident }: { resident: ColourTarget }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [colour, setColour] = useState<ResidentColour>();
  const [failed, setFailed] = useState(false);
  const [dialog, setDialog] = useState<'override' | 'revoke'>();
  const allowed = can('codes.read');

  const load = useCallback(() => {
    codes.colour(resident.id).then(
      (c) => {
        setColour(c);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [resident.id]);
  useEffect(() => {
    if (allowed) load();
  }, [allowed, load]);

  if (!allowed) return null;

  const done = (c: ResidentColour, text: string) => {
    setColour(c);
    setDialog(undefined);
    void message.success(text);
  };

  const override = colour?.override;
  const mayOverride = can('codes.override');
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      loading={!colour && !failed}
      title={
        <Space size={6}>
          <SafetyCertificateOutlined />
          {t('colours.card.title')}
        </Space>
      }
      data-testid="resident-colour"
    >
      {failed ? (
        <Typography.Text type="secondary">{t('colours.card.failed')}</Typography.Text>
      ) : colour ? (
        <>
          <div className="fk-colour-head">
            <Space size={8} wrap>
              <ColourTag t={t} colour={colour.colour} testId="resident-colour-tag" big />
              {override && colour.ruled !== colour.colour && (
                <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="resident-colour-ruled">
                  {t('colours.card.ruled', { colour: t(`colours.colour.${colour.ruled}`) })}
                </Typography.Text>
              )}
            </Space>
            {mayOverride && (
              <Space size={8} wrap>
                <Button size="small" icon={<EditOutlined />} onClick={() => setDialog('override')} data-testid="colour-override">
                  {t('colours.card.overrideAction')}
                </Button>
                {override && (
                  <Button size="small" danger icon={<UndoOutlined />} onClick={() => setDialog('revoke')} data-testid="colour-revoke">
                    {t('colours.card.revokeAction')}
                  </Button>
                )}
              </Space>
            )}
          </div>
          {override && (
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 1, md: 2 }}
              title={<span style={{ fontSize: 14 }}>{t('colours.card.override')}</span>}
              styles={{ label: { width: 90 } }}
              style={{ marginBottom: 12 }}
              data-testid="resident-colour-override"
            >
              <Descriptions.Item label={t('colours.overrideModal.colour')}>
                <ColourTag t={t} colour={override.colour} />
              </Descriptions.Item>
              <Descriptions.Item label={t('colours.card.overrideUntil')}>
                <span className="fk-mono">{formatTime(override.expiresAt)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('colours.card.overrideReason')} span={2}>
                <span data-testid="resident-colour-override-reason" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {override.reason}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('colours.card.overrideBy')}>{override.by ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('colours.card.overrideAt')}>
                <span className="fk-mono">{formatTime(override.at)}</span>
              </Descriptions.Item>
            </Descriptions>
          )}
          {colour.reasons.length ? (
            <>
              <div style={{ fontWeight: 600, marginBottom: 6 }}>{t('colours.card.reasons')}</div>
              <ul className="fk-colour-rules" data-testid="resident-colour-reasons">
                {colour.reasons.map((r) => {
                  const details = factDetails(t, r.fact.detail);
                  return (
                    <li key={`${r.rule}-${r.version}`} className={`fk-colour-rule is-${r.colour}`} data-testid="resident-colour-reason">
                      <Space size={6} wrap>
                        <ColourTag t={t} colour={r.colour} />
                        <span style={{ fontWeight: 600 }}>{wordsIn(r.name, i18n.language)}</span>
                        <Tag style={{ marginInlineEnd: 0 }} title={r.rule}>
                          {t('colours.card.version', { version: r.version })}
                        </Tag>
                      </Space>
                      <div className="fk-colour-rule-fact" data-testid="resident-colour-fact">
                        <span>
                          <span className="fk-muted">
                            {t('colours.card.factAt')}
                            {t('colours.card.colon')}
                          </span>
                          <span className="fk-mono">{formatTime(r.fact.at)}</span>
                        </span>
                        {details.map((d) => (
                          <span key={d.key}>
                            <span className="fk-muted">
                              {d.label}
                              {t('colours.card.colon')}
                            </span>
                            {d.value}
                          </span>
                        ))}
                      </div>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : (
            <Typography.Text type="secondary" data-testid="resident-colour-none">
              {t('colours.card.noReasons')}
            </Typography.Text>
          )}
        </>
      ) : null}
      {colour && (
        <>
          <OverrideModal
            resident={resident}
            open={dialog === 'override'}
            onClose={() => setDialog(undefined)}
            onDone={(c) => done(c, t('colours.overrideModal.done', { colour: t(`colours.colour.${c.colour}`) }))}
          />
          <RevokeModal resident={resident} ruled={colour.ruled} open={dialog === 'revoke'} onClose={() => setDialog(undefined)} onDone={(c) => done(c, t('colours.revokeModal.done'))} />
        </>
      )}
    </Card>
  );
}
