import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, Route, Routes } from 'react-router';
import { usePageHeading } from './components/common';
import { LoginPage } from './pages/LoginPage';
import { endSession, useSession, type Session } from './session';

// The first page a visitor sees (login) loads without the pages behind it: they arrive as their own chunks,
// which keeps the first load within the 100 KiB (gzip) budget.
const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const DashboardPage = lazy(() => import('./pages/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));

function NotFound() {
  const heading = usePageHeading('Page not found');
  return (
    <section className="card">
      <h1 ref={heading} tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is nothing at this address. <Link to="/">Go to your tasks</Link>.
      </p>
    </section>
  );
}

function Header({ session }: { session: Session | null }) {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to={session ? '/dashboard' : '/login'} className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>
          Task Manager
        </Link>
        {session ? (
          <nav aria-label="Main" className="main-nav">
            {/* NavLink marks the current page with aria-current="page". */}
            <NavLink to="/dashboard">Tasks</NavLink>
            <NavLink to="/account">Account</NavLink>
            <span className="signed-in">
              Signed in as <strong>{session.username}</strong>
            </span>
            <button type="button" className="button button-small" onClick={() => endSession('You have been logged out.')}>
              Log out
            </button>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

function Layout({ session }: { session: Session | null }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Header session={session} />
      <main id="main" tabIndex={-1} className="site-main">
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

/** Pages for signed-in users; without a session they go to the login page. */
function SignedIn({ session, page }: { session: Session | null; page: (session: Session) => ReactNode }) {
  return session ? page(session) : <Navigate to="/login" replace />;
}

/** The login and register pages; a signed-in user goes to the dashboard instead. */
function SignedOut({ session, children }: { session: Session | null; children: ReactNode }) {
  return session ? <Navigate to="/dashboard" replace /> : children;
}

export function App() {
  const session = useSession();
  const queryClient = useQueryClient();
  // Nothing fetched for one user may be shown to the next one in this tab.
  useEffect(() => {
    if (!session) queryClient.clear();
  }, [session, queryClient]);

  const home = <Navigate to={session ? '/dashboard' : '/login'} replace />;
  return (
    <Routes>
      <Route element={<Layout session={session} />}>
        <Route index element={home} />
        <Route path="index.html" element={home} />
        <Route path="login" element={<SignedOut session={session}>{<LoginPage />}</SignedOut>} />
        <Route path="register" element={<SignedOut session={session}>{<RegisterPage />}</SignedOut>} />
        <Route path="dashboard" element={<SignedIn session={session} page={(s) => <DashboardPage key={s.userId} session={s} />} />} />
        <Route path="account" element={<SignedIn session={session} page={(s) => <AccountPage key={s.userId} session={s} />} />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
