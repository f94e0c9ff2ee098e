/**
 * A class's team picker (docs/decisions/0015): the instructor's team panel and the operator's page
 * show one team's shop at a time, the one picked here. Only drawn in a class.
 */
export function TeamPicker(props: { classTeams: readonly string[]; team: string; onPick: (team: string) => void; id: string }) {
  return (
    <p>
      <label for={props.id}>Team</label>{' '}
      <select id={props.id} value={props.team} onChange={(e) => props.onPick(e.currentTarget.value)}>
        {props.classTeams.map((team) => (
          <option key={team} value={team}>
            {team}
          </option>
        ))}
      </select>
    </p>
  );
}
