// 未采样名单: who in a place is neither sampled nor exempt this round, in address order so a
// door-knocking team walks it floor by floor — with the care flags teams need, XLSX export,
// a printout grouped by address, and exemptions for officers.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Empty, Grid, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, PrinterOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { coverage, type ExemptionReason, type MissingPerson } from '../../../api/testing';
import { useAuth } from '../../../auth/AuthContext';
import { download } from '../../../components/download';
import Pager from '../../../components/Pager';
import { usePagedList } from '../../../components/usePagedList';
import { useErrorMessage } from '../../../components/useErrorMessage';
import { formatTime } from '../../../utils/time';
import ExemptModal from './ExemptModal';
import PrintArea from './PrintArea';
import './clearance.css';
import { useOfflineEmpty } from '../../../components/LoadFailed';

const PRINT_LIMIT = 5000;

export function CareTags({ p }: { p: Pick<MissingPerson, 'elderlyAlone' | 'mobilityImpaired'> }) {
  const { t } = useTranslation();
  if (!p.elderlyAlone && !p.mobilityImpaired) return null;
  return (
    <Space size={2} wrap>
      {p.elderlyAlone && <Tag color="volcano" style={{ marginInlineEnd: 0 }}>{t('flag.elderlyAlone')}</Tag>}
      {p.mobilityImpaired && <Tag color="magenta" style={{ marginInlineEnd: 0 }}>{t('flag.mobilityImpaired')}</Tag>}
    </Space>
  );
}

/** Consecutive people at the same address, for the printout's address cells. */
function groupByAddress(items: MissingPerson[]): { address: string; people: MissingPerson[] }[] {
  const groups: { address: string; people: MissingPerson[] }[] = [];
  for (const p of items) {
    const last = groups.at(-1);
    if (last && last.address === p.address) last.people.push(p);
    else groups.push({ address: p.address, people: [p] });
  }
  return groups;
}

export interface MissingListProps {
  roundId: number;
  roundNumber: number;
  campaignName: string;
  /** undefined: the server's default place (the campaign's, or my area) */
  placeId: number | undefined;
  placeName: string;
  /** the count from the coverage figures, shown in the title */
  missing: number;
  version: number;
  onChanged: () => void;
}

