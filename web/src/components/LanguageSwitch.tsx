import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api';
import { LOCALES, rememberLocale } from '../i18n';

const NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

/** Switches the console's language; `onChange` persists it for a signed-in user. */
export default function LanguageSwitch({ onChange, light, compact }: { onChange?: (l: Locale) => void | Promise<void>; light?: boolean; compact?: boolean }) {
  const { i18n, t } = useTranslation();
  const current = (i18n.language === 'en-US' ? 'en-US' : 'zh-CN') as Locale;
  const shown = compact ? (current === 'zh-CN' ? '中' : 'EN') : NAMES[current];
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: LOCALES.map((l) => ({ key: l, label: NAMES[l] })),
        onClick: ({ key }) => {
          const l = key as Locale;
          if (onChange) void onChange(l);
          else {
            rememberLocale(l);
            void i18n.changeLanguage(l);
          }
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={`${shown} (${t('common.language')})`} data-testid="lang-switch" style={light ? { color: '#fff' } : undefined}>
        {shown}
      </Button>
    </Dropdown>
  );
}
