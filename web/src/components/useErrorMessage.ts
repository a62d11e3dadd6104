// Shows an error in the current language: the server's message for an ApiError.
import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { isNetworkError } from '../api/network';

export function errorText(err: unknown, lang: string, fallback: string): string {
  if (err instanceof ApiError) return err.text(lang);
  return fallback;
}

export function useErrorMessage() {
  const { message } = App.useApp();
  const { t, i18n } = useTranslation();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.sessionLost) return; // the sign-in page says it
      if ((err as Error)?.name === 'AbortError') return;
      if (isNetworkError(err)) return; // the layout's offline banner says it, once, and the page reloads when the server is back
      if (!(err instanceof ApiError)) console.error(err);
      void message.error(errorText(err, i18n.language, t('errors.unexpected')));
    },
    [message, t, i18n.language],
  );
}
