import { useRef, useState } from 'preact/hooks';
import { ApiError, api, BARONG, messageOf } from '../api/client';
import type { User } from '../api/types';
import { Field, Notice, valueOf } from '../components/ui';
import type { SignedIn } from '../session';

interface Props {
  notice?: string;
  onSignedIn(s: SignedIn): void;
}

/** E-mail and password; the 2FA code is asked for when the account needs it. */
export function SignIn({ notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const otpRef = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { email, password };
      if (needOtp && otp) body.otp_code = otp.trim();
      const user = await api.post<User & { csrf_token: string }>(`${BARONG}/identity/sessions`, body);
      onSignedIn({ user: { email: user.email, uid: user.uid, role: user.role, otp: user.otp }, csrfToken: user.csrf_token });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'identity.session.missing_otp') {
        setNeedOtp(true);
        setTimeout(() => otpRef.current?.focus(), 0);
      } else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to the console</h1>
        {notice && <Notice kind="info">{notice}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        <Field label="E-mail">
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(valueOf(e))} />
        </Field>
        <Field label="Password">
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(valueOf(e))} />
        </Field>
        {needOtp && (
          <Field label="Two-factor code" hint="The 6-digit code from your authenticator app.">
            <input
              ref={otpRef}
              name="otp_code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={otp}
              onInput={(e) => setOtp(valueOf(e))}
            />
          </Field>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
