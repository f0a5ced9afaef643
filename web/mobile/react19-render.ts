import { unstableSetRender } from 'antd-mobile';
import { createRoot, type Root } from 'react-dom/client';

// antd-mobile's imperative parts (Toast, Dialog) render with React 18's API unless told how to
// render on React 19 (its "v5 for 19" guide): a root per container. Imported for its effect by
// MobileProviders, so the app and the component tests both have it.
unstableSetRender((node, container) => {
  const c = container as Element & { _ccRoot?: Root };
  c._ccRoot ??= createRoot(c);
  const root = c._ccRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._ccRoot;
  };
});
