// 采样通道: the sampler's phone page, full screen, outside the console layout.
// 1. pick campaign → site → lane (remembered on the device);
// 2. scan a tube barcode (kind of tube: single, 5/10/20-in-1, one per household);
// 3. scan each person's personal code or ID card; the tube seals when full or on "Seal".
// Without a network the scans queue on the device and sync when it returns (useQueue).
// A hardware scanner types into whatever has the focus: every key goes to the scan expected
// next whatever was tapped last (scanner.ts), no button keeps the focus, a seal is confirmed by
// a second deliberate tap only (never by a key: a scanner's Enter never seals), and a scan that
// cannot be taken says so at the top of the screen, in red, with a buzz.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button } from 'antd';
import { ExperimentOutlined, LeftOutlined, LockOutlined, SwapOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useAuth } from '../../auth/AuthContext';
import LanguageSwitch from '../../components/LanguageSwitch';
import { firstAllowedPath } from '../../layout/menu';
import { BARCODE, codeFromCardLink, isOffline, laneApi, looksLikePerson, maskTyped, modeOfTube, POOL_SIZE, uuid, type Mode, type ScanBody, type ScanResult, type Tube } from './api';
import LanePicker from './LanePicker';
import { queued, queueIsPersistent, type QueuedScan, type Rejected, type SyncReport } from './queue';
import RegisterForm from './RegisterForm';
import ScanInput, { keepFocus, type ScanInputHandle } from './ScanInput';
import { useScannerRouting } from './scanner';
import { Banner, Count, DocPicker, KindPicker, LastScanCard, PeopleList, RejectedList, SyncBadge, type Entry, type LastScan, type TypedDocument } from './ScanPanels';
import { loadSetup, loadTube, saveSetup, saveTube, type LaneSetup } from './setup';
import { useLaneQueue } from './useQueue';
import './lane.css';

interface OpenTube {
  barcode: string;
  mode: Mode;
  poolSize: number;
  count: number;
  entries: Entry[];
}

interface SealedInfo {
  barcode: string;
  count: number;
  /** sealed on the device; the server hears of it when the network returns */
  queued?: boolean;
  /** closed because the server refused another person (full or sealed elsewhere) */
  refused?: boolean;
}

interface RegisterState {
  scan: ScanBody;
  label: string;
  error?: string;
  errorField?: string;
  /** registering a scan the server rejected during a sync: it goes into the open tube */
  fromRejected?: string;
}

/** `typedName`: the name the sampler just typed to register the person (the server answers a sampler with a masked one) */
function entryOf(r: ScanResult, label: string, typedName?: string): Entry {
  return {
    key: r.key,
    name: typedName && r.flags.registeredOnSpot ? typedName : r.resident.name,
    idMasked: r.resident.idMasked,
    sex: r.resident.sex,
    age: r.resident.age,
    label,
    pending: false,
    repeatInRound: r.flags.repeatInRound,
    outsideCampaign: r.flags.outsideCampaign,
    registeredOnSpot: r.flags.registeredOnSpot,
    alreadyRegistered: r.flags.alreadyRegistered,
  };
}

/** A scan not taken: the phone buzzes too (where it can), for a sampler looking at the person, not the screen. */
function buzz() {
  try {
    navigator.vibrate?.([180, 80, 180]);
  } catch {
    /* no vibration here */
  }
}

function entriesOfTube(tube: Tube): Entry[] {
  return tube.samples.map((s) => ({
    key: `r${s.residentId}`,
    name: s.name,
    idMasked: s.idMasked,
    sex: s.sex,
    age: s.age,
    label: s.idMasked,
    pending: false,
    repeatInRound: s.repeatInRound,
    outsideCampaign: s.outsideCampaign,
  }));
}

function pendingEntries(items: { kind: string }[], barcode: string): Entry[] {
  return items
    .filter((i): i is QueuedScan => i.kind === 'scan' && (i as QueuedScan).scan.tube === barcode)
    .map((i) => ({ key: i.scan.key, label: i.label, pending: true }));
}

