/**
 * What a team writes into `lab pir new`'s draft of a Lab 2 run: each TODO(team) line the draft
 * leaves, replaced by the team's words (blameless: about the system, never a person). A line the
 * draft gained since this was written is an error, so the test says what to add here.
 */
const lab2Answers: Array<[line: RegExp, text: (due: string) => string]> = [
  [/^- \*\*Authors:\*\* TODO\(team\)/, () => '- **Authors:** ada, bob'],
  [
    /^TODO\(team\): in one or two sentences/,
    () => 'The primary card gateway timed out on about 40% of charges, so those checkouts failed to pay until payments moved to the secondary gateway.',
  ],
  [
    /^TODO\(team\): how was it noticed/,
    () => 'The PaymentSuccessRateLow alert paged the team. An alert on gateway timeouts by reason would name the gateway at once and halve the time to detect.',
  ],
  [/^- \*\*Trigger:\*\* TODO\(team\)/, () => '- **Trigger:** the primary card gateway began timing out on a share of charges.'],
  [/^- \*\*Root cause:\*\* TODO\(team\)/, () => '- **Root cause:** payments sends every charge to one gateway, so its degradation reached customers directly.'],
  [
    /^- \*\*Contributing factors:\*\* TODO\(team\)/,
    () => '- **Contributing factors:** the failover to the secondary gateway is a manual flag change, and no alert names the failing gateway.',
  ],
  [
    /^TODO\(team\): which step fixed it/,
    () => 'Failing over to the secondary gateway fixed it for now; the long-term fix is automatic failover when the primary gateway times out.',
  ],
  [/^- TODO\(team\): what helped/, () => '- The payments-failover runbook ran end to end and verified the recovery.'],
  [
    /^- TODO\(team\): what made it longer/,
    () =>
      '- A worker restart was tried first although the worker was healthy; the runbook did not ask for it. The second status update came later than promised.',
  ],
  [/^- TODO\(team\): what could have made it worse/, () => '- The secondary gateway was healthy during the whole incident.'],
  [
    /^\| TODO\(team\): what will change \|/,
    (due) => `| Fail payments over automatically when the primary gateway times out | prevent | payments team | ${due} | FD-101 |`,
  ],
  [
    /^TODO\(team\): the summary for the rest of the company/,
    () =>
      'Payments failed on about 40% of checkouts for under two minutes while the primary card gateway timed out; payments now uses the secondary gateway, and automatic failover is planned.',
  ],
  [
    /^TODO\(team\): the message for customers/,
    () =>
      'Some card payments failed for a few minutes today. It is fixed, no card was charged for a failed order, and we are making payments switch gateways by themselves.',
  ],
];

export function filledLab2Pir(draft: string, now = new Date()): string {
  const due = new Date(now.getTime() + 28 * 24 * 3_600_000).toISOString().slice(0, 10);
  return draft
    .split('\n')
    .map((line, index) => {
      if (!/TODO\(team\)|YYYY-MM-DD/.test(line)) return line;
      const answer = lab2Answers.find(([pattern]) => pattern.test(line));
      if (!answer) throw new Error(`pir-filled.ts has no answer for the draft's line ${index + 1}: ${line}`);
      return answer[1](due);
    })
    .join('\n');
}
