import type { ReactNode } from "react";
import { ContentMessage } from "~/components/content-message";
import { t } from "~/i18n/vi";

const tones = {
  error: { box: "border-red-300 bg-red-50", text: "text-red-900" },
  warning: { box: "border-amber-300 bg-amber-50", text: "text-amber-900" },
} as const;

/**
 * The errors (or warnings) of a checked file, each after its line number. With `onLine`, the line
 * number is a button that takes the editor to it; without, plain text.
 */
export function LineMessages({
  id,
  title,
  items,
  tone = "error",
  onLine,
}: {
  id: string;
  title: ReactNode;
  items: readonly { line: number; message: string }[];
  tone?: keyof typeof tones;
  onLine?: (line: number) => void;
}) {
  if (items.length === 0) return null;
  const style = tones[tone];
  return (
    <section id={id} aria-labelledby={`${id}-title`} className={`mb-4 rounded-xl border p-3 ${style.box}`}>
      <h2 id={`${id}-title`} className={`mb-2 font-bold ${style.text}`}>
        {title}
      </h2>
      <ul className="space-y-2 text-sm">
        {items.map((item, i) => (
          <li key={i}>
            {onLine ? (
              <button type="button" onClick={() => onLine(item.line)} className={`mr-1 font-bold underline ${style.text}`}>
                {t.organizer.line(item.line)}
              </button>
            ) : (
              <strong className="mr-1">{t.organizer.line(item.line)}:</strong>
            )}
            <span>
              <ContentMessage text={item.message} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
