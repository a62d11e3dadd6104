// A household (户) and its members.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Empty, Result, Skeleton, Space, Table } from 'antd';
import { PrinterOutlined, UserAddOutlined } from '@ant-design/icons';
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

  return (
    <Card
      size="small"
      className="fk-wrap-title"
      title={`${t('household.title')} · ${h.address}`}
      extra={
        <Space wrap>
          {printButton}
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
