import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/base.css';
import './styles.css';
import { prefetchPathway } from './api.ts';
import { App } from './App.tsx';
import { parseRoute } from './router.ts';

// Fetch the pathway's definition before React renders.
const route = parseRoute(location.hash);
if (route.page === 'process') prefetchPathway(route.pathway);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
