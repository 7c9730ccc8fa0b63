import { useState } from 'preact/hooks';
import { useTitle } from '../hooks';

/** Join codes use capitals and digits without look-alikes; people type them any old way. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

export function CodeEntry({ heading = 'Join a workshop' }: { heading?: string }) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const c = normaliseCode(code);
    if (!/^[A-Z0-9]{4,12}$/.test(c)) {
      setProblem('Enter the code shown on the screen, for example ABC234.');
      return;
    }
    location.assign(`/join/${c}`);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <h2>{heading}</h2>
      <div class="field">
        <label for="join-code">Workshop code</label>
        <input
          id="join-code"
          class="code-input"
          type="text"
          inputMode="text"
          autocapitalize="characters"
          autocomplete="off"
          spellcheck={false}
          maxLength={12}
          value={code}
          aria-describedby={problem ? 'join-code-error' : undefined}
          onInput={(e) => setCode((e.target as HTMLInputElement).value)}
        />
      </div>
      <div aria-live="polite">
        {problem && (
          <p class="field-error" id="join-code-error">
            {problem}
          </p>
        )}
      </div>
      <button type="submit" class="btn btn-primary btn-wide">
        Continue
      </button>
    </form>
  );
}

export function Home() {
  useTitle('');
  return (
    <main class="page narrow" id="main">
      <h1>Quorum</h1>
      <p class="lead">Weigh up proposed uses of personal data together, test by test, in a live workshop.</p>
      <section class="card">
        <CodeEntry />
      </section>
      <section class="card">
        <h2>Running a workshop?</h2>
        <p>Create a session, add your scenarios, and share the join code with the room.</p>
        <a class="btn" href="/new">
          Create a workshop
        </a>
      </section>
    </main>
  );
}

export function JoinByCode() {
  useTitle('Join');
  return (
    <main class="page narrow" id="main">
      <p class="eyebrow">
        <a href="/">Quorum</a>
      </p>
      <section class="card">
        <CodeEntry heading="Join a workshop" />
      </section>
    </main>
  );
}

export function NotFound() {
  useTitle('Page not found');
  return (
    <main class="page narrow" id="main">
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to the start page</a>
      </p>
    </main>
  );
}
