import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './app.css';

// Where the API is and a token, from the URL fragment (never sent to a server):
// http://localhost:5173/#url=http://127.0.0.1:3000&token=…
const config = new URLSearchParams(location.hash.slice(1));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App url={config.get('url') ?? 'http://127.0.0.1:3000'} token={config.get('token') ?? ''} />
  </StrictMode>,
);
