import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridge } from './bridge';
import './styles.css';

const { bridge, ready } = connectBridge();
void ready.then(({ demoServerUrl }) => createRoot(document.getElementById('root')!).render(<App bridge={bridge} demoServerUrl={demoServerUrl} />));
