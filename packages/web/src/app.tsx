import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { AppContext, useApi, useSession, type AppServices } from './app-context.js';
import { Loading } from './components/error-message.js';
import { AuthScreen } from './screens/auth-screen.js';
import { LibraryScreen } from './screens/library-screen.js';

// The library is the first screen; the others load when opened, so the first page stays small.
const DocumentScreen = lazy(() => import('./screens/document-screen.js').then((m) => ({ default: m.DocumentScreen })));
const TutorScreen = lazy(() => import('./screens/tutor-screen.js').then((m) => ({ default: m.TutorScreen })));
const ConversationScreen = lazy(() => import('./screens/tutor-screen.js').then((m) => ({ default: m.ConversationScreen })));
const QuizzesScreen = lazy(() => import('./screens/quiz-screens.js').then((m) => ({ default: m.QuizzesScreen })));
const QuizScreen = lazy(() => import('./screens/quiz-screens.js').then((m) => ({ default: m.QuizScreen })));
const RecordingsScreen = lazy(() => import('./screens/recordings-screen.js').then((m) => ({ default: m.RecordingsScreen })));
const RecordingScreen = lazy(() => import('./screens/recordings-screen.js').then((m) => ({ default: m.RecordingScreen })));
const AccountScreen = lazy(() => import('./screens/account-screen.js').then((m) => ({ default: m.AccountScreen })));

/** A render error shows a message and a way back, never a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean; key: string }> {
  override state = { failed: false, key: this.props.resetKey };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }) {
    return props.resetKey !== state.key ? { failed: false, key: props.resetKey } : null;
  }
  override render() {
    if (this.state.failed) {
      return (
        <div role="alert" className="error">
          <p>This screen could not be shown. Reload the page, or go back to the library.</p>
          <a href="#/">Back to the library</a>
        </div>
      );
    }
    return this.props.children;
  }
}

const NAV = [
  { href: '/', label: 'Library', match: (p: string) => p === '/' || p.startsWith('/documents') },
  { href: '/tutor', label: 'Tutor', match: (p: string) => p.startsWith('/tutor') },
  { href: '/quizzes', label: 'Quizzes', match: (p: string) => p.startsWith('/quizzes') },
  { href: '/recordings', label: 'Recordings', match: (p: string) => p.startsWith('/recordings') },
];

function Shell() {
  const api = useApi();
  const session = useSession();
  const [location] = useLocation();
  // Said on the sign-in screen once the account was deleted.
  const [notice, setNotice] = useState<string | null>(null);
  if (!session) return <AuthScreen notice={notice} />;
  return (
    <>
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Learner Platform</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.match(location) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <Link href="/account" className="muted small" title={session.user.email} aria-current={location === '/account' ? 'page' : undefined}>
            {session.user.name ?? session.user.email}
          </Link>
          <button type="button" className="secondary small" onClick={() => void api.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location}>
          <Suspense fallback={<Loading what="the screen" />}>
            <Switch>
              <Route path="/">
                <LibraryScreen />
              </Route>
              <Route path="/documents/:id">{(p) => <DocumentScreen id={Number(p.id)} page={1} />}</Route>
              <Route path="/documents/:id/pages/:page">{(p) => <DocumentScreen id={Number(p.id)} page={Math.max(1, Number(p.page) || 1)} />}</Route>
              <Route path="/tutor">
                <TutorScreen />
              </Route>
              <Route path="/tutor/new/:documentId">{(p) => <TutorScreen preselect={Number(p.documentId)} />}</Route>
              <Route path="/tutor/:id">{(p) => <ConversationScreen id={Number(p.id)} />}</Route>
              <Route path="/quizzes">
                <QuizzesScreen />
              </Route>
              <Route path="/quizzes/new/:documentId">{(p) => <QuizzesScreen preselect={Number(p.documentId)} />}</Route>
              <Route path="/quizzes/:id">{(p) => <QuizScreen id={Number(p.id)} />}</Route>
              <Route path="/recordings">
                <RecordingsScreen />
              </Route>
              <Route path="/recordings/:id">{(p) => <RecordingScreen id={p.id} />}</Route>
              <Route path="/account">
                <AccountScreen onDeleted={setNotice} />
              </Route>
              <Route>
                <Redirect to="/" />
              </Route>
            </Switch>
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App({ services }: { services: AppServices }) {
  return (
    <AppContext.Provider value={services}>
      <Router hook={useHashLocation}>
        <Shell />
      </Router>
    </AppContext.Provider>
  );
}