export default function LanePage() {
  const { t, i18n } = useTranslation();
  const { setLocale, can } = useAuth();
  const { modal } = App.useApp();
  const [setup, setSetupState] = useState<LaneSetup | null>(() => loadSetup());
  const [picking, setPicking] = useState(() => !loadSetup());
  const [tube, setTubeState] = useState<OpenTube | null>(null);
  const tubeRef = useRef<OpenTube | null>(null);
  const [sealed, setSealed] = useState<SealedInfo | null>(null);
  const [last, setLast] = useState<LastScan | null>(null);
  const [tubeError, setTubeError] = useState<string | null>(null);
  const [register, setRegister] = useState<RegisterState | null>(null);
  const [busy, setBusy] = useState(false);
  /** a document the sampler picked for the next person (null: a personal code or a mainland ID card) */
  const [docType, setDocType] = useState<TypedDocument | null>(null);
  const [sealArmed, setSealArmed] = useState(false);
  const [resuming, setResuming] = useState(false);
  // raw scanner text of the people queued into the open tube (memory only): a second scan of
  // the same code offline is caught on the device
  const rawInTube = useRef(new Set<string>());
  const personInput = useRef<ScanInputHandle>(null);
  const tubeInput = useRef<ScanInputHandle>(null);

  const text = useCallback((err: unknown) => (err instanceof ApiError ? err.text(i18n.language) : t('errors.unexpected')), [i18n.language, t]);
  /** a scan that cannot be taken: the loud card at the top, and a buzz */
  const fail = useCallback((message: string, hint?: string) => {
    setLast({ kind: 'error', message, hint });
    buzz();
    window.scrollTo({ top: 0 });
  }, []);

  const setTube = useCallback(
    (next: OpenTube | null) => {
      tubeRef.current = next;
      setTubeState(next);
      if (!next) rawInTube.current = new Set();
      saveTube(next && setup ? { laneId: setup.laneId, barcode: next.barcode, mode: next.mode, poolSize: next.poolSize, count: next.count } : null);
    },
    [setup],
  );

  const closeTube = useCallback(
    (info: SealedInfo) => {
      setTube(null);
      setSealed(info);
      setSealArmed(false);
    },
    [setTube],
  );

  // ---- after a sync: the people of the open tube get their names; rejected ones leave it
  const onSynced = useCallback(
    (report: SyncReport) => {
      const byKey = new Map(report.results.map((r) => [r.key, r]));
      setLast((l) => {
        if (l && l.kind === 'queued') {
          const r = byKey.get(l.entry.key);
          if (r) return { kind: 'ok', entry: entryOf(r, l.entry.label), alreadyInTube: r.outcome === 'already_in_tube', count: l.count, poolSize: l.poolSize, sealed: l.sealed };
        }
        return l;
      });
      const tb = tubeRef.current;
      if (!tb) return;
      const mine = report.results.filter((r) => r.tube.barcode === tb.barcode);
      const gone = new Set(report.rejected.filter((r) => r.tube === tb.barcode).map((r) => r.key));
      if (!mine.length && !gone.size) return;
      const entries = tb.entries
        .filter((e) => !gone.has(e.key))
        .map((e) => {
          const r = byKey.get(e.key);
          return r ? entryOf(r, e.label) : e;
        });
      const lastResult = mine[mine.length - 1];
      const count = lastResult ? lastResult.tube.people + entries.filter((e) => e.pending).length : entries.length;
      if (lastResult?.tube.sealed) closeTube({ barcode: tb.barcode, count });
      else setTube({ ...tb, entries, count });
    },
    [closeTube, setTube],
  );

  const queue = useLaneQueue(onSynced);

  // ---- a tube barcode: a new tube, or one already started (resume it)
  const openTube = useCallback(
    async (barcode: string, fallback?: { mode: Mode; poolSize: number; count: number }) => {
      if (!setup) return;
      if (looksLikePerson(barcode)) {
        // the sampler scanned a person with no tube open: no tube is named after them
        fail(t('lane.personNotTube', { label: maskTyped(barcode) }), t('lane.personNotTubeHint'));
        return;
      }
      if (!BARCODE.test(barcode)) {
        setTubeError(t('lane.tubeInvalid'));
        fail(t('lane.tubeInvalid'));
        return;
      }
      setTubeError(null);
      const waiting = pendingEntries(await queued(), barcode);
      let next: OpenTube = fallback
        ? { barcode, mode: fallback.mode, poolSize: fallback.poolSize, count: fallback.count, entries: waiting }
        : { barcode, mode: setup.tubeMode, poolSize: POOL_SIZE[setup.tubeMode], count: waiting.length, entries: waiting };
      if (navigator.onLine) {
        try {
          const found = await laneApi.tube(barcode);
          queue.markReachable();
          if (found.sealedAt) {
            setTubeError(t('lane.tubeAlreadySealed', { barcode }));
            fail(t('lane.tubeAlreadySealed', { barcode }));
            return;
          }
          const entries = [...entriesOfTube(found), ...waiting];
          next = { barcode, mode: modeOfTube(found.poolSize, found.householdOnly), poolSize: found.poolSize, count: found.people + waiting.length, entries };
        } catch (err) {
          if (err instanceof ApiError && err.code === 'TUBE_NOT_FOUND') {
            // a new tube: only what waits on this phone is in it
            next = { ...next, count: waiting.length };
          } else if (isOffline(err)) queue.markUnreachable();
          else {
            if (!(err instanceof ApiError && err.sessionLost)) {
              setTubeError(text(err));
              fail(text(err));
            }
            return;
          }
        }
      }
      if (next.count >= next.poolSize) {
        setTubeError(t('lane.tubeAlreadyFull', { barcode, poolSize: next.poolSize }));
        fail(t('lane.tubeAlreadyFull', { barcode, poolSize: next.poolSize }));
        return;
      }
      setSealed(null);
      setLast(null);
      setTube(next);
    },
    [setup, queue, setTube, t, text, fail],
  );

  // resume the tube that was open before a reload
  useEffect(() => {
    const saved = loadTube();
    if (!setup || !saved || saved.laneId !== setup.laneId || tubeRef.current) return;
    setResuming(true);
    void openTube(saved.barcode, { mode: saved.mode, poolSize: saved.poolSize, count: saved.count }).finally(() => setResuming(false));
    // only once, for the lane chosen at load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [setup?.laneId]);

  // ---- recording a scan
  const applyResult = useCallback(
    (res: ScanResult, label: string, typedName?: string) => {
      const entry = entryOf(res, label, typedName);
      const already = res.outcome === 'already_in_tube';
      setLast({ kind: 'ok', entry, alreadyInTube: already, count: res.tube.people, poolSize: res.tube.poolSize, sealed: res.tube.sealed });
      const tb = tubeRef.current;
      if (!tb || tb.barcode !== res.tube.barcode) return;
      const entries = already || tb.entries.some((e) => e.key === entry.key) ? tb.entries : [...tb.entries, entry];
      if (res.tube.sealed) closeTube({ barcode: tb.barcode, count: res.tube.people });
      else setTube({ ...tb, entries, count: res.tube.people, poolSize: res.tube.poolSize });
    },
    [closeTube, setTube],
  );

  const queueScan = useCallback(
    async (scan: ScanBody, label: string, raw?: string) => {
      await queue.enqueueScan(scan, label);
      const tb = tubeRef.current;
      const entry: Entry = { key: scan.key, label, pending: true };
      if (!tb || tb.barcode !== scan.tube) {
        setLast({ kind: 'queued', entry, count: 0, poolSize: 0, sealed: false });
        return;
      }
      if (raw) rawInTube.current.add(raw);
      const count = tb.count + 1;
      const full = count >= tb.poolSize;
      setLast({ kind: 'queued', entry, count, poolSize: tb.poolSize, sealed: full });
      // the server seals a full tube itself when the scans arrive
      if (full) closeTube({ barcode: tb.barcode, count, queued: true });
      else setTube({ ...tb, entries: [...tb.entries, entry], count });
    },
    [queue, closeTube, setTube],
  );

  const send = useCallback(
    async (scan: ScanBody, label: string, raw?: string): Promise<'done' | 'unknown'> => {
      if (!navigator.onLine) {
        await queueScan(scan, label, raw);
        return 'done';
      }
      // scans waiting from an offline spell go first, so the server sees them in order
      if (queue.pending) {
        const report = await queue.sync();
        if (report && (report.remaining || report.error)) {
          await queueScan(scan, label, raw);
          return 'done';
        }
      }
      try {
        const res = await laneApi.scan(scan);
        queue.markReachable();
        applyResult(res, label);
        return 'done';
      } catch (err) {
        if (isOffline(err) || (err instanceof ApiError && err.sessionLost)) {
          // no answer (or signed out): it waits on the device and syncs later, same key
          if (isOffline(err)) queue.markUnreachable();
          await queueScan(scan, label, raw);
          return 'done';
        }
        if (err instanceof ApiError && err.code === 'PERSON_UNKNOWN') return 'unknown';
        if (err instanceof ApiError && (err.code === 'TUBE_FULL' || err.code === 'TUBE_SEALED')) {
          const tb = tubeRef.current;
          if (tb && tb.barcode === scan.tube) closeTube({ barcode: tb.barcode, count: tb.count, refused: true });
          fail(text(err), t('lane.rescanHint'));
          return 'done';
        }
        fail(text(err));
        return 'done';
      }
    },
    [queue, queueScan, applyResult, closeTube, t, text, fail],
  );

  const onPerson = useCallback(
    async (scanned: string) => {
      const value = codeFromCardLink(scanned);
      const tb = tubeRef.current;
      const label = maskTyped(value);
      if (!tb || !setup) {
        fail(t('lane.scan.noTube', { label }), t('lane.personNotTubeHint'));
        return;
      }
      // a scan is a person: the seal's first tap no longer counts
      setSealArmed(false);
      if (rawInTube.current.has(value)) {
        fail(t('lane.flag.alreadyInTube'));
        return;
      }
      // a code or an ID card goes as `code` (the server tells them apart); a picked document as its number and type
      const person: Pick<ScanBody, 'code' | 'idNumber' | 'idType'> = docType ? { idNumber: value, idType: docType } : { code: value };
      const scan: ScanBody = { key: uuid(), laneId: setup.laneId, tube: tb.barcode, mode: tb.mode, ...person, at: new Date().toISOString() };
      // the choice is for this person: the next one most likely shows a code or an ID card again
      setDocType(null);
      setBusy(true);
      try {
        const r = await send(scan, label, value);
        if (r === 'unknown') {
          setLast(null);
          setRegister({ scan, label });
        }
      } finally {
        setBusy(false);
      }
    },
    [setup, send, t, docType, fail],
  );

  const submitRegister = useCallback(
    async (v: { name: string; phone: string | null }) => {
      if (!register) return;
      const scan: ScanBody = { ...register.scan, register: { name: v.name, phone: v.phone } };
      setBusy(true);
      try {
        if (!navigator.onLine) {
          await queueScan(scan, register.label);
        } else {
          try {
            applyResult(await laneApi.scan(scan), register.label, v.name);
            queue.markReachable();
          } catch (err) {
            if (isOffline(err)) {
              queue.markUnreachable();
              await queueScan(scan, register.label);
            } else {
              if (!(err instanceof ApiError && err.sessionLost)) setRegister({ ...register, error: text(err), errorField: err instanceof ApiError ? err.field : undefined });
              return;
            }
          }
        }
        if (register.fromRejected) await queue.dismiss(register.fromRejected);
        setRegister(null);
      } finally {
        setBusy(false);
      }
    },
    [register, queueScan, applyResult, queue, text],
  );

  const registerRejected = useCallback(
    (r: Rejected) => {
      const tb = tubeRef.current;
      if (!r.scan || !tb || !setup) return;
      // into the tube open now, as a new scan taken now
      setRegister({
        scan: { ...r.scan, key: uuid(), laneId: setup.laneId, tube: tb.barcode, mode: tb.mode, at: new Date().toISOString() },
        label: r.label,
        fromRejected: r.key,
      });
    },
    [setup],
  );

  const seal = useCallback(async () => {
    const tb = tubeRef.current;
    if (!tb || tb.count === 0) return;
    setBusy(true);
    try {
      if (navigator.onLine) {
        if (queue.pending) await queue.sync();
        const waiting = (await queued()).some((i) => i.kind === 'scan' && i.scan.tube === tb.barcode);
        if (!waiting) {
          try {
            const res = await laneApi.seal(tb.barcode);
            queue.markReachable();
            closeTube({ barcode: tb.barcode, count: res.people });
            return;
          } catch (err) {
            if (!isOffline(err)) {
              if (!(err instanceof ApiError && err.sessionLost)) fail(text(err));
              return;
            }
            queue.markUnreachable();
          }
        }
      }
      await queue.enqueueSeal(tb.barcode);
      closeTube({ barcode: tb.barcode, count: tb.count, queued: true });
    } finally {
      setBusy(false);
    }
  }, [queue, closeTube, text, fail]);

  // the seal button asks for a second tap, then disarms after a few seconds
  useEffect(() => {
    if (!sealArmed) return;
    const timer = window.setTimeout(() => setSealArmed(false), 4000);
    return () => window.clearTimeout(timer);
  }, [sealArmed]);

  // the scanner's next input goes where the page is
  useEffect(() => {
    if (register || picking) return;
    (tube ? personInput : tubeInput).current?.focus();
  }, [tube, register, picking]);

  // ...whatever was tapped last: keys typed elsewhere are brought to the expected field
  useScannerRouting({
    expected: () => {
      if (picking || !setup) return { field: null, refusal: t('lane.scan.pickFirst') };
      if (register) return { field: null, refusal: t('lane.scan.registering') };
      return { field: (tubeRef.current ? personInput : tubeInput).current };
    },
    onRefused: (raw, reason) => fail(t('lane.scan.refused', { label: maskTyped(raw) }), reason || undefined),
    onRouted: () => setSealArmed(false),
  });

  /**
   * 封管: a first tap arms it, a second tap within a few seconds seals. Only a pointer's tap
   * counts (a click with a detail count): a key never arms or confirms it, so a scanner's Enter
   * on a focused button is never a seal; and the button never takes the focus.
   */
  const onSealClick = (e: React.MouseEvent) => {
    if (e.detail === 0) return;
    if (sealArmed) void seal();
    else setSealArmed(true);
  };

  const pick = (s: LaneSetup) => {
    const apply = () => {
      if (setup && s.laneId !== setup.laneId) {
        setTube(null);
        saveTube(null);
        setSealed(null);
        setLast(null);
      }
      saveSetup(s);
      setSetupState(s);
      setPicking(false);
    };
    const tb = tubeRef.current;
    if (tb && tb.count > 0 && setup && s.laneId !== setup.laneId) {
      modal.confirm({
        title: t('lane.changeWithTubeTitle'),
        content: t('lane.changeWithTube', { barcode: tb.barcode, count: tb.count }),
        okText: t('lane.changeAnyway'),
        cancelText: t('common.cancel'),
        onOk: apply,
      });
    } else apply();
  };

  const setMode = (m: Mode) => {
    if (!setup) return;
    const s = { ...setup, tubeMode: m };
    saveSetup(s);
    setSetupState(s);
  };

  const rejectedPanel = (
    <RejectedList
      items={queue.rejected}
      onDismiss={(k) => void queue.dismiss(k)}
      onRegister={registerRejected}
      canRegister={!!tube && !register}
    />
  );

  return (
    <div className="fk-lane" data-testid="lane-page">
      <header className="fk-lane-top">
        <Link to={firstAllowedPath(can) ?? '/'} className="fk-lane-back" data-testid="lane-back">
          <LeftOutlined /> {t('lane.backToConsole')}
        </Link>
        <h1 className="fk-lane-title">
          <ExperimentOutlined /> {t('lane.title')}
        </h1>
        <LanguageSwitch onChange={setLocale} compact light />
      </header>

      {!picking && setup && (
        <div className="fk-lane-where" data-testid="lane-where">
          <div className="fk-lane-where-text">
            <div className="fk-lane-where-lane">
              {setup.siteName} · <strong className="fk-nowrap">{t('lane.laneN', { n: setup.laneNumber })}</strong>
            </div>
            <div className="fk-lane-where-campaign">{setup.campaignName}</div>
          </div>
          <Button icon={<SwapOutlined />} onClick={() => setPicking(true)} data-testid="lane-change" className="fk-lane-where-btn">
            {t('lane.change')}
          </Button>
        </div>
      )}

      <div className="fk-lane-status">
        <SyncBadge online={queue.online} pending={queue.pending} syncing={queue.syncing} lastSynced={queue.lastSynced} />
        {queue.rejected.length > 0 && (
          <button
            type="button"
            className="fk-lane-pill is-refused"
            onClick={() => document.getElementById('lane-rejected')?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
            data-testid="lane-rejected-pill"
          >
            <WarningFilled /> {t('lane.rejected.title', { count: queue.rejected.length })}
          </button>
        )}
        {!queueIsPersistent() && <span className="fk-lane-pill is-offline">{t('lane.sync.notPersistent')}</span>}
      </div>

      <main className="fk-lane-body">
        {picking || !setup ? (
          <>
            {last?.kind === 'error' && <LastScanCard last={last} />}
            <LanePicker current={setup} onPick={pick} onCancel={setup ? () => setPicking(false) : undefined} />
          </>
        ) : !tube ? (
          <>
            {last?.kind === 'error' && <LastScanCard last={last} />}
            {sealed && (
              <Banner tone={sealed.refused ? 'warn' : 'ok'} testId="lane-sealed">
                {sealed.queued ? t('lane.sealedQueued', { barcode: sealed.barcode, count: sealed.count }) : t('lane.sealed', { barcode: sealed.barcode, count: sealed.count })}
              </Banner>
            )}
            {last && last.kind !== 'error' && <LastScanCard last={last} />}
            <section className="fk-lane-card" aria-label={t('lane.step.tube')}>
              <h2 className="fk-lane-h2">{sealed ? t('lane.step.nextTube') : t('lane.step.tube')}</h2>
              <KindPicker value={setup.tubeMode} siteMode={setup.siteMode} onChange={setMode} />
              <ScanInput
                ref={tubeInput}
                label={t('lane.tubeLabel')}
                hint={t('lane.tubeHint')}
                placeholder={t('lane.tubePlaceholder')}
                testId="lane-tube-input"
                maxLength={40}
                busy={busy || resuming}
                onValue={(v) => openTube(v)}
              />
              {tubeError && (
                <Banner tone="danger" testId="lane-tube-error">
                  {tubeError}
                </Banner>
              )}
            </section>
            {rejectedPanel}
          </>
        ) : (
          <>
            {last?.kind === 'error' && <LastScanCard last={last} />}
            <section className="fk-lane-tube" data-testid="lane-tube" aria-label={t('lane.tubeShort', { barcode: tube.barcode })}>
              <div className="fk-lane-tube-info">
                <div className="fk-lane-tube-code fk-mono" data-testid="lane-tube-barcode">
                  {tube.barcode}
                </div>
                <div className="fk-lane-tube-kind">{t(`lane.mode.${tube.mode}`)}</div>
              </div>
              <Count count={tube.count} poolSize={tube.poolSize} testId="lane-count" />
            </section>
            <div className="fk-lane-tube-actions">
              <Button
                size="large"
                danger={sealArmed}
                type={sealArmed ? 'primary' : 'default'}
                icon={<LockOutlined />}
                className="fk-lane-big"
                disabled={tube.count === 0 || busy}
                onMouseDown={keepFocus}
                onClick={onSealClick}
                aria-describedby={sealArmed ? 'lane-seal-hint' : undefined}
                data-testid="lane-seal"
              >
                {sealArmed ? t('lane.sealConfirm', { count: tube.count }) : t('lane.seal')}
              </Button>
              {tube.count === 0 && (
                <Button size="large" className="fk-lane-big" onMouseDown={keepFocus} onClick={() => setTube(null)} data-testid="lane-tube-cancel">
                  {t('lane.otherTube')}
                </Button>
              )}
            </div>
            {sealArmed && (
              <div className="fk-lane-hint" id="lane-seal-hint" data-testid="lane-seal-hint">
                {t('lane.sealArmedHint')}
              </div>
            )}
            {register ? (
              <RegisterForm
                label={register.label}
                tube={register.scan.tube}
                error={register.error}
                errorField={register.errorField}
                busy={busy}
                onSubmit={(v) => void submitRegister(v)}
                onCancel={() => {
                  setRegister(null);
                  if (!register.fromRejected) setLast({ kind: 'error', message: t('lane.register.cancelled', { label: register.label }) });
                }}
              />
            ) : (
              <>
                <DocPicker
                  value={docType}
                  onChange={(d) => {
                    setDocType(d);
                    personInput.current?.focus();
                  }}
                />
                <ScanInput
                  ref={personInput}
                  label={docType ? t('lane.docNumber', { type: t(`idType.${docType}`) }) : t('lane.personLabel')}
                  hint={docType ? t('lane.docHint') : t('lane.personHint')}
                  placeholder={t('lane.personPlaceholder')}
                  testId="lane-person-input"
                  maxLength={docType ? 30 : 100}
                  busy={busy}
                  onValue={onPerson}
                />
              </>
            )}
            {last && last.kind !== 'error' && !register && <LastScanCard last={last} />}
            {rejectedPanel}
            <PeopleList entries={tube.entries} />
          </>
        )}
      </main>
    </div>
  );
}
