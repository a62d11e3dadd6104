// A household (户) and its members.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Empty, Input, Modal, Result, Skeleton, Space, Table } from 'antd';
import { PrinterOutlined, SyncOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, households, places, type Household, type PlaceBase, type Resident } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import { errorText } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import HouseholdAntigenCard from '../antigen/HouseholdAntigenCard';
import RevealId from './RevealId';
import { CareFlags, sexLabel, TenancyTag } from './residentLabels';
import ScrollHint from '../../components/ScrollHint';
import LoadFailed, { useOfflineEmpty } from '../../components/LoadFailed';
import { isNetworkError } from '../../api/network';

export default function HouseholdPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const offlineEmpty = useOfflineEmpty();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [data, setData] = useState<{ household: Household; residents: Resident[] }>();
  const [trail, setTrail] = useState<PlaceBase[]>([]);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    households.get(Number(id)).then(
      (d) => {
        setData(d);
        places.get(d.household.placeId).then(({ place, ancestors }) => setTrail([...ancestors, place]), () => undefined);
      },
      setError,
    );
  }, [id]);

  useCrumbs(data ? [{ title: data.household.address }] : [], `${data?.household.id}`);

  if (error) {
    if (error instanceof ApiError && error.sessionLost) return null;
    if (isNetworkError(error)) return <Card><LoadFailed error={error} /></Card>;
    return <Card><Result status="404" title={errorText(error, i18n.language, t('errors.unexpected'))} /></Card>;
  }
  if (!data) return <Card><Skeleton active /></Card>;
  const { household: h, residents } = data;

  const addButton = can('registry.write') && (
    <Button type="primary" size="small" icon={<UserAddOutlined />} onClick={() => navigate(`/residents/new?householdId=${h.id}&placeId=${h.placeId}`)}>
      {t('household.addResident')}
    </Button>
  );

  // 户卡: one QR card per member, for door-to-door teams (a printable page outside the console)
  const printButton = residents.length > 0 && (
    <Button size="small" icon={<PrinterOutlined />} onClick={() => navigate(`/households/${h.id}/card`)} data-testid="print-household-card">
      {t('card.printHousehold')}
    </Button>
  );

  // 换码: a lost card — the officer rotates the household's codes, every old QR stops working
  const rotateButton = can('registry.write') && residents.length > 0 && <RotateCodes householdId={h.id} onDone={() => navigate(`/households/${h.id}/card`)} />;

  return (
    <Card
      size="small"
      className="fk-wrap-title"
      title={`${t('household.title')} · ${h.address}`}
      extra={
        <Space wrap>
          {printButton}
          {rotateButton}
          {addButton}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('household.room')}>{h.room}</Descriptions.Item>
        <Descriptions.Item label={t('household.members')}>{h.residentCount}</Descriptions.Item>
        <Descriptions.Item label={t('resident.place')}>
          {trail.map((p, i) => (
            <span key={p.id}>
              {i > 0 && <span className="fk-muted"> / </span>}
              <Link to={`/places/${p.id}`}>{p.name}</Link>
            </span>
          ))}
        </Descriptions.Item>
      </Descriptions>
      <ScrollHint>
      <Table<Resident>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={residents}
        data-testid="household-members"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: offlineEmpty(<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('household.empty')}>{addButton}</Empty>) }}
        columns={[
          { title: t('resident.name'), dataIndex: 'name', render: (v, r) => <Link to={`/residents/${r.id}`}>{v}</Link> },
          { title: t('resident.sex'), dataIndex: 'sex', render: (v) => sexLabel(t, v) },
          { title: t('resident.age'), dataIndex: 'age', render: (v) => v ?? '—' },
          { title: t('resident.idNumber'), dataIndex: 'idMasked', render: (v, r) => <RevealId residentId={r.id} masked={v} name={r.name} /> },
          { title: t('resident.phone'), dataIndex: 'phone', render: (v) => <span className="fk-mono">{v ?? '—'}</span> },
          { title: t('resident.tenancy'), dataIndex: 'tenancy', render: (v) => <TenancyTag t={t} tenancy={v} /> },
          { title: t('resident.careFlags'), key: 'flags', render: (_, r) => <CareFlags t={t} r={r} /> },
        ]}
      />
      </ScrollHint>
      <HouseholdAntigenCard household={h} members={residents} />
    </Card>
  );
}

function RotateCodes({ householdId, onDone }: { householdId: number; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const ok = async () => {
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const r = await households.rotateCodes(householdId, reason.trim());
      void message.success(t('card.rotate.done', { version: r.version }));
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" danger icon={<SyncOutlined />} onClick={() => setOpen(true)} data-testid="rotate-codes">
        {t('card.rotate.button')}
      </Button>
      <Modal
        open={open}
        title={t('card.rotate.title')}
        okText={t('card.rotate.ok')}
        okButtonProps={{ danger: true, loading: busy, 'data-testid': 'rotate-ok' } as React.ComponentProps<typeof Button>}
        onOk={ok}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p>{t('card.rotate.explain')}</p>
        <label htmlFor="rotate-reason" style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
          {t('card.rotate.reason')}
        </label>
        <Input
          id="rotate-reason"
          value={reason}
          maxLength={200}
          placeholder={t('card.rotate.reasonPlaceholder')}
          status={missing ? 'error' : undefined}
          onChange={(e) => {
            setReason(e.target.value);
            setMissing(false);
          }}
          data-testid="rotate-reason"
        />
        {missing && (
          <div role="alert" style={{ color: '#a8071a', marginTop: 4 }}>
            {t('card.rotate.reasonRequired')}
          </div>
        )}
        {!!error && (
          <div role="alert" style={{ color: '#a8071a', marginTop: 8 }}>
            {errorText(error, i18n.language, t('errors.unexpected'))}
          </div>
        )}
      </Modal>
    </>
  );
}
