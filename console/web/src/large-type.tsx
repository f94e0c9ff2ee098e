import { useEffect, useState } from 'preact/hooks';

const storageKey = 'firedrill-console-large-type';

/** Projector mode: larger type everywhere, remembered by this browser. */
export function LargeTypeToggle() {
  const [large, setLarge] = useState(() => localStorage.getItem(storageKey) === 'on');
  useEffect(() => {
    document.documentElement.classList.toggle('large-type', large);
    localStorage.setItem(storageKey, large ? 'on' : 'off');
  }, [large]);
  return (
    <button type="button" aria-pressed={large} onClick={() => setLarge(!large)}>
      Large type: {large ? 'on' : 'off'}
    </button>
  );
}
