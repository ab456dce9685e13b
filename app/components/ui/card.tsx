import type { HTMLAttributes, ReactNode } from "react";

const paddings = { normal: "p-4", tight: "p-3", none: "" } as const;
type Padding = keyof typeof paddings;

/** The card's classes, for an element that must be something else (a Remix `<Form>`). */
export function cardClass(padding: Padding = "normal", className = ""): string {
  return ["rounded-xl border border-slate-200 bg-white", paddings[padding], className].filter(Boolean).join(" ");
}

/**
 * A white panel with a border: one part of a page (a form, a table, a list). A `<section>` unless
 * `as` says otherwise (an item of a list of cards is an `li`); `padding="tight"` for the small
 * cards of a list, `"none"` around a table or a divided list that pads its own rows.
 */
export function Card({
  as: Element = "section",
  padding = "normal",
  className = "",
  children,
  ...rest
}: HTMLAttributes<HTMLElement> & {
  as?: "section" | "div" | "li" | "article" | "ul" | "ol";
  padding?: Padding;
  children: ReactNode;
}) {
  return (
    <Element className={cardClass(padding, className)} {...rest}>
      {children}
    </Element>
  );
}
