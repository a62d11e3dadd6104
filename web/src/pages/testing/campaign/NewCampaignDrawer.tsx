// 新建检测任务: name, owning place, window, exemption age, seconds per swab, the covered
// places with their sampling mode (default: the owning place, 10-in-1), rounds (default one a
// day, cut at midnight by the server). Server errors land on the field they name, list items
// included ('places[0].placeId').
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { campaigns, type Campaign, type Mode, type NewCampaign } from '../../../api/testing';
import { places } from '../../../api';
import PlaceTreeSelect from '../../../components/PlaceTreeSelect';
import { errorText } from '../../../components/useErrorMessage';
import { applyPathError } from './fieldErrors';
import { modeOptions } from './labels';
import ScopedPlaceSelect from './ScopedPlaceSelect';
import { dailyRoundCount, fromPicker, toPicker } from './time';

interface FormValues {
  name: string;
  placeId?: number;
  startsAt?: Dayjs | null;
  endsAt?: Dayjs | null;
  exemptUnderMonths: number;
  secondsPerSwab: number;
  places: { placeId?: number; mode: Mode }[];
  roundsMode: 'daily' | 'custom';
  rounds: { startsAt?: Dayjs | null; endsAt?: Dayjs | null }[];
}

const PICK_FORMAT = 'YYYY-MM-DD HH:mm';

/** The next full hour, and 22:00 that day (or twelve hours on when that is too close). */
function defaultWindow(): { startsAt: Dayjs; endsAt: Dayjs } {
  const start = toPicker(Date.now()).add(1, 'hour').startOf('hour');
  const evening = start.hour(22);
  return { startsAt: start, endsAt: evening.diff(start, 'hour') >= 4 ? evening : start.add(12, 'hour') };
}

