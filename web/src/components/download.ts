// Downloads a file the server streams (export, report): first make sure the session is alive
// so an expired session goes to sign-in instead of saving an error as a file.
import { auth } from '../api';

export async function download(url: string) {
  await auth.me();
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
