// The admin UI's shell: sign-in, the navigation (only what the signed-in role may see), and the hash
// router (#/dashboard, #/servers/<name>, #/tools/<name>, #/agents/runs/<id> …).
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, hasCredential, onSignOut, request, setCredential, signOut } from './api.js';
import { Me } from './session.js';
import { useRoute } from './hooks.js';
import { ErrorBox, Loading, NotAllowed } from './components/Status.jsx';
import { Dashboard } from './pages/Dashboard.jsx';
import { Servers, ServerDetail } from './pages/Servers.jsx';
import { Tools } from './pages/Tools.jsx';
import { Audit } from './pages/Audit.jsx';
import { Tokens } from './pages/Tokens.jsx';
import { Keys } from './pages/Keys.jsx';
import { Agents, AgentRun } from './pages/Agents.jsx';
import { Cache } from './pages/Cache.jsx';

const PAGES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'servers', label: 'Servers' },
  { id: 'tools', label: 'Tool explorer' },
  { id: 'audit', label: 'Audit log', admin: true },
  { id: 'tokens', label: 'Token usage', admin: true },
  { id: 'keys', label: 'API keys' },
  { id: 'agents', label: 'Agents' },
  { id: 'cache', label: 'Cache & rate limits', admin: true }
];

function SignIn({ reason, onSignedIn }) {
  const [value, setValue] = useState('');
  const [state, setState] = useState({ busy: false, error: null });
  const input = useRef(null);
  useEffect(() => {
    document.title = 'Sign in · Sluice admin';
    if (input.current) input.current.focus();
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    const credential = value.trim();
    if (!credential) {
      setState({ busy: false, error: new ApiError({ title: 'Enter an API key or a token' }) });
      if (input.current) input.current.focus();
      return;
    }
    setState({ busy: true, error: null });
    try {
      const { data } = await request('me', { credential });
      setCredential(credential);
      setValue('');
      onSignedIn(data);
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 401;
      setState({
        busy: false,
        error: refused ? new ApiError({ ...error, title: 'Sign-in refused: Sluice did not accept this credential', detail: error.detail }) : error
      });
    }
  };
  const expired = reason && !state.error;
  return (
    <main id="main" class="signin" tabIndex={-1}>
      <form class="card signin-card" onSubmit={submit} noValidate aria-labelledby="signin-title" data-testid="signin-form">
        <h1 id="signin-title">
          <span class="brand-mark" aria-hidden="true" /> Sluice admin
        </h1>
        <p class="muted">Sign in with an API key or a JWT, as for the REST API. It is kept in this browser tab only.</p>
        {expired && <ErrorBox error={reason} title="You were signed out" />}
        {state.error && <ErrorBox error={state.error} />}
        <div class="field">
          <label for="credential">API key or token</label>
          <input
            ref={input}
            id="credential"
            name="credential"
            type="password"
            autoComplete="off"
            spellcheck={false}
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            data-testid="credential"
          />
        </div>
        <button type="submit" class="btn btn-primary btn-block" disabled={state.busy} data-testid="signin">
          {state.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function Nav({ me, current, onNavigate }) {
  return (
    <nav id="nav" class="nav" aria-label="Main">
      <ul>
        {PAGES.filter((p) => !p.admin || me.can.admin).map((p) => (
          <li key={p.id}>
            <a href={`#/${p.id}`} aria-current={current === p.id ? 'page' : undefined} data-testid={`nav-${p.id}`} onClick={onNavigate}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Page({ route, me }) {
  const [page, a, b] = route.path;
  const def = PAGES.find((p) => p.id === page);
  if (!def) {
    return (
      <div class="notice">
        <h1 id="page-title" tabIndex={-1}>Page not found</h1>
        <p>
          There is no page <code>#{route.raw}</code>. <a href="#/dashboard">Go to the dashboard</a>.
        </p>
      </div>
    );
  }
  if (def.admin && !me.can.admin) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>{def.label}</h1>
        <NotAllowed what={`The ${def.label.toLowerCase()}`} />
      </>
    );
  }
  switch (page) {
    case 'dashboard':
      return <Dashboard />;
    case 'servers':
      return a ? <ServerDetail key={a} name={a} /> : <Servers query={route.query} />;
    case 'tools':
      return <Tools selected={a} query={route.query} />;
    case 'audit':
      return <Audit key={route.raw} query={route.query} />;
    case 'tokens':
      return <Tokens />;
    case 'keys':
      return <Keys />;
    case 'agents':
      return a === 'runs' && b ? <AgentRun key={b} id={b} /> : <Agents />;
    case 'cache':
      return <Cache />;
    default:
      return null;
  }
}

function Shell({ me }) {
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef(null);
  const first = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    // a new page: put focus at its start so that keyboard and screen-reader users land there
    const heading = document.getElementById('page-title');
    if (heading) heading.focus({ preventScroll: false });
    else if (main.current) main.current.focus();
    window.scrollTo(0, 0);
  }, [route.raw]);

  const skip = (e) => {
    e.preventDefault();
    if (main.current) main.current.focus();
  };
  return (
    <Me.Provider value={me}>
      <a class="skip-link" href="#main" onClick={skip} data-testid="skip-link">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="#/dashboard">
          <span class="brand-mark" aria-hidden="true" /> Sluice
        </a>
        <button
          type="button"
          class="btn menu-toggle"
          aria-expanded={menuOpen ? 'true' : 'false'}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
          data-testid="menu-toggle"
        >
          Menu
        </button>
        <div class="whoami" data-testid="whoami">
          <span class="whoami-subject">{me.subject}</span>
          <span class="badge badge-info" data-testid="whoami-role">{me.role}</span>
        </div>
        <button type="button" class="btn btn-small" onClick={() => signOut(null)} data-testid="signout">
          Sign out
        </button>
      </header>
      <div class={menuOpen ? 'layout menu-open' : 'layout'}>
        <Nav me={me} current={route.path[0]} onNavigate={() => setMenuOpen(false)} />
        <main id="main" ref={main} tabIndex={-1} class="content">
          <Page route={route} me={me} />
        </main>
      </div>
    </Me.Provider>
  );
}

function App() {
  const [session, setSession] = useState(() => ({ status: hasCredential() ? 'checking' : 'signed-out', me: null, reason: null, error: null }));

  useEffect(
    () =>
      onSignOut((reason) => {
        setSession({ status: 'signed-out', me: null, reason, error: null });
      }),
    []
  );

  useEffect(() => {
    if (session.status !== 'checking') return;
    request('me').then(
      ({ data }) => setSession({ status: 'signed-in', me: data, reason: null, error: null }),
      (error) => {
        if (error.status !== 401) setSession({ status: 'error', me: null, reason: null, error });
      }
    );
  }, [session.status]);

  if (session.status === 'checking') {
    return (
      <main id="main" class="signin" tabIndex={-1}>
        <Loading label="Checking your sign-in…" />
      </main>
    );
  }
  if (session.status === 'error') {
    return (
      <main id="main" class="signin" tabIndex={-1}>
        <div class="card signin-card">
          <h1>Sluice admin</h1>
          <ErrorBox error={session.error} onRetry={() => setSession({ ...session, status: 'checking' })} title="Could not check your sign-in" />
          <button type="button" class="btn" onClick={() => signOut(null)}>
            Sign in again
          </button>
        </div>
      </main>
    );
  }
  if (session.status === 'signed-out') {
    return <SignIn reason={session.reason} onSignedIn={(me) => setSession({ status: 'signed-in', me, reason: null, error: null })} />;
  }
  return <Shell me={normalise(session.me)} />;
}

/** The /me answer with every `can` flag present. */
function normalise(me) {
  const rank = ['viewer', 'analyst', 'engineer', 'admin', 'owner'].indexOf(me.role);
  const can = me.can || {};
  return {
    ...me,
    can: {
      admin: can.admin ?? rank >= 3,
      runAgents: can.runAgents ?? rank >= 1,
      callTools: can.callTools ?? rank >= 1
    }
  };
}

render(<App />, document.getElementById('app'));
