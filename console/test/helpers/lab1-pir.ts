/**
 * What a team writes into the PIR draft of a Lab 1 run (a payments release adding ~500 ms to each
 * checkout): each TODO(team) line the draft leaves, replaced by the team's words, blameless (about
 * the system, never a person). A draft line not listed here is an error naming it, so the test says
 * what to add when the draft grows.
 */
const lab1Answers: Array<[line: RegExp, text: (due: string) => string]> = [
  [/^- \*\*Authors:\*\* TODO\(team\)/, () => '- **Authors:** ada'],
  [
    /^TODO\(team\): in one or two sentences/,
    () => 'Checkout took about half a second longer for every customer while payments 2.4.0 scored each charge for fraud synchronously.',
  ],
  [
    /^TODO\(team\): how was it noticed/,
    () => 'The ApiHighLatencyP95 alert paged the team. An alert on payments latency itself would point at the dependency at once.',
  ],
  [/^- \*\*Trigger:\*\* TODO\(team\)/, () => '- **Trigger:** the payments 2.4.0 release turned on a synchronous fraud check.'],
  [/^- \*\*Root cause:\*\* TODO\(team\)/, () => '- **Root cause:** the fraud check runs inside the charge request, so its latency adds to every checkout.'],
  [
    /^- \*\*Contributing factors:\*\* TODO\(team\)/,
    () => '- **Contributing factors:** the release shipped without a latency budget check, and the fraud check had no timeout.',
  ],
  [
    /^TODO\(team\): which step fixed it/,
    () => 'Rolling payments back to its previous release fixed it; the long-term fix is running the fraud check asynchronously.',
  ],
  [/^- TODO\(team\): what helped/, () => '- The latency chart by service showed checkout slowing when payments was released.'],
  [/^- TODO\(team\): what made it longer/, () => '- The release notes did not say the fraud check was synchronous.'],
  [/^- TODO\(team\): what could have made it worse/, () => '- A higher checkout rate would have queued requests behind the slow charges.'],
  [/^\| TODO\(team\): what will change \|/, (due) => `| Run the fraud check asynchronously, with a timeout | prevent | payments team | ${due} | FD-201 |`],
  [
    /^TODO\(team\): the summary for the rest of the company/,
    () =>
      'Checkout was about half a second slower for a few minutes after a payments release; the release was rolled back and the fraud check will move off the request path.',
  ],
  [/^TODO\(team\): the message for customers/, () => 'Checkout was slower than usual for a few minutes today. It is fixed, and no order was lost.'],
];

export function filledLab1Pir(draft: string, now = new Date()): string {
  const due = new Date(now.getTime() + 28 * 24 * 3_600_000).toISOString().slice(0, 10);
  return draft
    .split('\n')
    .map((line, index) => {
      if (!/TODO\(team\)|YYYY-MM-DD/.test(line)) return line;
      const answer = lab1Answers.find(([pattern]) => pattern.test(line));
      if (!answer) throw new Error(`lab1-pir.ts has no answer for the draft's line ${index + 1}: ${line}`);
      return answer[1](due);
    })
    .join('\n');
}
