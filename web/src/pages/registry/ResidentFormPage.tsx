// Create or edit a resident. Server errors land on the field they name.
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Input, Row, Select, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { CARE_FLAGS, ID_TYPES, LANGUAGES, residents, TENANCIES, type Resident, type ResidentInput } from '../../api';
import { formErrorText } from '../../components/serverErrors';
import { useErrorMessage } from '../../components/useErrorMessage';
import { useCrumbs } from '../../layout/PageContext';
import { dayjs } from '../../utils/time';
import HouseholdPicker from './HouseholdPicker';
import type { Dayjs } from 'dayjs';

interface FormValues {
  householdId?: number;
  name: string;
  idType: string;
  idNumber?: string;
  sex?: 'male' | 'female';
  birthDate?: Dayjs | null;
  phone?: string;
  nationality?: string;
  language?: string;
  tenancy?: string;
  flags: string[];
  dueDate?: Dayjs | null;
}

export default function ResidentFormPage() {
  const { id } = useParams();
  const editing = !!id;
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showError = useErrorMessage();
  const [form] = Form.useForm<FormValues>();
  const [current, setCurrent] = useState<Resident>();
  const [placeId, setPlaceId] = useState<number | undefined>(Number(params.get('placeId')) || undefined);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string>();
  const flags = Form.useWatch('flags', form) ?? [];

  useEffect(() => {
    if (!editing) return;
    residents.get(Number(id)).then(({ resident: r }) => {
      setCurrent(r);
      setPlaceId(r.placeId ?? undefined);
      form.setFieldsValue({
        householdId: r.householdId ?? undefined,
        name: r.name,
        idType: r.idType,
        sex: r.sex ?? undefined,
        birthDate: r.birthDate ? dayjs(r.birthDate) : null,
        phone: r.phone ?? '',
        nationality: r.nationality,
        language: r.language,
        tenancy: r.tenancy,
        flags: CARE_FLAGS.filter((f) => r[f]),
        dueDate: r.dueDate ? dayjs(r.dueDate) : null,
      });
    }, showError);
  }, [editing, id, form, showError]);

  useCrumbs(editing ? [{ title: current?.name ?? '…', to: current ? `/residents/${current.id}` : undefined }, { title: t('common.edit') }] : [{ title: t('resident.add') }], `${editing}-${current?.id}-${i18n.language}`);

  const submit = async (v: FormValues) => {
    setBusy(true);
    setFormError(undefined);
    const body: ResidentInput = {
      name: v.name.trim(),
      idType: v.idType as ResidentInput['idType'],
      sex: v.sex ?? null,
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null,
      phone: v.phone?.trim() ? v.phone.trim() : null,
      nationality: v.nationality?.trim().toUpperCase() || undefined,
      language: v.language as ResidentInput['language'],
      tenancy: v.tenancy as ResidentInput['tenancy'],
      dueDate: v.flags.includes('pregnant') && v.dueDate ? v.dueDate.format('YYYY-MM-DD') : null,
    };
    for (const f of CARE_FLAGS) body[f] = v.flags.includes(f);
    if (v.idNumber?.trim()) body.idNumber = v.idNumber.trim().toUpperCase();
    try {
      let saved: Resident;
      if (editing) {
        if (v.householdId && v.householdId !== current?.householdId) body.householdId = v.householdId;
        saved = (await residents.update(Number(id), body)).resident;
      } else {
        saved = (await residents.create({ ...body, householdId: v.householdId!, name: body.name!, idNumber: body.idNumber! })).resident;
      }
      void message.success(editing ? t('resident.saved') : t('resident.created', { name: saved.name }));
      navigate(`/residents/${saved.id}`);
    } catch (err) {
      setFormError(formErrorText(form, err, i18n.language, t('errors.unexpected'), { flags: 'flags', pregnant: 'flags' }));
    } finally {
      setBusy(false);
    }
  };

  if (editing && !current) return <Card><Skeleton active /></Card>;

  return (
    <Card size="small" title={editing ? t('resident.editTitle', { name: current?.name }) : t('resident.add')}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ idType: 'mainland_id', nationality: 'CN', language: 'zh-CN', tenancy: 'owner', flags: [], householdId: Number(params.get('householdId')) || undefined }}
        style={{ maxWidth: 920 }}
        scrollToFirstError
        data-testid="resident-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="householdId" label={t('resident.household')} rules={[{ required: true, message: t('resident.householdRequired') }]}>
              <HouseholdPicker placeId={placeId} onPlaceChange={setPlaceId} initialLabel={current?.address} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('resident.name')} rules={[{ required: true, whitespace: true, message: t('resident.nameRequired') }, { max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="idType" label={t('resident.idType')}>
              <Select options={ID_TYPES.map((x) => ({ value: x, label: t(`idType.${x}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={18}>
            <Form.Item
              name="idNumber"
              label={t('resident.idNumber')}
              extra={editing ? t('resident.idKeep', { masked: current?.idMasked }) : t('resident.idHint')}
              rules={editing ? [] : [{ required: true, whitespace: true, message: t('resident.idRequired') }]}
            >
              <Input className="fk-mono" maxLength={30} autoComplete="off" placeholder={editing ? current?.idMasked : undefined} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="sex" label={t('resident.sex')}>
              <Select allowClear options={['male', 'female'].map((x) => ({ value: x, label: t(`sex.${x}`) }))} placeholder={t('resident.fromId')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="birthDate" label={t('resident.birthDate')}>
              <DatePicker style={{ width: '100%' }} placeholder={t('resident.fromId')} disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('resident.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('resident.phoneRule') }]}>
              <Input className="fk-mono" maxLength={11} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="tenancy" label={t('resident.tenancy')}>
              <Select options={TENANCIES.map((x) => ({ value: x, label: t(`tenancy.${x}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="nationality" label={t('resident.nationality')} rules={[{ pattern: /^[A-Za-z]{2,3}$/, message: t('resident.nationalityRule') }]}>
              <Input maxLength={3} style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="language" label={t('resident.language')}>
              <Select options={LANGUAGES.map((x) => ({ value: x, label: t(`language.${x}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="flags" label={t('resident.careFlags')}>
              <Checkbox.Group options={CARE_FLAGS.map((f) => ({ value: f, label: t(`flag.${f}`) }))} />
            </Form.Item>
          </Col>
          {flags.includes('pregnant') && (
            <Col xs={24} md={8}>
              <Form.Item name="dueDate" label={t('resident.dueDate')} rules={[{ required: true, message: t('resident.dueDateRequired') }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="save-resident">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
