// The signed-in user, sign-in/out, and what happens when the session is lost.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, auth, type Locale, type Messages, type Permission, type User } from '../api';
import i18n, { chosenLocale, rememberLocale } from '../i18n';
import { readStored, writeStored } from '../utils/stored';

interface AuthState {
  status: 'loading' | 'anonymous' | 'signed-in';
  user: User | null;
  scopePath: string | null;
  /** what the user may do, as GET /api/auth/me says (the server enforces it; the console shows and hides by it) */
  permissions: Permission[];
  /** why the user was sent back to sign-in (the server's message, both languages) */
  notice?: Messages;
  /** signed in as the device last knew, the server unreachable (checked again when the network is back) */
  offline?: boolean;
}

interface AuthApi extends AuthState {
  signIn: (username: string, password: string) => Promise<User>;
  signOut: () => Promise<void>;
  /** Forget the session locally (it is already gone on the server), saying why. */
  dropSession: (notice?: Messages) => void;
  refresh: () => Promise<void>;
  setLocale: (l: Locale) => Promise<void>;
  updateUser: (u: User) => void;
  can: (p: Permission) => boolean;
}

const Ctx = createContext<AuthApi | null>(null);

// Who was signed in on this device, so a page reloaded with no network (a sampler's phone at the
// lane) opens as them, with its offline queue, instead of on a sign-in it cannot do. Only the
// user's own profile and permissions; the session itself stays in its cookie and the server
// decides once reachable.
const LAST_USER = 'fk.lastUser';

interface LastUser {
  user: User;
  scopePath: string | null;
  /** absent in what a console before permissions stored: nothing shows until the server answers */
  permissions?: Permission[];
}
const rememberUser = (last: LastUser | null) => writeStored(LAST_USER, last);
const lastUser = () => readStored<LastUser>(LAST_USER);

/** The server could not be reached (no network, or a gateway in front of it that says so). */
function unreachable(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'NETWORK' || (err.code === 'BAD_RESPONSE' && err.status >= 502));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null, scopePath: null, permissions: [] });

  const adopt = useCallback((user: User, scopePath: string | null, permissions: Permission[]) => {
    setState({ status: 'signed-in', user, scopePath, permissions });
    rememberUser({ user, scopePath, permissions });
    if (user.locale && user.locale !== i18n.language) {
      void i18n.changeLanguage(user.locale);
      rememberLocale(user.locale);
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      const me = await auth.me(true);
      adopt(me.user, me.scopePath, me.permissions);
    } catch (err) {
      const last = unreachable(err) ? lastUser() : null;
      if (last) {
        setState({ status: 'signed-in', user: last.user, scopePath: last.scopePath, permissions: last.permissions ?? [], offline: true });
        return;
      }
      // an expired cookie says so; no cookie at all is just a first visit
      const notice = err instanceof ApiError && err.code === 'AUTH_SESSION_EXPIRED' ? err.messages : undefined;
      rememberUser(null);
      setState({ status: 'anonymous', user: null, scopePath: null, permissions: [], notice });
    }
  }, [adopt]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // opened offline: ask the server again when the network is back (an ended session signs out then)
  useEffect(() => {
    if (!state.offline) return;
    const again = () => void refresh();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [state.offline, refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const res = await auth.login(username, password);
      const me = await auth.me(true).catch(() => ({ user: res.user, scopePath: null, permissions: [] as Permission[] }));
      // The language the sign-in page was shown in, if one was chosen in this browser, wins over
      // the one saved on the account (which would otherwise switch the screen under the user's
      // eyes) and becomes the account's. A first visit with no choice takes the account's.
      const chosen = chosenLocale();
      let user = me.user;
      if (chosen && chosen !== user.locale) {
        user = { ...user, locale: chosen };
        await auth.updateMe({ locale: chosen }).catch(() => undefined);
      }
      adopt({ ...user, mustChangePassword: res.mustChangePassword || user.mustChangePassword }, me.scopePath, me.permissions);
      return user;
    },
    [adopt],
  );

  const dropSession = useCallback((notice?: Messages) => {
    rememberUser(null);
    setState((s) => (s.status === 'anonymous' ? s : { status: 'anonymous', user: null, scopePath: null, permissions: [], notice }));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      dropSession();
    }
  }, [dropSession]);

  const setLocale = useCallback(
    async (l: Locale) => {
      rememberLocale(l);
      await i18n.changeLanguage(l);
      if (state.user) {
        setState((s) => (s.user ? { ...s, user: { ...s.user, locale: l } } : s));
        await auth.updateMe({ locale: l }).catch(() => undefined);
      }
    },
    [state.user],
  );

  const updateUser = useCallback((u: User) => setState((s) => ({ ...s, user: { ...s.user, ...u } })), []);

  const value = useMemo<AuthApi>(
    () => ({ ...state, signIn, signOut, dropSession, refresh, setLocale, updateUser, can: (p) => state.permissions.includes(p) }),
    [state, signIn, signOut, dropSession, refresh, setLocale, updateUser],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
