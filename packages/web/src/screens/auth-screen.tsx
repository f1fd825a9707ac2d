import { useState, type FormEvent } from 'react';
import { useApi, useAction } from '../app-context.js';
import { ErrorMessage } from '../components/error-message.js';

/** Sign in, or create an account; `notice` says what just happened (the account was deleted). */
export function AuthScreen({ notice = null }: { notice?: string | null }) {
  const api = useApi();
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const submit = useAction(async () => {
    if (mode === 'signin') await api.signIn(email, password);
    else await api.signUp(email, password, name.trim() || undefined);
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };
  const heading = mode === 'signin' ? 'Sign in' : 'Create an account';

  return (
    <main id="main" className="auth">
      <h1>Learner Platform</h1>
      <p className="muted">Upload your course material, read its notes, ask the tutor and test yourself.</p>
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={onSubmit} className="card" aria-labelledby="auth-heading">
        <h2 id="auth-heading">{heading}</h2>
        {mode === 'signup' && (
          <label>
            Name (optional)
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" maxLength={200} />
          </label>
        )}
        <label>
          Email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          Password {mode === 'signup' && <span className="muted small">(8 to 128 characters)</span>}
          <input
            type="password"
            required
            minLength={mode === 'signup' ? 8 : undefined}
            maxLength={128}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
          />
        </label>
        <ErrorMessage error={submit.error} />
        <button type="submit" disabled={submit.busy}>
          {submit.busy ? 'Please wait…' : heading}
        </button>
      </form>
      <p>
        {mode === 'signin' ? 'New here? ' : 'Have an account? '}
        <button
          type="button"
          className="link"
          onClick={() => {
            setMode(mode === 'signin' ? 'signup' : 'signin');
            submit.setError(null);
          }}
        >
          {mode === 'signin' ? 'Create an account' : 'Sign in instead'}
        </button>
      </p>
    </main>
  );
}
