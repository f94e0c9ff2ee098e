import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { withTeam } from './team-scope.ts';

type FlagValue = boolean | number;

/**
 * The flag lever's fields: the flags GET /api/flags knows, and for the one picked, the values it
 * takes (true/false for a switch, a number for a number flag), starting from its current value.
 */
export function FlagFields(props: { flag: string; value: string; onChange: (flag: string, value: string) => void; team?: string | null }) {
  const [flags, setFlags] = useState<Record<string, FlagValue> | null>(null);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    api<{ flags: Record<string, FlagValue> }>('GET', withTeam('/api/flags', props.team)).then(
      ({ flags }) => {
        setFlags(flags);
        const first = Object.keys(flags).sort()[0];
        if (props.flag === '' && first !== undefined) props.onChange(first, String(flags[first]));
      },
      (err: Error) => setProblem(err.message),
    );
  }, [props.team]);
  if (problem) return <p role="alert">Flags unavailable: {problem}</p>;
  if (!flags) return <p>Loading the flags…</p>;
  const current = flags[props.flag];
  return (
    <>
      <label for="lever-flag">Flag</label>
      <select
        id="lever-flag"
        value={props.flag}
        onChange={(e) => {
          const name = (e.currentTarget as HTMLSelectElement).value;
          props.onChange(name, String(flags[name]));
        }}
      >
        {Object.keys(flags)
          .sort()
          .map((name) => (
            <option key={name} value={name}>
              {name} (now {String(flags[name])})
            </option>
          ))}
      </select>
      <label for="lever-value">Value</label>
      {typeof current === 'number' ? (
        <input
          id="lever-value"
          type="number"
          step="any"
          value={props.value}
          onInput={(e) => props.onChange(props.flag, (e.currentTarget as HTMLInputElement).value)}
        />
      ) : (
        <select id="lever-value" value={props.value} onChange={(e) => props.onChange(props.flag, (e.currentTarget as HTMLSelectElement).value)}>
          <option value="true">true (on)</option>
          <option value="false">false (off)</option>
        </select>
      )}
    </>
  );
}
