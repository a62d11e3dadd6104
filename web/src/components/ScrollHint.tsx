// A wide table on a phone scrolls sideways instead of hiding columns; this says so above it
// ("swipe for more columns"), only while there is more to see, and the antd ping shadow marks
// the edge. Wrap a <Table scroll={{ x: 'max-content' }}> in it.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export default function ScrollHint({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [wide, setWide] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const check = () => {
      const scroller = el.querySelector<HTMLElement>('.ant-table-content, .ant-table-body');
      setWide(!!scroller && scroller.scrollWidth > scroller.clientWidth + 1);
    };
    check();
    const ro = new ResizeObserver(check);
    ro.observe(el);
    const table = el.querySelector('table');
    if (table) ro.observe(table);
    // rows arrive after the first render: look again when the table's content changes
    const mo = new MutationObserver(() => {
      const tbl = el.querySelector('table');
      if (tbl) ro.observe(tbl);
      check();
    });
    mo.observe(el, { childList: true, subtree: true });
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, []);

  return (
    <div ref={box}>
      {wide && (
        <div className="fk-scroll-hint" data-testid="scroll-hint" role="note">
          <SwapOutlined aria-hidden /> {t('common.scrollForMore')}
        </div>
      )}
      {children}
    </div>
  );
}
