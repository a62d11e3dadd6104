// Shared bits of the notice pages: channel and target tags, the status colours of the report.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MessageStatus, Notice } from '../../api/notices';

export const STATUS_COLORS: Record<MessageStatus, string> = {
  queued: '#8c8c8c',
  sending: '#1677ff',
  sent: '#13a8a8',
  delivered: '#389e0d',
  failed: '#cf1322',
  read: '#531dab',
};

export function ChannelTags({ channels }: { channels: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {channels.map((c) => (
        <Tag key={c} color={c === 'sms' ? 'blue' : 'geekblue'} style={{ marginInlineEnd: 4 }}>
          {t(`notices.channel.${c}`)}
        </Tag>
      ))}
    </>
  );
}

export function TargetText({ n }: { n: Pick<Notice, 'target' | 'place' | 'slot'> }) {
  const { t } = useTranslation();
  return (
    <span>
      <strong>{n.place.name}</strong>
      <span className="fk-muted" style={{ marginInlineStart: 6 }}>
        {t(`notices.target.${n.target}`)}
        {n.slot ? ` · ${n.slot}` : ''}
      </span>
    </span>
  );
}
