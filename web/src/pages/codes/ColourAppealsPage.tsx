// 码色申诉: the appeals of my area, the waiting ones oldest first (or all, newest first, with
// their answers); an officer answers each — kept, or changed to a colour for a while. A table on
// a desktop, one block per appeal on a phone.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Empty, Grid, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FileSearchOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { codes, type ColourAppeal } from '../../api/codes';
import { useAuth } from '../../auth/AuthContext';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatTime } from '../../utils/time';
import AnswerAppealModal from './AnswerAppealModal';
import { ColourTag } from './labels';
import './codes.css';

export default function ColourAppealsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [all, setAll] = useState(false);
  const [items, setItems] = useState<ColourAppeal[]>();
  const [loading, setLoading] = useState(false);
  const [answering, setAnswering] = useState<ColourAppeal>();
  useCrumbs([], `colour-appeals-${i18n.language}`);

  const load = useCallback(() => {
    setLoading(true);
    codes
      .appeals(!all)
      .then((r) => setItems(r.items), showError)
      .finally(() => setLoading(false));
  }, [all, showError]);
  useEffect(load, [load]);

  const resident = (a: ColourAppeal) => (
    <Link to={`/residents/${a.resident.id}`} data-testid="appeal-resident">
      {a.resident.name}
    </Link>
  );
  const sentAt = (a: ColourAppeal) => <span className="fk-mono fk-nowrap">{formatTime(a.at)}</span>;
  const state = (a: ColourAppeal) =>
    a.answeredAt ? (
      <div data-testid="appeal-answered">
        <Tag color={a.outcome === 'changed' ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
          {t(`colours.outcome.${a.outcome ?? 'kept'}`)}
        </Tag>
        <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginTop: 4 }}>{a.answer}</div>
        <div className="fk-muted" style={{ fontSize: 12 }}>
          {t('colours.appeals.answerBy', { by: a.answeredBy ?? '—', time: formatTime(a.answeredAt) })}
        </div>
      </div>
    ) : (
      <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="appeal-waiting">
        {t('colours.appeals.waiting')}
      </Tag>
    );
  const answerButton = (a: ColourAppeal, block = false) =>
    !a.answeredAt && (
      <Button size="small" type="primary" block={block} onClick={() => setAnswering(a)} data-testid={`appeal-answer-${a.id}`} aria-label={`${t('colours.appeals.answerAction')} ${a.resident.name}`}>
        {t('colours.appeals.answerAction')}
      </Button>
    );

  const columns: ColumnsType<ColourAppeal> = [
    { title: t('colours.appeals.col.resident'), key: 'resident', width: 110, render: (_, a) => resident(a) },
    { title: t('colours.appeals.col.colour'), dataIndex: 'colour', width: 110, render: (c: string) => <ColourTag t={t} colour={c} /> },
    {
      title: t('colours.appeals.col.text'),
      dataIndex: 'text',
      render: (v: string) => (
        <Typography.Paragraph ellipsis={{ rows: 3, expandable: true, symbol: t('common.more') }} style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="appeal-text">
          {v}
        </Typography.Paragraph>
      ),
    },
    { title: t('colours.appeals.col.at'), key: 'at', width: 150, render: (_, a) => sentAt(a) },
    { title: t('colours.appeals.col.state'), key: 'state', width: all ? 320 : 110, render: (_, a) => state(a) },
    { title: t('colours.appeals.col.action'), key: 'action', width: 90, render: (_, a) => answerButton(a) },
  ];
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={all ? t('colours.appeals.emptyAll') : t('colours.appeals.empty')} />;

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <SafetyCertificateOutlined />
          {t('colours.appeals.title')}
        </Space>
      }
      data-testid="colour-appeals-page"
    >
      <div className="fk-codes-toolbar">
        <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6, cursor: 'pointer' }}>
          <Switch size="small" checked={all} onChange={setAll} data-testid="appeals-show-answered" />
          <span>{t('colours.appeals.showAnswered')}</span>
        </label>
        <Button size="small" icon={<ReloadOutlined />} onClick={load} loading={loading}>
          {t('colours.appeals.refresh')}
        </Button>
        {can('codes.read') && (
          <Link to="/colour-rules">
            <FileSearchOutlined /> {t('colours.appeals.rules')}
          </Link>
        )}
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('colours.appeals.intro')}
      </Typography.Paragraph>
      {mobile ? (
        !items ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
          </div>
        ) : items.length ? (
          <ul className="fk-codes-list" data-testid="colour-appeals-list">
            {items.map((a) => (
              <li key={a.id} data-testid="appeal-row" data-appeal={a.id}>
                <div className="fk-codes-list-head">
                  {resident(a)}
                  <ColourTag t={t} colour={a.colour} />
                  {sentAt(a)}
                </div>
                <div className="fk-codes-list-text" data-testid="appeal-text">
                  {a.text}
                </div>
                <div style={{ marginTop: 6 }}>{state(a)}</div>
                {!a.answeredAt && <div style={{ marginTop: 8 }}>{answerButton(a, true)}</div>}
              </li>
            ))}
          </ul>
        ) : (
          empty
        )
      ) : (
        <Table<ColourAppeal>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={loading && !items}
          pagination={false}
          tableLayout="fixed"
          scroll={{ x: 900 }}
          onRow={(a) => ({ 'data-testid': 'appeal-row', 'data-appeal': a.id }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: empty }}
          data-testid="colour-appeals-table"
        />
      )}
      <AnswerAppealModal
        appeal={answering}
        onClose={() => setAnswering(undefined)}
        onDone={(a) => {
          setAnswering(undefined);
          void message.success(t('colours.answerModal.done'));
          setItems((list) => (all ? list?.map((x) => (x.id === a.id ? a : x)) : list?.filter((x) => x.id !== a.id)));
        }}
      />
    </Card>
  );
}
