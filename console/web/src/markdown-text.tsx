import { inlineParts, markdownBlocks } from './markdown-blocks.ts';

/** One line's `code`, **strong** and link text as elements. */
export function Inline(props: { text: string }) {
  return (
    <>
      {inlineParts(props.text).map((part, i) =>
        part.type === 'code' ? <code key={i}>{part.text}</code> : part.type === 'strong' ? <strong key={i}>{part.text}</strong> : part.text,
      )}
    </>
  );
}

/**
 * A runbook page's Markdown as elements holding text (never innerHTML). Headings start one level
 * below `headingLevel` so the page's outline stays whole (the panel's own heading is above them).
 */
export function MarkdownText(props: { markdown: string; headingLevel: number }) {
  return (
    <div class="markdown">
      {markdownBlocks(props.markdown).map((block, i) => {
        switch (block.type) {
          case 'heading': {
            const level = Math.min(6, props.headingLevel + block.level);
            const Tag = `h${level}` as 'h3';
            return (
              <Tag key={i}>
                <Inline text={block.text} />
              </Tag>
            );
          }
          case 'paragraph':
            return (
              <p key={i}>
                <Inline text={block.text} />
              </p>
            );
          case 'list': {
            const Tag = block.ordered ? 'ol' : 'ul';
            return (
              <Tag key={i}>
                {block.items.map((item, j) => (
                  <li key={j}>
                    <Inline text={item} />
                  </li>
                ))}
              </Tag>
            );
          }
          default:
            return <pre key={i}>{block.text}</pre>;
        }
      })}
    </div>
  );
}