export default function MissingList({ roundId, roundNumber, campaignName, placeId, placeName, missing, version, onChanged }: MissingListProps) {
  const { t } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const mobile = Grid.useBreakpoint().md === false;
  const [exempting, setExempting] = useState<MissingPerson>();
  const [printing, setPrinting] = useState<MissingPerson[]>();
  const [preparing, setPreparing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const canExempt = can('testing.manage');
  const canOpen = can('registry.read');

  const fetchPage = useCallback((cursor: string | null, limit: number) => coverage.missing(roundId, placeId, cursor, limit), [roundId, placeId]);
  const list = usePagedList(fetchPage, showError);
  // version: the parent's refresh counter, so a refresh there reloads the names here too (same page)
  const { reload } = list;
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reload();
  }, [version, reload]);

  const exported = async () => {
    setExporting(true);
    try {
      await download(coverage.missingXlsxUrl(roundId, placeId));
    } catch (err) {
      showError(err);
    } finally {
      setTimeout(() => setExporting(false), 800);
    }
  };

  const print = async () => {
    setPreparing(true);
    try {
      const all: MissingPerson[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: MissingPerson[]; nextCursor: string | null } = await coverage.missing(roundId, placeId, cursor, 500);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < PRINT_LIMIT);
      if (cursor) void message.warning(t('clearance.printTruncated', { count: all.length }));
      setPrinting(all);
    } catch (err) {
      showError(err);
    } finally {
      setPreparing(false);
    }
  };

  const exempted = (p: MissingPerson, reason: ExemptionReason) => {
    setExempting(undefined);
    const key = `exempt-${p.id}`;
    void message.open({
      key,
      type: 'success',
      duration: 6,
      content: (
        <span data-testid="exempted">
          {t('clearance.exempt.done', { name: p.name, reason: t(`clearance.exempt.reasons.${reason}`) })}{' '}
          <Button
            type="link"
            size="small"
            onClick={async () => {
              message.destroy(key);
              try {
                await coverage.unexempt(roundId, p.id);
                void message.info(t('clearance.exempt.undone', { name: p.name }));
                onChanged();
              } catch (err) {
                showError(err);
              }
            }}
          >
            {t('clearance.exempt.undo')}
          </Button>
        </span>
      ),
    });
    onChanged();
  };

  const nameCell = (p: MissingPerson) =>
    canOpen ? (
      <Link to={`/residents/${p.id}`} data-testid="missing-name" style={{ fontWeight: 500 }}>
        {p.name}
      </Link>
    ) : (
      <span data-testid="missing-name" style={{ fontWeight: 500 }}>{p.name}</span>
    );

  const exemptButton = (p: MissingPerson) =>
    canExempt ? (
      <Button size="small" icon={<StopOutlined />} onClick={() => setExempting(p)} data-testid={`exempt-${p.id}`}>
        {t('clearance.exempt.button')}
      </Button>
    ) : null;

  const columns: ColumnsType<MissingPerson> = [
    { title: t('resident.address'), dataIndex: 'address', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
    { title: t('resident.name'), dataIndex: 'name', render: (_, p) => nameCell(p) },
    { title: t('resident.idNumber'), dataIndex: 'idMasked', render: (v: string) => <span className="fk-mono" style={{ whiteSpace: 'nowrap' }}>{v}</span> },
    { title: t('resident.phone'), dataIndex: 'phone', render: (v: string | null) => <span className="fk-mono">{v ?? '—'}</span> },
    { title: t('clearance.missing.care'), key: 'care', render: (_, p) => (p.elderlyAlone || p.mobilityImpaired ? <CareTags p={p} /> : <span className="fk-muted">—</span>) },
    ...(canExempt ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, p: MissingPerson) => exemptButton(p) }] : []),
  ];

  const empty = list.loading ? (
    <span />
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('clearance.missing.none')} />
  );

  return (
    <div data-testid="missing-list">
      <div className="fk-section-title">
        <Typography.Title level={5}>{t('clearance.missing.title', { place: placeName })}</Typography.Title>
        <Tag color={missing ? 'red' : 'green'} data-testid="missing-count">{t('clearance.missing.count', { count: missing })}</Tag>
        {!mobile && <span className="fk-muted" style={{ fontSize: 12 }}>{t('clearance.missing.hint')}</span>}
        <span style={{ flex: 1 }} />
        <Space size={6} wrap>
          <Button size="small" icon={<DownloadOutlined />} loading={exporting} onClick={exported} data-testid="missing-xlsx">
            {t('clearance.missing.export')}
          </Button>
          <Button size="small" icon={<PrinterOutlined />} loading={preparing} onClick={print} disabled={!list.items.length} data-testid="missing-print">
            {t('clearance.print')}
          </Button>
        </Space>
      </div>
      {mobile ? (
        <div className="fk-mlist" data-testid="missing-table">
          {!list.items.length ? (
            <div className="fk-mlist-empty">{empty}</div>
          ) : (
            list.items.map((p) => (
              <div className="fk-mlist-item" key={p.id} data-testid="missing-row">
                <div className="fk-mlist-line">
                  {nameCell(p)}
                  <CareTags p={p} />
                  <span className="fk-grow" />
                  {exemptButton(p)}
                </div>
                <div style={{ fontSize: 13 }}>{p.address}</div>
                <div className="fk-mlist-line fk-mono fk-muted" style={{ fontSize: 12 }}>
                  <span>{p.idMasked}</span>
                  {p.phone && <span>· {p.phone}</span>}
                </div>
              </div>
            ))
          )}
        </div>
      ) : (
        <Table<MissingPerson>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: offlineEmpty(empty) }}
          onRow={() => ({ 'data-testid': 'missing-row' }) as React.HTMLAttributes<HTMLElement>}
          data-testid="missing-table"
        />
      )}
      <Pager list={list} />
      <ExemptModal roundId={roundId} person={exempting} onClose={() => setExempting(undefined)} onDone={exempted} />
      {printing && (
        <PrintArea onDone={() => setPrinting(undefined)}>
          <h1>{t('clearance.missing.printTitle', { place: placeName })}</h1>
          <div className="fk-print-meta">
            {campaignName} · {t('testing.roundN', { n: roundNumber })} · {t('clearance.missing.count', { count: printing.length })} ·{' '}
            {t('clearance.printedAt', { at: formatTime(new Date().toISOString()) })}
          </div>
          <table>
            <thead>
              <tr>
                <th>{t('resident.address')}</th>
                <th>{t('resident.name')}</th>
                <th>{t('resident.idNumber')}</th>
                <th>{t('resident.phone')}</th>
                <th>{t('clearance.missing.care')}</th>
                <th className="fk-print-box">{t('clearance.missing.knocked')}</th>
                <th style={{ width: '22%' }}>{t('clearance.missing.remark')}</th>
              </tr>
            </thead>
            {groupByAddress(printing).map((g) => (
              <tbody key={g.address + g.people[0].id}>
                {g.people.map((p, i) => (
                  <tr key={p.id}>
                    {i === 0 && (
                      <td rowSpan={g.people.length} className="fk-print-strong">
                        {g.address}
                      </td>
                    )}
                    <td>{p.name}</td>
                    <td>{p.idMasked}</td>
                    <td>{p.phone ?? ''}</td>
                    <td>{[p.elderlyAlone && t('flag.elderlyAlone'), p.mobilityImpaired && t('flag.mobilityImpaired')].filter(Boolean).join('、')}</td>
                    <td className="fk-print-box">☐</td>
                    <td />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </PrintArea>
      )}
    </div>
  );
}
