import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** The link back to the page above this one, at the top of a page: "← Ban tổ chức". */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="mb-2">
      <Link to={to} className="text-brand-700 underline">
        ← {children}
      </Link>
    </p>
  );
}
