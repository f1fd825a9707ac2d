import { useState, type FormEvent } from 'react';
import { useAction, useApi, useSession } from '../app-context.js';
import { ErrorMessage } from '../components/error-message.js';

/** The account: who is signed in, and deleting the account for good (confirmed by the password). */
export function AccountScreen({ onDeleted }: { onDeleted: (notice: string) => void }) {
  const api = useApi();
  const session = useSession();
  const [password, setPassword] = useState('');
  const remove = useAction(async () => {
    await api.deleteAccount(password);
    onDeleted('Your account was deleted. Its documents, notes, chats, quizzes, audio and recordings are being erased.');
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void remove.run();
  };

  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading">Account</h1>
      <p>
        Signed in as <strong>{session?.user.email}</strong>
        {session?.user.name ? ` (${session.user.name})` : ''}.
      </p>
      <form onSubmit={onSubmit} className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <p className="muted">
          This erases the account and everything in it: documents, notes, chats, quizzes and results, audio and
          recordings. It cannot be undone.
        </p>
        <label>
          Password to confirm
          <input type="password" required value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        {remove.error !== null && <ErrorMessage error={remove.error} />}
        <button type="submit" className="danger" disabled={remove.busy || password === ''}>
          {remove.busy ? 'Deleting…' : 'Delete my account'}
        </button>
      </form>
    </section>
  );
}
