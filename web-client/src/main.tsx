import { render } from 'preact';
import './styles.css';
import { route } from './routes';
import { CreateSession } from './views/CreateSession';
import { FacilitatorApp } from './views/Facilitator';
import { Home, JoinByCode, NotFound } from './views/Home';
import { ParticipantApp } from './views/Participant';
import { PresenterApp } from './views/Presenter';

function App() {
  const r = route(location.pathname);
  switch (r.view) {
    case 'home':
      return <Home />;
    case 'join':
      return r.code ? <ParticipantApp code={r.code} /> : <JoinByCode />;
    case 'new':
      return <CreateSession />;
    case 'facilitate':
      return <FacilitatorApp code={r.code} />;
    case 'present':
      return <PresenterApp code={r.code} />;
    default:
      return <NotFound />;
  }
}

render(<App />, document.getElementById('app')!);
