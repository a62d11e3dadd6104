// Create, rename and move a place.
import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ALLOWED_PARENTS, childKinds, places, type Place, type PlaceKind } from '../../api';
import PlaceTreeSelect from '../../components/PlaceTreeSelect';
import { formErrorText } from '../../components/serverErrors';
import { errorText } from '../../components/useErrorMessage';

interface PlaceFormValues {
  kind: PlaceKind;
  name: string;
  code?: string;
  floors?: number | null;
}

/** parent = null with mode create → a new district (administrator). */
export function PlaceFormModal({
  open,
  mode,
  parent,
  place,
  onClose,
  onSaved,
}: {
  open: boolean;
  mode: 'create' | 'rename';
  parent?: Place | null;
  place?: Place;
  onClose: () => void;
  onSaved: (p: Place) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlaceFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const kinds: PlaceKind[] = mode === 'create' ? (parent ? childKinds(parent.kind) : ['district']) : [];
  const kind = Form.useWatch('kind', form) ?? place?.kind;

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    if (mode === 'rename' && place) form.setFieldsValue({ kind: place.kind, name: place.name, code: place.code ?? '', floors: place.floors });
    else form.setFieldsValue({ kind: kinds[0], name: '', code: '', floors: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const body = { name: v.name.trim(), code: v.code?.trim() || null, ...(v.kind === 'building' ? { floors: v.floors ?? null } : {}) };
      const saved = mode === 'create' ? await places.create({ parentId: parent?.id ?? null, kind: v.kind, ...body }) : await places.update(place!.id, body);
      void message.success(mode === 'create' ? t('place.created', { name: saved.name }) : t('place.renamed'));
      onSaved(saved);
    } catch (err) {
      setError(formErrorText(form, err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={mode === 'create' ? (parent ? t('place.createUnder', { name: parent.name }) : t('place.createDistrict')) : t('place.renameTitle', { name: place?.name })}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false}>
        {mode === 'create' && (
          <Form.Item name="kind" label={t('place.kindLabel')} rules={[{ required: true }]}>
            <Select options={kinds.map((k) => ({ value: k, label: t(`place.kind.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('place.name')} rules={[{ required: true, whitespace: true, message: t('place.nameRequired') }, { max: 100 }]}>
          <Input maxLength={100} autoFocus data-testid="place-name" />
        </Form.Item>
        <Form.Item name="code" label={t('place.code')} extra={t('place.codeHint')}>
          <Input maxLength={20} />
        </Form.Item>
        {kind === 'building' && (
          <Form.Item name="floors" label={t('place.floors')}>
            <InputNumber min={1} max={200} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function MovePlaceModal({ open, place, onClose, onMoved }: { open: boolean; place: Place; onClose: () => void; onMoved: (p: Place) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [parentId, setParentId] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setParentId(undefined);
      setError(undefined);
    }
  }, [open]);

  const submit = async () => {
    if (!parentId) return setError(t('place.moveRequired'));
    setBusy(true);
    try {
      const moved = await places.move(place.id, parentId);
      void message.success(t('place.moved', { name: place.name }));
      onMoved(moved);
    } catch (err) {
      setError(errorText(err, i18n.language, t('errors.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const allowed = ALLOWED_PARENTS[place.kind];
  return (
    <Modal
      open={open}
      title={t('place.moveTitle', { name: place.name })}
      onCancel={onClose}
      onOk={submit}
      okText={t('place.move')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <p className="fk-muted">{t('place.moveExplain', { kinds: allowed.map((k) => t(`place.kind.${k}`)).join(t('common.or')) })}</p>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <PlaceTreeSelect value={parentId} onChange={(id) => setParentId(id)} selectableKinds={allowed} excludeId={place.id} placeholder={t('place.pickParent')} />
    </Modal>
  );
}
