// Picks a household: a unit or building in the place tree, then a room there (or a new room).
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Input, Select, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { households, type Household } from '../../api';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import { useErrorMessage } from '../../components/useErrorMessage';

interface Props {
  value?: number;
  onChange?: (id: number | undefined) => void;
  placeId?: number;
  onPlaceChange: (id: number | undefined) => void;
  initialLabel?: string;
  status?: '' | 'error';
}

export default function HouseholdPicker({ value, onChange, placeId, onPlaceChange, initialLabel, status }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useErrorMessage();
  const [rooms, setRooms] = useState<Household[]>([]);
  const [loading, setLoading] = useState(false);
  const [newRoom, setNewRoom] = useState('');

  const load = useCallback(async (pid: number) => {
    setLoading(true);
    try {
      const { items } = await households.list(pid, null, 500);
      setRooms(items);
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  }, [showError]);

  useEffect(() => {
    if (placeId) void load(placeId);
    else setRooms([]);
  }, [placeId, load]);

  const create = async () => {
    if (!placeId || !newRoom.trim()) return;
    try {
      const h = await households.create(placeId, newRoom.trim());
      setRooms((r) => [...r, h]);
      onChange?.(h.id);
      setNewRoom('');
      void message.success(t('household.created', { room: h.room }));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={6}>
      <PlaceTreeSelect
        value={placeId}
        onChange={(id) => {
          onPlaceChange(id);
          onChange?.(undefined);
        }}
        selectableKinds={['building', 'unit']}
        placeholder={t('household.pickUnit')}
        initialLabel={initialLabel}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          status={status}
          loading={loading}
          disabled={!placeId}
          value={value}
          onChange={(v) => onChange?.(v)}
          placeholder={placeId ? t('household.pickRoom') : t('household.pickUnitFirst')}
          aria-label={t('household.pickRoom')}
          options={rooms.map((h) => ({ value: h.id, label: `${h.room}（${t('household.memberCount', { count: h.residentCount })}）` }))}
          style={{ flex: 1, minWidth: 0 }}
          notFoundContent={t('household.noRooms')}
          data-testid="household-select"
        />
      </Space.Compact>
      {placeId && (
        <Space.Compact style={{ width: '100%' }}>
          <Input value={newRoom} onChange={(e) => setNewRoom(e.target.value)} placeholder={t('household.newRoom')} maxLength={20} onPressEnter={create} />
          <Button icon={<PlusOutlined />} onClick={create} disabled={!newRoom.trim()}>
            {t('household.createRoom')}
          </Button>
        </Space.Compact>
      )}
    </Space>
  );
}
