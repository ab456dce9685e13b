/**
 * A content checker message as the console shows it: the messages are written for the terminal,
 * with `code` in backticks; here the backticks become code spans instead of showing raw.
 */
export function ContentMessage({ text }: { text: string }) {
  const parts = text.split(/`([^`]*)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // Short code (`- [x]`, an id) never breaks across lines; a long example may wrap.
          <code
            key={i}
            className={`rounded bg-white/70 px-1 font-mono text-[0.9em] ${part.length <= 24 ? "whitespace-nowrap" : "break-words"}`}
          >
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
