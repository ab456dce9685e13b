import type { HTMLAttributes, ReactNode } from "react";

/** A white panel with a border: one part of a page (a form, a table, a list). */
export function Card({ className = "", children, ...rest }: HTMLAttributes<HTMLElement> & { children: ReactNode }) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white p-4 ${className}`} {...rest}>
      {children}
    </section>
  );
}
