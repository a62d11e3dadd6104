// The scanner input: a hardware scanner (or a card reader) types into the focused field and
// presses Enter; a sampler can also type and tap OK, or use the phone camera where the
// browser has BarcodeDetector. Keys typed while something else has focus (a button just
// tapped, the page) are brought here by the lane's router (scanner.ts) through `type`, so the
// field's text is the DOM's (uncontrolled): a routed key and the next native one never race.
import { useCallback, useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { Button } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorCtor | undefined {
  return 'BarcodeDetector' in window ? (window as unknown as { BarcodeDetector: BarcodeDetectorCtor }).BarcodeDetector : undefined;
}

/** Can this browser read a code from the camera (BarcodeDetector, Chrome on Android)? */
export function cameraScanAvailable(): boolean {
  return !!detectorClass() && !!navigator.mediaDevices?.getUserMedia;
}

export interface ScanInputHandle {
  focus: () => void;
  /** the field itself (the router lets keys aimed at it through) */
  element: () => HTMLInputElement | null;
  /** a key typed elsewhere: appended here, and the focus moves here for the keys that follow */
  type: (text: string) => void;
  /** takes what the field holds, as its Enter would */
  submit: () => void;
}

interface Props {
  label: string;
  hint?: string;
  placeholder?: string;
  testId: string;
  busy?: boolean;
  maxLength?: number;
  /** called with the trimmed text; the field clears and keeps the focus */
  onValue: (value: string) => void | Promise<void>;
  ref?: Ref<ScanInputHandle>;
}

export default function ScanInput({ label, hint, placeholder, testId, busy, maxLength = 100, onValue, ref }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState(false);
  const hasCamera = cameraScanAvailable();

  // A scanner can type the next code before the last one is answered: take them in order.
  const handler = useRef(onValue);
  useEffect(() => {
    handler.current = onValue;
  }, [onValue]);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const submit = useCallback((raw: string) => {
    const v = raw.trim();
    if (input.current) input.current.value = '';
    if (!v) return;
    chain.current = chain.current
      .then(() => handler.current(v))
      .catch(() => undefined)
      .then(() => input.current?.focus());
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => input.current?.focus(),
      element: () => input.current,
      type: (text: string) => {
        const el = input.current;
        if (!el) return;
        el.focus();
        el.value = (el.value + text).slice(0, maxLength);
      },
      submit: () => submit(input.current?.value ?? ''),
    }),
    [maxLength, submit],
  );

  return (
    <div className="fk-lane-scan">
      <label htmlFor={id} className="fk-lane-label">
        {label}
      </label>
      <div className="fk-lane-scan-row">
        <input
          id={id}
          ref={input}
          className="fk-lane-input"
          data-testid={testId}
          maxLength={maxLength}
          placeholder={placeholder}
          autoFocus
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="go"
          aria-describedby={hint ? `${id}-hint` : undefined}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit(e.currentTarget.value);
            }
          }}
        />
        {hasCamera && (
          <Button
            className="fk-lane-icon-btn"
            aria-label={t('lane.camera')}
            icon={<CameraOutlined />}
            onMouseDown={keepFocus}
            onClick={() => setCamera(true)}
            data-testid={`${testId}-camera`}
          />
        )}
        <Button
          type="primary"
          className="fk-lane-ok"
          loading={busy}
          onMouseDown={keepFocus}
          onClick={() => submit(input.current?.value ?? '')}
          data-testid={`${testId}-ok`}
        >
          {t('lane.ok')}
        </Button>
      </div>
      {hint && (
        <div id={`${id}-hint`} className="fk-lane-hint">
          {hint}
        </div>
      )}
      {camera && (
        <CameraScanner
          onClose={() => {
            setCamera(false);
            input.current?.focus();
          }}
          onValue={(v) => {
            setCamera(false);
            submit(v);
          }}
        />
      )}
    </div>
  );
}

/** A tap on a lane button leaves the focus where the next scan goes (a focused button would take the scanner's Enter). */
export function keepFocus(e: React.MouseEvent) {
  e.preventDefault();
}

/** Full-screen camera view; reads the first barcode or QR it sees. */
export function CameraScanner({ onValue, onClose }: { onValue: (v: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const done = useRef(onValue);
  useEffect(() => {
    done.current = onValue;
  }, [onValue]);

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let stopped = false;
    const detector = new Detector();
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        const v = video.current!;
        v.srcObject = s;
        await v.play();
        const tick = async () => {
          if (stopped) return;
          try {
            const found = await detector.detect(v);
            const text = found.find((f) => f.rawValue?.trim())?.rawValue.trim();
            if (text && !stopped) {
              stopped = true;
              done.current(text);
              return;
            }
          } catch {
            /* a frame that is not ready yet */
          }
          timer = window.setTimeout(tick, 200);
        };
        void tick();
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  return (
    <div className="fk-lane-camera" role="dialog" aria-modal="true" aria-label={t('lane.camera')}>
      {failed ? <div className="fk-lane-camera-msg">{t('lane.cameraFailed')}</div> : <video ref={video} playsInline muted />}
      <div className="fk-lane-camera-frame" aria-hidden="true" />
      <Button size="large" className="fk-lane-big" onClick={onClose}>
        {t('common.cancel')}
      </Button>
    </div>
  );
}
