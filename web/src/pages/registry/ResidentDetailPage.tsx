// A resident's full record (reading it is audit-logged on the server).
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Result, Skeleton, Space, Tag } from 'antd';
import { DeleteOutlined, EditOutlined, HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, places, residents, type PlaceBase, type Resident } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import { useErrorMessage, errorText } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { formatDate, formatTime } from '../../utils/time';
import PersonalCodeCard from './PersonalCodeCard';
import ResidentColourCard from '../codes/ResidentColourCard';
import ResidentTestsCard from '../testing/clearance/ResidentTestsCard';
import ResidentAntigenCard from '../antigen/ResidentAntigenCard';
import RevealId from './RevealId';
import { CareFlags, sexLabel, TenancyTag } from './residentLabels';
import LoadFailed from '../../components/LoadFailed';
import { isNetworkError } from '../../api/network';

export default function ResidentDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const [r, setR] = useState<Resident>();
  const [trail, setTrail] = useState<PlaceBase[]>([]);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setR(undefined);
    setError(undefined);
    residents.get(Number(id)).then(
      ({ resident }) => {
        setR(resident);
        if (resident.placeId !== null) places.get(resident.placeId).then(({ place, ancestors }) => setTrail([...ancestors, place]), () => undefined);
      },
      (e) => setError(e),
    );
  }, [id]);

  // a resident registered at a lane has no household yet: no link to one
  const householdPath = r?.householdId != null ? `/households/${r.householdId}` : undefined;
  useCrumbs(r ? [{ title: r.address, to: householdPath }, { title: r.name }] : [], `${r?.id}-${r?.name}`);

  if (error) {
    if (error instanceof ApiError && error.sessionLost) return null;
    if (isNetworkError(error)) return <Card><LoadFailed error={error} /></Card>;
    return (
      <Card>
        <Result status="404" title={errorText(error, i18n.language, t('errors.unexpected'))} extra={<Button onClick={() => navigate('/residents')}>{t('resident.backToList')}</Button>} />
      </Card>
    );
  }
  if (!r) return <Card><Skeleton active /></Card>;

  const archive = () =>
    modal.confirm({
      title: t('resident.archiveTitle', { name: r.name }),
      content: t('resident.archiveExplain'),
      okText: t('resident.archive'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await residents.archive(r.id);
          void message.success(t('resident.archived'));
          navigate(householdPath ?? '/residents');
        } catch (err) {
          showError(err);
        }
      },
    });

  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <span data-testid="resident-name">{r.name}</span>
          <TenancyTag t={t} tenancy={r.tenancy} />
        </Space>
      }
      extra={
        <Space wrap>
          {householdPath && (
            <Button size="small" icon={<HomeOutlined />} onClick={() => navigate(householdPath)}>
              {t('household.title')}
            </Button>
          )}
          {can('registry.write') && (
            <Button size="small" type="primary" icon={<EditOutlined />} onClick={() => navigate(`/residents/${r.id}/edit`)}>
              {t('common.edit')}
            </Button>
          )}
          {can('registry.write') && (
            <Button size="small" danger icon={<DeleteOutlined />} onClick={archive}>
              {t('resident.archive')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 3 }} styles={{ label: { width: 110 } }} data-testid="resident-detail">
        <Descriptions.Item label={t('resident.name')}>{r.name}</Descriptions.Item>
        <Descriptions.Item label={t('resident.idType')}>{t(`idType.${r.idType}`)}</Descriptions.Item>
        <Descriptions.Item label={t('resident.idNumber')}>
          <RevealId residentId={r.id} masked={r.idMasked} name={r.name} />
        </Descriptions.Item>
        <Descriptions.Item label={t('resident.sex')}>{sexLabel(t, r.sex)}</Descriptions.Item>
        {/* a role without the reveal right gets the age only: the date beside the masked ID gives back the number */}
        {r.birthDate || r.age == null ? <Descriptions.Item label={t('resident.birthDate')}>{formatDate(r.birthDate)}</Descriptions.Item> : null}
        <Descriptions.Item label={t('resident.age')}>{r.age ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('resident.phone')}>
          <span className="fk-mono">{r.phone ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('resident.nationality')}>{r.nationality}</Descriptions.Item>
        <Descriptions.Item label={t('resident.language')}>{t(`language.${r.language}`, { defaultValue: r.language })}</Descriptions.Item>
        <Descriptions.Item label={t('resident.address')} span={2}>
          {householdPath ? <Link to={householdPath}>{r.address}</Link> : r.address}
        </Descriptions.Item>
        <Descriptions.Item label={t('resident.grid')}>{r.gridName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('resident.place')} span={3}>
          {trail.length ? trail.map((p, i) => (
            <span key={p.id}>
              {i > 0 && <span className="fk-muted"> / </span>}
              <Link to={`/places/${p.id}`}>{p.name}</Link>
            </span>
          )) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('resident.careFlags')} span={2}>
          <CareFlags t={t} r={r} />
          {r.pregnant && r.dueDate && <Tag style={{ marginInlineStart: 6 }}>{t('resident.dueDateValue', { date: formatDate(r.dueDate) })}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('resident.tenancy')}>
          <TenancyTag t={t} tenancy={r.tenancy} />
        </Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{formatTime(r.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('common.updatedAt')}>{formatTime(r.updatedAt)}</Descriptions.Item>
      </Descriptions>
      <PersonalCodeCard residentId={r.id} householdId={r.householdId} />
      <ResidentColourCard resident={r} />
      <ResidentTestsCard residentId={r.id} />
      <ResidentAntigenCard resident={r} />
      <div className="fk-muted" style={{ fontSize: 12, marginTop: 8 }}>
        {t('resident.readLogged')}
      </div>
    </Card>
  );
}