export default function NewCampaignDrawer({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Campaign) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const owner = useRef<number | undefined>(undefined);
  const ownerId = Form.useWatch('placeId', form);
  const startsAt = Form.useWatch('startsAt', form);
  const endsAt = Form.useWatch('endsAt', form);
  const roundsMode = Form.useWatch('roundsMode', form);

  // the drawer's content is destroyed when hidden: each opening starts from these
  const initialValues = useMemo<Partial<FormValues> | undefined>(
    () => (open ? { ...defaultWindow(), exemptUnderMonths: 36, secondsPerSwab: 20, places: [{ mode: 'pool10' }], roundsMode: 'daily', rounds: [] } : undefined),
    [open],
  );
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    owner.current = undefined;
    // an officer whose area is one community plans for it: fill it in (and cover it) for them
    let live = true;
    places
      .roots()
      .then(({ items }) => {
        const only = items.length === 1 && items[0].kind === 'community' ? items[0].id : undefined;
        if (!live || !only || form.getFieldValue('placeId') !== undefined) return;
        owner.current = only;
        form.setFieldsValue({ placeId: only, places: [{ placeId: only, mode: 'pool10' }] });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [open, form]);

  const dailyCount = useMemo(
    () => (startsAt && endsAt && endsAt.isAfter(startsAt) ? dailyRoundCount(Date.parse(fromPicker(startsAt)), Date.parse(fromPicker(endsAt))) : 0),
    [startsAt, endsAt],
  );

  /** The owning place is covered by default: the first row follows it until the officer changes it. */
  const ownerChanged = (id: number | undefined) => {
    const previous = owner.current;
    owner.current = id;
    const rows: FormValues['places'] = form.getFieldValue('places') ?? [];
    if (!rows.length) form.setFieldValue('places', [{ placeId: id, mode: 'pool10' }]);
    else if (rows[0].placeId === undefined || rows[0].placeId === previous) {
      // the other rows were picked under the previous owner; they may not fit the new one
      form.setFieldValue('places', [{ ...rows[0], placeId: id }, ...(id === previous ? rows.slice(1) : [])]);
    }
  };

  const submit = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    const body: NewCampaign = {
      name: v.name.trim(),
      placeId: v.placeId!,
      startsAt: fromPicker(v.startsAt!),
      endsAt: fromPicker(v.endsAt!),
      exemptUnderMonths: v.exemptUnderMonths,
      secondsPerSwab: v.secondsPerSwab,
      places: v.places.filter((p) => p.placeId).map((p) => ({ placeId: p.placeId!, mode: p.mode })),
    };
    if (v.roundsMode === 'custom' && v.rounds.length) {
      body.rounds = v.rounds.map((r) => ({ startsAt: fromPicker(r.startsAt!), endsAt: fromPicker(r.endsAt!) }));
    }
    try {
      const c = await campaigns.create(body);
      void message.success(t('testing.new.created', { name: c.name }));
      onCreated(c);
    } catch (err) {
      if (!applyPathError(form, err, i18n.language)) {
        if ((err as { sessionLost?: boolean }).sessionLost) return;
        setError(errorText(err, i18n.language, t('errors.unexpected')));
      }
    } finally {
      setBusy(false);
    }
  };

  /** An end must come after its start. */
  const afterStart = (start: () => Dayjs | null | undefined) => ({
    validator: async (_: unknown, end: Dayjs | null | undefined) => {
      const s = start();
      if (s && end && !end.isAfter(s)) throw new Error(t('testing.new.endAfterStart'));
    },
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('testing.new.title')}
      size={screens.md ? 640 : '100%'}
      destroyOnHidden
      data-testid="new-campaign"
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={submit} data-testid="create-campaign">
            {t('testing.new.submit')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form<FormValues> form={form} initialValues={initialValues} layout="vertical" requiredMark="optional" scrollToFirstError data-testid="campaign-form">
        <Form.Item name="name" label={t('testing.new.name')} rules={[{ required: true, whitespace: true, message: t('testing.new.nameRequired') }, { max: 100 }]}>
          <Input maxLength={100} placeholder={t('testing.new.namePlaceholder')} data-testid="campaign-name" />
        </Form.Item>
        <Form.Item
          name="placeId"
          label={t('testing.new.place')}
          extra={t('testing.new.placeHint')}
          rules={[{ required: true, message: t('testing.new.placeRequired') }]}
        >
          <PlaceTreeSelect
            selectableKinds={['district', 'street', 'community', 'compound', 'grid', 'building']}
            leafKinds={['building']}
            onChange={ownerChanged}
          />
        </Form.Item>
        <div style={{ display: 'flex', columnGap: 12, flexWrap: 'wrap' }}>
          <Form.Item name="startsAt" label={t('testing.new.startsAt')} style={{ flex: '1 1 220px' }} rules={[{ required: true, message: t('testing.new.timeRequired') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format={PICK_FORMAT} needConfirm={false} style={{ width: '100%' }} data-testid="campaign-starts" />
          </Form.Item>
          <Form.Item
            name="endsAt"
            label={t('testing.new.endsAt')}
            style={{ flex: '1 1 220px' }}
            dependencies={['startsAt']}
            rules={[{ required: true, message: t('testing.new.timeRequired') }, afterStart(() => form.getFieldValue('startsAt'))]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format={PICK_FORMAT} needConfirm={false} style={{ width: '100%' }} data-testid="campaign-ends" />
          </Form.Item>
        </div>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>
          {t('testing.new.timeZone')}
        </Typography.Paragraph>
        <Space wrap size={12} align="start" style={{ width: '100%' }}>
          <Form.Item name="exemptUnderMonths" label={t('testing.new.exemptUnder')} extra={t('testing.new.exemptUnderHint')} rules={[{ required: true }]}>
            <InputNumber min={0} max={240} precision={0} suffix={t('testing.units.months')} style={{ width: 160 }} data-testid="exempt-months" />
          </Form.Item>
          <Form.Item name="secondsPerSwab" label={t('testing.new.secondsPerSwab')} extra={t('testing.new.secondsPerSwabHint')} rules={[{ required: true }]}>
            <InputNumber min={5} max={600} precision={0} suffix={t('testing.units.secondsShort')} style={{ width: 160 }} data-testid="seconds-per-swab" />
          </Form.Item>
        </Space>

        <Typography.Title level={5} style={{ marginTop: 4 }}>
          {t('testing.new.places')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('testing.new.placesHint')}
        </Typography.Paragraph>
        <Form.List name="places">
          {(fields, { add, remove }) => (
            <div data-testid="covered-places">
              {fields.map((f, i) => (
                <div className="fk-place-row" key={f.key}>
                  <Form.Item name={[f.name, 'placeId']} rules={[{ required: true, message: t('testing.new.placeRequired') }]}>
                    {ownerId ? (
                      <ScopedPlaceSelect rootId={ownerId} data-testid={`covered-place-${i}`} />
                    ) : (
                      <Select disabled placeholder={t('testing.new.pickOwnerFirst')} />
                    )}
                  </Form.Item>
                  <Form.Item name={[f.name, 'mode']} rules={[{ required: true }]} style={{ width: 170 }}>
                    <Select options={modeOptions(t)} data-testid={`covered-mode-${i}`} aria-label={t('testing.new.mode')} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    disabled={fields.length === 1}
                    onClick={() => remove(f.name)}
                    aria-label={t('testing.new.removePlace')}
                    title={t('testing.new.removePlace')}
                  />
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ mode: 'pool10' })} disabled={!ownerId} block style={{ marginBottom: 16 }}>
                {t('testing.new.addPlace')}
              </Button>
            </div>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('testing.new.rounds')}</Typography.Title>
        <Form.Item name="roundsMode" style={{ marginBottom: 8 }}>
          <Radio.Group
            options={[
              { value: 'daily', label: t('testing.new.roundsDaily') },
              { value: 'custom', label: t('testing.new.roundsCustom') },
            ]}
            onChange={(e) => {
              if (e.target.value === 'custom' && !(form.getFieldValue('rounds') ?? []).length) {
                form.setFieldValue('rounds', [{ startsAt: form.getFieldValue('startsAt'), endsAt: form.getFieldValue('endsAt') }]);
              }
            }}
          />
        </Form.Item>
        {roundsMode !== 'custom' ? (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="rounds-preview">
            {dailyCount ? t('testing.new.roundsPreview', { count: dailyCount }) : t('testing.new.roundsPreviewNone')}
          </Typography.Paragraph>
        ) : (
          <Form.List name="rounds">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <div className="fk-place-row" key={f.key}>
                    <Typography.Text style={{ lineHeight: '32px', width: 64, flex: 'none' }}>{t('testing.roundN', { n: i + 1 })}</Typography.Text>
                    <Form.Item name={[f.name, 'startsAt']} rules={[{ required: true, message: t('testing.new.timeRequired') }]} style={{ flex: 1 }}>
                      <DatePicker showTime={{ format: 'HH:mm' }} format={PICK_FORMAT} needConfirm={false} style={{ width: '100%' }} placeholder={t('testing.new.startsAt')} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'endsAt']}
                      dependencies={[['rounds', f.name, 'startsAt']]}
                      rules={[{ required: true, message: t('testing.new.timeRequired') }, afterStart(() => form.getFieldValue(['rounds', f.name, 'startsAt']))]}
                      style={{ flex: 1 }}
                    >
                      <DatePicker showTime={{ format: 'HH:mm' }} format={PICK_FORMAT} needConfirm={false} style={{ width: '100%' }} placeholder={t('testing.new.endsAt')} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('testing.new.removeRound')} />
                  </div>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  block
                  onClick={() => {
                    const rows: FormValues['rounds'] = form.getFieldValue('rounds') ?? [];
                    const last = rows[rows.length - 1];
                    add(last?.startsAt && last?.endsAt ? { startsAt: last.startsAt.add(1, 'day'), endsAt: last.endsAt.add(1, 'day') } : {});
                  }}
                >
                  {t('testing.new.addRound')}
                </Button>
              </>
            )}
          </Form.List>
        )}
      </Form>
    </Drawer>
  );
}
