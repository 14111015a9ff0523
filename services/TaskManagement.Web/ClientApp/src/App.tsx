import { useEffect, type ReactNode } from 'react';
import { usePageHeading } from './components/common';
import { AccountPage } from './pages/AccountPage';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';
import { Link, navigate, useLocation } from './router';
import { endSession, useSession, type Session } from './session';

const publicOnly = new Set(['/login', '/register']);
const signedInOnly = new Set(['/dashboard', '/account']);

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

function Header({ session, path }: { session: Session | null; path: string }) {
  const current = (to: string) => (path === to ? 'page' : undefined);
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
            <Link to="/dashboard" aria-current={current('/dashboard')}>
              Tasks
            </Link>
            <Link to="/account" aria-current={current('/account')}>
              Account
            </Link>
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

export function App() {
  const session = useSession();
  const { pathname } = useLocation();

  let redirect: string | null = null;
  if (pathname === '/' || pathname === '/index.html') redirect = session ? '/dashboard' : '/login';
  else if (!session && signedInOnly.has(pathname)) redirect = '/login';
  else if (session && publicOnly.has(pathname)) redirect = '/dashboard';

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  let page: ReactNode = null;
  if (!redirect) {
    if (pathname === '/login') page = <LoginPage />;
    else if (pathname === '/register') page = <RegisterPage />;
    else if (pathname === '/dashboard' && session) page = <DashboardPage key={session.userId} session={session} />;
    else if (pathname === '/account' && session) page = <AccountPage key={session.userId} session={session} />;
    else page = <NotFound />;
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Header session={session} path={pathname} />
      <main id="main" tabIndex={-1} className="site-main">
        {page}
      </main>
    </>
  );
}
