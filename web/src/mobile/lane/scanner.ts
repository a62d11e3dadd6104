// Every key a hardware scanner types reaches the scan the lane expects next, whatever was
// tapped last. A scanner is a keyboard: it types the code's characters quickly and presses
// Enter into whatever has the focus. A button keeps the focus after a tap (封管 waiting for its
// second tap, a tube-kind button), and so does the page after a tap on empty space: the code went
// nowhere and its Enter pressed the button. So the page listens to every key first (capture):
// - aimed at the expected field: left alone;
// - aimed at anything that is not a text field (a button, the page): the character goes into
//   the expected field, and the focus with it, so the rest of the code and its Enter land there;
//   an Enter that ends such a run never reaches the button;
// - aimed at another text field (the name on the registration form): a person types there, so
//   it is left alone, unless a scanner-fast run ends in Enter: that run is taken back out of the
//   field and refused, loudly (a code is not a name);
// - no field expects a scan now (the lane is not picked, a registration is open): the run is
//   refused, loudly, instead of vanishing.
import { useEffect, useRef } from 'react';
import type { ScanInputHandle } from './ScanInput';

/** Keys closer together than this belong to one run (one code, or one word typed by a person). */
const RUN_GAP_MS = 150;
/**
 * A run this fast on average is a machine typing: a scanner sends a key every few ms, a person
 * types 100 ms and more apart (40 ms a key would be 300 words a minute). An average, not each
 * gap, so one late key (a busy phone) does not split a code.
 */
export const SCANNER_MS_PER_KEY = 40;
/** A run shorter than this ending in Enter is a person pressing Enter, not a code. */
const MIN_CODE = 4;

export interface ScannerRouting {
  /** the field the next scan belongs in, or why none does (shown when a scan arrives) */
  expected: () => { field: ScanInputHandle | null; refusal?: string };
  /** a run of scanner keys that could not be taken: say so, loudly */
  onRefused: (text: string, reason: string) => void;
  /** any key routed to the expected field (a scan is coming: an armed seal disarms) */
  onRouted?: () => void;
}

function isTextField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  if (!(el instanceof HTMLInputElement)) return false;
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(el.type);
}

/** Sets a React-controlled field's text as if typed (its onChange sees it). */
function setFieldText(el: HTMLInputElement | HTMLTextAreaElement, text: string) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, text);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export function useScannerRouting(routing: ScannerRouting) {
  const latest = useRef(routing);
  useEffect(() => {
    latest.current = routing;
  });

  useEffect(() => {
    /** the current run of fast keys: its text, when its last key came, and (in another field) that field's text before it */
    let run = { text: '', start: 0, at: 0, field: null as HTMLInputElement | HTMLTextAreaElement | null, before: '' };
    const reset = () => (run = { text: '', start: 0, at: 0, field: null, before: '' });
    /** characters held back because no field expects a scan */
    let held = '';

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      const now = performance.now();
      const fast = now - run.at < RUN_GAP_MS;
      const printable = e.key.length === 1;
      if (!printable && e.key !== 'Enter') return;
      // Space on a focused button, typed by a person, presses it as usual
      if (e.key === ' ' && !fast && !isTextField(e.target)) return;
      const { field, refusal } = latest.current.expected();
      const target = field?.element() ?? null;
      const el = e.target;

      if (printable) {
        if (!fast) {
          run = { text: '', start: now, at: now, field: null, before: '' };
          held = '';
        }
        if (target && el === target) {
          run = { ...run, text: run.text + e.key, at: now };
          latest.current.onRouted?.();
          return;
        }
        if (isTextField(el)) {
          if (!run.text) run = { ...run, field: el, before: el.value };
          run = { ...run, text: run.text + e.key, at: now };
          return;
        }
        // a button, a link, the page: the key belongs to the expected scan
        e.preventDefault();
        e.stopPropagation();
        run = { ...run, text: run.text + e.key, at: now };
        if (target && field) {
          field.type(e.key);
          latest.current.onRouted?.();
        } else held += e.key;
        return;
      }

      // Enter
      const scanned = fast && run.text.length >= MIN_CODE && (run.at - run.start) / (run.text.length - 1) < SCANNER_MS_PER_KEY;
      if (target && el === target) return; // the field submits it
      if (isTextField(el)) {
        if (scanned && run.field === el) {
          // a code typed into the name field by the scanner: take it out, refuse it
          e.preventDefault();
          e.stopPropagation();
          setFieldText(el, run.before);
          latest.current.onRefused(run.text, refusal ?? '');
          reset();
        }
        return;
      }
      if (!scanned && !held) return; // a person pressing Enter on a focused control
      e.preventDefault();
      e.stopPropagation();
      if (held) latest.current.onRefused(held, refusal ?? '');
      else field?.submit(); // the run went into the field, but the focus did not stay there
      held = '';
      reset();
    };

    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
