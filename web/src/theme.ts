// The console's Ant Design theme: the one place its colours are set. Every text colour meets
// WCAG AA (4.5:1) on the backgrounds it is drawn on — white, the layout grey #f0f2f5 and the
// light tint of its own tag — which antd's defaults do not (grey text 3.4:1, link blue 4.1:1,
// green/orange/gold tags about 3.3:1). The e2e axe check (web/e2e/a11y.spec.mjs) holds it there.
import { theme, type ThemeConfig } from 'antd';

const BLUE = '#1456b8'; // 6.9:1 on white

/** A preset colour's tag text, under both names antd reads it by (green7 in the style, green-7 as the CSS variable). */
function presetText(colors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(colors).flatMap(([name, c]) => [[`${name}7`, c], [`${name}-7`, c]]));
}

export const appTheme: ThemeConfig = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: BLUE,
    colorInfo: BLUE,
    colorLink: BLUE,
    borderRadius: 4,
    fontSize: 14,
    colorBgLayout: '#f0f2f5',
    // secondary and placeholder text: 5.7:1 / 5.3:1 on white, 5.1:1 on the layout grey
    colorTextTertiary: '#666666',
    colorTextDescription: '#666666',
    colorTextPlaceholder: '#6b6b6b',
    // status colours dark enough for text (Typography type, danger buttons, status tags) on
    // white and on their own light background, which stays the usual light tint
    colorSuccess: '#237804',
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarning: '#ad4e00',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorError: '#c4232f',
    colorErrorBg: '#fff1f0',
    colorErrorBorder: '#ffccc7',
    // preset tag colours: a tag's text is the 7th shade on the 1st; these are one shade darker
    // than antd's palette where that is under 4.5:1
    ...presetText({ green: '#237804', orange: '#ad4e00', gold: '#874d00', cyan: '#006d75', lime: '#5b8c00', volcano: '#ad2102' }),
  },
  components: {
    Layout: { siderBg: '#0f2a4a', headerBg: '#ffffff', headerHeight: 52, headerPadding: '0 16px' },
    Menu: { darkItemBg: '#0f2a4a', darkSubMenuItemBg: '#0b2340', darkItemSelectedBg: BLUE },
    Table: { cellPaddingBlockSM: 6 },
  },
};
