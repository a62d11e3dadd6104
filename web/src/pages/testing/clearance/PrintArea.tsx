// Printing one list, not the console: the list is rendered into a node beside the app root,
// and the print stylesheet (clearance.css) hides everything else while that node exists.
import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import './clearance.css';

export default function PrintArea({ children, onDone }: { children: ReactNode; onDone: () => void }) {
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    const after = () => done.current();
    window.addEventListener('afterprint', after);
    // let the list render and the fonts settle before the dialog opens
    const timer = window.setTimeout(() => window.print(), 100);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  return createPortal(
    <div className="fk-print-area" data-testid="print-area">
      {children}
    </div>,
    document.body,
  );
}
