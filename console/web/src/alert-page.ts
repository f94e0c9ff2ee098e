import { useEffect, useRef } from 'preact/hooks';

const baseTitle = 'Firedrill console';

/**
 * The page: when an alert starts firing, the tab's title says so and a short tone plays (when the
 * browser allows sound: after the person interacted with the page). The alert list itself is an
 * aria-live region, so a screen reader announces it too.
 */
export function useAlertPage(firing: readonly string[]): void {
  const seen = useRef(new Set<string>());
  useEffect(() => {
    const fresh = firing.filter((name) => !seen.current.has(name));
    seen.current = new Set(firing);
    document.title = firing.length > 0 ? `(${firing.length}) FIRING: ${firing.join(', ')} · ${baseTitle}` : baseTitle;
    if (fresh.length > 0) playTone();
  }, [firing.join('\n')]);
}

function playTone(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.value = 0.1;
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
    tone.onended = () => void audio.close();
  } catch {
    // No sound (autoplay policy, no audio device): the title and the list still page.
  }
}
