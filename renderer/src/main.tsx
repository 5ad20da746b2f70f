import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridge } from './bridge';
import { flushSaves } from './autosave';
import { initTheme } from './ui/theme';
import './ui/tokens.css';
import './ui/base.css';
import './styles.css';

// The theme before the first paint: no flash of light when the user chose dark.
initTheme();
const { bridge, ready } = connectBridge();
void ready.then(({ demoServerUrl }) => createRoot(document.getElementById('root')!).render(<App bridge={bridge} demoServerUrl={demoServerUrl} />));

// Closing or reloading the window sends what is still waiting for its debounce: the
// requests leave synchronously, so the cache gets them even as the page goes away.
window.addEventListener('pagehide', () => void flushSaves());
