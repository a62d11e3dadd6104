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
//   it is left alone, unless at its Enter the field holds a code (a personal code, six digits:
//   never a name; checked without timing) or a scanner-fast run just ended: the code is taken
//   back out of the field and refused, loudly;
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
export const SCANNER_MS_PER_KEY = 60;
/** What only a scan is: a personal code, or a run with six digits in it (no name has them). */
const CODE_LIKE = /^(FK1\..+|\S*\/home\/card#FK1\..+|[0-9A-Za-z-]*\d{6,}[0-9A-Za-z-]*)$/;
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
    type Dest = 'scan' | HTMLInputElement | HTMLTextAreaElement;
    /**
     * The current run of keys: where they land ('scan': the expected field, natively or routed;
     * or another text field), its text, its first and last key's time, and that other field's
     * text before the run (to take a code back out of it).
     */
    let run: { dest: Dest | null; text: string; start: number; at: number; before: string } = { dest: null, text: '', start: 0, at: 0, before: '' };
    const reset = () => (run = { dest: null, text: '', start: 0, at: 0, before: '' });
    /** characters held back because no field expects a scan */
    let held = '';

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      const printable = e.key.length === 1;
      if (!printable && e.key !== 'Enter') return;
      const now = performance.now();
      const el = e.target;
      const { field, refusal } = latest.current.expected();
      const target = field?.element() ?? null;
      const inTarget = !!target && el === target;
      const inText = !inTarget && isTextField(el);
      const dest: Dest = inText ? (el as HTMLInputElement | HTMLTextAreaElement) : 'scan';
      const continues = run.dest === dest && now - run.at < RUN_GAP_MS;

      if (printable) {
        if (!continues) {
          // Space on a focused button, typed by a person, presses it as usual
          if (e.key === ' ' && !inTarget && !inText) return;
          run = { dest, text: '', start: now, at: now, before: inText ? (el as HTMLInputElement).value : '' };
        }
        run = { ...run, text: run.text + e.key, at: now };
        if (inTarget) {
          latest.current.onRouted?.();
          return;
        }
        if (inText) return;
        // a button, a link, the page: the key belongs to the expected scan
        e.preventDefault();
        e.stopPropagation();
        if (field && target) {
          field.type(e.key);
          latest.current.onRouted?.();
        } else held += e.key;
        return;
      }

      // Enter: ends the run
      const r = continues ? run : { dest: null, text: '', start: now, at: now, before: '' };
      // held keys count whatever their timing (a busy phone may be slow between them)
      const hold = held.length >= MIN_CODE ? held : '';
      reset();
      held = '';
      if (inTarget) return; // the field submits it
      const scanned = r.text.length >= MIN_CODE && (r.at - r.start) / (r.text.length - 1) < SCANNER_MS_PER_KEY;
      if (inText) {
        const box = el as HTMLInputElement | HTMLTextAreaElement;
        // a scanner's speed, or a code where no code belongs (a name; a phone field takes digits)
        // (the whole field is checked: no timing, so a slow key or a late Enter changes nothing)
        const textField = box.inputMode !== 'tel' && box.inputMode !== 'numeric';
        if (textField && CODE_LIKE.test(box.value.trim())) {
          e.preventDefault();
          e.stopPropagation();
          const code = box.value.trim();
          setFieldText(box, '');
          latest.current.onRefused(code, refusal ?? '');
        } else if (r.text && scanned) {
          e.preventDefault();
          e.stopPropagation();
          setFieldText(box, r.before);
          latest.current.onRefused(r.text, refusal ?? '');
        }
        return;
      }
      if (hold) {
        e.preventDefault();
        e.stopPropagation();
        latest.current.onRefused(hold, refusal ?? '');
      } else if (r.text && field) {
        // the run went into the field but the focus did not stay there: the Enter is still the field's
        e.preventDefault();
        e.stopPropagation();
        field.submit();
      }
      // else: a person pressing Enter on a focused control (a seal never takes it: LanePage)
    };

    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
