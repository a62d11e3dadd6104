import { Button, Select } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Paged } from './usePagedList';

export default function Pager<T>({ list, sizes = [20, 50, 100] }: { list: Paged<T>; sizes?: number[] }) {
  const { t } = useTranslation();
  if (list.page === 1 && !list.hasNext && list.items.length <= sizes[0]) return null;
  return (
    <div className="fk-pager" data-testid="pager">
      <span className="fk-muted">{t('common.pageN', { page: list.page, count: list.items.length })}</span>
      <Button size="small" icon={<LeftOutlined />} disabled={list.page <= 1 || list.loading} onClick={list.prev} data-testid="prev-page">
        {t('common.prev')}
      </Button>
      <Button size="small" disabled={!list.hasNext || list.loading} onClick={list.next} data-testid="next-page">
        {t('common.next')} <RightOutlined />
      </Button>
      <Select
        size="small"
        value={list.pageSize}
        onChange={list.setPageSize}
        options={sizes.map((s) => ({ value: s, label: t('common.perPage', { count: s }) }))}
        style={{ width: 110 }}
        aria-label={t('common.pageSize')}
      />
    </div>
  );
}
